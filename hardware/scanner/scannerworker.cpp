// SPDX-License-Identifier: Apache-2.0
#include "scannerworker.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QTimer>

Q_LOGGING_CATEGORY(lcScanner, "hcp.hardware.scanner")

namespace hcp::hardware {

namespace {
QString tx(const char *text)
{
    return QCoreApplication::translate("hcp::hardware::ScannerService", text);
}
} // namespace

ScannerWorker::ScannerWorker(ScannerService::TransportFactory factory, ScannerService::Mode mode,
                             const ScannerService::Options &options)
    : m_factory(std::move(factory))
    , m_mode(mode)
    , m_options(options)
    , m_wedge(options.wedgeTimeoutMs)
    , m_hid(options.hidLengthMode)
{
    m_clock.start();
    m_timer = new QTimer(this);
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, &ScannerWorker::step);
}

ScannerWorker::~ScannerWorker()
{
    closeTransport();
}

void ScannerWorker::start()
{
    m_running = true;
    m_timer->start(0);
}

void ScannerWorker::stop()
{
    m_running = false;
    m_timer->stop();
    closeTransport();
}

void ScannerWorker::reconnect()
{
    closeTransport();
    if (m_running)
        m_timer->start(0);
}

void ScannerWorker::setState(DeviceState state, const QString &reason)
{
    if (state == m_state && reason == m_reason)
        return;
    m_state = state;
    m_reason = reason;
    emit stateChanged(state, reason);
}

bool ScannerWorker::ensureOpen()
{
    if (m_transport && m_transport->isOpen())
        return true;
    closeTransport();
    m_transport = m_factory ? m_factory() : nullptr;
    if (!m_transport || !m_transport->open()) {
        closeTransport();
        setState(DeviceState::Absent, tx(QT_TRANSLATE_NOOP("hcp::hardware::ScannerService", "扫码器未连接")));
        return false;
    }
    qCInfo(lcScanner).noquote() << "opened" << m_transport->description();
    setState(DeviceState::Ready, QString());
    return true;
}

void ScannerWorker::closeTransport()
{
    if (m_transport) {
        m_transport->close();
        m_transport.reset();
    }
    m_wedge.reset();
    m_hid.reset();
}

void ScannerWorker::step()
{
    if (!m_running)
        return;
    if (!ensureOpen()) {
        m_timer->start(m_options.reopenIntervalMs);
        return;
    }
    const int maxBytes = m_mode == ScannerService::Mode::KeyboardWedge ? 64 * WedgeDecoder::EventSize
                                                                       : HidPosParser::ReportSize;
    const TransferResult r = m_transport->read(maxBytes, kReadSliceMs, 0);
    const qint64 now = m_clock.elapsed();
    if (!r.data.isEmpty()) {
        if (m_mode == ScannerService::Mode::KeyboardWedge) {
            for (const QByteArray &scan : m_wedge.feedEvents(r.data, now))
                emit scanned(scan);
        } else if (auto scan = m_hid.feedReport(r.data)) {
            emit scanned(scan->data);
        }
    }
    if (m_mode == ScannerService::Mode::KeyboardWedge) {
        if (auto scan = m_wedge.poll(now))
            emit scanned(*scan);
    }
    if (!r.ok() && r.status != TransportStatus::Timeout) {
        qCWarning(lcScanner).noquote() << "read failed:" << r.detail;
        closeTransport();
        if (r.status == TransportStatus::NoDevice || r.status == TransportStatus::NotOpen)
            setState(DeviceState::Absent, tx(QT_TRANSLATE_NOOP("hcp::hardware::ScannerService", "扫码器未连接")));
        else
            setState(DeviceState::Error, tx(QT_TRANSLATE_NOOP("hcp::hardware::ScannerService", "扫码器通信故障")));
        m_timer->start(m_options.reopenIntervalMs);
        return;
    }
    m_timer->start(0);
}

} // namespace hcp::hardware

// SPDX-License-Identifier: Apache-2.0
#include "faketransport.h"

#include <chrono>

namespace hcp::hardware {

namespace {
class FakeTransportHandle : public Transport {
public:
    explicit FakeTransportHandle(FakeTransport *fake) : m_fake(fake) {}
    bool open() override { return m_fake->open(); }
    void close() override { m_fake->close(); }
    bool isOpen() const override { return m_fake->isOpen(); }
    TransferResult write(const QByteArray &b, int t, int c) override { return m_fake->write(b, t, c); }
    TransferResult read(int m, int t, int c) override { return m_fake->read(m, t, c); }
    QString description() const override { return m_fake->description(); }

private:
    FakeTransport *m_fake;
};
} // namespace

std::unique_ptr<Transport> FakeTransport::makeHandle()
{
    return std::make_unique<FakeTransportHandle>(this);
}

FakeTransport::FakeTransport(QString description)
    : m_description(std::move(description))
{
    m_clock.start();
}

bool FakeTransport::open()
{
    std::lock_guard lock(m_mutex);
    if (!m_present || (m_errorStatus == TransportStatus::NoDevice && m_errorCount != 0))
        return false;
    m_open = true;
    ++m_openCount;
    return true;
}

void FakeTransport::close()
{
    std::lock_guard lock(m_mutex);
    if (m_open)
        ++m_closeCount;
    m_open = false;
    m_cv.notify_all();
}

bool FakeTransport::isOpen() const
{
    std::lock_guard lock(m_mutex);
    return m_open;
}

QString FakeTransport::description() const
{
    return m_description;
}

bool FakeTransport::takeError(TransferResult *r)
{
    if (!m_open) {
        r->status = TransportStatus::NotOpen;
        r->detail = QStringLiteral("%1 is not open").arg(m_description);
        return true;
    }
    if (!m_present) {
        r->status = TransportStatus::NoDevice;
        r->detail = QStringLiteral("%1 was unplugged").arg(m_description);
        return true;
    }
    if (m_errorCount == 0)
        return false;
    if (m_errorCount > 0)
        --m_errorCount;
    r->status = m_errorStatus;
    r->detail = m_errorDetail.isEmpty() ? QStringLiteral("injected %1").arg(transportStatusText(m_errorStatus))
                                        : m_errorDetail;
    return true;
}

TransferResult FakeTransport::write(const QByteArray &bytes, int timeoutMs, int channel)
{
    Q_UNUSED(timeoutMs);
    TransferResult r;
    WriteHandler handler;
    {
        std::lock_guard lock(m_mutex);
        if (takeError(&r))
            return r;
        m_tx[channel].append(bytes);
        handler = m_writeHandler;
    }
    r.data = bytes;
    if (handler)
        handler(bytes, channel);
    return r;
}

TransferResult FakeTransport::read(int maxBytes, int timeoutMs, int channel)
{
    TransferResult r;
    std::unique_lock lock(m_mutex);
    if (takeError(&r))
        return r;
    const qint64 deadline = m_clock.elapsed() + timeoutMs;
    for (;;) {
        if (!m_open) {
            r.status = TransportStatus::NotOpen;
            r.detail = QStringLiteral("%1 closed during read").arg(m_description);
            return r;
        }
        const qint64 now = m_clock.elapsed();
        auto &queue = m_rx[channel];
        qint64 wakeAt = deadline;
        while (!queue.isEmpty() && queue.first().readyAtMs <= now && r.data.size() < maxBytes) {
            Chunk &c = queue.first();
            const qsizetype take = qMin<qsizetype>(maxBytes - r.data.size(), c.bytes.size());
            r.data.append(c.bytes.left(take));
            c.bytes.remove(0, take);
            if (c.bytes.isEmpty())
                queue.removeFirst();
        }
        if (!r.data.isEmpty())
            return r;
        if (!queue.isEmpty())
            wakeAt = qMin(wakeAt, queue.first().readyAtMs);
        if (now >= deadline) {
            r.status = TransportStatus::Timeout;
            r.detail = QStringLiteral("no data on %1 channel %2 within %3 ms").arg(m_description).arg(channel).arg(timeoutMs);
            return r;
        }
        m_cv.wait_for(lock, std::chrono::milliseconds(qMax<qint64>(1, wakeAt - now)));
    }
}

void FakeTransport::feedReceived(const QByteArray &bytes, int channel, int delayMs)
{
    std::lock_guard lock(m_mutex);
    m_rx[channel].append(Chunk{bytes, m_clock.elapsed() + delayMs});
    m_cv.notify_all();
}

QByteArray FakeTransport::writtenData(int channel) const
{
    std::lock_guard lock(m_mutex);
    QByteArray all;
    for (const QByteArray &w : m_tx.value(channel))
        all.append(w);
    return all;
}

QList<QByteArray> FakeTransport::writes(int channel) const
{
    std::lock_guard lock(m_mutex);
    return m_tx.value(channel);
}

void FakeTransport::clearWritten()
{
    std::lock_guard lock(m_mutex);
    m_tx.clear();
}

void FakeTransport::injectError(TransportStatus status, int count, QString detail)
{
    std::lock_guard lock(m_mutex);
    m_errorStatus = status;
    m_errorCount = count;
    m_errorDetail = std::move(detail);
    m_cv.notify_all();
}

void FakeTransport::clearError()
{
    injectError(TransportStatus::Ok, 0);
}

void FakeTransport::setWriteHandler(WriteHandler handler)
{
    std::lock_guard lock(m_mutex);
    m_writeHandler = std::move(handler);
}

void FakeTransport::setPresent(bool present)
{
    std::lock_guard lock(m_mutex);
    m_present = present;
    if (!present)
        m_rx.clear();
    m_cv.notify_all();
}

int FakeTransport::openCount() const
{
    std::lock_guard lock(m_mutex);
    return m_openCount;
}

int FakeTransport::closeCount() const
{
    std::lock_guard lock(m_mutex);
    return m_closeCount;
}

} // namespace hcp::hardware

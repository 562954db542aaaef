// SPDX-License-Identifier: Apache-2.0
#include "idcardworker.h"

#include <algorithm>

#include "idcardtextcodec.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QTimer>

Q_LOGGING_CATEGORY(lcIdCard, "hcp.hardware.idcard")

namespace hcp::hardware {

namespace {
QString tx(const char *text)
{
    return QCoreApplication::translate("hcp::hardware::IdCardService", text);
}
} // namespace

IdCardWorker::IdCardWorker(IdCardService::TransportFactory factory, SamLink::Framing framing)
    : m_factory(std::move(factory))
    , m_framing(framing)
{
    m_timer = new QTimer(this);
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, &IdCardWorker::poll);
}

IdCardWorker::~IdCardWorker()
{
    closeTransport();
}

void IdCardWorker::setTiming(const IdCardService::Timing &timing)
{
    m_timing = timing;
}

void IdCardWorker::setPolling(bool enabled)
{
    if (enabled) {
        if (!m_timer->isActive())
            m_timer->start(0);
        return;
    }
    m_timer->stop();
    // The card that was read stays remembered: a card left on the reader after the visit must
    // not start a new session when the start screen returns; lifting it (find: no card) forgets it.
    closeTransport();
}

void IdCardWorker::poll()
{
    cycle(false);
    // No reader attached: look again every few seconds instead of opening libusb three times a
    // second (idle CPU); a hotplug arrival reconnects at once anyway.
    m_timer->start(m_state == DeviceState::Absent ? std::max(m_timing.pollIntervalMs, m_timing.absentPollIntervalMs)
                                                 : m_timing.pollIntervalMs);
}

void IdCardWorker::readOnce()
{
    const bool polling = m_timer->isActive();
    const CycleResult r = cycle(true);
    if (r == CycleResult::NoCard)
        emit errorOccurred(tx(QT_TRANSLATE_NOOP("hcp::hardware::IdCardService", "请将身份证放在读卡区")));
    emit readOnceFinished(r == CycleResult::Card);
    if (!polling)
        closeTransport();
}

void IdCardWorker::reconnect()
{
    closeTransport();
    if (m_timer->isActive())
        m_timer->start(0);
}

void IdCardWorker::shutdown()
{
    m_timer->stop();
    closeTransport();
}

bool IdCardWorker::ensureOpen()
{
    if (m_transport && m_transport->isOpen())
        return true;
    closeTransport();
    m_transport = m_factory ? m_factory() : nullptr;
    if (!m_transport || !m_transport->open()) {
        const QString what = m_transport ? m_transport->description() : QStringLiteral("no transport");
        closeTransport();
        setState(DeviceState::Absent, tx(QT_TRANSLATE_NOOP("hcp::hardware::IdCardService", "身份证阅读器未连接")));
        qCDebug(lcIdCard) << "open failed:" << what;
        return false;
    }
    m_link = std::make_unique<SamLink>(m_transport.get(), m_framing);
    qCInfo(lcIdCard) << "opened" << m_transport->description();
    if (const qsizetype stale = m_link->drain())
        qCInfo(lcIdCard) << "dropped" << stale << "stale bytes from an earlier exchange";
    return true;
}

void IdCardWorker::closeTransport()
{
    m_link.reset();
    if (m_transport) {
        m_transport->close();
        m_transport.reset();
    }
}

void IdCardWorker::setState(DeviceState state, const QString &reason)
{
    if (state == m_state && reason == m_reason)
        return;
    m_state = state;
    m_reason = reason;
    emit stateChanged(state, reason);
}

IdCardWorker::CycleResult IdCardWorker::linkFailure(const SamLink::Result &r, const char *phase)
{
    qCWarning(lcIdCard) << phase << "failed:" << r.detail;
    switch (r.error) {
    case SamLink::Error::Transport:
        closeTransport();
        if (r.transportStatus == TransportStatus::NoDevice || r.transportStatus == TransportStatus::NotOpen) {
            setState(DeviceState::Absent, tx(QT_TRANSLATE_NOOP("hcp::hardware::IdCardService", "身份证阅读器未连接")));
            return CycleResult::Absent;
        }
        setState(DeviceState::Error, tx(QT_TRANSLATE_NOOP("hcp::hardware::IdCardService", "身份证阅读器通信故障")));
        break;
    case SamLink::Error::Timeout:
        // Reopen on the next cycle: a reader that stops answering is often re-enumerating.
        closeTransport();
        setState(DeviceState::Error, tx(QT_TRANSLATE_NOOP("hcp::hardware::IdCardService", "身份证阅读器无响应")));
        break;
    case SamLink::Error::BadChecksum:
    case SamLink::Error::BadFrame:
        // Replies carry no sequence number: drop anything queued so the next exchange is in step.
        m_link->drain();
        setState(DeviceState::Error, tx(QT_TRANSLATE_NOOP("hcp::hardware::IdCardService", "身份证阅读器数据校验错误")));
        break;
    case SamLink::Error::None:
        break;
    }
    emit errorOccurred(tx(QT_TRANSLATE_NOOP("hcp::hardware::IdCardService", "读卡失败，请重新放置身份证")));
    return CycleResult::Failed;
}

IdCardWorker::CycleResult IdCardWorker::samFailure(quint8 sw3, const char *phase)
{
    qCWarning(lcIdCard) << phase << "refused:" << SamProtocol::statusText(sw3);
    // An unexpected status may be a late reply to an earlier request: resynchronise.
    if (m_link)
        m_link->drain();
    setState(DeviceState::Ready, QString());
    emit errorOccurred(tx(QT_TRANSLATE_NOOP("hcp::hardware::IdCardService", "读卡失败，请重新放置身份证")));
    return CycleResult::Failed;
}

IdCardWorker::CycleResult IdCardWorker::cycle(bool forceEmit)
{
    if (!ensureOpen())
        return CycleResult::Absent;

    SamLink::Result r = m_link->exchange(SamCommand::FindCard, m_timing.commandTimeoutMs);
    if (!r.ok())
        return linkFailure(r, "find card");
    if (r.response.sw3 != SamStatus::FindSuccess) {
        if (r.response.sw3 != SamStatus::FindCardFailed)
            return samFailure(r.response.sw3, "find card");
        setState(DeviceState::Ready, QString());
        if (!m_presentCardId.isEmpty()) {
            m_presentCardId.clear();
            emit cardRemoved();
        }
        return CycleResult::NoCard;
    }

    // A card left on the reader is read again on every poll: only a new placement is announced
    // as 正在读卡, so the state (and the diagnostics log) does not flicker once per poll.
    if (m_presentCardId.isEmpty())
        setState(DeviceState::Busy, tx(QT_TRANSLATE_NOOP("hcp::hardware::IdCardService", "正在读卡")));
    r = m_link->exchange(SamCommand::SelectCard, m_timing.commandTimeoutMs);
    if (!r.ok())
        return linkFailure(r, "select card");
    if (r.response.sw3 != SamStatus::Success)
        return samFailure(r.response.sw3, "select card");

    r = m_link->exchange(SamCommand::ReadText, m_timing.readTimeoutMs);
    if (!r.ok())
        return linkFailure(r, "read card");
    if (r.response.sw3 != SamStatus::Success)
        return samFailure(r.response.sw3, "read card");

    std::optional<SamReadPayload> payload = SamProtocol::parseReadPayload(r.response.data, false);
    r.response.data.fill('\0');
    QString why;
    std::optional<IdCardData> card;
    if (payload) {
        payload->photo.fill('\0');   // opaque and never kept
        card = IdCardTextCodec::parse(payload->text, &why);
        payload->text.fill('\0');
    } else {
        why = QStringLiteral("malformed read payload");
    }
    if (!card) {
        qCWarning(lcIdCard) << "card data rejected:" << why;
        setState(DeviceState::Ready, QString());
        emit errorOccurred(tx(QT_TRANSLATE_NOOP("hcp::hardware::IdCardService", "无法识别的证件信息")));
        return CycleResult::Failed;
    }
    setState(DeviceState::Ready, QString());
    if (!card->checkDigitValid)
        qCWarning(lcIdCard) << "ID number check digit does not match; reported as untrusted";
    // A card left on the reader is read again on every poll; report it once per placement.
    if (forceEmit || card->idNumber != m_presentCardId) {
        m_presentCardId = card->idNumber;
        emit cardRead(*card);
    }
    return CycleResult::Card;
}

} // namespace hcp::hardware

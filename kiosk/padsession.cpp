// SPDX-License-Identifier: Apache-2.0
#include "padsession.h"

#include "questionnaire.h"
#include "ratingcommit.h"
#include "satisfaction.h"
#include "store.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcPad, "hcp.kiosk.pad")

namespace hcp::kiosk {

PadSession::PadSession(Store *store, QObject *parent)
    : QObject(parent), m_store(store)
{
    m_idle.setSingleShot(true);
    connect(&m_idle, &QTimer::timeout, this, [this] {
        qCInfo(lcPad) << "pad idle in state" << m_state << "- back to the staff card";
        finish();
    });
}

void PadSession::setEnabled(bool on)
{
    if (on == m_enabled)
        return;
    m_enabled = on;
    Q_EMIT enabledChanged();
    if (!on)
        finish();
}

void PadSession::setConfig(const KioskConfig &config)
{
    m_config = config;
    if (m_event.projectNo.isEmpty() && (m_staffName != config.padStaffName || m_staffNo != config.padStaffNo
                                        || m_windowNo != config.padWindowNo)) {
        m_staffName = config.padStaffName;
        m_staffNo = config.padStaffNo;
        m_windowNo = config.padWindowNo;
        Q_EMIT staffChanged();
    }
}

int PadSession::timeoutMs() const
{
    if (m_idleOverrideMs > 0)
        return m_idleOverrideMs;
    if (m_state == State::Thanks || m_state == State::AlreadyRated || m_state == State::Error)
        return qMin(m_config.thanksTimeoutSeconds, 10) * 1000; // the next citizen is already at the counter
    return m_config.idleTimeoutSeconds * 1000;
}

void PadSession::setState(State s)
{
    const bool changed = s != m_state;
    m_state = s;
    if (s == State::Idle)
        m_idle.stop();
    else
        m_idle.start(timeoutMs());
    if (changed)
        Q_EMIT stateChanged();
}

void PadSession::setMessage(const QString &m)
{
    if (m == m_message)
        return;
    m_message = m;
    Q_EMIT messageChanged();
}

void PadSession::userActivity()
{
    if (m_state != State::Idle)
        m_idle.start(timeoutMs());
}

void PadSession::rateNow(const hcp::sync::RateNowEvent &event)
{
    if (!m_enabled || !event.isValid())
        return;
    if ((m_state == State::Rate || m_state == State::Reasons) && event.projectNo == m_event.projectNo
        && event.serviceNumber == m_event.serviceNumber)
        return; // the same service again: keep the citizen's progress
    m_event = event;
    m_satisfaction = 0;
    m_publicRating = true;
    m_reasons.clear();
    m_ratedTime.clear();
    m_taskName.clear();
    const QList<Case> cached = m_store->casesByProjectNo(event.projectNo);
    for (const Case &c : cached) {
        if (c.serviceNumber == event.serviceNumber)
            m_taskName = c.taskName;
    }
    m_staffName = event.staffName;
    m_staffNo = event.staffNo;
    m_windowNo = event.windowNo;
    Q_EMIT staffChanged();
    setMessage({});
    if (const auto rated = m_store->ratedAt(event.projectNo, event.serviceNumber)) {
        m_ratedTime = rated->toString(QStringLiteral("yyyy-MM-dd HH:mm"));
        Q_EMIT eventChanged();
        qCInfo(lcPad) << "rate-now for a service already rated";
        setState(State::AlreadyRated);
        return;
    }
    Q_EMIT eventChanged();
    setState(State::Rate);
}

void PadSession::rate(int level)
{
    if (m_state != State::Rate || !isValidSatisfaction(level))
        return;
    m_satisfaction = level;
    Q_EMIT eventChanged();
    if (isBadRating(level)) {
        m_reasons.setIndicators(m_indicators.forLevel(level, false)); // no comment step on the pad
        setMessage({});
        setState(State::Reasons);
        return;
    }
    commit();
}

void PadSession::toggleReason(const QString &code)
{
    if (m_state != State::Reasons)
        return;
    m_reasons.toggle(code);
    setMessage({});
    userActivity();
}

void PadSession::submit()
{
    if (m_state != State::Reasons)
        return;
    commit();
}

void PadSession::back()
{
    if (m_state != State::Reasons)
        return;
    m_satisfaction = 0;
    m_reasons.clear();
    Q_EMIT eventChanged();
    setMessage({});
    setState(State::Rate);
}

void PadSession::commit()
{
    // The case fields from the cached case, the staff and window from the event, always pf=4
    // (政务大厅平板电脑 / 评价器), whatever the terminal default says.
    Evaluation e = ratingcommit::fromCase(ratingcommit::storedCase(*m_store, m_event.projectNo, m_event.serviceNumber),
                                          ratingcommit::Assessment::First, m_config);
    e.pf = Channel::pad().pf();
    e.staffNo = m_event.staffNo;
    e.staffName = m_event.staffName;
    e.windowNo = m_event.windowNo;
    e.satisfaction = m_satisfaction;
    e.publicFlag = m_publicRating ? 1 : 2;
    e.evalDetail = m_reasons.selectedCodes();
    e.assessTime = now();
    e.indicatorVersion = m_indicators.version;
    const RuleViolation v = validateEvaluation(e, m_indicators, Questionnaire());
    if (v != RuleViolation::None) {
        setMessage(ruleViolationText(v));
        userActivity();
        return;
    }
    const ratingcommit::Outcome outcome = ratingcommit::commit(*m_store, e, m_availability);
    switch (outcome.kind) {
    case ratingcommit::Outcome::Kind::Committed:
        Q_EMIT committed(e);
        setMessage({});
        setState(State::Thanks);
        break;
    case ratingcommit::Outcome::Kind::AlreadyRated:
        m_ratedTime = outcome.ratedTime;
        Q_EMIT eventChanged();
        setState(State::AlreadyRated);
        break;
    case ratingcommit::Outcome::Kind::Failed: // a full disk has switched the kiosk out of service
        setMessage(tr("系统暂时出现故障，这次评价未能保存。请告知窗口工作人员，或拨打 %1。").arg(m_config.hotline));
        setState(State::Error);
        break;
    }
}

void PadSession::setPublicRating(bool isPublic)
{
    if (m_state != State::Rate && m_state != State::Reasons)
        return;
    userActivity();
    if (m_publicRating == isPublic)
        return;
    m_publicRating = isPublic;
    Q_EMIT eventChanged();
}

void PadSession::forgetEvent()
{
    m_event = hcp::sync::RateNowEvent();
    m_satisfaction = 0;
    m_publicRating = true;
    m_reasons.clear();
    m_ratedTime.clear();
    m_taskName.clear();
    Q_EMIT eventChanged();
}

void PadSession::finish()
{
    forgetEvent();
    setMessage({});
    setState(State::Idle);
}

} // namespace hcp::kiosk

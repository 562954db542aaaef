// SPDX-License-Identifier: Apache-2.0
#include "followupsession.h"

#include "questionnaire.h"
#include "ratingcommit.h"
#include "satisfaction.h"
#include "store.h"

#include "hubclient.h"

#include <QJsonArray>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcFollowUp, "hcp.kiosk.followup")

namespace hcp::kiosk {

FollowUpSession::FollowUpSession(Store *store, QObject *parent)
    : QObject(parent), m_store(store)
{
}

QString FollowUpSession::statusText() const
{
    if (m_status == QLatin1String("pending"))
        return tr("已受理，待整改");
    if (m_status == QLatin1String("in_progress"))
        return tr("整改中");
    if (m_status == QLatin1String("done"))
        return tr("已整改并答复");
    return {};
}

void FollowUpSession::setState(State s)
{
    if (s == m_state)
        return;
    m_state = s;
    Q_EMIT stateChanged();
}

void FollowUpSession::reset()
{
    ++m_request;
    m_projectNo.clear();
    m_serviceNumber = 0;
    m_taskName.clear();
    m_status.clear();
    m_reply.clear();
    m_replyDept.clear();
    m_replyTime.clear();
    m_ratedTime.clear();
    m_message.clear();
    m_satisfaction = 0;
    m_publicRating = true;
    m_reasons.clear();
    Q_EMIT changed();
    setState(State::Idle);
}

void FollowUpSession::setPublicRating(bool isPublic)
{
    if (!canRate() && m_state != State::Reasons)
        return;
    Q_EMIT activity();
    if (m_publicRating == isPublic)
        return;
    m_publicRating = isPublic;
    Q_EMIT changed();
}

void FollowUpSession::begin(const QString &projectNo, int serviceNumber)
{
    reset();
    m_projectNo = projectNo;
    m_serviceNumber = serviceNumber;
    for (const Case &c : m_store->casesByProjectNo(projectNo)) {
        if (serviceNumber == 0 || c.serviceNumber == serviceNumber) {
            m_taskName = c.taskName;
            break;
        }
    }
    Q_EMIT changed();
    if (!m_fetcher) {
        m_message = tr("本机未连接政务服务平台，暂时无法查询整改情况。请到服务窗口咨询，或拨打 %1。").arg(m_config.hotline);
        Q_EMIT changed();
        setState(State::Offline);
        return;
    }
    setState(State::Loading);
    const quint64 id = ++m_request;
    QPointer<FollowUpSession> self(this);
    m_fetcher(projectNo, [this, self, id](bool reached, const QJsonArray &items) {
        if (!self || id != m_request || m_state != State::Loading)
            return; // the visit ended or moved on
        if (!reached) {
            m_message = tr("网络暂时不通，未能查询到整改情况。请稍后再试，或拨打 %1。").arg(m_config.hotline);
            Q_EMIT changed();
            setState(State::Offline);
            return;
        }
        onItems(items);
    });
}

void FollowUpSession::setHubClient(hcp::sync::HubClient *client)
{
    if (!client) {
        m_fetcher = nullptr;
        return;
    }
    QPointer<hcp::sync::HubClient> hub(client);
    m_fetcher = [hub](const QString &projectNo, std::function<void(bool, const QJsonArray &)> done) {
        if (!hub || !hub->credentials().isValid()) {
            done(false, {});
            return;
        }
        hub->fetchRectifications(projectNo, [done](const hcp::sync::HubReply &r) {
            if (!r.isHttp(200))
                qCInfo(lcFollowUp) << "rectification lookup failed:" << r.status << r.errorString;
            done(r.isHttp(200), r.json().value(QLatin1String("items")).toArray());
        });
    };
}

void FollowUpSession::onItems(const QJsonArray &items)
{
    QJsonObject item;
    for (const QJsonValue &v : items) {
        const QJsonObject o = v.toObject();
        if (m_serviceNumber == 0 || o.value(QLatin1String("serviceNumber")).toInt() == m_serviceNumber) {
            item = o;
            break;
        }
    }
    if (item.isEmpty()) {
        m_message = tr("该办件暂无整改反馈。差评提交后，有关部门会在规定时限内核实整改并答复，请稍后再查询。");
        Q_EMIT changed();
        setState(State::NoRecord);
        return;
    }
    if (m_serviceNumber == 0)
        m_serviceNumber = item.value(QLatin1String("serviceNumber")).toInt();
    m_status = item.value(QLatin1String("status")).toString();
    m_reply = item.value(QLatin1String("reply")).toString();
    m_replyDept = item.value(QLatin1String("replyDept")).toString();
    const QDateTime replied = QDateTime::fromString(item.value(QLatin1String("replyTime")).toString(), Qt::ISODate);
    m_replyTime = replied.isValid() ? replied.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm")) : QString();
    if (const auto local = m_store->ratedAt(m_projectNo, m_serviceNumber, 2)) {
        m_ratedTime = local->toString(QStringLiteral("yyyy-MM-dd HH:mm"));
    } else if (item.value(QLatin1String("followUpRated")).toBool()) {
        m_ratedTime = item.value(QLatin1String("followUpAssessTime")).toString().left(16);
    }
    if (m_status != QLatin1String("done"))
        m_message = tr("整改完成并答复后，即可在这里对整改结果进行评价。");
    Q_EMIT changed();
    setState(m_ratedTime.isEmpty() ? State::Status : State::AlreadyRated);
}

void FollowUpSession::rate(int level)
{
    if (!canRate() || !isValidSatisfaction(level))
        return;
    m_satisfaction = level;
    m_message.clear();
    Q_EMIT activity();
    Q_EMIT changed();
    if (isBadRating(level)) {
        m_reasons.setIndicators(m_indicators.forLevel(level, false)); // no comment step in the 追评
        setState(State::Reasons);
        return;
    }
    commit();
}

void FollowUpSession::toggleReason(const QString &code)
{
    if (m_state != State::Reasons)
        return;
    m_reasons.toggle(code);
    m_message.clear();
    Q_EMIT changed();
    Q_EMIT activity();
}

void FollowUpSession::submit()
{
    if (m_state == State::Reasons)
        commit();
}

void FollowUpSession::back()
{
    if (m_state != State::Reasons)
        return;
    m_satisfaction = 0;
    m_reasons.clear();
    m_message.clear();
    Q_EMIT changed();
    Q_EMIT activity();
    setState(State::Status);
}

void FollowUpSession::commit()
{
    Evaluation e = ratingcommit::fromCase(ratingcommit::storedCase(*m_store, m_projectNo, m_serviceNumber),
                                          ratingcommit::Assessment::FollowUp, m_config);
    e.satisfaction = m_satisfaction;
    e.publicFlag = m_publicRating ? 1 : 2;
    e.evalDetail = m_reasons.selectedCodes();
    e.assessTime = now();
    e.indicatorVersion = m_indicators.version;
    const RuleViolation v = validateEvaluation(e, m_indicators, Questionnaire());
    if (v != RuleViolation::None) {
        m_message = ruleViolationText(v);
        Q_EMIT changed();
        return;
    }
    const ratingcommit::Outcome outcome = ratingcommit::commit(*m_store, e, m_availability);
    switch (outcome.kind) {
    case ratingcommit::Outcome::Kind::Committed:
        Q_EMIT committed(e);
        setState(State::Thanks);
        break;
    case ratingcommit::Outcome::Kind::AlreadyRated:
        m_ratedTime = outcome.ratedTime;
        Q_EMIT changed();
        setState(State::AlreadyRated);
        break;
    case ratingcommit::Outcome::Kind::Failed: // a full disk has switched the kiosk out of service
        m_message = tr("系统暂时出现故障，这次评价未能保存。请到服务窗口评价，或拨打 %1。").arg(m_config.hotline);
        Q_EMIT changed();
        setState(State::Error);
        break;
    }
}

} // namespace hcp::kiosk

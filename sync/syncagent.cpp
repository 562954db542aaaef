// SPDX-License-Identifier: Apache-2.0
#include "syncagent.h"

#include "casecache.h"
#include "configenvelope.h"
#include "outboxsender.h"

#include <QDateTime>
#include <QJsonArray>
#include <QLoggingCategory>
#include <QPointer>

Q_LOGGING_CATEGORY(lcSyncAgent, "hcp.sync.agent")

namespace hcp::sync {

SyncAgent::SyncAgent(HubClient *client, OutboxSender *sender, CaseCache *cache, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_sender(sender)
    , m_cache(cache)
{
    m_options.heartbeatIntervalS = client->credentials().heartbeatIntervalS;
    connect(&m_heartbeatTimer, &QTimer::timeout, this, &SyncAgent::heartbeatNow);
    connect(&m_feedTimer, &QTimer::timeout, this, &SyncAgent::pullFeedNow);
    connect(&m_configTimer, &QTimer::timeout, this, &SyncAgent::pullConfigNow);
    connect(&m_commandTimer, &QTimer::timeout, this, &SyncAgent::pollCommandsNow);
}

void SyncAgent::start()
{
    m_heartbeatTimer.start(qMax(1, m_options.heartbeatIntervalS) * 1000);
    m_feedTimer.start(qMax(1, m_options.feedIntervalS) * 1000);
    m_configTimer.start(qMax(1, m_options.configIntervalS) * 1000);
    if (m_options.commandPollIntervalS > 0)
        m_commandTimer.start(m_options.commandPollIntervalS * 1000);
    heartbeatNow();
    pullFeedNow();
    pullConfigNow();
}

void SyncAgent::stop()
{
    m_heartbeatTimer.stop();
    m_feedTimer.stop();
    m_configTimer.stop();
    m_commandTimer.stop();
}

void SyncAgent::acknowledgeCommand(qint64 id)
{
    if (!m_toAcknowledge.contains(id))
        m_toAcknowledge.append(id);
}

void SyncAgent::heartbeatNow()
{
    if (m_heartbeatInFlight || !m_client->credentials().isValid())
        return;
    HeartbeatInfo info = m_provider ? m_provider() : HeartbeatInfo();
    if (m_sender) {
        const Outbox::Counts c = m_sender->counts();
        info.queueDepth = c.queued;
        info.oldestUnsentAgeS = c.oldestUnsentAgeS;
        info.quarantined = c.quarantined;
    }
    info.kioskTimeMs = QDateTime::currentMSecsSinceEpoch();
    info.config = QJsonObject{{QStringLiteral("version"), QString::number(m_configVersion)},
                              {QStringLiteral("rejected"), m_configRejection}};
    info.ackedCommands = m_toAcknowledge;
    const QList<qint64> reported = m_toAcknowledge;
    m_heartbeatInFlight = true;
    QPointer<SyncAgent> self(this);
    m_client->sendHeartbeat(info, [this, self, reported](const HubReply &r) {
        if (!self)
            return;
        m_heartbeatInFlight = false;
        if (!r.isHttp(200)) {
            m_lastError = r.status == 0 ? r.errorString : QStringLiteral("HTTP %1").arg(r.status);
            emit heartbeatFailed(m_lastError);
            return;
        }
        m_lastContactMs = QDateTime::currentMSecsSinceEpoch();
        m_lastError.clear();
        for (qint64 id : reported)
            m_toAcknowledge.removeAll(id);
        const QJsonObject answer = r.json();
        deliverCommands(answer.value(QLatin1String("commands")).toArray());
        const bool flagged = answer.value(QLatin1String("driftFlagged")).toBool();
        if (flagged)
            qCWarning(lcSyncAgent) << "kiosk clock drifts" << answer.value(QLatin1String("driftS")).toDouble() << "s";
        emit heartbeatDone(answer.value(QLatin1String("driftS")).toDouble(), flagged);
    });
}

void SyncAgent::pullFeedNow()
{
    if (m_cache && m_client->credentials().isValid())
        m_cache->pullFeed(m_client);
}

void SyncAgent::pullConfigNow()
{
    if (m_configInFlight || !m_client->credentials().isValid())
        return;
    m_configInFlight = true;
    QPointer<SyncAgent> self(this);
    m_client->pullConfig(m_configEtag.isEmpty() ? QByteArray() : m_configEtag, [this, self](const HubReply &r) {
        if (!self)
            return;
        m_configInFlight = false;
        if (!r.isHttp(200) || r.etag.isEmpty() || r.etag == m_configEtag)
            return;
        ConfigEnvelope envelope;
        QString reason;
        if (!ConfigEnvelope::verify(r.body, m_client->credentials().hubPublicKey, m_configVersion, &envelope, &reason)) {
            configRejected(reason, r.etag);
            return;
        }
        if (envelope.version == m_configVersion) {
            m_configEtag = r.etag; // the same version again (e.g. re-served): nothing to apply
            return;
        }
        emit configVerified(envelope.document, envelope.version, r.etag, r.body);
    });
}

void SyncAgent::configApplied(qint64 version, const QByteArray &etag)
{
    qCInfo(lcSyncAgent) << "configuration version" << version << "active";
    m_configEtag = etag;
    m_configVersion = version;
    m_configRejection.clear();
    emit configStateChanged();
}

void SyncAgent::configRejected(const QString &reason, const QByteArray &etag)
{
    qCWarning(lcSyncAgent).noquote() << "configuration refused:" << reason;
    // Remember the etag so the same refused document is not fetched again every period; the
    // hub's next change has a new etag.
    m_configEtag = etag;
    m_configRejection = reason;
    emit configStateChanged();
}

void SyncAgent::deliverCommands(const QJsonArray &commands)
{
    for (const QJsonValue &v : commands) {
        const QJsonObject command = v.toObject();
        const qint64 id = command.value(QLatin1String("id")).toInteger();
        if (m_delivered.contains(id))
            continue; // resent because our ack is still on its way
        m_delivered.insert(id);
        const QString type = command.value(QLatin1String("type")).toString();
        qCInfo(lcSyncAgent) << "hub command" << id << type;
        if (type == QLatin1String("sync_now") && m_sender)
            m_sender->kick();
        else if (type == QLatin1String("pull_config"))
            pullConfigNow();
        emit commandReceived(id, type, command.value(QLatin1String("args")).toObject());
    }
}

void SyncAgent::pollCommandsNow()
{
    if (m_pollInFlight || !m_client->credentials().isValid())
        return;
    const QList<qint64> reported = m_toAcknowledge;
    m_pollInFlight = true;
    QPointer<SyncAgent> self(this);
    m_client->pollCommands(reported, [this, self, reported](const HubReply &r) {
        if (!self)
            return;
        m_pollInFlight = false;
        if (!r.isHttp(200))
            return; // offline: the next poll or heartbeat retries
        for (qint64 id : reported)
            m_toAcknowledge.removeAll(id);
        deliverCommands(r.json().value(QLatin1String("commands")).toArray());
    });
}

} // namespace hcp::sync


// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "hubclient.h"

#include <QByteArray>
#include <QJsonObject>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <functional>

namespace hcp::sync {

class CaseCache;
class OutboxSender;

// The kiosk's periodic conversations with the hub besides the outbox: heartbeat (with the
// commands in its answer), hall case-feed pull into the CaseCache, configuration pull with ETag.
// Failures are simply retried at the next period. Lives on the thread of the HubClient.
//
// Configuration: every document is a hub-signed envelope (ConfigEnvelope, PROTOCOL §7). The agent
// verifies signature and version against the credentials' hubPublicKey and the active version;
// a refused one never reaches the kiosk and is reported in the heartbeat as
// "config":{"version":<active>,"rejected":<reason>}. A verified one is handed over by
// configVerified(); the kiosk validates and applies it and answers with configApplied() or
// configRejected().
class SyncAgent : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        int heartbeatIntervalS = 900; // the hub's heartbeatIntervalS (enrollment) is the default
        int feedIntervalS = 300;
        int configIntervalS = 900;
        // Window pads: POST /v1/commands/poll this often so "rate_now" arrives within seconds
        // (PROTOCOL §13); 0 = commands only with the heartbeat.
        int commandPollIntervalS = 0;
    };

    // sender and cache may be null (no queue fields / no feed pull).
    SyncAgent(HubClient *client, OutboxSender *sender, CaseCache *cache, QObject *parent = nullptr);

    void setOptions(const Options &options) { m_options = options; }
    // Supplies version, device status and disk; queue fields and kiosk time are filled in here.
    void setHeartbeatProvider(std::function<HeartbeatInfo()> provider) { m_provider = std::move(provider); }
    // The ETag of the configuration the kiosk has applied (persisted by the kiosk).
    void setConfigEtag(const QByteArray &etag) { m_configEtag = etag; }
    QByteArray configEtag() const { return m_configEtag; }
    // The version of the configuration the kiosk runs (persisted by the kiosk; 0 = none).
    void setActiveConfigVersion(qint64 version) { m_configVersion = version; }
    qint64 activeConfigVersion() const { return m_configVersion; }
    // Reason the last received document was refused; empty once a newer one applied.
    QString configRejection() const { return m_configRejection; }
    // The kiosk's answer to configVerified().
    void configApplied(qint64 version, const QByteArray &etag);
    void configRejected(const QString &reason, const QByteArray &etag);

    // Last HTTP exchange of a heartbeat: when it succeeded, and the last error (empty after success).
    qint64 lastContactMs() const { return m_lastContactMs; }
    QString lastError() const { return m_lastError; }

    void start(); // first heartbeat, feed and config pull right away
    void stop();

public slots:
    void heartbeatNow();
    void pullFeedNow();
    void pullConfigNow();
    void pollCommandsNow();
    // The kiosk executed command id; the next heartbeat reports it and the hub stops resending.
    void acknowledgeCommand(qint64 id);

signals:
    // Emitted once per command id. "sync_now" and "pull_config" are handled here as well
    // (and still reported, so diagnostics can log them); the kiosk acknowledges every command.
    void commandReceived(qint64 id, const QString &type, const QJsonObject &args);
    // A new configuration document whose hub signature verified and whose version is not older
    // than the active one; the kiosk validates, applies and then calls configApplied() or
    // configRejected(). `envelope` is the signed body as received: the kiosk keeps it to check the
    // stored configuration again at its next start.
    void configVerified(const QJsonObject &document, qint64 version, const QByteArray &etag, const QByteArray &envelope);
    // Active version or rejection reason changed.
    void configStateChanged();
    void heartbeatDone(double driftS, bool driftFlagged);
    void heartbeatFailed(const QString &error);

private:
    // Emits each command once (ids already delivered are skipped) after handling the ones the
    // agent runs itself.
    void deliverCommands(const QJsonArray &commands);

    HubClient *m_client;
    OutboxSender *m_sender;
    CaseCache *m_cache;
    Options m_options;
    std::function<HeartbeatInfo()> m_provider;
    QByteArray m_configEtag;
    qint64 m_configVersion = 0;
    QString m_configRejection;
    qint64 m_lastContactMs = 0;
    QString m_lastError;
    QTimer m_heartbeatTimer;
    QTimer m_feedTimer;
    QTimer m_configTimer;
    QTimer m_commandTimer;
    QSet<qint64> m_delivered;        // command ids already emitted
    QList<qint64> m_toAcknowledge;   // executed, not yet reported
    bool m_heartbeatInFlight = false;
    bool m_configInFlight = false;
    bool m_pollInFlight = false;
};

} // namespace hcp::sync

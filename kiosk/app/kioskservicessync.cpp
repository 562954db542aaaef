// SPDX-License-Identifier: Apache-2.0
// KioskServices, the hub side: enrollment, the pinned hub CA, the sync chain (hub client, outbox
// sender, personal-data eraser, the hall's case feed, the sync agent), the hub's commands and its
// signed configuration. kioskservices.cpp holds the local side.
#include "kioskservices.h"
#include "kioskservicesinternal.h"

#include "agentdesk.h"
#include "devices.h"
#include "diagnostics.h"
#include "hallfigures.h"
#include "updatecontroller.h"
#include "voice.h"

#include "auditlog.h"
#include "casecache.h"
#include "casedirectory.h"
#include "configapplier.h"
#include "evaluationsession.h"
#include "followupsession.h"
#include "hubcasesource.h"
#include "hubclient.h"
#include "ledger.h"
#include "outboxsender.h"
#include "padsession.h"
#include "personaldataeraser.h"
#include "syncagent.h"
#include "syncstatus.h"
#include "hardware/devicestatusmodel.h"

#include <QCoreApplication>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QHostInfo>
#include <QRegularExpression>
#include <QStorageInfo>

namespace hcp::kiosk {

// A county CA placed beside the device key as hub-ca.pem: an https hub must chain to it, not to
// any CA the system trusts (deploy/nginx).
bool KioskServices::pinHubCa(hcp::sync::HubClient &client, QString *error) const
{
    QFile ca(QFileInfo(m_options.deviceKeyPath).absolutePath() + QStringLiteral("/hub-ca.pem"));
    if (!ca.open(QIODevice::ReadOnly) || client.setTrustedCaPem(ca.readAll()))
        return true;
    *error = QStringLiteral("%1 holds no certificate").arg(ca.fileName());
    return false;
}

bool KioskServices::enroll(const QUrl &hubUrl, const QString &token, QString *error)
{
    hcp::sync::HubClient client;
    client.setHubUrl(hubUrl);
    if (!pinHubCa(client, error))
        return false;
    if (m_identity)
        client.setDeviceKey(m_identity->key()); // the hub registers the public key
    // deviceId: 1–64 of [A-Za-z0-9._-] (PROTOCOL.md §3).
    QString host = QHostInfo::localHostName().left(24);
    host.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9._-]")), QStringLiteral("-"));
    const QString deviceId = QStringLiteral("KIOSK-%1-%2").arg(m_config.hallCode, host);
    QEventLoop loop;
    bool ok = false;
    client.enroll(token, deviceId, m_config.hallCode, m_config.channel().deviceClass(),
                  QCoreApplication::applicationVersion(),
                  [&](bool success, const hcp::sync::DeviceCredentials &creds, const QString &err) {
                      ok = success && creds.save(credentialsPath(), error);
                      if (success)
                          m_credentials = creds;
                      else
                          *error = err;
                      loop.quit();
                  });
    loop.exec();
    if (ok)
        QFile::setPermissions(credentialsPath(), QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    return ok;
}

// Store-and-forward: the outbox sender, online lookup and the status strip. Without credentials
// the kiosk runs stand-alone and everything stays queued locally.
bool KioskServices::startSync(QString *error)
{
    if (!m_credentials.isValid())
        return true;
    m_hub = std::make_unique<hcp::sync::HubClient>();
    m_hub->setCredentials(m_credentials);
    if (!pinHubCa(*m_hub, error))
        return false;
    // Card and agent lookups: the hub makes the ID number's keyed hash (PROTOCOL §5a); offline
    // there is none, so a card finds nothing and the citizen types the 办件编号 or scans the QR.
    m_session->setIdHasher([client = m_hub.get()](const QString &idNumber, std::function<void(const QString &)> done) {
        client->hashIdNumber(idNumber, [done = std::move(done)](const QString &hash, int) { done(hash); });
    });
    m_sender = std::make_unique<hcp::sync::OutboxSender>(m_hub.get());
    if (!m_sender->open(m_store.path(), error))
        return false;
    // Enrolled with this device key: sign requests with it and ship the ledger. Credentials
    // from an enrollment without a key (older provisioning) keep the shared secret.
    if (m_identity && m_credentials.deviceKeyFingerprint == m_identity->fingerprint()) {
        m_hub->setDeviceKey(m_identity->key());
        m_sender->setLedgerSigner(m_ledger->builder());
        m_sender->setAttestationProvider([this] { return tpmAttestation(); });
        // Printed receipts witness their evaluation (seq + device signature, PROTOCOL §4c).
        m_session->setReceiptSigner([deviceId = m_credentials.deviceId, key = m_identity->key()](const Evaluation &e) {
            return hcp::trust::ReceiptWitness::sign(key, deviceId, quint64(e.deviceSeq), e.uuid);
        });
    } else {
        qCWarning(lcServices) << "credentials are not bound to the device key: requests use the shared secret,"
                                 " the ledger is not shipped";
    }
    hcp::sync::OutboxSender::Options opt;
    opt.backoffBaseMs = 2000;
    opt.backoffCapMs = 10 * 60 * 1000;
    opt.idlePollMs = m_options.senderIdlePollMs;
    m_sender->setOptions(opt);
    m_syncStatus->bind(m_sender.get(), m_hub.get());
    m_hubSource = std::make_unique<HubCaseSource>(m_hub.get());
    m_directory->setOnlineSource(m_hubSource.get());
    // Every commit, of any session, is sent at once.
    QObject::connect(m_session.get(), &EvaluationSession::committed, m_sender.get(), [this] { m_sender->kick(); });
    QObject::connect(m_pad.get(), &PadSession::committed, m_sender.get(), [this] { m_sender->kick(); });
    QObject::connect(m_followUp.get(), &FollowUpSession::committed, m_sender.get(), [this] { m_sender->kick(); });
    m_followUp->setHubClient(m_hub.get());
    // The idle screen's month figures (评价结果公开), when the configuration asks for them.
    m_hallFigures->setFetcher([client = m_hub.get()](const QString &hall, std::function<void(bool, const QJsonObject &)> done) {
        client->fetchPublicFigures(hall, [done = std::move(done)](const hcp::sync::HubReply &r) { done(r.isHttp(200), r.json()); });
    });
    m_hallFigures->setEnabled(m_config.idleShowHallFigures, m_config.hallCode);
    // A receipt scanned here (of any kiosk) tells the hub that its evaluation exists.
    QObject::connect(m_session.get(), &EvaluationSession::receiptWitnessScanned, m_hub.get(),
                     [this](const hcp::trust::ReceiptWitness &w) {
                         m_hub->reportWitness(w, [](const hcp::sync::HubReply &r) {
                             qCInfo(lcServices).noquote() << "receipt witness reported:" << r.status
                                                          << r.json().value(QLatin1String("status")).toString();
                         });
                     });
    m_sender->start();
    // Personal fields leave the kiosk once the hub has acknowledged the record (and at start,
    // for acks that arrived before a restart).
    m_eraser = std::make_unique<PersonalDataEraser>(&m_store);
    QObject::connect(m_sender.get(), &hcp::sync::OutboxSender::batchAcked, m_eraser.get(), [this] { m_eraser->scheduleErase(); });
    m_eraser->scheduleErase();

    // The hall's case feed (into the one case cache, the Store's file), heartbeat,
    // configuration and remote commands. feed-cache.sqlite held the feed before schema v6.
    for (const char *old : {"feed-cache.sqlite", "feed-cache.sqlite-wal", "feed-cache.sqlite-shm"})
        QFile::remove(QDir(m_options.dataDir).filePath(QLatin1String(old)));
    m_feedCache = std::make_unique<hcp::sync::CaseCache>();
    if (!m_feedCache->open(m_store.path(), error))
        return false;
    startAgent();
    return true;
}

void KioskServices::startAgent()
{
    m_agent = std::make_unique<hcp::sync::SyncAgent>(m_hub.get(), m_sender.get(), m_feedCache.get());
    hcp::sync::SyncAgent::Options agentOpt;
    agentOpt.heartbeatIntervalS = m_credentials.heartbeatIntervalS;
    agentOpt.commandPollIntervalS = m_pad->enabled() ? 2 : 0; // "rate now" within seconds
    m_agent->setOptions(agentOpt);
    // A stored configuration refused at start (loadSignedConfig) is fetched and applied again.
    m_agent->setConfigEtag(m_storedConfigRefused ? QByteArray() : m_configApplier->activeEtag());
    m_agent->setActiveConfigVersion(m_storedConfigRefused ? 0 : m_configApplier->activeVersion());
    m_agent->setHeartbeatProvider([this] {
        hcp::sync::HeartbeatInfo h;
        h.version = QCoreApplication::applicationVersion();
        const QStorageInfo disk(QFileInfo(m_store.path()).absolutePath());
        h.diskFreeBytes = disk.bytesAvailable();
        h.diskTotalBytes = disk.bytesTotal();
        h.diskLow = !m_session->acceptingSessions();
        if (m_devices) {
            const auto *m = m_devices->statusModel();
            for (int row = 0; row < m->rowCount(); ++row) {
                const QModelIndex i = m->index(row);
                h.deviceStatus.insert(i.data(hcp::hardware::DeviceStatusModel::DeviceClassRole).toString(),
                                      i.data(hcp::hardware::DeviceStatusModel::OkRole).toBool()
                                          ? QStringLiteral("ok") : i.data(hcp::hardware::DeviceStatusModel::StatusTextRole).toString());
            }
        }
        h.deviceStatus.insert(QStringLiteral("tpm"), m_tpmStatus);
        if (m_ledger && !m_hub->deviceKey().isNull()) {
            QSqlDatabase db = m_store.database();
            if (const auto head = m_ledger->signedHead(db))
                h.ledgerHead = head->toJson();
            h.tpm = tpmAttestation();
            if (m_audit)
                m_sender->flushAudit(); // audit records travel at heartbeat pace, through the sender
        }
        h.update = m_updates ? m_updates->heartbeatStatus()
                             : QJsonObject{{QStringLiteral("state"), QStringLiteral("idle")},
                                           {QStringLiteral("version"), QCoreApplication::applicationVersion()},
                                           {QStringLiteral("slot"), QString()},
                                           {QStringLiteral("error"), QStringLiteral("updates not configured")}};
        return h;
    });
    QObject::connect(m_agent.get(), &hcp::sync::SyncAgent::configVerified, m_session.get(),
                     [this](const QJsonObject &doc, qint64 version, const QByteArray &etag, const QByteArray &envelope) {
                         applyHubConfig(doc, version, etag, envelope);
                     });
    // Refusals by signature or version happen in the agent; they are maintenance events too.
    QObject::connect(m_agent.get(), &hcp::sync::SyncAgent::configStateChanged, m_session.get(), [this] {
        if (!m_agent->configRejection().isEmpty())
            auditAction(QStringLiteral("config_rejected"), {{QStringLiteral("reason"), m_agent->configRejection()},
                                                            {QStringLiteral("activeVersion"), QString::number(m_agent->activeConfigVersion())}});
    });
    routeHubCommands();
    QObject::connect(m_agent.get(), &hcp::sync::SyncAgent::commandReceived, m_session.get(),
                     [this](qint64 id, const QString &type, const QJsonObject &args) { m_commands.dispatch(id, type, args); });
    // Healthy = READY (main.cpp) + the first successful exchange with the hub.
    if (m_updates)
        QObject::connect(m_agent.get(), &hcp::sync::SyncAgent::heartbeatDone, m_updates.get(), [this] { m_updates->syncSucceeded(); });
    m_agent->start();
}

// The hub's commands (PROTOCOL §8, §13). sync_now and pull_config are acted on by the agent
// itself; restart exits for systemd (Restart=always) once the ack is on its way.
void KioskServices::routeHubCommands()
{
    using Outcome = HubCommandRouter::Outcome;
    const auto resync = [this](const QJsonObject &) {
        m_agent->pullFeedNow();
        return Outcome::done();
    };
    m_commands.add(QStringLiteral("resync"), resync);
    m_commands.add(QStringLiteral("re-sync"), resync);
    const auto byAgent = [](const QJsonObject &) { return Outcome::done(); };
    m_commands.add(QStringLiteral("sync_now"), byAgent);
    m_commands.add(QStringLiteral("pull_config"), byAgent);
    m_commands.add(QStringLiteral("update"), [this](const QJsonObject &args) {
        QString err = QStringLiteral("updates not configured on this kiosk");
        const bool started = m_updates && m_updates->handleCommand(args, &err);
        auditAction(QStringLiteral("update_command"), {{QStringLiteral("version"), args.value(QLatin1String("version"))},
                                                       {QStringLiteral("started"), started},
                                                       {QStringLiteral("error"), started ? QString() : err}});
        return started ? Outcome::done() : Outcome::refused(err);
    });
    m_commands.add(QStringLiteral("rate_now"), [this](const QJsonObject &args) {
        QString reason;
        const auto event = hcp::sync::RateNowEvent::fromJson(args, &reason);
        if (!event.isValid())
            return Outcome::refused(reason);
        m_pad->rateNow(event);
        return Outcome::done();
    });
    m_commands.add(QStringLiteral("restart"), [this](const QJsonObject &) {
        m_restart(2000); // systemd restarts us
        return Outcome::done();
    });
    m_commands.setAcknowledge([this](qint64 id) { m_agent->acknowledgeCommand(id); });
    m_commands.setRefusalSink([this](qint64 id, const QString &type, const QString &reason) {
        auditAction(QStringLiteral("command_refused"), {{QStringLiteral("id"), QString::number(id)},
                                                        {QStringLiteral("type"), type},
                                                        {QStringLiteral("reason"), reason}});
    });
}

// A hub-signed configuration document whose signature and version the agent verified:
// {"kiosk":{…},"indicators":{…},"questionnaires":{…}}. ConfigApplier validates every part and
// stores all of them in one transaction, or nothing; the reason of a refusal goes back to the
// hub in the heartbeat. Stored documents take effect for the next visit; the envelope is kept for
// the check at the next start.
void KioskServices::applyHubConfig(const QJsonObject &doc, qint64 version, const QByteArray &etag, const QByteArray &envelope)
{
    const ConfigApplier::Result r = m_configApplier->apply(doc, version, etag, m_config, envelope);
    if (!r.ok) {
        m_agent->configRejected(r.reason, etag);
        return;
    }
    if (r.indicators) {
        m_session->setIndicatorSet(*r.indicators);
        m_pad->setIndicatorSet(*r.indicators);
        m_followUp->setIndicatorSet(*r.indicators);
    }
    if (r.questionnaires)
        m_session->setQuestionnaires(*r.questionnaires);
    if (r.holidays) { // the rating window uses the published years from the next visit on
        for (const HolidayNotice &n : *r.holidays)
            m_calendar.loadNotice(n);
        m_session->setCalendar(m_calendar);
    }
    if (r.kiosk) {
        m_config = *r.kiosk;
        m_session->setConfig(m_config);
        m_pad->setConfig(m_config);
        m_followUp->setConfig(m_config);
        m_pad->setEnabled(m_config.channel().isPad());
        m_hallFigures->setEnabled(m_config.idleShowHallFigures, m_config.hallCode);
        if (m_voice)
            m_voice->setVolumePercent(m_config.voiceVolume);
        if (m_agentDesk)
            m_agentDesk->setAgents(m_config.agents, m_options.dataDir);
        // A new maintenance PIN hash takes effect at once; failures and lockout survive.
        if (m_diagnostics && !m_config.maintenancePinHash.isEmpty())
            m_diagnostics->setPinHash(m_config.maintenancePinHash, QDir(m_options.dataDir).filePath(QStringLiteral("pin-state.json")));
    }
    m_agent->configApplied(version, etag);
    auditAction(QStringLiteral("config_applied"), {{QStringLiteral("version"), QString::number(version)}});
}

} // namespace hcp::kiosk

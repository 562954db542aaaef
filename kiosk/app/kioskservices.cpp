// SPDX-License-Identifier: Apache-2.0
#include "kioskservices.h"

#include "agentdesk.h"
#include "devices.h"
#include "diagnostics.h"
#include "updatecontroller.h"
#include "voice.h"

#include "appcontroller.h"
#include "auditlog.h"
#include "casecache.h"
#include "casedirectory.h"
#include "configapplier.h"
#include "demodata.h"
#include "evaluationsession.h"
#include "followupsession.h"
#include "hubcasesource.h"
#include "hubclient.h"
#include "ledger.h"
#include "ledgertable.h"
#include "outboxsender.h"
#include "padsession.h"
#include "padtrigger.h"
#include "personaldataeraser.h"
#include "pinvault.h"
#include "pinyinengine.h"
#include "qrpayload.h"
#include "serviceavailability.h"
#include "syncagent.h"
#include "syncstatus.h"
#include "updateagent.h"
#include "updateconfig.h"
#include "hardware/devicestatusmodel.h"
#ifdef HCP_HAVE_TPM
#include "tpmattestor.h"
#endif

#include <QCoreApplication>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QHostInfo>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QStorageInfo>
#include <QTimer>

Q_LOGGING_CATEGORY(lcServices, "hcp.kiosk.services")

namespace hcp::kiosk {

KioskServices::KioskServices(Options options)
    : m_options(std::move(options))
    , m_tpmStatus(QStringLiteral("none: built without tpm2-tss"))
    , m_syncStatus(std::make_unique<hcp::sync::SyncStatus>())
    , m_restart([](int delayMs) { QTimer::singleShot(delayMs, qApp, [] { QCoreApplication::exit(0); }); })
{
    // The device key lives outside the data directory: a copied or restored database never
    // carries it.
    if (m_options.deviceKeyPath.isEmpty())
        m_options.deviceKeyPath = QDir::cleanPath(m_options.dataDir) + QStringLiteral("-identity/device-key.pem");
}

// The window and the QML singletons go first (main.cpp), then the care services reading the
// session, the sync chain, the sessions and last the store they all use.
KioskServices::~KioskServices()
{
    m_agentDesk.reset();
    m_voice.reset();
    m_agent.reset();
    m_updates.reset();
    m_updateAgent.reset();
    m_eraser.reset();
    m_sender.reset();
}

QString KioskServices::credentialsPath() const
{
    return QDir(m_options.dataDir).filePath(QStringLiteral("credentials.json"));
}

bool KioskServices::init(QString *error)
{
    const QString dataDir = m_options.dataDir;
    if (!QDir().mkpath(dataDir)) {
        *error = QStringLiteral("cannot create data directory %1").arg(dataDir);
        return false;
    }
    if (!m_store.open(QDir(dataDir).filePath(QStringLiteral("kiosk.sqlite")), error))
        return false;
    openIdentity();
    QString calError;
    m_calendar.loadDirectory(QStringLiteral(":/hcp/holidays"), &calError);
    // Newer notices delivered by configuration override the shipped ones.
    m_calendar.loadDirectory(QDir(dataDir).filePath(QStringLiteral("holidays")), &calError);
    // The calendar the hub published (signed configuration, PROTOCOL §19), checked again.
    if (const auto published = HolidayNotice::partFromJson(
            QJsonDocument::fromJson(m_store.config(QStringLiteral("holidays"))).object(), &calError))
        for (const HolidayNotice &n : *published)
            m_calendar.loadNotice(n);
    m_configApplier = std::make_unique<ConfigApplier>(&m_store);
    const QByteArray cfg = m_store.config(QStringLiteral("kiosk"));
    if (!cfg.isEmpty())
        m_config = KioskConfig::fromJson(QJsonDocument::fromJson(cfg).object());
    // An enrolled kiosk holds no ID-hash key: the hub hashes for it (PROTOCOL §5a, startSync).
    QString credError;
    m_credentials = hcp::sync::DeviceCredentials::load(credentialsPath(), &credError);
    IndicatorSet indicators = IndicatorSet::fromJson(QJsonDocument::fromJson(m_store.config(QStringLiteral("indicators"))).object());
    if (!indicators.isValid())
        indicators = IndicatorSet::builtin();
    QuestionnaireCatalog questionnaires = QuestionnaireCatalog::fromJson(
        QJsonDocument::fromJson(m_store.config(QStringLiteral("questionnaires"))).object());
    if (questionnaires.version.isEmpty())
        questionnaires = QuestionnaireCatalog::builtin();
    buildSessions(indicators, questionnaires);
    if (m_options.demo && !installDemo(error))
        return false;
    // Stand-alone (not enrolled): nothing is forwarded, and the footer says nothing of sync.
    m_syncStatus->setSyncEnabled(m_credentials.isValid());
    return true;
}

// The device key: made at first start, mode 0600, outside the data directory. Every evaluation
// gets a signed ledger entry in its own commit; maintenance actions go to the signed audit chain.
void KioskServices::openIdentity()
{
    const QString keyDir = QFileInfo(m_options.deviceKeyPath).absolutePath();
    QDir().mkpath(keyDir);
    QFile::setPermissions(keyDir, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    QString keyError;
    m_identity = hcp::trust::DeviceIdentity::loadOrCreate(m_options.deviceKeyPath, m_options.deviceKeyType, m_options.dataDir, &keyError);
    if (m_identity) {
        m_ledger = std::make_unique<Ledger>(m_identity->key());
        m_ledger->attach(m_store);
        m_audit = std::make_unique<AuditLog>(&m_store, m_ledger->builder());
        openTpm();
    } else {
        // Ratings are still taken and stored, without ledger entries; they are never signed
        // later (an enrolled kiosk reports them as unledgered). Without its key an enrolled
        // kiosk cannot sync (401).
        qCCritical(lcServices).noquote() << "no device key, evaluations are not signed:" << keyError;
    }
}

// TPM (issue 13): the key blob lives next to the device key, outside the data directory.
void KioskServices::openTpm()
{
#ifdef HCP_HAVE_TPM
    const QString tcti = m_options.tpmTcti.isEmpty() ? TpmAttestor::detectTcti() : m_options.tpmTcti;
    if (tcti.isEmpty() || tcti == QLatin1String("none")) {
        m_tpmStatus = tcti.isEmpty() ? QStringLiteral("none: no /dev/tpmrm0") : QStringLiteral("none: disabled (--tpm none)");
        return;
    }
    QString error;
    m_tpm = TpmAttestor::open(tcti, QFileInfo(m_options.deviceKeyPath).absolutePath() + QStringLiteral("/tpm-key.blob"), &error);
    if (!m_tpm) {
        m_tpmStatus = QStringLiteral("error: ") + error;
        qCCritical(lcServices).noquote() << "TPM" << tcti << "unusable, the hub will flag this kiosk:" << error;
        return;
    }
    m_tpmStatus = QStringLiteral("ok");
    // The counter advances in the evaluation's own commit, right after its ledger entry.
    m_store.setCommitHook(m_tpm->counterHook());
#endif
}

QJsonObject KioskServices::tpmAttestation()
{
#ifdef HCP_HAVE_TPM
    QString error;
    QSqlDatabase db = m_store.database();
    if (m_tpm) {
        if (auto a = m_tpm->attest(db, m_credentials.deviceId, &error))
            return *a;
        m_tpmStatus = QStringLiteral("error: ") + error;
        qCWarning(lcServices).noquote() << "TPM attestation failed:" << error;
    }
#endif
    return {};
}

void KioskServices::buildSessions(const IndicatorSet &indicators, const QuestionnaireCatalog &questionnaires)
{
    m_directory = std::make_unique<CaseDirectory>(&m_store);
    m_availability = std::make_unique<ServiceAvailability>();
    m_session = std::make_unique<EvaluationSession>(&m_store, m_directory.get());
    m_session->setAvailability(m_availability.get());
    m_session->setConfig(m_config);
    // Card identifications carry the ID number only encrypted for the hub (certKeyEnc).
    m_session->setHubPublicKey(m_credentials.isValid() ? m_credentials.hubPublicKey : QByteArray());
    m_session->setCalendar(m_calendar);
    m_session->setIndicatorSet(indicators);
    m_session->setQuestionnaires(questionnaires);
    m_app = std::make_unique<AppController>(m_session.get());
    m_app->setDemoMode(m_options.demo);
    m_pinyin = std::make_unique<PinyinEngine>();
    m_pinyin->open();

    // Window rating pad (pf=4): the pad screens instead of the terminal journey, and the
    // loopback "rate now" trigger when a window token is configured (PROTOCOL §13).
    m_pad = std::make_unique<PadSession>(&m_store);
    m_pad->setConfig(m_config);
    m_pad->setIndicatorSet(indicators);
    m_pad->setAvailability(m_availability.get());
    m_pad->setEnabled(m_config.channel().isPad());
    if (m_config.channel().isPad() && !m_config.padTriggerToken.isEmpty() && m_config.padTriggerPort > 0) {
        m_padTrigger = std::make_unique<PadTrigger>();
        m_padTrigger->setToken(m_config.padTriggerToken.toUtf8());
        QObject::connect(m_padTrigger.get(), &PadTrigger::rateNowRequested, m_pad.get(), &PadSession::rateNow);
        m_padTrigger->listen(quint16(m_config.padTriggerPort));
    }

    // 差评 follow-up: a scanned receipt QR shows the hub's 整改反馈 and offers the 追评.
    m_followUp = std::make_unique<FollowUpSession>(&m_store);
    m_followUp->setConfig(m_config);
    m_followUp->setIndicatorSet(indicators);
    m_followUp->setAvailability(m_availability.get());
    m_session->setFollowUpEnabled(true);
    QObject::connect(m_session.get(), &EvaluationSession::followUpRequested, m_followUp.get(), &FollowUpSession::begin);
    QObject::connect(m_session.get(), &EvaluationSession::sessionWiped, m_followUp.get(), &FollowUpSession::reset);
    QObject::connect(m_followUp.get(), &FollowUpSession::activity, m_session.get(), &EvaluationSession::userActivity);
}

bool KioskServices::installDemo(QString *error)
{
    const DemoData demo = builtinDemoData(m_calendar, QDateTime::currentDateTime(), m_config.idHashKey, error);
    if (demo.cases.isEmpty() || !installDemoData(m_store, demo, error, !m_credentials.isValid()))
        return false;
    m_app->setDemoPeople(AppController::builtinDemoPeople());
    QStringList codes;
    // A business system's receipt URL, a bare 办件编号, and a code that is not ours.
    codes << QStringLiteral("https://zwfw.example.gov.cn/bjcx?projectNo=%1").arg(demo.cases.at(5).projectNo)
          << demo.cases.at(10).projectNo
          << QStringLiteral("WIFI:S:hall-guest;T:WPA;P:12345678;;");
    m_app->setDemoCodes(codes);
    return true;
}

// 关怀模式 voice help and 代办员 sign-in: only where screens are shown (not for CLI modes).
void KioskServices::startCare()
{
    m_voice = std::make_unique<Voice>(m_session.get(), m_app.get(),
                                      Voice::Options{m_config.voiceEngine, m_config.voiceVolume, m_config.voiceEnabled});
    m_agentDesk = std::make_unique<AgentDesk>(m_session.get());
    QList<AgentEntry> agents = m_config.agents;
    if (agents.isEmpty() && m_app->demoMode()) // the demo's documented agent: card 赵代办, PIN 135790
        agents.append({QStringLiteral("DEMO-AGENT-1"), QStringLiteral("赵代办"),
                       m_session->hashIdNumber(QStringLiteral("513021195505050036")),
                       hcp::trust::PinVault::hashPin(QStringLiteral("135790"), 20000)});
    m_agentDesk->setAgents(agents, m_options.dataDir);
    m_agentDesk->setIdleTimeoutMs(m_config.elderlyIdleTimeoutSeconds * 1000);
    m_app->setElderlyMode(m_config.elderlyByDefault);
}

// Software updates (A/B slots, deploy/updater): only with a configuration that pins the release
// keys. boot() counts this start during a trial and rolls back a crash loop or an expired trial;
// the unit's ExecStartPre (hcp-update boot) does that before the kiosk runs and sets
// HCP_UPDATE_BOOT_COUNTED so the start is not counted twice.
KioskServices::UpdateStart KioskServices::startUpdates(const QString &path)
{
    if (path.isEmpty())
        return UpdateStart::Off;
    QString error;
    const auto updateConfig = hcp::updater::UpdateConfig::load(path, &error);
    if (!updateConfig) {
        qCWarning(lcServices).noquote() << "software updates off:" << error;
        return UpdateStart::Off;
    }
    m_updateAgent = std::make_unique<hcp::updater::UpdateAgent>(*updateConfig);
    if (!m_updateAgent->open(&error)) {
        qCWarning(lcServices).noquote() << "software updates off: cannot open the A/B layout:" << error;
        m_updateAgent.reset();
        return UpdateStart::Off;
    }
    if (qEnvironmentVariableIsEmpty("HCP_UPDATE_BOOT_COUNTED") && m_updateAgent->boot()) {
        qCWarning(lcServices) << "the update trial failed and was rolled back; restarting into the previous version";
        return UpdateStart::RolledBack; // Restart=always starts `current`, now the previous slot
    }
    m_updates = std::make_unique<UpdateController>(m_updateAgent.get(), m_credentials.hubUrl);
    using hcp::updater::UpdateAgent;
    QObject::connect(m_updateAgent.get(), &UpdateAgent::installed, m_updates.get(), [this](const QString &v) {
        auditAction(QStringLiteral("update_installed"), {{QStringLiteral("version"), v}});
    });
    QObject::connect(m_updateAgent.get(), &UpdateAgent::committed, m_updates.get(), [this](const QString &v) {
        auditAction(QStringLiteral("update_healthy"), {{QStringLiteral("version"), v}});
    });
    QObject::connect(m_updateAgent.get(), &UpdateAgent::rolledBack, m_updates.get(), [this](const QString &v, const QString &why) {
        auditAction(QStringLiteral("update_rolled_back"), {{QStringLiteral("version"), v}, {QStringLiteral("reason"), why}});
    });
    QObject::connect(m_updateAgent.get(), &UpdateAgent::failed, m_updates.get(), [this](const QString &code, const QString &message) {
        auditAction(QStringLiteral("update_failed"), {{QStringLiteral("code"), code}, {QStringLiteral("message"), message}});
    });
    // The active slot changed: exit so systemd (Restart=always) starts `current`. One more
    // heartbeat first carries the command's ack and the new state (a resent command for the
    // installed version is a no-op anyway); the delay bounds the wait for it.
    QObject::connect(m_updates.get(), &UpdateController::restartRequested, m_updates.get(), [this] {
        qCInfo(lcServices) << "software slot switched; restarting";
        if (m_agent)
            m_agent->heartbeatNow();
        m_restart(1500);
    });
    return UpdateStart::Running;
}

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
    m_agent->setConfigEtag(m_configApplier->activeEtag());
    m_agent->setActiveConfigVersion(m_configApplier->activeVersion());
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
                     [this](const QJsonObject &doc, qint64 version, const QByteArray &etag) { applyHubConfig(doc, version, etag); });
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
// hub in the heartbeat. Stored documents take effect for the next visit.
void KioskServices::applyHubConfig(const QJsonObject &doc, qint64 version, const QByteArray &etag)
{
    const ConfigApplier::Result r = m_configApplier->apply(doc, version, etag, m_config);
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

void KioskServices::checkDisk()
{
    const QStorageInfo info(QFileInfo(m_store.path()).absolutePath());
    m_session->setStorageAvailable(!info.isValid() || info.bytesAvailable() >= m_config.minFreeDiskBytes);
}

// Every maintenance action (PIN, test print, manual sync, sanctioned exit, configuration,
// update steps) goes into the signed audit chain; without a device key only into the log.
void KioskServices::auditAction(const QString &action, const QJsonObject &detail)
{
    QString error;
    if (m_audit && m_audit->record(action, detail, &error))
        return;
    qCWarning(lcServices).noquote() << "audit" << action << QJsonDocument(detail).toJson(QJsonDocument::Compact)
                                    << (m_audit ? QStringLiteral("not recorded: ") + error : QStringLiteral("(no audit log: no device key)"));
}

void KioskServices::attachDevices(Devices *devices)
{
    m_devices = devices;
}

void KioskServices::attachDiagnostics(Diagnostics *diagnostics, LogBuffer *log)
{
    m_diagnostics = diagnostics;
    QString pinHash = m_config.maintenancePinHash;
    if (pinHash.isEmpty() && m_options.demo)
        pinHash = hcp::trust::PinVault::hashPin(QStringLiteral("2468"), 20000); // the demo's documented PIN
    diagnostics->setPinHash(pinHash, QDir(m_options.dataDir).filePath(QStringLiteral("pin-state.json")));
    diagnostics->setLogBuffer(log);
    diagnostics->setAuditSink([this](const QString &action, const QJsonObject &detail) { auditAction(action, detail); });
    diagnostics->setStatusProvider([this] {
        Diagnostics::Status st;
        st.syncEnabled = m_credentials.isValid();
        st.online = m_syncStatus->online();
        st.queueDepth = m_syncStatus->queuedCount();
        st.oldestUnsentAgeS = m_syncStatus->oldestUnsentAgeS();
        if (m_agent) {
            st.lastContactMs = m_agent->lastContactMs();
            st.lastError = m_agent->lastError();
            st.configVersion = QString::number(m_agent->activeConfigVersion());
            st.configRejected = m_agent->configRejection();
        } else {
            st.configVersion = QString::number(m_configApplier->activeVersion());
        }
        // The head of the signed ledger (one entry per evaluation, seq = deviceSeq).
        QSqlDatabase db = m_store.database();
        if (const auto head = hcp::sync::LedgerTable::head(db); head && head->deviceSeq > 0) {
            st.ledgerSeq = qint64(head->deviceSeq);
            st.ledgerHash = QString::fromLatin1(head->entryHash.toHex());
        }
        st.updateSummary = m_updates ? m_updates->summary() : Diagnostics::tr("软件更新：本机未配置");
        return st;
    });
    if (m_agent)
        diagnostics->setSyncAction([this] {
            m_sender->kick();
            m_agent->heartbeatNow();
            m_agent->pullConfigNow();
            m_agent->pullFeedNow();
        });
}

} // namespace hcp::kiosk

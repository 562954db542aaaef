// SPDX-License-Identifier: Apache-2.0
// hcp-kiosk — the composition root: builds every service, wires them, then loads QML.
#include "app/devices.h"
#include "app/agentdesk.h"
#include "app/diagnostics.h"
#include "app/logbuffer.h"
#include "app/qrimageprovider.h"
#include "app/screentour.h"
#include "app/updatecontroller.h"
#include "app/voice.h"

#include <appcontroller.h>
#include <auditlog.h>
#include <deviceidentity.h>
#include <ledger.h>
#ifdef HCP_HAVE_TPM
#include <tpmattestor.h>
#endif
#include <casedirectory.h>
#include <configapplier.h>
#include <ledgertable.h>
#include <coretypes.h>
#include <demodata.h>
#include <evaluationsession.h>
#include <hubcasesource.h>
#include <hubclient.h>
#include <casecache.h>
#include <outboxsender.h>
#include <followupsession.h>
#include <personaldataeraser.h>
#include <padsession.h>
#include <padtrigger.h>
#include <syncagent.h>
#include <syncstatus.h>
#include <indicatorset.h>
#include <languageswitcher.h>
#include <pinvault.h>
#include <hardware/camera/qrpreviewimageprovider.h>
#include <hardware/devicestatusmodel.h>
#include <hardware/idcard/idcardsimulator.h>
#include <hardware/printer/printersimulator.h>
#include <hardware/scanner/scannersimulator.h>
#include <kioskconfig.h>
#include <pinyinengine.h>
#include <qrpayload.h>
#include <questionnaire.h>
#include <store.h>
#include <systemdnotifier.h>
#include <updateagent.h>
#include <updateconfig.h>
#include <workcalendar.h>

#include <QCommandLineParser>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QGuiApplication>
#include <QSet>
#include <QHostInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QQmlApplicationEngine>
#include <QRegularExpression>
#include <QQmlComponent>
#include <QQmlContext>
#include <QQuickWindow>
#include <QStandardPaths>
#include <QStorageInfo>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>
#include <QtQml/qqmlextensionplugin.h>

#include <cstdio>

Q_IMPORT_QML_PLUGIN(Kiosk_AppPlugin)
Q_IMPORT_QML_PLUGIN(Kiosk_ScreensPlugin)
Q_IMPORT_QML_PLUGIN(Kiosk_ComponentsPlugin)
Q_IMPORT_QML_PLUGIN(Kiosk_ThemePlugin)
Q_IMPORT_QML_PLUGIN(Kiosk_CorePlugin)

Q_LOGGING_CATEGORY(lcMain, "hcp.kiosk.main")

using namespace hcp::kiosk;

namespace {

// Any touch, click or key anywhere restarts the session's idle countdown.
class ActivityFilter : public QObject {
public:
    explicit ActivityFilter(EvaluationSession *s) : m_session(s) {}
    bool eventFilter(QObject *o, QEvent *e) override
    {
        switch (e->type()) {
        case QEvent::MouseButtonPress:
        case QEvent::TouchBegin:
        case QEvent::KeyPress:
            m_session->userActivity();
            break;
        default:
            break;
        }
        return QObject::eventFilter(o, e);
    }
private:
    EvaluationSession *m_session;
};

// Everything the app and its CLI modes share.
struct Services {
    Store store;
    WorkCalendar calendar;
    KioskConfig config;
    std::unique_ptr<CaseDirectory> directory;
    std::unique_ptr<EvaluationSession> session;
    std::unique_ptr<AppController> app;
    std::unique_ptr<PinyinEngine> pinyin;
    std::unique_ptr<PadSession> pad;
    std::unique_ptr<PadTrigger> padTrigger;
    std::unique_ptr<FollowUpSession> followUp;
    std::unique_ptr<hcp::sync::SyncStatus> syncStatus = std::make_unique<hcp::sync::SyncStatus>();
    std::unique_ptr<hcp::sync::HubClient> hub;
    std::unique_ptr<hcp::sync::OutboxSender> sender;
    std::unique_ptr<PersonalDataEraser> eraser;
    std::unique_ptr<HubCaseSource> hubSource;
    std::unique_ptr<hcp::sync::CaseCache> feedCache;
    std::unique_ptr<hcp::sync::SyncAgent> agent;
    std::unique_ptr<Voice> voice;
    std::unique_ptr<AgentDesk> agentDesk;
    std::function<QJsonObject()> deviceStatus; // set once the devices exist
    std::unique_ptr<ConfigApplier> configApplier;
    std::function<QJsonObject()> updateStatus;                        // set when updates are configured
    std::function<bool(const QJsonObject &, QString *)> updateCommand; // ditto
    std::function<void(const KioskConfig &)> kioskConfigChanged; // e.g. the maintenance PIN hash
    hcp::sync::DeviceCredentials credentials;
    QString dataDir;
    // Device identity, ledger and audit log (issue 5).
    QString deviceKeyPath;                 // empty: <data dir>-identity/device-key.pem
    hcp::trust::KeyType deviceKeyType = hcp::trust::KeyType::Sm2;
    std::optional<hcp::trust::DeviceIdentity> identity;
    std::unique_ptr<Ledger> ledger;
    std::unique_ptr<AuditLog> audit;
    // TPM (issue 13): empty = use /dev/tpmrm0 when present, "none" = never.
    QString tpmTcti;
#ifdef HCP_HAVE_TPM
    std::unique_ptr<TpmAttestor> tpm;
#endif
    QString tpmStatus = QStringLiteral("none: built without tpm2-tss"); // deviceStatus "tpm"
    QJsonObject tpmAttestation()
    {
#ifdef HCP_HAVE_TPM
        QString error;
        QSqlDatabase db = store.database();
        if (tpm) {
            if (auto a = tpm->attest(db, credentials.deviceId, &error))
                return *a;
            tpmStatus = QStringLiteral("error: ") + error;
            qCWarning(lcMain).noquote() << "TPM attestation failed:" << error;
        }
#endif
        return {};
    }
    // The TPM's key blob lives next to the device key, outside the data directory.
    void openTpm()
    {
#ifdef HCP_HAVE_TPM
        const QString tcti = tpmTcti.isEmpty() ? TpmAttestor::detectTcti() : tpmTcti;
        if (tcti.isEmpty() || tcti == QLatin1String("none")) {
            tpmStatus = tcti.isEmpty() ? QStringLiteral("none: no /dev/tpmrm0") : QStringLiteral("none: disabled (--tpm none)");
            return;
        }
        QString error;
        tpm = TpmAttestor::open(tcti, QFileInfo(deviceKeyPath).absolutePath() + QStringLiteral("/tpm-key.blob"), &error);
        if (!tpm) {
            tpmStatus = QStringLiteral("error: ") + error;
            qCCritical(lcMain).noquote() << "TPM" << tcti << "unusable, the hub will flag this kiosk:" << error;
            return;
        }
        tpmStatus = QStringLiteral("ok");
        // The counter advances in the evaluation's own commit, right after its ledger entry.
        store.setCommitHook(tpm->counterHook());
#endif
    }
    // Every maintenance action (PIN, test print, manual sync, sanctioned exit, configuration,
    // update steps) goes into the signed audit chain; without a device key only into the log.
    void auditAction(const QString &action, const QJsonObject &detail)
    {
        QString error;
        if (audit && audit->record(action, detail, &error))
            return;
        qCWarning(lcMain).noquote() << "audit" << action << QJsonDocument(detail).toJson(QJsonDocument::Compact)
                                    << (audit ? QStringLiteral("not recorded: ") + error : QStringLiteral("(no audit log: no device key)"));
    }

    bool init(const QString &dataDir, bool demo, QString *error)
    {
        if (!QDir().mkpath(dataDir)) {
            *error = QStringLiteral("cannot create data directory %1").arg(dataDir);
            return false;
        }
        this->dataDir = dataDir;
        if (!store.open(QDir(dataDir).filePath(QStringLiteral("kiosk.sqlite")), error))
            return false;
        // The device key: made at first start, mode 0600, outside the data directory (a copied
        // or restored database never carries it). Every evaluation gets a signed ledger entry
        // in its own commit; maintenance actions go to the signed audit chain.
        if (deviceKeyPath.isEmpty())
            deviceKeyPath = QDir::cleanPath(dataDir) + QStringLiteral("-identity/device-key.pem");
        QDir().mkpath(QFileInfo(deviceKeyPath).absolutePath());
        QFile::setPermissions(QFileInfo(deviceKeyPath).absolutePath(),
                              QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
        QString keyError;
        identity = hcp::trust::DeviceIdentity::loadOrCreate(deviceKeyPath, deviceKeyType, dataDir, &keyError);
        if (identity) {
            ledger = std::make_unique<Ledger>(identity->key());
            ledger->attach(store);
            audit = std::make_unique<AuditLog>(&store, ledger->builder());
            openTpm();
        } else {
            // Ratings are still taken and stored, without ledger entries; they are never signed
            // later (an enrolled kiosk reports them as unledgered). Without its key an enrolled
            // kiosk cannot sync (401).
            qCCritical(lcMain).noquote() << "no device key, evaluations are not signed:" << keyError;
        }
        QString calError;
        calendar.loadDirectory(QStringLiteral(":/hcp/holidays"), &calError);
        // Newer notices delivered by configuration override the shipped ones.
        calendar.loadDirectory(QDir(dataDir).filePath(QStringLiteral("holidays")), &calError);
        configApplier = std::make_unique<ConfigApplier>(&store);
        const QByteArray cfg = store.config(QStringLiteral("kiosk"));
        if (!cfg.isEmpty())
            config = KioskConfig::fromJson(QJsonDocument::fromJson(cfg).object());
        // An enrolled kiosk holds no ID-hash key: the hub hashes for it (PROTOCOL §5a, below).
        QString credError;
        credentials = hcp::sync::DeviceCredentials::load(credentialsPath(), &credError);
        IndicatorSet indicators = IndicatorSet::fromJson(QJsonDocument::fromJson(store.config(QStringLiteral("indicators"))).object());
        if (!indicators.isValid())
            indicators = IndicatorSet::builtin();
        QuestionnaireCatalog questionnaires = QuestionnaireCatalog::fromJson(
            QJsonDocument::fromJson(store.config(QStringLiteral("questionnaires"))).object());
        if (questionnaires.version.isEmpty())
            questionnaires = QuestionnaireCatalog::builtin();

        directory = std::make_unique<CaseDirectory>(&store);
        session = std::make_unique<EvaluationSession>(&store, directory.get());
        session->setConfig(config);
        // Card identifications carry the ID number only encrypted for the hub (certKeyEnc).
        session->setHubPublicKey(credentials.isValid() ? credentials.hubPublicKey : QByteArray());
        session->setCalendar(calendar);
        session->setIndicatorSet(indicators);
        session->setQuestionnaires(questionnaires);
        app = std::make_unique<AppController>(session.get());
        app->setDemoMode(demo);
        pinyin = std::make_unique<PinyinEngine>();
        pinyin->open();

        if (demo && !installDemo(error))
            return false;

        // Window rating pad (pf=4): the pad screens instead of the terminal journey, and the
        // loopback "rate now" trigger when a window token is configured (PROTOCOL §13).
        pad = std::make_unique<PadSession>(&store);
        pad->setConfig(config);
        pad->setIndicatorSet(indicators);
        pad->setEnabled(config.pf == 4);
        if (config.pf == 4 && !config.padTriggerToken.isEmpty() && config.padTriggerPort > 0) {
            padTrigger = std::make_unique<PadTrigger>();
            padTrigger->setToken(config.padTriggerToken.toUtf8());
            QObject::connect(padTrigger.get(), &PadTrigger::rateNowRequested, pad.get(), &PadSession::rateNow);
            padTrigger->listen(quint16(config.padTriggerPort));
        }
        hcp::qml::CoreInstances::pad = pad.get();

        // 差评 follow-up: a scanned receipt QR shows the hub's 整改反馈 and offers the 追评.
        followUp = std::make_unique<FollowUpSession>(&store);
        followUp->setConfig(config);
        followUp->setIndicatorSet(indicators);
        session->setFollowUpEnabled(true);
        QObject::connect(session.get(), &EvaluationSession::followUpRequested, followUp.get(), &FollowUpSession::begin);
        QObject::connect(session.get(), &EvaluationSession::sessionWiped, followUp.get(), &FollowUpSession::reset);
        QObject::connect(followUp.get(), &FollowUpSession::activity, session.get(), &EvaluationSession::userActivity);
        hcp::qml::CoreInstances::followUp = followUp.get();
        hcp::qml::CoreInstances::session = session.get();
        hcp::qml::CoreInstances::app = app.get();
        hcp::qml::CoreInstances::pinyin = pinyin.get();
        hcp::qml::CoreInstances::sync = syncStatus.get();
        // Stand-alone (not enrolled): nothing is forwarded, and the footer says nothing of sync.
        syncStatus->setSyncEnabled(credentials.isValid());
        return true;
    }

    QString credentialsPath() const { return QDir(dataDir).filePath(QStringLiteral("credentials.json")); }

    // 关怀模式 voice help and 代办员 sign-in: only where screens are shown (not for CLI modes).
    void startCare()
    {
        voice = std::make_unique<Voice>(session.get(), app.get(),
                                        Voice::Options{config.voiceEngine, config.voiceVolume, config.voiceEnabled});
        agentDesk = std::make_unique<AgentDesk>(session.get());
        QList<AgentEntry> agents = config.agents;
        if (agents.isEmpty() && app->demoMode()) // the demo's documented agent: card 赵代办, PIN 135790
            agents.append({QStringLiteral("DEMO-AGENT-1"), QStringLiteral("赵代办"),
                           session->hashIdNumber(QStringLiteral("513021195505050036")),
                           hcp::trust::PinVault::hashPin(QStringLiteral("135790"), 20000)});
        agentDesk->setAgents(agents, dataDir);
        agentDesk->setIdleTimeoutMs(config.elderlyIdleTimeoutSeconds * 1000);
        app->setElderlyMode(config.elderlyByDefault);
        hcp::qml::CoreInstances::voice = voice.get();
        hcp::qml::CoreInstances::agent = agentDesk.get();
    }

    // Store-and-forward: the outbox sender, online lookup and the status strip. Without
    // credentials the kiosk runs stand-alone and everything stays queued locally.
    bool startSync(QString *error)
    {
        if (!credentials.isValid())
            return true;
        hub = std::make_unique<hcp::sync::HubClient>();
        hub->setCredentials(credentials);
        if (!pinHubCa(*hub, error))
            return false;
        // Card and agent lookups: the hub makes the ID number's keyed hash (PROTOCOL §5a); offline
        // there is none, so a card finds nothing and the citizen types the 办件编号 or scans the QR.
        session->setIdHasher([client = hub.get()](const QString &idNumber, std::function<void(const QString &)> done) {
            client->hashIdNumber(idNumber, [done = std::move(done)](const QString &hash, int) { done(hash); });
        });
        sender = std::make_unique<hcp::sync::OutboxSender>(hub.get());
        if (!sender->open(store.path(), error))
            return false;
        // Enrolled with this device key: sign requests with it and ship the ledger. Credentials
        // from an enrollment without a key (older provisioning) keep the shared secret.
        if (identity && credentials.deviceKeyFingerprint == identity->fingerprint()) {
            hub->setDeviceKey(identity->key());
            sender->setLedgerSigner(ledger->builder());
            sender->setAttestationProvider([this] { return tpmAttestation(); });
            // Printed receipts witness their evaluation (seq + device signature, PROTOCOL §4c).
            session->setReceiptSigner([deviceId = credentials.deviceId, key = identity->key()](const Evaluation &e) {
                return hcp::trust::ReceiptWitness::sign(key, deviceId, quint64(e.deviceSeq), e.uuid);
            });
        } else {
            qCWarning(lcMain) << "credentials are not bound to the device key: requests use the shared secret,"
                                 " the ledger is not shipped";
        }
        hcp::sync::OutboxSender::Options opt;
        opt.backoffBaseMs = 2000;
        opt.backoffCapMs = 10 * 60 * 1000;
        sender->setOptions(opt);
        syncStatus->bind(sender.get(), hub.get());
        hubSource = std::make_unique<HubCaseSource>(hub.get());
        directory->setOnlineSource(hubSource.get());
        QObject::connect(session.get(), &EvaluationSession::committed, sender.get(), [this] { sender->kick(); });
        QObject::connect(pad.get(), &PadSession::committed, sender.get(), [this] { sender->kick(); });
        followUp->setHubClient(hub.get());
        // A receipt scanned here (of any kiosk) tells the hub that its evaluation exists.
        QObject::connect(session.get(), &EvaluationSession::receiptWitnessScanned, hub.get(),
                         [this](const hcp::trust::ReceiptWitness &w) {
                             hub->reportWitness(w, [](const hcp::sync::HubReply &r) {
                                 qCInfo(lcMain).noquote() << "receipt witness reported:" << r.status
                                                          << r.json().value(QLatin1String("status")).toString();
                             });
                         });
        QObject::connect(followUp.get(), &FollowUpSession::committed, sender.get(), [this] { sender->kick(); });
        sender->start();
        // Personal fields leave the kiosk once the hub has acknowledged the record (and at start,
        // for acks that arrived before a restart).
        eraser = std::make_unique<PersonalDataEraser>(&store);
        QObject::connect(sender.get(), &hcp::sync::OutboxSender::batchAcked, eraser.get(),
                         [this] { eraser->scheduleErase(); });
        eraser->scheduleErase();

        // The hall's case feed (into the one case cache, the Store's file), heartbeat,
        // configuration and remote commands. feed-cache.sqlite held the feed before schema v6.
        for (const char *old : {"feed-cache.sqlite", "feed-cache.sqlite-wal", "feed-cache.sqlite-shm"})
            QFile::remove(QDir(dataDir).filePath(QLatin1String(old)));
        feedCache = std::make_unique<hcp::sync::CaseCache>();
        if (!feedCache->open(store.path(), error))
            return false;
        directory->setFeedSource([this](const CaseQuery &q) {
            QJsonArray found;
            switch (q.kind) {
            case CaseQuery::Kind::ByProjectNoAndName: found = feedCache->findByProjectNo(q.projectNo, q.name); break;
            case CaseQuery::Kind::ByProjectNo: found = feedCache->findByProjectNoOnly(q.projectNo); break;
            case CaseQuery::Kind::ByCertKeyHash: found = feedCache->findByCertKeyHash(q.certKeyHash.toLatin1()); break;
            }
            QList<Case> cases;
            for (const QJsonValue &v : found)
                cases.append(Case::fromJson(v.toObject()));
            return cases;
        });
        agent = std::make_unique<hcp::sync::SyncAgent>(hub.get(), sender.get(), feedCache.get());
        hcp::sync::SyncAgent::Options agentOpt;
        agentOpt.heartbeatIntervalS = credentials.heartbeatIntervalS;
        agentOpt.commandPollIntervalS = pad->enabled() ? 2 : 0; // "rate now" within seconds
        agent->setOptions(agentOpt);
        agent->setConfigEtag(configApplier->activeEtag());
        agent->setActiveConfigVersion(configApplier->activeVersion());
        agent->setHeartbeatProvider([this] {
            hcp::sync::HeartbeatInfo h;
            h.version = QCoreApplication::applicationVersion();
            const QStorageInfo disk(QFileInfo(store.path()).absolutePath());
            h.diskFreeBytes = disk.bytesAvailable();
            h.diskTotalBytes = disk.bytesTotal();
            h.diskLow = !session->acceptingSessions();
            if (deviceStatus)
                h.deviceStatus = deviceStatus();
            h.deviceStatus.insert(QStringLiteral("tpm"), tpmStatus);
            if (ledger && !hub->deviceKey().isNull()) {
                QSqlDatabase db = store.database();
                if (const auto head = ledger->signedHead(db))
                    h.ledgerHead = head->toJson();
                h.tpm = tpmAttestation();
                if (audit)
                    sender->flushAudit(); // audit records travel at heartbeat pace, through the sender
            }
            h.update = updateStatus ? updateStatus()
                                    : QJsonObject{{QStringLiteral("state"), QStringLiteral("idle")},
                                                  {QStringLiteral("version"), QCoreApplication::applicationVersion()},
                                                  {QStringLiteral("slot"), QString()},
                                                  {QStringLiteral("error"), QStringLiteral("updates not configured")}};
            return h;
        });
        QObject::connect(agent.get(), &hcp::sync::SyncAgent::configVerified, session.get(),
                         [this](const QJsonObject &doc, qint64 version, const QByteArray &etag) { applyHubConfig(doc, version, etag); });
        // Refusals by signature or version happen in the agent; they are maintenance events too.
        QObject::connect(agent.get(), &hcp::sync::SyncAgent::configStateChanged, session.get(), [this] {
            if (!agent->configRejection().isEmpty())
                auditAction(QStringLiteral("config_rejected"), {{QStringLiteral("reason"), agent->configRejection()},
                                                          {QStringLiteral("activeVersion"), QString::number(agent->activeConfigVersion())}});
        });
        QObject::connect(agent.get(), &hcp::sync::SyncAgent::commandReceived, session.get(),
                         [this](qint64 id, const QString &type, const QJsonObject &args) {
                             qCInfo(lcMain) << "hub command" << id << type;
                             if (type == QLatin1String("resync") || type == QLatin1String("re-sync"))
                                 agent->pullFeedNow();
                             if (type == QLatin1String("update")) {
                                 QString err = QStringLiteral("updates not configured on this kiosk");
                                 const bool started = updateCommand && updateCommand(args, &err);
                                 auditAction(QStringLiteral("update_command"), {{QStringLiteral("version"), args.value(QLatin1String("version"))},
                                                                          {QStringLiteral("started"), started},
                                                                          {QStringLiteral("error"), started ? QString() : err}});
                             }
                             if (type == QLatin1String("rate_now")) {
                                 QString reason;
                                 const auto event = hcp::sync::RateNowEvent::fromJson(args, &reason);
                                 if (event.isValid())
                                     pad->rateNow(event);
                                 else
                                     qCWarning(lcMain) << "rate_now refused:" << reason;
                             }
                             agent->acknowledgeCommand(id);
                             if (type == QLatin1String("restart"))
                                 QTimer::singleShot(2000, qApp, [] { QCoreApplication::exit(0); }); // systemd restarts us
                         });
        agent->start();
        return true;
    }

    // A hub-signed configuration document whose signature and version the agent verified:
    // {"kiosk":{…},"indicators":{…},"questionnaires":{…}}. ConfigApplier validates every part and
    // stores all of them in one transaction, or nothing; the reason of a refusal goes back to the
    // hub in the heartbeat. Stored documents take effect for the next visit.
    void applyHubConfig(const QJsonObject &doc, qint64 version, const QByteArray &etag)
    {
        const ConfigApplier::Result r = configApplier->apply(doc, version, etag, config);
        if (!r.ok) {
            agent->configRejected(r.reason, etag);
            return;
        }
        if (r.indicators) {
            session->setIndicatorSet(*r.indicators);
            pad->setIndicatorSet(*r.indicators);
            followUp->setIndicatorSet(*r.indicators);
        }
        if (r.questionnaires)
            session->setQuestionnaires(*r.questionnaires);
        if (r.kiosk) {
            config = *r.kiosk;
            session->setConfig(config);
            pad->setConfig(config);
            followUp->setConfig(config);
            pad->setEnabled(config.pf == 4);
            if (voice)
                voice->setVolumePercent(config.voiceVolume);
            if (agentDesk)
                agentDesk->setAgents(config.agents, dataDir);
            if (kioskConfigChanged)
                kioskConfigChanged(config);
        }
        agent->configApplied(version, etag);
        auditAction(QStringLiteral("config_applied"), {{QStringLiteral("version"), QString::number(version)}});
    }

    // Provisioning: enroll with a one-time token, save the credentials (mode 0600), done.
    // A county CA placed beside the device key as hub-ca.pem: an https hub must chain to it,
    // not to any CA the system trusts (deploy/nginx).
    bool pinHubCa(hcp::sync::HubClient &client, QString *error) const
    {
        QFile ca(QFileInfo(deviceKeyPath).absolutePath() + QStringLiteral("/hub-ca.pem"));
        if (!ca.open(QIODevice::ReadOnly) || client.setTrustedCaPem(ca.readAll()))
            return true;
        *error = QStringLiteral("%1 holds no certificate").arg(ca.fileName());
        return false;
    }

    bool enroll(const QUrl &hubUrl, const QString &token, QString *error)
    {
        hcp::sync::HubClient client;
        client.setHubUrl(hubUrl);
        if (!pinHubCa(client, error))
            return false;
        if (identity)
            client.setDeviceKey(identity->key()); // the hub registers the public key
        // deviceId: 1–64 of [A-Za-z0-9._-] (PROTOCOL.md §3).
        QString host = QHostInfo::localHostName().left(24);
        host.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9._-]")), QStringLiteral("-"));
        const QString deviceId = QStringLiteral("KIOSK-%1-%2").arg(config.hallCode, host);
        QEventLoop loop;
        bool ok = false;
        client.enroll(token, deviceId, config.hallCode, config.pf == 4 ? QStringLiteral("pad") : QStringLiteral("terminal"),
                      QCoreApplication::applicationVersion(),
                      [&](bool success, const hcp::sync::DeviceCredentials &creds, const QString &err) {
                          ok = success && creds.save(credentialsPath(), error);
                          if (success)
                              credentials = creds;
                          else
                              *error = err;
                          loop.quit();
                      });
        loop.exec();
        if (ok)
            QFile::setPermissions(credentialsPath(), QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        return ok;
    }

    bool installDemo(QString *error)
    {
        const DemoData demo = builtinDemoData(calendar, QDateTime::currentDateTime(), config.idHashKey, error);
        if (demo.cases.isEmpty() || !installDemoData(store, demo, error, !credentials.isValid()))
            return false;
        app->setDemoPeople(AppController::builtinDemoPeople());
        QStringList codes;
        // A business system's receipt URL, a bare 办件编号, and a code that is not ours.
        codes << QStringLiteral("https://zwfw.example.gov.cn/bjcx?projectNo=%1").arg(demo.cases.at(5).projectNo)
              << demo.cases.at(10).projectNo
              << QStringLiteral("WIFI:S:hall-guest;T:WPA;P:12345678;;");
        app->setDemoCodes(codes);
        return true;
    }

    void checkDisk()
    {
        const QStorageInfo info(QFileInfo(store.path()).absolutePath());
        session->setStorageAvailable(!info.isValid() || info.bytesAvailable() >= config.minFreeDiskBytes);
    }
};

// The demo cases as a hub import file: absolute completion times, and the synthetic ID number as
// `certNo`, which the hub replaces by its keyed hash at import (PROTOCOL.md).
bool writeDemoCasesForHub(const WorkCalendar &calendar, const QString &file, QString *error)
{
    QFile in(QStringLiteral(":/hcp/demo/cases.json"));
    if (!in.open(QIODevice::ReadOnly))
        return false;
    const QJsonObject root = QJsonDocument::fromJson(in.readAll()).object();
    const DemoData demo = loadDemoData(QJsonDocument(root).toJson(), calendar, QDateTime::currentDateTime(), QByteArray(), error);
    const QJsonArray raw = root.value(QLatin1String("cases")).toArray();
    QJsonArray out;
    for (int i = 0; i < demo.cases.size() && i < raw.size(); ++i) {
        QJsonObject o = demo.cases.at(i).toJson();
        o.remove(QStringLiteral("certKeyHash"));
        o.insert(QStringLiteral("certNo"), raw.at(i).toObject().value(QLatin1String("certKey")));
        out.append(o);
    }
    QFile f(file);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        *error = f.errorString();
        return false;
    }
    f.write(QJsonDocument(QJsonObject{{QStringLiteral("cases"), out}}).toJson());
    return true;
}

// Loads every QML file of the app's modules on its own; any error fails the self-test.
int selfTest(QQmlEngine &engine)
{
    int failures = 0, loaded = 0;
    QDirIterator it(QStringLiteral(":/qt/qml/Kiosk"), {QStringLiteral("*.qml")}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString file = it.next();
        if (file.endsWith(QLatin1String("/Main.qml")))
            continue; // loaded below as the real window
        // Compiling resolves every import and type; delegates with required properties are only
        // instantiated through Main.qml below.
        QQmlComponent c(&engine, QUrl(QStringLiteral("qrc") + file));
        ++loaded;
        if (!c.isReady()) {
            ++failures;
            qCritical().noquote() << "self-test: FAIL" << file << c.errorString();
        }
    }
    QQmlComponent main(&engine, QUrl(QStringLiteral("qrc:/qt/qml/Kiosk/App/Main.qml")));
    QScopedPointer<QObject> w(main.create());
    ++loaded;
    if (main.isError() || !w) {
        ++failures;
        qCritical().noquote() << "self-test: FAIL Main.qml" << main.errorString();
    }
    qInfo().noquote() << QStringLiteral("self-test: %1 QML files loaded, %2 failed").arg(loaded).arg(failures);
    return failures == 0 && loaded > 10 ? 0 : 1;
}

// Drives the session through every screen in both orientations and saves PNGs (README, review).
int renderScreens(QGuiApplication &app, const QString &outDir)
{
    QDir().mkpath(outDir);
    int saved = 0;
    for (const QSize size : {QSize(1080, 1920), QSize(1920, 1080)}) {
        QTemporaryDir tmp;
        Services s;
        QString error;
        if (!s.init(tmp.path(), true, &error)) {
            qCritical() << error;
            return 1;
        }
        Devices::Options devOptions;
        devOptions.simulate = true;
        Devices devices(devOptions, s.session.get(), s.app.get(), s.config);
        hcp::qml::CoreInstances::devices = devices.statusModel();
        Diagnostics diagnostics(&devices, s.session.get());
        diagnostics.setPinHash(hcp::trust::PinVault::hashPin(QStringLiteral("2468"), 1000), {});
        hcp::qml::CoreInstances::diagnostics = &diagnostics;
        LogBuffer logBuffer;
        logBuffer.install();
        diagnostics.setLogBuffer(&logBuffer);
        diagnostics.setStatusProvider([&s] {
            Diagnostics::Status st;
            st.syncEnabled = s.credentials.isValid();
            st.queueDepth = s.syncStatus->queuedCount();
            st.oldestUnsentAgeS = s.syncStatus->oldestUnsentAgeS();
            const qint64 n = s.store.evaluationCount();
            st.ledgerSeq = n > 0 ? n : -1;
            st.configVersion = QString::number(s.configApplier->activeVersion());
            st.updateSummary = Diagnostics::tr("软件更新：本机未配置");
            return st;
        });
        s.startCare();
        QQmlApplicationEngine engine;
        engine.addImageProvider(QStringLiteral("qr"), new QrImageProvider);
        engine.addImportPath(QStringLiteral("qrc:/qt/qml"));
        engine.load(QUrl(QStringLiteral("qrc:/qt/qml/Kiosk/App/Main.qml")));
        auto *window = qobject_cast<QQuickWindow *>(engine.rootObjects().value(0));
        if (!window)
            return 1;
        window->resize(size);
        const QString orient = size.width() > size.height() ? QStringLiteral("landscape") : QStringLiteral("portrait");
        auto shot = [&](const QString &name) {
            for (int i = 0; i < 10; ++i) {
                QCoreApplication::processEvents();
                QThread::msleep(10);
            }
            const QImage img = window->grabWindow();
            const QString path = QDir(outDir).filePath(QStringLiteral("%1-%2.png").arg(orient, name));
            if (img.save(path))
                ++saved;
            else
                qCritical() << "cannot save" << path;
        };
        hcp::qml::LanguageSwitcher language(&engine, s.app.get());
        screentour::Context tour;
        tour.session = s.session.get();
        tour.app = s.app.get();
        tour.agentDesk = s.agentDesk.get();
        tour.diagnostics = &diagnostics;
        tour.devices = &devices;
        tour.followUp = s.followUp.get();
        tour.pad = s.pad.get();
        tour.directory = s.directory.get();
        tour.calendar = &s.calendar;
        tour.config = s.config;
        // Cards go through the reader simulator: the previous card is taken back first.
        tour.swipeCard = [&](int index) {
            screentour::waitUntil([&] { return !devices.idCardSimulator()->hasCard(); }, 4000);
            screentour::waitUntil([] { return false; }, 400); // one poll of the reader sees it gone
            s.app->demoSwipeCard(index);
        };
        for (const screentour::Variant &variant : screentour::variants())
            screentour::run(tour, variant, [&](const QString &name) { shot(variant.name() + QLatin1Char('-') + name); });
    }
    qInfo().noquote() << QStringLiteral("render-screens: %1 PNG files in %2").arg(saved).arg(outDir);
    Q_UNUSED(app)
    return saved > 0 ? 0 : 1;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication::setApplicationName(QStringLiteral("hcp-kiosk"));
    QCoreApplication::setOrganizationName(QStringLiteral("hcp"));
    QCoreApplication::setApplicationVersion(QStringLiteral(HCP_VERSION));
    QElapsedTimer sinceStart;
    sinceStart.start();
    // The modes that never show a window run without a display (a maintenance shell over ssh,
    // a provisioning script): the offscreen platform, unless one was chosen.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") && qEnvironmentVariableIsEmpty("DISPLAY")
        && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY")) {
        static const QSet<QByteArray> headless{"-h", "--help", "--help-all", "-v", "--version", "--export-evaluations",
                                               "--write-demo-cases", "--device-public-key-out", "--enroll-token",
                                               "--render-screens", "--self-test"};
        for (int i = 1; i < argc; ++i) {
            const QByteArray arg = QByteArray(argv[i]).split('=').first();
            if (headless.contains(arg)) {
                qputenv("QT_QPA_PLATFORM", "offscreen");
                break;
            }
        }
    }
    QGuiApplication app(argc, argv);
    // Recent log lines (masked) for the maintenance screen; journald still gets every message.
    LogBuffer logBuffer;
    logBuffer.install();
    SystemdNotifier systemd; // reads and clears NOTIFY_SOCKET/WATCHDOG_* before any child process starts

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("政务服务“好差评” kiosk"));
    parser.addHelpOption();
    parser.addVersionOption();
    QCommandLineOption demoOpt(QStringLiteral("demo"), QStringLiteral("Load demo cases and show the demo panel."));
    QCommandLineOption selfTestOpt(QStringLiteral("self-test"), QStringLiteral("Load every QML file and exit 0/1."));
    QCommandLineOption exportOpt(QStringLiteral("export-evaluations"), QStringLiteral("Write stored evaluations as JSON lines."), QStringLiteral("FILE"));
    QCommandLineOption dataOpt(QStringLiteral("data-dir"), QStringLiteral("Data directory (database)."), QStringLiteral("DIR"));
    QCommandLineOption renderOpt(QStringLiteral("render-screens"), QStringLiteral("Render every screen to PNG files in DIR and exit."), QStringLiteral("DIR"));
    QCommandLineOption sizeOpt(QStringLiteral("size"), QStringLiteral("Window size WxH (default: full screen)."), QStringLiteral("WxH"));
    QCommandLineOption firstFrameOpt(QStringLiteral("print-first-frame"), QStringLiteral("Print first-frame-ms=N when the first frame is on screen, then quit (benchmark)."));
    QCommandLineOption hubOpt(QStringLiteral("hub"), QStringLiteral("Hub URL for --enroll-token."), QStringLiteral("URL"));
    QCommandLineOption enrollOpt(QStringLiteral("enroll-token"), QStringLiteral("Enroll with the hub using this one-time token, save the credentials and exit."), QStringLiteral("TOKEN"));
    QCommandLineOption demoCasesOpt(QStringLiteral("write-demo-cases"), QStringLiteral("Write the demo cases (with synthetic ID numbers) as hub import JSON and exit."), QStringLiteral("FILE"));
    QCommandLineOption simulateOpt(QStringLiteral("simulate-hardware"), QStringLiteral("Use the byte-level device simulators (implied by --demo)."));
    QCommandLineOption cameraOpt(QStringLiteral("camera"), QStringLiteral("QR camera: V4L2 index or /dev/videoN, or a video / image-sequence file."), QStringLiteral("SOURCE"));
    QCommandLineOption idSerialOpt(QStringLiteral("id-reader-serial"), QStringLiteral("ID-card reader on a serial port (default: USB 0400:c35a)."), QStringLiteral("TTY"));
    QCommandLineOption updateConfigOpt(QStringLiteral("update-config"), QStringLiteral("A/B software update configuration (default: /etc/hcp-kiosk/update.json when it exists)."), QStringLiteral("FILE"));
    QCommandLineOption quitOpt(QStringLiteral("quit-after"), QStringLiteral("Quit after N ms (smoke tests)."), QStringLiteral("MS"));
    QCommandLineOption deviceKeyOpt(QStringLiteral("device-key"),
                                    QStringLiteral("Device key file (default: <data dir>-identity/device-key.pem; never inside the data directory)."),
                                    QStringLiteral("PEM"));
    QCommandLineOption deviceKeyTypeOpt(QStringLiteral("device-key-type"),
                                        QStringLiteral("Algorithm of a new device key: sm2 (default) or ed25519."),
                                        QStringLiteral("TYPE"), QStringLiteral("sm2"));
    QCommandLineOption devicePublicKeyOutOpt(QStringLiteral("device-public-key-out"),
                                             QStringLiteral("Create the device key if missing (0600, outside the data directory), write its public key PEM to FILE (- = stdout) for hcp-hub enroll-device --device-public-key, and exit."),
                                             QStringLiteral("FILE"));
    QCommandLineOption tpmOpt(QStringLiteral("tpm"),
                              QStringLiteral("TPM 2.0 for the device counter and attestation key, as a tpm2-tss TCTI (device:/dev/tpmrm0, swtpm:host=H,port=P) or none (default: /dev/tpmrm0 when present)."),
                              QStringLiteral("TCTI"));
    parser.addOptions({deviceKeyOpt, deviceKeyTypeOpt, devicePublicKeyOutOpt, tpmOpt});
    parser.addOptions({demoOpt, selfTestOpt, exportOpt, dataOpt, renderOpt, sizeOpt, quitOpt, firstFrameOpt, hubOpt, enrollOpt, demoCasesOpt, simulateOpt, cameraOpt, idSerialOpt, updateConfigOpt});
    parser.process(app);

    if (parser.isSet(renderOpt))
        return renderScreens(app, parser.value(renderOpt));

    const bool demo = parser.isSet(demoOpt);
    QString dataDir = parser.value(dataOpt);
    if (dataDir.isEmpty())
        dataDir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + (demo ? QStringLiteral("-demo") : QString());

    Services s;
    QString error;
    s.deviceKeyPath = parser.value(deviceKeyOpt);
    s.tpmTcti = parser.value(tpmOpt);
    s.deviceKeyType = parser.value(deviceKeyTypeOpt) == QLatin1String("ed25519") ? hcp::trust::KeyType::Ed25519
                                                                                  : hcp::trust::KeyType::Sm2;
    if (!s.init(dataDir, demo && !parser.isSet(exportOpt), &error)) {
        qCritical().noquote() << "hcp-kiosk: cannot start:" << error;
        return 2;
    }

    if (parser.isSet(devicePublicKeyOutOpt)) {
        // Offline provisioning: init() made (or loaded) the key; hand out its public half.
        if (!s.identity) {
            qCritical().noquote() << "hcp-kiosk: no device key at" << s.deviceKeyPath;
            return 1;
        }
        const QString out = parser.value(devicePublicKeyOutOpt);
        QFile f(out);
        const bool opened = out == QLatin1String("-") ? f.open(stdout, QIODevice::WriteOnly)
                                                      : f.open(QIODevice::WriteOnly | QIODevice::Truncate);
        if (!opened || f.write(s.identity->publicKeyPem()) < 0 || !f.flush()) {
            qCritical().noquote() << "hcp-kiosk: cannot write" << out << f.errorString();
            return 1;
        }
        qInfo().noquote() << "device key" << s.identity->fingerprint() << "at" << s.identity->keyPath();
        return 0;
    }
    if (parser.isSet(enrollOpt)) {
        if (!s.enroll(QUrl(parser.value(hubOpt)), parser.value(enrollOpt), &error)) {
            qCritical().noquote() << "hcp-kiosk: enrollment failed:" << error;
            return 1;
        }
        qInfo().noquote() << "enrolled as" << s.credentials.deviceId << "with" << s.credentials.hubUrl.toString();
        return 0;
    }
    if (parser.isSet(demoCasesOpt)) {
        if (!writeDemoCasesForHub(s.calendar, parser.value(demoCasesOpt), &error)) {
            qCritical().noquote() << "hcp-kiosk:" << error;
            return 1;
        }
        return 0;
    }
    // Software updates (A/B slots, deploy/updater): only with a configuration that pins the
    // release keys. boot() counts this start during a trial and rolls back a crash loop or an
    // expired trial; the unit's ExecStartPre (hcp-update boot) does that before the kiosk runs
    // and sets HCP_UPDATE_BOOT_COUNTED so the start is not counted twice.
    std::unique_ptr<hcp::updater::UpdateAgent> updateAgent;
    std::unique_ptr<UpdateController> updates;
    QString updateConfigPath = parser.value(updateConfigOpt);
    if (updateConfigPath.isEmpty() && QFile::exists(QStringLiteral("/etc/hcp-kiosk/update.json")))
        updateConfigPath = QStringLiteral("/etc/hcp-kiosk/update.json");
    if (!updateConfigPath.isEmpty() && !parser.isSet(exportOpt) && !parser.isSet(selfTestOpt)) {
        const auto updateConfig = hcp::updater::UpdateConfig::load(updateConfigPath, &error);
        if (!updateConfig) {
            qCWarning(lcMain).noquote() << "software updates off:" << error;
        } else {
            updateAgent = std::make_unique<hcp::updater::UpdateAgent>(*updateConfig);
            if (!updateAgent->open(&error)) {
                qCWarning(lcMain).noquote() << "software updates off: cannot open the A/B layout:" << error;
                updateAgent.reset();
            } else if (qEnvironmentVariableIsEmpty("HCP_UPDATE_BOOT_COUNTED") && updateAgent->boot()) {
                qCWarning(lcMain) << "the update trial failed and was rolled back; restarting into the previous version";
                return 0; // Restart=always starts `current`, now the previous slot
            }
        }
    }
    if (updateAgent) {
        updates = std::make_unique<UpdateController>(updateAgent.get(), s.credentials.hubUrl);
        s.updateStatus = [&updates] { return updates->heartbeatStatus(); };
        s.updateCommand = [&updates](const QJsonObject &args, QString *err) { return updates->handleCommand(args, err); };
        QObject::connect(updateAgent.get(), &hcp::updater::UpdateAgent::installed, &app, [&s](const QString &v) {
            s.auditAction(QStringLiteral("update_installed"), {{QStringLiteral("version"), v}});
        });
        QObject::connect(updateAgent.get(), &hcp::updater::UpdateAgent::committed, &app, [&s](const QString &v) {
            s.auditAction(QStringLiteral("update_healthy"), {{QStringLiteral("version"), v}});
        });
        QObject::connect(updateAgent.get(), &hcp::updater::UpdateAgent::rolledBack, &app, [&s](const QString &v, const QString &why) {
            s.auditAction(QStringLiteral("update_rolled_back"), {{QStringLiteral("version"), v}, {QStringLiteral("reason"), why}});
        });
        QObject::connect(updateAgent.get(), &hcp::updater::UpdateAgent::failed, &app, [&s](const QString &code, const QString &message) {
            s.auditAction(QStringLiteral("update_failed"), {{QStringLiteral("code"), code}, {QStringLiteral("message"), message}});
        });
        // The active slot changed: exit so systemd (Restart=always) starts `current`. One more
        // heartbeat first carries the command's ack and the new state (a resent command for the
        // installed version is a no-op anyway); the delay bounds the wait for it.
        QObject::connect(updates.get(), &UpdateController::restartRequested, &app, [&s] {
            qCInfo(lcMain) << "software slot switched; restarting";
            if (s.agent)
                s.agent->heartbeatNow();
            QTimer::singleShot(1500, qApp, [] { QCoreApplication::exit(0); });
        });
    }

    if (!s.startSync(&error)) {
        qCritical().noquote() << "hcp-kiosk: sync cannot start:" << error;
        return 2;
    }
    if (updates && s.agent) // healthy = READY (below) + the first successful exchange with the hub
        QObject::connect(s.agent.get(), &hcp::sync::SyncAgent::heartbeatDone, updates.get(), [&updates] { updates->syncSucceeded(); });

    if (parser.isSet(exportOpt)) {
        const qint64 n = s.store.exportJsonl(parser.value(exportOpt), &error);
        if (n < 0) {
            qCritical().noquote() << "hcp-kiosk: export failed:" << error;
            return 1;
        }
        qInfo().noquote() << QStringLiteral("exported %1 evaluations to %2").arg(n).arg(parser.value(exportOpt));
        return 0;
    }

    Devices::Options devOptions;
    devOptions.simulate = demo || parser.isSet(simulateOpt);
    devOptions.cameraSource = parser.value(cameraOpt);
    devOptions.idCardSerial = parser.value(idSerialOpt);
    Devices devices(devOptions, s.session.get(), s.app.get(), s.config);
    hcp::qml::CoreInstances::devices = devices.statusModel();
    Diagnostics diagnostics(&devices, s.session.get());
    QString pinHash = s.config.maintenancePinHash;
    if (pinHash.isEmpty() && demo)
        pinHash = hcp::trust::PinVault::hashPin(QStringLiteral("2468"), 20000); // the demo's documented PIN
    diagnostics.setPinHash(pinHash, QDir(dataDir).filePath(QStringLiteral("pin-state.json")));
    hcp::qml::CoreInstances::diagnostics = &diagnostics;
    // A signed configuration that changes the maintenance PIN hash takes effect at once; the
    // failure count and lockout survive (pin-state.json).
    diagnostics.setLogBuffer(&logBuffer);
    diagnostics.setAuditSink([&s](const QString &action, const QJsonObject &detail) { s.auditAction(action, detail); });
    diagnostics.setStatusProvider([&s, &updates] {
        Diagnostics::Status st;
        st.syncEnabled = s.credentials.isValid();
        st.online = s.syncStatus->online();
        st.queueDepth = s.syncStatus->queuedCount();
        st.oldestUnsentAgeS = s.syncStatus->oldestUnsentAgeS();
        if (s.agent) {
            st.lastContactMs = s.agent->lastContactMs();
            st.lastError = s.agent->lastError();
            st.configVersion = QString::number(s.agent->activeConfigVersion());
            st.configRejected = s.agent->configRejection();
        } else {
            st.configVersion = QString::number(s.configApplier->activeVersion());
        }
        // The head of the signed ledger (one entry per evaluation, seq = deviceSeq).
        QSqlDatabase db = s.store.database();
        if (const auto head = hcp::sync::LedgerTable::head(db); head && head->deviceSeq > 0) {
            st.ledgerSeq = qint64(head->deviceSeq);
            st.ledgerHash = QString::fromLatin1(head->entryHash.toHex());
        }
        st.updateSummary = updates ? updates->summary() : Diagnostics::tr("软件更新：本机未配置");
        return st;
    });
    if (s.agent)
        diagnostics.setSyncAction([&s] {
            s.sender->kick();
            s.agent->heartbeatNow();
            s.agent->pullConfigNow();
            s.agent->pullFeedNow();
        });
    s.kioskConfigChanged = [&diagnostics, dataDir](const KioskConfig &c) {
        if (!c.maintenancePinHash.isEmpty())
            diagnostics.setPinHash(c.maintenancePinHash, QDir(dataDir).filePath(QStringLiteral("pin-state.json")));
    };
    s.startCare();
    s.deviceStatus = [&devices] {
        QJsonObject o;
        const auto *m = devices.statusModel();
        for (int row = 0; row < m->rowCount(); ++row) {
            const QModelIndex i = m->index(row);
            o.insert(i.data(hcp::hardware::DeviceStatusModel::DeviceClassRole).toString(),
                     i.data(hcp::hardware::DeviceStatusModel::OkRole).toBool()
                         ? QStringLiteral("ok") : i.data(hcp::hardware::DeviceStatusModel::StatusTextRole).toString());
        }
        return o;
    };

    QQmlApplicationEngine engine;
    engine.addImageProvider(QStringLiteral("qr"), new QrImageProvider);
    engine.addImageProvider(QStringLiteral("camera"), new hcp::hardware::QrPreviewImageProvider(devices.camera()));
    engine.addImportPath(QStringLiteral("qrc:/qt/qml"));
    hcp::qml::LanguageSwitcher language(&engine, s.app.get());

    if (parser.isSet(selfTestOpt))
        return selfTest(engine);

    ActivityFilter activity(s.session.get());
    app.installEventFilter(&activity);
    QTimer diskTimer;
    QObject::connect(&diskTimer, &QTimer::timeout, [&s] { s.checkDisk(); });
    diskTimer.start(60 * 1000);
    s.checkDisk();

    engine.load(QUrl(QStringLiteral("qrc:/qt/qml/Kiosk/App/Main.qml")));
    auto *window = qobject_cast<QQuickWindow *>(engine.rootObjects().value(0));
    if (!window) {
        qCritical() << "hcp-kiosk: the main window failed to load";
        return 1;
    }
    // systemd (Type=notify): READY once the first frame is on screen; WATCHDOG only while the
    // event loop runs and the store is usable, so a hung kiosk is restarted.
    systemd.setHealthCheck([&s] { return s.store.isOpen(); });
    QObject::connect(window, &QQuickWindow::frameSwapped, &systemd, [&systemd, &updates] {
        systemd.ready();
        if (updates)
            updates->readySent();
    }, Qt::SingleShotConnection);
    QObject::connect(s.syncStatus.get(), &hcp::sync::SyncStatus::queueChanged, &systemd, [&s, &systemd] {
        systemd.status(QStringLiteral("queue %1, oldest unsent %2 s").arg(s.syncStatus->queuedCount()).arg(s.syncStatus->oldestUnsentAgeS()));
    });
    QObject::connect(&app, &QCoreApplication::aboutToQuit, &systemd, &SystemdNotifier::stopping);
    if (parser.isSet(sizeOpt)) {
        const QStringList wh = parser.value(sizeOpt).split(QLatin1Char('x'));
        window->resize(wh.value(0).toInt(), wh.value(1).toInt());
    } else if (QGuiApplication::platformName() != QLatin1String("offscreen")) {
        window->showFullScreen();
    }
    if (parser.isSet(firstFrameOpt)) {
        QObject::connect(window, &QQuickWindow::frameSwapped, &app, [&sinceStart] {
            std::printf("first-frame-ms=%lld\n", static_cast<long long>(sinceStart.elapsed()));
            std::fflush(stdout);
            QCoreApplication::quit();
        }, Qt::SingleShotConnection);
    }
    if (parser.isSet(quitOpt))
        QTimer::singleShot(parser.value(quitOpt).toInt(), &app, &QCoreApplication::quit);
    qCInfo(lcMain) << "kiosk ready; data in" << dataDir << (demo ? "(demo)" : "");
    return app.exec();
}

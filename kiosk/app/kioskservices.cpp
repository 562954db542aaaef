// SPDX-License-Identifier: Apache-2.0
#include "kioskservices.h"
#include "kioskservicesinternal.h"

#include "agentdesk.h"
#include "devices.h"
#include "diagnostics.h"
#include "hallfigures.h"
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
#ifdef HCP_HAVE_TPM
#include "tpmattestor.h"
#endif

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QLoggingCategory>
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
    // An enrolled kiosk holds no ID-hash key: the hub hashes for it (PROTOCOL §5a, startSync).
    QString credError;
    m_credentials = hcp::sync::DeviceCredentials::load(credentialsPath(), &credError);
    loadSignedConfig();
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

// The working-day calendar and the kiosk settings come only from what ships with the software and
// from the hub's signed configuration (PROTOCOL §7, §19), whose envelope is checked again here: a
// copy edited on disk (root on the kiosk moving the rating window) is refused, with a warning, and
// the kiosk runs the shipped calendar and built-in settings until the agent fetches the hub's
// signed document again (startAgent). Files in the data directory change nothing.
void KioskServices::loadSignedConfig()
{
    m_calendar.loadDirectory(QStringLiteral(":/hcp/holidays"));
    m_configApplier = std::make_unique<ConfigApplier>(&m_store);
    const ConfigApplier::Result stored = m_configApplier->verifyStored(m_credentials.hubPublicKey, m_config);
    m_storedConfigRefused = !stored.ok;
    if (!stored.ok) {
        qCWarning(lcServices).noquote() << "stored configuration version" << m_configApplier->activeVersion()
                                        << "refused, running the shipped calendar and built-in settings:" << stored.reason;
        // The refused settings are replaced by the built-in ones, so that the hub's document
        // applies over those (a document without a kiosk part leaves the row as it is).
        QString error;
        if (!m_store.setConfig(QStringLiteral("kiosk"), QJsonDocument(m_config.toJson()).toJson(QJsonDocument::Compact),
                               QStringLiteral("0"), &error))
            qCWarning(lcServices).noquote() << "cannot reset the refused kiosk settings:" << error;
        return;
    }
    if (stored.kiosk)
        m_config = *stored.kiosk;
    if (stored.holidays)
        for (const HolidayNotice &n : *stored.holidays)
            m_calendar.loadNotice(n);
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

    m_hallFigures = std::make_unique<HallFigures>();

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

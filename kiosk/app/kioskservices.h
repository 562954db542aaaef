// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "hubcommandrouter.h"

#include "devicecredentials.h"
#include "deviceidentity.h"
#include "indicatorset.h"
#include "kioskconfig.h"
#include "questionnaire.h"
#include "store.h"
#include "workcalendar.h"

#include <QJsonObject>
#include <QString>
#include <QUrl>

#include <functional>
#include <memory>
#include <optional>

namespace hcp::sync {
class CaseCache;
class HubClient;
class OutboxSender;
class SyncAgent;
class SyncStatus;
}
namespace hcp::updater {
class UpdateAgent;
}

namespace hcp::kiosk {

class AgentDesk;
class AppController;
class AuditLog;
class CaseDirectory;
class ConfigApplier;
class Devices;
class Diagnostics;
class EvaluationSession;
class FollowUpSession;
class HallFigures;
class HubCaseSource;
class Ledger;
class LogBuffer;
class PadSession;
class PadTrigger;
class PersonalDataEraser;
class PinyinEngine;
class ServiceAvailability;
class TpmAttestor;
class UpdateController;
class Voice;

// Every service of the kiosk, built and wired the one way hcp-kiosk runs them (main.cpp is only
// the command line, the window and systemd around it): the store with the device key, ledger,
// TPM counter and audit log; configuration; the sessions (terminal, window pad, 追评) with one
// out-of-service switch; and, once enrolled, the hub client, outbox sender, personal-data eraser,
// the hall's case feed, the sync agent and the hub command table.
//
// Order: init() first (everything local), then optionally startUpdates() (before startSync(): the agent's first
// good exchange marks an update healthy), startSync() (nothing without credentials: stand-alone),
// startCare() only where screens are shown, attachDevices()/attachDiagnostics() once those exist.
// The composition root hands the services to QML (hcp::qml::CoreInstances::publish): C++ here
// knows nothing of QML.
// None of the CLI modes (enroll, export, public key, demo cases) needs a QGuiApplication.
// GUI thread only. Owns everything it builds except the attached Devices/Diagnostics.
class KioskServices {
public:
    struct Options {
        QString dataDir;
        bool demo = false;          // demo cases, demo people and codes, the demo agent and PIN
        QString deviceKeyPath;      // empty: <data dir>-identity/device-key.pem
        hcp::trust::KeyType deviceKeyType = hcp::trust::KeyType::Sm2;
        QString tpmTcti;            // empty: /dev/tpmrm0 when present; "none": never
        int senderIdlePollMs = 5000; // how often the sender looks for rows nobody announced
    };
    enum class UpdateStart { Off, Running, RolledBack };

    explicit KioskServices(Options options);
    ~KioskServices();
    KioskServices(const KioskServices &) = delete;
    KioskServices &operator=(const KioskServices &) = delete;

    bool init(QString *error);
    // Software updates (A/B slots) from the configuration at `path` (empty: none). RolledBack:
    // a failed trial was rolled back at this start and the process should exit for systemd.
    UpdateStart startUpdates(const QString &path);
    bool startSync(QString *error);
    void startCare();
    // Provisioning: enroll with a one-time token and save the credentials (0600).
    bool enroll(const QUrl &hubUrl, const QString &token, QString *error);
    // The free disk space against config.minFreeDiskBytes: below it, out of service.
    void checkDisk();
    // A maintenance action into the signed audit chain (only the log without a device key).
    void auditAction(const QString &action, const QJsonObject &detail);

    // The device status model feeds the heartbeat's deviceStatus.
    void attachDevices(Devices *devices);
    // The maintenance screen: PIN (the demo's 2468 without a configured hash), log, audit,
    // status, the manual sync; a signed configuration with a new PIN hash applies at once.
    void attachDiagnostics(Diagnostics *diagnostics, LogBuffer *log);
    // What the hub's "restart" command and a switched update slot do (default: exit(0) after
    // the delay, for systemd's Restart=always).
    void setRestartHandler(std::function<void(int delayMs)> handler) { m_restart = std::move(handler); }

    const Options &options() const { return m_options; }
    QString dataDir() const { return m_options.dataDir; }
    QString deviceKeyPath() const { return m_options.deviceKeyPath; }
    QString credentialsPath() const;
    Store &store() { return m_store; }
    const WorkCalendar &calendar() const { return m_calendar; }
    const KioskConfig &config() const { return m_config; }
    const hcp::sync::DeviceCredentials &credentials() const { return m_credentials; }
    const std::optional<hcp::trust::DeviceIdentity> &identity() const { return m_identity; }
    QString tpmStatus() const { return m_tpmStatus; }

    ConfigApplier *configApplier() const { return m_configApplier.get(); }
    CaseDirectory *directory() const { return m_directory.get(); }
    // The one out-of-service switch of the three sessions (a full disk in any of them).
    ServiceAvailability *availability() const { return m_availability.get(); }
    EvaluationSession *session() const { return m_session.get(); }
    AppController *app() const { return m_app.get(); }
    PinyinEngine *pinyin() const { return m_pinyin.get(); }
    PadSession *pad() const { return m_pad.get(); }
    FollowUpSession *followUp() const { return m_followUp.get(); }
    hcp::sync::SyncStatus *syncStatus() const { return m_syncStatus.get(); }
    Ledger *ledger() const { return m_ledger.get(); }
    AuditLog *audit() const { return m_audit.get(); }
    // Null until startSync() with credentials:
    hcp::sync::HubClient *hub() const { return m_hub.get(); }
    hcp::sync::OutboxSender *sender() const { return m_sender.get(); }
    PersonalDataEraser *eraser() const { return m_eraser.get(); }
    hcp::sync::CaseCache *feedCache() const { return m_feedCache.get(); }
    hcp::sync::SyncAgent *agent() const { return m_agent.get(); }
    const HubCommandRouter &commands() const { return m_commands; }
    UpdateController *updates() const { return m_updates.get(); }
    Voice *voice() const { return m_voice.get(); }
    AgentDesk *agentDesk() const { return m_agentDesk.get(); }
    // The idle screen's hall figures (hidden unless kiosk.idle.showHallFigures and the hub answers).
    HallFigures *hallFigures() const { return m_hallFigures.get(); }

private:
    void openIdentity();
    void loadSignedConfig();
    void openTpm();
    QJsonObject tpmAttestation();
    void buildSessions(const IndicatorSet &indicators, const QuestionnaireCatalog &questionnaires);
    bool installDemo(QString *error);
    bool pinHubCa(hcp::sync::HubClient &client, QString *error) const;
    void startAgent();
    void routeHubCommands();
    void applyHubConfig(const QJsonObject &doc, qint64 version, const QByteArray &etag, const QByteArray &envelope);

    Options m_options;
    Store m_store;
    WorkCalendar m_calendar;
    KioskConfig m_config;
    hcp::sync::DeviceCredentials m_credentials;
    std::optional<hcp::trust::DeviceIdentity> m_identity;
    std::unique_ptr<Ledger> m_ledger;
    std::unique_ptr<AuditLog> m_audit;
    std::shared_ptr<TpmAttestor> m_tpm; // null without tpm2-tss or a TPM (shared_ptr: incomplete without one)
    QString m_tpmStatus;
    std::unique_ptr<ConfigApplier> m_configApplier;
    bool m_storedConfigRefused = false; // verifyStored() failed at init: fetch the hub's document again
    std::unique_ptr<CaseDirectory> m_directory;
    std::unique_ptr<ServiceAvailability> m_availability;
    std::unique_ptr<EvaluationSession> m_session;
    std::unique_ptr<AppController> m_app;
    std::unique_ptr<PinyinEngine> m_pinyin;
    std::unique_ptr<PadSession> m_pad;
    std::unique_ptr<PadTrigger> m_padTrigger;
    std::unique_ptr<FollowUpSession> m_followUp;
    std::unique_ptr<hcp::sync::SyncStatus> m_syncStatus;
    std::unique_ptr<hcp::sync::HubClient> m_hub;
    std::unique_ptr<hcp::sync::OutboxSender> m_sender;
    std::unique_ptr<PersonalDataEraser> m_eraser;
    std::unique_ptr<HubCaseSource> m_hubSource;
    std::unique_ptr<hcp::sync::CaseCache> m_feedCache;
    std::unique_ptr<hcp::sync::SyncAgent> m_agent;
    HubCommandRouter m_commands;
    std::unique_ptr<hcp::updater::UpdateAgent> m_updateAgent;
    std::unique_ptr<UpdateController> m_updates;
    std::unique_ptr<Voice> m_voice;
    std::unique_ptr<AgentDesk> m_agentDesk;
    std::unique_ptr<HallFigures> m_hallFigures;
    Devices *m_devices = nullptr;
    Diagnostics *m_diagnostics = nullptr;
    std::function<void(int delayMs)> m_restart;
};

} // namespace hcp::kiosk

// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QJsonObject>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QTimer>

#include <functional>
#include <memory>

namespace hcp::trust {
class PinVault;
}

namespace hcp::kiosk {

class Devices;
class EvaluationSession;
class LogBuffer;

// The on-site device diagnostics page: opened by a hidden gesture and the maintenance PIN
// (hashed, from configuration, with growing lockouts), it test-reads a card, prints a test
// receipt with the printer's status, shows the camera with its decodes, and echoes scans.
// While it is open the devices report here instead of starting a citizen's visit.
//
// The status side (refreshed every second while unlocked): network and hub (online, last
// contact, last error), outbox queue depth and oldest unsent age, ledger head, configuration
// version or rejection, software update state, and the kiosk's own recent (masked) log lines.
// Actions: manual sync, sanctioned exit (quits the app for maintenance; systemd's Restart=always
// brings the kiosk back after the maintenance, or the technician stops the unit). Every
// maintenance action goes to the audit sink (hcp::kiosk::AuditLog::record in the app).
class Diagnostics : public QObject {
    Q_OBJECT
    Q_PROPERTY(bool open READ isOpen NOTIFY openChanged)
    Q_PROPERTY(bool unlocked READ isUnlocked NOTIFY openChanged)
    Q_PROPERTY(QString pinMessage READ pinMessage NOTIFY pinMessageChanged)
    Q_PROPERTY(QString cardText READ cardText NOTIFY resultsChanged)
    Q_PROPERTY(QString printerText READ printerText NOTIFY resultsChanged)
    Q_PROPERTY(QString scanText READ scanText NOTIFY resultsChanged)
    Q_PROPERTY(QString cameraText READ cameraText NOTIFY resultsChanged)
    Q_PROPERTY(QString networkText READ networkText NOTIFY statusChanged)
    Q_PROPERTY(QString queueText READ queueText NOTIFY statusChanged)
    Q_PROPERTY(QString ledgerText READ ledgerText NOTIFY statusChanged)
    Q_PROPERTY(QString configText READ configText NOTIFY statusChanged)
    Q_PROPERTY(QString updateText READ updateText NOTIFY statusChanged)
    Q_PROPERTY(QString syncText READ syncText NOTIFY statusChanged)
    Q_PROPERTY(QStringList logLines READ logLines NOTIFY logChanged)
    Q_PROPERTY(int page READ page WRITE setPage NOTIFY pageChanged) // 0 devices, 1 status and log
public:
    // Raw status, gathered by the app from the sync agent, outbox, ledger, configuration and
    // update controller; Diagnostics only formats it.
    struct Status {
        bool syncEnabled = false;   // enrolled with a hub
        bool online = false;
        qint64 lastContactMs = 0;   // 0 = never in this run
        QString lastError;
        qint64 queueDepth = 0;
        qint64 oldestUnsentAgeS = 0;
        qint64 ledgerSeq = -1;      // -1 = no entry yet
        QString ledgerHash;         // hex; empty when the ledger is not available
        QString configVersion;      // "0" = defaults only
        QString configRejected;
        QString updateSummary;      // already a user-visible line (UpdateController::summary)
    };
    using AuditSink = std::function<void(const QString &action, const QJsonObject &detail)>;

    Diagnostics(Devices *devices, EvaluationSession *session, QObject *parent = nullptr);
    ~Diagnostics() override;

    // The PIN hash ("pbkdf2-sha256$…") from configuration; empty keeps the page closed.
    void setPinHash(const QString &encoded, const QString &stateFile);

    bool isOpen() const { return m_open; }
    bool isUnlocked() const { return m_unlocked; }
    QString pinMessage() const { return m_pinMessage; }
    QString cardText() const { return m_cardText; }
    QString printerText() const { return m_printerText; }
    QString scanText() const { return m_scanText; }
    QString cameraText() const { return m_cameraText; }
    QString networkText() const;
    QString queueText() const;
    QString ledgerText() const;
    QString configText() const;
    QString updateText() const { return m_status.updateSummary; }
    QString syncText() const { return m_syncText; }
    QStringList logLines() const { return m_logLines; }
    int page() const { return m_page; }
    void setPage(int page);

    void setStatusProvider(std::function<Status()> provider) { m_statusProvider = std::move(provider); }
    void setLogBuffer(LogBuffer *buffer);
    void setAuditSink(AuditSink sink) { m_audit = std::move(sink); }
    // Manual sync: pushes the outbox and talks to the hub now (set by the app).
    void setSyncAction(std::function<void()> action) { m_syncAction = std::move(action); }
    // Sanctioned exit: by default QCoreApplication::exit(kMaintenanceExitCode).
    void setExitAction(std::function<void()> action) { m_exitAction = std::move(action); }
    static constexpr int kMaintenanceExitCode = 0;

    Q_INVOKABLE void requestOpen();          // the hidden gesture
    Q_INVOKABLE void enterPin(const QString &pin);
    Q_INVOKABLE void close();
    Q_INVOKABLE void testRead();
    Q_INVOKABLE void testPrint();
    Q_INVOKABLE void syncNow();
    Q_INVOKABLE void sanctionedExit();
    Q_INVOKABLE void refreshStatus();

Q_SIGNALS:
    void openChanged();
    void pinMessageChanged();
    void resultsChanged();
    void statusChanged();
    void logChanged();
    void pageChanged();

private:
    void setPinMessage(const QString &m);
    void audit(const QString &action, const QJsonObject &detail = {});
    void refreshLog();
    Devices *m_devices;
    EvaluationSession *m_session;
    std::unique_ptr<hcp::trust::PinVault> m_vault;
    bool m_open = false;
    bool m_unlocked = false;
    QString m_pinMessage, m_cardText, m_printerText, m_scanText, m_cameraText, m_syncText;
    Status m_status;
    std::function<Status()> m_statusProvider;
    LogBuffer *m_logBuffer = nullptr;
    QStringList m_logLines;
    AuditSink m_audit;
    std::function<void()> m_syncAction;
    std::function<void()> m_exitAction;
    QTimer m_refresh; // 1 s while unlocked
    bool m_logDirty = false;
    int m_page = 0;
};

} // namespace hcp::kiosk

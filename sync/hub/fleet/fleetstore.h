// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "hubstore.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QString>

#include <optional>

namespace hcp::sync::hub {

// Fleet management tables over the HubStore's connection: console users and sessions,
// registered update bundles, staged rollouts, alerts and the heartbeat history. Same thread
// rules as HubStore (one thread). Times are Unix epoch milliseconds.
class FleetStore
{
public:
    // Handler: department staff for 差评工单 only (below Viewer: no fleet pages; its department is
    // bound in grievance_handlers, see grievance/grievanceservice.h).
    enum class Role { Handler = 0, Viewer = 1, Maintainer = 2, Admin = 3 };
    static std::optional<Role> roleFromString(const QString &s);
    static QString roleName(Role role);

    struct Session
    {
        QString user;
        Role role = Role::Viewer;
        qint64 expiresAtMs = 0;
    };

    struct Bundle
    {
        QString name;
        QString version;
        QString deviceClass;
        qint64 size = 0;
        QString sha256; // hex of the whole bundle file
        QString keyId;
        bool rollback = false;
        qint64 createdAtMs = 0;
        QJsonObject toJson() const;
    };
    // Whether a bundle of bundleClass may be offered to a kiosk (PROTOCOL §16): the class the
    // kiosk's updater reports in its heartbeat ("update":{"deviceClass"}) must equal it; a kiosk
    // that reports none is matched by its enrollment class: bundle classes starting "hcp-pad"
    // are for window pads ("pad"), all others for self-service terminals ("terminal").
    static bool bundleFitsKiosk(const QString &bundleClass, const QJsonObject &kiosk);

    explicit FleetStore(HubStore *store);

    static bool ensureSchema(QSqlDatabase &db, bool postgres, QString *error);

    // Users. Passwords are stored as PBKDF2-HMAC-SHA256 ("pbkdf2-sha256$iter$salt$hash").
    bool setUser(const QString &name, Role role, const QString &password, QString *error);
    std::optional<Role> checkPassword(const QString &name, const QString &password);
    // checkPassword in three steps, so the hash can be checked off the serving thread: the
    // stored credential (serving thread), the PBKDF2 check (any thread; the same work for an
    // unknown name) and the booking of the outcome (serving thread; failures and lockout).
    struct Credential
    {
        bool exists = false;
        QString encoded;
        std::optional<Role> role;
        int failures = 0;
        qint64 lockedUntil = 0;
    };
    Credential credential(const QString &name);
    static bool passwordMatches(const Credential &credential, const QString &password);
    std::optional<Role> recordLogin(const QString &name, const Credential &credential, bool matched);
    // Sessions: the token goes to the browser (cookie), only its SHA-256 is stored.
    QByteArray createSession(const QString &user, Role role, qint64 ttlMs);
    std::optional<Session> session(const QByteArray &token, qint64 nowMs);
    void deleteSession(const QByteArray &token);

    // Bundles (files live in the BundleStore directory; this is the index).
    bool addBundle(const Bundle &bundle, QString *error);
    std::optional<Bundle> bundle(const QString &name);
    QJsonArray bundles();

    // Staged rollout of a bundle to deviceIds. stagesPercent e.g. {10, 50, 100}: stage k
    // covers the first ceil(p_k * N / 100) devices (sorted by id). Stage 0's update commands
    // are queued at once; returns the rollout id or -1 (*error).
    qint64 createRollout(const Bundle &bundle, const QString &url, int deadlineS, QStringList deviceIds,
                         const QList<int> &stagesPercent, const QString &actor, QString *error);
    QJsonArray rollouts();
    QJsonObject rollout(qint64 id);
    // Operator decisions: "resume" a halted rollout (its failed kiosks are marked skipped and
    // the stages continue), or "cancel" a running/halted one (nothing more is sent). False
    // with *error when the rollout is not in a state the action applies to.
    bool decideRollout(qint64 id, const QString &action, const QString &actor, QString *error);

    // Heartbeat hook: history row, update progress (advances running rollouts, halts on a
    // rollback/rejection; a halted rollout keeps recording progress), alerts on a rejected
    // configuration. Errors are logged; a heartbeat is never refused for them.
    void onHeartbeat(const HubStore::Device &device, const QJsonObject &beat, qint64 receivedAtMs);
    QJsonArray heartbeatHistory(const QString &deviceId, qint64 sinceMs);

    void addAlert(const QString &severity, const QString &kind, const QString &deviceId, const QString &message,
                  qint64 rolloutId = 0);
    // Stored alerts (rollouts, config rejections) plus conditions derived now from the
    // kiosks' state (overdue, clock drift, disk low, old unsent records, conflicts).
    QJsonArray alerts(qint64 nowMs, int heartbeatIntervalS);
    bool acknowledgeAlert(qint64 id, const QString &user);

    // One row per kiosk for the console (PROTOCOL §17).
    QJsonArray kiosks(qint64 nowMs, int heartbeatIntervalS);
    // 通报: satisfaction per hall, department and staff member for evaluations received in
    // [sinceMs, now].
    QJsonObject satisfaction(qint64 sinceMs);

private:
    bool exec(class QSqlQuery &q, QString *error = nullptr);
    void onHeartbeatLocked(const HubStore::Device &device, const QJsonObject &beat, qint64 receivedAtMs);
    void advanceRollout(qint64 rolloutId);
    bool queueStage(qint64 rolloutId, int stage, QString *error);

    HubStore *m_store;
    int m_beatsSincePrune = 0;
};

} // namespace hcp::sync::hub

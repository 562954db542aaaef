// SPDX-License-Identifier: Apache-2.0
// FleetStore's roles, connection and tables. Its parts: consoleaccounts.cpp (users and
// sessions), rollouts.cpp (bundles and staged rollouts), fleethealth.cpp (heartbeats, alerts,
// the kiosk rows) and reports.cpp (通报).
#include "fleetstore.h"

#include "fleetinternal.h"
#include "hubstore.h"

#include <QSqlError>
#include <QSqlQuery>

Q_LOGGING_CATEGORY(lcFleetStore, "hcp.sync.hub.fleet")

namespace hcp::sync::hub {

std::optional<FleetStore::Role> FleetStore::roleFromString(const QString &s)
{
    if (s == QLatin1String("handler"))
        return Role::Handler;
    if (s == QLatin1String("viewer"))
        return Role::Viewer;
    if (s == QLatin1String("maintainer"))
        return Role::Maintainer;
    if (s == QLatin1String("admin"))
        return Role::Admin;
    return std::nullopt;
}

QString FleetStore::roleName(Role role)
{
    switch (role) {
    case Role::Handler: return QStringLiteral("handler");
    case Role::Viewer: return QStringLiteral("viewer");
    case Role::Maintainer: return QStringLiteral("maintainer");
    case Role::Admin: return QStringLiteral("admin");
    }
    return {};
}

FleetStore::FleetStore(HubStore *store)
    : m_store(store)
{
}

bool FleetStore::exec(QSqlQuery &q, QString *error)
{
    return HubStore::execLogged(q, lcFleetStore, error);
}

bool FleetStore::ensureSchema(QSqlDatabase &db, bool postgres, QString *error)
{
    const QString id = postgres ? QStringLiteral("id BIGSERIAL PRIMARY KEY")
                                : QStringLiteral("id INTEGER PRIMARY KEY AUTOINCREMENT");
    const QStringList statements{
        QStringLiteral("CREATE TABLE IF NOT EXISTS console_users (name TEXT PRIMARY KEY, password_hash TEXT NOT NULL, "
                       "role TEXT NOT NULL, created_at BIGINT NOT NULL, failures INTEGER NOT NULL DEFAULT 0, "
                       "locked_until BIGINT NOT NULL DEFAULT 0)"),
        QStringLiteral("CREATE TABLE IF NOT EXISTS console_sessions (token_hash TEXT PRIMARY KEY, user_name TEXT NOT NULL, "
                       "role TEXT NOT NULL, created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL)"),
        QStringLiteral("CREATE TABLE IF NOT EXISTS bundles (name TEXT PRIMARY KEY, version TEXT NOT NULL, "
                       "device_class TEXT NOT NULL, size BIGINT NOT NULL, sha256 TEXT NOT NULL, key_id TEXT NOT NULL, "
                       "rollback INTEGER NOT NULL, created_at BIGINT NOT NULL)"),
        QStringLiteral("CREATE TABLE IF NOT EXISTS rollouts (%1, bundle_name TEXT NOT NULL, version TEXT NOT NULL, "
                       "url TEXT NOT NULL, size BIGINT NOT NULL, sha256 TEXT NOT NULL, deadline_s INTEGER NOT NULL, "
                       "stages TEXT NOT NULL, current_stage INTEGER NOT NULL, state TEXT NOT NULL, reason TEXT, "
                       "actor TEXT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)")
            .arg(id),
        QStringLiteral("CREATE TABLE IF NOT EXISTS rollout_devices (rollout_id BIGINT NOT NULL, device_id TEXT NOT NULL, "
                       "stage INTEGER NOT NULL, state TEXT NOT NULL, error TEXT, command_id BIGINT, "
                       "updated_at BIGINT NOT NULL, PRIMARY KEY (rollout_id, device_id))"),
        QStringLiteral("CREATE INDEX IF NOT EXISTS rollout_devices_device ON rollout_devices(device_id)"),
        QStringLiteral("CREATE TABLE IF NOT EXISTS fleet_alerts (%1, created_at BIGINT NOT NULL, severity TEXT NOT NULL, "
                       "kind TEXT NOT NULL, device_id TEXT, message TEXT NOT NULL, rollout_id BIGINT, "
                       "acked_at BIGINT, acked_by TEXT)")
            .arg(id),
        QStringLiteral("CREATE TABLE IF NOT EXISTS heartbeat_history (device_id TEXT NOT NULL, received_at BIGINT NOT NULL, "
                       "queue_depth BIGINT, oldest_unsent_age_s BIGINT, drift_ms BIGINT, disk_free_bytes BIGINT)"),
        QStringLiteral("CREATE INDEX IF NOT EXISTS heartbeat_history_device ON heartbeat_history(device_id, received_at)"),
    };
    return HubStore::execStatements(db, statements, error);
}

} // namespace hcp::sync::hub

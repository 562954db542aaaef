// SPDX-License-Identifier: Apache-2.0
#include "fleetstore.h"

#include "hubstore.h"

#include "../wire.h"
#include "crypto.h"
#include "pinvault.h"

#include <QDateTime>
#include <QHash>
#include <QSet>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QSqlError>
#include <QSqlQuery>

#include <algorithm>
#include <cmath>

Q_LOGGING_CATEGORY(lcFleetStore, "hcp.sync.hub.fleet")

namespace hcp::sync::hub {

using hcp::trust::Crypto;

namespace {

constexpr int kPasswordIterations = 200'000;
constexpr qint64 kHistoryKeepMs = 7LL * 24 * 3600 * 1000;
constexpr qint64 kOldestUnsentAlertS = 24 * 3600; // reference §6 #5: alert after 24 h

QString compact(const QJsonObject &o)
{
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

QJsonObject parse(const QVariant &v)
{
    return QJsonDocument::fromJson(v.toString().toUtf8()).object();
}

// "pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>" (the PinVault encoding).
bool hashMatches(const QString &encoded, const QString &password)
{
    const QStringList parts = encoded.split(QLatin1Char('$'));
    if (parts.size() != 4 || parts.at(0) != QLatin1String("pbkdf2-sha256"))
        return false;
    const int iterations = parts.at(1).toInt();
    const QByteArray salt = QByteArray::fromBase64(parts.at(2).toLatin1());
    const QByteArray hash = QByteArray::fromBase64(parts.at(3).toLatin1());
    if (iterations < 1 || salt.isEmpty() || hash.isEmpty())
        return false;
    const QByteArray got = Crypto::pbkdf2Sha256(password.toUtf8(), salt, iterations, int(hash.size()));
    return Crypto::constantTimeEquals(got, hash);
}

QString tokenHash(const QByteArray &token)
{
    return QString::fromLatin1(Crypto::sha256(token).toHex());
}

} // namespace

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

QJsonObject FleetStore::Bundle::toJson() const
{
    return {{QStringLiteral("name"), name},
            {QStringLiteral("version"), version},
            {QStringLiteral("deviceClass"), deviceClass},
            {QStringLiteral("size"), size},
            {QStringLiteral("sha256"), sha256},
            {QStringLiteral("keyId"), keyId},
            {QStringLiteral("rollback"), rollback},
            {QStringLiteral("createdAtMs"), createdAtMs}};
}

FleetStore::FleetStore(HubStore *store)
    : m_store(store)
{
}

bool FleetStore::exec(QSqlQuery &q, QString *error)
{
    if (q.exec())
        return true;
    const QString e = q.lastError().text();
    qCWarning(lcFleetStore) << "SQL failed:" << e << q.lastQuery();
    if (error)
        *error = e;
    return false;
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

// ---- users and sessions ----

bool FleetStore::setUser(const QString &name, Role role, const QString &password, QString *error)
{
    QSqlQuery q(m_store->database());
    q.prepare(QStringLiteral("INSERT INTO console_users (name, password_hash, role, created_at) VALUES (?, ?, ?, ?) "
                             "ON CONFLICT (name) DO UPDATE SET password_hash = excluded.password_hash, "
                             "role = excluded.role, failures = 0, locked_until = 0"));
    q.addBindValue(name);
    q.addBindValue(hcp::trust::PinVault::hashPin(password, kPasswordIterations));
    q.addBindValue(roleName(role));
    q.addBindValue(QDateTime::currentMSecsSinceEpoch());
    if (!exec(q, error))
        return false;
    // A changed password or role ends the user's sessions.
    QSqlQuery d(m_store->database());
    d.prepare(QStringLiteral("DELETE FROM console_sessions WHERE user_name = ?"));
    d.addBindValue(name);
    return exec(d, error);
}

FleetStore::Credential FleetStore::credential(const QString &name)
{
    Credential c;
    QSqlQuery q(m_store->database());
    q.prepare(QStringLiteral("SELECT password_hash, role, failures, locked_until FROM console_users WHERE name = ?"));
    q.addBindValue(name);
    if (!exec(q) || !q.next())
        return c;
    c.exists = true;
    c.encoded = q.value(0).toString();
    c.role = roleFromString(q.value(1).toString());
    c.failures = q.value(2).toInt();
    c.lockedUntil = q.value(3).toLongLong();
    return c;
}

bool FleetStore::passwordMatches(const Credential &credential, const QString &password)
{
    if (!credential.exists) {
        // Same work as a real check, so response time does not tell which names exist.
        hashMatches(
            QStringLiteral("pbkdf2-sha256$%1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")
                .arg(kPasswordIterations),
            password);
        return false;
    }
    return hashMatches(credential.encoded, password);
}

std::optional<FleetStore::Role> FleetStore::checkPassword(const QString &name, const QString &password)
{
    const Credential c = credential(name);
    if (c.exists && c.lockedUntil > QDateTime::currentMSecsSinceEpoch())
        return std::nullopt;
    return recordLogin(name, c, passwordMatches(c, password));
}

std::optional<FleetStore::Role> FleetStore::recordLogin(const QString &name, const Credential &c, bool matched)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (!c.exists)
        return std::nullopt;
    const auto role = c.role;
    const int failures = c.failures;
    QSqlQuery u(m_store->database());
    if (matched && role) {
        u.prepare(QStringLiteral("UPDATE console_users SET failures = 0, locked_until = 0 WHERE name = ?"));
        u.addBindValue(name);
        exec(u);
        return role;
    }
    // Five free attempts, then a lockout of 1 min doubling per further failure, at most 1 h.
    const int next = failures + 1;
    const qint64 lock = next < 5 ? 0 : now + qMin<qint64>(3'600'000, 60'000LL << qMin(next - 5, 6));
    u.prepare(QStringLiteral("UPDATE console_users SET failures = ?, locked_until = ? WHERE name = ?"));
    u.addBindValue(next);
    u.addBindValue(lock);
    u.addBindValue(name);
    exec(u);
    return std::nullopt;
}

QByteArray FleetStore::createSession(const QString &user, Role role, qint64 ttlMs)
{
    const QByteArray token = Crypto::randomBytes(32).toHex();
    if (token.size() != 64)
        return {};
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QSqlQuery q(m_store->database());
    q.prepare(QStringLiteral("DELETE FROM console_sessions WHERE expires_at < ?"));
    q.addBindValue(now);
    exec(q);
    q.prepare(QStringLiteral("INSERT INTO console_sessions (token_hash, user_name, role, created_at, expires_at) "
                             "VALUES (?, ?, ?, ?, ?)"));
    q.addBindValue(tokenHash(token));
    q.addBindValue(user);
    q.addBindValue(roleName(role));
    q.addBindValue(now);
    q.addBindValue(now + ttlMs);
    return exec(q) ? token : QByteArray();
}

std::optional<FleetStore::Session> FleetStore::session(const QByteArray &token, qint64 nowMs)
{
    if (token.size() != 64)
        return std::nullopt;
    QSqlQuery q(m_store->database());
    q.prepare(QStringLiteral("SELECT user_name, role, expires_at FROM console_sessions WHERE token_hash = ?"));
    q.addBindValue(tokenHash(token));
    if (!exec(q) || !q.next() || q.value(2).toLongLong() < nowMs)
        return std::nullopt;
    const auto role = roleFromString(q.value(1).toString());
    if (!role)
        return std::nullopt;
    return Session{q.value(0).toString(), *role, q.value(2).toLongLong()};
}

void FleetStore::deleteSession(const QByteArray &token)
{
    QSqlQuery q(m_store->database());
    q.prepare(QStringLiteral("DELETE FROM console_sessions WHERE token_hash = ?"));
    q.addBindValue(tokenHash(token));
    exec(q);
}

// ---- bundles ----

bool FleetStore::addBundle(const Bundle &b, QString *error)
{
    QSqlQuery q(m_store->database());
    q.prepare(QStringLiteral("INSERT INTO bundles (name, version, device_class, size, sha256, key_id, rollback, created_at) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET version = excluded.version, "
                             "device_class = excluded.device_class, size = excluded.size, sha256 = excluded.sha256, "
                             "key_id = excluded.key_id, rollback = excluded.rollback, created_at = excluded.created_at"));
    q.addBindValue(b.name);
    q.addBindValue(b.version);
    q.addBindValue(b.deviceClass);
    q.addBindValue(b.size);
    q.addBindValue(b.sha256);
    q.addBindValue(b.keyId);
    q.addBindValue(b.rollback ? 1 : 0);
    q.addBindValue(b.createdAtMs);
    return exec(q, error);
}

std::optional<FleetStore::Bundle> FleetStore::bundle(const QString &name)
{
    QSqlQuery q(m_store->database());
    q.prepare(QStringLiteral("SELECT name, version, device_class, size, sha256, key_id, rollback, created_at "
                             "FROM bundles WHERE name = ?"));
    q.addBindValue(name);
    if (!exec(q) || !q.next())
        return std::nullopt;
    return Bundle{q.value(0).toString(), q.value(1).toString(), q.value(2).toString(), q.value(3).toLongLong(),
                  q.value(4).toString(), q.value(5).toString(), q.value(6).toInt() != 0, q.value(7).toLongLong()};
}

QJsonArray FleetStore::bundles()
{
    QJsonArray out;
    QSqlQuery q(m_store->database());
    if (!q.exec(QStringLiteral("SELECT name FROM bundles ORDER BY created_at DESC")))
        return out;
    QStringList names;
    while (q.next())
        names << q.value(0).toString();
    for (const QString &n : names)
        if (auto b = bundle(n))
            out.append(b->toJson());
    return out;
}

// ---- rollouts ----

bool FleetStore::bundleFitsKiosk(const QString &bundleClass, const QJsonObject &kiosk)
{
    const QString reported = kiosk.value(QLatin1String("updateDeviceClass")).toString();
    if (!reported.isEmpty())
        return reported == bundleClass;
    const bool padBundle = bundleClass == QLatin1String("hcp-pad") || bundleClass.startsWith(QLatin1String("hcp-pad-"));
    return kiosk.value(QLatin1String("deviceClass")).toString()
        == (padBundle ? QLatin1String("pad") : QLatin1String("terminal"));
}

qint64 FleetStore::createRollout(const Bundle &bundle, const QString &url, int deadlineS, QStringList deviceIds,
                                 const QList<int> &stagesPercent, const QString &actor, QString *error)
{
    deviceIds.removeDuplicates();
    std::sort(deviceIds.begin(), deviceIds.end());
    if (deviceIds.isEmpty() || stagesPercent.isEmpty() || stagesPercent.last() != 100) {
        *error = QStringLiteral("give at least one kiosk and stages ending at 100 %");
        return -1;
    }
    for (int i = 0; i < stagesPercent.size(); ++i)
        if (stagesPercent.at(i) < 1 || stagesPercent.at(i) > 100 || (i > 0 && stagesPercent.at(i) <= stagesPercent.at(i - 1))) {
            *error = QStringLiteral("stages must rise strictly within 1..100");
            return -1;
        }
    QSqlDatabase &db = m_store->database();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (!db.transaction()) {
        *error = db.lastError().text();
        return -1;
    }
    QJsonArray stages;
    for (int p : stagesPercent)
        stages.append(p);
    QSqlQuery q(db);
    q.prepare(QStringLiteral("INSERT INTO rollouts (bundle_name, version, url, size, sha256, deadline_s, stages, "
                             "current_stage, state, reason, actor, created_at, updated_at) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, 0, 'running', '', ?, ?, ?) RETURNING id"));
    q.addBindValue(bundle.name);
    q.addBindValue(bundle.version);
    q.addBindValue(url);
    q.addBindValue(bundle.size);
    q.addBindValue(bundle.sha256);
    q.addBindValue(deadlineS);
    q.addBindValue(QString::fromUtf8(QJsonDocument(stages).toJson(QJsonDocument::Compact)));
    q.addBindValue(actor);
    q.addBindValue(now);
    q.addBindValue(now);
    if (!exec(q, error) || !q.next()) {
        db.rollback();
        return -1;
    }
    const qint64 id = q.value(0).toLongLong();
    q.finish();
    const qsizetype n = deviceIds.size();
    QSqlQuery d(db);
    d.prepare(QStringLiteral("INSERT INTO rollout_devices (rollout_id, device_id, stage, state, updated_at) "
                             "VALUES (?, ?, ?, 'pending', ?)"));
    for (qsizetype i = 0; i < n; ++i) {
        int stage = 0;
        while (i >= qsizetype(std::ceil(stagesPercent.at(stage) * double(n) / 100.0)))
            ++stage;
        d.bindValue(0, id);
        d.bindValue(1, deviceIds.at(i));
        d.bindValue(2, stage);
        d.bindValue(3, now);
        if (!exec(d, error)) {
            db.rollback();
            return -1;
        }
    }
    if (!queueStage(id, 0, error) || !db.commit()) {
        db.rollback();
        return -1;
    }
    qCInfo(lcFleetStore) << "rollout" << id << "of" << bundle.name << "to" << n << "kiosks in stages" << stagesPercent;
    advanceRollout(id); // an empty first stage cannot happen, but a 100 % single stage ends here
    return id;
}

bool FleetStore::queueStage(qint64 rolloutId, int stage, QString *error)
{
    QSqlQuery r(m_store->database());
    r.prepare(QStringLiteral("SELECT version, url, size, sha256, deadline_s FROM rollouts WHERE id = ?"));
    r.addBindValue(rolloutId);
    if (!exec(r, error) || !r.next())
        return false;
    // The "update" command of the shared contract (PROTOCOL §8).
    const QJsonObject args{{QStringLiteral("version"), r.value(0).toString()},
                           {QStringLiteral("url"), r.value(1).toString()},
                           {QStringLiteral("size"), r.value(2).toLongLong()},
                           {QStringLiteral("sha256"), r.value(3).toString()},
                           {QStringLiteral("deadlineS"), r.value(4).toInt()},
                           {QStringLiteral("rolloutId"), rolloutId}};
    r.finish();
    QSqlQuery q(m_store->database());
    q.prepare(QStringLiteral("SELECT device_id FROM rollout_devices WHERE rollout_id = ? AND stage = ? AND state = 'pending'"));
    q.addBindValue(rolloutId);
    q.addBindValue(stage);
    if (!exec(q, error))
        return false;
    QStringList devices;
    while (q.next())
        devices << q.value(0).toString();
    q.finish();
    QSqlQuery u(m_store->database());
    u.prepare(QStringLiteral("UPDATE rollout_devices SET state = 'sent', command_id = ?, updated_at = ? "
                             "WHERE rollout_id = ? AND device_id = ?"));
    for (const QString &device : devices) {
        const qint64 commandId = m_store->addCommand(device, QStringLiteral("update"), args);
        if (commandId < 0) {
            if (error)
                *error = m_store->lastError();
            return false;
        }
        u.bindValue(0, commandId);
        u.bindValue(1, QDateTime::currentMSecsSinceEpoch());
        u.bindValue(2, rolloutId);
        u.bindValue(3, device);
        if (!exec(u, error))
            return false;
    }
    return true;
}

void FleetStore::advanceRollout(qint64 rolloutId)
{
    for (;;) {
        QSqlQuery r(m_store->database());
        r.prepare(QStringLiteral("SELECT state, current_stage, stages FROM rollouts WHERE id = ?"));
        r.addBindValue(rolloutId);
        if (!exec(r) || !r.next() || r.value(0).toString() != QLatin1String("running"))
            return;
        const int stage = r.value(1).toInt();
        const int stageCount = int(QJsonDocument::fromJson(r.value(2).toString().toUtf8()).array().size());
        r.finish();
        QSqlQuery c(m_store->database());
        c.prepare(QStringLiteral("SELECT COUNT(*) FROM rollout_devices WHERE rollout_id = ? AND stage <= ? "
                                 "AND state NOT IN ('healthy', 'skipped')"));
        c.addBindValue(rolloutId);
        c.addBindValue(stage);
        if (!exec(c) || !c.next() || c.value(0).toLongLong() > 0)
            return;
        c.finish();
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        QSqlQuery u(m_store->database());
        if (stage + 1 >= stageCount) {
            u.prepare(QStringLiteral("UPDATE rollouts SET state = 'done', updated_at = ? WHERE id = ?"));
            u.addBindValue(now);
            u.addBindValue(rolloutId);
            exec(u);
            qCInfo(lcFleetStore) << "rollout" << rolloutId << "done";
            return;
        }
        u.prepare(QStringLiteral("UPDATE rollouts SET current_stage = ?, updated_at = ? WHERE id = ?"));
        u.addBindValue(stage + 1);
        u.addBindValue(now);
        u.addBindValue(rolloutId);
        if (!exec(u) || !queueStage(rolloutId, stage + 1, nullptr))
            return;
        qCInfo(lcFleetStore) << "rollout" << rolloutId << "advanced to stage" << stage + 1;
    }
}

bool FleetStore::decideRollout(qint64 id, const QString &action, const QString &actor, QString *error)
{
    QSqlDatabase &db = m_store->database();
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT state FROM rollouts WHERE id = ?"));
    q.addBindValue(id);
    if (!exec(q, error) || !q.next()) {
        *error = QStringLiteral("no such rollout");
        return false;
    }
    const QString state = q.value(0).toString();
    q.finish();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (action == QLatin1String("cancel") && (state == QLatin1String("running") || state == QLatin1String("halted"))) {
        q.prepare(QStringLiteral("UPDATE rollouts SET state = 'cancelled', reason = ?, updated_at = ? WHERE id = ?"));
        q.addBindValue(QStringLiteral("%1 取消").arg(actor));
        q.addBindValue(now);
        q.addBindValue(id);
        return exec(q, error);
    }
    if (action == QLatin1String("resume") && state == QLatin1String("halted")) {
        if (!db.transaction()) {
            *error = db.lastError().text();
            return false;
        }
        q.prepare(QStringLiteral("UPDATE rollout_devices SET state = 'skipped', updated_at = ? WHERE rollout_id = ? "
                                 "AND state IN ('rolled_back', 'rejected')"));
        q.addBindValue(now);
        q.addBindValue(id);
        QSqlQuery u(db);
        u.prepare(QStringLiteral("UPDATE rollouts SET state = 'running', reason = ?, updated_at = ? WHERE id = ?"));
        u.addBindValue(QStringLiteral("%1 继续（跳过失败终端）").arg(actor));
        u.addBindValue(now);
        u.addBindValue(id);
        if (!exec(q, error) || !exec(u, error) || !db.commit()) {
            db.rollback();
            return false;
        }
        advanceRollout(id);
        return true;
    }
    *error = QStringLiteral("cannot %1 a %2 rollout").arg(action, state);
    return false;
}

QJsonObject FleetStore::rollout(qint64 id)
{
    QSqlQuery r(m_store->database());
    r.prepare(QStringLiteral("SELECT id, bundle_name, version, stages, current_stage, state, reason, actor, created_at, "
                             "updated_at FROM rollouts WHERE id = ?"));
    r.addBindValue(id);
    if (!exec(r) || !r.next())
        return {};
    QJsonObject o{{QStringLiteral("id"), r.value(0).toLongLong()},
                  {QStringLiteral("bundle"), r.value(1).toString()},
                  {QStringLiteral("version"), r.value(2).toString()},
                  {QStringLiteral("stages"), QJsonDocument::fromJson(r.value(3).toString().toUtf8()).array()},
                  {QStringLiteral("currentStage"), r.value(4).toInt()},
                  {QStringLiteral("state"), r.value(5).toString()},
                  {QStringLiteral("reason"), r.value(6).toString()},
                  {QStringLiteral("actor"), r.value(7).toString()},
                  {QStringLiteral("createdAtMs"), r.value(8).toLongLong()},
                  {QStringLiteral("updatedAtMs"), r.value(9).toLongLong()}};
    r.finish();
    QSqlQuery d(m_store->database());
    d.prepare(QStringLiteral("SELECT device_id, stage, state, error FROM rollout_devices WHERE rollout_id = ? ORDER BY device_id"));
    d.addBindValue(id);
    QJsonArray devices;
    QJsonObject counts;
    if (exec(d))
        while (d.next()) {
            const QString state = d.value(2).toString();
            counts.insert(state, counts.value(state).toInt() + 1);
            devices.append(QJsonObject{{QStringLiteral("deviceId"), d.value(0).toString()},
                                       {QStringLiteral("stage"), d.value(1).toInt()},
                                       {QStringLiteral("state"), state},
                                       {QStringLiteral("error"), d.value(3).toString()}});
        }
    o.insert(QStringLiteral("devices"), devices);
    o.insert(QStringLiteral("counts"), counts);
    return o;
}

QJsonArray FleetStore::rollouts()
{
    QJsonArray out;
    QSqlQuery q(m_store->database());
    if (!q.exec(QStringLiteral("SELECT id FROM rollouts ORDER BY id DESC LIMIT 50")))
        return out;
    QList<qint64> ids;
    while (q.next())
        ids << q.value(0).toLongLong();
    for (qint64 id : ids)
        out.append(rollout(id));
    return out;
}

// ---- heartbeats and alerts ----

void FleetStore::onHeartbeat(const HubStore::Device &device, const QJsonObject &beat, qint64 receivedAtMs)
{
    QSqlDatabase &db = m_store->database();
    // One transaction: one fsync per heartbeat for history, rollout progress and alerts.
    const bool inTransaction = db.transaction();
    onHeartbeatLocked(device, beat, receivedAtMs);
    if (inTransaction && !db.commit()) {
        qCWarning(lcFleetStore) << "heartbeat bookkeeping not committed:" << db.lastError().text();
        db.rollback();
    }
}

void FleetStore::onHeartbeatLocked(const HubStore::Device &device, const QJsonObject &beat, qint64 receivedAtMs)
{
    QSqlDatabase &db = m_store->database();
    QSqlQuery h(db);
    h.prepare(QStringLiteral("INSERT INTO heartbeat_history (device_id, received_at, queue_depth, oldest_unsent_age_s, "
                             "drift_ms, disk_free_bytes) VALUES (?, ?, ?, ?, ?, ?)"));
    h.addBindValue(device.deviceId);
    h.addBindValue(receivedAtMs);
    h.addBindValue(beat.value(QLatin1String("queueDepth")).toInteger());
    h.addBindValue(beat.value(QLatin1String("oldestUnsentAgeS")).toInteger());
    h.addBindValue(beat.value(QLatin1String("kioskTimeMs")).toInteger() - receivedAtMs);
    h.addBindValue(beat.value(QLatin1String("disk")).toObject().value(QLatin1String("freeBytes")).toInteger());
    exec(h);
    if (++m_beatsSincePrune >= 500) { // pruning is cheap but needless on every beat
        m_beatsSincePrune = 0;
        h.prepare(QStringLiteral("DELETE FROM heartbeat_history WHERE received_at < ?"));
        h.addBindValue(receivedAtMs - kHistoryKeepMs);
        exec(h);
    }

    const QJsonObject config = beat.value(QLatin1String("config")).toObject();
    const QString rejected = config.value(QLatin1String("rejected")).toString();
    if (!rejected.isEmpty()) {
        const QString message = QStringLiteral("配置 %1 被终端拒绝：%2")
                                    .arg(config.value(QLatin1String("version")).toString(), rejected);
        QSqlQuery seen(db);
        seen.prepare(QStringLiteral("SELECT 1 FROM fleet_alerts WHERE kind = 'config_rejected' AND device_id = ? AND message = ?"));
        seen.addBindValue(device.deviceId);
        seen.addBindValue(message);
        if (exec(seen) && !seen.next())
            addAlert(QStringLiteral("warning"), QStringLiteral("config_rejected"), device.deviceId, message);
    }

    const QJsonObject update = beat.value(QLatin1String("update")).toObject();
    if (update.isEmpty())
        return;
    const QString state = update.value(QLatin1String("state")).toString();
    const QString reported = update.value(QLatin1String("version")).toString();
    const QString running = beat.value(QLatin1String("version")).toString();
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT rd.rollout_id, rd.state, r.version FROM rollout_devices rd "
                             "JOIN rollouts r ON r.id = rd.rollout_id WHERE rd.device_id = ? AND r.state IN ('running', 'halted') "
                             "AND rd.state NOT IN ('pending', 'healthy')"));
    q.addBindValue(device.deviceId);
    if (!exec(q))
        return;
    struct Row { qint64 id; QString state; QString version; };
    QList<Row> rows;
    while (q.next())
        rows.append({q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toString()});
    q.finish();
    for (const Row &row : rows) {
        QString next = row.state;
        const bool aboutThis = reported == row.version || reported.isEmpty();
        if ((state == QLatin1String("rolled_back") || state == QLatin1String("rejected")) && aboutThis)
            next = state;
        else if (state == QLatin1String("healthy") && reported == row.version)
            next = QStringLiteral("healthy");
        else if (state == QLatin1String("idle") && running == row.version)
            next = QStringLiteral("healthy");
        else if ((state == QLatin1String("downloading") || state == QLatin1String("installing")
                  || state == QLatin1String("trial")) && reported == row.version)
            next = state;
        if (next == row.state)
            continue;
        const QString error = update.value(QLatin1String("error")).toString();
        QSqlQuery u(db);
        u.prepare(QStringLiteral("UPDATE rollout_devices SET state = ?, error = ?, updated_at = ? "
                                 "WHERE rollout_id = ? AND device_id = ?"));
        u.addBindValue(next);
        u.addBindValue(error);
        u.addBindValue(receivedAtMs);
        u.addBindValue(row.id);
        u.addBindValue(device.deviceId);
        exec(u);
        if (next == QLatin1String("rolled_back") || next == QLatin1String("rejected")) {
            // One failed kiosk stops the rollout: no further stage is sent until an operator acts.
            const QString reason = QStringLiteral("%1 %2：%3")
                                       .arg(device.deviceId,
                                            next == QLatin1String("rolled_back") ? QStringLiteral("已回滚")
                                                                                 : QStringLiteral("拒绝安装"),
                                            error.isEmpty() ? QStringLiteral("无详细原因") : error);
            QSqlQuery halt(db);
            halt.prepare(QStringLiteral("UPDATE rollouts SET state = 'halted', reason = ?, updated_at = ? WHERE id = ? "
                                        "AND state = 'running'"));
            halt.addBindValue(reason);
            halt.addBindValue(receivedAtMs);
            halt.addBindValue(row.id);
            exec(halt);
            addAlert(QStringLiteral("critical"), QStringLiteral("rollout_halted"), device.deviceId,
                     QStringLiteral("升级 %1 已暂停：%2").arg(row.version, reason), row.id);
            qCWarning(lcFleetStore) << "rollout" << row.id << "halted:" << device.deviceId << next << error;
        } else if (next == QLatin1String("healthy")) {
            advanceRollout(row.id);
        }
    }
}

QJsonArray FleetStore::heartbeatHistory(const QString &deviceId, qint64 sinceMs)
{
    QJsonArray out;
    QSqlQuery q(m_store->database());
    q.prepare(QStringLiteral("SELECT received_at, queue_depth, oldest_unsent_age_s, drift_ms, disk_free_bytes "
                             "FROM heartbeat_history WHERE device_id = ? AND received_at >= ? ORDER BY received_at "
                             "LIMIT 2000"));
    q.addBindValue(deviceId);
    q.addBindValue(sinceMs);
    if (!exec(q))
        return out;
    while (q.next())
        out.append(QJsonObject{{QStringLiteral("atMs"), q.value(0).toLongLong()},
                               {QStringLiteral("queueDepth"), q.value(1).toLongLong()},
                               {QStringLiteral("oldestUnsentAgeS"), q.value(2).toLongLong()},
                               {QStringLiteral("driftMs"), q.value(3).toLongLong()},
                               {QStringLiteral("diskFreeBytes"), q.value(4).toLongLong()}});
    return out;
}

void FleetStore::addAlert(const QString &severity, const QString &kind, const QString &deviceId,
                          const QString &message, qint64 rolloutId)
{
    QSqlQuery q(m_store->database());
    q.prepare(QStringLiteral("INSERT INTO fleet_alerts (created_at, severity, kind, device_id, message, rollout_id) "
                             "VALUES (?, ?, ?, ?, ?, ?)"));
    q.addBindValue(QDateTime::currentMSecsSinceEpoch());
    q.addBindValue(severity);
    q.addBindValue(kind);
    q.addBindValue(deviceId);
    q.addBindValue(message);
    q.addBindValue(rolloutId);
    exec(q);
}

bool FleetStore::acknowledgeAlert(qint64 id, const QString &user)
{
    QSqlQuery q(m_store->database());
    q.prepare(QStringLiteral("UPDATE fleet_alerts SET acked_at = ?, acked_by = ? WHERE id = ? AND acked_at IS NULL"));
    q.addBindValue(QDateTime::currentMSecsSinceEpoch());
    q.addBindValue(user);
    q.addBindValue(id);
    return exec(q) && q.numRowsAffected() == 1;
}

QJsonArray FleetStore::alerts(qint64 nowMs, int heartbeatIntervalS)
{
    QJsonArray out;
    QSqlQuery q(m_store->database());
    if (q.exec(QStringLiteral("SELECT id, created_at, severity, kind, device_id, message, rollout_id FROM fleet_alerts "
                              "WHERE acked_at IS NULL ORDER BY id DESC LIMIT 200")))
        while (q.next())
            out.append(QJsonObject{{QStringLiteral("id"), q.value(0).toLongLong()},
                                   {QStringLiteral("atMs"), q.value(1).toLongLong()},
                                   {QStringLiteral("severity"), q.value(2).toString()},
                                   {QStringLiteral("kind"), q.value(3).toString()},
                                   {QStringLiteral("deviceId"), q.value(4).toString()},
                                   {QStringLiteral("message"), q.value(5).toString()},
                                   {QStringLiteral("rolloutId"), q.value(6).toLongLong()}});
    // Conditions of the fleet right now (not stored: they clear themselves).
    for (const QJsonValue &v : kiosks(nowMs, heartbeatIntervalS)) {
        const QJsonObject k = v.toObject();
        const QString id = k.value(QLatin1String("deviceId")).toString();
        auto derived = [&](const char *severity, const char *kind, const QString &message) {
            out.append(QJsonObject{{QStringLiteral("id"), 0},
                                   {QStringLiteral("atMs"), nowMs},
                                   {QStringLiteral("severity"), QLatin1String(severity)},
                                   {QStringLiteral("kind"), QLatin1String(kind)},
                                   {QStringLiteral("deviceId"), id},
                                   {QStringLiteral("message"), message}});
        };
        if (k.value(QLatin1String("overdue")).toBool())
            derived("warning", "overdue", QStringLiteral("超过两个心跳周期未上报"));
        if (k.value(QLatin1String("driftFlagged")).toBool())
            derived("warning", "clock_drift", QStringLiteral("时钟偏差 %1 秒").arg(k.value(QLatin1String("driftS")).toDouble(), 0, 'f', 0));
        if (k.value(QLatin1String("diskLow")).toBool())
            derived("warning", "disk_low", QStringLiteral("磁盘空间不足，终端已停止受理评价"));
        if (k.value(QLatin1String("oldestUnsentAgeS")).toInteger() > kOldestUnsentAlertS)
            derived("warning", "backlog", QStringLiteral("最早未上传评价已滞留 %1 小时")
                                              .arg(k.value(QLatin1String("oldestUnsentAgeS")).toInteger() / 3600));
        if (k.value(QLatin1String("conflicts")).toInt() > 0 || k.value(QLatin1String("seqGaps")).toInteger() > 0
            || k.value(QLatin1String("tamper")).toBool())
            derived("critical", "tamper",
                    QStringLiteral("评价记录冲突、缺号或账本校验失败（疑似篡改）%1")
                        .arg(k.value(QLatin1String("tamperKinds")).toArray().isEmpty()
                                 ? QString()
                                 : QStringLiteral("：") + k.value(QLatin1String("tamperKinds")).toVariant().toStringList().join(QStringLiteral("、"))));
    }
    return out;
}

QJsonArray FleetStore::kiosks(qint64 nowMs, int heartbeatIntervalS)
{
    QHash<QString, QPair<qint64, qint64>> evalStats; // deviceId -> (count, max seq)
    QHash<QString, qint64> conflicts;
    QSqlQuery s(m_store->database());
    if (s.exec(QStringLiteral("SELECT device_id, COUNT(*), MAX(device_seq) FROM evaluations GROUP BY device_id")))
        while (s.next())
            evalStats.insert(s.value(0).toString(), {s.value(1).toLongLong(), s.value(2).toLongLong()});
    if (s.exec(QStringLiteral("SELECT device_id, COUNT(*) FROM evaluation_problems WHERE kind = 'conflict' GROUP BY device_id")))
        while (s.next())
            conflicts.insert(s.value(0).toString(), s.value(1).toLongLong());
    // The ledger checks' findings (LedgerCheck: deleted, edited, reordered entries, new identity…).
    QHash<QString, QStringList> tamperKinds;
    if (s.exec(QStringLiteral("SELECT DISTINCT device_id, kind FROM tamper_alerts")))
        while (s.next())
            tamperKinds[s.value(0).toString()].append(s.value(1).toString());
    QSet<QString> keyed;
    if (s.exec(QStringLiteral("SELECT device_id FROM device_keys")))
        while (s.next())
            keyed.insert(s.value(0).toString());
    QJsonArray out;
    QSqlQuery q(m_store->database());
    if (!q.exec(QStringLiteral("SELECT device_id, hall_code, device_class, version, enrolled_at, last_heartbeat_at, "
                               "heartbeat, queue_depth, oldest_unsent_age_s, drift_ms, drift_flagged, disk_low "
                               "FROM devices ORDER BY device_id")))
        return out;
    const qint64 overdueAfterMs = 2LL * heartbeatIntervalS * 1000;
    while (q.next()) {
        const QString id = q.value(0).toString();
        const bool beaten = !q.value(5).isNull();
        const qint64 last = beaten ? q.value(5).toLongLong() : q.value(4).toLongLong();
        const QJsonObject beat = parse(q.value(6));
        const QJsonObject update = beat.value(QLatin1String("update")).toObject();
        const QJsonObject config = beat.value(QLatin1String("config")).toObject();
        const QJsonObject disk = beat.value(QLatin1String("disk")).toObject();
        const auto stats = evalStats.value(id);
        const QJsonValue tamper = beat.value(QLatin1String("tamper"));
        out.append(QJsonObject{
            {QStringLiteral("deviceId"), id},
            {QStringLiteral("hallCode"), q.value(1).toString()},
            {QStringLiteral("deviceClass"), q.value(2).toString()},
            {QStringLiteral("version"), q.value(3).toString()},
            {QStringLiteral("lastHeartbeatAtMs"), beaten ? QJsonValue(last) : QJsonValue()},
            {QStringLiteral("online"), beaten && nowMs - last <= overdueAfterMs},
            {QStringLiteral("overdue"), nowMs - last > overdueAfterMs},
            {QStringLiteral("queueDepth"), q.value(7).toLongLong()},
            {QStringLiteral("oldestUnsentAgeS"), q.value(8).toLongLong()},
            {QStringLiteral("driftS"), q.value(9).toLongLong() / 1000.0},
            {QStringLiteral("driftFlagged"), q.value(10).toInt() != 0},
            {QStringLiteral("diskLow"), q.value(11).toInt() != 0},
            {QStringLiteral("diskFreeBytes"), disk.value(QLatin1String("freeBytes")).toInteger()},
            {QStringLiteral("diskTotalBytes"), disk.value(QLatin1String("totalBytes")).toInteger()},
            {QStringLiteral("deviceStatus"), beat.value(QLatin1String("deviceStatus")).toObject()},
            {QStringLiteral("updateState"), update.value(QLatin1String("state")).toString()},
            {QStringLiteral("updateVersion"), update.value(QLatin1String("version")).toString()},
            {QStringLiteral("updateError"), update.value(QLatin1String("error")).toString()},
            {QStringLiteral("slot"), update.value(QLatin1String("slot")).toString()},
            {QStringLiteral("updateDeviceClass"), update.value(QLatin1String("deviceClass")).toString()},
            {QStringLiteral("configVersion"), config.value(QLatin1String("version")).toString()},
            {QStringLiteral("configRejected"), config.value(QLatin1String("rejected")).toString()},
            {QStringLiteral("evaluations"), stats.first},
            {QStringLiteral("seqGaps"), stats.second - stats.first},
            {QStringLiteral("conflicts"), conflicts.value(id)},
            {QStringLiteral("tamper"), (tamper.isBool() ? tamper.toBool() : !tamper.toObject().isEmpty())
                                           || tamperKinds.contains(id)},
            {QStringLiteral("tamperKinds"), QJsonArray::fromStringList(tamperKinds.value(id))},
            {QStringLiteral("signedLedger"), keyed.contains(id)},
            {QStringLiteral("fraud"), beat.value(QLatin1String("fraud")).toObject()},
        });
    }
    return out;
}

QJsonObject FleetStore::satisfaction(qint64 sinceMs)
{
    struct Acc { QString name; qint64 count = 0, sum = 0, satisfied = 0, bad = 0; };
    QHash<QString, Acc> halls, depts, staff;
    qint64 levels[6] = {0, 0, 0, 0, 0, 0};
    QHash<QString, QJsonObject> caseCache;
    QSqlQuery caseQuery(m_store->database());
    caseQuery.prepare(QStringLiteral("SELECT payload FROM cases WHERE project_no = ? ORDER BY service_number LIMIT 1"));
    QSqlQuery q(m_store->database());
    q.prepare(QStringLiteral("SELECT e.satisfaction, e.payload, d.hall_code FROM evaluations e "
                             "JOIN devices d ON d.device_id = e.device_id WHERE e.received_at >= ? "
                             // 不予采纳 after an upheld appeal: stored, but not in the 通报.
                             "AND NOT EXISTS (SELECT 1 FROM grievance_exclusions x WHERE x.evaluation_id = e.id)"));
    q.addBindValue(sinceMs);
    if (!exec(q))
        return {};
    auto add = [](Acc &a, const QString &name, int s) {
        if (a.name.isEmpty())
            a.name = name;
        ++a.count;
        a.sum += s;
        a.satisfied += s >= 4 ? 1 : 0;
        a.bad += s <= 2 ? 1 : 0;
    };
    while (q.next()) {
        const int s = q.value(0).toInt();
        if (s < 1 || s > 5)
            continue;
        ++levels[s];
        const QJsonObject e = parse(q.value(1));
        const QString projectNo = e.value(QLatin1String("projectNo")).toString();
        if (!caseCache.contains(projectNo)) {
            caseQuery.bindValue(0, projectNo);
            caseCache.insert(projectNo, caseQuery.exec() && caseQuery.next() ? parse(caseQuery.value(0)) : QJsonObject());
            caseQuery.finish();
        }
        const QJsonObject c = caseCache.value(projectNo);
        const QString hall = q.value(2).toString();
        add(halls[hall], hall, s);
        const QString deptCode = e.value(QLatin1String("deptCode")).toString();
        const QString deptName = c.value(QLatin1String("deptName")).toString();
        add(depts[deptCode.isEmpty() ? QStringLiteral("-") : deptCode], deptName.isEmpty() ? deptCode : deptName, s);
        const QString staffNo = e.value(QLatin1String("staffNo")).toString();
        const QString staffName = c.value(QLatin1String("staffName")).toString();
        add(staff[staffNo.isEmpty() ? QStringLiteral("-") : staffNo],
            staffName.isEmpty() ? staffNo : QStringLiteral("%1（%2）").arg(staffName, staffNo), s);
    }
    auto rows = [](const QHash<QString, Acc> &map) {
        QList<QPair<QString, Acc>> list;
        for (auto it = map.begin(); it != map.end(); ++it)
            list.append({it.key(), it.value()});
        std::sort(list.begin(), list.end(), [](const auto &a, const auto &b) {
            return a.second.count != b.second.count ? a.second.count > b.second.count : a.first < b.first;
        });
        QJsonArray out;
        for (const auto &[key, a] : list)
            out.append(QJsonObject{{QStringLiteral("key"), key},
                                   {QStringLiteral("name"), a.name.isEmpty() ? key : a.name},
                                   {QStringLiteral("count"), a.count},
                                   {QStringLiteral("average"), double(a.sum) / a.count},
                                   {QStringLiteral("satisfiedRate"), double(a.satisfied) / a.count},
                                   {QStringLiteral("bad"), a.bad}});
        return out;
    };
    qint64 total = 0;
    QJsonArray levelArray;
    for (int s = 1; s <= 5; ++s) {
        levelArray.append(levels[s]);
        total += levels[s];
    }
    return {{QStringLiteral("sinceMs"), sinceMs},
            {QStringLiteral("total"), total},
            {QStringLiteral("levels"), levelArray},
            {QStringLiteral("halls"), rows(halls)},
            {QStringLiteral("departments"), rows(depts)},
            {QStringLiteral("staff"), rows(staff)}};
}

} // namespace hcp::sync::hub

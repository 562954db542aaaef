// SPDX-License-Identifier: Apache-2.0
// HubStore: connection, devices, cases and the feed, heartbeats and commands; ingest.cpp stores
// evaluation batches.
#include "hubstore.h"

#include "../wire.h"
#include "hubschema.h"
#include "personaldata.h"
#include "storeinternal.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QSqlError>
#include <QSqlQuery>
#include <QUrl>
#include <QUuid>

Q_LOGGING_CATEGORY(lcHubStore, "hcp.sync.hub.store")

namespace hcp::sync::hub {

namespace {

QByteArray randomHex(int bytes)
{
    QByteArray raw(bytes, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(raw.data()), bytes / 4);
    return raw.toHex();
}

using storeinternal::compact;

QJsonObject parseObject(const QVariant &v)
{
    return QJsonDocument::fromJson(v.toString().toUtf8()).object();
}

} // namespace

HubStore::HubStore() = default;

HubStore::~HubStore()
{
    if (m_db.isValid()) {
        m_db.close();
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_connectionName);
    }
}

bool HubStore::execLogged(QSqlQuery &q, const QLoggingCategory &(*category)(), QString *error)
{
    if (q.exec())
        return true;
    if (error)
        *error = q.lastError().text();
    qCWarning(category) << "SQL failed:" << q.lastError().text() << q.lastQuery();
    return false;
}

bool HubStore::exec(QSqlQuery &q)
{
    return execLogged(q, lcHubStore, &m_lastError);
}

bool HubStore::open(const QString &spec, QString *error)
{
    m_connectionName = QStringLiteral("hcp-hub-") + QUuid::createUuid().toString(QUuid::Id128);
    m_postgres = spec.startsWith(QLatin1String("postgres://")) || spec.startsWith(QLatin1String("postgresql://"));
    if (m_postgres) {
        const QUrl url(spec);
        m_db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), m_connectionName);
        m_db.setHostName(url.host());
        m_db.setPort(url.port(5432));
        m_db.setUserName(url.userName());
        m_db.setPassword(url.password());
        m_db.setDatabaseName(url.path().mid(1).isEmpty() ? QStringLiteral("postgres") : url.path().mid(1));
    } else {
        m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
        m_db.setDatabaseName(spec);
        m_db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
    }
    if (!openConnection(error))
        return false;
    // The tables come from the versioned migrations (every owner's DDL, hubschema.cpp); the
    // certKey and the hash scheme of stored cases are data, set up after them.
    return HubSchema::migrate(m_db, m_postgres, error) && loadCertKey(error) && migrateCertKeyHashes(*this, error);
}

bool HubStore::openConnection(QString *error)
{
    if (!m_db.open()) {
        if (error)
            *error = m_db.lastError().text();
        return false;
    }
    if (!m_postgres) {
        QSqlQuery q(m_db);
        q.exec(QStringLiteral("PRAGMA journal_mode=WAL"));
        // An acknowledged batch must survive a power cut: the kiosk deletes nothing, but it
        // stops resending once acked.
        q.exec(QStringLiteral("PRAGMA synchronous=FULL"));
        // The (deviceId, uuid) index takes random inserts; keep its pages in memory instead of
        // re-reading them from the OS for every batch.
        q.exec(QStringLiteral("PRAGMA cache_size=-65536"));
        q.exec(QStringLiteral("PRAGMA mmap_size=268435456"));
    }
    return true;
}

bool HubStore::openLike(const HubStore &primary, QString *error)
{
    m_connectionName = QStringLiteral("hcp-hub-") + QUuid::createUuid().toString(QUuid::Id128);
    m_postgres = primary.m_postgres;
    m_certKey = primary.m_certKey;
    m_heartbeatIntervalS = primary.m_heartbeatIntervalS;
    m_ratingWindowDays = primary.m_ratingWindowDays;
    // Same driver, database and options as the primary connection (thread-safe by name).
    m_db = QSqlDatabase::cloneDatabase(primary.m_connectionName, m_connectionName);
    return openConnection(error);
}

bool HubStore::execStatements(QSqlDatabase &db, const QStringList &statements, QString *error)
{
    QSqlQuery q(db);
    for (const QString &s : statements) {
        if (!q.exec(s)) {
            if (error)
                *error = q.lastError().text() + QStringLiteral(" in ") + s;
            return false;
        }
    }
    return true;
}

bool HubStore::createTables(QSqlDatabase &db, bool postgres, QString *error)
{
    const QString id = postgres ? QStringLiteral("id BIGSERIAL PRIMARY KEY")
                                  : QStringLiteral("id INTEGER PRIMARY KEY AUTOINCREMENT");
    const QStringList statements{
        QStringLiteral("CREATE TABLE IF NOT EXISTS hub_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"),
        QStringLiteral("CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value BIGINT NOT NULL)"),
        QStringLiteral("CREATE TABLE IF NOT EXISTS devices (device_id TEXT PRIMARY KEY, secret TEXT NOT NULL, "
                       "hall_code TEXT NOT NULL, device_class TEXT NOT NULL, version TEXT, "
                       "enrolled_at BIGINT NOT NULL, last_heartbeat_at BIGINT, heartbeat TEXT, "
                       "queue_depth BIGINT, oldest_unsent_age_s BIGINT, quarantined BIGINT, drift_ms BIGINT, "
                       "drift_flagged INTEGER NOT NULL DEFAULT 0, disk_low INTEGER NOT NULL DEFAULT 0)"),
        QStringLiteral("CREATE TABLE IF NOT EXISTS evaluations (%1, device_id TEXT NOT NULL, uuid TEXT NOT NULL, "
                       "device_seq BIGINT NOT NULL, project_no TEXT NOT NULL, satisfaction INTEGER NOT NULL, "
                       "assess_time TEXT NOT NULL, payload TEXT NOT NULL, fingerprint TEXT NOT NULL, "
                       "received_at BIGINT NOT NULL, device_time BIGINT, duplicates INTEGER NOT NULL DEFAULT 0)")
            .arg(id),
        QStringLiteral("CREATE UNIQUE INDEX IF NOT EXISTS evaluations_device_uuid ON evaluations(device_id, uuid)"),
        QStringLiteral("CREATE UNIQUE INDEX IF NOT EXISTS evaluations_device_seq ON evaluations(device_id, device_seq)"),
        QStringLiteral("CREATE TABLE IF NOT EXISTS evaluation_problems (%1, kind TEXT NOT NULL, device_id TEXT NOT NULL, "
                       "uuid TEXT, device_seq BIGINT, reason TEXT NOT NULL, payload TEXT NOT NULL, "
                       "received_at BIGINT NOT NULL)")
            .arg(id),
        QStringLiteral("CREATE TABLE IF NOT EXISTS cases (project_no TEXT NOT NULL, service_number INTEGER NOT NULL, "
                       "hall_code TEXT NOT NULL, user_name TEXT NOT NULL, cert_key_hash TEXT, payload TEXT NOT NULL, "
                       "change_seq BIGINT NOT NULL, PRIMARY KEY (project_no, service_number))"),
        QStringLiteral("CREATE INDEX IF NOT EXISTS cases_hall_change ON cases(hall_code, change_seq)"),
        QStringLiteral("CREATE INDEX IF NOT EXISTS cases_cert ON cases(cert_key_hash)"),
        QStringLiteral("CREATE TABLE IF NOT EXISTS commands (%1, device_id TEXT NOT NULL, type TEXT NOT NULL, "
                       "args TEXT NOT NULL, created_at BIGINT NOT NULL, acked_at BIGINT)")
            .arg(id),
        QStringLiteral("INSERT INTO counters (name, value) VALUES ('case_change', 0) ON CONFLICT DO NOTHING"),
    };
    return execStatements(db, statements, error);
}

bool HubStore::loadCertKey(QString *error)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("INSERT INTO hub_meta (key, value) VALUES ('cert_key', ?) ON CONFLICT DO NOTHING"));
    q.addBindValue(QString::fromLatin1(randomHex(32)));
    if (!exec(q) || !q.exec(QStringLiteral("SELECT value FROM hub_meta WHERE key = 'cert_key'")) || !q.next()) {
        if (error)
            *error = QStringLiteral("cannot establish the certKey: ") + q.lastError().text();
        return false;
    }
    m_certKey = QByteArray::fromHex(q.value(0).toString().toLatin1());
    return true;
}

HubStore::EnrollResult HubStore::enroll(const QString &deviceId, const QString &hallCode,
                                        const QString &deviceClass, const QString &version,
                                        QByteArray *secretOut)
{
    const QByteArray secret = randomHex(32);
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("INSERT INTO devices (device_id, secret, hall_code, device_class, version, enrolled_at) "
                             "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING"));
    q.addBindValue(deviceId);
    q.addBindValue(QString::fromLatin1(secret));
    q.addBindValue(hallCode);
    q.addBindValue(deviceClass);
    q.addBindValue(version);
    q.addBindValue(QDateTime::currentMSecsSinceEpoch());
    if (!exec(q))
        return EnrollResult::Failed;
    if (q.numRowsAffected() != 1)
        return EnrollResult::Exists;
    *secretOut = QByteArray::fromHex(secret);
    return EnrollResult::Enrolled;
}

std::optional<HubStore::Device> HubStore::device(const QString &deviceId)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT secret, hall_code, device_class FROM devices WHERE device_id = ?"));
    q.addBindValue(deviceId);
    if (!exec(q) || !q.next())
        return std::nullopt;
    return Device{deviceId, QByteArray::fromHex(q.value(0).toString().toLatin1()), q.value(1).toString(),
                  q.value(2).toString()};
}

bool HubStore::importCases(const QJsonArray &cases, int *imported, QJsonArray *rejected, QString *error)
{
    QList<QJsonObject> good;
    for (int i = 0; i < cases.size(); ++i) {
        QJsonObject c = cases.at(i).toObject();
        if (c.contains(QLatin1String("certNo"))) {
            const QString certNo = c.take(QStringLiteral("certNo")).toString();
            if (!certNo.trimmed().isEmpty())
                c.insert(QStringLiteral("certKeyHash"), QString::fromLatin1(wire::certKeyHash(m_certKey, certNo)));
        }
        const QString reason = cases.at(i).isObject() ? wire::validateCase(c) : QStringLiteral("not a JSON object");
        if (!reason.isEmpty()) {
            rejected->append(QJsonObject{{QStringLiteral("index"), i}, {QStringLiteral("reason"), reason}});
            continue;
        }
        good.append(c);
    }
    *imported = 0;
    if (good.isEmpty())
        return true;
    if (!m_db.transaction()) {
        *error = m_db.lastError().text();
        return false;
    }
    QSqlQuery counter(m_db);
    counter.prepare(QStringLiteral("UPDATE counters SET value = value + ? WHERE name = 'case_change' RETURNING value"));
    counter.addBindValue(static_cast<qint64>(good.size()));
    if (!exec(counter) || !counter.next()) {
        *error = m_lastError;
        m_db.rollback();
        return false;
    }
    qint64 seq = counter.value(0).toLongLong() - good.size();
    counter.finish();
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("INSERT INTO cases (project_no, service_number, hall_code, user_name, cert_key_hash, "
                             "payload, change_seq) VALUES (?, ?, ?, ?, ?, ?, ?) "
                             "ON CONFLICT (project_no, service_number) DO UPDATE SET hall_code = excluded.hall_code, "
                             "user_name = excluded.user_name, cert_key_hash = excluded.cert_key_hash, "
                             "payload = excluded.payload, change_seq = excluded.change_seq"));
    for (const QJsonObject &c : good) {
        q.bindValue(0, c.value(QLatin1String("projectNo")).toString());
        q.bindValue(1, c.value(QLatin1String("serviceNumber")).toInt());
        q.bindValue(2, c.value(QLatin1String("hallCode")).toString());
        q.bindValue(3, c.value(QLatin1String("userName")).toString());
        q.bindValue(4, c.value(QLatin1String("certKeyHash")).toString().toLower());
        q.bindValue(5, QString::fromUtf8(compact(c)));
        q.bindValue(6, ++seq);
        if (!exec(q)) {
            *error = m_lastError;
            m_db.rollback();
            return false;
        }
    }
    if (!m_db.commit()) {
        *error = m_db.lastError().text();
        m_db.rollback();
        return false;
    }
    *imported = good.size();
    return true;
}

// The cases matching `where` (bound to `values`), of one hall when hallCode is given.
bool HubStore::lookupCases(const QString &where, const QVariantList &values, const QString &hallCode,
                           const QString &order, QJsonArray *out)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT payload FROM cases WHERE %1%2 ORDER BY %3")
                  .arg(where, hallCode.isEmpty() ? QString() : QStringLiteral(" AND hall_code = ?"), order));
    for (const QVariant &v : values)
        q.addBindValue(v);
    if (!hallCode.isEmpty())
        q.addBindValue(hallCode);
    if (!exec(q))
        return false;
    while (q.next())
        out->append(parseObject(q.value(0)));
    return true;
}

bool HubStore::lookupByProjectNo(const QString &projectNo, const QString &name, QJsonArray *out, const QString &hallCode)
{
    return lookupCases(QStringLiteral("project_no = ? AND user_name = ?"), {projectNo, name}, hallCode,
                       QStringLiteral("service_number"), out);
}

bool HubStore::lookupByProjectNoOnly(const QString &projectNo, QJsonArray *out, const QString &hallCode)
{
    return lookupCases(QStringLiteral("project_no = ?"), {projectNo}, hallCode, QStringLiteral("service_number"), out);
}

bool HubStore::lookupByCertKeyHash(const QString &hash, QJsonArray *out, const QString &hallCode)
{
    return lookupCases(QStringLiteral("cert_key_hash = ?"), {hash.toLower()}, hallCode,
                       QStringLiteral("change_seq DESC LIMIT 200"), out);
}

bool HubStore::feed(const QString &hallCode, qint64 cursor, int limit, QJsonArray *out, qint64 *nextCursor,
                    bool *hasMore)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT payload, change_seq FROM cases WHERE hall_code = ? AND change_seq > ? "
                             "ORDER BY change_seq LIMIT ?"));
    q.addBindValue(hallCode);
    q.addBindValue(cursor);
    q.addBindValue(limit + 1);
    if (!exec(q))
        return false;
    *nextCursor = cursor;
    *hasMore = false;
    while (q.next()) {
        if (out->size() == limit) {
            *hasMore = true;
            break;
        }
        QJsonObject c = parseObject(q.value(0));
        *nextCursor = q.value(1).toLongLong();
        c.insert(QStringLiteral("changeSeq"), *nextCursor);
        out->append(c);
    }
    return true;
}

bool HubStore::heartbeat(const Device &device, const QJsonObject &beat, qint64 receivedAtMs, qint64 driftMs,
                         QJsonArray *commands)
{
    if (!m_db.transaction())
        return false;
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("UPDATE devices SET version = ?, last_heartbeat_at = ?, heartbeat = ?, queue_depth = ?, "
                             "oldest_unsent_age_s = ?, quarantined = ?, drift_ms = ?, drift_flagged = ?, disk_low = ? "
                             "WHERE device_id = ?"));
    q.addBindValue(beat.value(QLatin1String("version")).toString());
    q.addBindValue(receivedAtMs);
    q.addBindValue(QString::fromUtf8(compact(beat)));
    q.addBindValue(beat.value(QLatin1String("queueDepth")).toInteger());
    q.addBindValue(beat.value(QLatin1String("oldestUnsentAgeS")).toInteger());
    q.addBindValue(beat.value(QLatin1String("quarantined")).toInteger());
    q.addBindValue(driftMs);
    q.addBindValue(qAbs(driftMs) > wire::kDriftLimitMs ? 1 : 0);
    q.addBindValue(beat.value(QLatin1String("disk")).toObject().value(QLatin1String("low")).toBool() ? 1 : 0);
    q.addBindValue(device.deviceId);
    if (!exec(q)) {
        m_db.rollback();
        return false;
    }
    QSqlQuery ack(m_db);
    ack.prepare(QStringLiteral("UPDATE commands SET acked_at = ? WHERE id = ? AND device_id = ? AND acked_at IS NULL"));
    for (const QJsonValue &id : beat.value(QLatin1String("ackedCommands")).toArray()) {
        ack.bindValue(0, receivedAtMs);
        ack.bindValue(1, id.toInteger());
        ack.bindValue(2, device.deviceId);
        if (!exec(ack)) {
            m_db.rollback();
            return false;
        }
    }
    QSqlQuery pending(m_db);
    pending.prepare(QStringLiteral("SELECT id, type, args FROM commands WHERE device_id = ? AND acked_at IS NULL ORDER BY id"));
    pending.addBindValue(device.deviceId);
    if (!exec(pending)) {
        m_db.rollback();
        return false;
    }
    while (pending.next())
        commands->append(QJsonObject{{QStringLiteral("id"), pending.value(0).toLongLong()},
                                     {QStringLiteral("type"), pending.value(1).toString()},
                                     {QStringLiteral("args"), parseObject(pending.value(2))}});
    pending.finish();
    return m_db.commit();
}

qint64 HubStore::addCommand(const QString &deviceId, const QString &type, const QJsonObject &args)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("INSERT INTO commands (device_id, type, args, created_at) VALUES (?, ?, ?, ?) RETURNING id"));
    q.addBindValue(deviceId);
    q.addBindValue(type);
    q.addBindValue(QString::fromUtf8(compact(args)));
    q.addBindValue(QDateTime::currentMSecsSinceEpoch());
    if (!exec(q) || !q.next())
        return -1;
    return q.value(0).toLongLong();
}

QJsonArray HubStore::devices(qint64 nowMs)
{
    QHash<QString, QPair<qint64, qint64>> evalStats; // deviceId -> (count, max seq)
    QSqlQuery s(m_db);
    if (s.exec(QStringLiteral("SELECT device_id, COUNT(*), MAX(device_seq) FROM evaluations GROUP BY device_id")))
        while (s.next())
            evalStats.insert(s.value(0).toString(), {s.value(1).toLongLong(), s.value(2).toLongLong()});
    QJsonArray out;
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral("SELECT device_id, hall_code, device_class, version, enrolled_at, last_heartbeat_at, "
                               "heartbeat, queue_depth, oldest_unsent_age_s, quarantined, drift_ms, drift_flagged, "
                               "disk_low FROM devices ORDER BY device_id")))
        return out;
    const qint64 overdueAfterMs = 2LL * m_heartbeatIntervalS * 1000;
    while (q.next()) {
        const QString id = q.value(0).toString();
        const qint64 enrolled = q.value(4).toLongLong();
        const bool beaten = !q.value(5).isNull();
        const qint64 last = beaten ? q.value(5).toLongLong() : enrolled;
        const auto stats = evalStats.value(id);
        const QJsonObject beat = parseObject(q.value(6));
        out.append(QJsonObject{
            {QStringLiteral("deviceId"), id},
            {QStringLiteral("hallCode"), q.value(1).toString()},
            {QStringLiteral("deviceClass"), q.value(2).toString()},
            {QStringLiteral("version"), q.value(3).toString()},
            {QStringLiteral("enrolledAtMs"), enrolled},
            {QStringLiteral("lastHeartbeatAtMs"), beaten ? QJsonValue(last) : QJsonValue()},
            {QStringLiteral("overdue"), nowMs - last > overdueAfterMs},
            {QStringLiteral("queueDepth"), q.value(7).toLongLong()},
            {QStringLiteral("oldestUnsentAgeS"), q.value(8).toLongLong()},
            {QStringLiteral("quarantined"), q.value(9).toLongLong()},
            {QStringLiteral("driftS"), q.value(10).toLongLong() / 1000.0},
            {QStringLiteral("driftFlagged"), q.value(11).toInt() != 0},
            {QStringLiteral("diskLow"), q.value(12).toInt() != 0},
            {QStringLiteral("deviceStatus"), beat.value(QLatin1String("deviceStatus"))},
            {QStringLiteral("evaluations"), stats.first},
            {QStringLiteral("maxDeviceSeq"), stats.second},
            {QStringLiteral("seqGaps"), stats.second - stats.first},
        });
    }
    return out;
}

QJsonObject HubStore::stats()
{
    auto scalar = [this](const QString &sql) -> qint64 {
        QSqlQuery q(m_db);
        return q.exec(sql) && q.next() ? q.value(0).toLongLong() : -1;
    };
    return QJsonObject{
        {QStringLiteral("evaluations"), scalar(QStringLiteral("SELECT COUNT(*) FROM evaluations"))},
        {QStringLiteral("duplicates"), scalar(QStringLiteral("SELECT COALESCE(SUM(duplicates), 0) FROM evaluations"))},
        {QStringLiteral("conflicts"), scalar(QStringLiteral("SELECT COUNT(*) FROM evaluation_problems WHERE kind = 'conflict'"))},
        {QStringLiteral("invalid"), scalar(QStringLiteral("SELECT COUNT(*) FROM evaluation_problems WHERE kind = 'invalid'"))},
        {QStringLiteral("devices"), scalar(QStringLiteral("SELECT COUNT(*) FROM devices"))},
        {QStringLiteral("cases"), scalar(QStringLiteral("SELECT COUNT(*) FROM cases"))},
    };
}

QJsonArray HubStore::evaluations(const QString &deviceId, qint64 afterId, int limit, qint64 *nextAfterId)
{
    QJsonArray out;
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT id, device_id, uuid, device_seq, received_at, device_time, duplicates, payload "
                             "FROM evaluations WHERE id > ? AND (? = '' OR device_id = ?) ORDER BY id LIMIT ?"));
    q.addBindValue(afterId);
    q.addBindValue(deviceId);
    q.addBindValue(deviceId);
    q.addBindValue(limit);
    *nextAfterId = afterId;
    if (!exec(q))
        return out;
    while (q.next()) {
        *nextAfterId = q.value(0).toLongLong();
        out.append(QJsonObject{
            {QStringLiteral("id"), *nextAfterId},
            {QStringLiteral("deviceId"), q.value(1).toString()},
            {QStringLiteral("uuid"), q.value(2).toString()},
            {QStringLiteral("deviceSeq"), q.value(3).toLongLong()},
            {QStringLiteral("receivedAtMs"), q.value(4).toLongLong()},
            {QStringLiteral("deviceTimeMs"), q.value(5).toLongLong()},
            {QStringLiteral("duplicates"), q.value(6).toLongLong()},
            {QStringLiteral("payload"), parseObject(q.value(7))},
        });
    }
    return out;
}

QJsonArray HubStore::problems(const QStringList &kinds, int limit)
{
    QJsonArray out;
    QSqlQuery q(m_db);
    const QString placeholders = QStringList(kinds.size(), QStringLiteral("?")).join(QLatin1Char(','));
    q.prepare(QStringLiteral("SELECT * FROM (SELECT id, kind, device_id, uuid, device_seq, reason, received_at, payload "
                             "FROM evaluation_problems%1 ORDER BY id DESC%2) newest ORDER BY id")
                  .arg(kinds.isEmpty() ? QString() : QStringLiteral(" WHERE kind IN (%1)").arg(placeholders),
                       limit > 0 ? QStringLiteral(" LIMIT %1").arg(limit) : QString()));
    for (const QString &k : kinds)
        q.addBindValue(k);
    if (!exec(q))
        return out;
    while (q.next())
        out.append(QJsonObject{
            {QStringLiteral("id"), q.value(0).toLongLong()},
            {QStringLiteral("kind"), q.value(1).toString()},
            {QStringLiteral("deviceId"), q.value(2).toString()},
            {QStringLiteral("uuid"), q.value(3).toString()},
            {QStringLiteral("deviceSeq"), q.value(4).toLongLong()},
            {QStringLiteral("reason"), q.value(5).toString()},
            {QStringLiteral("receivedAtMs"), q.value(6).toLongLong()},
            {QStringLiteral("payload"), parseObject(q.value(7))},
        });
    return out;
}

} // namespace hcp::sync::hub

// SPDX-License-Identifier: Apache-2.0
// LedgerCheck: device keys, known heads, findings and tamper alerts, audit records and evidence.
// batchcheck.cpp checks a batch's or a heartbeat's ledger.
#include "ledgercheck.h"

#include "hubstore.h"
#include "ledgerinternal.h"

#include "canonicaljson.h"
#include "deviceidentity.h"
#include "ledgerverifier.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QSqlError>
#include <QSqlQuery>

#include <algorithm>
#include <limits>
#include <map>

Q_LOGGING_CATEGORY(lcLedgerCheck, "hcp.sync.hub.ledger")

namespace hcp::sync::hub {

namespace {

using ledgerinternal::Transaction;
using ledgerinternal::unhex;

} // namespace

LedgerCheck::LedgerCheck(HubStore *store)
    : m_store(store)
{
}

bool LedgerCheck::ensureSchema(QSqlDatabase &db, bool postgres, QString *error)
{
    const QString id = postgres ? QStringLiteral("id BIGSERIAL PRIMARY KEY")
                                : QStringLiteral("id INTEGER PRIMARY KEY AUTOINCREMENT");
    const QStringList statements{
        QStringLiteral("CREATE TABLE IF NOT EXISTS device_keys (device_id TEXT PRIMARY KEY, key_type TEXT NOT NULL, "
                       "public_key TEXT NOT NULL, fingerprint TEXT NOT NULL, registered_at BIGINT NOT NULL)"),
        QStringLiteral("CREATE TABLE IF NOT EXISTS ledger_heads (device_id TEXT PRIMARY KEY, device_seq BIGINT NOT NULL, "
                       "entry_hash TEXT NOT NULL, updated_at BIGINT NOT NULL)"),
        QStringLiteral("CREATE TABLE IF NOT EXISTS ledger_entries (device_id TEXT NOT NULL, device_seq BIGINT NOT NULL, "
                       "uuid TEXT NOT NULL, entry_hash TEXT NOT NULL, payload_hash TEXT NOT NULL, "
                       "PRIMARY KEY (device_id, device_seq))"),
        QStringLiteral("CREATE TABLE IF NOT EXISTS tamper_evidence (%1, device_id TEXT NOT NULL, what TEXT NOT NULL, "
                       "body TEXT NOT NULL, received_at BIGINT NOT NULL)")
            .arg(id),
        QStringLiteral("CREATE TABLE IF NOT EXISTS tamper_alerts (%1, device_id TEXT NOT NULL, kind TEXT NOT NULL, "
                       "device_seq BIGINT NOT NULL, uuid TEXT NOT NULL, evidence TEXT NOT NULL, evidence_id BIGINT, "
                       "received_at BIGINT NOT NULL)")
            .arg(id),
        QStringLiteral("CREATE TABLE IF NOT EXISTS audit_records (device_id TEXT NOT NULL, uuid TEXT NOT NULL, "
                       "device_seq BIGINT NOT NULL, action TEXT NOT NULL, record TEXT NOT NULL, "
                       "received_at BIGINT NOT NULL, PRIMARY KEY (device_id, uuid))"),
        // One alert per finding, however often a tampered kiosk resends the same batch.
        QStringLiteral("CREATE UNIQUE INDEX IF NOT EXISTS tamper_alerts_finding ON tamper_alerts(device_id, kind, device_seq, uuid)"),
    };
    if (!HubStore::execStatements(db, statements, error))
        return false;
    // How often an aggregated finding (unknown-key: one alert per device and hour) was seen;
    // added to databases made before it.
    QSqlQuery has(db);
    if (postgres || !has.exec(QStringLiteral("SELECT occurrences FROM tamper_alerts LIMIT 0"))) {
        has.finish();
        return HubStore::execStatements(
            db,
            {postgres ? QStringLiteral("ALTER TABLE tamper_alerts ADD COLUMN IF NOT EXISTS occurrences BIGINT NOT NULL DEFAULT 1")
                      : QStringLiteral("ALTER TABLE tamper_alerts ADD COLUMN occurrences BIGINT NOT NULL DEFAULT 1")},
            error);
    }
    return true;
}

bool LedgerCheck::exec(QSqlQuery &q)
{
    return HubStore::execLogged(q, lcLedgerCheck, &m_lastError);
}

LedgerCheck::KeyResult LedgerCheck::registerKey(const QString &deviceId, const QByteArray &publicKeyPem,
                                                QString *fingerprint)
{
    QString why;
    const trust::Key key = trust::Key::fromPem(publicKeyPem, &why);
    if (key.isNull() || key.hasPrivate())
        return KeyResult::Invalid; // a private key sent over the wire is refused as well
    const QString fp = trust::DeviceIdentity::fingerprintOf(key);
    *fingerprint = fp;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QSqlQuery q(m_store->database());
    q.prepare(QStringLiteral("INSERT INTO device_keys (device_id, key_type, public_key, fingerprint, registered_at) "
                             "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING"));
    q.addBindValue(deviceId);
    q.addBindValue(key.type() == trust::KeyType::Sm2 ? QStringLiteral("sm2") : QStringLiteral("ed25519"));
    q.addBindValue(QString::fromLatin1(key.publicPem()));
    q.addBindValue(fp);
    q.addBindValue(now);
    if (!exec(q))
        return KeyResult::Failed;
    if (q.numRowsAffected() == 1) {
        qCInfo(lcLedgerCheck).noquote() << "device" << deviceId << "key" << fp;
        return KeyResult::Registered;
    }
    const auto held = deviceKey(deviceId);
    if (!held)
        return KeyResult::Failed;
    if (held->fingerprint == fp)
        return KeyResult::Same;
    // Another key for an enrolled device: a new identity (reset, storage swap, cloned
    // credentials). Never adopted silently.
    QSqlDatabase db = m_store->database();
    Transaction t(db);
    const QJsonObject evidence{{QStringLiteral("deviceId"), deviceId},
                               {QStringLiteral("enrolledFingerprint"), held->fingerprint},
                               {QStringLiteral("offeredFingerprint"), fp},
                               {QStringLiteral("offeredPublicKey"), QString::fromLatin1(key.publicPem())}};
    const QList<Finding> findings{{QStringLiteral("new-identity"), 0, fp,
                                   QStringLiteral("re-enrollment with key %1; the device is enrolled with key %2")
                                       .arg(fp, held->fingerprint)}};
    if (!t.isOpen() || !record(deviceId, findings, QStringLiteral("enroll"),
                               QJsonDocument(evidence).toJson(QJsonDocument::Compact), now)
        || !t.commit())
        return KeyResult::Failed;
    qCWarning(lcLedgerCheck).noquote() << "device" << deviceId << "offered another key" << fp;
    return KeyResult::Changed;
}

std::optional<LedgerCheck::DeviceKey> LedgerCheck::deviceKey(const QString &deviceId)
{
    if (const quint64 epoch = s_keyEpoch.load(); epoch != m_keyEpoch) {
        m_keys.clear();
        m_keyEpoch = epoch;
    }
    if (const auto it = m_keys.constFind(deviceId); it != m_keys.constEnd())
        return *it;
    QSqlQuery q(m_store->database());
    q.prepare(QStringLiteral("SELECT public_key, fingerprint FROM device_keys WHERE device_id = ?"));
    q.addBindValue(deviceId);
    if (!exec(q) || !q.next())
        return std::nullopt;
    DeviceKey k{trust::Key::fromPem(q.value(0).toString().toLatin1()), q.value(1).toString()};
    if (k.key.isNull())
        return std::nullopt;
    m_keys.insert(deviceId, k);
    return k;
}

void LedgerCheck::reportUnknownKey(const QString &deviceId, const QString &fingerprint,
                                   const QByteArray &requestTarget, qint64 receivedAtMs)
{
    const auto held = deviceKey(deviceId);
    QSqlDatabase db = m_store->database();
    Transaction t(db);
    if (!t.isOpen())
        return;
    // One alert per device and hour, counted: a flood of requests with random keys (found: each
    // made an alert, 50 with 1 MB URLs grew the database by 104 MB) adds one row an hour.
    const QString bucket = QStringLiteral("hour-%1").arg(receivedAtMs / 3'600'000);
    QSqlQuery seen(db);
    seen.prepare(QStringLiteral("UPDATE tamper_alerts SET occurrences = occurrences + 1 "
                                "WHERE device_id = ? AND kind = 'unknown-key' AND device_seq = 0 AND uuid = ?"));
    seen.addBindValue(deviceId);
    seen.addBindValue(bucket);
    if (!exec(seen))
        return;
    if (seen.numRowsAffected() > 0) {
        t.commit();
        return;
    }
    const QByteArray target = requestTarget.left(200);
    const QList<Finding> findings{
        {QStringLiteral("unknown-key"), 0, bucket,
         QStringLiteral("request %1 signed with key %2; the device is enrolled with key %3 (first of this hour; "
                        "occurrences counts them)")
             .arg(QString::fromUtf8(target), fingerprint.left(64), held ? held->fingerprint : QString())}};
    if (record(deviceId, findings, QStringLiteral("request"), target, receivedAtMs))
        t.commit();
}

bool LedgerCheck::raiseAlert(const QString &deviceId, const QString &kind, qint64 deviceSeq, const QString &uuid,
                             const QString &evidence, const QString &what, const QByteArray &rawBody)
{
    QSqlDatabase db = m_store->database();
    Transaction t(db);
    return t.isOpen() && record(deviceId, {{kind, deviceSeq, uuid, evidence}}, what, rawBody, QDateTime::currentMSecsSinceEpoch())
        && t.commit();
}

std::optional<trust::LedgerHead> LedgerCheck::knownHead(const QString &deviceId)
{
    QSqlQuery q(m_store->database());
    q.prepare(QStringLiteral("SELECT device_seq, entry_hash FROM ledger_heads WHERE device_id = ?"));
    q.addBindValue(deviceId);
    if (!exec(q))
        return std::nullopt;
    if (!q.next())
        return trust::LedgerHead::genesis();
    return trust::LedgerHead{quint64(q.value(0).toLongLong()), unhex(q.value(1))};
}

bool LedgerCheck::record(const QString &deviceId, const QList<Finding> &findings, const QString &what,
                         const QByteArray &rawBody, qint64 receivedAtMs)
{
    if (findings.isEmpty())
        return true;
    QSqlDatabase db = m_store->database();
    QSqlQuery insert(db);
    insert.prepare(QStringLiteral("INSERT INTO tamper_alerts (device_id, kind, device_seq, uuid, evidence, received_at) "
                                  "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id"));
    QStringList fresh;
    for (const Finding &f : findings) {
        insert.bindValue(0, deviceId);
        insert.bindValue(1, f.kind);
        insert.bindValue(2, f.deviceSeq);
        insert.bindValue(3, f.uuid.isEmpty() ? QStringLiteral("") : f.uuid); // NOT NULL: '' for head findings
        insert.bindValue(4, f.evidence);
        insert.bindValue(5, receivedAtMs);
        if (!exec(insert))
            return false;
        if (insert.next()) {
            fresh.append(QString::number(insert.value(0).toLongLong()));
            qCWarning(lcLedgerCheck).noquote() << "TAMPER" << deviceId << f.kind << "seq" << f.deviceSeq << f.evidence;
        }
        insert.finish();
    }
    if (fresh.isEmpty())
        return true;
    QSqlQuery ev(db);
    ev.prepare(QStringLiteral("INSERT INTO tamper_evidence (device_id, what, body, received_at) VALUES (?, ?, ?, ?) RETURNING id"));
    ev.addBindValue(deviceId);
    ev.addBindValue(what);
    ev.addBindValue(QString::fromUtf8(rawBody));
    ev.addBindValue(receivedAtMs);
    if (!exec(ev) || !ev.next())
        return false;
    const qint64 evidenceId = ev.value(0).toLongLong();
    ev.finish();
    QSqlQuery link(db);
    link.prepare(QStringLiteral("UPDATE tamper_alerts SET evidence_id = ? WHERE id IN (%1)").arg(fresh.join(QLatin1Char(','))));
    link.addBindValue(evidenceId);
    return exec(link);
}

bool LedgerCheck::storeAudit(const QString &deviceId, const QJsonArray &records, qint64 receivedAtMs, QString *error,
                             TransactionMode mode)
{
    QSqlDatabase db = m_store->database();
    Transaction t(db, mode == TransactionMode::Joined);
    QSqlQuery q(db);
    q.prepare(QStringLiteral("INSERT INTO audit_records (device_id, uuid, device_seq, action, record, received_at) "
                             "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING"));
    for (const QJsonValue &v : records) {
        const QJsonObject r = v.toObject();
        q.bindValue(0, deviceId);
        q.bindValue(1, r.value(QLatin1String("uuid")).toString());
        q.bindValue(2, r.value(QLatin1String("deviceSeq")).toInteger());
        q.bindValue(3, r.value(QLatin1String("action")).toString());
        q.bindValue(4, QString::fromUtf8(QJsonDocument(r).toJson(QJsonDocument::Compact)));
        q.bindValue(5, receivedAtMs);
        if (!exec(q)) {
            *error = m_lastError;
            return false;
        }
    }
    if (!t.isOpen() || !t.commit()) {
        *error = db.lastError().text();
        return false;
    }
    return true;
}

QJsonArray LedgerCheck::auditRecords(const QString &deviceId)
{
    QJsonArray out;
    QSqlQuery q(m_store->database());
    q.prepare(QStringLiteral("SELECT device_id, record, received_at FROM audit_records WHERE ? = '' OR device_id = ? "
                             "ORDER BY device_id, device_seq"));
    q.addBindValue(deviceId);
    q.addBindValue(deviceId);
    if (!exec(q))
        return out;
    while (q.next()) {
        QJsonObject r = QJsonDocument::fromJson(q.value(1).toString().toUtf8()).object();
        r.insert(QStringLiteral("deviceId"), q.value(0).toString());
        r.insert(QStringLiteral("receivedAtMs"), q.value(2).toLongLong());
        out.append(r);
    }
    return out;
}

QJsonArray LedgerCheck::alerts(const QString &deviceId)
{
    QJsonArray out;
    QSqlQuery q(m_store->database());
    q.prepare(QStringLiteral("SELECT id, device_id, kind, device_seq, uuid, evidence, evidence_id, received_at, occurrences "
                             "FROM tamper_alerts WHERE ? = '' OR device_id = ? ORDER BY id"));
    q.addBindValue(deviceId);
    q.addBindValue(deviceId);
    if (!exec(q))
        return out;
    while (q.next())
        out.append(QJsonObject{
            {QStringLiteral("id"), q.value(0).toLongLong()},
            {QStringLiteral("deviceId"), q.value(1).toString()},
            {QStringLiteral("kind"), q.value(2).toString()},
            {QStringLiteral("deviceSeq"), q.value(3).toLongLong()},
            {QStringLiteral("uuid"), q.value(4).toString()},
            {QStringLiteral("evidence"), q.value(5).toString()},
            {QStringLiteral("evidenceId"), q.value(6).isNull() ? QJsonValue() : QJsonValue(q.value(6).toLongLong())},
            {QStringLiteral("receivedAtMs"), q.value(7).toLongLong()},
            {QStringLiteral("occurrences"), q.value(8).toLongLong()},
        });
    return out;
}

std::optional<QJsonObject> LedgerCheck::evidence(qint64 id)
{
    QSqlQuery q(m_store->database());
    q.prepare(QStringLiteral("SELECT device_id, what, body, received_at FROM tamper_evidence WHERE id = ?"));
    q.addBindValue(id);
    if (!exec(q) || !q.next())
        return std::nullopt;
    return QJsonObject{{QStringLiteral("id"), id},
                       {QStringLiteral("deviceId"), q.value(0).toString()},
                       {QStringLiteral("what"), q.value(1).toString()},
                       {QStringLiteral("body"), q.value(2).toString()},
                       {QStringLiteral("receivedAtMs"), q.value(3).toLongLong()}};
}

} // namespace hcp::sync::hub

// SPDX-License-Identifier: Apache-2.0
#include "outbox.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace hcp::sync {

namespace {

// "state < 2": the unacknowledged rows (Queued, Sending), as the partial index says it.
const QString kUnacked = QStringLiteral("state < %1").arg(int(Outbox::Acked));

bool failed(const QSqlQuery &q, QString *error)
{
    if (error)
        *error = q.lastError().text();
    return false;
}

QString seqList(const QList<qint64> &seqs)
{
    QStringList out;
    out.reserve(seqs.size());
    for (qint64 seq : seqs)
        out.append(QString::number(seq));
    return out.join(QLatin1Char(','));
}

} // namespace

QStringList Outbox::schemaStatements()
{
    return {
        QStringLiteral("CREATE TABLE IF NOT EXISTS outbox ("
                       "seq INTEGER PRIMARY KEY, "
                       "uuid TEXT NOT NULL UNIQUE, "
                       "payload TEXT NOT NULL, "
                       "state INTEGER NOT NULL DEFAULT 0, " // Queued
                       "attempts INTEGER NOT NULL DEFAULT 0, "
                       "last_error TEXT, "
                       "created_at INTEGER NOT NULL, "  // ms since epoch, kiosk clock
                       "acked_at INTEGER)"),
        // Unsent rows in seq order: the sender's "oldest first" reads 500 index entries instead of
        // sorting every unsent row, and the queue depth costs O(unsent), not O(all rows).
        QStringLiteral("CREATE INDEX IF NOT EXISTS outbox_unsent ON outbox(seq) WHERE ") + kUnacked,
        QStringLiteral("CREATE INDEX IF NOT EXISTS outbox_state ON outbox(state)"),
    };
}

QString Outbox::schemaSql()
{
    return schemaStatements().join(QStringLiteral(";\n"));
}

bool Outbox::createSchema(QSqlDatabase &db, QString *error)
{
    QSqlQuery q(db);
    for (const QString &statement : schemaStatements())
        if (!q.exec(statement))
            return failed(q, error);
    return true;
}

bool Outbox::enqueue(QSqlDatabase &db, qint64 seq, const QString &uuid,
                     const QByteArray &payloadJson, QString *error)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("INSERT INTO outbox (seq, uuid, payload, state, created_at) "
                             "VALUES (?, ?, ?, %1, ?)").arg(int(Queued)));
    q.addBindValue(seq);
    q.addBindValue(uuid);
    q.addBindValue(QString::fromUtf8(payloadJson));
    q.addBindValue(QDateTime::currentMSecsSinceEpoch());
    return q.exec() || failed(q, error);
}

bool Outbox::nextBatch(QSqlDatabase &db, qint64 afterSeq, int limit, bool withLedger,
                       QList<Pending> *rows, QString *error)
{
    QSqlQuery select(db);
    select.setForwardOnly(true);
    select.prepare(withLedger
                       ? QStringLiteral("SELECT o.seq, o.uuid, o.payload, l.entry FROM outbox o LEFT JOIN ledger l"
                                        " ON l.seq = o.seq WHERE o.%1 AND o.seq > ? ORDER BY o.seq LIMIT ?").arg(kUnacked)
                       : QStringLiteral("SELECT seq, uuid, payload FROM outbox WHERE %1 "
                                        "AND seq > ? ORDER BY seq LIMIT ?").arg(kUnacked));
    select.addBindValue(afterSeq);
    select.addBindValue(limit);
    if (!select.exec())
        return failed(select, error);
    rows->reserve(rows->size() + limit);
    while (select.next()) {
        Pending &p = rows->emplace_back();
        p.seq = select.value(0).toLongLong();
        p.uuid = select.value(1).toString();
        p.payload = select.value(2).toString().toUtf8();
        if (withLedger)
            p.ledgerEntry = select.value(3).toString().toUtf8();
    }
    return true;
}

bool Outbox::markSending(QSqlDatabase &db, qint64 fromSeq, qint64 toSeq, QString *error)
{
    QSqlQuery mark(db);
    mark.prepare(QStringLiteral("UPDATE outbox SET state = %1, attempts = attempts + 1 "
                                "WHERE seq BETWEEN ? AND ? AND %2").arg(int(Sending)).arg(kUnacked));
    mark.addBindValue(fromSeq);
    mark.addBindValue(toSeq);
    return mark.exec() || failed(mark, error);
}

bool Outbox::markUnledgered(QSqlDatabase &db, qint64 seq, const QString &reason, QString *error)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("UPDATE outbox SET state = %1, last_error = ? WHERE seq = ? AND %2")
                  .arg(int(Unledgered)).arg(kUnacked));
    q.addBindValue(QStringLiteral("unledgered: %1").arg(reason));
    q.addBindValue(seq);
    return q.exec() || failed(q, error);
}

bool Outbox::unledgered(QSqlDatabase &db, int limit, QList<UnledgeredRow> *rows, QString *error)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT seq, uuid, last_error, payload FROM outbox WHERE state = %1 ORDER BY seq LIMIT ?")
                  .arg(int(Unledgered)));
    q.addBindValue(limit);
    if (!q.exec())
        return failed(q, error);
    while (q.next())
        rows->append({q.value(0).toLongLong(), q.value(1).toString(),
                      q.value(2).toString().section(QLatin1String(": "), 1), q.value(3).toString().toUtf8()});
    return true;
}

bool Outbox::ack(QSqlDatabase &db, const QList<qint64> &seqs, qint64 nowMs, QString *error)
{
    if (seqs.isEmpty())
        return true;
    // One statement for the whole list keeps a 500-row ack cheap.
    QSqlQuery ack(db);
    ack.prepare(QStringLiteral("UPDATE outbox SET state = %1, acked_at = ?, last_error = NULL WHERE seq IN (%2)")
                    .arg(int(Acked)).arg(seqList(seqs)));
    ack.addBindValue(nowMs);
    return ack.exec() || failed(ack, error);
}

bool Outbox::quarantine(QSqlDatabase &db, qint64 seq, const QString &status, const QString &reason, QString *error)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("UPDATE outbox SET state = %1, last_error = ? WHERE seq = ?").arg(int(Quarantined)));
    q.addBindValue(QStringLiteral("%1: %2").arg(status, reason));
    q.addBindValue(seq);
    return q.exec() || failed(q, error);
}

bool Outbox::reportedUnledgered(QSqlDatabase &db, const QList<qint64> &seqs, QString *error)
{
    if (seqs.isEmpty())
        return true;
    QSqlQuery done(db);
    return done.exec(QStringLiteral("UPDATE outbox SET state = %1 WHERE state = %2 AND seq IN (%3)")
                         .arg(int(Quarantined)).arg(int(Unledgered)).arg(seqList(seqs)))
        || failed(done, error);
}

QString Outbox::joinAcked(const QString &uuidColumn)
{
    return QStringLiteral(" JOIN outbox ON outbox.uuid = %1 AND outbox.state = %2").arg(uuidColumn).arg(int(Acked));
}

bool Outbox::removePayloadFields(QSqlDatabase &db, const QStringList &uuids, const QStringList &fields, QString *error)
{
    if (uuids.isEmpty() || fields.isEmpty())
        return true;
    QStringList paths;
    for (const QString &f : fields)
        paths.append(QStringLiteral("'$.%1'").arg(f));
    QStringList marks(uuids.size(), QStringLiteral("?"));
    QSqlQuery q(db);
    q.prepare(QStringLiteral("UPDATE outbox SET payload = json_remove(payload, %1) WHERE uuid IN (%2)")
                  .arg(paths.join(QLatin1Char(',')), marks.join(QLatin1Char(','))));
    for (const QString &uuid : uuids)
        q.addBindValue(uuid);
    return q.exec() || failed(q, error);
}

Outbox::Counts Outbox::counts(QSqlDatabase &db, qint64 nowMs)
{
    Counts c;
    QSqlQuery q(db);
    if (q.exec(QStringLiteral("SELECT COUNT(*) FROM outbox WHERE ") + kUnacked) && q.next())
        c.queued = q.value(0).toLongLong();
    if (q.exec(QStringLiteral("SELECT created_at FROM outbox WHERE %1 ORDER BY seq LIMIT 1").arg(kUnacked)) && q.next())
        c.oldestUnsentAgeS = qMax<qint64>(0, (nowMs - q.value(0).toLongLong()) / 1000);
    if (q.exec(QStringLiteral("SELECT COUNT(*) FROM outbox WHERE state >= %1").arg(int(Quarantined))) && q.next())
        c.quarantined = q.value(0).toLongLong();
    if (q.exec(QStringLiteral("SELECT COUNT(*) FROM outbox WHERE state = %1").arg(int(Acked))) && q.next())
        c.acked = q.value(0).toLongLong();
    return c;
}

QStringList Outbox::auditSchemaStatements()
{
    return {
        // record: the shipped JSON object; entry: its ledger entry (LedgerEntry::toJson).
        QStringLiteral("CREATE TABLE IF NOT EXISTS audit_log ("
                       "seq INTEGER PRIMARY KEY, "
                       "uuid TEXT NOT NULL UNIQUE, "
                       "action TEXT NOT NULL, "
                       "record TEXT NOT NULL, "
                       "entry_hash TEXT NOT NULL, "
                       "entry TEXT NOT NULL, "
                       "state INTEGER NOT NULL DEFAULT 0)"), // Queued; Acked once the hub holds it
        QStringLiteral("CREATE TABLE IF NOT EXISTS audit_sync (id INTEGER PRIMARY KEY CHECK (id = 1), "
                       "hub_known_seq INTEGER NOT NULL)"),
        QStringLiteral("INSERT OR IGNORE INTO audit_sync (id, hub_known_seq) VALUES (1, 0)"),
    };
}

std::optional<trust::LedgerHead> Outbox::auditHead(QSqlDatabase &db, QString *error)
{
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("SELECT seq, entry_hash FROM audit_log ORDER BY seq DESC LIMIT 1"))) {
        failed(q, error);
        return std::nullopt;
    }
    trust::LedgerHead head;
    if (q.next())
        head = {quint64(q.value(0).toLongLong()), QByteArray::fromHex(q.value(1).toString().toLatin1())};
    return head;
}

bool Outbox::enqueueAudit(QSqlDatabase &db, const trust::LedgerEntry &entry, const QString &action,
                          const QByteArray &recordJson, QString *error)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("INSERT INTO audit_log (seq, uuid, action, record, entry_hash, entry, state)"
                             " VALUES (?, ?, ?, ?, ?, ?, %1)").arg(int(Queued)));
    q.addBindValue(qint64(entry.deviceSeq));
    q.addBindValue(entry.uuid);
    q.addBindValue(action);
    q.addBindValue(QString::fromUtf8(recordJson));
    q.addBindValue(QString::fromLatin1(entry.entryHash.toHex()));
    q.addBindValue(QString::fromUtf8(QJsonDocument(entry.toJson()).toJson(QJsonDocument::Compact)));
    return q.exec() || failed(q, error);
}

qint64 Outbox::auditPendingCount(QSqlDatabase &db)
{
    QSqlQuery q(db);
    return q.exec(QStringLiteral("SELECT COUNT(*) FROM audit_log WHERE state = %1").arg(int(Queued))) && q.next()
        ? q.value(0).toLongLong() : 0;
}

QList<QByteArray> Outbox::auditRecords(QSqlDatabase &db)
{
    QList<QByteArray> out;
    QSqlQuery q(db);
    if (q.exec(QStringLiteral("SELECT record FROM audit_log ORDER BY seq")))
        while (q.next())
            out.append(q.value(0).toString().toUtf8());
    return out;
}

bool Outbox::nextAuditBatch(QSqlDatabase &db, int limit, QList<AuditRow> *rows, QString *error)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT seq, record FROM audit_log WHERE state = %1 ORDER BY seq LIMIT ?").arg(int(Queued)));
    q.addBindValue(limit);
    if (!q.exec())
        return failed(q, error);
    while (q.next())
        rows->append({q.value(0).toLongLong(), q.value(1).toString().toUtf8()});
    return true;
}

bool Outbox::auditEntries(QSqlDatabase &db, qint64 afterSeq, qint64 throughSeq, QList<QByteArray> *entries,
                          QString *error)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT entry FROM audit_log WHERE seq > ? AND seq <= ? ORDER BY seq"));
    q.addBindValue(afterSeq);
    q.addBindValue(throughSeq);
    if (!q.exec())
        return failed(q, error);
    while (q.next())
        entries->append(q.value(0).toString().toUtf8());
    return true;
}

qint64 Outbox::auditHubKnownSeq(QSqlDatabase &db)
{
    QSqlQuery q(db);
    return q.exec(QStringLiteral("SELECT hub_known_seq FROM audit_sync WHERE id = 1")) && q.next()
        ? q.value(0).toLongLong() : 0;
}

bool Outbox::ackAudit(QSqlDatabase &db, qint64 fromSeq, qint64 toSeq, qint64 knownSeq, QString *error)
{
    QSqlQuery u(db);
    u.prepare(QStringLiteral("UPDATE audit_log SET state = %1 WHERE seq BETWEEN ? AND ?").arg(int(Acked)));
    u.addBindValue(fromSeq);
    u.addBindValue(toSeq);
    if (!u.exec())
        return failed(u, error);
    u.prepare(QStringLiteral("UPDATE audit_sync SET hub_known_seq = ? WHERE id = 1 AND hub_known_seq < ?"));
    u.addBindValue(knownSeq);
    u.addBindValue(knownSeq);
    return u.exec() || failed(u, error);
}

} // namespace hcp::sync

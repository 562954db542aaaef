// SPDX-License-Identifier: Apache-2.0
#include "auditlog.h"

#include <hubclient.h>
#include <ledgertable.h>

#include <QDateTime>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QPointer>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>

Q_LOGGING_CATEGORY(lcAudit, "hcp.kiosk.audit")

namespace hcp::kiosk {

namespace {

constexpr int kMaxRecordsPerFlush = 500;

QString sqlError(const QSqlQuery &q)
{
    return q.lastError().text();
}

} // namespace

AuditLog::AuditLog(Store *store, std::shared_ptr<const trust::LedgerBuilder> signer, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_signer(std::move(signer))
{
}

QStringList AuditLog::schemaStatements()
{
    return {
        // record: the shipped JSON object; entry: its ledger entry (LedgerEntry::toJson).
        // state 0 = not yet acknowledged by the hub, 2 = acknowledged.
        QStringLiteral("CREATE TABLE IF NOT EXISTS audit_log ("
                       "seq INTEGER PRIMARY KEY, "
                       "uuid TEXT NOT NULL UNIQUE, "
                       "action TEXT NOT NULL, "
                       "record TEXT NOT NULL, "
                       "entry_hash TEXT NOT NULL, "
                       "entry TEXT NOT NULL, "
                       "state INTEGER NOT NULL DEFAULT 0)"),
        QStringLiteral("CREATE TABLE IF NOT EXISTS audit_sync (id INTEGER PRIMARY KEY CHECK (id = 1), "
                       "hub_known_seq INTEGER NOT NULL)"),
        QStringLiteral("INSERT OR IGNORE INTO audit_sync (id, hub_known_seq) VALUES (1, 0)"),
    };
}

bool AuditLog::record(const QString &action, const QJsonObject &detail, QString *error)
{
    QSqlDatabase db = m_store->database();
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("BEGIN IMMEDIATE"))) {
        if (error)
            *error = sqlError(q);
        return false;
    }
    auto fail = [&](const QString &why) {
        QSqlQuery(db).exec(QStringLiteral("ROLLBACK"));
        qCWarning(lcAudit) << "audit record" << action << "failed:" << why;
        if (error)
            *error = why;
        return false;
    };
    trust::LedgerHead head;
    if (!q.exec(QStringLiteral("SELECT seq, entry_hash FROM audit_log ORDER BY seq DESC LIMIT 1")))
        return fail(sqlError(q));
    if (q.next())
        head = {quint64(q.value(0).toLongLong()), QByteArray::fromHex(q.value(1).toString().toLatin1())};
    q.finish();
    const QString uuid = QUuid::createUuid().toString(QUuid::WithoutBraces);
    const QString time = QDateTime::currentDateTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    const QJsonObject rec{{QStringLiteral("uuid"), uuid},
                          {QStringLiteral("deviceSeq"), qint64(head.deviceSeq + 1)},
                          {QStringLiteral("assessTime"), time},
                          {QStringLiteral("action"), action},
                          {QStringLiteral("detail"), detail}};
    QString why;
    const auto entry = m_signer->append(head, uuid, time, rec, &why);
    if (!entry)
        return fail(why);
    q.prepare(QStringLiteral("INSERT INTO audit_log (seq, uuid, action, record, entry_hash, entry) VALUES (?, ?, ?, ?, ?, ?)"));
    q.addBindValue(qint64(entry->deviceSeq));
    q.addBindValue(uuid);
    q.addBindValue(action);
    q.addBindValue(QString::fromUtf8(QJsonDocument(rec).toJson(QJsonDocument::Compact)));
    q.addBindValue(QString::fromLatin1(entry->entryHash.toHex()));
    q.addBindValue(QString::fromUtf8(QJsonDocument(entry->toJson()).toJson(QJsonDocument::Compact)));
    if (!q.exec())
        return fail(sqlError(q));
    if (!q.exec(QStringLiteral("COMMIT")))
        return fail(sqlError(q));
    qCInfo(lcAudit).noquote() << "audit" << entry->deviceSeq << action;
    emit recorded(action);
    return true;
}

qint64 AuditLog::pendingCount() const
{
    QSqlQuery q(m_store->database());
    return q.exec(QStringLiteral("SELECT COUNT(*) FROM audit_log WHERE state = 0")) && q.next() ? q.value(0).toLongLong() : 0;
}

QJsonArray AuditLog::records() const
{
    QJsonArray out;
    QSqlQuery q(m_store->database());
    if (q.exec(QStringLiteral("SELECT record FROM audit_log ORDER BY seq")))
        while (q.next())
            out.append(QJsonDocument::fromJson(q.value(0).toString().toUtf8()).object());
    return out;
}

void AuditLog::flush(sync::HubClient *client, std::function<void(bool, const QString &)> handler)
{
    auto done = [handler](bool ok, const QString &error) {
        if (handler)
            handler(ok, error);
    };
    if (m_flushing)
        return done(false, QStringLiteral("a flush is running"));
    QSqlDatabase db = m_store->database();
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT seq, record FROM audit_log WHERE state = 0 ORDER BY seq LIMIT ?"));
    q.addBindValue(kMaxRecordsPerFlush);
    if (!q.exec())
        return done(false, sqlError(q));
    QList<qint64> seqs;
    QByteArray body = "{\"records\":[";
    while (q.next()) {
        if (!seqs.isEmpty())
            body += ',';
        seqs.append(q.value(0).toLongLong());
        body += q.value(1).toString().toUtf8();
    }
    q.finish();
    if (seqs.isEmpty())
        return done(true, {});
    qint64 known = 0;
    if (q.exec(QStringLiteral("SELECT hub_known_seq FROM audit_sync WHERE id = 1")) && q.next())
        known = q.value(0).toLongLong();
    q.finish();
    q.prepare(QStringLiteral("SELECT entry FROM audit_log WHERE seq > ? AND seq <= ? ORDER BY seq"));
    q.addBindValue(known);
    q.addBindValue(seqs.last());
    if (!q.exec())
        return done(false, sqlError(q));
    QList<QByteArray> entries;
    while (q.next())
        entries.append(q.value(0).toString().toUtf8());
    q.finish();
    body += "],\"ledger\":[" + entries.join(',') + ']';
    QString why;
    if (!entries.isEmpty()) {
        if (const auto head = sync::LedgerTable::signHeadAt(*m_signer, entries.last(), &why))
            body += ",\"head\":" + QJsonDocument(head->toJson()).toJson(QJsonDocument::Compact);
        else
            qCWarning(lcAudit).noquote() << why;
    }
    body += '}';
    m_flushing = true;
    QPointer<AuditLog> self(this);
    const qint64 last = seqs.last();
    client->uploadAudit(body, [self, this, seqs, last, done](const sync::HubReply &reply) {
        if (!self)
            return;
        m_flushing = false;
        if (!reply.isHttp(200))
            return done(false, reply.status ? QStringLiteral("HTTP %1").arg(reply.status) : reply.errorString);
        const QJsonObject ledger = reply.json().value(QLatin1String("ledger")).toObject();
        const qint64 knownSeq = ledger.isEmpty() ? last : qMin(last, ledger.value(QLatin1String("knownSeq")).toInteger());
        QSqlDatabase db = m_store->database();
        QSqlQuery u(db);
        if (!db.transaction())
            return done(false, db.lastError().text());
        u.prepare(QStringLiteral("UPDATE audit_log SET state = 2 WHERE seq BETWEEN ? AND ?"));
        u.addBindValue(seqs.first());
        u.addBindValue(last);
        bool ok = u.exec();
        u.prepare(QStringLiteral("UPDATE audit_sync SET hub_known_seq = ? WHERE id = 1 AND hub_known_seq < ?"));
        u.addBindValue(knownSeq);
        u.addBindValue(knownSeq);
        ok = ok && u.exec() && db.commit();
        if (!ok) {
            db.rollback();
            return done(false, u.lastError().text());
        }
        done(true, {});
    });
}

} // namespace hcp::kiosk

// SPDX-License-Identifier: Apache-2.0
#include "outbox.h"

#include <QDateTime>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace hcp::sync {

QStringList Outbox::schemaStatements()
{
    return {
        QStringLiteral("CREATE TABLE IF NOT EXISTS outbox ("
                       "seq INTEGER PRIMARY KEY, "
                       "uuid TEXT NOT NULL UNIQUE, "
                       "payload TEXT NOT NULL, "
                       "state INTEGER NOT NULL DEFAULT 0, "
                       "attempts INTEGER NOT NULL DEFAULT 0, "
                       "last_error TEXT, "
                       "created_at INTEGER NOT NULL, "  // ms since epoch, kiosk clock
                       "acked_at INTEGER)"),
        // Unsent rows in seq order: the sender's "oldest first" reads 500 index entries instead of
        // sorting every unsent row, and the queue depth costs O(unsent), not O(all rows).
        QStringLiteral("CREATE INDEX IF NOT EXISTS outbox_unsent ON outbox(seq) WHERE state < 2"),
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
    for (const QString &statement : schemaStatements()) {
        if (!q.exec(statement)) {
            if (error)
                *error = q.lastError().text();
            return false;
        }
    }
    return true;
}

bool Outbox::enqueue(QSqlDatabase &db, qint64 seq, const QString &uuid,
                     const QByteArray &payloadJson, QString *error)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("INSERT INTO outbox (seq, uuid, payload, state, created_at) "
                             "VALUES (?, ?, ?, 0, ?)"));
    q.addBindValue(seq);
    q.addBindValue(uuid);
    q.addBindValue(QString::fromUtf8(payloadJson));
    q.addBindValue(QDateTime::currentMSecsSinceEpoch());
    if (!q.exec()) {
        if (error)
            *error = q.lastError().text();
        return false;
    }
    return true;
}

Outbox::Counts Outbox::counts(QSqlDatabase &db, qint64 nowMs)
{
    Counts c;
    QSqlQuery q(db);
    if (q.exec(QStringLiteral("SELECT COUNT(*) FROM outbox WHERE state < 2")) && q.next())
        c.queued = q.value(0).toLongLong();
    if (q.exec(QStringLiteral("SELECT created_at FROM outbox WHERE state < 2 ORDER BY seq LIMIT 1")) && q.next())
        c.oldestUnsentAgeS = qMax<qint64>(0, (nowMs - q.value(0).toLongLong()) / 1000);
    if (q.exec(QStringLiteral("SELECT COUNT(*) FROM outbox WHERE state >= 3")) && q.next())
        c.quarantined = q.value(0).toLongLong();
    if (q.exec(QStringLiteral("SELECT COUNT(*) FROM outbox WHERE state = 2")) && q.next())
        c.acked = q.value(0).toLongLong();
    return c;
}

} // namespace hcp::sync

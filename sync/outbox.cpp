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
        QStringLiteral("CREATE INDEX IF NOT EXISTS outbox_state_seq ON outbox(state, seq)"),
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
    if (q.exec(QStringLiteral("SELECT state, COUNT(*), MIN(created_at) FROM outbox GROUP BY state"))) {
        qint64 oldest = 0;
        while (q.next()) {
            const int state = q.value(0).toInt();
            const qint64 n = q.value(1).toLongLong();
            if (state == Queued || state == Sending) {
                c.queued += n;
                const qint64 created = q.value(2).toLongLong();
                if (oldest == 0 || created < oldest)
                    oldest = created;
            } else if (state == Acked) {
                c.acked = n;
            } else if (state == Quarantined) {
                c.quarantined = n;
            }
        }
        if (oldest > 0)
            c.oldestUnsentAgeS = qMax<qint64>(0, (nowMs - oldest) / 1000);
    }
    return c;
}

} // namespace hcp::sync

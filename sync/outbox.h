// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>

namespace hcp::sync {

// The kiosk's outbox table: one row per committed evaluation, in deviceSeq order.
// The kiosk Store writes rows inside its own evaluation transaction (enqueue); the
// OutboxSender reads and updates them through its own connection to the same SQLite file.
// Row states only move forward: Queued → Sending → Acked | Quarantined (Sending may be
// re-sent after a crash or a failed request, which the hub answers with "duplicate"), and
// Queued → Unledgered → Quarantined for rows without their ledger entry.
class Outbox
{
public:
    // Unledgered: no matching ledger entry (PROTOCOL §4a) — never sent as an evaluation;
    // reported to the hub as evidence and then Quarantined.
    enum State { Queued = 0, Sending = 1, Acked = 2, Quarantined = 3, Unledgered = 4 };

    struct Counts
    {
        qint64 queued = 0;           // Queued + Sending: not yet acknowledged by the hub
        qint64 quarantined = 0;      // conflict/invalid answers and unledgered rows, kept for the heartbeat
        qint64 acked = 0;
        qint64 oldestUnsentAgeS = 0; // age of the lowest-seq unacknowledged row, 0 when none
    };

    // CREATE TABLE/INDEX IF NOT EXISTS statements joined by ";\n" (run each one separately;
    // Qt's SQLite driver executes one statement per exec()). Idempotent.
    static QString schemaSql();
    static QStringList schemaStatements();
    static bool createSchema(QSqlDatabase &db, QString *error);

    // Appends one evaluation. Does not begin or commit: the caller's transaction covers it, so
    // the evaluation and its outbox row commit together. seq is the evaluation's gap-free
    // deviceSeq; payloadJson the wire object of PROTOCOL §4 (stored verbatim, sent verbatim).
    static bool enqueue(QSqlDatabase &db, qint64 seq, const QString &uuid,
                        const QByteArray &payloadJson, QString *error);

    static Counts counts(QSqlDatabase &db, qint64 nowMs);
};

} // namespace hcp::sync

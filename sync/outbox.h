// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "ledgerentry.h"

#include <QByteArray>
#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>

#include <optional>

namespace hcp::sync {

// The kiosk's outbox table: one row per committed evaluation, in deviceSeq order. The one owner
// of the table: its DDL and every statement on it are here; the kiosk Store (enqueue, inside its
// evaluation transaction), the OutboxSender (through its own connection to the same SQLite file)
// and the PersonalDataEraser call these functions instead of writing outbox SQL.
// Row states only move forward: Queued → Sending → Acked | Quarantined (Sending may be
// re-sent after a crash or a failed request, which the hub answers with "duplicate"), and
// Queued → Unledgered → Quarantined for rows without their ledger entry.
// All functions take the caller's connection and never begin or commit a transaction.
class Outbox
{
public:
    // Unledgered: no matching ledger entry (PROTOCOL §4a) — never sent as an evaluation;
    // reported to the hub as evidence and then Quarantined. The numbers are stored: never change them.
    enum State { Queued = 0, Sending = 1, Acked = 2, Quarantined = 3, Unledgered = 4 };

    struct Counts
    {
        qint64 queued = 0;           // Queued + Sending: not yet acknowledged by the hub
        qint64 quarantined = 0;      // conflict/invalid answers and unledgered rows, kept for the heartbeat
        qint64 acked = 0;
        qint64 oldestUnsentAgeS = 0; // age of the lowest-seq unacknowledged row, 0 when none
    };

    // An unacknowledged row as stored: payload is the wire object sent verbatim; ledgerEntry
    // the ledger row at the same seq (empty when there is none, or when not asked for).
    struct Pending
    {
        qint64 seq = 0;
        QString uuid;
        QByteArray payload;
        QByteArray ledgerEntry;
    };
    // An Unledgered row, for the evidence report (reason as given to markUnledgered).
    struct UnledgeredRow
    {
        qint64 seq = 0;
        QString uuid, reason;
        QByteArray payload;
    };

    // The current DDL: CREATE TABLE/INDEX IF NOT EXISTS statements joined by ";\n" (run each one
    // separately; Qt's SQLite driver executes one statement per exec()). Idempotent. The kiosk
    // Store's migrations keep their own frozen copy of what each released version created.
    static QString schemaSql();
    static QStringList schemaStatements();
    static bool createSchema(QSqlDatabase &db, QString *error);

    // Appends one evaluation (Queued). The caller's transaction covers it, so the evaluation and
    // its outbox row commit together. seq is the evaluation's gap-free deviceSeq; payloadJson the
    // wire object of PROTOCOL §4 (stored verbatim, sent verbatim).
    static bool enqueue(QSqlDatabase &db, qint64 seq, const QString &uuid,
                        const QByteArray &payloadJson, QString *error);

    // Up to limit Queued or Sending rows with seq > afterSeq, oldest first. withLedger also reads
    // each row's ledger entry (sync::LedgerTable's table, same seq).
    static bool nextBatch(QSqlDatabase &db, qint64 afterSeq, int limit, bool withLedger,
                          QList<Pending> *rows, QString *error);
    // Queued/Sending rows with fromSeq <= seq <= toSeq become Sending (attempts + 1).
    static bool markSending(QSqlDatabase &db, qint64 fromSeq, qint64 toSeq, QString *error);
    // A Queued/Sending row without its own ledger entry becomes Unledgered.
    static bool markUnledgered(QSqlDatabase &db, qint64 seq, const QString &reason, QString *error);
    // Unledgered rows, oldest first (at most limit).
    static bool unledgered(QSqlDatabase &db, int limit, QList<UnledgeredRow> *rows, QString *error);
    // The hub holds these rows: Acked at nowMs, whatever their state was.
    static bool ack(QSqlDatabase &db, const QList<qint64> &seqs, qint64 nowMs, QString *error);
    // The hub refused the row for good (status "conflict", "invalid" or "refused").
    static bool quarantine(QSqlDatabase &db, qint64 seq, const QString &status, const QString &reason,
                           QString *error);
    // Unledgered rows the hub has received as evidence become Quarantined.
    static bool reportedUnledgered(QSqlDatabase &db, const QList<qint64> &seqs, QString *error);

    // A JOIN clause that keeps the rows whose uuidColumn names an Acked outbox row (the eraser's
    // query over evaluations: same plan as a join on outbox.uuid).
    static QString joinAcked(const QString &uuidColumn);
    // Removes the JSON members named in fields from the stored payloads of the given rows.
    static bool removePayloadFields(QSqlDatabase &db, const QStringList &uuids, const QStringList &fields,
                                    QString *error);

    static Counts counts(QSqlDatabase &db, qint64 nowMs);

    // The maintenance audit chain's outbox (table audit_log, PROTOCOL §4b): one row per record,
    // with its own signed chain entry (seq from 1), Queued until the hub acknowledged it, then
    // Acked; shipped by the OutboxSender (flushAudit) like evaluation batches. Written by
    // kiosk::AuditLog in its own transaction.
    static QStringList auditSchemaStatements();
    // Head of the audit chain (genesis when empty); nullopt on a database error.
    static std::optional<trust::LedgerHead> auditHead(QSqlDatabase &db, QString *error);
    static bool enqueueAudit(QSqlDatabase &db, const trust::LedgerEntry &entry, const QString &action,
                             const QByteArray &recordJson, QString *error);
    static qint64 auditPendingCount(QSqlDatabase &db);
    // Every record as stored (compact JSON), oldest first.
    static QList<QByteArray> auditRecords(QSqlDatabase &db);
    struct AuditRow
    {
        qint64 seq = 0;
        QByteArray record;
    };
    // Up to limit Queued records, oldest first.
    static bool nextAuditBatch(QSqlDatabase &db, int limit, QList<AuditRow> *rows, QString *error);
    // Audit chain entries with afterSeq < seq <= throughSeq (wire JSON as stored), oldest first.
    static bool auditEntries(QSqlDatabase &db, qint64 afterSeq, qint64 throughSeq, QList<QByteArray> *entries,
                             QString *error);
    // Highest audit seq the hub confirmed in its verified chain (only moves forward).
    static qint64 auditHubKnownSeq(QSqlDatabase &db);
    // The hub holds records fromSeq..toSeq and confirmed its chain through knownSeq.
    static bool ackAudit(QSqlDatabase &db, qint64 fromSeq, qint64 toSeq, qint64 knownSeq, QString *error);
};

} // namespace hcp::sync

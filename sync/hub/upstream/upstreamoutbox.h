// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QSqlDatabase>
#include <QString>

namespace hcp::sync::hub::upstream {

// The hub's outbox to the province (sync/UPSTREAM.md §5): one row per stored evaluation, keyed by
// the evaluation's id, with the state machine
//   pending ──claim──▶ sending ──stored/duplicate──▶ delivered
//      ▲                  │ ──rejected by the province or the hub's checks──▶ dead ──requeue──▶ pending
//      └──transient failure (backoff) or lease expired (crash while sending)──┘
// Every transition is one SQL statement guarded by the expected state, so several hubs on one
// PostgreSQL and a restarted hub never move a row twice. A row is claimed ('sending', committed)
// before its request and delivered only after the province's answer: a crash in between resends
// it, and the province's duplicate answer completes it (at-least-once + province dedup = once).
//
// Not thread-safe: use on the thread that owns the QSqlDatabase (the HubStore's).
class UpstreamOutbox
{
public:
    struct Row
    {
        qint64 evaluationId = 0;
        QString deviceId;
        QString uuid;
        QJsonObject evaluation; // the hub's stored wire record (PROTOCOL §4)
        QJsonObject caseObject; // the case it rates, empty when the hub has none
        int attempts = 0;
    };
    struct Result
    {
        enum class Kind { Delivered, Duplicate, Dead, Retry };
        qint64 evaluationId = 0;
        Kind kind = Kind::Retry;
        QString code;    // the province's code, "HUB" for the hub's own checks
        QString message; // the province's message or the reason
        qint64 nextAttemptAtMs = 0; // Retry only
    };

    explicit UpstreamOutbox(QSqlDatabase db);

    // Creates the tables if missing (called from HubStore::open).
    static bool ensureSchema(QSqlDatabase &db, bool postgres, QString *error);

    // Adds a pending row for every evaluation that has none; returns the number added, -1 on error.
    int enqueueNew(qint64 nowMs);
    // Rows left 'sending' since before claimedBeforeMs (a hub died mid-request) become pending.
    int recoverExpired(qint64 claimedBeforeMs, qint64 nowMs);
    // Moves up to limit due pending rows, oldest first, to 'sending' and returns them.
    QList<Row> claim(int limit, qint64 nowMs);
    bool apply(const QList<Result> &results, qint64 nowMs);

    QJsonObject counts();
    QJsonArray deadLetters(int limit);
    // Per-record state for the console, by evaluation id (the id of GET /v1/admin/evaluations).
    QJsonArray records(qint64 afterId, int limit, qint64 *nextAfterId);
    // The device's latest evaluations (newest first) with their upstream state for the console:
    // {evaluationId, uuid, projectNo, satisfaction, receivedAtMs, state, attempts, code, message,
    //  duplicate, deliveredAtMs?, nextAttemptAtMs?}; state "queued" = not in the outbox yet.
    QJsonArray deviceRecords(const QString &deviceId, int limit);
    // Dead rows back to pending (all when ids is empty). Returns the number requeued, -1 on error.
    int requeue(const QList<qint64> &ids, qint64 nowMs);

    QString meta(const QString &key);
    bool setMeta(const QString &key, const QString &value);

    QString lastError() const { return m_lastError; }

    // Row helpers shared with GrievanceOutbox: a JSON text column as an object, and the state a
    // delivery result leaves a row in ("delivered", "dead" or "pending").
    static QJsonObject jsonColumn(const QVariant &v);
    static const char *stateOf(Result::Kind k);

private:
    bool exec(class QSqlQuery &q);

    QSqlDatabase m_db;
    QString m_lastError;
};

} // namespace hcp::sync::hub::upstream

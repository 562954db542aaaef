// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "provinceprofile.h"
#include "upstreamoutbox.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QSqlDatabase>
#include <QString>

namespace hcp::sync::hub::upstream {

// The 差评 records for the province (sync/UPSTREAM.md §9): the replies (整改反馈, kind "reply") and
// appeal decisions (申诉复核 不予采纳, kind "appeal") that the grievance part queues in
// grievance_upstream (PROTOCOL §18.7), delivered with UpstreamOutbox's states and guards:
//   pending ──claim──▶ sending ──stored/duplicate──▶ delivered
//      ▲                  │ ──rejected (province, permanent 4xx, hub check)──▶ dead ──requeue──▶ pending
//      └──transient failure (backoff) or lease expired──┘
// A record is claimed only once the evaluation it is about was delivered (the province cannot
// take a reply to a rating it does not have).
//
// What is sent is not the queued payload: every record is re-derived at claim time from the case
// file and its append-only timeline (grievance_events: the database refuses UPDATE and DELETE),
// so a row altered in the database after queueing still sends what the timeline says. A queued
// payload that disagrees with the timeline is logged and noted in the row's message.
//
// Not thread-safe: use on the thread that owns the QSqlDatabase (the HubStore's).
class GrievanceOutbox
{
public:
    struct Row
    {
        qint64 id = 0;
        QString kind;      // "reply" | "appeal"
        QString key;       // projectNo/serviceNumber/assessNumber | appeal id
        QJsonObject facts; // re-derived content (hub names; GrievanceOutbox::mapped gives the national ones)
        int attempts = 0;
        QString problem;   // not empty: cannot be derived (dead letter with this reason)
        bool altered = false; // the queued payload disagreed with the timeline
    };
    using Result = UpstreamOutbox::Result; // evaluationId = the grievance_upstream row id

    explicit GrievanceOutbox(QSqlDatabase db);

    // The delivery columns of grievance_upstream (a HubSchema step; idempotent).
    static bool ensureSchema(QSqlDatabase &db, bool postgres, QString *error);

    int recoverExpired(qint64 claimedBeforeMs, qint64 nowMs);
    // Moves up to limit due pending rows whose evaluation was delivered to 'sending' and returns
    // them, oldest first, re-derived.
    QList<Row> claim(int limit, qint64 nowMs);
    bool apply(const QList<Result> &results, qint64 nowMs);

    // {pending, waiting (pending until the evaluation is delivered), sending, delivered, dead}
    QJsonObject counts();
    QJsonArray deadLetters(int limit);
    // Dead rows back to pending (all when ids is empty); the number requeued, -1 on error.
    int requeue(const QList<qint64> &ids, qint64 nowMs);

    // The province's record with the national field names (UPSTREAM.md §9) and the hub's checks
    // before sending (empty when sendable).
    static QJsonObject mapped(const Row &row, const ProvinceProfile &profile);
    static QString validate(const QString &kind, const QJsonObject &record);

    QString lastError() const { return m_lastError; }

private:
    enum class Readiness { Ready, Waiting, Broken };
    Readiness derive(Row *row, const QJsonObject &queued);
    Readiness deriveReply(Row *row);
    Readiness deriveAppeal(Row *row);
    Readiness evaluationDelivered(const QVariant &evaluationId);
    bool exec(class QSqlQuery &q);

    QSqlDatabase m_db;
    QString m_lastError;
};

} // namespace hcp::sync::hub::upstream

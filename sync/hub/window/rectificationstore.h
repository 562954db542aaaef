// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QString>

namespace hcp::sync::hub {

// 整改反馈 at the hub: the department's rectification status and reply for one 差评
// (projectNo, serviceNumber, assessNumber), as the back office reports it (PROTOCOL §12).
// A thin view over the HubStore's connection: construct it on demand with that database; it
// owns no connection and keeps no state. Not thread-safe (like HubStore).
class RectificationStore
{
public:
    explicit RectificationStore(QSqlDatabase db);

    // Creates the table if needed; called from HubStore::open (idempotent).
    bool ensureSchema(QString *error = nullptr);

    // Inserts or replaces the rectification of (projectNo, serviceNumber, assessNumber).
    // r: projectNo (string), serviceNumber (int ≥ 1), assessNumber (int ≥ 1), status
    // ("pending"|"in_progress"|"done"), reply, replyDept (strings, a reply ≤ 2000 characters; may
    // be empty), replyTime (ISO 8601 or empty). Returns false with *error set
    // ("invalid: …" for a bad record, else the database error).
    bool upsert(const QJsonObject &r, QString *error = nullptr);

    // Every rectification of the case, by serviceNumber then assessNumber, each with
    // "followUpRated" (bool) and "followUpAssessTime" (the 追评 already stored at the hub for that
    // service, any device). False on a database error.
    bool list(const QString &projectNo, QJsonArray *items, QString *error = nullptr);

    // Empty when r is a valid record for upsert(), else the reason.
    static QString validate(const QJsonObject &r);

private:
    QSqlDatabase m_db;
};

} // namespace hcp::sync::hub

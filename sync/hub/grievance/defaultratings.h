// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QJsonObject>
#include <QSqlDatabase>
#include <QString>

namespace hcp::kiosk {
class WorkCalendar;
}

namespace hcp::sync::hub::grievance {

// Default ratings (PROTOCOL §18.6): a case the hub knows (imported or fed) that nobody rated
// within its window (windowDays working days after resultDate, through 24:00 of the last one,
// the kiosk's WorkCalendar::windowEnd) gets one evaluation made at the hub: satisfaction 3
// (基本满意), isdefault 1, the case's pf (4 when the case has none), no reasons, device "hub".
// Exactly once, across restarts and several hubs on one PostgreSQL: every service event gets one
// claim row in grievance_defaults (INSERT … ON CONFLICT DO NOTHING, in the same transaction as the
// evaluation) whose kind says "rated" or "default"; the evaluation's uuid is derived from the
// case key, so even a lost claim could not make two. The upstream outbox forwards it like any
// stored evaluation (isdefault=1). A later kiosk rating of such a case is refused at ingest.
class DefaultRatings
{
public:
    static constexpr char kDeviceId[] = "hub";

    DefaultRatings(QSqlDatabase db, const kiosk::WorkCalendar &calendar) : m_db(std::move(db)), m_calendar(calendar) {}

    // Makes the due defaults now; returns how many this call made (-1 on a database error).
    int run(int windowDays, qint64 nowMs, QString *error = nullptr);

    // At ingest, in the batch's transaction, for a first rating (assessNumber 1) about to be
    // stored: claims the service event as "rated" so no default is made for it later. Returns 1
    // when the hub already made the default (the rating comes too late and is refused), 0 when the
    // rating may be stored, -1 on a database error.
    static int claimRated(QSqlDatabase &db, const QJsonObject &evaluation, qint64 nowMs);

private:
    // -1 error, 0 nothing to do, 1 default made.
    int settle(const QString &projectNo, int serviceNumber, const QJsonObject &caseObject, int windowDays, qint64 nowMs,
               QString *error);

    QSqlDatabase m_db;
    const kiosk::WorkCalendar &m_calendar;
};

} // namespace hcp::sync::hub::grievance

// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "holidaynotice.h"
#include "workcalendar.h"

#include <QJsonArray>
#include <QList>
#include <QSqlDatabase>
#include <QString>

#include <optional>

namespace hcp::sync::hub::calendar {

// The holiday notices the hub holds (PROTOCOL §19), one row per year in holiday_calendars,
// SQLite or PostgreSQL: the notice in the data/holidays form, where it came from ("shipped" =
// the files compiled into the hub, :/hcp/holidays; "upload" = an admin's upload), who and when.
// holiday_calendar_audit keeps every upload, accepted or refused, append-only. Works on the
// connection it is given; same thread rules as HubStore.
class HolidayStore
{
public:
    struct Held
    {
        kiosk::HolidayNotice notice;
        QString source; // "shipped" | "upload"
        QString actor;
        qint64 updatedAtMs = 0;
    };

    explicit HolidayStore(QSqlDatabase db) : m_db(std::move(db)) {}

    // Schema step 4 (HubSchema).
    static bool ensureSchema(QSqlDatabase &db, bool postgres, QString *error);

    // Adds every shipped notice for a year the store does not hold, and replaces a shipped
    // placeholder without days by a shipped notice with days (a newer hub build); an uploaded
    // year is never touched. Returns the number of rows written, -1 on error.
    int seedShipped(qint64 nowMs, QString *error);
    // Stores (replaces) the year's notice, and its audit row, in one transaction.
    bool put(const kiosk::HolidayNotice &notice, const QString &actor, qint64 nowMs, QString *error);
    // The audit row of a refused upload.
    bool recordRefusal(int year, const QString &actor, const QStringList &problems, qint64 nowMs, QString *error);

    QList<Held> list();
    // Changes whenever a row is written (by this hub or another on the same PostgreSQL).
    QString revision();
    // Shipped notices first, then the held ones over them.
    kiosk::WorkCalendar calendar();
    // Newest first: {"year","atMs","actor","action","holidays","makeUpDays","problems"}.
    QJsonArray audit(int limit);

private:
    QSqlDatabase m_db;
};

} // namespace hcp::sync::hub::calendar

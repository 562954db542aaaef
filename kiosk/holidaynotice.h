// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QDate>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace hcp::kiosk {

// One year's State Council holiday notice in the data/holidays format (holiday-cn):
//   {"year":2026,"papers":["https://…"],"days":[{"name":"元旦","date":"2026-01-01","isOffDay":true},…]}
// ("$schema" and "$id" of the upstream files are allowed and dropped). The one check of a notice,
// shared by the hub (an admin's upload, the console's calendar page) and the kiosk (the signed
// configuration's "holidays" part), so that what the hub publishes is exactly what a kiosk applies.
// Pure functions; thread-safe.
class HolidayNotice
{
public:
    struct Day
    {
        QString name;
        QDate date;
        bool offDay = true; // false: a 调休 make-up working day
    };

    // Largest upload the hub takes, and most days in one notice (a real one has about 40).
    static constexpr qsizetype kMaxBytes = 64 * 1024;
    static constexpr int kMaxDays = 120;
    // A notice's 元旦 holiday may reach into the neighbouring year (2023.json lists 2022-12-31):
    // dates up to this many days before 1 January or after 31 December of the year are accepted.
    static constexpr int kYearMarginDays = 7;

    int year = 0;
    QStringList papers;
    QList<Day> days;

    int holidayCount() const;
    int makeUpDayCount() const;
    bool isEmpty() const { return days.isEmpty(); }

    // Every problem found (Chinese, for the console), each listing the offending dates; empty =
    // valid. expectedYear > 0: the notice must be for that year. allowEmpty: a notice without
    // days (the shipped placeholder of a year not yet announced) is valid.
    static std::optional<HolidayNotice> fromJson(const QJsonObject &o, QStringList *errors, int expectedYear = 0,
                                                 bool allowEmpty = true);
    // {"year","papers","days"}: the form the hub stores and publishes.
    QJsonObject toJson() const;

    // The "holidays" part of a signed configuration document (PROTOCOL §7, §19):
    //   {"notices":[<notice>,…]}, at most kMaxNotices, one per year, each valid as above.
    // Empty optional and *error (English, like the other parts' reasons) when not.
    static constexpr int kMaxNotices = 20;
    static std::optional<QList<HolidayNotice>> partFromJson(const QJsonObject &part, QString *error);
    static QJsonObject partToJson(const QList<HolidayNotice> &notices);
};

} // namespace hcp::kiosk

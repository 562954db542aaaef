// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "holidaynotice.h"

#include <QDate>
#include <QDateTime>
#include <QList>
#include <QMap>
#include <QSet>
#include <QString>

namespace hcp::kiosk {

// Working days from the State Council holiday notices (data/holidays/YYYY.json, holiday-cn
// format). A working day is a listed make-up day (调休, isOffDay=false) or a Monday–Friday that is
// not a listed holiday. Files are keyed by the notice's year, so late-December / early-January
// dates can live in the neighbouring file: load Y and Y+1 (loadDirectory loads every file).
// A notice loaded for a year replaces the one held for that year (a corrected or newly
// published notice wins over the shipped one); an empty notice replaces nothing.
class WorkCalendar {
public:
    // Loads every YYYY.json in dir. Returns the number of files read; errors go to *error.
    int loadDirectory(const QString &dir, QString *error = nullptr);
    // One notice (checked by HolidayNotice::fromJson first; a refused one changes nothing).
    bool loadJson(const QByteArray &json, QString *error = nullptr);
    bool loadNotice(const HolidayNotice &notice);
    // The notices held, by year (empty ones included: they say the year is not announced).
    QList<HolidayNotice> notices() const { return m_notices.values(); }

    bool isWorkingDay(QDate d) const;
    bool isHoliday(QDate d) const { return m_offDays.contains(d); }
    bool isMakeUpWorkday(QDate d) const { return m_makeUpDays.contains(d); }
    // Whether any notice for `year` has been loaded (an empty 2027.json counts as not covered).
    bool covers(int year) const { return m_years.contains(year); }

    // The n-th working day after `from` (from itself does not count). n ≥ 1.
    QDate addWorkingDays(QDate from, int n) const;
    // The rating window: open from completion through 24:00 of the n-th working day after it.
    QDateTime windowEnd(const QDateTime &completion, int n) const;
    bool isWithinWindow(const QDateTime &completion, const QDateTime &now, int n) const;

private:
    QMap<int, HolidayNotice> m_notices;
    QSet<QDate> m_offDays;
    QSet<QDate> m_makeUpDays;
    QSet<int> m_years;
};

} // namespace hcp::kiosk

// SPDX-License-Identifier: Apache-2.0
#include "workcalendar.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcCalendar, "hcp.kiosk.calendar")

namespace hcp::kiosk {

int WorkCalendar::loadDirectory(const QString &dir, QString *error)
{
    int n = 0;
    const QStringList files = QDir(dir).entryList({QStringLiteral("[0-9][0-9][0-9][0-9].json")},
                                                  QDir::Files, QDir::Name);
    for (const QString &name : files) {
        QFile f(QDir(dir).filePath(name));
        if (!f.open(QIODevice::ReadOnly)) {
            if (error)
                *error = QStringLiteral("cannot read %1").arg(f.fileName());
            continue;
        }
        QString e;
        if (loadJson(f.readAll(), &e))
            ++n;
        else if (error)
            *error = QStringLiteral("%1: %2").arg(name, e);
    }
    return n;
}

bool WorkCalendar::loadJson(const QByteArray &json, QString *error)
{
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &pe);
    if (!doc.isObject()) {
        if (error)
            *error = pe.errorString();
        return false;
    }
    QStringList problems;
    const auto notice = HolidayNotice::fromJson(doc.object(), &problems);
    if (!notice) {
        if (error)
            *error = problems.join(QStringLiteral("；"));
        return false;
    }
    return loadNotice(*notice);
}

bool WorkCalendar::loadNotice(const HolidayNotice &notice)
{
    if (notice.isEmpty()) {
        qCInfo(lcCalendar) << "holiday notice for" << notice.year << "has no days yet; weekdays only";
        if (!m_notices.contains(notice.year))
            m_notices.insert(notice.year, notice);
        return true;
    }
    m_notices.insert(notice.year, notice);
    m_offDays.clear();
    m_makeUpDays.clear();
    m_years.clear();
    for (const HolidayNotice &n : std::as_const(m_notices)) {
        for (const HolidayNotice::Day &d : n.days)
            (d.offDay ? m_offDays : m_makeUpDays).insert(d.date);
        if (!n.isEmpty())
            m_years.insert(n.year);
    }
    return true;
}

bool WorkCalendar::isWorkingDay(QDate d) const
{
    if (m_makeUpDays.contains(d))
        return true;
    if (m_offDays.contains(d))
        return false;
    return d.dayOfWeek() <= 5;
}

QDate WorkCalendar::addWorkingDays(QDate from, int n) const
{
    QDate d = from;
    int counted = 0;
    // A year has at most ~40 consecutive non-working days in any notice; the bound only guards
    // against a corrupt calendar marking everything off.
    for (int guard = 0; counted < n && guard < 3660; ++guard) {
        d = d.addDays(1);
        if (isWorkingDay(d))
            ++counted;
    }
    return d;
}

QDateTime WorkCalendar::windowEnd(const QDateTime &completion, int n) const
{
    const QDate last = addWorkingDays(completion.date(), n);
    return QDateTime(last.addDays(1), QTime(0, 0), completion.timeSpec());
}

bool WorkCalendar::isWithinWindow(const QDateTime &completion, const QDateTime &now, int n) const
{
    if (!completion.isValid() || !now.isValid() || n < 1)
        return false;
    // A kiosk clock a few minutes behind the business system must not hide a fresh case.
    if (now < completion.addSecs(-300))
        return false;
    return now < windowEnd(completion, n);
}

} // namespace hcp::kiosk

// SPDX-License-Identifier: Apache-2.0
#include "workcalendar.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
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
    const QJsonObject o = doc.object();
    const int year = o.value(QLatin1String("year")).toInt();
    const QJsonArray days = o.value(QLatin1String("days")).toArray();
    int added = 0;
    for (const QJsonValue &v : days) {
        const QJsonObject d = v.toObject();
        const QDate date = QDate::fromString(d.value(QLatin1String("date")).toString(), Qt::ISODate);
        if (!date.isValid() || !d.value(QLatin1String("isOffDay")).isBool()) {
            if (error)
                *error = QStringLiteral("bad day entry in %1").arg(year);
            return false;
        }
        if (d.value(QLatin1String("isOffDay")).toBool())
            m_offDays.insert(date);
        else
            m_makeUpDays.insert(date);
        ++added;
    }
    if (added > 0)
        m_years.insert(year);
    else
        qCInfo(lcCalendar) << "holiday notice for" << year << "has no days yet; weekdays only";
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

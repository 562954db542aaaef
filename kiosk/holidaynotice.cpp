// SPDX-License-Identifier: Apache-2.0
#include "holidaynotice.h"

#include <QJsonArray>
#include <QMap>
#include <QRegularExpression>
#include <QSet>

namespace hcp::kiosk {

namespace {

QString joined(const QList<QDate> &dates)
{
    QStringList out;
    for (const QDate &d : dates)
        out << d.toString(Qt::ISODate);
    out.removeDuplicates();
    out.sort();
    return out.join(QStringLiteral("、"));
}

QString weekdayName(QDate d)
{
    static const char *const names[] = {"周一", "周二", "周三", "周四", "周五", "周六", "周日"};
    return QString::fromUtf8(names[d.dayOfWeek() - 1]);
}

} // namespace

int HolidayNotice::holidayCount() const
{
    int n = 0;
    for (const Day &d : days)
        n += d.offDay ? 1 : 0;
    return n;
}

int HolidayNotice::makeUpDayCount() const
{
    return int(days.size()) - holidayCount();
}

std::optional<HolidayNotice> HolidayNotice::fromJson(const QJsonObject &o, QStringList *errors, int expectedYear,
                                                     bool allowEmpty)
{
    QStringList found;
    for (auto it = o.begin(); it != o.end(); ++it)
        if (!QStringList{QStringLiteral("year"), QStringLiteral("papers"), QStringLiteral("days"), QStringLiteral("$schema"),
                         QStringLiteral("$id")}.contains(it.key()))
            found << QStringLiteral("不认识的字段“%1”（只允许 year、papers、days）").arg(it.key().left(40));
    HolidayNotice n;
    const QJsonValue yv = o.value(QLatin1String("year"));
    if (!yv.isDouble() || yv.toDouble() != double(yv.toInteger()) || yv.toInteger() < 2000 || yv.toInteger() > 2100)
        found << QStringLiteral("year 必须是 2000 至 2100 之间的整数年份");
    else
        n.year = int(yv.toInteger());
    if (expectedYear > 0 && n.year != 0 && n.year != expectedYear)
        found << QStringLiteral("文件中的年份 %1 与上传的年份 %2 不一致").arg(n.year).arg(expectedYear);
    const QJsonValue pv = o.value(QLatin1String("papers"));
    if (!pv.isUndefined()) {
        static const QRegularExpression url(QStringLiteral("^https?://\\S{1,300}$"));
        if (!pv.isArray() || pv.toArray().size() > 10)
            found << QStringLiteral("papers 必须是最多 10 个通知网址的数组");
        else
            for (const QJsonValue &p : pv.toArray()) {
                if (!p.isString() || !url.match(p.toString()).hasMatch())
                    found << QStringLiteral("papers 中有不是 http(s) 网址的项");
                else
                    n.papers << p.toString();
            }
    }
    const QJsonValue dv = o.value(QLatin1String("days"));
    if (!dv.isArray()) {
        found << QStringLiteral("days 必须是数组");
    } else if (dv.toArray().size() > kMaxDays) {
        found << QStringLiteral("days 最多 %1 项（本文件 %2 项）").arg(kMaxDays).arg(dv.toArray().size());
    } else {
        QList<QDate> outside, notWeekend;
        QMap<QDate, QList<bool>> seen;
        int index = 0;
        for (const QJsonValue &v : dv.toArray()) {
            ++index;
            const QJsonObject d = v.toObject();
            const QDate date = QDate::fromString(d.value(QLatin1String("date")).toString(), QStringLiteral("yyyy-MM-dd"));
            const QJsonValue name = d.value(QLatin1String("name"));
            bool keysOk = v.isObject();
            for (auto it = d.begin(); it != d.end() && keysOk; ++it)
                keysOk = QStringList{QStringLiteral("name"), QStringLiteral("date"), QStringLiteral("isOffDay")}.contains(it.key());
            if (!keysOk || !date.isValid() || !d.value(QLatin1String("isOffDay")).isBool()
                || (!name.isUndefined() && (!name.isString() || name.toString().size() > 32))) {
                found << QStringLiteral("第 %1 项不是 {\"name\":名称,\"date\":\"YYYY-MM-DD\",\"isOffDay\":true/false}（%2）")
                             .arg(index)
                             .arg(d.value(QLatin1String("date")).toString().left(20));
                continue;
            }
            const bool off = d.value(QLatin1String("isOffDay")).toBool();
            if (n.year != 0
                && (date < QDate(n.year, 1, 1).addDays(-kYearMarginDays) || date > QDate(n.year, 12, 31).addDays(kYearMarginDays)))
                outside << date;
            if (!off && date.dayOfWeek() <= 5)
                notWeekend << date;
            seen[date].append(off);
            n.days.append(Day{name.toString(), date, off});
        }
        QList<QDate> duplicates, both;
        for (auto it = seen.cbegin(); it != seen.cend(); ++it) {
            if (it.value().contains(true) && it.value().contains(false))
                both << it.key();
            else if (it.value().size() > 1)
                duplicates << it.key();
        }
        if (!outside.isEmpty())
            found << QStringLiteral("以下日期不在 %1 年内（元旦假期最多可跨年 %2 天）：%3")
                         .arg(n.year).arg(kYearMarginDays).arg(joined(outside));
        if (!duplicates.isEmpty())
            found << QStringLiteral("以下日期重复出现：%1").arg(joined(duplicates));
        if (!both.isEmpty())
            found << QStringLiteral("以下日期既是节假日又是调休上班日：%1").arg(joined(both));
        if (!notWeekend.isEmpty()) {
            QStringList named;
            for (const QDate &d : std::as_const(notWeekend))
                named << d.toString(Qt::ISODate) + QStringLiteral("（") + weekdayName(d) + QStringLiteral("）");
            found << QStringLiteral("调休上班日须为周六或周日，以下日期不是：%1").arg(named.join(QStringLiteral("、")));
        }
        if (n.days.isEmpty() && !allowEmpty && found.isEmpty())
            found << QStringLiteral("%1 年的通知没有任何日期").arg(n.year);
    }
    if (errors)
        *errors = found;
    if (!found.isEmpty())
        return std::nullopt;
    std::sort(n.days.begin(), n.days.end(), [](const Day &a, const Day &b) { return a.date < b.date; });
    return n;
}

QJsonObject HolidayNotice::toJson() const
{
    QJsonArray list;
    for (const Day &d : days)
        list.append(QJsonObject{{QStringLiteral("name"), d.name},
                                {QStringLiteral("date"), d.date.toString(Qt::ISODate)},
                                {QStringLiteral("isOffDay"), d.offDay}});
    return QJsonObject{{QStringLiteral("year"), year},
                       {QStringLiteral("papers"), QJsonArray::fromStringList(papers)},
                       {QStringLiteral("days"), list}};
}

std::optional<QList<HolidayNotice>> HolidayNotice::partFromJson(const QJsonObject &part, QString *error)
{
    auto fail = [error](const QString &why) {
        if (error)
            *error = why;
        return std::optional<QList<HolidayNotice>>();
    };
    if (part.size() != 1 || !part.value(QLatin1String("notices")).isArray())
        return fail(QStringLiteral("holidays must be {\"notices\":[…]}"));
    const QJsonArray list = part.value(QLatin1String("notices")).toArray();
    if (list.size() > kMaxNotices)
        return fail(QStringLiteral("holidays: at most %1 notices").arg(kMaxNotices));
    QList<HolidayNotice> out;
    QSet<int> years;
    for (const QJsonValue &v : list) {
        QStringList problems;
        const auto n = fromJson(v.toObject(), &problems);
        if (!v.isObject() || !n)
            return fail(QStringLiteral("holidays: %1").arg(problems.join(QStringLiteral("; "))));
        if (years.contains(n->year))
            return fail(QStringLiteral("holidays: two notices for %1").arg(n->year));
        years.insert(n->year);
        out.append(*n);
    }
    return out;
}

QJsonObject HolidayNotice::partToJson(const QList<HolidayNotice> &notices)
{
    QJsonArray list;
    for (const HolidayNotice &n : notices)
        list.append(n.toJson());
    return QJsonObject{{QStringLiteral("notices"), list}};
}

} // namespace hcp::kiosk

// SPDX-License-Identifier: Apache-2.0
#include "report.h"

#include "followups.h"
#include "workcalendar.h"
#include "xlsxwriter.h"

#include <QJsonDocument>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <QTimeZone>

namespace hcp::sync::hub::grievance {

namespace {

struct Acc
{
    QString name;
    qint64 levels[6] = {0, 0, 0, 0, 0, 0};
    qint64 ratings = 0, sum = 0, excluded = 0, defaults = 0, duplicates = 0;
    qint64 files = 0, rectified = 0, onTime = 0, visited = 0, satisfied = 0, overdue = 0;
};

// Where a rating belongs: its department, hall and staff member (keys and display names).
struct Keys
{
    QString dept, deptName, hall, staff, staffName;
};

double ratio(qint64 a, qint64 b)
{
    return b ? double(a) / double(b) : 0.0;
}

QJsonObject row(const QString &scope, const QString &key, const Acc &a)
{
    QJsonArray levels;
    for (int s = 1; s <= 5; ++s)
        levels.append(a.levels[s]);
    const qint64 good = a.levels[3] + a.levels[4] + a.levels[5];
    return QJsonObject{{QStringLiteral("scope"), scope},
                       {QStringLiteral("key"), key},
                       {QStringLiteral("name"), a.name.isEmpty() ? key : a.name},
                       {QStringLiteral("ratings"), a.ratings},
                       {QStringLiteral("levels"), levels},
                       {QStringLiteral("good"), good},
                       {QStringLiteral("goodRate"), ratio(good, a.ratings)},
                       {QStringLiteral("averageScore"), ratio(a.sum, a.ratings)},
                       {QStringLiteral("bad"), a.levels[1] + a.levels[2]},
                       {QStringLiteral("excluded"), a.excluded},
                       {QStringLiteral("defaults"), a.defaults},
                       {QStringLiteral("duplicates"), a.duplicates},
                       {QStringLiteral("files"), a.files},
                       {QStringLiteral("rectified"), a.rectified},
                       {QStringLiteral("rectifyRate"), ratio(a.rectified, a.files)},
                       {QStringLiteral("onTime"), a.onTime},
                       {QStringLiteral("onTimeRate"), ratio(a.onTime, a.rectified)},
                       {QStringLiteral("visited"), a.visited},
                       {QStringLiteral("visitRate"), ratio(a.visited, a.rectified)},
                       {QStringLiteral("satisfied"), a.satisfied},
                       {QStringLiteral("visitSatisfactionRate"), ratio(a.satisfied, a.visited)},
                       {QStringLiteral("overdue"), a.overdue}};
}

QJsonArray rows(const QString &scope, const QHash<QString, Acc> &map)
{
    QStringList keys = map.keys();
    std::sort(keys.begin(), keys.end(), [&map](const QString &a, const QString &b) {
        const qint64 ca = map.value(a).ratings, cb = map.value(b).ratings;
        return ca != cb ? ca > cb : a < b;
    });
    QJsonArray out;
    for (const QString &k : std::as_const(keys))
        out.append(row(scope, k, map.value(k)));
    return out;
}

QJsonObject parse(const QVariant &v)
{
    return QJsonDocument::fromJson(v.toString().toUtf8()).object();
}

QString orDash(const QString &s)
{
    return s.isEmpty() ? QStringLiteral("-") : s;
}

} // namespace

bool Report::parsePeriod(const QUrlQuery &query, const QDate &today, Period *p, QString *error)
{
    p->kind = query.queryItemValue(QStringLiteral("period"));
    const QString fromText = query.queryItemValue(QStringLiteral("from"));
    const QDate anchor = fromText.isEmpty() ? today : QDate::fromString(fromText, Qt::ISODate);
    if (!anchor.isValid()) {
        *error = QStringLiteral("from 须为日期 yyyy-MM-dd");
        return false;
    }
    if (p->kind.isEmpty() || p->kind == QLatin1String("month")) {
        p->kind = QStringLiteral("month");
        p->from = QDate(anchor.year(), anchor.month(), 1);
        p->to = p->from.addMonths(1).addDays(-1);
    } else if (p->kind == QLatin1String("quarter")) {
        p->from = QDate(anchor.year(), (anchor.month() - 1) / 3 * 3 + 1, 1);
        p->to = p->from.addMonths(3).addDays(-1);
    } else if (p->kind == QLatin1String("year")) {
        p->from = QDate(anchor.year(), 1, 1);
        p->to = QDate(anchor.year(), 12, 31);
    } else if (p->kind == QLatin1String("custom")) {
        p->from = anchor;
        p->to = QDate::fromString(query.queryItemValue(QStringLiteral("to")), Qt::ISODate);
        if (!p->to.isValid() || p->to < p->from || p->from.daysTo(p->to) > 3660) {
            *error = QStringLiteral("自定义期间须给出 from 与 to（yyyy-MM-dd，to 不早于 from，最长十年）");
            return false;
        }
    } else {
        *error = QStringLiteral("period 须为 month、quarter、year 或 custom");
        return false;
    }
    return true;
}

CaseFiles::Outcome Report::compute(const Period &period, const QString &deptCode, const CaseFiles::Actor &actor,
                                   const QDate &today)
{
    QString dept = deptCode;
    if (actor.handler()) {
        if (!dept.isEmpty() && dept != actor.deptCode)
            return CaseFiles::refused(403, QStringLiteral("forbidden"), QStringLiteral("只能查看本部门的通报"));
        dept = actor.deptCode.isEmpty() ? QStringLiteral("-") : actor.deptCode;
    }
    QSqlDatabase &db = m_files.database();
    const QString from = period.from.toString(Qt::ISODate);
    const QString to = period.to.addDays(1).toString(Qt::ISODate);
    auto internal = [](const QSqlQuery &q) {
        return CaseFiles::refused(500, QStringLiteral("internal"), q.lastError().text());
    };

    QHash<QString, QJsonObject> caseCache;
    QSqlQuery caseQuery(db);
    caseQuery.prepare(QStringLiteral("SELECT payload, hall_code FROM cases WHERE project_no = ? ORDER BY service_number LIMIT 1"));
    auto caseOf = [&](const QString &projectNo) {
        if (!caseCache.contains(projectNo)) {
            caseQuery.bindValue(0, projectNo);
            QJsonObject c;
            if (caseQuery.exec() && caseQuery.next()) {
                c = parse(caseQuery.value(0));
                c.insert(QStringLiteral("_hall"), caseQuery.value(1).toString());
            }
            caseQuery.finish();
            caseCache.insert(projectNo, c);
        }
        return caseCache.value(projectNo);
    };

    Acc all;
    all.name = QStringLiteral("全县");
    QHash<QString, Acc> depts, halls, staff;
    QHash<qint64, Keys> keysOf; // evaluation id → where it belongs
    QSet<QString> seen; // service events already counted
    QJsonArray drill;
    auto each = [&](const Keys &k, const std::function<void(Acc &)> &f) {
        Acc &d = depts[k.dept];
        if (d.name.isEmpty())
            d.name = k.deptName;
        Acc &h = halls[k.hall];
        Acc &s = staff[k.staff];
        if (s.name.isEmpty())
            s.name = k.staffName;
        for (Acc *a : {&all, &d, &h, &s})
            f(*a);
    };

    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT e.id, e.satisfaction, e.payload, d.hall_code, x.evaluation_id, e.project_no, e.assess_time "
                             "FROM evaluations e LEFT JOIN devices d ON d.device_id = e.device_id "
                             "LEFT JOIN grievance_exclusions x ON x.evaluation_id = e.id "
                             "WHERE e.assess_time >= ? AND e.assess_time < ? ORDER BY e.assess_time, e.id"));
    q.addBindValue(from);
    q.addBindValue(to);
    if (!q.exec())
        return internal(q);
    while (q.next()) {
        const QJsonObject e = parse(q.value(2));
        if (e.value(QLatin1String("assessNumber")).toInt(1) != 1)
            continue; // a 追评 is a 回访 of the first rating
        const int s = q.value(1).toInt();
        if (s < 1 || s > 5)
            continue;
        const QJsonObject c = caseOf(q.value(5).toString());
        Keys k;
        k.dept = orDash(e.value(QLatin1String("deptCode")).toString());
        if (!dept.isEmpty() && k.dept != dept)
            continue;
        k.deptName = c.value(QLatin1String("deptName")).toString();
        k.hall = orDash(q.value(3).isNull() ? c.value(QLatin1String("_hall")).toString() : q.value(3).toString());
        k.staff = orDash(e.value(QLatin1String("staffNo")).toString());
        const QString staffName = c.value(QLatin1String("staffName")).toString();
        k.staffName = staffName.isEmpty() ? QString() : QStringLiteral("%1（%2）").arg(staffName, k.staff);
        const qint64 id = q.value(0).toLongLong();
        // 一事一评: the first rating of a service event counts; another device's later one is
        // evidence, counted apart (its file, if it opened one, is not counted either).
        const QString event = q.value(5).toString() + QLatin1Char('/')
            + QString::number(e.value(QLatin1String("serviceNumber")).toInt());
        if (seen.contains(event)) {
            each(k, [](Acc &a) { ++a.duplicates; });
            continue;
        }
        seen.insert(event);
        keysOf.insert(id, k);
        const bool excluded = !q.value(4).isNull();
        const bool isDefault = e.value(QLatin1String("isdefault")).toVariant().toInt() == 1;
        each(k, [&](Acc &a) {
            if (excluded)
                ++a.excluded;
            else if (isDefault)
                ++a.defaults;
            else {
                ++a.ratings;
                ++a.levels[s];
                a.sum += s;
            }
        });
        if (!dept.isEmpty() && drill.size() < 5000) {
            QJsonObject item{{QStringLiteral("evaluationId"), id},
                             {QStringLiteral("assessTime"), q.value(6).toString()},
                             {QStringLiteral("satisfaction"), s},
                             {QStringLiteral("hallCode"), k.hall},
                             {QStringLiteral("staffNo"), k.staff},
                             {QStringLiteral("taskName"), c.value(QLatin1String("taskName")).toString()},
                             {QStringLiteral("excluded"), excluded},
                             {QStringLiteral("isDefault"), isDefault}};
            const QString projectNo = q.value(5).toString();
            if (actor.role == QLatin1String("viewer")) {
                item.insert(QStringLiteral("projectNo"), CaseFiles::masked(projectNo));
            } else {
                item.insert(QStringLiteral("projectNo"), projectNo);
                item.insert(QStringLiteral("writingEvaluation"), e.value(QLatin1String("writingEvaluation")));
            }
            drill.append(item);
        }
    }

    QString error;
    const QHash<qint64, QString> reached = FollowUps::latestReached(db, &error);
    if (!error.isEmpty())
        return CaseFiles::refused(500, QStringLiteral("internal"), error);
    QHash<qint64, qint64> answeredAt; // file id → the latest answer
    QSqlQuery a(db);
    if (!a.exec(QStringLiteral("SELECT file_id, MAX(at_ms) FROM grievance_events WHERE action = 'answer' GROUP BY file_id")))
        return internal(a);
    while (a.next())
        answeredAt.insert(a.value(0).toLongLong(), a.value(1).toLongLong());

    QHash<qint64, QJsonObject> fileOf; // evaluation id → file state, for the drill-down
    QSqlQuery f(db);
    f.prepare(QStringLiteral("SELECT id, evaluation_id, state, complex, clock_from, due_date FROM grievance_files "
                             "WHERE rating_time >= ? AND rating_time < ?"));
    f.addBindValue(from);
    f.addBindValue(to);
    if (!f.exec())
        return internal(f);
    const QString todayText = today.toString(Qt::ISODate);
    while (f.next()) {
        const qint64 evaluationId = f.value(1).toLongLong();
        const auto k = keysOf.constFind(evaluationId);
        if (k == keysOf.constEnd())
            continue; // not a first rating counted in this period (or another department)
        const qint64 fileId = f.value(0).toLongLong();
        const QString st = f.value(2).toString();
        fileOf.insert(evaluationId, QJsonObject{{QStringLiteral("fileId"), fileId}, {QStringLiteral("fileState"), st}});
        if (st == state::Rejected)
            continue;
        const bool rectified = st == state::Rectified || st == state::Visited || st == state::Closed;
        const QDate clock = QDate::fromString(f.value(4).toString(), Qt::ISODate);
        const QDate due = m_files.calendar().addWorkingDays(clock, f.value(3).toInt() ? deadline::Complex : deadline::Simple);
        const QDate answered = answeredAt.contains(fileId)
            ? QDateTime::fromMSecsSinceEpoch(answeredAt.value(fileId), Qt::UTC).toOffsetFromUtc(8 * 3600).date()
            : QDate();
        const QString dueDate = f.value(5).toString();
        each(*k, [&](Acc &acc) {
            ++acc.files;
            if (rectified) {
                ++acc.rectified;
                acc.onTime += answered.isValid() && answered <= due ? 1 : 0;
                if (reached.contains(fileId)) {
                    ++acc.visited;
                    acc.satisfied += FollowUps::satisfied(reached.value(fileId)) ? 1 : 0;
                }
            }
            acc.overdue += !dueDate.isEmpty() && dueDate < todayText ? 1 : 0;
        });
    }

    // Halls by name: the hallName of the hall's signed configuration (PROTOCOL §7), when it has one.
    QSqlQuery hallName(db);
    hallName.prepare(QStringLiteral("SELECT document FROM config_versions WHERE scope = ? ORDER BY version DESC LIMIT 1"));
    for (auto it = halls.begin(); it != halls.end(); ++it) {
        hallName.bindValue(0, QStringLiteral("hall:") + it.key());
        if (hallName.exec() && hallName.next())
            it->name = parse(hallName.value(0)).value(QLatin1String("kiosk")).toObject().value(QLatin1String("hallName")).toString();
        hallName.finish();
    }

    QJsonObject body{{QStringLiteral("period"), period.kind},
                     {QStringLiteral("from"), period.from.toString(Qt::ISODate)},
                     {QStringLiteral("to"), period.to.toString(Qt::ISODate)},
                     {QStringLiteral("today"), todayText},
                     {QStringLiteral("overall"), row(QStringLiteral("overall"), QStringLiteral("*"), all)},
                     {QStringLiteral("departments"), rows(QStringLiteral("department"), depts)},
                     {QStringLiteral("halls"), rows(QStringLiteral("hall"), halls)},
                     {QStringLiteral("staff"), rows(QStringLiteral("staff"), staff)}};
    if (!dept.isEmpty()) {
        for (QJsonValueRef v : drill) {
            QJsonObject item = v.toObject();
            const QJsonObject fo = fileOf.value(item.value(QLatin1String("evaluationId")).toInteger());
            for (auto it = fo.begin(); it != fo.end(); ++it)
                item.insert(it.key(), it.value());
            v = item;
        }
        body.insert(QStringLiteral("dept"), dept);
        body.insert(QStringLiteral("evaluations"), drill);
    }
    return CaseFiles::Outcome{200, {}, {}, body};
}

QList<QStringList> Report::table(const QJsonObject &report)
{
    QList<QStringList> out{{QStringLiteral("范围"), QStringLiteral("代码"), QStringLiteral("名称"), QStringLiteral("评价数"),
                            QStringLiteral("好评数"), QStringLiteral("好评率"), QStringLiteral("平均分"),
                            QStringLiteral("差评数"), QStringLiteral("差评工单"), QStringLiteral("已整改"),
                            QStringLiteral("差评整改率"), QStringLiteral("按期整改"), QStringLiteral("按期整改率"),
                            QStringLiteral("已回访"), QStringLiteral("回访率"), QStringLiteral("回访满意"),
                            QStringLiteral("回访满意率"), QStringLiteral("超期"), QStringLiteral("不予采纳"),
                            QStringLiteral("默认评价")}};
    static const QHash<QString, QString> scopes{{QStringLiteral("overall"), QStringLiteral("总计")},
                                                {QStringLiteral("department"), QStringLiteral("部门")},
                                                {QStringLiteral("hall"), QStringLiteral("大厅")},
                                                {QStringLiteral("staff"), QStringLiteral("人员")}};
    auto add = [&out](const QJsonObject &r) {
        QStringList line{scopes.value(r.value(QLatin1String("scope")).toString()), r.value(QLatin1String("key")).toString(),
                         r.value(QLatin1String("name")).toString()};
        for (const char *k : {"ratings", "good", "goodRate", "averageScore", "bad", "files", "rectified", "rectifyRate",
                              "onTime", "onTimeRate", "visited", "visitRate", "satisfied", "visitSatisfactionRate",
                              "overdue", "excluded", "defaults"}) {
            const QJsonValue v = r.value(QLatin1String(k));
            line << (QByteArray(k).endsWith("Rate") || qstrcmp(k, "averageScore") == 0
                         ? QString::number(v.toDouble(), 'f', 4)
                         : QString::number(v.toInteger()));
        }
        out << line;
    };
    add(report.value(QLatin1String("overall")).toObject());
    for (const char *list : {"departments", "halls", "staff"})
        for (const QJsonValue &v : report.value(QLatin1String(list)).toArray())
            add(v.toObject());
    return out;
}

QByteArray Report::csv(const QJsonObject &report)
{
    QByteArray out("\xEF\xBB\xBF");
    for (const QStringList &line : table(report)) {
        QStringList cells;
        for (QString c : line) {
            if (c.contains(QLatin1Char(',')) || c.contains(QLatin1Char('"')) || c.contains(QLatin1Char('\n'))
                || c.contains(QLatin1Char('\r')))
                c = QLatin1Char('"') + c.replace(QLatin1Char('"'), QLatin1String("\"\"")) + QLatin1Char('"');
            cells << c;
        }
        out += cells.join(QLatin1Char(',')).toUtf8() + "\r\n";
    }
    return out;
}

QByteArray Report::xlsx(const QJsonObject &report)
{
    const QList<QStringList> lines = table(report);
    XlsxWriter w;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        QList<QVariant> cells;
        for (qsizetype c = 0; c < lines.at(i).size(); ++c) {
            // Measures are numbers in the sheet (the header and the names are text).
            if (i > 0 && c >= 3)
                cells << lines.at(i).at(c).toDouble();
            else
                cells << lines.at(i).at(c);
        }
        w.addRow(cells);
    }
    return w.workbook(QStringLiteral("通报 %1 至 %2")
                          .arg(report.value(QLatin1String("from")).toString(), report.value(QLatin1String("to")).toString()));
}

} // namespace hcp::sync::hub::grievance

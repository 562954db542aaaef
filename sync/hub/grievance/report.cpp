// SPDX-License-Identifier: Apache-2.0
#include "report.h"

#include "followups.h"
#include "reasontexts.h"
#include "workcalendar.h"

#include <QJsonDocument>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <QTimeZone>

namespace hcp::sync::hub::grievance {

namespace {

// The dimensions of the 通报 after "overall": JSON list, row scope.
enum Dim { Department, Hall, Area, Task, Channel, Staff, kDims };
const char *const kLists[kDims] = {"departments", "halls", "areas", "tasks", "channels", "staff"};
const char *const kScopes[kDims] = {"department", "hall", "area", "task", "channel", "staff"};

// 评价渠道 pf (domain.md b.1).
QString channelName(const QString &pf)
{
    static const QHash<QString, QString> names{{QStringLiteral("1"), QStringLiteral("PC端")},
                                               {QStringLiteral("2"), QStringLiteral("移动端")},
                                               {QStringLiteral("3"), QStringLiteral("二维码")},
                                               {QStringLiteral("4"), QStringLiteral("政务大厅平板电脑")},
                                               {QStringLiteral("5"), QStringLiteral("政务大厅自助终端")},
                                               {QStringLiteral("6"), QStringLiteral("电话")},
                                               {QStringLiteral("7"), QStringLiteral("短信")}};
    return names.value(pf);
}

// The level of a 12-digit 行政区划 code: 6 digits county, 3 township (乡镇/街道), 3 village (村/社区).
QString areaLevel(const QString &code)
{
    if (code.size() != 12)
        return QStringLiteral("-");
    if (code.mid(9) != QLatin1String("000"))
        return QStringLiteral("village");
    if (code.mid(6, 3) != QLatin1String("000"))
        return QStringLiteral("township");
    return QStringLiteral("county");
}

// One first rating in the period and what became of it.
struct Item
{
    enum Kind { Counted, Excluded, Default, Duplicate };
    qint64 id = 0;
    QString projectNo, assessTime, taskName;
    int satisfaction = 0;
    Kind kind = Counted;
    QString keys[kDims];
    QJsonObject e;
    qint64 fileId = 0;
    QString fileState;
    bool file = false, rectified = false, onTime = false, visited = false, satisfied = false, overdue = false;
    int appeals = 0;
};

struct Acc
{
    QString name;
    qint64 levels[6] = {0, 0, 0, 0, 0, 0};
    qint64 ratings = 0, sum = 0, excluded = 0, defaults = 0, duplicates = 0, handled = 0, ratedCases = 0;
    qint64 files = 0, rectified = 0, onTime = 0, visited = 0, satisfied = 0, overdue = 0, appeals = 0;
    QHash<QString, qint64> reasons;
};

double ratio(qint64 a, qint64 b)
{
    return b ? double(a) / double(b) : 0.0;
}

QStringList reasonCodes(const Item &i)
{
    QStringList codes;
    for (const QString &c : i.e.value(QLatin1String("evalDetail")).toString().split(QLatin1Char(','), Qt::SkipEmptyParts))
        codes << c.trimmed();
    return codes;
}

// Whether the evaluation counts in the measure (the drill-down; the row sums agree with it).
bool in(const Item &i, const QString &m)
{
    const bool counted = i.kind == Item::Counted;
    if (m == QLatin1String("ratings") || m == QLatin1String("ratedCases"))
        return counted;
    if (m == QLatin1String("good"))
        return counted && i.satisfaction >= 3;
    if (m == QLatin1String("bad"))
        return counted && i.satisfaction <= 2;
    if (m.startsWith(QLatin1String("level")) && m.size() == 6)
        return counted && i.satisfaction == m.at(5).digitValue();
    if (m == QLatin1String("excluded"))
        return i.kind == Item::Excluded;
    if (m == QLatin1String("defaults"))
        return i.kind == Item::Default;
    if (m == QLatin1String("duplicates"))
        return i.kind == Item::Duplicate;
    if (m == QLatin1String("files"))
        return i.file;
    if (m == QLatin1String("rectified"))
        return i.rectified;
    if (m == QLatin1String("onTime"))
        return i.onTime;
    if (m == QLatin1String("visited"))
        return i.visited;
    if (m == QLatin1String("satisfied"))
        return i.satisfied;
    if (m == QLatin1String("overdue"))
        return i.overdue;
    if (m == QLatin1String("appeals"))
        return i.appeals > 0;
    return false;
}

void add(Acc &a, const Item &i)
{
    switch (i.kind) {
    case Item::Duplicate:
        ++a.duplicates;
        return;
    case Item::Excluded:
        ++a.excluded;
        break;
    case Item::Default:
        ++a.defaults;
        break;
    case Item::Counted:
        ++a.ratings;
        ++a.levels[i.satisfaction];
        a.sum += i.satisfaction;
        if (i.satisfaction <= 2)
            for (const QString &c : reasonCodes(i))
                ++a.reasons[c];
        break;
    }
    a.files += i.file;
    a.rectified += i.rectified;
    a.onTime += i.onTime;
    a.visited += i.visited;
    a.satisfied += i.satisfied;
    a.overdue += i.overdue;
    a.appeals += i.appeals;
}

QJsonArray topReasons(const QHash<QString, qint64> &reasons, const QHash<QString, QString> &texts, int limit)
{
    QStringList codes = reasons.keys();
    std::sort(codes.begin(), codes.end(), [&reasons](const QString &a, const QString &b) {
        return reasons.value(a) != reasons.value(b) ? reasons.value(a) > reasons.value(b) : a < b;
    });
    QJsonArray out;
    for (const QString &c : codes.mid(0, limit))
        out.append(QJsonObject{{QStringLiteral("code"), c},
                               {QStringLiteral("text"), texts.value(c)},
                               {QStringLiteral("count"), reasons.value(c)}});
    return out;
}

QJsonObject row(const QString &scope, const QString &key, const Acc &a, const QHash<QString, QString> &texts)
{
    QJsonArray levels;
    for (int s = 1; s <= 5; ++s)
        levels.append(a.levels[s]);
    const qint64 good = a.levels[3] + a.levels[4] + a.levels[5];
    const qint64 bad = a.levels[1] + a.levels[2];
    QJsonObject r{{QStringLiteral("scope"), scope},
                  {QStringLiteral("key"), key},
                  {QStringLiteral("name"), a.name.isEmpty() ? key : a.name},
                  {QStringLiteral("ratings"), a.ratings},
                  {QStringLiteral("levels"), levels},
                  {QStringLiteral("good"), good},
                  {QStringLiteral("goodRate"), ratio(good, a.ratings)},
                  {QStringLiteral("averageScore"), ratio(a.sum, a.ratings)},
                  {QStringLiteral("bad"), bad},
                  {QStringLiteral("badRate"), ratio(bad, a.ratings)},
                  {QStringLiteral("handled"), a.handled},
                  {QStringLiteral("ratedCases"), a.ratedCases},
                  {QStringLiteral("evaluationRate"), ratio(a.ratedCases, a.handled)},
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
                  {QStringLiteral("overdue"), a.overdue},
                  {QStringLiteral("appeals"), a.appeals},
                  {QStringLiteral("topReasons"), topReasons(a.reasons, texts, 5)}};
    if (scope == QLatin1String("channel")) {
        // A case is not handled "in a channel": the 评价率 has no denominator here.
        for (const char *k : {"handled", "ratedCases", "evaluationRate"})
            r.insert(QLatin1String(k), QJsonValue::Null);
    } else if (scope == QLatin1String("area")) {
        r.insert(QStringLiteral("level"), areaLevel(key));
    }
    return r;
}

QJsonArray rows(const QString &scope, const QHash<QString, Acc> &map, const QHash<QString, QString> &texts)
{
    QStringList keys = map.keys();
    std::sort(keys.begin(), keys.end(), [&map](const QString &a, const QString &b) {
        const qint64 ca = map.value(a).ratings, cb = map.value(b).ratings;
        return ca != cb ? ca > cb : a < b;
    });
    QJsonArray out;
    for (const QString &k : std::as_const(keys))
        out.append(row(scope, k, map.value(k), texts));
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

QString text(const QJsonObject &o, const char *key)
{
    const QJsonValue v = o.value(QLatin1String(key));
    return v.isDouble() ? QString::number(v.toInteger()) : v.toString();
}

// An evaluation of a drill-down list, as the actor may see it: a viewer gets the 办件编号 masked
// and no comment; the roles that handle 差评 (handler of its department, maintainer, admin) see both.
QJsonObject itemJson(const Item &i, const CaseFiles::Actor &actor)
{
    static const char *const kinds[] = {"counted", "excluded", "default", "duplicate"};
    QJsonObject o{{QStringLiteral("evaluationId"), i.id},
                  {QStringLiteral("assessTime"), i.assessTime},
                  {QStringLiteral("satisfaction"), i.satisfaction},
                  {QStringLiteral("hallCode"), i.keys[Hall]},
                  {QStringLiteral("deptCode"), i.keys[Department]},
                  {QStringLiteral("areaCode"), i.keys[Area]},
                  {QStringLiteral("taskCode"), i.keys[Task]},
                  {QStringLiteral("pf"), i.keys[Channel]},
                  {QStringLiteral("staffNo"), i.keys[Staff]},
                  {QStringLiteral("taskName"), i.taskName},
                  {QStringLiteral("userNameMasked"), i.e.value(QLatin1String("userNameMasked")).toString()},
                  {QStringLiteral("evalDetail"), i.e.value(QLatin1String("evalDetail")).toString()},
                  {QStringLiteral("kind"), QLatin1String(kinds[i.kind])},
                  {QStringLiteral("excluded"), i.kind == Item::Excluded},
                  {QStringLiteral("isDefault"), i.kind == Item::Default}};
    if (i.fileId) {
        o.insert(QStringLiteral("fileId"), i.fileId);
        o.insert(QStringLiteral("fileState"), i.fileState);
    }
    if (actor.role == QLatin1String("viewer")) {
        o.insert(QStringLiteral("projectNo"), CaseFiles::masked(i.projectNo));
    } else {
        o.insert(QStringLiteral("projectNo"), i.projectNo);
        o.insert(QStringLiteral("writingEvaluation"), i.e.value(QLatin1String("writingEvaluation")).toString());
    }
    return o;
}

} // namespace

const QStringList &Report::drillMeasures()
{
    static const QStringList m{QStringLiteral("ratings"), QStringLiteral("good"), QStringLiteral("bad"),
                               QStringLiteral("level1"), QStringLiteral("level2"), QStringLiteral("level3"),
                               QStringLiteral("level4"), QStringLiteral("level5"), QStringLiteral("excluded"),
                               QStringLiteral("defaults"), QStringLiteral("duplicates"), QStringLiteral("ratedCases"),
                               QStringLiteral("files"), QStringLiteral("rectified"), QStringLiteral("onTime"),
                               QStringLiteral("visited"), QStringLiteral("satisfied"), QStringLiteral("overdue"),
                               QStringLiteral("appeals")};
    return m;
}

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
                                   const QDate &today, const Drill &drill)
{
    QString dept = deptCode;
    if (actor.handler()) {
        if (!dept.isEmpty() && dept != actor.deptCode)
            return CaseFiles::refused(403, QStringLiteral("forbidden"), QStringLiteral("只能查看本部门的通报"));
        dept = actor.deptCode.isEmpty() ? QStringLiteral("-") : actor.deptCode;
    }
    int drillDim = -1;
    if (drill.isSet()) {
        if (!drillMeasures().contains(drill.measure))
            return CaseFiles::refused(400, QStringLiteral("bad_request"), QStringLiteral("measure 不可下钻"));
        for (int d = 0; d < kDims; ++d)
            drillDim = drill.scope == QLatin1String(kScopes[d]) ? d : drillDim;
        if (drillDim < 0 && drill.scope != QLatin1String("overall"))
            return CaseFiles::refused(400, QStringLiteral("bad_request"), QStringLiteral("scope 须为 overall 或通报的一个维度"));
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

    QList<Item> items;
    QHash<qint64, qsizetype> itemOf; // evaluation id → its (not duplicate) item
    QHash<int, QHash<QString, QString>> names; // dimension → key → name
    QSet<QString> seen; // service events already counted
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
        Item i;
        i.e = parse(q.value(2));
        if (i.e.value(QLatin1String("assessNumber")).toInt(1) != 1)
            continue; // a 追评 is a 回访 of the first rating
        i.satisfaction = q.value(1).toInt();
        if (i.satisfaction < 1 || i.satisfaction > 5)
            continue;
        i.projectNo = q.value(5).toString();
        const QJsonObject c = caseOf(i.projectNo);
        i.keys[Department] = orDash(i.e.value(QLatin1String("deptCode")).toString());
        if (!dept.isEmpty() && i.keys[Department] != dept)
            continue;
        i.id = q.value(0).toLongLong();
        i.assessTime = q.value(6).toString();
        i.taskName = c.value(QLatin1String("taskName")).toString();
        i.keys[Hall] = orDash(q.value(3).isNull() ? c.value(QLatin1String("_hall")).toString() : q.value(3).toString());
        // The township/village: the rating's 行政区划, else the case's, else its hall's code.
        QString area = text(i.e, "areaCode");
        area = area.isEmpty() ? text(c, "areaCode") : area;
        i.keys[Area] = orDash(area.isEmpty() ? c.value(QLatin1String("_hall")).toString() : area);
        const QString task = text(i.e, "taskCode");
        i.keys[Task] = orDash(task.isEmpty() ? text(c, "taskCode") : task);
        i.keys[Channel] = orDash(text(i.e, "pf"));
        i.keys[Staff] = orDash(text(i.e, "staffNo"));
        names[Department].insert(i.keys[Department], c.value(QLatin1String("deptName")).toString());
        if (!c.value(QLatin1String("areaName")).toString().isEmpty())
            names[Area].insert(i.keys[Area], c.value(QLatin1String("areaName")).toString());
        names[Task].insert(i.keys[Task], i.taskName);
        names[Channel].insert(i.keys[Channel], channelName(i.keys[Channel]));
        const QString staffName = c.value(QLatin1String("staffName")).toString();
        if (!staffName.isEmpty())
            names[Staff].insert(i.keys[Staff], QStringLiteral("%1（%2）").arg(staffName, i.keys[Staff]));
        // 一事一评: the first rating of a service event counts; another device's later one is
        // evidence, counted apart (its file, if it opened one, is not counted either).
        const QString event = i.projectNo + QLatin1Char('/') + QString::number(i.e.value(QLatin1String("serviceNumber")).toInt());
        if (seen.contains(event)) {
            i.kind = Item::Duplicate;
        } else {
            seen.insert(event);
            itemOf.insert(i.id, items.size());
            if (!q.value(4).isNull())
                i.kind = Item::Excluded;
            else if (i.e.value(QLatin1String("isdefault")).toVariant().toInt() == 1)
                i.kind = Item::Default;
        }
        items.append(i);
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
    QHash<qint64, int> appealsOf; // file id → appeals filed
    QSqlQuery ap(db);
    if (!ap.exec(QStringLiteral("SELECT file_id, COUNT(*) FROM grievance_appeals GROUP BY file_id")))
        return internal(ap);
    while (ap.next())
        appealsOf.insert(ap.value(0).toLongLong(), ap.value(1).toInt());

    QSqlQuery f(db);
    f.prepare(QStringLiteral("SELECT id, evaluation_id, state, complex, clock_from, due_date FROM grievance_files "
                             "WHERE rating_time >= ? AND rating_time < ?"));
    f.addBindValue(from);
    f.addBindValue(to);
    if (!f.exec())
        return internal(f);
    const QString todayText = today.toString(Qt::ISODate);
    while (f.next()) {
        const auto at = itemOf.constFind(f.value(1).toLongLong());
        if (at == itemOf.constEnd())
            continue; // not a first rating counted in this period (or another department)
        Item &i = items[*at];
        i.fileId = f.value(0).toLongLong();
        i.fileState = f.value(2).toString();
        i.appeals = appealsOf.value(i.fileId);
        if (i.fileState == state::Rejected)
            continue;
        i.file = true;
        i.rectified = i.fileState == state::Rectified || i.fileState == state::Visited || i.fileState == state::Closed;
        const QDate clock = QDate::fromString(f.value(4).toString(), Qt::ISODate);
        const QDate due = m_files.calendar().addWorkingDays(clock, f.value(3).toInt() ? deadline::Complex : deadline::Simple);
        const QDate answered = answeredAt.contains(i.fileId)
            ? QDateTime::fromMSecsSinceEpoch(answeredAt.value(i.fileId), Qt::UTC).toOffsetFromUtc(8 * 3600).date()
            : QDate();
        i.onTime = i.rectified && answered.isValid() && answered <= due;
        i.visited = i.rectified && reached.contains(i.fileId);
        i.satisfied = i.visited && FollowUps::satisfied(reached.value(i.fileId));
        const QString dueDate = f.value(5).toString();
        i.overdue = !dueDate.isEmpty() && dueDate < todayText;
    }

    Acc all;
    all.name = QStringLiteral("全县");
    QHash<QString, Acc> acc[kDims];
    for (const Item &i : std::as_const(items)) {
        add(all, i);
        for (int d = 0; d < kDims; ++d)
            add(acc[d][i.keys[d]], i);
    }

    // 评价率: the service events the hub knows (import or feed) whose resultDate lies in the
    // period, by the case's own department, hall, area, task and staff member; rated when a
    // counted first rating of it exists (at any time after the period's start).
    QSet<QString> rated;
    QSqlQuery r(db);
    r.prepare(QStringLiteral("SELECT e.project_no, e.payload FROM evaluations e "
                             "LEFT JOIN grievance_exclusions x ON x.evaluation_id = e.id "
                             "WHERE e.assess_time >= ? AND x.evaluation_id IS NULL"));
    r.addBindValue(from);
    if (!r.exec())
        return internal(r);
    while (r.next()) {
        const QJsonObject e = parse(r.value(1));
        if (e.value(QLatin1String("assessNumber")).toInt(1) == 1 && e.value(QLatin1String("isdefault")).toVariant().toInt() != 1)
            rated.insert(r.value(0).toString() + QLatin1Char('/') + QString::number(e.value(QLatin1String("serviceNumber")).toInt()));
    }
    QSqlQuery cs(db);
    if (!cs.exec(QStringLiteral("SELECT project_no, service_number, hall_code, payload FROM cases")))
        return internal(cs);
    while (cs.next()) {
        const QJsonObject c = parse(cs.value(3));
        const QString resultDate = c.value(QLatin1String("resultDate")).toString().left(10);
        if (resultDate < from || resultDate >= to)
            continue;
        const QString caseDept = orDash(c.value(QLatin1String("deptCode")).toString());
        if (!dept.isEmpty() && caseDept != dept)
            continue;
        const bool isRated = rated.contains(cs.value(0).toString() + QLatin1Char('/') + cs.value(1).toString());
        const QString hall = orDash(cs.value(2).toString());
        const QString area = text(c, "areaCode");
        const QString keys[] = {caseDept, hall, orDash(area.isEmpty() ? cs.value(2).toString() : area),
                                orDash(text(c, "taskCode")), QString(), orDash(text(c, "staffNo"))};
        for (Acc *x : {&all, &acc[Department][keys[0]], &acc[Hall][keys[1]], &acc[Area][keys[2]], &acc[Task][keys[3]],
                       &acc[Staff][keys[5]]}) {
            ++x->handled;
            x->ratedCases += isRated ? 1 : 0;
        }
        if (!c.value(QLatin1String("taskName")).toString().isEmpty() && names[Task].value(keys[3]).isEmpty())
            names[Task].insert(keys[3], c.value(QLatin1String("taskName")).toString());
    }

    // Halls by name: the hallName of the hall's signed configuration (PROTOCOL §7), when it has
    // one; an area that is a hall's own code is named after the hall too.
    QSqlQuery hallName(db);
    hallName.prepare(QStringLiteral("SELECT document FROM config_versions WHERE scope = ? ORDER BY version DESC LIMIT 1"));
    for (int d : {int(Hall), int(Area)})
        for (auto it = acc[d].begin(); it != acc[d].end(); ++it) {
            hallName.bindValue(0, QStringLiteral("hall:") + it.key());
            if (hallName.exec() && hallName.next())
                names[d].insert(it.key(), parse(hallName.value(0)).value(QLatin1String("kiosk")).toObject()
                                              .value(QLatin1String("hallName")).toString());
            hallName.finish();
        }
    for (int d = 0; d < kDims; ++d)
        for (auto it = acc[d].begin(); it != acc[d].end(); ++it)
            if (it->name.isEmpty())
                it->name = names[d].value(it.key());

    const QHash<QString, QString> texts = reasonTextMap(db);
    QJsonObject body{{QStringLiteral("period"), period.kind},
                     {QStringLiteral("from"), period.from.toString(Qt::ISODate)},
                     {QStringLiteral("to"), period.to.toString(Qt::ISODate)},
                     {QStringLiteral("today"), todayText},
                     {QStringLiteral("overall"), row(QStringLiteral("overall"), QStringLiteral("*"), all, texts)}};
    for (int d = 0; d < kDims; ++d)
        body.insert(QLatin1String(kLists[d]), rows(QLatin1String(kScopes[d]), acc[d], texts));
    body.insert(QStringLiteral("reasons"), topReasons(all.reasons, texts, 1000));

    // Questionnaire answers per question over the counted ratings (multi answers: codes joined by ',').
    const QHash<QString, QJsonObject> questions = questionTexts(db);
    QMap<QString, QMap<QString, qint64>> answers;
    QHash<QString, qint64> answered;
    for (const Item &i : std::as_const(items)) {
        if (i.kind != Item::Counted)
            continue;
        const QJsonObject ans = i.e.value(QLatin1String("answers")).toObject();
        for (auto it = ans.begin(); it != ans.end(); ++it) {
            const QString v = it.value().isString() ? it.value().toString() : it.value().toVariant().toString();
            if (v.isEmpty())
                continue;
            ++answered[it.key()];
            for (const QString &code : v.split(QLatin1Char(','), Qt::SkipEmptyParts))
                ++answers[it.key()][code.trimmed()];
        }
    }
    QJsonArray questionnaire;
    for (auto it = answers.begin(); it != answers.end(); ++it) {
        const QJsonObject question = questions.value(it.key());
        QHash<QString, QString> optionText;
        for (const QJsonValue &o : question.value(QLatin1String("options")).toArray())
            optionText.insert(o.toObject().value(QLatin1String("code")).toString(), o.toObject().value(QLatin1String("text")).toString());
        QJsonArray options;
        for (auto o = it->begin(); o != it->end(); ++o)
            options.append(QJsonObject{{QStringLiteral("code"), o.key()},
                                       {QStringLiteral("text"), optionText.value(o.key())},
                                       {QStringLiteral("count"), o.value()}});
        questionnaire.append(QJsonObject{{QStringLiteral("id"), it.key()},
                                         {QStringLiteral("text"), question.value(QLatin1String("text")).toString()},
                                         {QStringLiteral("kind"), question.value(QLatin1String("kind")).toString()},
                                         {QStringLiteral("answered"), answered.value(it.key())},
                                         {QStringLiteral("options"), options}});
    }
    body.insert(QStringLiteral("questionnaire"), questionnaire);

    auto list = [&](const std::function<bool(const Item &)> &take) {
        QJsonArray out;
        for (const Item &i : std::as_const(items))
            if (take(i) && out.size() < 5000)
                out.append(itemJson(i, actor));
        return out;
    };
    if (!dept.isEmpty()) {
        body.insert(QStringLiteral("dept"), dept);
        body.insert(QStringLiteral("evaluations"), list([](const Item &i) { return i.kind != Item::Duplicate; }));
    }
    if (drill.isSet()) {
        const QJsonArray found = list([&](const Item &i) {
            return (drillDim < 0 || i.keys[drillDim] == drill.key) && in(i, drill.measure);
        });
        body.insert(QStringLiteral("drill"), QJsonObject{{QStringLiteral("scope"), drill.scope},
                                                         {QStringLiteral("key"), drill.key},
                                                         {QStringLiteral("measure"), drill.measure},
                                                         {QStringLiteral("count"), found.size()},
                                                         {QStringLiteral("evaluations"), found}});
    }
    return CaseFiles::Outcome{200, {}, {}, body};
}

} // namespace hcp::sync::hub::grievance

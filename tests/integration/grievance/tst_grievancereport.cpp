// SPDX-License-Identifier: Apache-2.0
// The 通报 at the real hcp-hub (PROTOCOL §18.8): 220 first ratings from two kiosks in two halls
// (three departments, four staff members) go through the kiosks' own outbox; the 差评 files are
// driven through every outcome by console users (on time, late after a 书面说明, 回访 满意 /
// 不满意 / 未联系上, left open and overdue, appeals 不予采纳 and 维持). The test keeps its own
// account of each rating and computes every figure itself; the hub's JSON, CSV (parsed back) and
// XLSX (read back by Python openpyxl) must match it.
#include "grievancesupport.h"

#include "hubprocess.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace hcp::sync;
using namespace hcp::sync::test;
using namespace hcp::sync::test::grievance;

namespace {

const QStringList kDepts{QStringLiteral("11110105000000000A"), QStringLiteral("11110105000000000B"),
                         QStringLiteral("11110105000000000C")};
const QStringList kHalls{QStringLiteral("110105000000"), QStringLiteral("110105001000")};
const QStringList kStaff{QStringLiteral("S01"), QStringLiteral("S02"), QStringLiteral("S03"), QStringLiteral("S04")};
constexpr int kRatings = 220;

// What the test did with each 差评 file.
enum class Outcome { Closed, VisitedUnhappy, NotReached, Open, OldOverdue, OldLate, NotAdopted, Upheld };

struct Rated
{
    QString projectNo, dept, hall, staff;
    int satisfaction = 0;
    bool old = false;
    Outcome outcome = Outcome::Open;
};

struct Expected
{
    qint64 ratings = 0, good = 0, bad = 0, sum = 0, excluded = 0, files = 0, rectified = 0, onTime = 0, visited = 0,
           satisfied = 0, overdue = 0;
};

double ratio(qint64 a, qint64 b)
{
    return b ? double(a) / double(b) : 0.0;
}

} // namespace

class TestGrievanceReport : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void report_twoHundredTwentyRatings_matchesHandComputedFigures();
    void report_drillDownByDepartment_listsItsEvaluations_viewerMasked();
    void report_handler_seesOnlyItsDepartment();
    void report_monthPeriod_byRatingTime_otherMonthsLeftOut();
    void export_csv_parsesBackToTheSameFigures();
    void export_xlsx_readBackByOpenpyxl();
    void report_malformedPeriod_refused();

private:
    Http step(qint64 fileId, const QString &action, const QJsonObject &body);
    Expected expected(const std::function<bool(const Rated &)> &in) const;
    void compareRow(const QJsonObject &row, const Expected &e, const QString &what) const;
    QString customQuery() const;

    QTemporaryDir m_dir;
    HubProcess m_hub;
    QByteArray m_ops, m_admin, m_viewer, m_handlerA;
    QList<Rated> m_rated;
};

void TestGrievanceReport::initTestCase()
{
    const QString db = m_dir.filePath(QStringLiteral("hub.sqlite"));
    QVERIFY2(m_hub.start(db), qPrintable(m_hub.output()));
    QVERIFY(addUser(db, QStringLiteral("ops.r"), QStringLiteral("maintainer"), QStringLiteral("ops-pass-2026")));
    QVERIFY(addUser(db, QStringLiteral("admin.r"), QStringLiteral("admin"), QStringLiteral("adm-pass-2026")));
    QVERIFY(addUser(db, QStringLiteral("viewer.r"), QStringLiteral("viewer"), QStringLiteral("view-pass-2026")));
    QVERIFY(addUser(db, QStringLiteral("handler.a"), QStringLiteral("handler"), QStringLiteral("hand-a-2026"), kDepts.at(0)));
    m_ops = login(m_hub.url(), QStringLiteral("ops.r"), QStringLiteral("ops-pass-2026"));
    m_admin = login(m_hub.url(), QStringLiteral("admin.r"), QStringLiteral("adm-pass-2026"));
    m_viewer = login(m_hub.url(), QStringLiteral("viewer.r"), QStringLiteral("view-pass-2026"));
    m_handlerA = login(m_hub.url(), QStringLiteral("handler.a"), QStringLiteral("hand-a-2026"));
    QVERIFY(!m_ops.isEmpty() && !m_admin.isEmpty() && !m_viewer.isEmpty() && !m_handlerA.isEmpty());

    // The fixture: levels repeat 5 5 4 5 3 4 2 5 1 4 (two 差评 in ten); 差评 outcomes cycle
    // through all eight; half of the 差评 of two of the outcomes are 25 days old.
    static const int levels[10] = {5, 5, 4, 5, 3, 4, 2, 5, 1, 4};
    QList<QJsonObject> perKiosk[2];
    int bad = 0;
    for (int i = 0; i < kRatings; ++i) {
        Rated r;
        r.projectNo = QStringLiteral("RPT-%1").arg(i, 4, 10, QLatin1Char('0'));
        r.dept = kDepts.at(i % 3);
        r.hall = kHalls.at(i % 2);
        r.staff = kStaff.at((i / 2) % 4);
        r.satisfaction = levels[i % 10];
        QString time;
        if (r.satisfaction <= 2) {
            r.outcome = Outcome(bad++ % 8);
            r.old = r.outcome == Outcome::OldOverdue || r.outcome == Outcome::OldLate;
            time = r.old ? todayCst(-25) + QStringLiteral(" 10:00:00") : nowCst(120);
        } else {
            time = i % 30 == 0 ? nowCst(120) : todayCst(-(i % 30)) + QStringLiteral(" 09:30:00");
        }
        QJsonObject e = rating(r.projectNo, r.satisfaction, time, r.dept);
        e.insert(QStringLiteral("staffNo"), r.staff);
        perKiosk[i % 2] << e;
        m_rated << r;
    }
    // Outside the custom period (60 days ago): only in its own month.
    Rated outside;
    outside.projectNo = QStringLiteral("RPT-OUTSIDE");
    outside.dept = kDepts.at(0);
    outside.hall = kHalls.at(0);
    outside.staff = kStaff.at(0);
    outside.satisfaction = 5;
    perKiosk[0] << rating(outside.projectNo, 5, todayCst(-60) + QStringLiteral(" 11:00:00"), outside.dept);

    // 一事一评: the second kiosk rates again, as 差评, two service events it already rated: the hub
    // keeps them as evidence (PROTOCOL §4d), refused, no file of their own, not counted.
    for (int i : {1, 3}) {
        QJsonObject again = rating(m_rated.at(i).projectNo, 1, nowCst(30), m_rated.at(i).dept);
        again.insert(QStringLiteral("staffNo"), m_rated.at(i).staff);
        perKiosk[1] << again;
    }
    for (int k = 0; k < 2; ++k) {
        const DeviceCredentials creds = enroll(m_hub.url(), QStringLiteral("kiosk-r%1").arg(k), kHalls.at(k));
        QVERIFY(creds.isValid());
        Kiosk kiosk(m_dir.filePath(QStringLiteral("kiosk%1.sqlite").arg(k)), creds);
        const QList<int> states = kiosk.rateAll(perKiosk[k]);
        QCOMPARE(states.count(2), perKiosk[k].size() - (k == 1 ? 2 : 0));
        QCOMPARE(states.count(3), k == 1 ? 2 : 0); // quarantined: refused for good
    }

    // The first hall has a name in its signed configuration; the 通报 shows halls by name.
    const Http published = console(m_hub.url(), m_ops, "POST", QStringLiteral("config"),
                                   QJsonObject{{QStringLiteral("scope"), QStringLiteral("hall:") + kHalls.at(0)},
                                               {QStringLiteral("part"), QStringLiteral("kiosk")},
                                               {QStringLiteral("document"), QJsonObject{{QStringLiteral("hallName"), QStringLiteral("朝阳区政务服务中心")}}}});
    QVERIFY2(published.status == 200 || published.status == 201, published.body.constData());

    QHash<QString, qint64> fileOf;
    const QJsonArray files = console(m_hub.url(), m_ops, "GET", QStringLiteral("grievance/files")).json()
                                 .value(QLatin1String("files")).toArray();
    for (const QJsonValue &v : files)
        fileOf.insert(v.toObject().value(QLatin1String("projectNo")).toString(), v.toObject().value(QLatin1String("id")).toInteger());
    QCOMPARE(fileOf.size(), bad);

    const QJsonObject verify{{QStringLiteral("text"), QStringLiteral("已电话联系群众核实")}};
    const QJsonObject rectify{{QStringLiteral("text"), QStringLiteral("窗口人员已批评教育")}};
    const QJsonObject answer{{QStringLiteral("text"), QStringLiteral("已整改，感谢监督")}};
    auto visit = [](const char *result) {
        return QJsonObject{{QStringLiteral("method"), QStringLiteral("电话")}, {QStringLiteral("visitDate"), todayCst()},
                           {QStringLiteral("result"), QString::fromUtf8(result)}};
    };
    for (const Rated &r : std::as_const(m_rated)) {
        if (r.satisfaction > 2)
            continue;
        const qint64 id = fileOf.value(r.projectNo);
        QVERIFY(id > 0);
        auto handle = [&](const char *visitResult) {
            QCOMPARE(step(id, QStringLiteral("verify"), verify).status, 200);
            QCOMPARE(step(id, QStringLiteral("rectify"), rectify).status, 200);
            QCOMPARE(step(id, QStringLiteral("answer"), answer).status, 200);
            if (visitResult)
                QCOMPARE(console(m_hub.url(), m_ops, "POST", QStringLiteral("grievance/files/%1/followups").arg(id),
                                 visit(visitResult)).status, 201);
        };
        switch (r.outcome) {
        case Outcome::Closed:
            handle("满意");
            QCOMPARE(step(id, QStringLiteral("close"), QJsonObject{}).status, 200);
            break;
        case Outcome::VisitedUnhappy:
            handle("不满意");
            break;
        case Outcome::NotReached:
            handle("未联系上");
            break;
        case Outcome::OldLate:
            handle("基本满意");
            break;
        case Outcome::Open:
        case Outcome::OldOverdue:
            break;
        case Outcome::NotAdopted:
        case Outcome::Upheld: {
            const Http a = console(m_hub.url(), m_ops, "POST",
                                   QStringLiteral("grievance/files/%1/appeals").arg(id),
                                   QJsonObject{{QStringLiteral("reason"), QStringLiteral("群众误评")}});
            QCOMPARE(a.status, 201);
            // Decided by another user than the appellant.
            const Http d = console(m_hub.url(), m_admin, "POST",
                                   QStringLiteral("grievance/appeals/%1/decision").arg(a.json().value(QLatin1String("id")).toInteger()),
                                   QJsonObject{{QStringLiteral("decision"), r.outcome == Outcome::NotAdopted
                                                                                ? QStringLiteral("不予采纳") : QStringLiteral("维持")},
                                               {QStringLiteral("reason"), QStringLiteral("经复核")}});
            QCOMPARE(d.status, 200);
            break;
        }
        }
    }
}

Http TestGrievanceReport::step(qint64 fileId, const QString &action, const QJsonObject &body)
{
    const QString path = QStringLiteral("grievance/files/%1/%2").arg(fileId).arg(action);
    Http r = console(m_hub.url(), m_ops, "POST", path, body);
    if (r.status == 409 && r.json().value(QLatin1String("error")).toString() == QLatin1String("explanation_required")) {
        // Past the deadline: the 书面说明 and a new due date first.
        const Http e = console(m_hub.url(), m_ops, "POST", QStringLiteral("grievance/files/%1/extend").arg(fileId),
                               QJsonObject{{QStringLiteral("text"), QStringLiteral("承办人外出，延误办理")},
                                           {QStringLiteral("newDueDate"), todayCst(3)}});
        if (e.status != 200)
            return e;
        r = console(m_hub.url(), m_ops, "POST", path, body);
    }
    return r;
}

Expected TestGrievanceReport::expected(const std::function<bool(const Rated &)> &in) const
{
    Expected e;
    for (const Rated &r : m_rated) {
        if (!in(r))
            continue;
        if (r.outcome == Outcome::NotAdopted && r.satisfaction <= 2) {
            ++e.excluded;
            continue;
        }
        ++e.ratings;
        e.sum += r.satisfaction;
        e.good += r.satisfaction >= 3 ? 1 : 0;
        if (r.satisfaction > 2)
            continue;
        ++e.bad;
        ++e.files;
        const bool rectified = r.outcome == Outcome::Closed || r.outcome == Outcome::VisitedUnhappy
            || r.outcome == Outcome::NotReached || r.outcome == Outcome::OldLate;
        e.rectified += rectified ? 1 : 0;
        // Answered today: on time for a rating of today, late for one 25 days old.
        e.onTime += rectified && !r.old ? 1 : 0;
        const bool visited = r.outcome == Outcome::Closed || r.outcome == Outcome::VisitedUnhappy || r.outcome == Outcome::OldLate;
        e.visited += visited ? 1 : 0;
        e.satisfied += r.outcome == Outcome::Closed || r.outcome == Outcome::OldLate ? 1 : 0;
        e.overdue += r.outcome == Outcome::OldOverdue ? 1 : 0;
    }
    return e;
}

void TestGrievanceReport::compareRow(const QJsonObject &row, const Expected &e, const QString &what) const
{
    const QByteArray w = what.toUtf8();
    auto count = [&](const char *k, qint64 v) {
        QVERIFY2(row.value(QLatin1String(k)).toInteger() == v,
                 qPrintable(QStringLiteral("%1 %2: hub %3, expected %4").arg(what, QLatin1String(k))
                                .arg(row.value(QLatin1String(k)).toInteger()).arg(v)));
    };
    auto rate = [&](const char *k, double v) {
        QVERIFY2(qAbs(row.value(QLatin1String(k)).toDouble() - v) < 1e-9,
                 qPrintable(QStringLiteral("%1 %2: hub %3, expected %4").arg(what, QLatin1String(k))
                                .arg(row.value(QLatin1String(k)).toDouble()).arg(v)));
    };
    count("ratings", e.ratings);
    count("good", e.good);
    count("bad", e.bad);
    count("excluded", e.excluded);
    count("files", e.files);
    count("rectified", e.rectified);
    count("onTime", e.onTime);
    count("visited", e.visited);
    count("satisfied", e.satisfied);
    count("overdue", e.overdue);
    rate("goodRate", ratio(e.good, e.ratings));
    rate("averageScore", ratio(e.sum, e.ratings));
    rate("rectifyRate", ratio(e.rectified, e.files));
    rate("onTimeRate", ratio(e.onTime, e.rectified));
    rate("visitRate", ratio(e.visited, e.rectified));
    rate("visitSatisfactionRate", ratio(e.satisfied, e.visited));
    Q_UNUSED(w)
}

QString TestGrievanceReport::customQuery() const
{
    return QStringLiteral("grievance/report?period=custom&from=%1&to=%2").arg(todayCst(-40), todayCst());
}

void TestGrievanceReport::report_twoHundredTwentyRatings_matchesHandComputedFigures()
{
    const Http r = console(m_hub.url(), m_ops, "GET", customQuery());
    QCOMPARE(r.status, 200);
    const QJsonObject report = r.json();
    const Expected all = expected([](const Rated &) { return true; });
    // The fixture is what it claims: ≥ 200 ratings, every outcome present, the figures not trivial.
    QVERIFY(all.ratings >= 200);
    QVERIFY(all.excluded > 0 && all.overdue > 0 && all.onTime < all.rectified && all.satisfied < all.visited
            && all.visited < all.rectified && all.rectified < all.files);
    compareRow(report.value(QLatin1String("overall")).toObject(), all, QStringLiteral("overall"));
    // The two second ratings never became evaluations: no stored duplicate to count apart.
    QCOMPARE(report.value(QLatin1String("overall")).toObject().value(QLatin1String("duplicates")).toInt(), 0);
    struct Group { const char *list; QStringList keys; std::function<QString(const Rated &)> key; };
    const QList<Group> groups{{"departments", kDepts, [](const Rated &x) { return x.dept; }},
                              {"halls", kHalls, [](const Rated &x) { return x.hall; }},
                              {"staff", kStaff, [](const Rated &x) { return x.staff; }}};
    for (const QJsonValue &v : report.value(QLatin1String("halls")).toArray()) {
        const QJsonObject h = v.toObject();
        QCOMPARE(h.value(QLatin1String("name")).toString(),
                 h.value(QLatin1String("key")).toString() == kHalls.at(0) ? QStringLiteral("朝阳区政务服务中心") : kHalls.at(1));
    }
    for (const Group &g : groups) {
        const QJsonArray rows = report.value(QLatin1String(g.list)).toArray();
        QCOMPARE(rows.size(), g.keys.size());
        for (const QJsonValue &v : rows) {
            const QString key = v.toObject().value(QLatin1String("key")).toString();
            QVERIFY2(g.keys.contains(key), qPrintable(key));
            compareRow(v.toObject(), expected([&](const Rated &x) { return g.key(x) == key; }),
                       QLatin1String(g.list) + QLatin1Char(' ') + key);
        }
    }
}

void TestGrievanceReport::report_drillDownByDepartment_listsItsEvaluations_viewerMasked()
{
    const QString dept = kDepts.at(1);
    const Http r = console(m_hub.url(), m_ops, "GET", customQuery() + QStringLiteral("&dept=") + dept);
    QCOMPARE(r.status, 200);
    const QJsonObject report = r.json();
    QCOMPARE(report.value(QLatin1String("departments")).toArray().size(), 1);
    const Expected e = expected([&](const Rated &x) { return x.dept == dept; });
    compareRow(report.value(QLatin1String("overall")).toObject(), e, QStringLiteral("drill-down"));
    const QJsonArray list = report.value(QLatin1String("evaluations")).toArray();
    QCOMPARE(list.size(), int(e.ratings + e.excluded));
    QSet<QString> mine;
    for (const Rated &x : std::as_const(m_rated))
        if (x.dept == dept)
            mine.insert(x.projectNo);
    int withFile = 0;
    for (const QJsonValue &v : list) {
        const QJsonObject o = v.toObject();
        QVERIFY(mine.contains(o.value(QLatin1String("projectNo")).toString()));
        withFile += o.contains(QLatin1String("fileId")) ? 1 : 0;
        if (o.value(QLatin1String("satisfaction")).toInt() <= 2)
            QCOMPARE(o.value(QLatin1String("writingEvaluation")).toString(), QStringLiteral("窗口人员态度差"));
    }
    QCOMPARE(withFile, int(e.files + e.excluded));
    // A viewer: 办件编号 masked, no comments.
    const QJsonArray viewed = console(m_hub.url(), m_viewer, "GET", customQuery() + QStringLiteral("&dept=") + dept)
                                  .json().value(QLatin1String("evaluations")).toArray();
    QCOMPARE(viewed.size(), list.size());
    for (const QJsonValue &v : viewed) {
        QVERIFY(!mine.contains(v.toObject().value(QLatin1String("projectNo")).toString()));
        QVERIFY(v.toObject().value(QLatin1String("projectNo")).toString().contains(QLatin1Char('*')));
        QVERIFY(!v.toObject().contains(QLatin1String("writingEvaluation")));
    }
}

void TestGrievanceReport::report_handler_seesOnlyItsDepartment()
{
    const Http own = console(m_hub.url(), m_handlerA, "GET", customQuery());
    QCOMPARE(own.status, 200);
    const QJsonArray depts = own.json().value(QLatin1String("departments")).toArray();
    QCOMPARE(depts.size(), 1);
    QCOMPARE(depts.first().toObject().value(QLatin1String("key")).toString(), kDepts.at(0));
    compareRow(own.json().value(QLatin1String("overall")).toObject(),
               expected([](const Rated &x) { return x.dept == kDepts.at(0); }), QStringLiteral("handler"));
    QCOMPARE(console(m_hub.url(), m_handlerA, "GET", customQuery() + QStringLiteral("&dept=") + kDepts.at(2)).status, 403);
    QCOMPARE(console(m_hub.url(), m_handlerA, "GET", customQuery() + QStringLiteral("&dept=") + kDepts.at(2)
                                                      + QStringLiteral("&format=csv")).status, 403);
}

void TestGrievanceReport::report_monthPeriod_byRatingTime_otherMonthsLeftOut()
{
    const QString day = todayCst(-60);
    const Http r = console(m_hub.url(), m_ops, "GET", QStringLiteral("grievance/report?period=month&from=") + day);
    QCOMPARE(r.status, 200);
    const QJsonObject report = r.json();
    QCOMPARE(report.value(QLatin1String("from")).toString(), day.left(8) + QStringLiteral("01"));
    QCOMPARE(report.value(QLatin1String("overall")).toObject().value(QLatin1String("ratings")).toInt(), 1);
    QCOMPARE(report.value(QLatin1String("overall")).toObject().value(QLatin1String("goodRate")).toDouble(), 1.0);
    // The year holds the custom period's ratings that fall in it, and the outside one.
    const Http year = console(m_hub.url(), m_ops, "GET", QStringLiteral("grievance/report?period=year&from=") + todayCst());
    QCOMPARE(year.status, 200);
    QCOMPARE(year.json().value(QLatin1String("from")).toString(), todayCst().left(4) + QStringLiteral("-01-01"));
    QVERIFY(year.json().value(QLatin1String("overall")).toObject().value(QLatin1String("ratings")).toInt() >= 1);
}

void TestGrievanceReport::export_csv_parsesBackToTheSameFigures()
{
    const Http r = console(m_hub.url(), m_ops, "GET", customQuery() + QStringLiteral("&format=csv"));
    QCOMPARE(r.status, 200);
    QVERIFY(r.header("Content-Type").startsWith("text/csv"));
    QVERIFY(r.header("Content-Disposition").startsWith("attachment"));
    QVERIFY(r.body.startsWith("\xEF\xBB\xBF"));
    const QStringList lines = QString::fromUtf8(r.body.mid(3)).split(QStringLiteral("\r\n"), Qt::SkipEmptyParts);
    const QJsonObject report = console(m_hub.url(), m_ops, "GET", customQuery()).json();
    // Every rating of this fixture has one area, service item and channel: one row each.
    QCOMPARE(lines.size(), 1 + 1 + kDepts.size() + kHalls.size() + 3 + kStaff.size());
    const QStringList header = lines.first().split(QLatin1Char(','));
    QCOMPARE(header.value(3), QStringLiteral("评价数"));
    QCOMPARE(header.value(5), QStringLiteral("好评率"));
    for (const QString &line : lines.mid(1)) {
        const QStringList cells = line.split(QLatin1Char(','));
        QCOMPARE(cells.size(), header.size());
        std::function<bool(const Rated &)> in;
        if (cells.at(0) == QStringLiteral("总计"))
            in = [](const Rated &) { return true; };
        else if (cells.at(0) == QStringLiteral("部门"))
            in = [k = cells.at(1)](const Rated &x) { return x.dept == k; };
        else if (cells.at(0) == QStringLiteral("大厅"))
            in = [k = cells.at(1)](const Rated &x) { return x.hall == k; };
        else if (cells.at(0) == QStringLiteral("人员"))
            in = [k = cells.at(1)](const Rated &x) { return x.staff == k; };
        else if (cells.at(0) == QStringLiteral("乡镇村") || cells.at(0) == QStringLiteral("事项")
                 || cells.at(0) == QStringLiteral("渠道"))
            in = [](const Rated &) { return true; };
        QVERIFY2(in, qPrintable(line));
        const Expected e = expected(in);
        QCOMPARE(cells.at(header.indexOf(QStringLiteral("评价数"))).toLongLong(), e.ratings);
        QCOMPARE(cells.at(header.indexOf(QStringLiteral("差评数"))).toLongLong(), e.bad);
        QCOMPARE(cells.at(header.indexOf(QStringLiteral("超期"))).toLongLong(), e.overdue);
        QCOMPARE(cells.at(header.indexOf(QStringLiteral("不予采纳"))).toLongLong(), e.excluded);
        QVERIFY(qAbs(cells.at(header.indexOf(QStringLiteral("好评率"))).toDouble() - ratio(e.good, e.ratings)) < 1e-4);
        QVERIFY(qAbs(cells.at(header.indexOf(QStringLiteral("按期整改率"))).toDouble() - ratio(e.onTime, e.rectified)) < 1e-4);
        QVERIFY(qAbs(cells.at(header.indexOf(QStringLiteral("回访率"))).toDouble() - ratio(e.visited, e.rectified)) < 1e-4);
        QVERIFY(qAbs(cells.at(header.indexOf(QStringLiteral("回访满意率"))).toDouble() - ratio(e.satisfied, e.visited)) < 1e-4);
        QVERIFY(qAbs(cells.at(header.indexOf(QStringLiteral("差评整改率"))).toDouble() - ratio(e.rectified, e.files)) < 1e-4);
    }
}

void TestGrievanceReport::export_xlsx_readBackByOpenpyxl()
{
    const Http r = console(m_hub.url(), m_ops, "GET", customQuery() + QStringLiteral("&format=xlsx"));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.header("Content-Type"), QByteArray("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"));
    const QString path = m_dir.filePath(QStringLiteral("report.xlsx"));
    QFile out(path);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(r.body);
    out.close();
    QProcess py;
    // Debian's interpreter, where python3-openpyxl (deploy/setup.sh) is installed.
    py.start(QStringLiteral("/usr/bin/python3"),
             {QStringLiteral("-c"),
              QStringLiteral("import json, sys, openpyxl\n"
                             "wb = openpyxl.load_workbook(sys.argv[1], read_only=True)\n"
                             "ws = wb.worksheets[0]\n"
                             "print(json.dumps({'sheet': ws.title, 'rows': [list(r) for r in ws.iter_rows(values_only=True)]}))\n"),
              path});
    QVERIFY(py.waitForFinished(60000));
    QVERIFY2(py.exitCode() == 0, py.readAllStandardError().constData());
    const QJsonObject book = QJsonDocument::fromJson(py.readAllStandardOutput()).object();
    QVERIFY(book.value(QLatin1String("sheet")).toString().startsWith(QStringLiteral("通报")));
    const QJsonArray rows = book.value(QLatin1String("rows")).toArray();
    QCOMPARE(rows.size(), 1 + 1 + kDepts.size() + kHalls.size() + 3 + kStaff.size());
    const QJsonArray header = rows.first().toArray();
    QCOMPARE(header.at(3).toString(), QStringLiteral("评价数"));
    const Expected all = expected([](const Rated &) { return true; });
    const QJsonArray overall = rows.at(1).toArray();
    QCOMPARE(overall.at(0).toString(), QStringLiteral("总计"));
    // Numbers are numbers in the sheet.
    QVERIFY(overall.at(3).isDouble());
    QCOMPARE(qint64(overall.at(3).toDouble()), all.ratings);
    QVERIFY(qAbs(overall.at(5).toDouble() - ratio(all.good, all.ratings)) < 1e-4);
    for (qsizetype i = 2; i < rows.size(); ++i) {
        const QJsonArray row = rows.at(i).toArray();
        if (row.at(0).toString() != QStringLiteral("部门"))
            continue;
        const QString key = row.at(1).toString();
        const Expected e = expected([&](const Rated &x) { return x.dept == key; });
        QCOMPARE(qint64(row.at(3).toDouble()), e.ratings);
        QCOMPARE(qint64(row.at(7).toDouble()), e.bad);
    }
}

void TestGrievanceReport::report_malformedPeriod_refused()
{
    QCOMPARE(console(m_hub.url(), m_ops, "GET", QStringLiteral("grievance/report?period=week")).status, 400);
    QCOMPARE(console(m_hub.url(), m_ops, "GET", QStringLiteral("grievance/report?period=custom&from=2026-12-01")).status, 400);
    QCOMPARE(console(m_hub.url(), m_ops, "GET", QStringLiteral("grievance/report?period=custom&from=2026-12-09&to=2026-12-01")).status, 400);
    QCOMPARE(console(m_hub.url(), m_ops, "GET", QStringLiteral("grievance/report?from=12/01/2026")).status, 400);
    QCOMPARE(console(m_hub.url(), m_ops, "GET", customQuery() + QStringLiteral("&format=pdf")).status, 400);
    // Without a session, nothing.
    QCOMPARE(http(m_hub.url().resolved(QUrl(QStringLiteral("/console/api/") + customQuery())), "GET").status, 401);
}

QTEST_GUILESS_MAIN(TestGrievanceReport)
#include "tst_grievancereport.moc"

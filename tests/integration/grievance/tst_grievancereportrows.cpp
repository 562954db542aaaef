// SPDX-License-Identifier: Apache-2.0
// The 通报's further rows and measures at the real hcp-hub (PROTOCOL §18.8): 90 imported cases in
// a county hall, a township hall and a village point (two departments, two service items, three
// channels, four staff members); 75 of them are rated through three kiosks' own outboxes, 15 are
// not. The 差评 are appealed (不予采纳 / 维持), rectified on time or left open. The test keeps its
// own account of every case and computes each figure itself — 评价率 over the handled cases,
// 差评率, 申诉数, 不予采纳数, the top reasons, the questionnaire answers — and the drill-down
// from every count of every row must list exactly the evaluations the test expects, masked for
// a viewer, with comments only for the roles that handle 差评.
#include "grievancesupport.h"

#include "hubprocess.h"

#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace hcp::sync;
using namespace hcp::sync::test;
using namespace hcp::sync::test::grievance;

namespace {

const QStringList kHalls{QStringLiteral("110105000000"), QStringLiteral("110105001000"), QStringLiteral("110105001002")};
const QStringList kLevels{QStringLiteral("county"), QStringLiteral("township"), QStringLiteral("village")};
const QStringList kDepts{QStringLiteral("11110105000000000D"), QStringLiteral("11110105000000000E")};
const QStringList kTasks{QStringLiteral("11110105000000000D4000111001001"), QStringLiteral("11110105000000000E4000222002001")};
const QStringList kTaskNames{QStringLiteral("居民身份证换领"), QStringLiteral("营业执照变更登记")};
const QStringList kStaff{QStringLiteral("R01"), QStringLiteral("R02"), QStringLiteral("R03"), QStringLiteral("R04")};
const QList<int> kChannels{5, 4, 3};
constexpr int kCases = 90;

enum class Fate { NotAdopted, Upheld, Rectified, Open };

struct Case
{
    QString projectNo, hall, dept, task, staff;
    int pf = 5;
    bool rated = false;
    int satisfaction = 0;
    QString evalDetail;
    QString q1, q4;
    Fate fate = Fate::Open;
    bool bad() const { return rated && satisfaction <= 2; }
    bool excluded() const { return bad() && fate == Fate::NotAdopted; }
    bool counted() const { return rated && !excluded(); }
};

double ratio(qint64 a, qint64 b)
{
    return b ? double(a) / double(b) : 0.0;
}

} // namespace

class TestGrievanceReportRows : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void report_everyRow_matchesHandComputedMeasures();
    void report_areas_haveTheirLevelAndHallName();
    void report_topReasons_andQuestionnaire_matchHandCount();
    void drill_everyCountOfEveryRow_listsExactlyItsEvaluations();
    void drill_viewer_masked_noComments_handler_ownDepartmentWithComments();
    void drill_unknownMeasureOrScope_refused();

private:
    QString period() const;
    QJsonObject report(const QByteArray &cookie, const QString &extra = {});
    // The cases of a row: scope and key as the hub names them.
    bool inRow(const Case &c, const QString &scope, const QString &key) const;
    bool inMeasure(const Case &c, const QString &measure) const;

    QTemporaryDir m_dir;
    HubProcess m_hub;
    QByteArray m_ops, m_admin, m_viewer, m_handler;
    QList<Case> m_cases;
};

void TestGrievanceReportRows::initTestCase()
{
    const QString db = m_dir.filePath(QStringLiteral("hub.sqlite"));
    QVERIFY2(m_hub.start(db), qPrintable(m_hub.output()));
    QVERIFY(addUser(db, QStringLiteral("ops.w"), QStringLiteral("maintainer"), QStringLiteral("ops-pass-2026")));
    QVERIFY(addUser(db, QStringLiteral("admin.w"), QStringLiteral("admin"), QStringLiteral("adm-pass-2026")));
    QVERIFY(addUser(db, QStringLiteral("viewer.w"), QStringLiteral("viewer"), QStringLiteral("view-pass-2026")));
    QVERIFY(addUser(db, QStringLiteral("handler.w"), QStringLiteral("handler"), QStringLiteral("hand-w-2026"), kDepts.at(1)));
    m_ops = login(m_hub.url(), QStringLiteral("ops.w"), QStringLiteral("ops-pass-2026"));
    m_admin = login(m_hub.url(), QStringLiteral("admin.w"), QStringLiteral("adm-pass-2026"));
    m_viewer = login(m_hub.url(), QStringLiteral("viewer.w"), QStringLiteral("view-pass-2026"));
    m_handler = login(m_hub.url(), QStringLiteral("handler.w"), QStringLiteral("hand-w-2026"));
    QVERIFY(!m_ops.isEmpty() && !m_admin.isEmpty() && !m_viewer.isEmpty() && !m_handler.isEmpty());

    static const int levels[10] = {5, 4, 5, 3, 2, 5, 1, 4, 5, 3};
    static const char *const reasons[3] = {"501,502", "503", "501"};
    QJsonArray imports;
    QList<QJsonObject> perKiosk[3];
    int bad = 0;
    for (int i = 0; i < kCases; ++i) {
        Case c;
        c.projectNo = QStringLiteral("ROW-%1").arg(i, 4, 10, QLatin1Char('0'));
        c.hall = kHalls.at(i % 3);
        c.dept = kDepts.at((i / 2) % 2);
        c.task = kTasks.at((i / 3) % 2);
        c.staff = kStaff.at(i % 4);
        c.pf = kChannels.at((i / 5) % 3);
        c.rated = i % 6 != 5;
        imports.append(QJsonObject{{QStringLiteral("projectNo"), c.projectNo},
                                   {QStringLiteral("serviceNumber"), 1},
                                   {QStringLiteral("serviceName"), QStringLiteral("办结")},
                                   {QStringLiteral("taskName"), kTaskNames.at(kTasks.indexOf(c.task))},
                                   {QStringLiteral("taskCode"), c.task},
                                   {QStringLiteral("deptName"), QStringLiteral("示例部门")},
                                   {QStringLiteral("deptCode"), c.dept},
                                   {QStringLiteral("staffNo"), c.staff},
                                   {QStringLiteral("areaCode"), c.hall},
                                   {QStringLiteral("resultDate"), todayCst(-1) + QStringLiteral(" 09:00:00")},
                                   {QStringLiteral("userName"), QStringLiteral("张某某")},
                                   {QStringLiteral("userProp"), 1},
                                   {QStringLiteral("hallCode"), c.hall}});
        if (c.rated) {
            c.satisfaction = levels[i % 10];
            c.q1 = i % 2 ? QStringLiteral("1") : QStringLiteral("0");
            c.q4 = i % 4 == 0 ? QString::number(i % 3 + 1) : QString();
            QJsonObject e = rating(c.projectNo, c.satisfaction, nowCst(600 - i), c.dept);
            QJsonObject answers{{QStringLiteral("q1"), c.q1}};
            if (!c.q4.isEmpty())
                answers.insert(QStringLiteral("q4"), c.q4);
            e.insert(QStringLiteral("answers"), answers);
            e.insert(QStringLiteral("pf"), c.pf);
            e.insert(QStringLiteral("taskCode"), c.task);
            e.insert(QStringLiteral("areaCode"), c.hall);
            e.insert(QStringLiteral("staffNo"), c.staff);
            if (c.satisfaction <= 2) {
                c.evalDetail = QLatin1String(reasons[bad % 3]);
                c.fate = Fate(bad % 4);
                ++bad;
                e.insert(QStringLiteral("evalDetail"), c.evalDetail);
                e.insert(QStringLiteral("writingEvaluation"), QStringLiteral("意见") + c.projectNo);
            }
            perKiosk[i % 3] << e;
        }
        m_cases << c;
    }
    QJsonObject response;
    QCOMPARE(adminSend(m_hub.url(), "POST", QStringLiteral("/v1/admin/cases"),
                       QJsonObject{{QStringLiteral("cases"), imports}}, &response), 200);
    QCOMPARE(response.value(QLatin1String("imported")).toInt(), kCases);
    for (int k = 0; k < 3; ++k) {
        const DeviceCredentials creds = enroll(m_hub.url(), QStringLiteral("kiosk-w%1").arg(k), kHalls.at(k));
        QVERIFY(creds.isValid());
        Kiosk kiosk(m_dir.filePath(QStringLiteral("kiosk%1.sqlite").arg(k)), creds);
        const QList<int> states = kiosk.rateAll(perKiosk[k]);
        QCOMPARE(states.count(2), perKiosk[k].size());
    }
    const Http published = console(m_hub.url(), m_ops, "POST", QStringLiteral("config"),
                                   QJsonObject{{QStringLiteral("scope"), QStringLiteral("hall:") + kHalls.at(0)},
                                               {QStringLiteral("part"), QStringLiteral("kiosk")},
                                               {QStringLiteral("document"), QJsonObject{{QStringLiteral("hallName"), QStringLiteral("示例县政务服务中心")}}}});
    QVERIFY2(published.status == 200 || published.status == 201, published.body.constData());

    QHash<QString, qint64> fileOf;
    for (const QJsonValue &v : console(m_hub.url(), m_ops, "GET", QStringLiteral("grievance/files")).json()
                                   .value(QLatin1String("files")).toArray())
        fileOf.insert(v.toObject().value(QLatin1String("projectNo")).toString(), v.toObject().value(QLatin1String("id")).toInteger());
    QCOMPARE(fileOf.size(), bad);
    for (const Case &c : std::as_const(m_cases)) {
        if (!c.bad())
            continue;
        const qint64 id = fileOf.value(c.projectNo);
        if (c.fate == Fate::Rectified) {
            for (const char *action : {"verify", "rectify", "answer"})
                QCOMPARE(console(m_hub.url(), m_ops, "POST", QStringLiteral("grievance/files/%1/%2").arg(id).arg(QLatin1String(action)),
                                 QJsonObject{{QStringLiteral("text"), QStringLiteral("已核实整改")}}).status, 200);
        } else if (c.fate == Fate::NotAdopted || c.fate == Fate::Upheld) {
            const Http a = console(m_hub.url(), m_ops, "POST", QStringLiteral("grievance/files/%1/appeals").arg(id),
                                   QJsonObject{{QStringLiteral("reason"), QStringLiteral("群众误评")}});
            QCOMPARE(a.status, 201);
            const Http d = console(m_hub.url(), m_admin, "POST",
                                   QStringLiteral("grievance/appeals/%1/decision").arg(a.json().value(QLatin1String("id")).toInteger()),
                                   QJsonObject{{QStringLiteral("decision"), c.fate == Fate::NotAdopted ? QStringLiteral("不予采纳")
                                                                                                       : QStringLiteral("维持")},
                                               {QStringLiteral("reason"), QStringLiteral("经复核")}});
            QCOMPARE(d.status, 200);
        }
    }
}

QString TestGrievanceReportRows::period() const
{
    return QStringLiteral("grievance/report?period=custom&from=%1&to=%2").arg(todayCst(-3), todayCst());
}

QJsonObject TestGrievanceReportRows::report(const QByteArray &cookie, const QString &extra)
{
    const Http r = console(m_hub.url(), cookie, "GET", period() + extra);
    if (r.status != 200)
        qWarning() << r.status << r.body;
    return r.status == 200 ? r.json() : QJsonObject();
}

bool TestGrievanceReportRows::inRow(const Case &c, const QString &scope, const QString &key) const
{
    if (scope == QLatin1String("overall"))
        return true;
    if (scope == QLatin1String("department"))
        return c.dept == key;
    if (scope == QLatin1String("hall") || scope == QLatin1String("area"))
        return c.hall == key;
    if (scope == QLatin1String("task"))
        return c.task == key;
    if (scope == QLatin1String("channel"))
        return QString::number(c.pf) == key;
    if (scope == QLatin1String("staff"))
        return c.staff == key;
    return false;
}

bool TestGrievanceReportRows::inMeasure(const Case &c, const QString &m) const
{
    if (m == QLatin1String("ratings") || m == QLatin1String("ratedCases"))
        return c.counted();
    if (m == QLatin1String("good"))
        return c.counted() && c.satisfaction >= 3;
    if (m == QLatin1String("bad"))
        return c.counted() && c.satisfaction <= 2;
    if (m.startsWith(QLatin1String("level")))
        return c.counted() && c.satisfaction == m.right(1).toInt();
    if (m == QLatin1String("excluded"))
        return c.excluded();
    if (m == QLatin1String("files"))
        return c.bad() && !c.excluded();
    if (m == QLatin1String("rectified") || m == QLatin1String("onTime"))
        return c.bad() && c.fate == Fate::Rectified;
    if (m == QLatin1String("appeals"))
        return c.bad() && (c.fate == Fate::NotAdopted || c.fate == Fate::Upheld);
    if (m == QLatin1String("overdue") || m == QLatin1String("visited") || m == QLatin1String("satisfied")
        || m == QLatin1String("defaults") || m == QLatin1String("duplicates"))
        return false;
    qFatal("measure %s not in the test", qPrintable(m));
}

void TestGrievanceReportRows::report_everyRow_matchesHandComputedMeasures()
{
    const QJsonObject r = report(m_ops);
    QVERIFY(!r.isEmpty());
    struct List { const char *name, *scope; QStringList keys; };
    QStringList channels;
    for (int pf : kChannels)
        channels << QString::number(pf);
    const QList<List> lists{{"departments", "department", kDepts}, {"halls", "hall", kHalls}, {"areas", "area", kHalls},
                            {"tasks", "task", kTasks}, {"channels", "channel", channels}, {"staff", "staff", kStaff}};
    QList<QJsonObject> rows{r.value(QLatin1String("overall")).toObject()};
    for (const List &l : lists) {
        const QJsonArray a = r.value(QLatin1String(l.name)).toArray();
        QCOMPARE(a.size(), l.keys.size());
        for (const QJsonValue &v : a) {
            QCOMPARE(v.toObject().value(QLatin1String("scope")).toString(), QLatin1String(l.scope));
            QVERIFY(l.keys.contains(v.toObject().value(QLatin1String("key")).toString()));
            rows << v.toObject();
        }
    }
    for (const QJsonObject &row : std::as_const(rows)) {
        const QString scope = row.value(QLatin1String("scope")).toString();
        const QString key = row.value(QLatin1String("key")).toString();
        qint64 handled = 0, rated = 0, ratings = 0, good = 0, bad = 0, excluded = 0, appeals = 0, files = 0, rectified = 0;
        qint64 levels[6] = {};
        for (const Case &c : std::as_const(m_cases)) {
            if (!inRow(c, scope, key))
                continue;
            ++handled;
            rated += c.counted();
            ratings += c.counted();
            levels[c.satisfaction] += c.counted();
            good += c.counted() && c.satisfaction >= 3;
            bad += c.counted() && c.satisfaction <= 2;
            excluded += c.excluded();
            appeals += c.bad() && (c.fate == Fate::NotAdopted || c.fate == Fate::Upheld);
            files += c.bad() && !c.excluded();
            rectified += c.bad() && c.fate == Fate::Rectified;
        }
        const QString what = scope + QLatin1Char(' ') + key;
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
        count("ratings", ratings);
        count("good", good);
        count("bad", bad);
        count("excluded", excluded);
        count("appeals", appeals);
        count("files", files);
        count("rectified", rectified);
        count("onTime", rectified);
        for (int s = 1; s <= 5; ++s)
            QCOMPARE(row.value(QLatin1String("levels")).toArray().at(s - 1).toInteger(), levels[s]);
        rate("goodRate", ratio(good, ratings));
        rate("badRate", ratio(bad, ratings));
        rate("rectifyRate", ratio(rectified, files));
        rate("onTimeRate", rectified ? 1.0 : 0.0);
        if (scope == QLatin1String("channel")) {
            // Cases are not handled per channel: no 评价率 there.
            QVERIFY(row.value(QLatin1String("evaluationRate")).isNull());
            QVERIFY(row.value(QLatin1String("handled")).isNull());
        } else {
            count("handled", handled);
            count("ratedCases", rated);
            rate("evaluationRate", ratio(rated, handled));
        }
    }
    // The fixture is what it claims.
    const QJsonObject overall = rows.first();
    QCOMPARE(overall.value(QLatin1String("handled")).toInt(), kCases);
    QVERIFY(overall.value(QLatin1String("evaluationRate")).toDouble() < 0.9);
    QVERIFY(overall.value(QLatin1String("excluded")).toInt() > 0 && overall.value(QLatin1String("appeals")).toInt()
            > overall.value(QLatin1String("excluded")).toInt());
}

void TestGrievanceReportRows::report_areas_haveTheirLevelAndHallName()
{
    const QJsonObject r = report(m_ops);
    for (const QJsonValue &v : r.value(QLatin1String("areas")).toArray()) {
        const QJsonObject a = v.toObject();
        const int at = kHalls.indexOf(a.value(QLatin1String("key")).toString());
        QVERIFY(at >= 0);
        QCOMPARE(a.value(QLatin1String("level")).toString(), kLevels.at(at));
        if (at == 0)
            QCOMPARE(a.value(QLatin1String("name")).toString(), QStringLiteral("示例县政务服务中心"));
    }
    for (const QJsonValue &v : r.value(QLatin1String("tasks")).toArray())
        QCOMPARE(v.toObject().value(QLatin1String("name")).toString(),
                 kTaskNames.at(kTasks.indexOf(v.toObject().value(QLatin1String("key")).toString())));
    for (const QJsonValue &v : r.value(QLatin1String("channels")).toArray()) {
        const int pf = v.toObject().value(QLatin1String("key")).toString().toInt();
        QCOMPARE(v.toObject().value(QLatin1String("name")).toString(),
                 pf == 3 ? QStringLiteral("二维码") : pf == 4 ? QStringLiteral("政务大厅平板电脑") : QStringLiteral("政务大厅自助终端"));
    }
}

void TestGrievanceReportRows::report_topReasons_andQuestionnaire_matchHandCount()
{
    const QJsonObject r = report(m_ops);
    QHash<QString, qint64> reasons;
    QHash<QString, QHash<QString, qint64>> answers;
    for (const Case &c : std::as_const(m_cases)) {
        if (!c.counted())
            continue;
        if (c.satisfaction <= 2)
            for (const QString &code : c.evalDetail.split(QLatin1Char(',')))
                ++reasons[code];
        ++answers[QStringLiteral("q1")][c.q1];
        if (!c.q4.isEmpty())
            ++answers[QStringLiteral("q4")][c.q4];
    }
    const QJsonArray top = r.value(QLatin1String("reasons")).toArray();
    QCOMPARE(top.size(), reasons.size());
    qint64 previous = std::numeric_limits<qint64>::max();
    for (const QJsonValue &v : top) {
        const QJsonObject o = v.toObject();
        const QString code = o.value(QLatin1String("code")).toString();
        QCOMPARE(o.value(QLatin1String("count")).toInteger(), reasons.value(code));
        QVERIFY(o.value(QLatin1String("count")).toInteger() <= previous); // most frequent first
        previous = o.value(QLatin1String("count")).toInteger();
        QVERIFY2(!o.value(QLatin1String("text")).toString().isEmpty(), qPrintable(code)); // the built-in 差评 reasons
    }
    const QJsonArray questions = r.value(QLatin1String("questionnaire")).toArray();
    QCOMPARE(questions.size(), answers.size());
    for (const QJsonValue &v : questions) {
        const QJsonObject q = v.toObject();
        const QString id = q.value(QLatin1String("id")).toString();
        QVERIFY(!q.value(QLatin1String("text")).toString().isEmpty());
        qint64 answered = 0;
        for (const QJsonValue &o : q.value(QLatin1String("options")).toArray()) {
            QCOMPARE(o.toObject().value(QLatin1String("count")).toInteger(),
                     answers.value(id).value(o.toObject().value(QLatin1String("code")).toString()));
            answered += o.toObject().value(QLatin1String("count")).toInteger();
        }
        QCOMPARE(q.value(QLatin1String("options")).toArray().size(), answers.value(id).size());
        QCOMPARE(q.value(QLatin1String("answered")).toInteger(), answered);
        if (id == QLatin1String("q4"))
            QCOMPARE(q.value(QLatin1String("options")).toArray().first().toObject().value(QLatin1String("text")).toString(),
                     QStringLiteral("1次"));
    }
}

void TestGrievanceReportRows::drill_everyCountOfEveryRow_listsExactlyItsEvaluations()
{
    const QJsonObject r = report(m_ops);
    QList<QJsonObject> rows{r.value(QLatin1String("overall")).toObject()};
    for (const char *l : {"departments", "halls", "areas", "tasks", "channels", "staff"})
        for (const QJsonValue &v : r.value(QLatin1String(l)).toArray())
            rows << v.toObject();
    const QStringList measures{QStringLiteral("ratings"), QStringLiteral("good"), QStringLiteral("bad"), QStringLiteral("level1"),
                               QStringLiteral("level2"), QStringLiteral("level3"), QStringLiteral("level4"),
                               QStringLiteral("level5"), QStringLiteral("excluded"), QStringLiteral("files"),
                               QStringLiteral("rectified"), QStringLiteral("onTime"), QStringLiteral("appeals"),
                               QStringLiteral("ratedCases"), QStringLiteral("overdue")};
    int nonEmpty = 0;
    for (const QJsonObject &row : std::as_const(rows)) {
        const QString scope = row.value(QLatin1String("scope")).toString();
        const QString key = row.value(QLatin1String("key")).toString();
        for (const QString &m : measures) {
            QSet<QString> want;
            for (const Case &c : std::as_const(m_cases))
                if (inRow(c, scope, key) && inMeasure(c, m))
                    want.insert(c.projectNo);
            const QJsonObject d = report(m_ops, QStringLiteral("&scope=%1&key=%2&measure=%3").arg(scope, key, m))
                                      .value(QLatin1String("drill")).toObject();
            QSet<QString> got;
            for (const QJsonValue &v : d.value(QLatin1String("evaluations")).toArray())
                got.insert(v.toObject().value(QLatin1String("projectNo")).toString());
            QVERIFY2(got == want, qPrintable(QStringLiteral("%1 %2 %3: %4 listed, %5 expected")
                                                 .arg(scope, key, m).arg(got.size()).arg(want.size())));
            QCOMPARE(d.value(QLatin1String("count")).toInt(), want.size());
            nonEmpty += !want.isEmpty();
        }
    }
    QVERIFY(nonEmpty > 100); // not a test of empty lists
}

void TestGrievanceReportRows::drill_viewer_masked_noComments_handler_ownDepartmentWithComments()
{
    const QString bad = QStringLiteral("&scope=overall&key=*&measure=bad");
    const QJsonArray ops = report(m_ops, bad).value(QLatin1String("drill")).toObject().value(QLatin1String("evaluations")).toArray();
    QVERIFY(!ops.isEmpty());
    for (const QJsonValue &v : ops)
        QCOMPARE(v.toObject().value(QLatin1String("writingEvaluation")).toString(),
                 QStringLiteral("意见") + v.toObject().value(QLatin1String("projectNo")).toString());
    const Http viewed = console(m_hub.url(), m_viewer, "GET", period() + bad);
    QCOMPARE(viewed.status, 200);
    const QJsonArray viewer = viewed.json().value(QLatin1String("drill")).toObject().value(QLatin1String("evaluations")).toArray();
    QCOMPARE(viewer.size(), ops.size());
    for (const QJsonValue &v : viewer) {
        const QJsonObject o = v.toObject();
        QVERIFY(o.value(QLatin1String("projectNo")).toString().contains(QLatin1Char('*')));
        QVERIFY(!o.contains(QLatin1String("writingEvaluation")));
        QCOMPARE(o.value(QLatin1String("userNameMasked")).toString(), QStringLiteral("李*"));
    }
    // Nothing of the comments or 办件编号 anywhere in the viewer's answer.
    for (const Case &c : std::as_const(m_cases)) {
        QVERIFY(!viewed.body.contains(c.projectNo.toUtf8()));
        QVERIFY(!viewed.body.contains(QStringLiteral("意见").toUtf8()));
    }
    // The handler: its department's 差评 only, comments included; another department's row is empty.
    const QJsonArray handler = report(m_handler, bad).value(QLatin1String("drill")).toObject().value(QLatin1String("evaluations")).toArray();
    int mine = 0;
    for (const Case &c : std::as_const(m_cases))
        mine += c.dept == kDepts.at(1) && c.counted() && c.satisfaction <= 2;
    QCOMPARE(handler.size(), mine);
    for (const QJsonValue &v : handler) {
        QCOMPARE(v.toObject().value(QLatin1String("deptCode")).toString(), kDepts.at(1));
        QVERIFY(v.toObject().value(QLatin1String("writingEvaluation")).toString().startsWith(QStringLiteral("意见")));
    }
    const QJsonObject other = report(m_handler, QStringLiteral("&scope=department&key=%1&measure=bad").arg(kDepts.at(0)));
    QCOMPARE(other.value(QLatin1String("drill")).toObject().value(QLatin1String("count")).toInt(), 0);
}

void TestGrievanceReportRows::drill_unknownMeasureOrScope_refused()
{
    QCOMPARE(console(m_hub.url(), m_ops, "GET", period() + QStringLiteral("&scope=overall&key=*&measure=goodRate")).status, 400);
    QCOMPARE(console(m_hub.url(), m_ops, "GET", period() + QStringLiteral("&scope=window&key=A03&measure=bad")).status, 400);
}

QTEST_GUILESS_MAIN(TestGrievanceReportRows)
#include "tst_grievancereportrows.moc"

// SPDX-License-Identifier: Apache-2.0
// 差评工单 at the real hcp-hub (PROTOCOL §18.1–18.4): opened at ingest from a kiosk's rating,
// deadlines in working days (调休 and National Day), the 书面说明 gate after a missed deadline,
// overdue alerts, the department-bound handler role, the reply on the kiosk's follow-up path,
// 追评 as 回访, and an append-only timeline even against a write to the database.
#include "grievancesupport.h"

#include "hubclient.h"
#include "hubprocess.h"

#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

using namespace hcp::sync;
using namespace hcp::sync::test;
using namespace hcp::sync::test::grievance;

namespace {
const QString kDeptA = QStringLiteral("11110105000000000A");
const QString kDeptB = QStringLiteral("11110105000000000B");
} // namespace

class TestGrievanceFiles : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void badRating_fromKiosk_opensOneFileForItsDepartment_goodRatingNone();
    void deadlines_acrossMakeUpWeekendAndNationalDay_countWorkingDays();
    void missedDeadline_nextStepRefused_untilWrittenExplanationAndNewDueDate();
    void overdueFile_raisesConsoleAlert_untilExplained();
    void illegalTransition_refused409_withChineseMessage();
    void fullLoop_replyReachesKioskFollowUp_followUpRatingCountsAsVisit_thenClosed();
    void followUpRatingStillBad_reopensTheFile_andCountsAsUnsatisfiedVisit();
    void staffVisit_unreachedKeepsState_reachedMovesToVisited_ratesPerDepartment();
    void handlerRole_seesAndActsOnItsDepartmentOnly_reassignByCounty();
    void followUpLog_filtersByDepartmentPeriodResultMethod_handlerGetsItsOwnOnly();
    void viewer_seesNoProjectNo_andCannotAct();
    void timeline_rewriteInTheDatabase_refused();

private:
    QJsonObject fileOf(const QString &projectNo, const QByteArray &cookie = {});
    Http act(const QByteArray &cookie, qint64 id, const QString &action, const QJsonObject &body);
    qint64 openFile(const QString &projectNo, const QString &dept, const QString &assessTime);

    QTemporaryDir m_dir;
    HubProcess m_hub;
    DeviceCredentials m_creds;
    std::unique_ptr<Kiosk> m_kiosk;
    QString m_hubDb;
    QByteArray m_ops, m_handlerA, m_handlerB, m_viewer;
    int m_next = 0;
};

void TestGrievanceFiles::initTestCase()
{
    m_hubDb = m_dir.filePath(QStringLiteral("hub.sqlite"));
    QVERIFY2(m_hub.start(m_hubDb), qPrintable(m_hub.output()));
    m_creds = enroll(m_hub.url(), QStringLiteral("kiosk-g1"));
    QVERIFY(m_creds.isValid());
    m_kiosk = std::make_unique<Kiosk>(m_dir.filePath(QStringLiteral("kiosk.sqlite")), m_creds);
    QVERIFY(addUser(m_hubDb, QStringLiteral("ops.g"), QStringLiteral("maintainer"), QStringLiteral("ops-pass-2026")));
    QVERIFY(addUser(m_hubDb, QStringLiteral("handler.a"), QStringLiteral("handler"), QStringLiteral("hand-a-2026"), kDeptA));
    QVERIFY(addUser(m_hubDb, QStringLiteral("handler.b"), QStringLiteral("handler"), QStringLiteral("hand-b-2026"), kDeptB));
    QVERIFY(addUser(m_hubDb, QStringLiteral("viewer.g"), QStringLiteral("viewer"), QStringLiteral("view-pass-2026")));
    // A handler without a department is refused at the command line.
    QVERIFY(!addUser(m_hubDb, QStringLiteral("handler.x"), QStringLiteral("handler"), QStringLiteral("hand-x-2026")));
    m_ops = login(m_hub.url(), QStringLiteral("ops.g"), QStringLiteral("ops-pass-2026"));
    m_handlerA = login(m_hub.url(), QStringLiteral("handler.a"), QStringLiteral("hand-a-2026"));
    m_handlerB = login(m_hub.url(), QStringLiteral("handler.b"), QStringLiteral("hand-b-2026"));
    m_viewer = login(m_hub.url(), QStringLiteral("viewer.g"), QStringLiteral("view-pass-2026"));
    QVERIFY(!m_ops.isEmpty() && !m_handlerA.isEmpty() && !m_handlerB.isEmpty() && !m_viewer.isEmpty());
}

QJsonObject TestGrievanceFiles::fileOf(const QString &projectNo, const QByteArray &cookie)
{
    const Http r = console(m_hub.url(), cookie.isEmpty() ? m_ops : cookie, "GET", QStringLiteral("grievance/files"));
    for (const QJsonValue &v : r.json().value(QLatin1String("files")).toArray())
        if (v.toObject().value(QLatin1String("projectNo")).toString() == projectNo)
            return v.toObject();
    return {};
}

Http TestGrievanceFiles::act(const QByteArray &cookie, qint64 id, const QString &action, const QJsonObject &body)
{
    return console(m_hub.url(), cookie, "POST", QStringLiteral("grievance/files/%1/%2").arg(id).arg(action), body);
}

qint64 TestGrievanceFiles::openFile(const QString &projectNo, const QString &dept, const QString &assessTime)
{
    if (m_kiosk->rate(rating(projectNo, 2, assessTime, dept)) != 2)
        return -1;
    return fileOf(projectNo).value(QLatin1String("id")).toInteger(-1);
}

void TestGrievanceFiles::badRating_fromKiosk_opensOneFileForItsDepartment_goodRatingNone()
{
    QCOMPARE(m_kiosk->rate(rating(QStringLiteral("G-OPEN-1"), 1, nowCst(60), kDeptA)), 2);
    QCOMPARE(m_kiosk->rate(rating(QStringLiteral("G-OPEN-2"), 4, nowCst(60), kDeptA)), 2);
    const QJsonObject f = fileOf(QStringLiteral("G-OPEN-1"));
    QCOMPARE(f.value(QLatin1String("state")).toString(), QStringLiteral("待核实"));
    QCOMPARE(f.value(QLatin1String("deptCode")).toString(), kDeptA);
    QCOMPARE(f.value(QLatin1String("satisfaction")).toInt(), 1);
    QCOMPARE(f.value(QLatin1String("overdue")).toBool(), false);
    QVERIFY(fileOf(QStringLiteral("G-OPEN-2")).isEmpty());
    // The same service event rated 2 again from a second kiosk: refused as evidence (PROTOCOL
    // §18.9), still one file.
    const DeviceCredentials other = enroll(m_hub.url(), QStringLiteral("kiosk-g2"));
    Kiosk second(m_dir.filePath(QStringLiteral("kiosk2.sqlite")), other);
    QCOMPARE(second.rate(rating(QStringLiteral("G-OPEN-1"), 2, nowCst(30), kDeptA)), 3);
    int files = 0;
    for (const QJsonValue &v : console(m_hub.url(), m_ops, "GET", QStringLiteral("grievance/files")).json()
                                   .value(QLatin1String("files")).toArray())
        files += v.toObject().value(QLatin1String("projectNo")).toString() == QLatin1String("G-OPEN-1") ? 1 : 0;
    QCOMPARE(files, 1);
    const Http detail = console(m_hub.url(), m_ops, "GET", QStringLiteral("grievance/files/%1").arg(f.value(QLatin1String("id")).toInteger()));
    QCOMPARE(detail.status, 200);
    const QJsonArray timeline = detail.json().value(QLatin1String("timeline")).toArray();
    QCOMPARE(timeline.size(), 1);
    QCOMPARE(timeline.at(0).toObject().value(QLatin1String("action")).toString(), QStringLiteral("open"));
    QCOMPARE(detail.json().value(QLatin1String("evaluation")).toObject().value(QLatin1String("writingEvaluation")).toString(),
             QStringLiteral("窗口人员态度差"));
    // The reasons in words for the handler, not raw codes.
    QCOMPARE(detail.json().value(QLatin1String("evaluation")).toObject().value(QLatin1String("evalDetailText")).toString(),
             QStringLiteral("501 窗口服务态度不好；502 办事效率低，等候时间长"));
}

void TestGrievanceFiles::deadlines_acrossMakeUpWeekendAndNationalDay_countWorkingDays()
{
    // Friday 2026-09-18: Saturday off, Sunday 09-20 a 调休 working day.
    const qint64 sept = openFile(QStringLiteral("G-DL-0918"), kDeptA, QStringLiteral("2026-09-18 10:00:00"));
    QVERIFY(sept > 0);
    QJsonObject d = fileOf(QStringLiteral("G-DL-0918")).value(QLatin1String("deadlines")).toObject();
    QCOMPARE(d.value(QLatin1String("contact")).toString(), QStringLiteral("2026-09-21"));
    QCOMPARE(d.value(QLatin1String("rectify")).toString(), QStringLiteral("2026-09-24"));
    QCOMPARE(fileOf(QStringLiteral("G-DL-0918")).value(QLatin1String("dueDate")).toString(), QStringLiteral("2026-09-21"));
    // Wednesday 2026-09-30: National Day 10-01..10-07 off, Saturday 10-10 a 调休 working day.
    const qint64 oct = openFile(QStringLiteral("G-DL-0930"), kDeptA, QStringLiteral("2026-09-30 10:00:00"));
    QVERIFY(oct > 0);
    d = fileOf(QStringLiteral("G-DL-0930")).value(QLatin1String("deadlines")).toObject();
    QCOMPARE(d.value(QLatin1String("contact")).toString(), QStringLiteral("2026-10-09"));
    QCOMPARE(d.value(QLatin1String("rectify")).toString(), QStringLiteral("2026-10-13"));
    // Marked 建立台账 (complex): 15 working days.
    QCOMPARE(act(m_handlerA, oct, QStringLiteral("extend"),
                 QJsonObject{{QStringLiteral("text"), QStringLiteral("当事人国庆假期无法联系")},
                             {QStringLiteral("newDueDate"), todayCst(3)}}).status, 200);
    const Http v = act(m_handlerA, oct, QStringLiteral("verify"),
                       QJsonObject{{QStringLiteral("text"), QStringLiteral("已电话联系，情况属实")}, {QStringLiteral("complex"), true}});
    QCOMPARE(v.status, 200);
    d = v.json().value(QLatin1String("file")).toObject().value(QLatin1String("deadlines")).toObject();
    QCOMPARE(d.value(QLatin1String("rectify")).toString(), QStringLiteral("2026-10-27"));
    QCOMPARE(v.json().value(QLatin1String("file")).toObject().value(QLatin1String("dueDate")).toString(), QStringLiteral("2026-10-27"));
}

void TestGrievanceFiles::missedDeadline_nextStepRefused_untilWrittenExplanationAndNewDueDate()
{
    const qint64 id = openFile(QStringLiteral("G-LATE-1"), kDeptA, QStringLiteral("2026-11-02 09:00:00"));
    QVERIFY(id > 0);
    QVERIFY(fileOf(QStringLiteral("G-LATE-1")).value(QLatin1String("overdue")).toBool());
    const QJsonObject verify{{QStringLiteral("text"), QStringLiteral("已联系")}};
    Http r = act(m_handlerA, id, QStringLiteral("verify"), verify);
    QCOMPARE(r.status, 409);
    QCOMPARE(r.json().value(QLatin1String("error")).toString(), QStringLiteral("explanation_required"));
    QVERIFY(r.json().value(QLatin1String("message")).toString().contains(QStringLiteral("书面说明")));
    // No text, or a due date that is not in the future: refused.
    QCOMPARE(act(m_handlerA, id, QStringLiteral("extend"), QJsonObject{{QStringLiteral("newDueDate"), todayCst(5)}}).status, 400);
    QCOMPARE(act(m_handlerA, id, QStringLiteral("extend"),
                 QJsonObject{{QStringLiteral("text"), QStringLiteral("说明")}, {QStringLiteral("newDueDate"), todayCst(0)}}).status, 400);
    r = act(m_handlerA, id, QStringLiteral("extend"),
            QJsonObject{{QStringLiteral("text"), QStringLiteral("承办人病假，延误联系")}, {QStringLiteral("newDueDate"), todayCst(4)}});
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json().value(QLatin1String("file")).toObject().value(QLatin1String("dueDate")).toString(), todayCst(4));
    QCOMPARE(act(m_handlerA, id, QStringLiteral("verify"), verify).status, 200);
    const QJsonArray timeline = r.json().value(QLatin1String("timeline")).toArray();
    const QJsonObject extend = timeline.last().toObject();
    QCOMPARE(extend.value(QLatin1String("action")).toString(), QStringLiteral("extend"));
    QCOMPARE(extend.value(QLatin1String("text")).toString(), QStringLiteral("承办人病假，延误联系"));
    QCOMPARE(extend.value(QLatin1String("actor")).toString(), QStringLiteral("handler.a"));
    QCOMPARE(extend.value(QLatin1String("data")).toObject().value(QLatin1String("previousDueDate")).toString(),
             QStringLiteral("2026-11-04"));
    // A file within its deadline needs no explanation.
    const qint64 fresh = openFile(QStringLiteral("G-LATE-2"), kDeptA, nowCst(10));
    QCOMPARE(act(m_handlerA, fresh, QStringLiteral("extend"),
                 QJsonObject{{QStringLiteral("text"), QStringLiteral("说明")}, {QStringLiteral("newDueDate"), todayCst(9)}}).status, 409);
}

void TestGrievanceFiles::overdueFile_raisesConsoleAlert_untilExplained()
{
    const qint64 id = openFile(QStringLiteral("G-ALERT-1"), kDeptB, QStringLiteral("2026-11-10 09:00:00"));
    QVERIFY(id > 0);
    auto alerted = [&] {
        for (const QJsonValue &a : console(m_hub.url(), m_viewer, "GET", QStringLiteral("alerts")).json()
                                       .value(QLatin1String("alerts")).toArray())
            if (a.toObject().value(QLatin1String("kind")).toString() == QLatin1String("grievance_overdue")
                && a.toObject().value(QLatin1String("fileId")).toInteger() == id)
                return a.toObject();
        return QJsonObject();
    };
    const QJsonObject alert = alerted();
    QVERIFY(!alert.isEmpty());
    QVERIFY(alert.value(QLatin1String("message")).toString().contains(QStringLiteral("已超期")));
    QCOMPARE(alert.value(QLatin1String("dueDate")).toString(), QStringLiteral("2026-11-12"));
    // The overdue filter lists it.
    bool listed = false;
    for (const QJsonValue &v : console(m_hub.url(), m_ops, "GET", QStringLiteral("grievance/files?overdue=1&dept=") + kDeptB)
                                   .json().value(QLatin1String("files")).toArray())
        listed = listed || v.toObject().value(QLatin1String("id")).toInteger() == id;
    QVERIFY(listed);
    QCOMPARE(act(m_handlerB, id, QStringLiteral("extend"),
                 QJsonObject{{QStringLiteral("text"), QStringLiteral("材料需上级核实")}, {QStringLiteral("newDueDate"), todayCst(2)}})
                 .status,
             200);
    QVERIFY(alerted().isEmpty());
}

void TestGrievanceFiles::illegalTransition_refused409_withChineseMessage()
{
    const qint64 id = openFile(QStringLiteral("G-ILLEGAL"), kDeptA, nowCst(5));
    const Http r = act(m_handlerA, id, QStringLiteral("answer"), QJsonObject{{QStringLiteral("text"), QStringLiteral("已整改")}});
    QCOMPARE(r.status, 409);
    QCOMPARE(r.json().value(QLatin1String("error")).toString(), QStringLiteral("illegal_transition"));
    QVERIFY(r.json().value(QLatin1String("message")).toString().contains(QStringLiteral("待核实")));
    QCOMPARE(act(m_handlerA, id, QStringLiteral("close"), {}).status, 409);
    QCOMPARE(act(m_handlerA, id, QStringLiteral("verify"), {}).status, 400); // 核实情况 required
    QCOMPARE(act(m_handlerA, id, QStringLiteral("delete"), {}).status, 400);
    // The required 核实情况 given empty, then shadowed by a second "text": refused whole.
    const Http shadowed = console(m_hub.url(), m_handlerA, "POST", QStringLiteral("grievance/files/%1/verify").arg(id),
                                  QByteArray(R"({"text":"","text":"核实：属实"})"));
    QCOMPARE(shadowed.status, 400);
    QCOMPARE(shadowed.json().value(QLatin1String("error")).toString(), QStringLiteral("bad_request"));
    QCOMPARE(fileOf(QStringLiteral("G-ILLEGAL")).value(QLatin1String("state")).toString(), QStringLiteral("待核实"));
}

void TestGrievanceFiles::fullLoop_replyReachesKioskFollowUp_followUpRatingCountsAsVisit_thenClosed()
{
    const QString p = QStringLiteral("G-LOOP-1");
    const qint64 id = openFile(p, kDeptA, nowCst(120));
    QVERIFY(id > 0);
    QCOMPARE(act(m_handlerA, id, QStringLiteral("verify"), QJsonObject{{QStringLiteral("text"), QStringLiteral("核实：排队过久属实")}}).status, 200);
    QCOMPARE(act(m_handlerA, id, QStringLiteral("rectify"), QJsonObject{{QStringLiteral("text"), QStringLiteral("午间增开窗口")}}).status, 200);
    const Http answered = act(m_handlerA, id, QStringLiteral("answer"),
                              QJsonObject{{QStringLiteral("text"), QStringLiteral("已增加午间窗口，材料一次告知。")}});
    QCOMPARE(answered.status, 200);
    QCOMPARE(answered.json().value(QLatin1String("file")).toObject().value(QLatin1String("state")).toString(), QStringLiteral("已整改"));
    // The kiosk's follow-up path (HubClient, PROTOCOL §12) shows the file's reply.
    HubClient client;
    client.setCredentials(m_creds);
    HubReply got;
    bool done = false;
    client.fetchRectifications(p, [&](const HubReply &r) { got = r; done = true; });
    QTRY_VERIFY_WITH_TIMEOUT(done, 10000);
    QCOMPARE(got.status, 200);
    const QJsonObject item = got.json().value(QLatin1String("items")).toArray().at(0).toObject();
    QCOMPARE(item.value(QLatin1String("status")).toString(), QStringLiteral("done"));
    QCOMPARE(item.value(QLatin1String("reply")).toString(), QStringLiteral("已增加午间窗口，材料一次告知。"));
    QCOMPARE(item.value(QLatin1String("replyDept")).toString(), QString()); // no case imported: no dept name
    // Closing before the 回访 is refused.
    QCOMPARE(act(m_handlerA, id, QStringLiteral("close"), {}).status, 409);
    // The citizen's 追评 at a kiosk is the 回访.
    QCOMPARE(m_kiosk->rate(rating(p, 5, nowCst(0), kDeptA, 2)), 2);
    const Http detail = console(m_hub.url(), m_handlerA, "GET", QStringLiteral("grievance/files/%1").arg(id));
    QCOMPARE(detail.json().value(QLatin1String("file")).toObject().value(QLatin1String("state")).toString(), QStringLiteral("已回访"));
    const QJsonArray visits = detail.json().value(QLatin1String("followUps")).toArray();
    QCOMPARE(visits.size(), 1);
    QCOMPARE(visits.at(0).toObject().value(QLatin1String("method")).toString(), QStringLiteral("追评"));
    QCOMPARE(visits.at(0).toObject().value(QLatin1String("result")).toString(), QStringLiteral("满意"));
    QVERIFY(visits.at(0).toObject().value(QLatin1String("evaluationId")).toInteger() > 0);
    const Http closed = act(m_handlerA, id, QStringLiteral("close"), QJsonObject{{QStringLiteral("text"), QStringLiteral("群众满意，办结")}});
    QCOMPARE(closed.status, 200);
    QCOMPARE(closed.json().value(QLatin1String("file")).toObject().value(QLatin1String("state")).toString(), QStringLiteral("办结"));
    QStringList actions;
    for (const QJsonValue &e : closed.json().value(QLatin1String("timeline")).toArray())
        actions << e.toObject().value(QLatin1String("action")).toString();
    QCOMPARE(actions, (QStringList{"open", "verify", "rectify", "answer", "visit", "close"}));
    // The reply is queued for the province.
    bool queued = false;
    for (const QJsonValue &r : adminGet(m_hub.url(), QStringLiteral("/v1/admin/grievance-upstream")).value(QLatin1String("records")).toArray())
        queued = queued || (r.toObject().value(QLatin1String("kind")).toString() == QLatin1String("reply")
                            && r.toObject().value(QLatin1String("record")).toObject().value(QLatin1String("projectNo")).toString() == p);
    QVERIFY(queued);
}

void TestGrievanceFiles::followUpRatingStillBad_reopensTheFile_andCountsAsUnsatisfiedVisit()
{
    const QString p = QStringLiteral("G-REOPEN");
    const qint64 id = openFile(p, kDeptA, nowCst(100));
    for (const char *a : {"verify", "rectify", "answer"})
        QCOMPARE(act(m_handlerA, id, QLatin1String(a), QJsonObject{{QStringLiteral("text"), QStringLiteral("处理")}}).status, 200);
    QCOMPARE(m_kiosk->rate(rating(p, 1, nowCst(0), kDeptA, 2)), 2);
    const QJsonObject f = fileOf(p);
    QCOMPARE(f.value(QLatin1String("id")).toInteger(), id); // the same file, not a new one
    QCOMPARE(f.value(QLatin1String("state")).toString(), QStringLiteral("待核实"));
    QCOMPARE(f.value(QLatin1String("reopened")).toInt(), 1);
    const QJsonArray visits = console(m_hub.url(), m_ops, "GET", QStringLiteral("grievance/files/%1").arg(id)).json()
                                  .value(QLatin1String("followUps")).toArray();
    QCOMPARE(visits.size(), 1);
    QCOMPARE(visits.at(0).toObject().value(QLatin1String("result")).toString(), QStringLiteral("不满意"));
}

void TestGrievanceFiles::staffVisit_unreachedKeepsState_reachedMovesToVisited_ratesPerDepartment()
{
    const QString dept = QStringLiteral("11110105000000000C");
    QVERIFY(addUser(m_hubDb, QStringLiteral("handler.c"), QStringLiteral("handler"), QStringLiteral("hand-c-2026"), dept));
    const QByteArray handlerC = login(m_hub.url(), QStringLiteral("handler.c"), QStringLiteral("hand-c-2026"));
    const qint64 a = openFile(QStringLiteral("G-VISIT-1"), dept, nowCst(100));
    const qint64 b = openFile(QStringLiteral("G-VISIT-2"), dept, nowCst(100));
    for (qint64 id : {a, b})
        for (const char *s : {"verify", "rectify", "answer"})
            QCOMPARE(act(handlerC, id, QLatin1String(s), QJsonObject{{QStringLiteral("text"), QStringLiteral("处理")}}).status, 200);
    auto visit = [&](qint64 id, const QString &method, const QString &result) {
        return console(m_hub.url(), handlerC, "POST", QStringLiteral("grievance/files/%1/followups").arg(id),
                       QJsonObject{{QStringLiteral("method"), method}, {QStringLiteral("visitDate"), todayCst(0)},
                                   {QStringLiteral("result"), result}, {QStringLiteral("note"), QStringLiteral("回访")}});
    };
    QCOMPARE(visit(a, QStringLiteral("追评"), QStringLiteral("满意")).status, 400); // only kiosks record 追评
    QCOMPARE(visit(a, QStringLiteral("电话"), QStringLiteral("很好")).status, 400);
    QCOMPARE(visit(a, QStringLiteral("电话"), QStringLiteral("未联系上")).status, 201);
    QCOMPARE(fileOf(QStringLiteral("G-VISIT-1")).value(QLatin1String("state")).toString(), QStringLiteral("已整改"));
    QCOMPARE(visit(a, QStringLiteral("短信"), QStringLiteral("基本满意")).status, 201);
    QCOMPARE(fileOf(QStringLiteral("G-VISIT-1")).value(QLatin1String("state")).toString(), QStringLiteral("已回访"));
    const QJsonObject rates = console(m_hub.url(), m_ops, "GET", QStringLiteral("grievance/followup-rates")).json();
    QJsonObject row;
    for (const QJsonValue &v : rates.value(QLatin1String("departments")).toArray())
        if (v.toObject().value(QLatin1String("deptCode")).toString() == dept)
            row = v.toObject();
    QCOMPARE(row.value(QLatin1String("rectified")).toInt(), 2);
    QCOMPARE(row.value(QLatin1String("visited")).toInt(), 1);
    QCOMPARE(row.value(QLatin1String("visitRate")).toDouble(), 0.5);
    QCOMPARE(row.value(QLatin1String("visitSatisfactionRate")).toDouble(), 1.0);
    QVERIFY(rates.value(QLatin1String("overall")).toObject().value(QLatin1String("rectified")).toInt() >= 2);
    // The handler's own rates hold its department only.
    const QJsonArray own = console(m_hub.url(), handlerC, "GET", QStringLiteral("grievance/followup-rates")).json()
                               .value(QLatin1String("departments")).toArray();
    QCOMPARE(own.size(), 1);
    QCOMPARE(visit(b, QStringLiteral("现场"), QStringLiteral("不满意")).status, 201);
    QCOMPARE(console(m_hub.url(), handlerC, "GET", QStringLiteral("grievance/followups")).json()
                 .value(QLatin1String("followUps")).toArray().size(), 3);
}

void TestGrievanceFiles::handlerRole_seesAndActsOnItsDepartmentOnly_reassignByCounty()
{
    const qint64 id = openFile(QStringLiteral("G-DEPT-A"), kDeptA, nowCst(50));
    QVERIFY(id > 0);
    QVERIFY(!fileOf(QStringLiteral("G-DEPT-A"), m_handlerA).isEmpty());
    QVERIFY(fileOf(QStringLiteral("G-DEPT-A"), m_handlerB).isEmpty());
    for (const QJsonValue &v : console(m_hub.url(), m_handlerB, "GET", QStringLiteral("grievance/files?dept=") + kDeptA)
                                   .json().value(QLatin1String("files")).toArray())
        QCOMPARE(v.toObject().value(QLatin1String("deptCode")).toString(), kDeptB);
    QCOMPARE(console(m_hub.url(), m_handlerB, "GET", QStringLiteral("grievance/files/%1").arg(id)).status, 404);
    QCOMPARE(act(m_handlerB, id, QStringLiteral("verify"), QJsonObject{{QStringLiteral("text"), QStringLiteral("x")}}).status, 404);
    // No fleet pages for a handler.
    QCOMPARE(console(m_hub.url(), m_handlerA, "GET", QStringLiteral("kiosks")).status, 403);
    QCOMPARE(console(m_hub.url(), m_handlerA, "GET", QStringLiteral("me")).json().value(QLatin1String("role")).toString(),
             QStringLiteral("handler"));
    // Reassigning is the county's.
    const QJsonObject toB{{QStringLiteral("deptCode"), kDeptB}, {QStringLiteral("deptName"), QStringLiteral("示例县人社局")}};
    QCOMPARE(act(m_handlerA, id, QStringLiteral("reassign"), toB).status, 403);
    QCOMPARE(act(m_ops, id, QStringLiteral("reassign"), toB).status, 200);
    QVERIFY(fileOf(QStringLiteral("G-DEPT-A"), m_handlerA).isEmpty());
    QCOMPARE(fileOf(QStringLiteral("G-DEPT-A"), m_handlerB).value(QLatin1String("deptCode")).toString(), kDeptB);
    // 转办 by the handler of the file's department, then taken up by the new one.
    const QJsonObject backToA{{QStringLiteral("deptCode"), kDeptA}, {QStringLiteral("text"), QStringLiteral("属A部门职责")}};
    const Http tr = act(m_handlerB, id, QStringLiteral("transfer"), backToA);
    QCOMPARE(tr.status, 200);
    QCOMPARE(tr.json().value(QLatin1String("file")).toObject().value(QLatin1String("deptCode")).toString(), kDeptA);
    QCOMPARE(fileOf(QStringLiteral("G-DEPT-A"), m_handlerA).value(QLatin1String("state")).toString(), QStringLiteral("转办"));
    QCOMPARE(act(m_handlerA, id, QStringLiteral("verify"), QJsonObject{{QStringLiteral("text"), QStringLiteral("接办")}}).status, 200);
}

void TestGrievanceFiles::followUpLog_filtersByDepartmentPeriodResultMethod_handlerGetsItsOwnOnly()
{
    const QString pa = QStringLiteral("1101052026LOGA0001"), pb = QStringLiteral("1101052026LOGB0001");
    const qint64 a = openFile(pa, kDeptA, nowCst(100));
    const qint64 b = openFile(pb, kDeptB, nowCst(100));
    QVERIFY(a > 0 && b > 0);
    for (qint64 id : {a, b})
        for (const char *s : {"verify", "rectify", "answer"})
            QCOMPARE(act(m_ops, id, QLatin1String(s), QJsonObject{{QStringLiteral("text"), QStringLiteral("处理")}}).status, 200);
    auto visit = [&](qint64 id, const QString &method, const QString &result, const QString &date) {
        return console(m_hub.url(), m_ops, "POST", QStringLiteral("grievance/files/%1/followups").arg(id),
                       QJsonObject{{QStringLiteral("method"), method}, {QStringLiteral("visitDate"), date},
                                   {QStringLiteral("result"), result}})
            .status;
    };
    QCOMPARE(visit(a, QStringLiteral("电话"), QStringLiteral("未联系上"), todayCst(-6)), 201);
    QCOMPARE(visit(a, QStringLiteral("短信"), QStringLiteral("满意"), todayCst(-1)), 201);
    QCOMPARE(visit(b, QStringLiteral("现场"), QStringLiteral("不满意"), todayCst(0)), 201);
    // The log under a filter: every row matches it; returns "method/result" of this test's files' rows.
    auto log = [&](const QByteArray &cookie, const QString &query, int *status = nullptr) {
        const Http r = console(m_hub.url(), cookie, "GET", QStringLiteral("grievance/followups") + query);
        if (status)
            *status = r.status;
        const QUrlQuery q(query.mid(1));
        QStringList mine;
        for (const QJsonValue &v : r.json().value(QLatin1String("followUps")).toArray()) {
            const QJsonObject f = v.toObject();
            const QString date = f.value(QLatin1String("visitDate")).toString();
            for (const char *key : {"dept", "result", "method"}) {
                const QString want = q.queryItemValue(QLatin1String(key), QUrl::FullyDecoded);
                const char *field = QByteArray(key) == "dept" ? "deptCode" : key;
                if (!want.isEmpty() && f.value(QLatin1String(field)).toString() != want)
                    mine << QStringLiteral("MISMATCH %1").arg(QLatin1String(key));
            }
            if (q.hasQueryItem(QStringLiteral("from")) && date < q.queryItemValue(QStringLiteral("from")))
                mine << QStringLiteral("MISMATCH from");
            if (q.hasQueryItem(QStringLiteral("to")) && date > q.queryItemValue(QStringLiteral("to")))
                mine << QStringLiteral("MISMATCH to");
            const qint64 file = f.value(QLatin1String("fileId")).toInteger();
            if (file == a || file == b)
                mine << f.value(QLatin1String("method")).toString() + QLatin1Char('/') + f.value(QLatin1String("result")).toString();
        }
        return mine;
    };
    const QString phone = QStringLiteral("电话/未联系上"), sms = QStringLiteral("短信/满意"), visitB = QStringLiteral("现场/不满意");
    QCOMPARE(log(m_ops, QString()), (QStringList{visitB, sms, phone})); // newest first
    QCOMPARE(log(m_ops, QStringLiteral("?dept=") + kDeptA), (QStringList{sms, phone}));
    QCOMPARE(log(m_ops, QStringLiteral("?from=") + todayCst(-2)), (QStringList{visitB, sms}));
    QCOMPARE(log(m_ops, QStringLiteral("?from=%1&to=%2").arg(todayCst(-7), todayCst(-3))), QStringList{phone});
    QCOMPARE(log(m_ops, QStringLiteral("?result=%E6%BB%A1%E6%84%8F")), QStringList{sms}); // 满意, not 基本满意
    QCOMPARE(log(m_ops, QStringLiteral("?method=%E7%8E%B0%E5%9C%BA")), QStringList{visitB}); // 现场
    QCOMPARE(log(m_ops, QStringLiteral("?dept=%1&method=%E7%9F%AD%E4%BF%A1&from=%2").arg(kDeptA, todayCst(-1))), QStringList{sms});
    const QJsonObject row = console(m_hub.url(), m_ops, "GET", QStringLiteral("grievance/followups?dept=") + kDeptB).json()
                                .value(QLatin1String("followUps")).toArray().at(0).toObject();
    QCOMPARE(row.value(QLatin1String("projectNo")).toString(), pb);
    QCOMPARE(row.value(QLatin1String("fileState")).toString(), QStringLiteral("已回访"));
    // Malformed filters are refused with a Chinese reason, not ignored.
    for (const char *bad : {"?from=2026-13-01", "?from=2026-12-09&to=2026-12-01", "?result=%E5%BE%88%E5%A5%BD", "?method=email"}) {
        const Http r = console(m_hub.url(), m_ops, "GET", QStringLiteral("grievance/followups") + QLatin1String(bad));
        QCOMPARE(r.status, 400);
        QVERIFY(r.json().value(QLatin1String("message")).toString().contains(QStringLiteral("回访")));
    }
    // A handler of department B: its own rows only; asking for department A is refused.
    int status = 0;
    QCOMPARE(log(m_handlerB, QString(), &status), QStringList{visitB});
    QCOMPARE(status, 200);
    for (const QJsonValue &v : console(m_hub.url(), m_handlerB, "GET", QStringLiteral("grievance/followups")).json()
                                   .value(QLatin1String("followUps")).toArray())
        QCOMPARE(v.toObject().value(QLatin1String("deptCode")).toString(), kDeptB);
    QCOMPARE(log(m_handlerB, QStringLiteral("?dept=") + kDeptA, &status), QStringList());
    QCOMPARE(status, 403);
    QCOMPARE(log(m_handlerB, QStringLiteral("?dept=") + kDeptB, &status), QStringList{visitB});
    // A viewer reads the log with the 办件编号 masked; an anonymous client gets nothing.
    const Http viewed = console(m_hub.url(), m_viewer, "GET", QStringLiteral("grievance/followups?dept=") + kDeptB);
    QCOMPARE(viewed.status, 200);
    QVERIFY(!viewed.body.contains(pb.toUtf8()));
    QVERIFY(viewed.body.contains("1101**********0001"));
    const Http anonymous = http(m_hub.url().resolved(QUrl(QStringLiteral("/console/api/grievance/followups?dept=") + kDeptA)), "GET");
    QCOMPARE(anonymous.status, 401);
    QVERIFY(!anonymous.body.contains(pa.toUtf8()));
}

void TestGrievanceFiles::viewer_seesNoProjectNo_andCannotAct()
{
    const QString p = QStringLiteral("1101052026VIEW0001");
    const qint64 id = openFile(p, kDeptA, nowCst(20));
    QVERIFY(id > 0);
    const Http list = console(m_hub.url(), m_viewer, "GET", QStringLiteral("grievance/files"));
    QCOMPARE(list.status, 200);
    QVERIFY(!list.body.contains(p.toUtf8()));
    QVERIFY(list.body.contains("1101**********0001"));
    const Http detail = console(m_hub.url(), m_viewer, "GET", QStringLiteral("grievance/files/%1").arg(id));
    QCOMPARE(detail.status, 200);
    QVERIFY(!detail.body.contains(p.toUtf8()));
    QVERIFY(!detail.json().contains(QLatin1String("evaluation"))); // no comment text for a viewer
    QCOMPARE(act(m_viewer, id, QStringLiteral("verify"), QJsonObject{{QStringLiteral("text"), QStringLiteral("x")}}).status, 403);
}

void TestGrievanceFiles::timeline_rewriteInTheDatabase_refused()
{
    // Someone with the database file tries to rewrite who did what: the database refuses.
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("attack"));
    db.setDatabaseName(m_hubDb);
    QVERIFY(db.open());
    {
        QSqlQuery q(db);
        QVERIFY(!q.exec(QStringLiteral("UPDATE grievance_events SET actor = 'nobody'")));
        QVERIFY(q.lastError().text().contains(QStringLiteral("append-only")));
        QVERIFY(!q.exec(QStringLiteral("DELETE FROM grievance_events")));
        QVERIFY(!q.exec(QStringLiteral("UPDATE grievance_followups SET result = '满意'")));
        QVERIFY(q.exec(QStringLiteral("SELECT COUNT(*) FROM grievance_events WHERE actor = 'nobody'")) && q.next());
        QCOMPARE(q.value(0).toInt(), 0);
    }
    db.close();
    db = QSqlDatabase();
    QSqlDatabase::removeDatabase(QStringLiteral("attack"));
}

QTEST_GUILESS_MAIN(TestGrievanceFiles)
#include "tst_grievancefiles.moc"

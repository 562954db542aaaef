// SPDX-License-Identifier: Apache-2.0
// The 差评 records reach the province (sync/UPSTREAM.md §9): a real hcp-hub with --upstream-profile,
// a kiosk rating 1 through its own outbox and OutboxSender, a department handler answering in the
// console. The reply (整改反馈) and the appeal decision (申诉复核 不予采纳) are delivered once, after
// their evaluation, with the evaluations' envelope, signing and encryption; retried after a 5xx,
// not resent after a hub restart, dead-lettered on a permanent 4xx. Adversarially: an anonymous
// client cannot queue a record, and a record altered in the hub's database after queueing is
// sent as the append-only timeline says (the difference is noted in the record's message).
#include "grievancesupport.h"
#include "hubprocess.h"
#include "mockprovince.h"
#include "upstreamfixture.h"

#include <QFile>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

using namespace hcp::sync;
using namespace hcp::sync::test;
using namespace hcp::sync::test::grievance;
using namespace hcp::sync::hub::upstream;
using namespace hcp::sync::hub::upstream::test;

namespace {
const QString kDept = QStringLiteral("11110105000000000D");
const QString kReply = QStringLiteral("/hcp/reply");
const QString kAppeal = QStringLiteral("/hcp/appeal");
} // namespace

class TestGrievanceUpstream : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void reply_answered_deliveredOnceAfterItsEvaluation_notResentAfterHubRestart();
    void reply_province5xx_retriedThenDeliveredOnce();
    void reply_permanent4xx_deadLetteredNotRetried_requeueDelivers();
    void appeal_notAdopted_decisionDelivered();
    void anonymousClient_cannotQueueARecord();
    void queuedRecord_alteredInDatabase_sentAsTheTimelineSays();

private:
    // A kiosk 差评 of a new case → its file id (the evaluation delivered to the province first).
    qint64 rateBadly(const QString &projectNo);
    void walkToAnswer(qint64 fileId, const QString &answer);
    QJsonObject record(const QString &kind, const QString &key);
    QJsonObject grievanceCounts();
    int sqlExec(const QString &sql, const QVariantList &binds = {});

    QTemporaryDir m_dir;
    std::unique_ptr<MockProvince> m_province;
    HubProcess m_hub;
    std::unique_ptr<Kiosk> m_kiosk;
    QByteArray m_ops, m_handler;
    QString m_db;
};

void TestGrievanceUpstream::initTestCase()
{
    const auto app = mockApp(hcp::sync::hub::upstream::ProvinceProfile::SignMode::Sm2Encrypt,
                             hcp::sync::hub::upstream::ProvinceProfile::Cipher::Sm4);
    m_province = std::make_unique<MockProvince>(app, 5);
    const quint16 port = m_province->start();
    QVERIFY(port != 0);
    QJsonObject profile = profileJson(app, port);
    profile.insert(QStringLiteral("replyPath"), kReply);
    profile.insert(QStringLiteral("appealPath"), kAppeal);
    profile.insert(QStringLiteral("duplicateMessages"),
                   QJsonArray{QStringLiteral("本次服务已存在评价"), QStringLiteral("请勿重复提交")});
    profile.insert(QStringLiteral("leaseMs"), 2000);
    const QString profilePath = m_dir.filePath(QStringLiteral("province.json"));
    QFile f(profilePath);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QJsonDocument(profile).toJson());
    f.close();
    m_db = m_dir.filePath(QStringLiteral("hub.sqlite"));
    QVERIFY2(m_hub.start(m_db, 0, {QStringLiteral("--upstream-profile"), profilePath}), qPrintable(m_hub.output()));
    const DeviceCredentials creds = enroll(m_hub.url(), QStringLiteral("KIOSK-110105-0042"));
    QVERIFY(creds.isValid());
    m_kiosk = std::make_unique<Kiosk>(m_dir.filePath(QStringLiteral("kiosk.sqlite")), creds);
    QVERIFY(addUser(m_db, QStringLiteral("ops.u"), QStringLiteral("maintainer"), QStringLiteral("ops-pass-2026")));
    QVERIFY(addUser(m_db, QStringLiteral("handler.u"), QStringLiteral("handler"), QStringLiteral("hand-u-2026"), kDept));
    m_ops = login(m_hub.url(), QStringLiteral("ops.u"), QStringLiteral("ops-pass-2026"));
    m_handler = login(m_hub.url(), QStringLiteral("handler.u"), QStringLiteral("hand-u-2026"));
    QVERIFY(!m_ops.isEmpty() && !m_handler.isEmpty());
}

qint64 TestGrievanceUpstream::rateBadly(const QString &projectNo)
{
    if (!importCase(m_hub.url(), projectNo, nowCst(3600), kDept) || m_kiosk->rate(rating(projectNo, 1, nowCst(60), kDept)) != 2)
        return -1;
    if (!QTest::qWaitFor([&] { return m_province->stored().contains(projectNo + QStringLiteral("|1|1")); }, 15000))
        return -1;
    for (const QJsonValue &v : console(m_hub.url(), m_ops, "GET", QStringLiteral("grievance/files")).json()
                                   .value(QLatin1String("files")).toArray())
        if (v.toObject().value(QLatin1String("projectNo")).toString() == projectNo)
            return v.toObject().value(QLatin1String("id")).toInteger();
    return -1;
}

void TestGrievanceUpstream::walkToAnswer(qint64 fileId, const QString &answer)
{
    for (const auto &[step, text] : {QPair<QString, QString>{QStringLiteral("verify"), QStringLiteral("已电话联系群众，情况属实")},
                                     {QStringLiteral("rectify"), QStringLiteral("材料清单张贴上墙，窗口一次性告知")},
                                     {QStringLiteral("answer"), answer}}) {
        const Http r = console(m_hub.url(), m_handler, "POST", QStringLiteral("grievance/files/%1/%2").arg(fileId).arg(step),
                               QJsonObject{{QStringLiteral("text"), text}});
        QVERIFY2(r.status == 200, r.body.constData());
    }
}

QJsonObject TestGrievanceUpstream::record(const QString &kind, const QString &key)
{
    for (const QJsonValue &r : adminGet(m_hub.url(), QStringLiteral("/v1/admin/grievance-upstream")).value(QLatin1String("records")).toArray())
        if (r.toObject().value(QLatin1String("kind")).toString() == kind && r.toObject().value(QLatin1String("key")).toString() == key)
            return r.toObject();
    return {};
}

QJsonObject TestGrievanceUpstream::grievanceCounts()
{
    return adminGet(m_hub.url(), QStringLiteral("/v1/admin/upstream")).value(QLatin1String("grievance")).toObject()
        .value(QLatin1String("counts")).toObject();
}

int TestGrievanceUpstream::sqlExec(const QString &sql, const QVariantList &binds)
{
    // Root on the hub machine, with the hub running: straight into its database.
    const QString name = QStringLiteral("attacker-") + QUuid::createUuid().toString(QUuid::WithoutBraces);
    int affected = -1;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(m_db);
        db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
        if (db.open()) {
            QSqlQuery q(db);
            q.prepare(sql);
            for (const QVariant &b : binds)
                q.addBindValue(b);
            if (q.exec())
                affected = q.numRowsAffected();
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return affected;
}

void TestGrievanceUpstream::reply_answered_deliveredOnceAfterItsEvaluation_notResentAfterHubRestart()
{
    const QString projectNo = QStringLiteral("GU-REPLY-0001");
    const qint64 id = rateBadly(projectNo);
    QVERIFY(id > 0);
    const QString answer = QStringLiteral("已整改：材料清单已公示，窗口一次性告知。感谢您的监督。");
    walkToAnswer(id, answer);
    const QString key = projectNo + QStringLiteral("|1|1");
    QTRY_VERIFY_WITH_TIMEOUT(m_province->storedReplies().contains(key), 15000);
    const QJsonObject sent = m_province->storedReplies().value(key);
    QCOMPARE(sent.value(QLatin1String("reformContent")).toString(), answer);
    QCOMPARE(sent.value(QLatin1String("rectification")).toString(), QStringLiteral("材料清单张贴上墙，窗口一次性告知"));
    QCOMPARE(sent.value(QLatin1String("rectifyStatus")).toString(), QStringLiteral("2"));
    QCOMPARE(sent.value(QLatin1String("reformDept")).toString(), QStringLiteral("示例县公安局"));
    QCOMPARE(sent.value(QLatin1String("deptCode")).toString(), kDept);
    QCOMPARE(sent.value(QLatin1String("dataSource")).toString(), QStringLiteral("165"));
    QVERIFY(QDateTime::fromString(sent.value(QLatin1String("reformDate")).toString(), QStringLiteral("yyyy-MM-dd HH:mm:ss")).isValid());
    QTRY_COMPARE_WITH_TIMEOUT(record(QStringLiteral("reply"), projectNo + QStringLiteral("/1/1"))
                                  .value(QLatin1String("state")).toString(), QStringLiteral("delivered"), 5000);
    const int calls = m_province->callsTo(kReply);
    QCOMPARE(calls, 1);

    // A crash of the hub and a restart: the delivered reply is not sent again, while the
    // forwarder works on (a new evaluation is delivered after the restart).
    m_hub.kill();
    QVERIFY2(m_hub.restart(), qPrintable(m_hub.output()));
    m_ops = login(m_hub.url(), QStringLiteral("ops.u"), QStringLiteral("ops-pass-2026"));
    m_handler = login(m_hub.url(), QStringLiteral("handler.u"), QStringLiteral("hand-u-2026"));
    QVERIFY(rateBadly(QStringLiteral("GU-REPLY-0002")) > 0);
    QCOMPARE(m_province->callsTo(kReply), calls);
    QCOMPARE(m_province->storedReplies().size(), 1);
}

void TestGrievanceUpstream::reply_province5xx_retriedThenDeliveredOnce()
{
    const QString projectNo = QStringLiteral("GU-RETRY-0001");
    const qint64 id = rateBadly(projectNo);
    QVERIFY(id > 0);
    const int before = m_province->callsTo(kReply);
    m_province->failPath(kReply, 503, 2);
    walkToAnswer(id, QStringLiteral("已增设午间窗口。"));
    QTRY_VERIFY_WITH_TIMEOUT(m_province->storedReplies().contains(projectNo + QStringLiteral("|1|1")), 15000);
    QTRY_COMPARE_WITH_TIMEOUT(record(QStringLiteral("reply"), projectNo + QStringLiteral("/1/1"))
                                  .value(QLatin1String("state")).toString(), QStringLiteral("delivered"), 5000);
    QCOMPARE(m_province->callsTo(kReply) - before, 3); // two 503s, then stored
    QCOMPARE(record(QStringLiteral("reply"), projectNo + QStringLiteral("/1/1")).value(QLatin1String("attempts")).toInt(), 3);
}

void TestGrievanceUpstream::reply_permanent4xx_deadLetteredNotRetried_requeueDelivers()
{
    const QString projectNo = QStringLiteral("GU-DEAD-0001");
    const qint64 id = rateBadly(projectNo);
    QVERIFY(id > 0);
    const int before = m_province->callsTo(kReply);
    m_province->failPath(kReply, 400, -1);
    walkToAnswer(id, QStringLiteral("已调整叫号规则。"));
    const QString key = projectNo + QStringLiteral("/1/1");
    QTRY_COMPARE_WITH_TIMEOUT(record(QStringLiteral("reply"), key).value(QLatin1String("state")).toString(),
                              QStringLiteral("dead"), 15000);
    QCOMPARE(record(QStringLiteral("reply"), key).value(QLatin1String("code")).toString(), QStringLiteral("HTTP 400"));
    // Not retried: the forwarder keeps working (another evaluation is delivered) without a new call.
    QVERIFY(rateBadly(QStringLiteral("GU-DEAD-0002")) > 0);
    QCOMPARE(m_province->callsTo(kReply) - before, 1);
    const QJsonArray dead = adminGet(m_hub.url(), QStringLiteral("/v1/admin/upstream")).value(QLatin1String("grievance"))
                                .toObject().value(QLatin1String("deadLetters")).toArray();
    QCOMPARE(dead.size(), 1);
    QCOMPARE(dead.at(0).toObject().value(QLatin1String("key")).toString(), key);
    // The province fixed its interface: the operator requeues, the reply is delivered.
    m_province->failPath(kReply, 0, 0);
    // A body naming its member twice is refused before anything is requeued.
    QByteArray refused;
    QCOMPARE(httpRequest(m_hub.url().resolved(QUrl(QStringLiteral("/v1/admin/upstream"))), "POST",
                         R"({"requeueGrievance":[],"requeueGrievance":"all"})", &refused,
                         {{"Authorization", QByteArray("Bearer ") + kAdminToken}}),
             400);
    QCOMPARE(grievanceCounts().value(QLatin1String("dead")).toInt(), 1);
    QJsonObject requeued;
    QCOMPARE(adminSend(m_hub.url(), "POST", QStringLiteral("/v1/admin/upstream"),
                       QJsonObject{{QStringLiteral("requeueGrievance"), QJsonArray{dead.at(0).toObject().value(QLatin1String("id"))}}},
                       &requeued),
             200);
    QCOMPARE(requeued.value(QLatin1String("requeued")).toInt(), 1);
    QTRY_VERIFY_WITH_TIMEOUT(m_province->storedReplies().contains(projectNo + QStringLiteral("|1|1")), 15000);
    QTRY_COMPARE_WITH_TIMEOUT(grievanceCounts().value(QLatin1String("dead")).toInt(), 0, 5000);
}

void TestGrievanceUpstream::appeal_notAdopted_decisionDelivered()
{
    const QString projectNo = QStringLiteral("GU-APPEAL-0001");
    const qint64 id = rateBadly(projectNo);
    QVERIFY(id > 0);
    const Http filed = console(m_hub.url(), m_handler, "POST", QStringLiteral("grievance/files/%1/appeals").arg(id),
                               QJsonObject{{QStringLiteral("reason"), QStringLiteral("评价人当日未到窗口办理，系恶意差评")}});
    QCOMPARE(filed.status, 201);
    const qint64 appealId = filed.json().value(QLatin1String("id")).toInteger();
    const Http decided = console(m_hub.url(), m_ops, "POST", QStringLiteral("grievance/appeals/%1/decision").arg(appealId),
                                 QJsonObject{{QStringLiteral("decision"), QStringLiteral("不予采纳")},
                                             {QStringLiteral("reason"), QStringLiteral("监控证实当日无该群众办件")}});
    QCOMPARE(decided.status, 200);
    const QString key = projectNo + QStringLiteral("|1|1");
    QTRY_VERIFY_WITH_TIMEOUT(m_province->storedAppeals().contains(key), 15000);
    const QJsonObject sent = m_province->storedAppeals().value(key);
    QCOMPARE(sent.value(QLatin1String("appealId")).toString(), QString::number(appealId));
    QCOMPARE(sent.value(QLatin1String("appealReason")).toString(), QStringLiteral("评价人当日未到窗口办理，系恶意差评"));
    QCOMPARE(sent.value(QLatin1String("appealResult")).toString(), QStringLiteral("2"));
    QCOMPARE(sent.value(QLatin1String("reviewReason")).toString(), QStringLiteral("监控证实当日无该群众办件"));
    QCOMPARE(sent.value(QLatin1String("effectivEvalua")).toString(), QStringLiteral("0"));
    QCOMPARE(sent.value(QLatin1String("deptCode")).toString(), kDept);
    QTRY_COMPARE_WITH_TIMEOUT(record(QStringLiteral("appeal"), QString::number(appealId)).value(QLatin1String("state")).toString(),
                              QStringLiteral("delivered"), 5000);
    QCOMPARE(m_province->callsTo(kAppeal), 1);
}

void TestGrievanceUpstream::anonymousClient_cannotQueueARecord()
{
    const QString projectNo = QStringLiteral("GU-ANON-0001");
    const qint64 id = rateBadly(projectNo);
    QVERIFY(id > 0);
    QVERIFY(console(m_hub.url(), m_handler, "POST", QStringLiteral("grievance/files/%1/verify").arg(id),
                    QJsonObject{{QStringLiteral("text"), QStringLiteral("核实中")}}).status == 200);
    QVERIFY(console(m_hub.url(), m_handler, "POST", QStringLiteral("grievance/files/%1/rectify").arg(id),
                    QJsonObject{{QStringLiteral("text"), QStringLiteral("整改中")}}).status == 200);
    const int recordsBefore = adminGet(m_hub.url(), QStringLiteral("/v1/admin/grievance-upstream"))
                                  .value(QLatin1String("records")).toArray().size();
    const QByteArray forged = compact(QJsonObject{{QStringLiteral("text"), QStringLiteral("伪造的答复")}});
    const QUrl answer = m_hub.url().resolved(QUrl(QStringLiteral("/console/api/grievance/files/%1/answer").arg(id)));
    // No session; a forged session cookie; a real session without the console header.
    QCOMPARE(http(answer, "POST", forged, {{"X-HCP-Console", "1"}}).status, 401);
    QCOMPARE(http(answer, "POST", forged, {{"X-HCP-Console", "1"}, {"Cookie", "hcp_session=" + QByteArray(64, 'a')}}).status, 401);
    QCOMPARE(http(answer, "POST", forged, {{"Cookie", m_handler}}).status, 403);
    // The admin API without (or with a wrong) token, and a kiosk's own credentials, reach nothing.
    const QUrl admin = m_hub.url().resolved(QUrl(QStringLiteral("/v1/admin/grievance-upstream")));
    auto refused = [](int status) { return status == 401 || status == 403; };
    QVERIFY(refused(http(admin, "POST", forged).status));
    QVERIFY(refused(http(admin, "GET", {}, {{"Authorization", "Bearer wrong-token"}}).status));
    const QUrl upstream = m_hub.url().resolved(QUrl(QStringLiteral("/v1/admin/upstream")));
    QVERIFY(refused(http(upstream, "POST", compact(QJsonObject{{QStringLiteral("requeueGrievance"), QStringLiteral("all")}})).status));
    QCOMPARE(adminGet(m_hub.url(), QStringLiteral("/v1/admin/grievance-upstream")).value(QLatin1String("records")).toArray().size(),
             recordsBefore);
    QVERIFY(record(QStringLiteral("reply"), projectNo + QStringLiteral("/1/1")).isEmpty());
    QVERIFY(!m_province->storedReplies().contains(projectNo + QStringLiteral("|1|1")));
}

void TestGrievanceUpstream::queuedRecord_alteredInDatabase_sentAsTheTimelineSays()
{
    const QString projectNo = QStringLiteral("GU-ALTER-0001");
    const qint64 id = rateBadly(projectNo);
    QVERIFY(id > 0);
    m_province->failPath(kReply, 503, -1); // the record stays queued while the attacker edits it
    const int before = m_province->callsTo(kReply);
    const QString answer = QStringLiteral("经核实，已对窗口人员批评教育。");
    walkToAnswer(id, answer);
    QTRY_VERIFY_WITH_TIMEOUT(m_province->callsTo(kReply) > before, 15000);
    // Root edits the queued record: another text, promised compensation.
    const QString forged = compact(QJsonObject{{QStringLiteral("projectNo"), projectNo}, {QStringLiteral("serviceNumber"), 1},
                                               {QStringLiteral("assessNumber"), 1}, {QStringLiteral("deptCode"), kDept},
                                               {QStringLiteral("reply"), QStringLiteral("已向您退款500元")}});
    QCOMPARE(sqlExec(QStringLiteral("UPDATE grievance_upstream SET payload = ? WHERE kind = 'reply' AND record_key = ?"),
                     {forged, projectNo + QStringLiteral("/1/1")}),
             1);
    // The timeline itself refuses the edit (append-only).
    QCOMPARE(sqlExec(QStringLiteral("UPDATE grievance_events SET text = '已向您退款500元' WHERE file_id = ? AND action = 'answer'"),
                     {id}),
             -1);
    m_province->failPath(kReply, 0, 0);
    const QString key = projectNo + QStringLiteral("|1|1");
    QTRY_VERIFY_WITH_TIMEOUT(m_province->storedReplies().contains(key), 15000);
    QCOMPARE(m_province->storedReplies().value(key).value(QLatin1String("reformContent")).toString(), answer);
    QTRY_COMPARE_WITH_TIMEOUT(record(QStringLiteral("reply"), projectNo + QStringLiteral("/1/1"))
                                  .value(QLatin1String("state")).toString(), QStringLiteral("delivered"), 5000);
    QVERIFY(record(QStringLiteral("reply"), projectNo + QStringLiteral("/1/1")).value(QLatin1String("message")).toString()
                .contains(QLatin1String("differed from the timeline")));
}

QTEST_GUILESS_MAIN(TestGrievanceUpstream)
#include "tst_grievanceupstream.moc"

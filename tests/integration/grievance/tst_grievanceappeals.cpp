// SPDX-License-Identifier: Apache-2.0
// 申诉复核 at the real hcp-hub (PROTOCOL §18.5): a handler appeals with evidence, another user of
// the county decides; 不予采纳 keeps the rating but leaves it out of the 通报 and queues the appeal
// for the province; the appellant cannot review; attachments are size- and type-checked.
#include "grievancesupport.h"

#include "hubprocess.h"

#include <QTemporaryDir>
#include <QTest>

using namespace hcp::sync;
using namespace hcp::sync::test;
using namespace hcp::sync::test::grievance;

namespace {
const QString kDept = QStringLiteral("11110105000000000D");
const QByteArray kPng = QByteArray("\x89PNG\r\n\x1A\n\0\0\0\rIHDR", 16) + QByteArray(64, 'x');
} // namespace

class TestGrievanceAppeals : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void appealByHandler_decidedNotAdoptedByCounty_ratingKeptExcludedAndQueuedUpstream();
    void appealUpheld_fileContinues_ratingStillCounted();
    void reviewerIsAppellant_refused_handlerCannotDecide();
    void attachments_tooLargeOrWrongType_refused_pdfJpegPngStored();

private:
    qint64 openFile(const QString &projectNo);
    Http fileAppeal(const QByteArray &cookie, qint64 fileId, const QString &reason);
    Http attach(const QByteArray &cookie, qint64 appealId, const QByteArray &data, const QByteArray &name);
    int reportedRatings();

    QTemporaryDir m_dir;
    HubProcess m_hub;
    std::unique_ptr<Kiosk> m_kiosk;
    QByteArray m_ops, m_admin, m_handler, m_other;
};

void TestGrievanceAppeals::initTestCase()
{
    const QString db = m_dir.filePath(QStringLiteral("hub.sqlite"));
    QVERIFY2(m_hub.start(db), qPrintable(m_hub.output()));
    const DeviceCredentials creds = enroll(m_hub.url(), QStringLiteral("kiosk-a1"));
    QVERIFY(creds.isValid());
    m_kiosk = std::make_unique<Kiosk>(m_dir.filePath(QStringLiteral("kiosk.sqlite")), creds);
    QVERIFY(addUser(db, QStringLiteral("ops.a"), QStringLiteral("maintainer"), QStringLiteral("ops-pass-2026")));
    QVERIFY(addUser(db, QStringLiteral("admin.a"), QStringLiteral("admin"), QStringLiteral("adm-pass-2026")));
    QVERIFY(addUser(db, QStringLiteral("handler.d"), QStringLiteral("handler"), QStringLiteral("hand-d-2026"), kDept));
    QVERIFY(addUser(db, QStringLiteral("handler.e"), QStringLiteral("handler"), QStringLiteral("hand-e-2026"),
                    QStringLiteral("11110105000000000E")));
    m_ops = login(m_hub.url(), QStringLiteral("ops.a"), QStringLiteral("ops-pass-2026"));
    m_admin = login(m_hub.url(), QStringLiteral("admin.a"), QStringLiteral("adm-pass-2026"));
    m_handler = login(m_hub.url(), QStringLiteral("handler.d"), QStringLiteral("hand-d-2026"));
    m_other = login(m_hub.url(), QStringLiteral("handler.e"), QStringLiteral("hand-e-2026"));
    QVERIFY(!m_ops.isEmpty() && !m_admin.isEmpty() && !m_handler.isEmpty() && !m_other.isEmpty());
}

qint64 TestGrievanceAppeals::openFile(const QString &projectNo)
{
    if (m_kiosk->rate(rating(projectNo, 1, nowCst(60), kDept)) != 2)
        return -1;
    for (const QJsonValue &v : console(m_hub.url(), m_ops, "GET", QStringLiteral("grievance/files")).json()
                                   .value(QLatin1String("files")).toArray())
        if (v.toObject().value(QLatin1String("projectNo")).toString() == projectNo)
            return v.toObject().value(QLatin1String("id")).toInteger();
    return -1;
}

Http TestGrievanceAppeals::fileAppeal(const QByteArray &cookie, qint64 fileId, const QString &reason)
{
    return console(m_hub.url(), cookie, "POST", QStringLiteral("grievance/files/%1/appeals").arg(fileId),
                   QJsonObject{{QStringLiteral("reason"), reason}});
}

Http TestGrievanceAppeals::attach(const QByteArray &cookie, qint64 appealId, const QByteArray &data, const QByteArray &name)
{
    return console(m_hub.url(), cookie, "POST", QStringLiteral("grievance/appeals/%1/attachments").arg(appealId), data,
                   {{"X-File-Name", QUrl::toPercentEncoding(QString::fromUtf8(name))}});
}

int TestGrievanceAppeals::reportedRatings()
{
    return console(m_hub.url(), m_ops, "GET", QStringLiteral("satisfaction")).json().value(QLatin1String("total")).toInt();
}

void TestGrievanceAppeals::appealByHandler_decidedNotAdoptedByCounty_ratingKeptExcludedAndQueuedUpstream()
{
    const qint64 id = openFile(QStringLiteral("A-MALICIOUS"));
    QVERIFY(id > 0);
    const int before = reportedRatings();
    QVERIFY(before >= 1);
    const int storedBefore = hubEvaluations(m_hub.url()).size();
    QCOMPARE(fileAppeal(m_other, id, QStringLiteral("不是本部门")).status, 404); // another department's handler
    const Http filed = fileAppeal(m_handler, id, QStringLiteral("评价人当日未到窗口办理，系恶意差评"));
    QCOMPARE(filed.status, 201);
    const qint64 appealId = filed.json().value(QLatin1String("id")).toInteger();
    QCOMPARE(filed.json().value(QLatin1String("state")).toString(), QStringLiteral("待复核"));
    QCOMPARE(attach(m_handler, appealId, kPng, "监控截图.png").status, 201);
    QCOMPARE(fileAppeal(m_handler, id, QStringLiteral("再次申诉")).status, 409); // one pending appeal at a time
    // The county's review queue shows it with its evidence; the handler's queue too.
    const QJsonArray queue = console(m_hub.url(), m_ops, "GET", QStringLiteral("grievance/appeals")).json()
                                 .value(QLatin1String("appeals")).toArray();
    QCOMPARE(queue.size(), 1);
    QCOMPARE(queue.at(0).toObject().value(QLatin1String("attachments")).toArray().size(), 1);
    QCOMPARE(console(m_hub.url(), m_other, "GET", QStringLiteral("grievance/appeals")).json()
                 .value(QLatin1String("appeals")).toArray().size(), 0);
    QCOMPARE(console(m_hub.url(), m_ops, "POST", QStringLiteral("grievance/appeals/%1/decision").arg(appealId),
                     QJsonObject{{QStringLiteral("decision"), QStringLiteral("不予采纳")}}).status, 400); // reason required
    const Http decided = console(m_hub.url(), m_ops, "POST", QStringLiteral("grievance/appeals/%1/decision").arg(appealId),
                                 QJsonObject{{QStringLiteral("decision"), QStringLiteral("不予采纳")},
                                             {QStringLiteral("reason"), QStringLiteral("监控证实当日无该群众办件")}});
    QCOMPARE(decided.status, 200);
    QCOMPARE(decided.json().value(QLatin1String("state")).toString(), QStringLiteral("不予采纳"));
    QCOMPARE(decided.json().value(QLatin1String("reviewer")).toString(), QStringLiteral("ops.a"));
    // A second decision is refused.
    QCOMPARE(console(m_hub.url(), m_admin, "POST", QStringLiteral("grievance/appeals/%1/decision").arg(appealId),
                     QJsonObject{{QStringLiteral("decision"), QStringLiteral("维持")}, {QStringLiteral("reason"), QStringLiteral("x")}})
                 .status,
             409);
    const QJsonObject file = console(m_hub.url(), m_ops, "GET", QStringLiteral("grievance/files/%1").arg(id)).json();
    QCOMPARE(file.value(QLatin1String("file")).toObject().value(QLatin1String("state")).toString(), QStringLiteral("不予采纳"));
    QVERIFY(file.value(QLatin1String("file")).toObject().value(QLatin1String("excluded")).toBool());
    QCOMPARE(file.value(QLatin1String("appeals")).toArray().size(), 1);
    // Stored still (never deleted), but out of the 通报.
    QCOMPARE(hubEvaluations(m_hub.url()).size(), storedBefore);
    QCOMPARE(reportedRatings(), before - 1);
    // No further workflow on a 不予采纳 file.
    QCOMPARE(console(m_hub.url(), m_handler, "POST", QStringLiteral("grievance/files/%1/verify").arg(id),
                     QJsonObject{{QStringLiteral("text"), QStringLiteral("x")}}).status,
             409);
    // Queued for the province as an appeal record.
    QJsonObject record;
    for (const QJsonValue &r : adminGet(m_hub.url(), QStringLiteral("/v1/admin/grievance-upstream")).value(QLatin1String("records")).toArray())
        if (r.toObject().value(QLatin1String("kind")).toString() == QLatin1String("appeal"))
            record = r.toObject();
    QCOMPARE(record.value(QLatin1String("state")).toString(), QStringLiteral("pending"));
    QCOMPARE(record.value(QLatin1String("record")).toObject().value(QLatin1String("projectNo")).toString(), QStringLiteral("A-MALICIOUS"));
    QCOMPARE(record.value(QLatin1String("record")).toObject().value(QLatin1String("decision")).toString(), QStringLiteral("不予采纳"));
}

void TestGrievanceAppeals::appealUpheld_fileContinues_ratingStillCounted()
{
    const qint64 id = openFile(QStringLiteral("A-UPHELD"));
    const int before = reportedRatings();
    const qint64 appealId = fileAppeal(m_handler, id, QStringLiteral("群众误评")).json().value(QLatin1String("id")).toInteger();
    const Http decided = console(m_hub.url(), m_admin, "POST", QStringLiteral("grievance/appeals/%1/decision").arg(appealId),
                                 QJsonObject{{QStringLiteral("decision"), QStringLiteral("维持")},
                                             {QStringLiteral("reason"), QStringLiteral("证据不足")}});
    QCOMPARE(decided.status, 200);
    QCOMPARE(reportedRatings(), before);
    QCOMPARE(console(m_hub.url(), m_handler, "POST", QStringLiteral("grievance/files/%1/verify").arg(id),
                     QJsonObject{{QStringLiteral("text"), QStringLiteral("继续核实")}}).status,
             200);
}

void TestGrievanceAppeals::reviewerIsAppellant_refused_handlerCannotDecide()
{
    const qint64 id = openFile(QStringLiteral("A-SELF"));
    const Http filed = fileAppeal(m_ops, id, QStringLiteral("县中心代部门申诉"));
    QCOMPARE(filed.status, 201);
    const qint64 appealId = filed.json().value(QLatin1String("id")).toInteger();
    const QJsonObject decision{{QStringLiteral("decision"), QStringLiteral("不予采纳")}, {QStringLiteral("reason"), QStringLiteral("自审")}};
    const Http self = console(m_hub.url(), m_ops, "POST", QStringLiteral("grievance/appeals/%1/decision").arg(appealId), decision);
    QCOMPARE(self.status, 409);
    QCOMPARE(self.json().value(QLatin1String("error")).toString(), QStringLiteral("reviewer_is_appellant"));
    QCOMPARE(console(m_hub.url(), m_handler, "POST", QStringLiteral("grievance/appeals/%1/decision").arg(appealId), decision).status, 403);
    QCOMPARE(console(m_hub.url(), m_admin, "POST", QStringLiteral("grievance/appeals/%1/decision").arg(appealId), decision).status, 200);
}

void TestGrievanceAppeals::attachments_tooLargeOrWrongType_refused_pdfJpegPngStored()
{
    const qint64 id = openFile(QStringLiteral("A-FILES"));
    const qint64 appealId = fileAppeal(m_handler, id, QStringLiteral("附件测试")).json().value(QLatin1String("id")).toInteger();
    QByteArray big = kPng;
    big.append(QByteArray(5 * 1024 * 1024 - big.size() + 1, 'x'));
    const Http tooLarge = attach(m_handler, appealId, big, "big.png");
    QCOMPARE(tooLarge.status, 413);
    QCOMPARE(tooLarge.json().value(QLatin1String("error")).toString(), QStringLiteral("too_large"));
    // The name says PDF, the bytes are a script / an executable: refused by the magic bytes.
    QCOMPARE(attach(m_handler, appealId, "#!/bin/sh\nrm -rf /\n", "证据.pdf").status, 415);
    QCOMPARE(attach(m_handler, appealId, QByteArray("MZ\x90\0", 4) + QByteArray(100, '\0'), "证据.jpg").status, 415);
    QCOMPARE(attach(m_handler, appealId, {}, "empty.png").status, 415);
    QCOMPARE(attach(m_other, appealId, kPng, "other.png").status, 404); // another department
    const Http pdf = attach(m_handler, appealId, "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n1 0 obj\n", "书面说明.pdf");
    QCOMPARE(pdf.status, 201);
    const QByteArray jpeg = QByteArray("\xFF\xD8\xFF\xE0\0\x10JFIF", 10) + QByteArray(32, 'j');
    const Http jpg = attach(m_handler, appealId, jpeg, "现场.jpg");
    QCOMPARE(jpg.status, 201);
    const QJsonArray list = jpg.json().value(QLatin1String("attachments")).toArray();
    QCOMPARE(list.size(), 2);
    QCOMPARE(list.at(0).toObject().value(QLatin1String("mime")).toString(), QStringLiteral("application/pdf"));
    QCOMPARE(list.at(1).toObject().value(QLatin1String("mime")).toString(), QStringLiteral("image/jpeg"));
    // Read back byte for byte, by the county; not by another department.
    const qint64 attachmentId = list.at(1).toObject().value(QLatin1String("id")).toInteger();
    const Http back = console(m_hub.url(), m_ops, "GET", QStringLiteral("grievance/attachments/%1").arg(attachmentId));
    QCOMPARE(back.status, 200);
    QCOMPARE(back.body, jpeg);
    QCOMPARE(back.header("X-Content-Type-Options"), QByteArray("nosniff"));
    QCOMPARE(console(m_hub.url(), m_other, "GET", QStringLiteral("grievance/attachments/%1").arg(attachmentId)).status, 404);
}

QTEST_GUILESS_MAIN(TestGrievanceAppeals)
#include "tst_grievanceappeals.moc"

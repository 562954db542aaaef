// SPDX-License-Identifier: Apache-2.0
// Evidence at ingest (PROTOCOL §18.9) at the real hcp-hub with its defaults (evaluation window 5
// working days) and a mock province behind the forwarder. Ratings go through the kiosks' own
// outbox and OutboxSender. Attacks: a second kiosk rates a service event another kiosk rated; root
// on an enrolled kiosk copies another kiosk's record (same uuid, level changed) into its own outbox
// so its sender signs it; a kiosk whose clock is 20 days behind rates a case whose window closed;
// a kiosk rates a case finished 20 days ago, and one with its clock an hour fast. Each is kept as evidence (the console lists it), refused to the kiosk, stored
// as no evaluation, opens no 差评 file, is not in the 通报 and never reaches the province; a
// rating in the window is still accepted, counted and forwarded.
#include "grievancesupport.h"
#include "hubclient.h"
#include "hubprocess.h"
#include "mockprovince.h"
#include "upstreamfixture.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace hcp::sync;
using namespace hcp::sync::test;
using namespace hcp::sync::test::grievance;
using namespace hcp::sync::hub::upstream;
using namespace hcp::sync::hub::upstream::test;

namespace {
constexpr qint64 kDayMs = 24 * 3600 * 1000;
const QString kDeptDup = QStringLiteral("11110105000000000E");
const QString kDeptCopy = QStringLiteral("11110105000000000G");
const QString kDeptWindow = QStringLiteral("11110105000000000H");
const QString kDeptNormal = QStringLiteral("11110105000000000J");
} // namespace

class TestRatingEvidence : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    // First: the sweep of default ratings (every 60 s) must not have rated the old cases yet.
    void kioskClockTwentyDaysBehind_rating_correctedByHeartbeatDrift_keptOutOfWindow_notStoredForwardedOrCounted();
    void caseFinishedTwentyDaysAgo_ratedNow_keptOutOfWindow_notStoredForwardedOrCounted();
    void kioskClockAnHourFast_rating_keptOutOfWindow();
    void secondRating_fromAnotherKiosk_keptAsEvidence_notCountedForwardedOrFiled();
    void rootOnKiosk_resignsCopyOfAnotherKiosksRecord_keptAsEvidence_originalStands();
    void ratingInWindow_accepted_counted_filed_forwarded();
    void evidenceList_viewerMasked_handlerAndAnonymousRefused();

private:
    // The console's evidence row of the record (empty when none).
    QJsonObject evidenceOf(const QString &deviceId, const QString &uuid, const QByteArray &cookie = {});
    bool hasFile(const QString &projectNo);
    QJsonObject reportOverall(const QString &dept);
    // A normal rating delivered to the province: everything queued before it was forwarded.
    void flushForwarder();
    void heartbeat(const DeviceCredentials &creds, qint64 kioskTimeMs);
    // The refused record: kept with kind and reason, not an evaluation, no file, not forwarded.
    void verifyKept(const QString &deviceId, const QString &uuid, const QString &projectNo, const QString &kind,
                    const QString &reason);

    QTemporaryDir m_dir;
    std::unique_ptr<MockProvince> m_province;
    HubProcess m_hub;
    DeviceCredentials m_creds[3];
    std::unique_ptr<Kiosk> m_kiosk[3];
    QByteArray m_ops, m_viewer, m_handler;
    int m_flushes = 0;
};

void TestRatingEvidence::initTestCase()
{
    const auto app = mockApp(ProvinceProfile::SignMode::Sm2Encrypt, ProvinceProfile::Cipher::Sm4);
    m_province = std::make_unique<MockProvince>(app, 7);
    const quint16 port = m_province->start();
    QVERIFY(port != 0);
    const QString profilePath = m_dir.filePath(QStringLiteral("province.json"));
    QFile f(profilePath);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QJsonDocument(profileJson(app, port)).toJson());
    f.close();
    const QString db = m_dir.filePath(QStringLiteral("hub.sqlite"));
    // No --default-rating-days: the county plan's 5 working days.
    QVERIFY2(m_hub.start(db, 0, {QStringLiteral("--upstream-profile"), profilePath}), qPrintable(m_hub.output()));
    for (int k = 0; k < 3; ++k) {
        m_creds[k] = enroll(m_hub.url(), QStringLiteral("kiosk-ev%1").arg(k + 1));
        QVERIFY(m_creds[k].isValid());
        m_kiosk[k] = std::make_unique<Kiosk>(m_dir.filePath(QStringLiteral("kiosk%1.sqlite").arg(k + 1)), m_creds[k]);
    }
    QVERIFY(addUser(db, QStringLiteral("ops.e"), QStringLiteral("maintainer"), QStringLiteral("ops-pass-2026")));
    QVERIFY(addUser(db, QStringLiteral("viewer.e"), QStringLiteral("viewer"), QStringLiteral("view-pass-2026")));
    QVERIFY(addUser(db, QStringLiteral("handler.e"), QStringLiteral("handler"), QStringLiteral("hand-e-2026"), kDeptDup));
    m_ops = login(m_hub.url(), QStringLiteral("ops.e"), QStringLiteral("ops-pass-2026"));
    m_viewer = login(m_hub.url(), QStringLiteral("viewer.e"), QStringLiteral("view-pass-2026"));
    m_handler = login(m_hub.url(), QStringLiteral("handler.e"), QStringLiteral("hand-e-2026"));
    QVERIFY(!m_ops.isEmpty() && !m_viewer.isEmpty() && !m_handler.isEmpty());
}

QJsonObject TestRatingEvidence::evidenceOf(const QString &deviceId, const QString &uuid, const QByteArray &cookie)
{
    const Http r = console(m_hub.url(), cookie.isEmpty() ? m_ops : cookie, "GET", QStringLiteral("evidence"));
    for (const QJsonValue &v : r.json().value(QLatin1String("evidence")).toArray())
        if (v.toObject().value(QLatin1String("deviceId")).toString() == deviceId
            && v.toObject().value(QLatin1String("uuid")).toString() == uuid)
            return v.toObject();
    return {};
}

bool TestRatingEvidence::hasFile(const QString &projectNo)
{
    for (const QJsonValue &v : console(m_hub.url(), m_ops, "GET", QStringLiteral("grievance/files")).json()
                                   .value(QLatin1String("files")).toArray())
        if (v.toObject().value(QLatin1String("projectNo")).toString() == projectNo)
            return true;
    return false;
}

QJsonObject TestRatingEvidence::reportOverall(const QString &dept)
{
    const Http r = console(m_hub.url(), m_ops, "GET",
                           QStringLiteral("grievance/report?period=custom&from=%1&to=%2&dept=%3")
                               .arg(todayCst(-40), todayCst(1), dept));
    return r.json().value(QLatin1String("overall")).toObject();
}

void TestRatingEvidence::flushForwarder()
{
    const QString projectNo = QStringLiteral("EV-FLUSH-%1").arg(++m_flushes, 4, 10, QLatin1Char('0'));
    QVERIFY(importCase(m_hub.url(), projectNo, nowCst(3600), kDeptNormal));
    QCOMPARE(m_kiosk[0]->rate(rating(projectNo, 5, nowCst(30), kDeptNormal)), 2);
    QTRY_VERIFY_WITH_TIMEOUT(m_province->stored().contains(projectNo + QStringLiteral("|1|1")), 20000);
}

void TestRatingEvidence::heartbeat(const DeviceCredentials &creds, qint64 kioskTimeMs)
{
    HubClient client;
    client.setCredentials(creds);
    HeartbeatInfo info;
    info.version = QStringLiteral("0.1.0");
    info.kioskTimeMs = kioskTimeMs;
    int status = -1;
    client.sendHeartbeat(info, [&](const HubReply &r) { status = r.status; });
    QTRY_VERIFY_WITH_TIMEOUT(status != -1, 10000);
    QCOMPARE(status, 200);
}

void TestRatingEvidence::verifyKept(const QString &deviceId, const QString &uuid, const QString &projectNo,
                                    const QString &kind, const QString &reason)
{
    const QJsonObject kept = evidenceOf(deviceId, uuid);
    QVERIFY2(!kept.isEmpty(), qPrintable(uuid));
    QCOMPARE(kept.value(QLatin1String("kind")).toString(), kind);
    QCOMPARE(kept.value(QLatin1String("projectNo")).toString(), projectNo);
    QCOMPARE(kept.value(QLatin1String("hallCode")).toString(), QLatin1String(kHall));
    QVERIFY2(kept.value(QLatin1String("reason")).toString().startsWith(reason + QLatin1Char(':')),
             qPrintable(kept.value(QLatin1String("reason")).toString()));
    QVERIFY(kept.value(QLatin1String("receivedAtMs")).toInteger() > QDateTime::currentMSecsSinceEpoch() - 120000);
    for (const QJsonValue &v : hubEvaluations(m_hub.url(), deviceId))
        QVERIFY2(v.toObject().value(QLatin1String("uuid")).toString() != uuid, "kept as an evaluation");
    flushForwarder();
    if (kind != QLatin1String("second_rating"))
        QVERIFY2(!m_province->stored().contains(projectNo + QStringLiteral("|1|1")), "forwarded to the province");
}

void TestRatingEvidence::kioskClockTwentyDaysBehind_rating_correctedByHeartbeatDrift_keptOutOfWindow_notStoredForwardedOrCounted()
{
    // The case was finished 20 days ago; the kiosk's clock says it is still that day, so on its
    // own clock the citizen rates an hour after the service. The heartbeat shows the drift.
    const QString projectNo = QStringLiteral("EV-CLOCK-0001");
    QVERIFY(importCase(m_hub.url(), projectNo, nowCst(20 * 86400 + 3600), kDeptWindow));
    heartbeat(m_creds[2], QDateTime::currentMSecsSinceEpoch() - 20 * kDayMs);
    QString why;
    QCOMPARE(m_kiosk[2]->rate(rating(projectNo, 1, nowCst(20 * 86400), kDeptWindow), &why), 3); // final
    verifyKept(m_creds[2].deviceId, m_kiosk[2]->lastUuid(), projectNo, QStringLiteral("out_of_window"),
               QStringLiteral("outside_window"));
    QVERIFY(evidenceOf(m_creds[2].deviceId, m_kiosk[2]->lastUuid()).value(QLatin1String("reason")).toString()
                .contains(QStringLiteral("终端时钟偏差")));
    QVERIFY(!hasFile(projectNo));
    const QJsonObject overall = reportOverall(kDeptWindow);
    QCOMPARE(overall.value(QLatin1String("ratings")).toInt(), 0);
    QCOMPARE(overall.value(QLatin1String("files")).toInt(), 0);
    heartbeat(m_creds[2], 0); // the clock fixed
}

void TestRatingEvidence::caseFinishedTwentyDaysAgo_ratedNow_keptOutOfWindow_notStoredForwardedOrCounted()
{
    const QString projectNo = QStringLiteral("EV-OLD-0001");
    QVERIFY(importCase(m_hub.url(), projectNo, nowCst(20 * 86400), kDeptWindow));
    QCOMPARE(m_kiosk[0]->rate(rating(projectNo, 2, nowCst(10), kDeptWindow)), 3);
    const QString uuid = m_kiosk[0]->lastUuid();
    verifyKept(m_creds[0].deviceId, uuid, projectNo, QStringLiteral("out_of_window"), QStringLiteral("outside_window"));
    QVERIFY(evidenceOf(m_creds[0].deviceId, uuid).value(QLatin1String("reason")).toString().contains(QStringLiteral("评价期限")));
    QVERIFY(!hasFile(projectNo));
    QCOMPARE(reportOverall(kDeptWindow).value(QLatin1String("ratings")).toInt(), 0);
}

void TestRatingEvidence::kioskClockAnHourFast_rating_keptOutOfWindow()
{
    const QString projectNo = QStringLiteral("EV-FAST-0001");
    QVERIFY(importCase(m_hub.url(), projectNo, nowCst(7200), kDeptWindow));
    QCOMPARE(m_kiosk[1]->rate(rating(projectNo, 1, nowCst(-3600), kDeptWindow)), 3);
    verifyKept(m_creds[1].deviceId, m_kiosk[1]->lastUuid(), projectNo, QStringLiteral("out_of_window"),
               QStringLiteral("outside_window"));
    QVERIFY(!hasFile(projectNo));
    QCOMPARE(reportOverall(kDeptWindow).value(QLatin1String("ratings")).toInt(), 0);
}

void TestRatingEvidence::secondRating_fromAnotherKiosk_keptAsEvidence_notCountedForwardedOrFiled()
{
    const QString projectNo = QStringLiteral("EV-DUP-0001");
    QVERIFY(importCase(m_hub.url(), projectNo, nowCst(3600), kDeptDup));
    QCOMPARE(m_kiosk[0]->rate(rating(projectNo, 5, nowCst(120), kDeptDup)), 2);
    const QString key = projectNo + QStringLiteral("|1|1");
    QTRY_VERIFY_WITH_TIMEOUT(m_province->stored().contains(key), 20000);
    const int storedBefore = m_province->stats().recordsStored;

    // Another kiosk in the same hall: a 差评 of the same service event.
    QString why;
    QCOMPARE(m_kiosk[1]->rate(rating(projectNo, 1, nowCst(30), kDeptDup), &why), 3);
    verifyKept(m_creds[1].deviceId, m_kiosk[1]->lastUuid(), projectNo, QStringLiteral("second_rating"),
               QStringLiteral("already_rated"));
    QVERIFY(!hasFile(projectNo));
    const QJsonObject overall = reportOverall(kDeptDup);
    QCOMPARE(overall.value(QLatin1String("ratings")).toInt(), 1);
    QCOMPARE(overall.value(QLatin1String("bad")).toInt(), 0);
    QCOMPARE(overall.value(QLatin1String("files")).toInt(), 0);
    // The province holds the first rating only: one more record (the flush), no second send.
    QCOMPARE(m_province->stored().value(key).value(QLatin1String("satisfaction")).toVariant().toInt(), 5);
    QCOMPARE(m_province->stats().recordsStored, storedBefore + 1);
    QCOMPARE(m_province->stats().duplicateAnswers, 0);
}

void TestRatingEvidence::rootOnKiosk_resignsCopyOfAnotherKiosksRecord_keptAsEvidence_originalStands()
{
    const QString projectNo = QStringLiteral("EV-COPY-0001");
    QVERIFY(importCase(m_hub.url(), projectNo, nowCst(3600), kDeptCopy));
    QJsonObject original = rating(projectNo, 1, nowCst(120), kDeptCopy);
    QCOMPARE(m_kiosk[0]->rate(original), 2);
    const QString uuid = m_kiosk[0]->lastUuid();
    QTRY_VERIFY(hasFile(projectNo));

    // Root on kiosk 2 copies kiosk 1's record, uuid included, turns the 差评 into 非常满意 and
    // puts it in its own outbox: its sender signs the copy with kiosk 2's credentials.
    QJsonObject copy = original;
    copy.insert(QStringLiteral("uuid"), uuid);
    copy.insert(QStringLiteral("satisfaction"), 5);
    copy.insert(QStringLiteral("evalDetail"), QString());
    copy.insert(QStringLiteral("writingEvaluation"), QString());
    QCOMPARE(m_kiosk[1]->rate(copy), 3);
    QCOMPARE(m_kiosk[1]->lastUuid(), uuid);
    verifyKept(m_creds[1].deviceId, uuid, projectNo, QStringLiteral("second_rating"), QStringLiteral("already_rated"));
    const QJsonObject overall = reportOverall(kDeptCopy);
    QCOMPARE(overall.value(QLatin1String("ratings")).toInt(), 1);
    QCOMPARE(overall.value(QLatin1String("bad")).toInt(), 1);
    QCOMPARE(overall.value(QLatin1String("good")).toInt(), 0);
    QCOMPARE(overall.value(QLatin1String("files")).toInt(), 1);
    QCOMPARE(m_province->stored().value(projectNo + QStringLiteral("|1|1")).value(QLatin1String("satisfaction"))
                 .toVariant().toInt(), 1);
    QCOMPARE(m_province->stats().duplicateAnswers, 0);
}

void TestRatingEvidence::ratingInWindow_accepted_counted_filed_forwarded()
{
    const QString projectNo = QStringLiteral("EV-OK-0001");
    QVERIFY(importCase(m_hub.url(), projectNo, nowCst(2 * 3600), kDeptNormal));
    const int before = reportOverall(kDeptNormal).value(QLatin1String("ratings")).toInt();
    QCOMPARE(m_kiosk[1]->rate(rating(projectNo, 2, nowCst(60), kDeptNormal)), 2);
    QVERIFY(evidenceOf(m_creds[1].deviceId, m_kiosk[1]->lastUuid()).isEmpty());
    QVERIFY(hasFile(projectNo));
    const QJsonObject overall = reportOverall(kDeptNormal);
    QCOMPARE(overall.value(QLatin1String("ratings")).toInt(), before + 1);
    QCOMPARE(overall.value(QLatin1String("bad")).toInt(), 1);
    QTRY_VERIFY_WITH_TIMEOUT(m_province->stored().contains(projectNo + QStringLiteral("|1|1")), 20000);
}

void TestRatingEvidence::evidenceList_viewerMasked_handlerAndAnonymousRefused()
{
    const QString projectNo = QStringLiteral("EV-DUP-0001");
    const Http all = console(m_hub.url(), m_ops, "GET", QStringLiteral("evidence?kind=second_rating"));
    QCOMPARE(all.status, 200);
    const QJsonArray rows = all.json().value(QLatin1String("evidence")).toArray();
    QCOMPARE(rows.size(), 2); // the other kiosk's 差评 and the re-signed copy
    for (const QJsonValue &v : rows)
        QCOMPARE(v.toObject().value(QLatin1String("kind")).toString(), QStringLiteral("second_rating"));
    const Http viewer = console(m_hub.url(), m_viewer, "GET", QStringLiteral("evidence"));
    QCOMPARE(viewer.status, 200);
    const QJsonArray seen = viewer.json().value(QLatin1String("evidence")).toArray();
    QVERIFY(seen.size() >= 5);
    for (const QJsonValue &v : seen)
        QVERIFY2(v.toObject().value(QLatin1String("projectNo")).toString().contains(QLatin1Char('*')),
                 qPrintable(v.toObject().value(QLatin1String("projectNo")).toString()));
    for (const char *full : {"EV-DUP-0001", "EV-COPY-0001", "EV-OLD-0001", "EV-CLOCK-0001", "EV-FAST-0001"})
        QVERIFY2(!viewer.body.contains(full), full);
    QVERIFY(console(m_hub.url(), m_ops, "GET", QStringLiteral("evidence")).body.contains(projectNo.toUtf8()));
    QCOMPARE(console(m_hub.url(), m_handler, "GET", QStringLiteral("evidence")).status, 403);
    QCOMPARE(console(m_hub.url(), m_ops, "GET", QStringLiteral("evidence?kind=conflict")).status, 400);
    QCOMPARE(http(m_hub.url().resolved(QUrl(QStringLiteral("/console/api/evidence"))), "GET").status, 401);
}

QTEST_GUILESS_MAIN(TestRatingEvidence)
#include "tst_ratingevidence.moc"

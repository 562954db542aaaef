// SPDX-License-Identifier: Apache-2.0
// The real hcp-hub with --upstream-profile against the mock province: evaluations uploaded by a
// kiosk reach the province with the case's data joined in and the ID number decrypted with the
// hub's key; the hub is killed (SIGKILL) while forwarding and restarted; every evaluation is
// stored at the province exactly once and the admin API reports them delivered.
#include "hubprocess.h"
#include "mockprovince.h"
#include "pgserver.h"
#include "upstreamfixture.h"
#include "wire.h"

#include "hubclient.h"

#include <QDateTime>
#include <QFile>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace hcp::sync;
using namespace hcp::sync::hub::upstream;
using namespace hcp::sync::hub::upstream::test;

class TestHubUpstream : public QObject
{
    Q_OBJECT

private:
    static int upload(const QUrl &hubUrl, const DeviceCredentials &creds, const QJsonArray &evaluations)
    {
        const QByteArray body = QJsonDocument(QJsonObject{{QStringLiteral("evaluations"), evaluations}})
                                    .toJson(QJsonDocument::Compact);
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        const QByteArray target = "/v1/evaluations/batch";
        return hcp::sync::test::httpRequest(
            hubUrl.resolved(QUrl(QString::fromLatin1(target))), "POST", body, nullptr,
            {{"Content-Type", "application/json"},
             {"X-HCP-Device", creds.deviceId.toUtf8()},
             {"X-HCP-Time", QByteArray::number(now)},
             {"X-HCP-Signature", wire::requestSignature(creds.secret, "POST", target, now, body)}});
    }
    static QJsonObject counts(const QUrl &hubUrl)
    {
        return hcp::sync::test::adminGet(hubUrl, QStringLiteral("/v1/admin/upstream?deadLimit=10"))
            .value(QLatin1String("counts")).toObject();
    }

    static QString writeProfile(const QTemporaryDir &dir, const QJsonObject &profile)
    {
        const QString path = dir.filePath(QStringLiteral("province.json"));
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly))
            return {};
        f.write(QJsonDocument(profile).toJson());
        return path;
    }
    // Cases for the evaluations (the province needs taskName, which comes from the case) and
    // the evaluations themselves, uploaded as the kiosk does.
    static bool importAndUpload(const QUrl &hubUrl, const DeviceCredentials &creds, const QJsonArray &evaluations)
    {
        QJsonArray cases;
        for (const QJsonValue &e : evaluations)
            cases.append(caseObject(e.toObject().value(QLatin1String("projectNo")).toString(), 1));
        QJsonObject imported;
        if (hcp::sync::test::adminSend(hubUrl, "POST", QStringLiteral("/v1/admin/cases"),
                                       QJsonObject{{QStringLiteral("cases"), cases}}, &imported) != 200
            || imported.value(QLatin1String("imported")).toInt() != evaluations.size())
            return false;
        for (qsizetype i = 0; i < evaluations.size(); i += 500) {
            QJsonArray batch;
            for (qsizetype j = i; j < qMin(evaluations.size(), i + 500); ++j)
                batch.append(evaluations.at(j));
            if (upload(hubUrl, creds, batch) != 200)
                return false;
        }
        return true;
    }

private slots:
    // 整改反馈 pulled from the province are what kiosks read at GET /v1/rectifications.
    void provinceRectifications_pulled_servedToKiosks()
    {
        const auto app = mockApp(ProvinceProfile::SignMode::Sm2Encrypt, ProvinceProfile::Cipher::Sm4);
        MockProvince province(app, 11);
        const quint16 provincePort = province.start();
        QVERIFY(provincePort != 0);
        province.setRectifications(QJsonArray{
            QJsonObject{{QStringLiteral("projectNo"), QStringLiteral("110105202611280031")},
                        {QStringLiteral("serviceNumber"), 1}, {QStringLiteral("assessNumber"), 1},
                        {QStringLiteral("rectifyStatus"), QStringLiteral("2")},
                        {QStringLiteral("reformContent"), QStringLiteral("已增设周末窗口。")},
                        {QStringLiteral("reformDept"), QStringLiteral("示例县政务服务中心")},
                        {QStringLiteral("reformDate"), QStringLiteral("2026-11-28 16:20:00")}},
            QJsonObject{{QStringLiteral("projectNo"), QStringLiteral("110105202611280032")},
                        {QStringLiteral("serviceNumber"), 1}, {QStringLiteral("assessNumber"), 1},
                        {QStringLiteral("rectifyStatus"), QStringLiteral("1")},
                        {QStringLiteral("reformDate"), QStringLiteral("2026-11-28 17:00:00")}}});
        QTemporaryDir dir;
        QJsonObject profile = profileJson(app, provincePort);
        profile.insert(QStringLiteral("pullIntervalS"), 0);
        const QString profilePath = writeProfile(dir, profile);
        hcp::sync::test::HubProcess hub;
        QVERIFY2(hub.start(dir.filePath(QStringLiteral("hub.sqlite")), 0, {QStringLiteral("--upstream-profile"), profilePath}),
                 qPrintable(hub.output()));
        const DeviceCredentials creds = hcp::sync::test::enroll(hub.url(), QStringLiteral("KIOSK-110105-0031"));
        QVERIFY(creds.isValid());
        QCOMPARE(hcp::sync::test::adminSend(hub.url(), "POST", QStringLiteral("/v1/admin/upstream"),
                                            QJsonObject{{QStringLiteral("pull"), true}}),
                 202);
        HubClient client;
        client.setCredentials(creds);
        auto items = [&client](const QString &projectNo) {
            QJsonArray out;
            bool done = false;
            client.fetchRectifications(projectNo, [&](const HubReply &r) {
                out = r.json().value(QLatin1String("items")).toArray();
                done = true;
            });
            static_cast<void>(QTest::qWaitFor([&] { return done; }, 5000)); // an empty list fails the QTRY below
            return out;
        };
        QTRY_COMPARE_WITH_TIMEOUT(items(QStringLiteral("110105202611280031")).size(), 1, 10000);
        const QJsonObject done = items(QStringLiteral("110105202611280031")).at(0).toObject();
        QCOMPARE(done.value(QLatin1String("status")).toString(), QStringLiteral("done"));
        QCOMPARE(done.value(QLatin1String("reply")).toString(), QStringLiteral("已增设周末窗口。"));
        QCOMPARE(done.value(QLatin1String("replyDept")).toString(), QStringLiteral("示例县政务服务中心"));
        QCOMPARE(QDateTime::fromString(done.value(QLatin1String("replyTime")).toString(), Qt::ISODate).toSecsSinceEpoch(),
                 QDateTime::fromString(QStringLiteral("2026-11-28T16:20:00+08:00"), Qt::ISODate).toSecsSinceEpoch());
        const QJsonArray inProgress = items(QStringLiteral("110105202611280032"));
        QCOMPARE(inProgress.size(), 1);
        QCOMPARE(inProgress.at(0)[QLatin1String("status")].toString(), QStringLiteral("in_progress"));
    }

    void hubWithProfile_killedWhileForwarding_deliversEveryEvaluationOnceWithCaseAndCertKey()
    {
        constexpr int kEvaluations = 1500;
        const auto app = mockApp(ProvinceProfile::SignMode::Sm2Encrypt, ProvinceProfile::Cipher::Sm4);
        MockProvince province(app, 7);
        const quint16 provincePort = province.start();
        QVERIFY(provincePort != 0);
        province.setFaults(10, 10, 0, 0);
        province.setNorms(QJsonObject{
            {QStringLiteral("evaVersion"), QStringLiteral("2026.2")},
            {QStringLiteral("norms"), QJsonArray{QJsonObject{{QStringLiteral("normCode"), QStringLiteral("501")},
                                                             {QStringLiteral("normName"), QStringLiteral("窗口服务态度差")},
                                                             {QStringLiteral("levels"), QStringLiteral("1,2")}}}}});
        province.setRectifications(QJsonArray{QJsonObject{
            {QStringLiteral("projectNo"), QStringLiteral("110105202611200001")}, {QStringLiteral("serviceNumber"), 1},
            {QStringLiteral("assessNumber"), 1}, {QStringLiteral("rectifyStatus"), QStringLiteral("2")},
            {QStringLiteral("reformContent"), QStringLiteral("已电话回访并致歉")},
            {QStringLiteral("reformDept"), QStringLiteral("朝阳区政务服务中心")},
            {QStringLiteral("reformDate"), QStringLiteral("2026-11-29 10:00:00")}}});

        QTemporaryDir dir;
        QJsonObject profile = profileJson(app, provincePort);
        profile.insert(QStringLiteral("batchSize"), 100);
        profile.insert(QStringLiteral("timeoutMs"), 3000);
        profile.insert(QStringLiteral("leaseMs"), 2000);
        profile.insert(QStringLiteral("backoffBaseMs"), 10);
        profile.insert(QStringLiteral("backoffCapMs"), 200);
        profile.insert(QStringLiteral("pullIntervalS"), 3600); // one pull at start
        const QString profilePath = writeProfile(dir, profile);
        QVERIFY(!profilePath.isEmpty());

        hcp::sync::test::HubProcess hub;
        QVERIFY2(hub.start(dir.filePath(QStringLiteral("hub.sqlite")), 0,
                           {QStringLiteral("--upstream-profile"), profilePath}),
                 qPrintable(hub.output()));
        const DeviceCredentials creds = hcp::sync::test::enroll(hub.url(), QStringLiteral("KIOSK-110105-0009"));
        QVERIFY(creds.isValid());
        const hcp::trust::Key hubKey = hcp::trust::Key::fromPem(creds.hubPublicKey);
        QVERIFY(!hubKey.isNull());

        QJsonArray evaluations;
        for (int seq = 1; seq <= kEvaluations; ++seq) {
            QJsonObject e = hcp::sync::test::makeEvaluation(seq, hcp::sync::test::uuidFor(QStringLiteral("up"), seq), seq % 5 + 1);
            if (seq % 5 + 1 <= 2)
                e.insert(QStringLiteral("writingEvaluation"), QStringLiteral("窗口无人"));
            if (seq == 1) // identified by ID card: the number travels encrypted for the hub
                e.insert(QStringLiteral("certKeyEnc"),
                         QString::fromLatin1(hcp::trust::Crypto::sm2Encrypt(hubKey, "11010519491231002X")->toBase64()));
            evaluations.append(e);
        }
        QVERIFY(importAndUpload(hub.url(), creds, evaluations));

        QTRY_VERIFY_WITH_TIMEOUT(counts(hub.url()).value(QLatin1String("delivered")).toInt() >= 300, 20000);
        hub.kill();
        const int storedAtKill = province.stats().recordsStored;
        QVERIFY2(hub.restart(), qPrintable(hub.output()));
        QTRY_COMPARE_WITH_TIMEOUT(counts(hub.url()).value(QLatin1String("delivered")).toInt(), kEvaluations, 40000);

        const QJsonObject c = counts(hub.url());
        const MockProvince::Stats s = province.stats();
        qInfo().noquote() << QStringLiteral("hub upstream run: stored at kill %1; calls %2 (503 %3, 500 after storing %4); "
                                            "stored %5, duplicate answers %6; delivered %7, dead %8")
                                 .arg(storedAtKill).arg(s.calls).arg(s.injected503).arg(s.injected500AfterStore)
                                 .arg(s.recordsStored).arg(s.duplicateAnswers)
                                 .arg(c.value(QLatin1String("delivered")).toInt()).arg(c.value(QLatin1String("dead")).toInt());
        QCOMPARE(c.value(QLatin1String("dead")).toInt(), 0);
        QCOMPARE(s.recordsStored, kEvaluations);
        // The pulls went through hcp-hub's wiring: the indicator set into the default
        // configuration, the rectification into the RectificationStore (the cursor moves only
        // once every item is stored).
        auto pullState = [&] {
            return hcp::sync::test::adminGet(hub.url(), QStringLiteral("/v1/admin/upstream"))
                .value(QLatin1String("pull")).toObject();
        };
        QTRY_VERIFY_WITH_TIMEOUT(pullState().value(QLatin1String("lastPullAtMs")).toInteger() > 0, 10000);
        const QJsonObject pull = pullState();
        QCOMPARE(pull.value(QLatin1String("error")).toString(), QString());
        QCOMPARE(pull.value(QLatin1String("indicatorVersion")).toString(), QStringLiteral("2026.2"));
        QCOMPARE(pull.value(QLatin1String("rectificationCursor")).toString(), QStringLiteral("1"));
        const auto stored = province.stored();
        QCOMPARE(stored.size(), kEvaluations);
        const QJsonObject first = stored.value(evaluations.at(0).toObject().value(QLatin1String("projectNo")).toString()
                                              + QStringLiteral("|1|1"));
        QCOMPARE(first.value(QLatin1String("certKeyGOV")).toString(), QStringLiteral("11010519491231002X"));
        QCOMPARE(first.value(QLatin1String("userName")).toString(), QStringLiteral("李华")); // from the case
        QCOMPARE(first.value(QLatin1String("taskName")).toString(), QStringLiteral("居民身份证换领"));
        const QJsonObject second = stored.value(evaluations.at(1).toObject().value(QLatin1String("projectNo")).toString()
                                               + QStringLiteral("|1|1"));
        QVERIFY(!second.contains(QLatin1String("certKeyGOV")));
    }

    void twoHubsOnOnePostgres_bothForwarding_eachEvaluationSentOnce()
    {
        // No injected faults and a long lease: any duplicate answer would mean two hubs sent the
        // same claimed row.
        constexpr int kEvaluations = 2000;
        QTemporaryDir dir;
        hcp::sync::test::PgServer pg;
        QString error;
        QVERIFY2(pg.start(dir.path(), &error), qPrintable(error));
        const auto app = mockApp(ProvinceProfile::SignMode::Sm2Encrypt, ProvinceProfile::Cipher::Sm4);
        MockProvince province(app, 11);
        const quint16 provincePort = province.start();
        QVERIFY(provincePort != 0);
        province.setDelayMs(20); // keeps both hubs' requests overlapping
        QJsonObject profile = profileJson(app, provincePort);
        profile.insert(QStringLiteral("batchSize"), 50);
        profile.insert(QStringLiteral("pollIntervalMs"), 20);
        profile.insert(QStringLiteral("leaseMs"), 60000);
        const QString profilePath = writeProfile(dir, profile);
        QVERIFY(!profilePath.isEmpty());
        const QStringList args{QStringLiteral("--upstream-profile"), profilePath, QStringLiteral("--identity"),
                               dir.filePath(QStringLiteral("hub-identity.pem"))};
        hcp::sync::test::HubProcess hub1;
        hcp::sync::test::HubProcess hub2;
        QVERIFY2(hub1.start(pg.spec(), 0, args), qPrintable(hub1.output()));
        QVERIFY2(hub2.start(pg.spec(), 0, args), qPrintable(hub2.output()));
        const DeviceCredentials creds = hcp::sync::test::enroll(hub1.url(), QStringLiteral("KIOSK-PG-UP-0001"));
        QVERIFY(creds.isValid());
        QJsonArray evaluations;
        for (int seq = 1; seq <= kEvaluations; ++seq)
            evaluations.append(hcp::sync::test::makeEvaluation(seq, hcp::sync::test::uuidFor(QStringLiteral("pg-up"), seq)));
        QVERIFY(importAndUpload(hub2.url(), creds, evaluations));

        QTRY_COMPARE_WITH_TIMEOUT(counts(hub1.url()).value(QLatin1String("delivered")).toInt(), kEvaluations, 40000);
        const MockProvince::Stats s = province.stats();
        qInfo().noquote() << QStringLiteral("two hubs on PostgreSQL: calls %1, stored %2, duplicate answers %3")
                                 .arg(s.calls).arg(s.recordsStored).arg(s.duplicateAnswers);
        QCOMPARE(s.recordsStored, kEvaluations);
        QCOMPARE(s.duplicateAnswers, 0);
        QCOMPARE(counts(hub2.url()).value(QLatin1String("delivered")).toInt(), kEvaluations);
        hub1.kill();
        hub2.kill();
    }
};

QTEST_GUILESS_MAIN(TestHubUpstream)
#include "tst_hubupstream.moc"

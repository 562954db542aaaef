// SPDX-License-Identifier: Apache-2.0
// The real hcp-hub with --upstream-profile against the mock province: evaluations uploaded by a
// kiosk reach the province with the case's data joined in and the ID number decrypted with the
// hub's key; the hub is killed (SIGKILL) while forwarding and restarted; every evaluation is
// stored at the province exactly once and the admin API reports them delivered.
#include "hubprocess.h"
#include "mockprovince.h"
#include "upstreamfixture.h"
#include "wire.h"

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

private slots:
    void hubWithProfile_killedWhileForwarding_deliversEveryEvaluationOnceWithCaseAndCertKey()
    {
        constexpr int kEvaluations = 1500;
        const auto app = mockApp(ProvinceProfile::SignMode::Sm2Encrypt, ProvinceProfile::Cipher::Sm4);
        MockProvince province(app, 7);
        const quint16 provincePort = province.start();
        QVERIFY(provincePort != 0);
        province.setFaults(10, 10, 0, 0);

        QTemporaryDir dir;
        QJsonObject profile = profileJson(app, provincePort);
        profile.insert(QStringLiteral("batchSize"), 100);
        profile.insert(QStringLiteral("timeoutMs"), 3000);
        profile.insert(QStringLiteral("leaseMs"), 2000);
        profile.insert(QStringLiteral("backoffBaseMs"), 10);
        profile.insert(QStringLiteral("backoffCapMs"), 200);
        const QString profilePath = dir.filePath(QStringLiteral("province.json"));
        QFile f(profilePath);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QJsonDocument(profile).toJson());
        f.close();

        hcp::sync::test::HubProcess hub;
        QVERIFY2(hub.start(dir.filePath(QStringLiteral("hub.sqlite")), 0,
                           {QStringLiteral("--upstream-profile"), profilePath}),
                 qPrintable(hub.output()));
        const DeviceCredentials creds = hcp::sync::test::enroll(hub.url(), QStringLiteral("KIOSK-110105-0009"));
        QVERIFY(creds.isValid());
        const hcp::trust::Key hubKey = hcp::trust::Key::fromPem(creds.hubPublicKey);
        QVERIFY(!hubKey.isNull());

        QJsonArray cases;
        QJsonArray evaluations;
        for (int seq = 1; seq <= kEvaluations; ++seq) {
            QJsonObject e = hcp::sync::test::makeEvaluation(seq, hcp::sync::test::uuidFor(QStringLiteral("up"), seq), seq % 5 + 1);
            if (seq % 5 + 1 <= 2)
                e.insert(QStringLiteral("writingEvaluation"), QStringLiteral("窗口无人"));
            if (seq == 1) // identified by ID card: the number travels encrypted for the hub
                e.insert(QStringLiteral("certKeyEnc"),
                         QString::fromLatin1(hcp::trust::Crypto::sm2Encrypt(hubKey, "11010519491231002X")->toBase64()));
            cases.append(caseObject(e.value(QLatin1String("projectNo")).toString(), 1));
            evaluations.append(e);
        }
        QJsonObject imported;
        QCOMPARE(hcp::sync::test::adminSend(hub.url(), "POST", QStringLiteral("/v1/admin/cases"),
                                            QJsonObject{{QStringLiteral("cases"), cases}}, &imported), 200);
        QCOMPARE(imported.value(QLatin1String("imported")).toInt(), kEvaluations);
        for (int i = 0; i < kEvaluations; i += 500) {
            QJsonArray batch;
            for (int j = i; j < i + 500; ++j)
                batch.append(evaluations.at(j));
            QCOMPARE(upload(hub.url(), creds, batch), 200);
        }

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
};

QTEST_GUILESS_MAIN(TestHubUpstream)
#include "tst_hubupstream.moc"

// SPDX-License-Identifier: Apache-2.0
// Fault test of the hub's forwarding (sync/UPSTREAM.md §5): 10,000 evaluations go to a mock
// province that fails 30 % of the evaluate calls (10 % 503 before processing, 10 % 500 after
// storing, 10 % answered after the hub stopped waiting), is restarted twice, while the hub's
// forwarder is itself killed and recreated once mid-request. Every evaluation must end up stored
// at the province exactly once with the mapped content, and delivered in the hub's outbox.
#include "mockprovince.h"
#include "upstreamfixture.h"
#include "upstreammapper.h"
#include "upstreamservice.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

using namespace hcp::sync::hub;
using namespace hcp::sync::hub::upstream;
using namespace hcp::sync::hub::upstream::test;

class TestUpstreamFault : public QObject
{
    Q_OBJECT

private slots:
    void tenThousandEvaluations_thirtyPercentFailuresAndRestarts_allDeliveredExactlyOnce()
    {
        constexpr int kEvaluations = 10000;
        constexpr int kServicesPerCase = 100;
        const quint32 seed = QRandomGenerator::global()->generate();
        qInfo() << "seed" << seed;
        const auto app = mockApp(ProvinceProfile::SignMode::Sm2Encrypt, ProvinceProfile::Cipher::Sm4);
        MockProvince province(app, seed);
        const quint16 port = province.start();
        QVERIFY(port != 0);
        constexpr int kTimeoutMs = 1000; // far above a loaded CI machine's answer time for 200 records
        province.setFaults(10, 10, 10, kTimeoutMs + 100);

        HubFixture hub;
        QVERIFY(hub.open());
        QJsonArray cases;
        QJsonArray evaluations;
        for (int i = 0; i < kEvaluations; ++i) {
            const QString projectNo = projectNoOf(i / kServicesPerCase);
            const int service = i % kServicesPerCase + 1;
            if (i % 7 != 0) // some evaluations rate cases the hub never imported
                cases.append(caseObject(projectNo, service));
            evaluations.append(evaluationObject(i + 1, projectNo, service, i % 5 + 1));
        }
        QVERIFY(hub.importCases(cases));
        QVERIFY(hub.ingest(evaluations));

        QJsonObject json = profileJson(app, port);
        json.insert(QStringLiteral("timeoutMs"), kTimeoutMs);
        json.insert(QStringLiteral("batchSize"), 200);
        json.insert(QStringLiteral("backoffBaseMs"), 5);
        json.insert(QStringLiteral("backoffCapMs"), 100);
        json.insert(QStringLiteral("pollIntervalMs"), 20);
        json.insert(QStringLiteral("leaseMs"), 1500);
        const ProvinceProfile profile = *ProvinceProfile::fromJson(json, QString(), nullptr);

        QElapsedTimer clock;
        clock.start();
        // Progress from the forwarders' own reports (the outbox counts scan the table: too dear
        // to poll on the forwarder's thread); the outbox is the judge at the end.
        int deliveredReported = 0;
        auto startForwarder = [&] {
            auto s = std::make_unique<UpstreamService>(hub.store.get(), profile);
            connect(s.get(), &UpstreamService::batchFinished, this,
                    [&deliveredReported](int delivered, int, int) { deliveredReported += delivered; });
            s->start();
            return s;
        };
        auto service = startForwarder();
        auto delivered = [&] { return deliveredReported; };
        bool forwarderRestarted = false;
        int provinceRestarts = 0;
        const int milestones[] = {3000, 6000};
        while (delivered() < kEvaluations && clock.elapsed() < 50000) {
            QTest::qWait(50);
            const int done = delivered();
            if (provinceRestarts < 2 && done >= milestones[provinceRestarts]) {
                QVERIFY(province.restart(300));
                ++provinceRestarts;
            }
            if (!forwarderRestarted && done >= 4500) {
                // The hub process dies with a request on the wire: its rows stay 'sending' until
                // the lease hands them to the new forwarder.
                QTRY_VERIFY_WITH_TIMEOUT(service->status(0).value(QLatin1String("counts")).toObject()
                                             .value(QLatin1String("sending")).toInt() > 0, 5000);
                service.reset();
                service = startForwarder();
                forwarderRestarted = true;
            }
        }
        // Reports come after the rows are committed; the outbox must agree within moments.
        QTRY_COMPARE_WITH_TIMEOUT(service->status(0).value(QLatin1String("counts")).toObject()
                                      .value(QLatin1String("delivered")).toInt(), kEvaluations, 5000);
        const qint64 elapsed = clock.elapsed();
        const QJsonObject counts = service->status(0).value(QLatin1String("counts")).toObject();
        service->stop();
        const MockProvince::Stats s = province.stats();
        qInfo().noquote() << QStringLiteral(
            "upstream fault run: %1 evaluations in %2 ms; province calls %3 (503 before processing %4, "
            "500 after storing %5, late answers %6, bad signatures %7), restarts %8 + forwarder 1; "
            "stored %9, duplicate answers %10, rejected %11; outbox delivered %12 (as duplicate %13), "
            "dead %14, pending %15, sending %16")
                                 .arg(kEvaluations).arg(elapsed).arg(s.calls).arg(s.injected503)
                                 .arg(s.injected500AfterStore).arg(s.injectedLateAnswer).arg(s.badSignature)
                                 .arg(s.restarts).arg(s.recordsStored).arg(s.duplicateAnswers).arg(s.rejected)
                                 .arg(counts.value(QLatin1String("delivered")).toInt())
                                 .arg(counts.value(QLatin1String("deliveredAsDuplicate")).toInt())
                                 .arg(counts.value(QLatin1String("dead")).toInt())
                                 .arg(counts.value(QLatin1String("pending")).toInt())
                                 .arg(counts.value(QLatin1String("sending")).toInt());

        QCOMPARE(counts.value(QLatin1String("delivered")).toInt(), kEvaluations);
        QCOMPARE(counts.value(QLatin1String("dead")).toInt(), 0);
        QCOMPARE(s.restarts, 2);
        QVERIFY(forwarderRestarted);
        QVERIFY2(s.injected503 + s.injected500AfterStore + s.injectedLateAnswer > 0, "no fault was injected");
        QCOMPARE(s.badSignature, 0);
        QCOMPARE(s.rejected, 0);
        // Exactly once at the province: one stored record per evaluation, none stored twice
        // (the mock answers a second copy "本次服务已存在评价" instead of storing it) ...
        QCOMPARE(s.recordsStored, kEvaluations);
        const QHash<QString, QJsonObject> stored = province.stored();
        QCOMPARE(stored.size(), kEvaluations);
        for (int i = 0; i < kEvaluations; ++i) {
            const QJsonObject e = evaluations.at(i).toObject();
            const QString key = e.value(QLatin1String("projectNo")).toString() + QLatin1Char('|')
                + QString::number(e.value(QLatin1String("serviceNumber")).toInt()) + QStringLiteral("|1");
            const QJsonObject r = stored.value(key);
            QVERIFY2(r.value(QLatin1String("assessTime")) == e.value(QLatin1String("assessTime"))
                         && r.value(QLatin1String("satisfaction")).toString().toInt() == e.value(QLatin1String("satisfaction")).toInt(),
                     qPrintable(key));
        }
        // ... and only records whose answer was lost were sent again: at most one batch per
        // in-doubt call (500 after storing, late answer) and per forwarder restart.
        const int inDoubtBatches = s.injected500AfterStore + s.injectedLateAnswer + 1;
        QVERIFY2(s.duplicateAnswers <= inDoubtBatches * profile.batchSize,
                 qPrintable(QStringLiteral("%1 duplicate answers for %2 in-doubt batches").arg(s.duplicateAnswers).arg(inDoubtBatches)));
        // A duplicate answer can itself be lost (a 500 after a resend), so the hub saw at most as many.
        QVERIFY(counts.value(QLatin1String("deliveredAsDuplicate")).toInt() <= s.duplicateAnswers);
    }
};

QTEST_GUILESS_MAIN(TestUpstreamFault)
#include "tst_upstreamfault.moc"

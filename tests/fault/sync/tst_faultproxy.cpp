// SPDX-License-Identifier: Apache-2.0
// 10,000 evaluations through a proxy that drops, delays, resets and truncates connections and
// answers 500/503: all arrive at the hub exactly once. Signatures on (signed requests, ledger
// shipped and verified): the honest kiosk raises no tamper alert.
#include "faultproxy.h"
#include "hubclient.h"
#include "hubprocess.h"
#include "ledgerbuilder.h"
#include "outboxsender.h"

#include <QSet>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace hcp::sync;
using namespace hcp::sync::test;

class TestFaultProxy : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void proxyInjectsEachFault_10000Evaluations_noLossNoDuplicates();
};

void TestFaultProxy::proxyInjectsEachFault_10000Evaluations_noLossNoDuplicates()
{
    QTemporaryDir dir;
    HubProcess hub;
    QVERIFY2(hub.start(dir.filePath(QStringLiteral("hub.sqlite"))), qPrintable(hub.output()));
    FaultProxy proxy(hub.port(), 4242);
    proxy.setFaultPercent(45);
    QVERIFY(proxy.listen());

    const hcp::trust::Key key = hcp::trust::Key::generate(hcp::trust::KeyType::Sm2);
    const auto ledger = std::make_shared<hcp::trust::LedgerBuilder>(key);
    DeviceCredentials creds = enrollWithKey(hub.url(), QStringLiteral("KIOSK-FAULT-0001"), key);
    QVERIFY(creds.isValid());
    creds.hubUrl = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(proxy.port()));

    constexpr int kTotal = 10000;
    const QString kioskDb = dir.filePath(QStringLiteral("kiosk.sqlite"));
    QVERIFY(createKioskDb(kioskDb));
    QVERIFY(enqueueRange(kioskDb, 1, kTotal, QStringLiteral("fault"), ledger.get()));

    HubClient client;
    client.setCredentials(creds);
    client.setDeviceKey(key);
    client.setRequestTimeoutMs(5000);
    OutboxSender sender(&client);
    sender.setLedgerSigner(ledger);
    OutboxSender::Options o;
    o.batchSize = 200;
    o.backoffBaseMs = 5;
    o.backoffCapMs = 100;
    sender.setOptions(o);
    QString error;
    QVERIFY2(sender.open(kioskDb, &error), qPrintable(error));
    QSignalSpy failed(&sender, &OutboxSender::sendFailed);
    sender.start();
    QTRY_COMPARE_WITH_TIMEOUT(outboxSnapshot(kioskDb).acked, kTotal, 90000);

    const QJsonArray stored = hubEvaluations(hub.url());
    QSet<QString> uuids;
    for (const QJsonValue &v : stored)
        uuids.insert(v.toObject().value(QLatin1String("uuid")).toString());
    const QJsonObject stats = adminGet(hub.url(), QStringLiteral("/v1/admin/stats"));
    qInfo().noquote() << QStringLiteral("proxy requests=%1 pass=%2 drop=%3 delay=%4 reset_after_commit=%5 "
                                        "truncate=%6 http500=%7 http503=%8 sender_failures=%9")
                             .arg(proxy.requests()).arg(proxy.count(FaultProxy::Pass)).arg(proxy.count(FaultProxy::Drop))
                             .arg(proxy.count(FaultProxy::Delay)).arg(proxy.count(FaultProxy::ResetAfterCommit))
                             .arg(proxy.count(FaultProxy::Truncate)).arg(proxy.count(FaultProxy::Error500))
                             .arg(proxy.count(FaultProxy::Error503)).arg(failed.count());
    qInfo().noquote() << QStringLiteral("evaluations sent=%1 hub_rows=%2 unique=%3 lost=%4 duplicated=%5 "
                                        "replays_answered_duplicate=%6 conflicts=%7 tamper_alerts=%8")
                             .arg(kTotal).arg(stored.size()).arg(uuids.size()).arg(kTotal - uuids.size())
                             .arg(stored.size() - uuids.size()).arg(stats.value(QLatin1String("duplicates")).toInt())
                             .arg(stats.value(QLatin1String("conflicts")).toInt())
                             .arg(tamperAlerts(hub.url()).size());
    QCOMPARE(tamperAlerts(hub.url()), QJsonArray());
    for (int f = FaultProxy::Drop; f < FaultProxy::FaultCount; ++f)
        QVERIFY2(proxy.count(static_cast<FaultProxy::Fault>(f)) > 0, "every fault kind must have been injected");
    QVERIFY(failed.count() > 0);
    QCOMPARE(uuids.size(), kTotal);
    QCOMPARE(stored.size(), kTotal);
    QCOMPARE(stats.value(QLatin1String("conflicts")).toInt(), 0);
    QCOMPARE(outboxSnapshot(kioskDb).acked, kTotal);
}

QTEST_GUILESS_MAIN(TestFaultProxy)
#include "tst_faultproxy.moc"

// SPDX-License-Identifier: Apache-2.0
// The maintenance audit chain ships through the OutboxSender (PROTOCOL §4b) across a faulty
// network (drops, delays, resets after the hub committed, truncated answers, 500/503) and kiosk
// restarts, some of them while a flush is on the wire. The hub must hold every record exactly
// once, raise no tamper alert for the honest replays, and an acknowledged record is never sent
// again.
#include "crypto.h"
#include "faultproxy.h"
#include "hubprocess.h"
#include "hubclient.h"
#include "outboxsender.h"

#include "auditlog.h"
#include "ledger.h"
#include "store.h"

#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace hcp::sync;
using namespace hcp::sync::test;

class TestAuditFault : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void faultsAndRestartsMidFlush_everyRecordOnceNoAlertAckedNeverResent();
};

namespace {

// What a kiosk start builds for shipping: a client and the sender on its own connection.
struct Shipper
{
    Shipper(const DeviceCredentials &creds, const hcp::trust::Key &key, std::shared_ptr<const hcp::trust::LedgerBuilder> signer,
            const QString &path)
    {
        client.setCredentials(creds);
        client.setDeviceKey(key);
        client.setRequestTimeoutMs(3000);
        sender.setLedgerSigner(std::move(signer));
        QString error;
        opened = sender.open(path, &error);
        if (!opened)
            qWarning() << "sender open failed:" << error;
    }
    HubClient client;
    OutboxSender sender{&client};
    bool opened = false;

    // One flush, waited for; true when the hub acknowledged everything it was sent.
    bool flush()
    {
        bool done = false;
        bool ok = false;
        sender.flushAudit([&](bool success, const QString &) {
            ok = success;
            done = true;
        });
        if (!QTest::qWaitFor([&] { return done; }, 15000))
            return false;
        return ok;
    }
};

} // namespace

void TestAuditFault::faultsAndRestartsMidFlush_everyRecordOnceNoAlertAckedNeverResent()
{
    QTemporaryDir dir;
    HubProcess hub;
    QVERIFY2(hub.start(dir.filePath(QStringLiteral("hub.sqlite"))), qPrintable(hub.output()));
    FaultProxy proxy(hub.port(), 20261207);
    proxy.setFaultPercent(50);
    QVERIFY(proxy.listen());

    const hcp::trust::Key key = hcp::trust::Key::generate(hcp::trust::KeyType::Sm2);
    const QString deviceId = QStringLiteral("KIOSK-AUDIT-FAULT");
    DeviceCredentials creds = enrollWithKey(hub.url(), deviceId, key);
    QVERIFY(creds.isValid());
    creds.hubUrl = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(proxy.port()));

    const QString path = dir.filePath(QStringLiteral("kiosk.sqlite"));
    hcp::kiosk::Store store;
    QString error;
    QVERIFY2(store.open(path, &error), qPrintable(error));
    hcp::kiosk::Ledger ledger(key);
    hcp::kiosk::AuditLog audit(&store, ledger.builder());

    QSet<QString> recorded;
    auto recordSome = [&](int n) {
        for (int i = 0; i < n; ++i)
            QVERIFY(audit.record(QStringLiteral("maintenance_pin_failed"), {{QStringLiteral("attempt"), recorded.size()}}));
        const QJsonArray all = audit.records();
        for (const QJsonValue &v : all)
            recorded.insert(v.toObject().value(QLatin1String("uuid")).toString());
    };

    auto shipper = std::make_unique<Shipper>(creds, key, ledger.builder(), path);
    QVERIFY(shipper->opened);
    int restarts = 0;
    int restartsMidFlush = 0;
    for (int round = 0; round < 40; ++round) {
        recordSome(1 + round % 3);
        if (round % 7 == 3) {
            // Power cut while the request is out: the hub may commit it, the kiosk never marks it.
            shipper->sender.flushAudit();
            QTest::qWait(round % 2 ? 0 : 20); // fixed on purpose: the cut lands before or while the request is out
            shipper = std::make_unique<Shipper>(creds, key, ledger.builder(), path);
            QVERIFY(shipper->opened);
            ++restartsMidFlush;
            continue;
        }
        if (round % 5 == 4) {
            shipper = std::make_unique<Shipper>(creds, key, ledger.builder(), path);
            QVERIFY(shipper->opened);
            ++restarts;
        }
        shipper->flush();
    }
    // The network heals: flushes until nothing is left.
    proxy.setFaultPercent(0);
    QTRY_VERIFY_WITH_TIMEOUT(shipper->flush() && audit.pendingCount() == 0, 30000);

    const QJsonArray stored = adminGet(hub.url(), QStringLiteral("/v1/admin/audit?deviceId=%1").arg(deviceId))
                                  .value(QLatin1String("records")).toArray();
    QSet<QString> atHub;
    for (const QJsonValue &v : stored)
        atHub.insert(v.toObject().value(QLatin1String("uuid")).toString());
    qInfo().noquote() << QStringLiteral("audit records=%1 hub_rows=%2 unique=%3 requests=%4 reset_after_commit=%5 "
                                        "restarts=%6 restarts_mid_flush=%7 tamper_alerts=%8")
                             .arg(recorded.size()).arg(stored.size()).arg(atHub.size()).arg(proxy.requests())
                             .arg(proxy.count(FaultProxy::ResetAfterCommit)).arg(restarts).arg(restartsMidFlush)
                             .arg(tamperAlerts(hub.url()).size());
    QVERIFY2(proxy.count(FaultProxy::ResetAfterCommit) > 0, "the hub must have committed answers the kiosk never saw");
    QCOMPARE(tamperAlerts(hub.url()), QJsonArray());
    QCOMPARE(atHub, recorded);              // none lost
    QCOMPARE(stored.size(), recorded.size()); // none twice

    // Acknowledged records are never sent again, also by a sender after a restart.
    const int requests = proxy.requests();
    shipper = std::make_unique<Shipper>(creds, key, ledger.builder(), path);
    QVERIFY(shipper->flush());
    QVERIFY(shipper->flush());
    QCOMPARE(proxy.requests(), requests);
}

QTEST_GUILESS_MAIN(TestAuditFault)
#include "tst_auditfault.moc"

// SPDX-License-Identifier: Apache-2.0
// SyncAgent against the real hub: heartbeats carry the outbox state, commands arrive once and stop
// after the ack, configuration arrives once per change (ETag), the hall feed fills the cache.
#include "casecache.h"
#include "configenvelope.h"
#include "crypto.h"
#include "hubclient.h"
#include "hubprocess.h"
#include "outboxsender.h"
#include "syncagent.h"

#include <QJsonDocument>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace hcp::sync;
using namespace hcp::sync::test;

class TestSyncAgent : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void periodicHeartbeatFeedConfig_commandsOnceUntilAcked();
};

void TestSyncAgent::periodicHeartbeatFeedConfig_commandsOnceUntilAcked()
{
    QTemporaryDir dir;
    HubProcess hub;
    QVERIFY2(hub.start(dir.filePath(QStringLiteral("hub.sqlite"))), qPrintable(hub.output()));
    DeviceCredentials creds = enroll(hub.url(), QStringLiteral("KIOSK-AGENT-0001"));
    QVERIFY(creds.isValid());
    QJsonObject c = protocolExample(QStringLiteral("case"));
    QCOMPARE(adminSend(hub.url(), "POST", QStringLiteral("/v1/admin/cases"),
                       QJsonObject{{QStringLiteral("cases"), QJsonArray{c}}}), 200);
    QCOMPARE(adminSend(hub.url(), "PUT", QStringLiteral("/v1/admin/config/default"),
                       QJsonObject{{QStringLiteral("kiosk"), QJsonObject{{QStringLiteral("idleTimeoutSeconds"), 60}}}}), 200);
    QJsonObject created;
    QCOMPARE(adminSend(hub.url(), "POST", QStringLiteral("/v1/admin/devices/%1/commands").arg(creds.deviceId),
                       QJsonObject{{QStringLiteral("type"), QStringLiteral("upload_logs")}}, &created), 201);

    const QString kioskDb = dir.filePath(QStringLiteral("kiosk.sqlite"));
    QVERIFY(createKioskDb(kioskDb));
    QVERIFY(enqueueRange(kioskDb, 1, 7, QStringLiteral("agent")));
    HubClient client;
    client.setCredentials(creds);
    OutboxSender sender(&client); // not started: the 7 stay queued
    QString error;
    QVERIFY(sender.open(kioskDb, &error));
    CaseCache cache;
    QVERIFY(cache.open(kioskDb, &error));

    SyncAgent agent(&client, &sender, &cache);
    SyncAgent::Options o;
    o.heartbeatIntervalS = 1;
    o.feedIntervalS = 1;
    o.configIntervalS = 1;
    agent.setOptions(o);
    agent.setHeartbeatProvider([] {
        HeartbeatInfo info;
        info.version = QStringLiteral("0.1.0");
        info.deviceStatus = QJsonObject{{QStringLiteral("printer"), QStringLiteral("ok")}};
        return info;
    });
    QSignalSpy commands(&agent, &SyncAgent::commandReceived);
    QSignalSpy configs(&agent, &SyncAgent::configVerified);
    QSignalSpy beats(&agent, &SyncAgent::heartbeatDone);
    connect(&agent, &SyncAgent::configVerified, &agent,
            [&](const QJsonObject &, qint64 version, const QByteArray &etag) { agent.configApplied(version, etag); });
    agent.start();

    QTRY_COMPARE_WITH_TIMEOUT(beats.count(), 3, 8000); // three beats: the command was resent twice
    QCOMPARE(commands.count(), 1);                     // but delivered once
    QCOMPARE(commands.first().at(1).toString(), QStringLiteral("upload_logs"));
    QCOMPARE(configs.count(), 1);                      // unchanged config: 304, no new signal
    // The document inside the hub-signed envelope (PROTOCOL §7) is what was pushed.
    QCOMPARE(configs.first().at(0).toJsonObject().value(QLatin1String("kiosk")).toObject()
                 .value(QLatin1String("idleTimeoutSeconds")).toInt(), 60);
    const qint64 first = agent.activeConfigVersion();
    QVERIFY(first > 0);
    QCOMPARE(cache.count(), 1);
    const QJsonObject device = adminGet(hub.url(), QStringLiteral("/v1/admin/devices")).value(QLatin1String("devices"))
                                   .toArray().at(0).toObject();
    QCOMPARE(device.value(QLatin1String("queueDepth")).toInt(), 7);
    QCOMPARE(device.value(QLatin1String("version")).toString(), QStringLiteral("0.1.0"));

    agent.acknowledgeCommand(commands.first().at(0).toLongLong());
    QTRY_COMPARE_WITH_TIMEOUT(beats.count(), 5, 8000);
    // Acked: the hub no longer lists it (checked through a fresh heartbeat from another client).
    HubClient probe;
    probe.setCredentials(creds);
    bool done = false;
    QJsonArray pending;
    HeartbeatInfo info;
    probe.sendHeartbeat(info, [&](const HubReply &r) {
        pending = r.json().value(QLatin1String("commands")).toArray();
        done = true;
    });
    QTRY_VERIFY(done);
    QCOMPARE(pending.size(), 0);

    QCOMPARE(adminSend(hub.url(), "PUT", QStringLiteral("/v1/admin/config/default"),
                       QJsonObject{{QStringLiteral("kiosk"), QJsonObject{{QStringLiteral("idleTimeoutSeconds"), 75}}}}), 200);
    QTRY_COMPARE_WITH_TIMEOUT(configs.count(), 2, 8000);
    QVERIFY(agent.activeConfigVersion() > first);
    const qint64 second = agent.activeConfigVersion();
    auto publish = [&](int idle) {
        return adminSend(hub.url(), "PUT", QStringLiteral("/v1/admin/config/default"),
                         QJsonObject{{QStringLiteral("kiosk"), QJsonObject{{QStringLiteral("idleTimeoutSeconds"), idle}}}});
    };

    // Signed by another key than the enrollment's hubPublicKey, or older than the active
    // version: never reaches the kiosk; the reason is reported (unsigned and forged documents:
    // tst_signedconfig).
    QSignalSpy state(&agent, &SyncAgent::configStateChanged);
    DeviceCredentials wrongKey = creds;
    wrongKey.hubPublicKey = hcp::trust::Key::generate(hcp::trust::KeyType::Sm2).publicPem();
    client.setCredentials(wrongKey);
    QCOMPARE(publish(80), 200);
    QTRY_VERIFY_WITH_TIMEOUT(agent.configRejection().startsWith(QLatin1String("bad-signature")), 8000);
    client.setCredentials(creds);
    agent.setActiveConfigVersion(second + 1000);
    QCOMPARE(publish(85), 200);
    QTRY_VERIFY_WITH_TIMEOUT(agent.configRejection().startsWith(QLatin1String("older")), 8000);
    QCOMPARE(configs.count(), 2);
    QVERIFY(state.count() >= 2);
    // A good one clears the rejection.
    agent.setActiveConfigVersion(second);
    QCOMPARE(publish(90), 200);
    QTRY_COMPARE_WITH_TIMEOUT(configs.count(), 3, 8000);
    QVERIFY(agent.activeConfigVersion() > second);
    QCOMPARE(agent.configRejection(), QString());
}

QTEST_GUILESS_MAIN(TestSyncAgent)
#include "tst_syncagent.moc"

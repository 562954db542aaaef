// SPDX-License-Identifier: Apache-2.0
// Issue 5, "Done means": a kiosk database made by the kiosk's own Store (ledger on) is edited
// the way a dishonest operator would — delete a row, change a satisfaction, swap two rows,
// insert a forged row, restore an older backup — and sent by the real OutboxSender to a real
// hcp-hub; the hub must flag every one. An honest kiosk next to them never raises a flag.
#include "hubprocess.h"
#include "ledgerbuilder.h"
#include "ledgertable.h"
#include "tamperkiosk.h"

#include <QFile>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace hcp;
using namespace hcp::sync::test;

using Kiosk = TamperKiosk;

class TestTamper : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();

    void honestKiosk_restartsAndHeartbeats_noAlert();
    void deleteRow_flaggedAsGap();
    void changeSatisfaction_quarantinedAndFlaggedAsUnledgered();
    void swapTwoRows_flagged();
    void insertForgedRow_flagged();
    void restoreOlderBackup_flaggedAsForkAndRewind();
    void replacedDeviceKey_flaggedAsNewIdentity();
    void auditLog_shippedAndVerified_tornOutRecordFlagged();
    void tamperFlaggedSummary();

private:
    QJsonArray alerts(const QString &deviceId) { return deviceAlerts(m_hub.url(), deviceId); }
    QStringList kinds(const QString &deviceId) { return alertKinds(m_hub.url(), deviceId); }
    // Honest history first: three evaluations synced without a flag.
    std::unique_ptr<Kiosk> honestStart(const QString &deviceId)
    {
        auto k = std::make_unique<Kiosk>(deviceId, m_dir.filePath(deviceId + QStringLiteral(".sqlite")), m_hub.url());
        QString error;
        if (!k->enrolled() || !k->open(&error) || !k->commit(3) || !k->sync())
            return nullptr;
        return k;
    }
    void flagged(const QString &deviceId, const QString &what)
    {
        const QJsonArray list = alerts(deviceId);
        if (!list.isEmpty())
            ++m_flagged;
        ++m_attempts;
        if (list.isEmpty())
            qWarning().noquote() << "hub log:" << m_hub.takeLog().right(3000);
        qInfo().noquote() << what << "->" << kinds(deviceId).join(QLatin1Char(','));
    }

    QTemporaryDir m_dir;
    HubProcess m_hub;
    int m_flagged = 0;
    int m_attempts = 0;
};

void TestTamper::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY2(m_hub.start(m_dir.filePath(QStringLiteral("hub.sqlite"))), qPrintable(m_hub.output()));
}

void TestTamper::cleanupTestCase()
{
    m_hub.kill();
}

void TestTamper::honestKiosk_restartsAndHeartbeats_noAlert()
{
    auto k = honestStart(QStringLiteral("KIOSK-HONEST"));
    QVERIFY(k);
    QCOMPARE(k->heartbeat(), 200);
    for (int round = 0; round < 3; ++round) {
        QVERIFY(k->commit(4));
        QCOMPARE(k->heartbeat(), 200); // head ahead of what the hub holds: fine
        k->close();                    // restart between commit and sync
        QString error;
        QVERIFY2(k->open(&error), qPrintable(error));
        QVERIFY(k->sync());
        QCOMPARE(k->heartbeat(), 200);
    }
    // A replay of everything (as after a lost ack): all rows back to unsent, known seq back to 0.
    QVERIFY(k->exec(QStringLiteral("UPDATE outbox SET state = 0")));
    QVERIFY(k->exec(QStringLiteral("UPDATE ledger_sync SET hub_known_seq = 0")));
    QVERIFY(k->sync());
    QCOMPARE(k->heartbeat(), 200);
    QCOMPARE(hubEvaluations(m_hub.url(), k->deviceId()).size(), 15);
    QCOMPARE(alerts(k->deviceId()), QJsonArray());
}

void TestTamper::deleteRow_flaggedAsGap()
{
    auto k = honestStart(QStringLiteral("KIOSK-DELETE"));
    QVERIFY(k);
    QVERIFY(k->commit(2, 1));
    QVERIFY(k->commit(2));
    // Tear out the bad rating at seq 4, everywhere it is written.
    for (const char *table : {"evaluation WHERE device_seq", "outbox WHERE seq", "ledger WHERE seq"})
        QVERIFY(k->exec(QStringLiteral("DELETE FROM %1 = 4").arg(QLatin1String(table))));
    QVERIFY(k->sync());
    QVERIFY2(kinds(k->deviceId()).contains(QStringLiteral("gap")), qPrintable(kinds(k->deviceId()).join(',')));
    // The alert names the seq and keeps the batch as evidence.
    const QJsonObject alert = alerts(k->deviceId()).first().toObject();
    QCOMPARE(alert.value(QLatin1String("deviceSeq")).toInteger(), 5);
    const QJsonObject evidence = adminGet(m_hub.url(), QStringLiteral("/v1/admin/tamper?evidenceId=%1")
                                                           .arg(alert.value(QLatin1String("evidenceId")).toInteger()));
    QCOMPARE(evidence.value(QLatin1String("what")).toString(), QStringLiteral("batch"));
    QVERIFY(evidence.value(QLatin1String("body")).toString().contains(QLatin1String("\"ledger\"")));
    flagged(k->deviceId(), QStringLiteral("delete a row"));
}

void TestTamper::changeSatisfaction_quarantinedAndFlaggedAsUnledgered()
{
    auto k = honestStart(QStringLiteral("KIOSK-EDIT"));
    QVERIFY(k);
    QVERIFY(k->commit(3, 1));
    // Turn the bad rating at seq 5 into a good one in the evaluation and in what is sent.
    QVERIFY(k->exec(QStringLiteral("UPDATE evaluation SET satisfaction = 5, payload = json_set(payload, '$.satisfaction', 5)"
                                   " WHERE device_seq = 5")));
    QVERIFY(k->exec(QStringLiteral("UPDATE outbox SET payload = json_set(payload, '$.satisfaction', 5) WHERE seq = 5")));
    QVERIFY(k->sync());
    // The row no longer hashes to its entry: the kiosk never sends it as an evaluation, it
    // reports it (unledgered), and the hub sees the entry without its evaluation.
    const QStringList found = kinds(k->deviceId());
    QVERIFY2(found.contains(QStringLiteral("unledgered")), qPrintable(found.join(',')));
    QVERIFY2(found.contains(QStringLiteral("missing-evaluation")), qPrintable(found.join(',')));
    QCOMPARE(hubEvaluations(m_hub.url(), k->deviceId()).size(), 5);
    flagged(k->deviceId(), QStringLiteral("change a satisfaction"));
}

void TestTamper::swapTwoRows_flagged()
{
    auto k = honestStart(QStringLiteral("KIOSK-SWAP"));
    QVERIFY(k);
    QVERIFY(k->commit(1, 1));
    QVERIFY(k->commit(1, 5));
    // Swap seq 4 and 5 in every table, their ledger rows included, payloads renumbered.
    QVERIFY(k->swapRows(4, 5));
    const bool synced = k->sync();
    if (!synced)
        qWarning().noquote() << "hub log:" << m_hub.takeLog().right(3000);
    QVERIFY(synced);
    QVERIFY2(!alerts(k->deviceId()).isEmpty(), "swap not flagged");
    flagged(k->deviceId(), QStringLiteral("swap two rows"));
}

void TestTamper::insertForgedRow_flagged()
{
    auto k = honestStart(QStringLiteral("KIOSK-FORGE"));
    QVERIFY(k);
    // A forged good rating at seq 4 with a chained entry signed by a key that is not the device's.
    trust::LedgerBuilder forger(trust::Key::generate(trust::KeyType::Sm2));
    QVERIFY(!k->insertForged(4, &forger).isEmpty());
    QVERIFY(k->sync());
    QVERIFY2(!alerts(k->deviceId()).isEmpty(), "forged row not flagged");
    flagged(k->deviceId(), QStringLiteral("insert a forged row"));
}

void TestTamper::restoreOlderBackup_flaggedAsForkAndRewind()
{
    auto k = honestStart(QStringLiteral("KIOSK-RESTORE"));
    QVERIFY(k);
    // The backup: the database as it was after three evaluations.
    const QString backup = k->path() + QStringLiteral(".bak");
    QVERIFY(k->backupTo(backup));
    QVERIFY(k->commit(3, 1)); // three bad ratings, synced: the hub holds seq 6
    QVERIFY(k->sync());
    QCOMPARE(alerts(k->deviceId()), QJsonArray());
    // Restore the backup (the bad ratings are gone) and carry on rating.
    k->close();
    QVERIFY(k->restoreFrom(backup));
    QString error;
    QVERIFY2(k->open(&error), qPrintable(error));
    QCOMPARE(k->heartbeat(), 200); // head seq 3 < 6
    QVERIFY(k->commit(2));
    QVERIFY(k->sync());
    const QStringList found = kinds(k->deviceId());
    QVERIFY2(found.contains(QStringLiteral("rewind")), qPrintable(found.join(',')));
    QVERIFY2(found.contains(QStringLiteral("fork")), qPrintable(found.join(',')));
    flagged(k->deviceId(), QStringLiteral("restore an older backup"));
}

void TestTamper::replacedDeviceKey_flaggedAsNewIdentity()
{
    auto k = honestStart(QStringLiteral("KIOSK-REKEY"));
    QVERIFY(k);
    // Same device id, new key (reset kiosk, cloned credentials): no credentials, raised, and
    // left to an admin to approve (PROTOCOL §3b).
    const auto other = trust::Key::generate(trust::KeyType::Sm2);
    QVERIFY(!enrollWithKey(m_hub.url(), k->deviceId(), other).isValid());
    QStringList found = kinds(k->deviceId());
    found.sort();
    QCOMPARE(found, (QStringList{QStringLiteral("new-identity"), QStringLiteral("reenroll-requested")}));
    // Requests signed with the other key are refused and raised too.
    sync::HubClient client;
    sync::DeviceCredentials creds;
    creds.hubUrl = m_hub.url();
    creds.deviceId = k->deviceId();
    creds.secret = "x";
    client.setCredentials(creds);
    client.setDeviceKey(other);
    int status = -1;
    client.sendHeartbeat(sync::HeartbeatInfo{}, [&](const sync::HubReply &r) { status = r.status; });
    QTRY_COMPARE_WITH_TIMEOUT(status, 401, 15000);
    QVERIFY(kinds(k->deviceId()).contains(QStringLiteral("unknown-key")));
    // The real key still works.
    QCOMPARE(k->heartbeat(), 200);
}

void TestTamper::auditLog_shippedAndVerified_tornOutRecordFlagged()
{
    auto k = honestStart(QStringLiteral("KIOSK-AUDIT"));
    QVERIFY(k);
    QVERIFY(k->audit().record(QStringLiteral("pin_ok"), {}));
    QVERIFY(k->audit().record(QStringLiteral("test_print"), QJsonObject{{QStringLiteral("printer"), QStringLiteral("ok")}}));
    QVERIFY(k->audit().record(QStringLiteral("manual_sync"), {}));
    QCOMPARE(k->audit().pendingCount(), 3);
    QVERIFY(k->flushAudit());
    QCOMPARE(k->audit().pendingCount(), 0);
    const QJsonArray stored = adminGet(m_hub.url(), QStringLiteral("/v1/admin/audit?deviceId=KIOSK-AUDIT"))
                                  .value(QLatin1String("records")).toArray();
    QCOMPARE(stored.size(), 3);
    QCOMPARE(stored.at(1).toObject().value(QLatin1String("action")).toString(), QStringLiteral("test_print"));
    QCOMPARE(alerts(k->deviceId()), QJsonArray());
    // Failed PIN attempts torn out of the audit log before they were shipped.
    QVERIFY(k->audit().record(QStringLiteral("pin_failed"), {}));
    QVERIFY(k->audit().record(QStringLiteral("sanctioned_exit"), {}));
    QVERIFY(k->exec(QStringLiteral("DELETE FROM audit_log WHERE action = 'pin_failed'")));
    QVERIFY(k->flushAudit());
    QVERIFY2(kinds(k->deviceId()).contains(QStringLiteral("audit-gap")), qPrintable(kinds(k->deviceId()).join(',')));
}

void TestTamper::tamperFlaggedSummary()
{
    QCOMPARE(m_attempts, 5);
    const double share = 100.0 * m_flagged / m_attempts;
    qInfo().noquote() << QStringLiteral("tamper flagged %1/%2 (%3%)").arg(m_flagged).arg(m_attempts).arg(share, 0, 'f', 0);
    std::printf("tamper flagged %d/%d (%.0f%%)\n", m_flagged, m_attempts, share);
    QCOMPARE(m_flagged, m_attempts);
}

QTEST_GUILESS_MAIN(TestTamper)
#include "tst_tamper.moc"

// SPDX-License-Identifier: Apache-2.0
// Crash safety of the send loop: the sender process is SIGKILLed at every step of a send
// (rows chosen, after marking Sending, request issued, after the hub committed but before the
// local ack, in the middle of the ack transaction, after the ack) and at random moments, over
// 600 runs. Then a clean run drains the rest. The hub must hold every evaluation exactly once.
// Signatures are on: the device signs every request and ships its ledger; an honest kiosk
// crashing and replaying must never raise a tamper alert.
#include "crypto.h"
#include "hubprocess.h"
#include "ledgerbuilder.h"
#include "outboxsender.h"

#include <QProcess>
#include <QRandomGenerator>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace hcp::sync;
using namespace hcp::sync::test;

class TestSenderCrash : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void sigkillAtEveryStep_600Runs_noLossNoDuplicates();
};

void TestSenderCrash::sigkillAtEveryStep_600Runs_noLossNoDuplicates()
{
    QTemporaryDir dir;
    HubProcess hub;
    QVERIFY2(hub.start(dir.filePath(QStringLiteral("hub.sqlite"))), qPrintable(hub.output()));
    const hcp::trust::Key key = hcp::trust::Key::generate(hcp::trust::KeyType::Sm2);
    const hcp::trust::LedgerBuilder ledger(key);
    const DeviceCredentials creds = enrollWithKey(hub.url(), QStringLiteral("KIOSK-CRASH-0001"), key);
    QVERIFY(creds.isValid());
    QString error;
    const QString keyPath = dir.filePath(QStringLiteral("device-key.pem"));
    QVERIFY(hcp::trust::Crypto::writePrivateFile(keyPath, key.privatePem(), false, &error));
    const QString credsPath = dir.filePath(QStringLiteral("creds.json"));
    QVERIFY(creds.save(credsPath, &error));
    const QString kioskDb = dir.filePath(QStringLiteral("kiosk.sqlite"));
    QVERIFY(createKioskDb(kioskDb));

    constexpr int kRuns = 600;
    constexpr int kSteps = 6; // OutboxSender::Step values
    qint64 nextSeq = 1;
    int killedAtStep = 0;
    int killedRandomly = 0;
    int completed = 0;
    QRandomGenerator rng(20261128);
    for (int run = 0; run < kRuns; ++run) {
        // A citizen or two rate between sender runs (the Store keeps committing while the
        // sender crashes).
        const int fresh = 1 + run % 3;
        QVERIFY(enqueueRange(kioskDb, nextSeq, nextSeq + fresh - 1, QStringLiteral("crash"), &ledger));
        nextSeq += fresh;

        const bool randomKill = run % 10 == 9;
        const int step = randomKill ? -1 : run % kSteps;
        const int nth = 1 + (run / kSteps) % 2;
        QProcess child;
        child.start(QStringLiteral(HCP_CRASH_CHILD),
                    {kioskDb, credsPath, QString::number(step), QString::number(nth), keyPath});
        QVERIFY(child.waitForStarted(10000));
        if (randomKill) {
            QThread::usleep(rng.bounded(30000));
            child.kill();
        }
        QVERIFY(child.waitForFinished(30000));
        if (child.exitStatus() == QProcess::CrashExit) {
            (randomKill ? killedRandomly : killedAtStep) += 1;
        } else {
            QVERIFY2(child.exitCode() == 0, qPrintable(QStringLiteral("child exit %1").arg(child.exitCode())));
            ++completed;
        }
    }
    // Recovery: a clean run sends whatever the crashes left Queued or Sending.
    QProcess last;
    last.start(QStringLiteral(HCP_CRASH_CHILD), {kioskDb, credsPath, QStringLiteral("-1"), QStringLiteral("1"), keyPath});
    QVERIFY(last.waitForFinished(60000));
    QCOMPARE(last.exitStatus(), QProcess::NormalExit);
    QCOMPARE(last.exitCode(), 0);

    const qint64 total = nextSeq - 1;
    const QJsonArray stored = hubEvaluations(hub.url());
    QSet<qint64> seqs;
    QSet<QString> uuids;
    for (const QJsonValue &v : stored) {
        seqs.insert(v.toObject().value(QLatin1String("deviceSeq")).toInteger());
        uuids.insert(v.toObject().value(QLatin1String("uuid")).toString());
    }
    const QJsonObject stats = adminGet(hub.url(), QStringLiteral("/v1/admin/stats"));
    const OutboxSnapshot outbox = outboxSnapshot(kioskDb);
    qInfo().noquote() << QStringLiteral("crash runs=%1 killed_at_step=%2 killed_randomly=%3 completed=%4 "
                                        "enqueued=%5 hub_rows=%6 hub_unique=%7 lost=%8 duplicate_rows=%9 "
                                        "replays_answered_duplicate=%10 conflicts=%11 tamper_alerts=%12")
                             .arg(kRuns).arg(killedAtStep).arg(killedRandomly).arg(completed).arg(total)
                             .arg(stored.size()).arg(uuids.size()).arg(total - seqs.size())
                             .arg(stored.size() - uuids.size())
                             .arg(stats.value(QLatin1String("duplicates")).toInt())
                             .arg(stats.value(QLatin1String("conflicts")).toInt())
                             .arg(tamperAlerts(hub.url()).size());
    QCOMPARE(tamperAlerts(hub.url()), QJsonArray()); // signatures on, honest kiosk: no flag
    QVERIFY(killedAtStep >= 400); // the kills really happened at the steps
    QCOMPARE(seqs.size(), int(total));
    QCOMPARE(uuids.size(), int(total));
    QCOMPARE(stored.size(), int(total));
    QCOMPARE(stats.value(QLatin1String("conflicts")).toInt(), 0);
    QVERIFY(stats.value(QLatin1String("duplicates")).toInt() > 0); // crashes after commit caused replays
    QCOMPARE(outbox.acked, total);
    QCOMPARE(outbox.queued + outbox.sending + outbox.quarantined, 0);
}

QTEST_GUILESS_MAIN(TestSenderCrash)
#include "tst_sendercrash.moc"

// SPDX-License-Identifier: Apache-2.0
// Issue 13, the TPM part, end to end: kiosks built as kiosk/main.cpp builds them (Store,
// Ledger, TpmAttestor on a real swtpm, HubClient, OutboxSender: TamperKiosk with a TPM)
// against a real hcp-hub. Root
// on the kiosk deletes the newest ratings, restores an old copy, wipes and re-enrolls, or
// clones the device key; the hub must raise the right alert kind each time, and an honest TPM
// kiosk that restarts raises none.
#include "swtpmprocess.h"

#include "hubprocess.h"
#include "tamperkiosk.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <cstdio>
#include <memory>

using namespace hcp;
using namespace hcp::sync::test;
using hcp::trust::test::SwtpmProcess;

class TestTpmKiosk : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();

    void honestTpmKiosk_restartsAndSyncs_noAlert_assuranceTpm();
    void fileKeyKiosk_shownAsFileKeyWithReason();
    void deleteTailBeforeSync_flaggedAsCounterRewind();
    void restoreOldCopyBeforeSync_flaggedAsCounterRewind_counterStillAhead();
    void restoreOldCopyAfterSync_flaggedAsCounterRewind();
    void wipeAndReenroll_flaggedAsReenrolledTpm_withUndeliveredEntries();
    void cloneOnMachineWithoutTpm_flaggedAsTpmMissing();
    void cloneOnMachineWithOtherTpm_flaggedAsTpmChanged();
    void cloneReplayingCapturedAttestation_flaggedAsTpmStale();
    void entriesForgedWithFileKeyOutsideKiosk_flaggedAsUncountedEntries();
    void tpmFailsWhileRating_ratingsKept_hubFlagsTpmMissing();
    void replayedOldAttestation_flaggedAsCounterRewind();
    void editedAttestation_flaggedAsBadAttestation();
    void detectedSummary();

private:
    QJsonArray alerts(const QString &deviceId)
    {
        return adminGet(m_hub.url(), QStringLiteral("/v1/admin/tamper?deviceId=%1").arg(deviceId))
            .value(QLatin1String("alerts"))
            .toArray();
    }
    QStringList kinds(const QString &deviceId)
    {
        QStringList out;
        for (const QJsonValue &a : alerts(deviceId))
            out << a.toObject().value(QLatin1String("kind")).toString();
        return out;
    }
    QString evidenceOf(const QString &deviceId, const QString &kind)
    {
        for (const QJsonValue &a : alerts(deviceId))
            if (a.toObject().value(QLatin1String("kind")).toString() == kind)
                return a.toObject().value(QLatin1String("evidence")).toString();
        return {};
    }
    // Three honest ratings synced and a heartbeat: the hub knows the kiosk's TPM.
    std::unique_ptr<TamperKiosk> honestStart(const QString &deviceId, SwtpmProcess &tpm)
    {
        if (!tpm.start(m_dir.filePath(deviceId + QStringLiteral("-tpm"))))
            return nullptr;
        auto k = newKiosk(deviceId);
        k->setTpm(tpm.tcti(), blobPath(deviceId));
        QString error;
        if (!k->enrolled() || !k->open(&error) || !k->commit(3) || !k->sync() || k->heartbeat() != 200) {
            qWarning() << "honest start failed:" << error;
            return nullptr;
        }
        return k;
    }
    void detected(const QString &deviceId, const QString &kind, const QString &what)
    {
        const QStringList found = kinds(deviceId);
        ++m_attempts;
        if (found.contains(kind))
            ++m_detected;
        else
            qWarning().noquote() << "hub log:" << m_hub.takeLog().right(3000);
        qInfo().noquote() << what << "->" << found.join(QLatin1Char(','));
    }
    std::unique_ptr<TamperKiosk> newKiosk(const QString &deviceId)
    {
        return std::make_unique<TamperKiosk>(deviceId, m_dir.filePath(deviceId + QStringLiteral(".sqlite")), m_hub.url());
    }
    // The TPM key blob lives outside the data directory (next to the device key, main.cpp).
    QString blobPath(const QString &name) { return m_dir.filePath(name + QStringLiteral("-tpm-key.blob")); }
    // Root's backup of the database; "" on failure.
    QString backup(TamperKiosk &k)
    {
        const QString copy = k.path() + QStringLiteral(".copy");
        return k.backupTo(copy) ? copy : QString();
    }
    // Root restores the copy (kiosk stopped for it, started again).
    bool restore(TamperKiosk &k, const QString &copy)
    {
        k.close();
        QString error;
        if (k.restoreFrom(copy) && k.open(&error))
            return true;
        qWarning() << "restore failed:" << error;
        return false;
    }
    // Root copies the database (and TPM key blob) of k to a second machine, which runs with k's
    // file key and credentials: a clone; k is stopped.
    std::unique_ptr<TamperKiosk> cloneOf(TamperKiosk &k, const QString &name)
    {
        const QString path = m_dir.filePath(name + QStringLiteral(".sqlite"));
        if (!k.backupTo(path))
            return nullptr;
        k.close();
        QFile::remove(blobPath(name));
        if (!QFile::copy(blobPath(k.deviceId()), blobPath(name)))
            return nullptr;
        return std::make_unique<TamperKiosk>(k, path);
    }
    QJsonObject consoleDetail(const QString &deviceId)
    {
        QByteArray body;
        QList<QPair<QByteArray, QByteArray>> h{{"Cookie", m_cookie}, {"X-HCP-Console", "1"}};
        httpRequest(m_hub.url().resolved(QUrl(QStringLiteral("/console/api/kiosks/") + deviceId)), "GET", {}, &body, h);
        return QJsonDocument::fromJson(body).object();
    }

    QTemporaryDir m_dir;
    HubProcess m_hub;
    QByteArray m_cookie;
    int m_detected = 0;
    int m_attempts = 0;
};

void TestTpmKiosk::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY2(SwtpmProcess::available(), "swtpm is not installed (deploy/setup.sh installs it)");
    const QString db = m_dir.filePath(QStringLiteral("hub.sqlite"));
    QProcess add;
    add.start(hubBinary(), {QStringLiteral("--db"), db, QStringLiteral("add-user"), QStringLiteral("viewer.tpm"),
                            QStringLiteral("viewer")});
    add.write("viewer-tpm-2026\n");
    add.closeWriteChannel();
    QVERIFY(add.waitForFinished(30000) && add.exitCode() == 0);
    QVERIFY2(m_hub.start(db), qPrintable(m_hub.output()));
    // The console session cookie comes in the login answer's Set-Cookie header.
    QNetworkAccessManager nam;
    QNetworkRequest req(m_hub.url().resolved(QUrl(QStringLiteral("/console/api/login"))));
    req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
    QNetworkReply *reply = nam.post(req, QByteArray(R"({"user":"viewer.tpm","password":"viewer-tpm-2026"})"));
    QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 15000);
    m_cookie = reply->rawHeader("Set-Cookie").split(';').value(0);
    reply->deleteLater();
    QVERIFY(!m_cookie.isEmpty());
}

void TestTpmKiosk::cleanupTestCase()
{
    m_hub.kill();
    qInfo().noquote() << QStringLiteral("tpm_detected=%1/%2").arg(m_detected).arg(m_attempts);
    std::printf("tpm_detected=%d/%d\n", m_detected, m_attempts);
}

void TestTpmKiosk::honestTpmKiosk_restartsAndSyncs_noAlert_assuranceTpm()
{
    SwtpmProcess tpm;
    auto k = honestStart(QStringLiteral("KIOSK-TPM-HONEST"), tpm);
    QVERIFY(k);
    quint64 counter = *k->tpm()->device().readCounter();
    for (int round = 0; round < 2; ++round) {
        k->close();
        QVERIFY(tpm.restart()); // the machine reboots: its TPM restarts too
        k->setTpm(tpm.tcti(), blobPath(k->deviceId()));
        QString error;
        QVERIFY2(k->open(&error), qPrintable(error));
        QCOMPARE(*k->tpm()->device().readCounter(), counter);
        QCOMPARE(k->heartbeat(), 200);
        QVERIFY(k->commit(2, round == 0 ? 1 : 5));
        QVERIFY(k->sync());
        QCOMPARE(k->heartbeat(), 200);
        counter = *k->tpm()->device().readCounter();
    }
    QCOMPARE(alerts(k->deviceId()), QJsonArray());
    const QJsonObject assurance = consoleDetail(k->deviceId()).value(QLatin1String("assurance")).toObject();
    QCOMPARE(assurance.value(QLatin1String("class")).toString(), QStringLiteral("tpm"));
    QCOMPARE(assurance.value(QLatin1String("tpmId")).toString(), k->tpm()->identity());
    QCOMPARE(assurance.value(QLatin1String("headSeq")).toInteger(), 7);
    QCOMPARE(assurance.value(QLatin1String("counter")).toInteger(), qint64(counter));
}

void TestTpmKiosk::fileKeyKiosk_shownAsFileKeyWithReason()
{
    TamperKiosk k(QStringLiteral("KIOSK-FILEKEY"), m_dir.filePath(QStringLiteral("KIOSK-FILEKEY.sqlite")), m_hub.url());
    QString error;
    QVERIFY(k.enrolled());
    QVERIFY2(k.open(&error), qPrintable(error));
    QVERIFY(k.commit(2));
    QVERIFY(k.sync());
    QCOMPARE(k.heartbeat(), 200);
    QCOMPARE(alerts(k.deviceId()), QJsonArray());
    const QJsonObject assurance = consoleDetail(k.deviceId()).value(QLatin1String("assurance")).toObject();
    QCOMPARE(assurance.value(QLatin1String("class")).toString(), QStringLiteral("file-key"));
    QVERIFY2(assurance.value(QLatin1String("reason")).toString().contains(QLatin1String("no /dev/tpmrm0")),
             qPrintable(assurance.value(QLatin1String("reason")).toString()));
}

// Found 2 of issue 13: delete the newest ratings from all three tables before they are synced.
void TestTpmKiosk::deleteTailBeforeSync_flaggedAsCounterRewind()
{
    SwtpmProcess tpm;
    auto k = honestStart(QStringLiteral("KIOSK-TPM-TAIL"), tpm);
    QVERIFY(k);
    QVERIFY(k->commit(2, 1)); // two 差评, offline
    QVERIFY(k->exec(QStringLiteral("DELETE FROM evaluation WHERE device_seq > 3")));
    QVERIFY(k->exec(QStringLiteral("DELETE FROM outbox WHERE seq > 3")));
    QVERIFY(k->exec(QStringLiteral("DELETE FROM ledger WHERE seq > 3")));
    k->close();
    QString error;
    QVERIFY2(k->open(&error), qPrintable(error));
    QCOMPARE(k->heartbeat(), 200);
    detected(k->deviceId(), QStringLiteral("counter-rewind"), QStringLiteral("delete the newest 2 ratings before sync"));
    QVERIFY2(evidenceOf(k->deviceId(), QStringLiteral("counter-rewind")).contains(QLatin1String("counted 2 entries")),
             qPrintable(evidenceOf(k->deviceId(), QStringLiteral("counter-rewind"))));
    // Carrying on honestly afterwards raises nothing new.
    QVERIFY(k->commit(2));
    QVERIFY(k->sync());
    QCOMPARE(k->heartbeat(), 200);
    QCOMPARE(alerts(k->deviceId()).size(), 1);
}

// Restore a copy of the data dir taken before an outage: the TPM counter is not in it.
void TestTpmKiosk::restoreOldCopyBeforeSync_flaggedAsCounterRewind_counterStillAhead()
{
    SwtpmProcess tpm;
    auto k = honestStart(QStringLiteral("KIOSK-TPM-RESTORE"), tpm);
    QVERIFY(k);
    const QString copy = backup(*k);
    QVERIFY(!copy.isEmpty());
    QVERIFY(k->commit(3, 1)); // three 差评 during the outage
    const quint64 counterBefore = *k->tpm()->device().readCounter();
    QVERIFY(restore(*k, copy));
    QCOMPARE(*k->tpm()->device().readCounter(), counterBefore); // the restore did not touch it
    QVERIFY(k->commit(1));
    QVERIFY(*k->tpm()->device().readCounter() > counterBefore);
    QVERIFY(k->sync());
    detected(k->deviceId(), QStringLiteral("counter-rewind"), QStringLiteral("restore an old copy before sync"));
    QVERIFY2(evidenceOf(k->deviceId(), QStringLiteral("counter-rewind")).contains(QLatin1String("counted 3 entries")),
             qPrintable(evidenceOf(k->deviceId(), QStringLiteral("counter-rewind"))));
}

void TestTpmKiosk::restoreOldCopyAfterSync_flaggedAsCounterRewind()
{
    SwtpmProcess tpm;
    auto k = honestStart(QStringLiteral("KIOSK-TPM-AFTER"), tpm);
    QVERIFY(k);
    const QString copy = backup(*k);
    QVERIFY(!copy.isEmpty());
    QVERIFY(k->commit(3, 1));
    QVERIFY(k->sync());
    QCOMPARE(k->heartbeat(), 200);
    QCOMPARE(alerts(k->deviceId()), QJsonArray());
    QVERIFY(restore(*k, copy));
    QCOMPARE(k->heartbeat(), 200);
    detected(k->deviceId(), QStringLiteral("counter-rewind"), QStringLiteral("restore an old copy after sync"));
}

// Wipe data dir and identity (file key, TPM key blob) and enroll again as a new device: the TPM
// is the same, so the hub links the two and lists what the old device never delivered.
void TestTpmKiosk::wipeAndReenroll_flaggedAsReenrolledTpm_withUndeliveredEntries()
{
    SwtpmProcess tpm;
    auto k = honestStart(QStringLiteral("KIOSK-TPM-WIPE"), tpm);
    QVERIFY(k);
    QVERIFY(k->commit(2, 1));
    QCOMPARE(k->heartbeat(), 200); // announces head seq 5; the hub received through seq 3
    QVERIFY(k->commit(2, 1));      // counted by the TPM, never announced
    const QString tpmId = k->tpm()->identity();
    k->close();
    QVERIFY(QFile::remove(k->path()) && QFile::remove(blobPath(k->deviceId())));
    auto fresh = newKiosk(QStringLiteral("KIOSK-TPM-WIPE-2"));
    fresh->setTpm(tpm.tcti(), blobPath(fresh->deviceId()));
    QString error;
    QVERIFY(fresh->enrolled());
    QVERIFY2(fresh->open(&error), qPrintable(error));
    QCOMPARE(fresh->tpm()->identity(), tpmId);
    QVERIFY(fresh->commit(1));
    QVERIFY(fresh->sync());
    detected(fresh->deviceId(), QStringLiteral("reenrolled-tpm"), QStringLiteral("wipe and re-enroll"));
    const QString evidence = evidenceOf(fresh->deviceId(), QStringLiteral("reenrolled-tpm"));
    QVERIFY2(evidence.contains(QLatin1String("KIOSK-TPM-WIPE")) && evidence.contains(QLatin1String("2 announced entries never delivered (seq 4..5)"))
                 && evidence.contains(QLatin1String("2 more counted and never announced")),
             qPrintable(evidence));
}

// Root copies the file key, credentials and database to a second machine without the TPM.
void TestTpmKiosk::cloneOnMachineWithoutTpm_flaggedAsTpmMissing()
{
    SwtpmProcess tpm;
    auto k = honestStart(QStringLiteral("KIOSK-TPM-CLONE"), tpm);
    QVERIFY(k);
    auto clone = cloneOf(*k, QStringLiteral("KIOSK-TPM-CLONE-b"));
    QVERIFY(clone);
    QString error;
    QVERIFY2(clone->open(&error), qPrintable(error));
    QVERIFY(clone->commit(2));
    QVERIFY(clone->sync());
    detected(k->deviceId(), QStringLiteral("tpm-missing"), QStringLiteral("clone on a machine without the TPM"));
}

// The clone's machine has a TPM of its own: the copied key blob does not load there, so the
// cloner makes a new TPM key; the hub sees another TPM for the device.
void TestTpmKiosk::cloneOnMachineWithOtherTpm_flaggedAsTpmChanged()
{
    SwtpmProcess tpm;
    auto k = honestStart(QStringLiteral("KIOSK-TPM-CLONE2"), tpm);
    QVERIFY(k);
    SwtpmProcess other;
    QVERIFY(other.start(m_dir.filePath(QStringLiteral("KIOSK-TPM-CLONE2-other-tpm"))));
    const QString name = QStringLiteral("KIOSK-TPM-CLONE2-b");
    auto clone = cloneOf(*k, name);
    QVERIFY(clone);
    clone->setTpm(other.tcti(), blobPath(name));
    QString error;
    QVERIFY(!clone->open(&error)); // the copied blob is useless on this TPM
    QVERIFY2(error.contains(QLatin1String("cannot load")), qPrintable(error));
    clone->close();
    QVERIFY(QFile::remove(blobPath(name)));
    QVERIFY2(clone->open(&error), qPrintable(error));
    QVERIFY(clone->commit(2));
    QVERIFY(clone->sync());
    detected(k->deviceId(), QStringLiteral("tpm-changed"), QStringLiteral("clone on a machine with another TPM"));
}

// The clone without a TPM sends an attestation captured from the original (e.g. off the wire)
// with its own new ratings.
void TestTpmKiosk::cloneReplayingCapturedAttestation_flaggedAsTpmStale()
{
    SwtpmProcess tpm;
    auto k = honestStart(QStringLiteral("KIOSK-TPM-CLONE3"), tpm);
    QVERIFY(k);
    const QJsonObject captured = k->attestation();
    auto clone = cloneOf(*k, QStringLiteral("KIOSK-TPM-CLONE3-b"));
    QVERIFY(clone);
    clone->replayAttestation(captured);
    QString error;
    QVERIFY2(clone->open(&error), qPrintable(error));
    QCOMPARE(clone->heartbeat(), 200);
    QCOMPARE(alerts(k->deviceId()), QJsonArray()); // the replayed pair alone is consistent
    QVERIFY(clone->commit(2));
    QVERIFY(clone->sync());
    detected(k->deviceId(), QStringLiteral("tpm-stale"), QStringLiteral("clone replaying a captured attestation"));
}

// Root has the file key (it is a file) and the kiosk's code: it writes two forged good ratings
// with a Store and Ledger of its own, leaving the TPM alone.
void TestTpmKiosk::entriesForgedWithFileKeyOutsideKiosk_flaggedAsUncountedEntries()
{
    SwtpmProcess tpm;
    auto k = honestStart(QStringLiteral("KIOSK-TPM-FORGE"), tpm);
    QVERIFY(k);
    k->close();
    {
        kiosk::Store forger;
        QString error;
        QVERIFY2(forger.open(k->path(), &error), qPrintable(error));
        kiosk::Ledger ledger(k->key());
        ledger.attach(forger);
        for (int i = 0; i < 2; ++i) {
            kiosk::Evaluation e;
            e.projectNo = QStringLiteral("FORGED-%1").arg(i);
            e.satisfaction = 5;
            QVERIFY(forger.commitEvaluation(e).ok());
        }
        forger.close();
    }
    QString error;
    QVERIFY2(k->open(&error), qPrintable(error));
    QVERIFY(k->sync());
    detected(k->deviceId(), QStringLiteral("uncounted-entries"), QStringLiteral("entries forged with the file key"));
    QVERIFY2(evidenceOf(k->deviceId(), QStringLiteral("uncounted-entries")).contains(QLatin1String("2 entries more")),
             qPrintable(evidenceOf(k->deviceId(), QStringLiteral("uncounted-entries"))));
}

// The TPM stops answering (here: its simulator is killed) while people rate: no rating is lost,
// and the hub is told by the missing attestation.
void TestTpmKiosk::tpmFailsWhileRating_ratingsKept_hubFlagsTpmMissing()
{
    SwtpmProcess tpm;
    auto k = honestStart(QStringLiteral("KIOSK-TPM-FAIL"), tpm);
    QVERIFY(k);
    tpm.stop();
    QVERIFY(k->commit(2, 1));
    QVERIFY(k->sync());
    QCOMPARE(hubEvaluations(m_hub.url(), k->deviceId()).size(), 5);
    QVERIFY2(kinds(k->deviceId()).contains(QStringLiteral("tpm-missing")), qPrintable(kinds(k->deviceId()).join(',')));
}

// A captured attestation sent again later (to hide a deletion behind an old, consistent pair).
void TestTpmKiosk::replayedOldAttestation_flaggedAsCounterRewind()
{
    SwtpmProcess tpm;
    auto k = honestStart(QStringLiteral("KIOSK-TPM-REPLAY"), tpm);
    QVERIFY(k);
    const QJsonObject captured = k->attestation();
    QVERIFY(!captured.isEmpty());
    QVERIFY(k->commit(2));
    QVERIFY(k->sync());
    QCOMPARE(alerts(k->deviceId()), QJsonArray());
    QCOMPARE(k->heartbeat(captured), 200);
    detected(k->deviceId(), QStringLiteral("counter-rewind"), QStringLiteral("replay an old attestation"));
}

void TestTpmKiosk::editedAttestation_flaggedAsBadAttestation()
{
    SwtpmProcess tpm;
    auto k = honestStart(QStringLiteral("KIOSK-TPM-EDIT"), tpm);
    QVERIFY(k);
    QJsonObject edited = k->attestation();
    edited.insert(QStringLiteral("counter"), edited.value(QLatin1String("counter")).toInteger() - 2);
    QCOMPARE(k->heartbeat(edited), 200);
    detected(k->deviceId(), QStringLiteral("tpm-bad-attestation"), QStringLiteral("edit the attested counter"));
}

void TestTpmKiosk::detectedSummary()
{
    QCOMPARE(m_detected, m_attempts);
    QCOMPARE(m_attempts, 10);
}

QTEST_GUILESS_MAIN(TestTpmKiosk)
#include "tst_tpmkiosk.moc"

// SPDX-License-Identifier: Apache-2.0
// Issue 13, receipts as witnesses (PROTOCOL §4c), end to end: a citizen rates at kiosk A through
// the real EvaluationSession (its receipt QR signed as kiosk/main.cpp signs it), root on A
// deletes that rating before it is synced (undetectable by A's file-key ledger alone), and the
// printed receipt is scanned at kiosk B through B's real scan path (EvaluationSession →
// receiptWitnessScanned → HubClient::reportWitness, wired as main.cpp wires it). The real
// hcp-hub must raise `witnessed-missing` for A; a forged receipt is refused with its status;
// an honest receipt raises nothing.
#include "hubprocess.h"
#include "tamperkiosk.h"

#include "casedirectory.h"
#include "evaluationsession.h"
#include "indicatorset.h"
#include "qrpayload.h"
#include "questionnaire.h"
#include "receiptwitness.h"
#include "workcalendar.h"

#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

#include <memory>

using namespace hcp;
using namespace hcp::kiosk;
using namespace hcp::sync::test;

namespace {

// The kiosk's screens over a TamperKiosk's store: case lookup and the evaluation session.
struct Screens
{
    explicit Screens(TamperKiosk &k)
        : directory(&k.store())
        , session(&k.store(), &directory)
    {
        WorkCalendar calendar;
        calendar.loadDirectory(QStringLiteral(HCP_HOLIDAY_DIR));
        session.setCalendar(calendar);
        session.setIndicatorSet(IndicatorSet::builtin());
        session.setQuestionnaires(QuestionnaireCatalog::builtin());
        // As kiosk/main.cpp: printed receipts witness their evaluation.
        session.setReceiptSigner([deviceId = k.deviceId(), key = k.key()](const Evaluation &e) {
            return trust::ReceiptWitness::sign(key, deviceId, quint64(e.deviceSeq), e.uuid);
        });
    }
    CaseDirectory directory;
    EvaluationSession session;
};

struct WitnessReply
{
    int status = 0;
    QString verdict;
    QString error;
};

} // namespace

class TestReceiptWitness : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();

    void receiptOfDeletedRating_scannedAtOtherKiosk_witnessedMissing();
    void forgedReceipt_refused422_noAlert_genuinePendingUntilSynced();
    void receiptOfUnknownDevice_refused404();
    void honestReceipt_scannedAtOtherKiosk_deliveredNoAlert();

private:
    std::unique_ptr<TamperKiosk> startKiosk(const QString &deviceId)
    {
        auto k = std::make_unique<TamperKiosk>(deviceId, m_dir.filePath(deviceId + QStringLiteral(".sqlite")), m_hub.url());
        QString error;
        if (!k->enrolled() || !k->open(&error)) {
            qWarning() << "kiosk start failed:" << error;
            return nullptr;
        }
        return k;
    }
    // After `synced` honest ratings are synced, a citizen rates case projectNo (差评 with reason
    // 501) at kiosk k's screens; the receipt QR (empty on failure) and its witness in *receipt.
    QString rate(TamperKiosk &k, Screens &s, int synced, const QString &projectNo, QrPayload *receipt)
    {
        if (synced > 0 && (!k.commit(synced) || !k.sync()))
            return {};
        Case c;
        c.projectNo = projectNo;
        c.taskCode = QStringLiteral("T-001");
        c.taskName = QStringLiteral("社会保障卡申领");
        c.deptName = QStringLiteral("人力资源和社会保障局");
        c.windowNo = QStringLiteral("A03");
        c.staffName = QStringLiteral("马丽");
        c.staffNo = QStringLiteral("RS0312");
        c.resultDate = QDateTime::currentDateTime().addSecs(-600);
        c.userName = QStringLiteral("王建国");
        c.proStatus = 3;
        if (!k.store().upsertCases({c}))
            return {};
        s.session.beginTypedLookup();
        s.session.submitTypedLookup(projectNo, c.userName);
        if (s.session.state() != EvaluationSession::State::Rate) {
            qWarning() << "lookup ended in" << s.session.state() << s.session.message();
            return {};
        }
        s.session.rate(1);
        s.session.toggleReason(QStringLiteral("501"));
        s.session.next();
        s.session.next();
        s.session.next();
        s.session.submit();
        if (s.session.state() != EvaluationSession::State::Thanks) {
            qWarning() << "rating ended in" << s.session.state() << s.session.message();
            return {};
        }
        const QString qr = s.session.receiptQr();
        const qint64 seq = s.session.lastCommitted().deviceSeq;
        const int satisfaction = s.session.lastCommitted().satisfaction;
        s.session.finish();
        *receipt = parseQrPayload(qr.toUtf8());
        if (satisfaction != 1 || !receipt->witness || receipt->witness->deviceId != k.deviceId()
            || qint64(receipt->witness->deviceSeq) != seq || seq != synced + 1) {
            qWarning() << "receipt does not witness the 差评 at seq" << seq << ":" << qr;
            return {};
        }
        return qr;
    }
    // The receipt held up to kiosk k's camera; the hub's answer to the witness report k sends.
    WitnessReply scan(TamperKiosk &k, Screens &s, const QString &qr)
    {
        WitnessReply out;
        bool done = false;
        // As kiosk/main.cpp: a receipt scanned here tells the hub that its evaluation exists.
        const auto c = connect(&s.session, &EvaluationSession::receiptWitnessScanned, k.client(),
                               [&](const trust::ReceiptWitness &w) {
                                   k.client()->reportWitness(w, [&](const sync::HubReply &r) {
                                       out.status = r.status;
                                       out.verdict = r.json().value(QLatin1String("status")).toString();
                                       out.error = r.json().value(QLatin1String("error")).toString();
                                       done = true;
                                   });
                               });
        s.session.beginScan();
        s.session.submitQrPayload(qr.toUtf8());
        if (!QTest::qWaitFor([&] { return done; }, 15000))
            qWarning() << "no witness report for" << qr;
        disconnect(c);
        s.session.cancel();
        return out;
    }
    static QString withQueryItem(const QString &url, const QString &key, const QString &value)
    {
        QUrl u(url);
        QUrlQuery q(u);
        q.removeQueryItem(key);
        q.addQueryItem(key, value);
        u.setQuery(q);
        return u.toString(QUrl::FullyEncoded);
    }

    QTemporaryDir m_dir;
    HubProcess m_hub;
    std::unique_ptr<TamperKiosk> m_scanner; // kiosk B, where receipts are scanned
    std::unique_ptr<Screens> m_scannerScreens;
};

void TestReceiptWitness::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY2(m_hub.start(m_dir.filePath(QStringLiteral("hub.sqlite"))), qPrintable(m_hub.output()));
    m_scanner = startKiosk(QStringLiteral("WITNESS-B"));
    QVERIFY(m_scanner);
    m_scannerScreens = std::make_unique<Screens>(*m_scanner);
}

void TestReceiptWitness::cleanupTestCase()
{
    m_scannerScreens.reset();
    m_scanner.reset();
    m_hub.kill();
}

void TestReceiptWitness::receiptOfDeletedRating_scannedAtOtherKiosk_witnessedMissing()
{
    auto a = startKiosk(QStringLiteral("WITNESS-A"));
    QVERIFY(a);
    Screens screens(*a);
    QrPayload p;
    const QString receipt = rate(*a, screens, 3, QStringLiteral("WITNESS0001"), &p);
    QVERIFY(!receipt.isEmpty());

    // Root tears the 差评 out of all three tables before it is synced; the kiosk rates on.
    for (const QString &table : {QStringLiteral("evaluation WHERE device_seq"), QStringLiteral("outbox WHERE seq"),
                                 QStringLiteral("ledger WHERE seq")})
        QVERIFY(a->exec(QStringLiteral("DELETE FROM %1 = 4").arg(table)));
    QVERIFY(a->commit(1)); // seq 4 again, another rating
    QVERIFY(a->sync());
    QCOMPARE(a->heartbeat(), 200);
    QCOMPARE(alertKinds(m_hub.url(), a->deviceId()), QStringList()); // the ledger alone sees nothing

    // The citizen holds the printed receipt up to kiosk B (to follow up on the 差评).
    const WitnessReply r = scan(*m_scanner, *m_scannerScreens, receipt);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.verdict, QStringLiteral("missing"));
    const QJsonArray alerts = deviceAlerts(m_hub.url(), a->deviceId());
    QCOMPARE(alerts.size(), 1);
    const QJsonObject alert = alerts.first().toObject();
    QCOMPARE(alert.value(QLatin1String("kind")).toString(), QStringLiteral("witnessed-missing"));
    const QString evidence = alert.value(QLatin1String("evidence")).toString();
    QVERIFY2(evidence.contains(p.witness->uuid) && evidence.contains(QLatin1String("WITNESS-B")), qPrintable(evidence));

    // Scanning it again does not raise it twice.
    QCOMPARE(scan(*m_scanner, *m_scannerScreens, receipt).verdict, QStringLiteral("missing"));
    QCOMPARE(deviceAlerts(m_hub.url(), a->deviceId()).size(), 1);
}

// A receipt whose signature does not cover what it names is refused; a genuine one scanned
// before the issuer syncs is pending, then decided with the issuer's batch.
void TestReceiptWitness::forgedReceipt_refused422_noAlert_genuinePendingUntilSynced()
{
    auto a = startKiosk(QStringLiteral("WITNESS-FORGED"));
    QVERIFY(a);
    Screens screens(*a);
    QrPayload p;
    const QString receipt = rate(*a, screens, 2, QStringLiteral("WITNESS0002"), &p);
    QVERIFY(!receipt.isEmpty());

    // Someone prints receipts naming a seq the kiosk never had, re-using a real signature.
    const QString otherSeq = withQueryItem(receipt, QStringLiteral("s"), QStringLiteral("2"));
    WitnessReply r = scan(*m_scanner, *m_scannerScreens, otherSeq);
    QCOMPARE(r.status, 422);
    QCOMPARE(r.error, QStringLiteral("bad_signature"));
    // A signature of the right form made with another key.
    const trust::Key stranger = trust::Key::generate(trust::KeyType::Sm2);
    const auto fake = trust::ReceiptWitness::sign(stranger, a->deviceId(), 9, p.witness->uuid);
    QVERIFY(fake);
    r = scan(*m_scanner, *m_scannerScreens, withQueryItem(withQueryItem(receipt, QStringLiteral("s"), QStringLiteral("9")),
                                                          QStringLiteral("w"), fake->signatureText()));
    QCOMPARE(r.status, 422);
    QCOMPARE(r.error, QStringLiteral("bad_signature"));
    QCOMPARE(alertKinds(m_hub.url(), a->deviceId()), QStringList());

    // The genuine receipt before the rating is synced: pending; delivered with the batch.
    r = scan(*m_scanner, *m_scannerScreens, receipt);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.verdict, QStringLiteral("pending"));
    QVERIFY(a->sync());
    QCOMPARE(alertKinds(m_hub.url(), a->deviceId()), QStringList());
    QCOMPARE(scan(*m_scanner, *m_scannerScreens, receipt).verdict, QStringLiteral("delivered"));
}

void TestReceiptWitness::receiptOfUnknownDevice_refused404()
{
    const trust::Key key = trust::Key::generate(trust::KeyType::Sm2);
    const auto w = trust::ReceiptWitness::sign(key, QStringLiteral("NO-SUCH-KIOSK"), 1,
                                               QStringLiteral("6f1c2a4e-8c1b-4f7e-9d55-0b7a3d1e2f01"));
    QVERIFY(w);
    const QString qr = receiptQrUrl(KioskConfig().followUpBase, w->uuid, QStringLiteral("WITNESS0404"), 1, w);
    const WitnessReply r = scan(*m_scanner, *m_scannerScreens, qr);
    QCOMPARE(r.status, 404);
    QCOMPARE(r.error, QStringLiteral("unknown_device"));
}

void TestReceiptWitness::honestReceipt_scannedAtOtherKiosk_deliveredNoAlert()
{
    auto a = startKiosk(QStringLiteral("WITNESS-HONEST"));
    QVERIFY(a);
    Screens screens(*a);
    QrPayload p;
    const QString receipt = rate(*a, screens, 0, QStringLiteral("WITNESS0003"), &p);
    QVERIFY(!receipt.isEmpty());
    QVERIFY(a->sync());
    QCOMPARE(a->heartbeat(), 200);
    const WitnessReply r = scan(*m_scanner, *m_scannerScreens, receipt);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.verdict, QStringLiteral("delivered"));
    QCOMPARE(deviceAlerts(m_hub.url(), a->deviceId()), QJsonArray());
    QCOMPARE(deviceAlerts(m_hub.url(), m_scanner->deviceId()), QJsonArray());
}

QTEST_GUILESS_MAIN(TestReceiptWitness)
#include "tst_receiptwitness.moc"

// SPDX-License-Identifier: Apache-2.0
#include "qrpayload.h"

#include <QRandomGenerator>
#include <QTest>

using namespace hcp::kiosk;

class TestQrPayload : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void bareProjectNo_isProjectRef()
    {
        const QrPayload p = parseQrPayload("1101052611120037\r\n");
        QCOMPARE(p.kind, QrPayload::Kind::ProjectRef);
        QCOMPARE(p.projectNo, QStringLiteral("1101052611120037"));
        QCOMPARE(p.serviceNumber, 0);
    }
    void url_parameterNames_data()
    {
        QTest::addColumn<QByteArray>("raw");
        QTest::addColumn<QString>("projectNo");
        QTest::addColumn<int>("serviceNumber");
        QTest::newRow("projectNo") << QByteArray("https://zwfw.example.gov.cn/bjcx?projectNo=1101052611120037") << "1101052611120037" << 0;
        QTest::newRow("lowercase") << QByteArray("http://a.gov.cn/x?projectno=ABC-123456&serviceNumber=2") << "ABC-123456" << 2;
        QTest::newRow("code") << QByteArray("https://a.gov.cn/pj?code=A1234567") << "A1234567" << 0;
        QTest::newRow("serviceCode") << QByteArray("https://a.gov.cn/pj?serviceCode=SC20261128001") << "SC20261128001" << 0;
        QTest::newRow("fragment") << QByteArray("https://a.gov.cn/#/evaluate?projectNo=370102000123") << "370102000123" << 0;
        QTest::newRow("encoded") << QByteArray("https://a.gov.cn/p?projectNo=%31%31%30%31%30%35%30%30") << "11010500" << 0;
    }
    void url_parameterNames()
    {
        QFETCH(QByteArray, raw);
        QFETCH(QString, projectNo);
        QFETCH(int, serviceNumber);
        const QrPayload p = parseQrPayload(raw);
        QCOMPARE(p.kind, QrPayload::Kind::ProjectRef);
        QCOMPARE(p.projectNo, projectNo);
        QCOMPARE(p.serviceNumber, serviceNumber);
    }
    void receiptQr_roundTrips()
    {
        const QString url = receiptQrUrl(QStringLiteral("https://hcp.example.gov.cn/f"),
                                         QStringLiteral("5f0c8a4e-8f7e-4d1e-9a55-0a2b7c9d1e11"),
                                         QStringLiteral("1101052611120037"), 1);
        const QrPayload p = parseQrPayload(url.toUtf8());
        QCOMPARE(p.kind, QrPayload::Kind::Receipt);
        QCOMPARE(p.evaluationUuid, QStringLiteral("5f0c8a4e-8f7e-4d1e-9a55-0a2b7c9d1e11"));
        QCOMPARE(p.projectNo, QStringLiteral("1101052611120037"));
        QCOMPARE(p.serviceNumber, 1);
    }
    void receiptQr_withWitness_roundTripsVerifiesAndFitsThePrinter()
    {
        const auto key = hcp::trust::Key::generate(hcp::trust::KeyType::Sm2);
        const QString uuid = QStringLiteral("5f0c8a4e-8f7e-4d1e-9a55-0a2b7c9d1e11");
        const QString device = QString(64, QLatin1Char('K'));
        const auto witness = hcp::trust::ReceiptWitness::sign(key, device, 4294967295u, uuid);
        QVERIFY(witness && witness->isValid());
        // Worst case: 40-character base, 50-character projectNo, 64-character device id.
        const QString url = receiptQrUrl(QStringLiteral("https://hcp-follow.county.example.gov.cn/"), uuid,
                                         QString(50, QLatin1Char('7')), 999, witness);
        QVERIFY2(url.toUtf8().size() <= kReceiptQrMaxBytes, qPrintable(QString::number(url.toUtf8().size())));
        const QrPayload p = parseQrPayload(url.toUtf8());
        QCOMPARE(p.kind, QrPayload::Kind::Receipt);
        QVERIFY(p.witness);
        QCOMPARE(p.witness->deviceId, device);
        QCOMPARE(p.witness->deviceSeq, quint64(4294967295u));
        QVERIFY(p.witness->verify(key.publicOnly()));
        // Another seq (or uuid) under the same signature does not verify: a receipt cannot be
        // moved onto another evaluation.
        hcp::trust::ReceiptWitness moved = *p.witness;
        moved.deviceSeq = 5;
        QVERIFY(!moved.verify(key.publicOnly()));
        // A mangled signature is no witness at all; the receipt still works for the follow-up.
        const QrPayload mangled = parseQrPayload(url.left(url.size() - 3).toUtf8());
        QCOMPARE(mangled.kind, QrPayload::Kind::Receipt);
        QVERIFY(!mangled.witness);
    }
    void garbage_isInvalidWithReason_data()
    {
        QTest::addColumn<QByteArray>("raw");
        QTest::addColumn<int>("error");
        QTest::newRow("empty") << QByteArray() << int(QrPayload::Error::Empty);
        QTest::newRow("only newline") << QByteArray("\r\n") << int(QrPayload::Error::Empty);
        QTest::newRow("oversized") << QByteArray(kQrPayloadMaxBytes + 1, 'A') << int(QrPayload::Error::Oversized);
        QTest::newRow("binary") << QByteArray("\x00\x01\xff\xfe", 4) << int(QrPayload::Error::Binary);
        QTest::newRow("bad utf8") << QByteArray("abc\xc3\x28") << int(QrPayload::Error::Binary);
        QTest::newRow("control") << QByteArray("12345678\x07") << int(QrPayload::Error::Binary);
        QTest::newRow("C1 in url") << QByteArray("https://a.gov.cn/p?projectNo=12345678\xc2\x85") << int(QrPayload::Error::Binary);
        QTest::newRow("bidi override") << QByteArray("https://a.gov.cn/p?projectNo=12345678\xe2\x80\xae") << int(QrPayload::Error::Binary);
        QTest::newRow("wifi") << QByteArray("WIFI:S:hall;T:WPA;P:secret;;") << int(QrPayload::Error::Unrecognized);
        QTest::newRow("short") << QByteArray("12345") << int(QrPayload::Error::Unrecognized);
        QTest::newRow("chinese") << QByteArray("办件编号一二三") << int(QrPayload::Error::Unrecognized);
        QTest::newRow("url without param") << QByteArray("https://a.gov.cn/?x=1") << int(QrPayload::Error::Unrecognized);
        QTest::newRow("javascript") << QByteArray("javascript:alert(1)//projectNo=12345678") << int(QrPayload::Error::Unrecognized);
        QTest::newRow("receipt bad uuid") << QByteArray("https://h.gov.cn/f?eval=not-a-uuid&projectNo=x") << int(QrPayload::Error::Unrecognized);
        QTest::newRow("sql") << QByteArray("1'; DROP TABLE evaluation;--") << int(QrPayload::Error::Unrecognized);
    }
    void garbage_isInvalidWithReason()
    {
        QFETCH(QByteArray, raw);
        QFETCH(int, error);
        const QrPayload p = parseQrPayload(raw);
        QCOMPARE(p.kind, QrPayload::Kind::Invalid);
        QCOMPARE(int(p.error), error);
        QVERIFY(!qrErrorText(p.error).isEmpty());
    }
    void randomBytes_neverCrashAndValidOnlyWithAProjectNo()
    {
        QRandomGenerator rng(20261128);
        for (int i = 0; i < 20000; ++i) {
            QByteArray b(int(rng.bounded(0, 300)), Qt::Uninitialized);
            for (char &c : b)
                c = char(rng.bounded(0, 256));
            const QrPayload p = parseQrPayload(b);
            if (p.isValid())
                QVERIFY(!p.projectNo.isEmpty());
        }
    }
};

QTEST_GUILESS_MAIN(TestQrPayload)
#include "tst_qrpayload.moc"

// SPDX-License-Identifier: Apache-2.0
#include "hardware/scanner/hidposparser.h"
#include "hardware/scanner/scannersimulator.h"
#include "hardware/scanner/wedgedecoder.h"

#include <QTest>

using namespace hcp::hardware;

class TestScannerDecoders : public QObject {
    Q_OBJECT
private slots:
    void characterFor_referenceTable_data();
    void characterFor_referenceTable();
    void keyFor_everyPrintableAscii_roundTrips();
    void wedge_referenceExampleA1Enter_givesA1();
    void wedge_url_withShiftedCharacters_decodesExactly();
    void wedge_noSuffix_endsAfterQuietTimeout();
    void wedge_eventsSplitAcrossReads_decodeIntact();
    void wedge_capsLockAndUnknownKeys_handled();
    void hidPos_singleReport_givesAimAndData();
    void hidPos_continuationReports_concatenate();
    void hidPos_otherReportIdOrShortReport_ignoredOrRejected();
    void hidPos_lengthIncludesAimMode_readsHoneywellCapture();
};

void TestScannerDecoders::characterFor_referenceTable_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<bool>("shift");
    QTest::addColumn<char>("expected");
    // §3.1 usage → evdev code table.
    QTest::newRow("a") << 30 << false << 'a';
    QTest::newRow("A") << 30 << true << 'A';
    QTest::newRow("z") << 44 << false << 'z';
    QTest::newRow("1") << 2 << false << '1';
    QTest::newRow("!") << 2 << true << '!';
    QTest::newRow("0") << 11 << false << '0';
    QTest::newRow(")") << 11 << true << ')';
    QTest::newRow("-") << 12 << false << '-';
    QTest::newRow("_") << 12 << true << '_';
    QTest::newRow("=") << 13 << false << '=';
    QTest::newRow("+") << 13 << true << '+';
    QTest::newRow(";") << 39 << false << ';';
    QTest::newRow(":") << 39 << true << ':';
    QTest::newRow("/") << 53 << false << '/';
    QTest::newRow("?") << 53 << true << '?';
    QTest::newRow(".") << 52 << false << '.';
    QTest::newRow("space") << 57 << false << ' ';
    QTest::newRow("enter has no char") << 28 << false << '\0';
}

void TestScannerDecoders::characterFor_referenceTable()
{
    QFETCH(int, code);
    QFETCH(bool, shift);
    QFETCH(char, expected);
    QCOMPARE(WedgeDecoder::characterFor(quint16(code), shift), expected);
}

void TestScannerDecoders::keyFor_everyPrintableAscii_roundTrips()
{
    for (char c = 0x20; c < 0x7F; ++c) {
        const auto k = WedgeDecoder::keyFor(c);
        QVERIFY2(k, qPrintable(QString(QLatin1Char(c))));
        QCOMPARE(WedgeDecoder::characterFor(k->first, k->second), c);
    }
    QVERIFY(!WedgeDecoder::keyFor('\x01'));
}

void TestScannerDecoders::wedge_referenceExampleA1Enter_givesA1()
{
    // Shift+a, then 1, then Enter, as evdev key events.
    WedgeDecoder d;
    QVERIFY(!d.keyEvent(42, 1, 0));
    QVERIFY(!d.keyEvent(30, 1, 1));
    QVERIFY(!d.keyEvent(30, 0, 2));
    QVERIFY(!d.keyEvent(42, 0, 3));
    QVERIFY(!d.keyEvent(2, 1, 4));
    QVERIFY(!d.keyEvent(2, 0, 5));
    const auto scan = d.keyEvent(28, 1, 6);
    QVERIFY(scan);
    QCOMPARE(*scan, QByteArray("A1"));
    QVERIFY(!d.keyEvent(28, 0, 7));
    QCOMPARE(d.pendingSize(), qsizetype(0));
}

void TestScannerDecoders::wedge_url_withShiftedCharacters_decodesExactly()
{
    const QByteArray url = "https://example.gov.cn/pj?c=A123&t=X_Y";
    WedgeDecoder d;
    const QList<QByteArray> scans = d.feedEvents(ScannerSimulator::wedgeEvents(url), 0);
    QCOMPARE(scans.size(), 1);
    QCOMPARE(scans.at(0), url);
}

void TestScannerDecoders::wedge_noSuffix_endsAfterQuietTimeout()
{
    WedgeDecoder d(80);
    QVERIFY(d.feedEvents(ScannerSimulator::wedgeEvents("ABC", false), 1000).isEmpty());
    QVERIFY(!d.poll(1050));
    const auto scan = d.poll(1080);
    QVERIFY(scan);
    QCOMPARE(*scan, QByteArray("ABC"));
    // Two suffix-less scans separated by a gap: the first ends when the second begins.
    QVERIFY(d.feedEvents(ScannerSimulator::wedgeEvents("X1", false), 2000).isEmpty());
    const QList<QByteArray> second = d.feedEvents(ScannerSimulator::wedgeEvents("Y2", false), 2200);
    QCOMPARE(second, QList<QByteArray>{"X1"});
    QCOMPARE(*d.poll(2300), QByteArray("Y2"));
}

void TestScannerDecoders::wedge_eventsSplitAcrossReads_decodeIntact()
{
    const QByteArray stream = ScannerSimulator::wedgeEvents("HCP-2026:ok") + ScannerSimulator::wedgeEvents("second");
    for (int chunk : {1, 5, 23, 24, 25, 100}) {
        WedgeDecoder d;
        QList<QByteArray> scans;
        for (qsizetype at = 0; at < stream.size(); at += chunk)
            scans += d.feedEvents(stream.mid(at, chunk), 0);
        QCOMPARE(scans, (QList<QByteArray>{"HCP-2026:ok", "second"}));
    }
}

void TestScannerDecoders::wedge_capsLockAndUnknownKeys_handled()
{
    WedgeDecoder d;
    d.keyEvent(58, 1, 0);     // caps lock on
    d.keyEvent(30, 1, 1);     // a → A
    d.keyEvent(2, 1, 2);      // 1 unaffected
    d.keyEvent(42, 1, 3);
    d.keyEvent(30, 1, 4);     // shift + caps → a
    d.keyEvent(42, 0, 5);
    d.keyEvent(59, 1, 6);     // F1: no character, counted as dropped
    d.keyEvent(30, 2, 7);     // autorepeat ignored
    const auto scan = d.keyEvent(96, 1, 8);     // keypad Enter
    QVERIFY(scan);
    QCOMPARE(*scan, QByteArray("A1a"));
    QCOMPARE(d.droppedKeys(), quint64(1));
}

void TestScannerDecoders::hidPos_singleReport_givesAimAndData()
{
    const QByteArray payload = "https://example.gov.cn/pj?c=A123";
    const QList<QByteArray> reports = HidPosParser::buildReports(payload);
    QCOMPARE(reports.size(), 1);
    const QByteArray &r = reports.first();
    QCOMPARE(r.size(), 64);
    QCOMPARE(quint8(r[0]), quint8(0x02));
    QCOMPARE(int(quint8(r[1])), payload.size());
    QCOMPARE(r.mid(2, 3), QByteArray("]Q1"));
    QCOMPARE(r.mid(5, payload.size()), payload);
    QCOMPARE(quint8(r[61]), quint8(0x73));
    QCOMPARE(quint8(r[63]), quint8(0));
    HidPosParser p;
    const auto scan = p.feedReport(r);
    QVERIFY(scan);
    QCOMPARE(scan->data, payload);
    QCOMPARE(scan->aimId, QByteArray("]Q1"));
    QCOMPARE(scan->codeId, quint8(0x73));
}

void TestScannerDecoders::hidPos_continuationReports_concatenate()
{
    QByteArray payload;
    for (int i = 0; i < 150; ++i)
        payload.append(char('A' + i % 26));
    const QList<QByteArray> reports = HidPosParser::buildReports(payload);
    QCOMPARE(reports.size(), 3);    // 56 + 56 + 38
    QCOMPARE(quint8(reports[0][63]), quint8(1));
    QCOMPARE(quint8(reports[1][63]), quint8(1));
    QCOMPARE(quint8(reports[2][63]), quint8(0));
    HidPosParser p;
    QVERIFY(!p.feedReport(reports[0]));
    QVERIFY(p.inProgress());
    QVERIFY(!p.feedReport(reports[1]));
    const auto scan = p.feedReport(reports[2]);
    QVERIFY(scan);
    QCOMPARE(scan->data, payload);
    QVERIFY(!p.inProgress());
}

void TestScannerDecoders::hidPos_otherReportIdOrShortReport_ignoredOrRejected()
{
    HidPosParser p;
    QByteArray other(64, '\0');
    other[0] = 0x04;
    QVERIFY(!p.feedReport(other));
    QCOMPARE(p.malformedReports(), quint64(0));
    QVERIFY(!p.feedReport(QByteArray::fromHex("02050000")));
    QCOMPARE(p.malformedReports(), quint64(1));
    QByteArray tooLong = HidPosParser::buildReports("x").first();
    tooLong[1] = char(57);
    QVERIFY(!p.feedReport(tooLong));
    QCOMPARE(p.malformedReports(), quint64(2));
    // A malformed report in the middle of a scan discards the partial scan.
    QByteArray longPayload(80, 'q');
    const auto reports = HidPosParser::buildReports(longPayload);
    QVERIFY(!p.feedReport(reports[0]));
    QVERIFY(!p.feedReport(tooLong));
    QVERIFY(!p.inProgress());
}

void TestScannerDecoders::hidPos_lengthIncludesAimMode_readsHoneywellCapture()
{
    // python_hon_usbhid's capture: ID 2, length 56, "]X0" then data.
    QByteArray r(64, '\0');
    r[0] = 2;
    r[1] = 56;
    r.replace(2, 3, "]X0");
    const QByteArray data(53, 'D');
    r.replace(5, 53, data);
    HidPosParser includes(HidPosParser::LengthMode::IncludesAimId);
    const auto scan = includes.feedReport(r);
    QVERIFY(scan);
    QCOMPARE(scan->aimId, QByteArray("]X0"));
    QCOMPARE(scan->data, data);
    HidPosParser excludes(HidPosParser::LengthMode::ExcludesAimId);
    QCOMPARE(excludes.feedReport(r)->data.size(), 56);
    const auto built = HidPosParser::buildReports(data, "]X0", 0, HidPosParser::LengthMode::IncludesAimId);
    QCOMPARE(built.first().left(58), r.left(58));
}

QTEST_GUILESS_MAIN(TestScannerDecoders)
#include "tst_scannerdecoders.moc"

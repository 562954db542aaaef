// SPDX-License-Identifier: Apache-2.0
// EscPos encoder and DLE EOT status decoding against the literal vectors of
// reference/hardware-protocols.md §2.2, §2.4–2.6.
#include "escpos.h"
#include "escposdecoder.h"

#include <QStandardPaths>
#include <QTest>

using hcp::hardware::EscPos;
using hcp::hardware::PrinterStatus;

namespace {
QByteArray hex(const char *h)
{
    return QByteArray::fromHex(QByteArray(h).replace(' ', ""));
}
} // namespace

class TestEscPos : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void modeCommands_matchReferenceBytes()
    {
        EscPos p;
        p.init().align(EscPos::Align::Center).size(2, 2).size(1, 1).bold(true).bold(false).feed(3)
            .cut(EscPos::Cut::Partial, 0).cut(EscPos::Cut::Full, 3);
        QCOMPARE(p.bytes(), hex("1B40 1B6101 1D2111 1D2100 1B4501 1B4500 1B6403 1D564200 1D564103"));
    }

    void size_outOfRange_isClamped()
    {
        EscPos p;
        p.size(0, 9).size(8, 1);
        QCOMPARE(p.bytes(), hex("1D2107 1D2170"));
    }

    void text_hanzi_isWrappedInFsAmpersandAsGbk()
    {
        EscPos p;
        p.line(QStringLiteral("政务服务"));
        QCOMPARE(p.bytes(), hex("1C26 D5FECEF1B7FECEF1 1C2E 0A"));
        QCOMPARE(EscPos::encodeGbk(QStringLiteral("好差评")), hex("BAC3B2EEC6C0"));
        QCOMPARE(EscPos::encodeGbk(QStringLiteral("满意")), hex("C2FAD2E2"));
        QCOMPARE(EscPos::encodeGbk(QStringLiteral("请扫码评价")), hex("C7EBC9A8C2EBC6C0BCDB"));
    }

    void text_asciiOnly_isSentRaw()
    {
        EscPos p;
        p.text(QStringLiteral("No. A123"));
        QCOMPARE(p.bytes(), QByteArray("No. A123"));
    }

    void encodeGbk_fourByteGb18030Character_becomesQuestionMark()
    {
        // U+1F600 and U+20000 (CJK Ext. B) need four GB18030 bytes: outside GBK.
        QCOMPARE(EscPos::encodeGbk(QString::fromUtf8("李😀华𠀀")), hex("C0EE 3F BBAA 3F"));
        // € is two-byte in GB18030 (A2 E3) and stays.
        QCOMPARE(EscPos::encodeGbk(QString::fromUtf8("€")), hex("A2E3"));
    }

    void text_controlCharacters_cannotInjectCommands()
    {
        EscPos p;
        p.text(QString::fromLatin1("A\x1b@\x1dV\x00" "B", 7) + QStringLiteral("窗口\x10\x04"));
        QVERIFY(!p.bytes().contains('\x1b'));
        QVERIFY(!p.bytes().contains('\x1d'));
        QVERIFY(!p.bytes().contains('\x10'));
        QCOMPARE(p.bytes(), hex("1C26 41204020562042 B4B0BFDA 2020 1C2E"));
    }

    void qrNative_exampleUrl_matchesReferenceBytes()
    {
        EscPos p;
        QVERIFY(p.qrNative("https://example.gov.cn/pj?c=A123", 6, EscPos::QrEcc::M));
        QCOMPARE(p.bytes(), hex("1D286B0400314132 00 1D286B03003143 06 1D286B03003145 31"
                                "1D286B2300315030 68747470733A2F2F6578616D706C652E676F762E636E2F706A3F633D41313233"
                                "1D286B03003151 30"));
    }

    void qrNative_emptyOrOversizedPayload_isRefusedAndAppendsNothing()
    {
        EscPos p;
        QVERIFY(!p.qrNative(QByteArray()));
        QVERIFY(!p.qrNative(QByteArray(7090, 'a')));
        QVERIFY(p.bytes().isEmpty());
    }

    void workedReceipt_matchesThe116ReferenceBytes()
    {
        EscPos p;
        p.init().align(EscPos::Align::Center).size(2, 2).line(QStringLiteral("政务服务")).size(1, 1)
            .line(QStringLiteral("好差评"));
        QVERIFY(p.qrNative("https://example.gov.cn/pj?c=A123", 6, EscPos::QrEcc::M));
        p.lf().feed(3).cut(EscPos::Cut::Partial, 0);
        const QByteArray expected = hex(
            "1B 40 1B 61 01 1D 21 11 1C 26 D5 FE CE F1 B7 FE CE F1 1C 2E 0A 1D 21 00 1C 26 BA C3 B2 EE"
            "C6 C0 1C 2E 0A 1D 28 6B 04 00 31 41 32 00 1D 28 6B 03 00 31 43 06 1D 28 6B 03 00 31 45 31"
            "1D 28 6B 23 00 31 50 30 68 74 74 70 73 3A 2F 2F 65 78 61 6D 70 6C 65 2E 67 6F 76 2E 63 6E"
            "2F 70 6A 3F 63 3D 41 31 32 33 1D 28 6B 03 00 31 51 30 0A 1B 64 03 1D 56 42 00");
        QCOMPARE(expected.size(), 116);
        QCOMPARE(p.bytes(), expected);
    }

    void raster_16x3_matchesReferenceBytes()
    {
        QBitArray bits(16 * 3);
        for (int x = 0; x < 16; ++x) {
            bits.setBit(x);
            bits.setBit(32 + x);
        }
        bits.setBit(16);       // row 1: leftmost pixel
        bits.setBit(16 + 15);  // row 1: rightmost pixel
        EscPos p;
        p.raster(bits, 16, 3);
        QCOMPARE(p.bytes(), hex("1D 76 30 00 02 00 03 00 FF FF 80 01 FF FF"));
    }

    void raster_widthNotMultipleOf8_padsRowsWithWhite()
    {
        QBitArray bits(9, true);
        EscPos p;
        p.raster(bits, 9, 1);
        QCOMPARE(p.bytes(), hex("1D 76 30 00 02 00 01 00 FF 80"));
    }

    void qrRaster_url_decodesBackToSamePayload()
    {
        const QByteArray url = "https://example.gov.cn/pj?c=A123";
        EscPos p;
        QVERIFY(p.qrRaster(url, 4, EscPos::QrEcc::M, 384));
        const auto r = hcp::tests::EscPosDecoder::decode(p.bytes());
        QCOMPARE(r.items.size(), 1);
        QCOMPARE(r.items.at(0).kind, hcp::tests::EscPosDecoder::Kind::Raster);
        QCOMPARE(r.items.at(0).payload, url);
        // 32 bytes at ECC M need version 3 (29 modules) + 2×4 quiet zone, 4 dots each.
        QCOMPARE(r.items.at(0).image.width(), 37 * 4 + 4);  // rounded up to whole bytes
        QCOMPARE(r.items.at(0).image.height(), 37 * 4);
    }

    void qrRaster_tooWideForPaper_isRefused()
    {
        EscPos p;
        QVERIFY(!p.qrRaster(QByteArray(300, 'x'), 8, EscPos::QrEcc::H, 384));
        QVERIFY(p.bytes().isEmpty());
    }

    void statusRequest_bytes()
    {
        QCOMPARE(EscPos::statusRequest(1), hex("100401"));
        QCOMPARE(EscPos::statusRequest(4), hex("100404"));
        QVERIFY(EscPos::statusRequest(0).isEmpty());
        QVERIFY(EscPos::statusRequest(5).isEmpty());
    }

    void statusReply_paperRoll_data()
    {
        QTest::addColumn<int>("reply");
        QTest::addColumn<bool>("nearEnd");
        QTest::addColumn<bool>("end");
        QTest::newRow("0x12 ok") << 0x12 << false << false;
        QTest::newRow("0x1E near end") << 0x1E << true << false;
        QTest::newRow("0x72 paper end") << 0x72 << false << true;
        QTest::newRow("0x7E both") << 0x7E << true << true;
        QTest::newRow("0x16 clone near end (0x04 only)") << 0x16 << true << false;
        QTest::newRow("0x32 clone end (0x20 only)") << 0x32 << false << true;
    }
    void statusReply_paperRoll()
    {
        QFETCH(int, reply);
        QFETCH(bool, nearEnd);
        QFETCH(bool, end);
        PrinterStatus s;
        QVERIFY(EscPos::applyStatusReply(4, quint8(reply), s));
        QCOMPARE(s.paperNearEnd, nearEnd);
        QCOMPARE(s.paperEnd, end);
    }

    void statusReply_printerOfflineCoverCutter_decoded()
    {
        PrinterStatus s;
        QVERIFY(EscPos::applyStatusReply(1, 0x12, s));
        QVERIFY(s.online);
        QVERIFY(EscPos::applyStatusReply(1, 0x1A, s));
        QVERIFY(!s.online);
        QVERIFY(EscPos::applyStatusReply(2, 0x16, s));
        QVERIFY(s.coverOpen);
        QVERIFY(!s.paperEnd);
        QVERIFY(EscPos::applyStatusReply(2, 0x32, s));
        QVERIFY(s.paperEnd);
        QVERIFY(!s.coverOpen);
        QVERIFY(EscPos::applyStatusReply(3, 0x1A, s));
        QVERIFY(s.cutterError);
        QVERIFY(EscPos::applyStatusReply(3, 0x32, s));
        QVERIFY(s.unrecoverableError);
        QVERIFY(!s.cutterError);
    }

    void statusReply_notAStatusByte_isRejectedAndStatusUnchanged()
    {
        PrinterStatus s;
        s.online = true;
        QVERIFY(!EscPos::applyStatusReply(1, 0x08, s));  // fixed bits 0x12 missing
        QVERIFY(!EscPos::applyStatusReply(1, 0x9A, s));  // bit 7 set
        QVERIFY(!EscPos::applyStatusReply(5, 0x12, s));
        QVERIFY(s.online);
        QVERIFY(EscPos::isStatusReply(0x12));
        QVERIFY(!EscPos::isStatusReply(0x13));
    }

    void readyToPrint_nearEndOnly_isStillReady()
    {
        PrinterStatus s;
        QVERIFY(!s.readyToPrint());  // not yet queried
        s.valid = true;
        s.paperNearEnd = true;
        QVERIFY(s.readyToPrint());
        s.coverOpen = true;
        QVERIFY(!s.readyToPrint());
    }

    void commandLength_knownCommands_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("length");
        QTest::newRow("text") << QByteArray("A") << 1;
        QTest::newRow("LF") << hex("0A") << 1;
        QTest::newRow("ESC @") << hex("1B40") << 2;
        QTest::newRow("ESC a 1") << hex("1B6101") << 3;
        QTest::newRow("ESC a incomplete") << hex("1B61") << 0;
        QTest::newRow("DLE EOT 4") << hex("100404") << 3;
        QTest::newRow("GS V 42 00") << hex("1D564200") << 4;
        QTest::newRow("GS V 01") << hex("1D5601") << 3;
        QTest::newRow("GS ( k store") << hex("1D286B0400314132 00 FF") << 9;
        QTest::newRow("GS ( k incomplete") << hex("1D286B23003150") << 0;
        QTest::newRow("GS v 0 16x3") << hex("1D 76 30 00 02 00 03 00 FF FF 80 01 FF FF") << 14;
        QTest::newRow("GS v 0 short") << hex("1D 76 30 00 02 00 03 00 FF FF 80") << 0;
        QTest::newRow("FS &") << hex("1C26") << 2;
        QTest::newRow("unknown ESC") << hex("1B7F") << 2;
    }
    void commandLength_knownCommands()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(int, length);
        QCOMPARE(int(EscPos::commandLength(bytes, 0)), length);
    }

    void commandLength_rasterDataContainingDleEot_isOneCommand()
    {
        // A real-time request hidden in image data must not be taken as a status request.
        const QByteArray b = hex("1D 76 30 00 03 00 01 00 10 04 01");
        QCOMPARE(int(EscPos::commandLength(b, 0)), 11);
    }
};

QTEST_GUILESS_MAIN(TestEscPos)
#include "tst_escpos.moc"

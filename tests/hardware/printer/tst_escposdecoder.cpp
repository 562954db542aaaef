// SPDX-License-Identifier: Apache-2.0
// The test-tree ESC/POS decoder against hand-written literal byte vectors (reference §2.4–2.6),
// so that a decoder bug cannot hide an encoder bug of the same shape.
#include "escposdecoder.h"

#include <QFile>
#include <QStandardPaths>
#include <QTest>

using hcp::tests::EscPosDecoder;

namespace {
QByteArray hex(const char *h)
{
    return QByteArray::fromHex(QByteArray(h).replace(' ', ""));
}
const char *kWorkedReceipt =
    "1B 40 1B 61 01 1D 21 11 1C 26 D5 FE CE F1 B7 FE CE F1 1C 2E 0A 1D 21 00 1C 26 BA C3 B2 EE"
    "C6 C0 1C 2E 0A 1D 28 6B 04 00 31 41 32 00 1D 28 6B 03 00 31 43 06 1D 28 6B 03 00 31 45 31"
    "1D 28 6B 23 00 31 50 30 68 74 74 70 73 3A 2F 2F 65 78 61 6D 70 6C 65 2E 67 6F 76 2E 63 6E"
    "2F 70 6A 3F 63 3D 41 31 32 33 1D 28 6B 03 00 31 51 30 0A 1B 64 03 1D 56 42 00";
} // namespace

class TestEscPosDecoder : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void workedReceipt116_rendersTitleLinesAndNativeQr()
    {
        const QByteArray bytes = hex(kWorkedReceipt);
        QCOMPARE(bytes.size(), 116);
        const auto r = EscPosDecoder::decode(bytes);
        QVERIFY2(r.errors.isEmpty(), qPrintable(r.errors.join('\n')));
        QVERIFY2(r.unknownCommands.isEmpty(), qPrintable(r.unknownCommands.join('\n')));
        QCOMPARE(r.inits, 1);
        QCOMPARE(r.cuts, 1);
        QCOMPARE(r.feedLines, 3);
        // Items: 政务服务, 好差评, QR, blank line after the QR.
        QCOMPARE(r.items.size(), 4);
        const auto &title = r.items.at(0);
        QCOMPARE(title.text, QStringLiteral("政务服务"));
        QCOMPARE(title.align, EscPosDecoder::Align::Center);
        QCOMPARE(title.width, 2);
        QCOMPARE(title.height, 2);
        QVERIFY(title.chinese);
        QCOMPARE(r.items.at(1).text, QStringLiteral("好差评"));
        QCOMPARE(r.items.at(1).width, 1);
        QCOMPARE(r.items.at(1).align, EscPosDecoder::Align::Center);
        const auto &qr = r.items.at(2);
        QCOMPARE(qr.kind, EscPosDecoder::Kind::NativeQr);
        QCOMPARE(qr.payload, QByteArray("https://example.gov.cn/pj?c=A123"));
        QCOMPARE(qr.qrModel, 0x32);
        QCOMPARE(qr.qrModuleSize, 6);
        QCOMPARE(qr.qrEcc, 0x31);
        QCOMPARE(r.items.at(3).text, QString());
        QCOMPARE(r.qrPayloads(), QList<QByteArray>{"https://example.gov.cn/pj?c=A123"});
    }

    void raster16x3_decodesToBitmap()
    {
        const auto r = EscPosDecoder::decode(hex("1D 76 30 00 02 00 03 00 FF FF 80 01 FF FF"));
        QVERIFY(r.errors.isEmpty());
        QCOMPARE(r.items.size(), 1);
        const QImage img = r.items.at(0).image;
        QCOMPARE(img.size(), QSize(16, 3));
        for (int x = 0; x < 16; ++x) {
            QCOMPARE(qGray(img.pixel(x, 0)), 0);
            QCOMPARE(qGray(img.pixel(x, 2)), 0);
            QCOMPARE(qGray(img.pixel(x, 1)), (x == 0 || x == 15) ? 0 : 255);
        }
        QVERIFY(r.items.at(0).payload.isEmpty());  // not a QR
    }

    void statusRequests_areRecordedNotPrinted()
    {
        const auto r = EscPosDecoder::decode(hex("100401 100404 41 0A"));
        QCOMPARE(r.statusRequests, (QList<int>{1, 4}));
        QCOMPARE(r.textLines(), QStringList{QStringLiteral("A")});
    }

    void truncatedQrStore_reportsErrorAndStops()
    {
        const auto r = EscPosDecoder::decode(hex("1D 28 6B 23 00 31 50 30 68 74"));
        QCOMPARE(r.errors.size(), 1);
        QVERIFY(r.errors.at(0).contains(QStringLiteral("GS ( data")));
        QVERIFY(r.items.isEmpty());
    }

    void qrPrintWithoutStore_isAnError()
    {
        const auto r = EscPosDecoder::decode(hex("1D 28 6B 03 00 31 51 30"));
        QVERIFY(r.items.isEmpty());
        QCOMPARE(r.errors.size(), 1);
    }

    void unterminatedText_isReportedNotPrinted()
    {
        const auto r = EscPosDecoder::decode(QByteArray("abc"));
        QVERIFY(r.items.isEmpty());
        QCOMPARE(r.errors.size(), 1);
    }

    void mixedAsciiAndKanjiRuns_decodeInOrder()
    {
        // "No.3 " raw, then 号窗口 in FS &, then ASCII again.
        const auto r = EscPosDecoder::decode(hex("4E 6F 2E 33 20 1C 26 BA C5 B4 B0 BF DA 1C 2E 21 0A"));
        QCOMPARE(r.textLines(), QStringList{QStringLiteral("No.3 号窗口!")});
    }

    // Bytes written by an independent generator, receiptline 4.0.4 (npm, Apache-2.0), with
    // data/receiptline_gen.js (where `"` is receiptline's emphasis markup, so the quotes turn
    // into ESC E 1 … ESC E 0 and are not printed): GB18030 text, ESC $ / ESC \\ positioning, a QR as GS 8 L fn 112
    // raster printed by GS ( L fn 50, two cuts. Exercises the decoder's paths that our own
    // encoder never produces.
    void receiptlineOutput_textAndRasterQrDecode()
    {
        QFile f(QStringLiteral(HCP_PRINTER_TESTDATA "/receiptline_escpos.bin"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const auto r = EscPosDecoder::decode(f.readAll());
        QVERIFY2(r.errors.isEmpty(), qPrintable(r.errors.join('\n')));
        QVERIFY2(r.unknownCommands.isEmpty(), qPrintable(r.unknownCommands.join('\n')));
        QStringList lines;
        for (const QString &l : r.textLines())
            lines << l.trimmed();
        QCOMPARE(lines, (QStringList{QStringLiteral("政务服务好差评"), QStringLiteral("评价凭条"),
                                     QStringLiteral("服务大厅：西城区政务服务中心"),
                                     QStringLiteral("评价结果：非常满意"),
                                     QStringLiteral("扫码查看评价处理进度")}));
        QCOMPARE(r.qrPayloads(), QList<QByteArray>{"https://example.gov.cn/pj?c=A123"});
        QCOMPARE(r.cuts, 2);
    }

    void escBangModes_setSizeAndBold()
    {
        const auto r = EscPosDecoder::decode(hex("1B 21 38 41 0A 1B 21 00 42 0A"));
        QCOMPARE(r.items.size(), 2);
        QCOMPARE(r.items.at(0).width, 2);
        QCOMPARE(r.items.at(0).height, 2);
        QVERIFY(r.items.at(0).bold);
        QCOMPARE(r.items.at(1).width, 1);
        QVERIFY(!r.items.at(1).bold);
    }
};

QTEST_GUILESS_MAIN(TestEscPosDecoder)
#include "tst_escposdecoder.moc"

// SPDX-License-Identifier: Apache-2.0
// Receipt layout: printed content is read back from the ESC/POS bytes with the test decoder.
#include "escpos.h"
#include "escposdecoder.h"
#include "receipt.h"

#include <QStandardPaths>
#include <QTest>
#include <QTimeZone>

using hcp::hardware::Receipt;
using hcp::tests::EscPosDecoder;

namespace {
Receipt sampleReceipt()
{
    Receipt r;
    r.hallName = QStringLiteral("西城区政务服务中心");
    r.serviceItem = QStringLiteral("居民身份证换领");
    r.department = QStringLiteral("北京市公安局西城分局");
    r.window = QStringLiteral("3号窗口");
    r.staffName = QStringLiteral("王芳");
    r.staffNumber = QStringLiteral("A023");
    r.satisfaction = 5;
    r.evaluationNumber = QStringLiteral("PJ110102202611280001");
    r.evaluatedAt = QDateTime(QDate(2026, 11, 28), QTime(9, 30), QTimeZone::systemTimeZone());
    r.followUpUrl = "https://example.gov.cn/pj?c=A123";
    r.citizenName = QStringLiteral("李华");
    return r;
}
} // namespace

class TestReceipt : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void lines_sampleReceipt_showAllFieldsWithMaskedName()
    {
        const QStringList l = sampleReceipt().lines(Receipt::Layout{});
        QCOMPARE(l.value(0), QStringLiteral("政务服务“好差评”"));
        QVERIFY(l.contains(QStringLiteral("服务大厅：西城区政务服务中心")));
        QVERIFY(l.contains(QStringLiteral("办理事项：居民身份证换领")));
        QVERIFY(l.contains(QStringLiteral("办理窗口：3号窗口")));
        QVERIFY(l.contains(QStringLiteral("工作人员：王芳（工号A023）")));
        QVERIFY(l.contains(QStringLiteral("评价结果：非常满意")));
        QVERIFY(l.contains(QStringLiteral("评价编号：PJ110102202611280001")));
        QVERIFY(l.contains(QStringLiteral("评价时间：2026-11-28 09:30")));
        QVERIFY(l.contains(QStringLiteral("评价人：李*")));
        QVERIFY(!l.join('\n').contains(QStringLiteral("李华")));
    }

    void toEscPos_decodedBack_matchesLinesAndNativeQr()
    {
        const Receipt rc = sampleReceipt();
        const auto r = EscPosDecoder::decode(rc.toEscPos());
        QVERIFY2(r.errors.isEmpty(), qPrintable(r.errors.join('\n')));
        QVERIFY(r.unknownCommands.isEmpty());
        QStringList printed = r.textLines();
        printed.removeAll(QString());  // the blank line under the QR
        QCOMPARE(printed, rc.lines(Receipt::Layout{}));
        QCOMPARE(r.qrPayloads(), QList<QByteArray>{rc.followUpUrl});
        QCOMPARE(r.items.at(0).width, 2);
        QCOMPARE(r.items.at(0).align, EscPosDecoder::Align::Center);
        QCOMPARE(r.cuts, 1);
        // The QR sits centred above its caption.
        for (qsizetype i = 0; i < r.items.size(); ++i) {
            if (r.items.at(i).kind == EscPosDecoder::Kind::NativeQr) {
                QCOMPARE(r.items.at(i).align, EscPosDecoder::Align::Center);
                QCOMPARE(r.items.at(i + 2).text, QStringLiteral("扫码查看评价处理进度"));
            }
        }
    }

    void toEscPos_rasterLayout_qrDecodesFromBitmap()
    {
        Receipt::Layout layout;
        layout.qr = Receipt::Layout::Qr::Raster;
        const Receipt rc = sampleReceipt();
        const auto r = EscPosDecoder::decode(rc.toEscPos(layout));
        QVERIFY(r.errors.isEmpty());
        int rasters = 0;
        for (const auto &it : r.items) {
            if (it.kind == EscPosDecoder::Kind::Raster) {
                ++rasters;
                QVERIFY(it.image.width() <= layout.widthDots);
                QCOMPARE(it.payload, rc.followUpUrl);
            }
            QVERIFY(it.kind != EscPosDecoder::Kind::NativeQr);
        }
        QCOMPARE(rasters, 1);
    }

    void toEscPos_longUrlRaster_shrinksModulesToFitPaper()
    {
        Receipt::Layout layout;
        layout.qr = Receipt::Layout::Qr::Raster;
        layout.qrModuleDots = 8;
        Receipt rc = sampleReceipt();
        rc.followUpUrl = "https://zwfw.example.gov.cn/hcp/follow?eval=" + QByteArray(80, '7');
        const auto r = EscPosDecoder::decode(rc.toEscPos(layout));
        QCOMPARE(r.qrPayloads(), QList<QByteArray>{rc.followUpUrl});
    }

    void toEscPos_longUrlNative_moduleSizeShrinksToFitPaper()
    {
        Receipt rc = sampleReceipt();
        rc.followUpUrl = "https://zwfw.example.gov.cn/hcp/follow?eval=" + QByteArray(300, 'a');
        const int modules = hcp::hardware::EscPos::qrSymbolModules(rc.followUpUrl, hcp::hardware::EscPos::QrEcc::M);
        QVERIFY((modules + 8) * 6 > 384);  // would not fit at the default 6 dots
        const auto r = EscPosDecoder::decode(rc.toEscPos());
        bool seen = false;
        for (const auto &it : r.items) {
            if (it.kind != EscPosDecoder::Kind::NativeQr)
                continue;
            seen = true;
            QCOMPARE(it.payload, rc.followUpUrl);
            QVERIFY((modules + 8) * it.qrModuleSize <= 384);
            QVERIFY((modules + 8) * (it.qrModuleSize + 1) > 384);  // the largest that fits
        }
        QVERIFY(seen);
    }

    void toEscPos_qrTooLargeForAnyFallback_yieldsNoJob()
    {
        Receipt::Layout layout;
        layout.qr = Receipt::Layout::Qr::Raster;
        Receipt rc = sampleReceipt();
        rc.followUpUrl = QByteArray(2400, 'x');  // beyond version 40-M byte capacity (2331)
        QVERIFY(rc.toEscPos(layout).isEmpty());
    }

    void anyField_withIdNumber_isMaskedOnPaper()
    {
        Receipt rc = sampleReceipt();
        rc.serviceItem = QStringLiteral("补 11010519491231002X");
        rc.department = QStringLiteral("码11010519491231002x");
        const auto r = EscPosDecoder::decode(rc.toEscPos());
        const QString all = r.textLines().join('\n');
        QVERIFY(!all.contains(QStringLiteral("11010519491231002X"), Qt::CaseInsensitive));
        QVERIFY(all.contains(QStringLiteral("补 1101**********002X")));
        QVERIFY(all.contains(QStringLiteral("码1101**********002x")));
        // An evaluation number that merely has 18 digits with a wrong check digit stays.
        QCOMPARE(Receipt::scrubIdNumbers(QStringLiteral("110105194912310021")),
                 QStringLiteral("110105194912310021"));
    }

    void maskName_variousLengths()
    {
        QCOMPARE(Receipt::maskName(QStringLiteral("李华")), QStringLiteral("李*"));
        QCOMPARE(Receipt::maskName(QStringLiteral("欧阳娜娜")), QStringLiteral("欧***"));
        QCOMPARE(Receipt::maskName(QStringLiteral("李")), QStringLiteral("*"));
        QCOMPARE(Receipt::maskName(QString()), QString());
    }

    void satisfactionText_allLevels()
    {
        QCOMPARE(Receipt::satisfactionText(5), QStringLiteral("非常满意"));
        QCOMPARE(Receipt::satisfactionText(3), QStringLiteral("基本满意"));
        QCOMPARE(Receipt::satisfactionText(1), QStringLiteral("非常不满意"));
        QVERIFY(Receipt::satisfactionText(0).isEmpty());
        QVERIFY(Receipt::satisfactionText(6).isEmpty());
    }

    void lines_longValue_wrapsWithinColumnsAndIndents()
    {
        Receipt rc = sampleReceipt();
        rc.serviceItem = QStringLiteral("城乡居民基本养老保险待遇申领及资格认证");
        const QStringList l = rc.lines(Receipt::Layout{});
        const qsizetype i = l.indexOf(QStringLiteral("办理事项：城乡居民基本养老保险待"));
        QVERIFY2(i >= 0, qPrintable(l.join('\n')));
        QCOMPARE(l.at(i + 1), QStringLiteral("          遇申领及资格认证"));
        for (const QString &s : l) {
            int w = 0;
            for (QChar c : s)
                w += c.unicode() < 0x80 ? 1 : 2;
            QVERIFY2(w <= 32, qPrintable(s));
        }
    }
};

QTEST_GUILESS_MAIN(TestReceipt)
#include "tst_receipt.moc"

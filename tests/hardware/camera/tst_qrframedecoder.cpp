// SPDX-License-Identifier: Apache-2.0
// QrFrameDecoder: the plain pass, the pre-processing fallbacks and the time budget.
#include "qrframedecoder.h"
#include "qrtestframes.h"

#include <QStandardPaths>
#include <QTest>

using hcp::hardware::QrFrameDecoder;
using namespace hcp::tests;

namespace {
const std::string kUrl = "https://example.gov.cn/pj?c=A123";
}

class TestQrFrameDecoder : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void decode_cleanFrame_foundByPlainPass()
    {
        QrFrameDecoder d;
        const auto r = d.decode(qrFrame(kUrl));
        QVERIFY(r.found);
        QCOMPARE(r.bytes, QByteArray::fromStdString(kUrl));
        QCOMPARE(r.stage, QrFrameDecoder::Stage::Plain);
        QCOMPARE(r.attempts, 1);
    }

    void decode_emptyFrame_findsNothingAndTriesFallbacks()
    {
        QrFrameDecoder d(1000);
        cv::Mat f = qrFrame("");
        addGaussianNoise(f, 8, 1);
        const auto r = d.decode(f);
        QVERIFY(!r.found);
        QVERIFY(r.bytes.isEmpty());
        QCOMPARE(r.attempts, 6);  // plain + five fallbacks
    }

    void decode_heavyNoise_plainFailsPipelineRecovers()
    {
        cv::Mat f = qrFrame(kUrl, 4);
        addGaussianNoise(f, 55, 42);
        QVERIFY2(!QrFrameDecoder::decodePlain(f).found, "precondition: frame must defeat plain ZXing");
        QrFrameDecoder d(1000);
        const auto r = d.decode(f);
        QVERIFY(r.found);
        QCOMPARE(r.bytes, QByteArray::fromStdString(kUrl));
        QVERIFY(r.stage != QrFrameDecoder::Stage::Plain);
    }

    void decode_lowContrast_plainFailsPipelineRecovers()
    {
        cv::Mat f = qrFrame(kUrl, 4, 200, 100, 110, 142, 126);
        addGaussianNoise(f, 5, 7);
        QVERIFY2(!QrFrameDecoder::decodePlain(f).found, "precondition: frame must defeat plain ZXing");
        QrFrameDecoder d(1000);
        const auto r = d.decode(f);
        QVERIFY(r.found);
        QCOMPARE(r.bytes, QByteArray::fromStdString(kUrl));
    }

    void decode_zeroBudget_onlyPlainPassRuns()
    {
        QrFrameDecoder d(0);
        cv::Mat f = qrFrame(kUrl, 4);
        addGaussianNoise(f, 70, 42);
        const auto r = d.decode(f);
        QVERIFY(!r.found);
        QCOMPARE(r.attempts, 1);
    }

    void decode_colourOrEmptyInput_isRejected()
    {
        QrFrameDecoder d;
        cv::Mat colour(480, 640, CV_8UC3, cv::Scalar(1, 2, 3));
        QVERIFY(!d.decode(colour).found);
        QCOMPARE(d.decode(colour).attempts, 0);
        QVERIFY(!d.decode(cv::Mat()).found);
    }
};

QTEST_GUILESS_MAIN(TestQrFrameDecoder)
#include "tst_qrframedecoder.moc"

// SPDX-License-Identifier: Apache-2.0
// QrCamera over image-sequence sources written at test time (OpenCV CAP_IMAGES), the same
// path the demo uses; a V4L2 device is not available on build machines.
#include "qrcamera.h"
#include "qrtestframes.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <opencv2/imgcodecs.hpp>

using hcp::hardware::QrCamera;
using namespace hcp::tests;

namespace {
// Writes frames as DIR/000.png, 001.png, … and returns the OpenCV sequence pattern.
QString writeSequence(const QTemporaryDir &dir, const std::vector<cv::Mat> &frames)
{
    for (size_t i = 0; i < frames.size(); ++i) {
        const QString name = dir.filePath(QStringLiteral("%1.png").arg(i, 3, 10, QLatin1Char('0')));
        if (!cv::imwrite(name.toStdString(), frames[i]))
            return {};
    }
    return dir.filePath(QStringLiteral("%03d.png"));
}

void append(std::vector<cv::Mat> &v, const std::string &payload, int count, int seed)
{
    for (int i = 0; i < count; ++i) {
        // Slightly different frames of the same code, as a hand-held receipt gives.
        cv::Mat f = qrFrame(payload, 4, 180 + i * 3, 90 + i * 2);
        addGaussianNoise(f, 3, uint64_t(seed * 100 + i));
        v.push_back(f);
    }
}
} // namespace

class TestQrCamera : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void notStarted_isInactiveAndEmitsNothing()
    {
        QTemporaryDir dir;
        std::vector<cv::Mat> frames;
        append(frames, "A", 3, 1);
        QrCamera cam;
        cam.setSource(writeSequence(dir, frames));
        QSignalSpy preview(&cam, &QrCamera::previewFrame);
        QSignalSpy decoded(&cam, &QrCamera::decoded);
        QVERIFY(!cam.isActive());
        QVERIFY(!preview.wait(300));
        QCOMPARE(decoded.size(), 0);
        QVERIFY(cam.latestPreview().isNull());
        QCOMPARE(cam.stats().captured, 0u);
    }

    void sequence_emitsDecodedOnlyWhenContentChanges()
    {
        QTemporaryDir dir;
        std::vector<cv::Mat> frames;
        append(frames, "", 4, 1);
        append(frames, "https://example.gov.cn/pj?c=A", 8, 2);
        append(frames, "https://example.gov.cn/pj?c=B", 8, 3);
        append(frames, "https://example.gov.cn/pj?c=A", 8, 4);
        append(frames, "", 12, 5);  // ~480 ms out of sight: longer than forgetAfterMs below
        append(frames, "https://example.gov.cn/pj?c=A", 8, 6);
        QrCamera cam;
        cam.setSource(writeSequence(dir, frames));
        cam.setFileFps(25);
        cam.setForgetAfterMs(150);
        QSignalSpy decoded(&cam, &QrCamera::decoded);
        QSignalSpy ended(&cam, &QrCamera::sourceEnded);
        QSignalSpy active(&cam, &QrCamera::activeChanged);
        cam.start();
        QVERIFY(cam.isActive());
        QTRY_COMPARE_WITH_TIMEOUT(ended.size(), 1, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(!cam.isActive(), 5000);
        QTRY_COMPARE_WITH_TIMEOUT(cam.stats().decoded + cam.stats().dropped, cam.stats().captured, 5000);
        QList<QByteArray> got;
        for (const auto &args : decoded)
            got << args.at(0).toByteArray();
        QCOMPARE(got, (QList<QByteArray>{"https://example.gov.cn/pj?c=A", "https://example.gov.cn/pj?c=B",
                                         "https://example.gov.cn/pj?c=A", "https://example.gov.cn/pj?c=A"}));
        QCOMPARE(cam.stats().captured, quint64(frames.size()));
        QCOMPARE(active.size(), 2);  // true, then false at the end of the file
    }

    void preview_fileAt30fps_deliversAtLeast15fps()
    {
        QTemporaryDir dir;
        std::vector<cv::Mat> frames;
        append(frames, "P", 45, 9);
        QrCamera cam;
        cam.setSource(writeSequence(dir, frames));
        cam.setFileFps(30);
        QSignalSpy preview(&cam, &QrCamera::previewFrame);
        QElapsedTimer t;
        t.start();
        cam.start();
        QTRY_VERIFY_WITH_TIMEOUT(preview.size() >= 30, 10000);
        const double fps = 1000.0 * (preview.size() - 1) / double(t.elapsed());
        qInfo("preview rate %.1f fps over %d frames", fps, int(preview.size()));
        QVERIFY2(fps >= 15, qPrintable(QString::number(fps)));
        const QImage img = preview.last().at(0).value<QImage>();
        QCOMPARE(img.size(), QSize(640, 480));
        QCOMPARE(img.format(), QImage::Format_RGB888);
        QVERIFY(!cam.latestPreview().isNull());
        QVERIFY(cam.previewSerial() >= 30);
        cam.stop();
    }

    void stop_releasesSourceAndStopsPreviews()
    {
        QTemporaryDir dir;
        std::vector<cv::Mat> frames;
        append(frames, "S", 60, 11);
        QrCamera cam;
        cam.setSource(writeSequence(dir, frames));
        cam.setFileFps(30);
        QSignalSpy preview(&cam, &QrCamera::previewFrame);
        cam.start();
        QTRY_VERIFY_WITH_TIMEOUT(preview.size() >= 3, 5000);
        cam.stop();
        QVERIFY(!cam.isActive());
        QVERIFY(cam.latestPreview().isNull());
        QCoreApplication::processEvents();  // previews queued before stop() returned
        const auto n = preview.size();
        QVERIFY(!preview.wait(300));
        QCOMPARE(preview.size(), n);
        QVERIFY(cam.stats().captured < quint64(frames.size()));
    }

    void restart_afterStop_decodesSameCodeAgain()
    {
        QTemporaryDir dir;
        std::vector<cv::Mat> frames;
        append(frames, "R", 6, 12);
        QrCamera cam;
        cam.setSource(writeSequence(dir, frames));
        QSignalSpy decoded(&cam, &QrCamera::decoded);
        QSignalSpy ended(&cam, &QrCamera::sourceEnded);
        cam.start();
        QTRY_COMPARE_WITH_TIMEOUT(ended.size(), 1, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(!cam.isActive(), 5000);
        cam.start();  // a new scan screen: the same code is news again
        QTRY_COMPARE_WITH_TIMEOUT(ended.size(), 2, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(decoded.size(), 2, 5000);
    }

    void busyDecoder_dropsFramesInsteadOfQueueing()
    {
        QTemporaryDir dir;
        std::vector<cv::Mat> frames;
        // Flat frames read fast but cost the decoder its whole budget (every fallback runs).
        for (int i = 0; i < 40; ++i)
            frames.push_back(qrFrame("", 4, 0, 0, 0, 0, 100 + i));
        QrCamera cam;
        cam.setSource(writeSequence(dir, frames));
        cam.setFileFps(1000);
        QSignalSpy ended(&cam, &QrCamera::sourceEnded);
        cam.start();
        QTRY_COMPARE_WITH_TIMEOUT(ended.size(), 1, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(cam.stats().decoded + cam.stats().dropped, quint64(40), 5000);
        QVERIFY2(cam.stats().dropped > 0, "decoder should have been busy for some frames");
        QVERIFY(cam.stats().decoded > 0);
    }

    void missingSource_emitsErrorAndBecomesInactive()
    {
        QrCamera cam;
        cam.setSource(QStringLiteral("/nonexistent/dir/%03d.png"));
        QSignalSpy err(&cam, &QrCamera::error);
        cam.start();
        QTRY_COMPARE_WITH_TIMEOUT(err.size(), 1, 5000);
        QTRY_VERIFY_WITH_TIMEOUT(!cam.isActive(), 5000);
    }
};

QTEST_GUILESS_MAIN(TestQrCamera)
#include "tst_qrcamera.moc"

// SPDX-License-Identifier: Apache-2.0
// The QML image provider serves QrCamera's latest preview, or black while stopped.
#include "qrcamera.h"
#include "qrpreviewimageprovider.h"
#include "qrtestframes.h"

#include <QGuiApplication>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <opencv2/imgcodecs.hpp>

using hcp::hardware::QrCamera;
using hcp::kiosk::QrPreviewImageProvider;

class TestQrPreviewImageProvider : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void requestImage_stoppedCamera_returnsBlackFrameOfRequestedSize()
    {
        QrCamera cam;
        QrPreviewImageProvider p(&cam);
        QSize size;
        const QImage img = p.requestImage(QStringLiteral("0"), &size, QSize(320, 240));
        QCOMPARE(size, QSize(320, 240));
        QCOMPARE(img.pixelColor(10, 10), QColor(Qt::black));
    }

    void requestImage_runningCamera_returnsLatestPreview()
    {
        QTemporaryDir dir;
        for (int i = 0; i < 30; ++i) {
            cv::Mat f = hcp::tests::qrFrame("V", 4);
            f.at<uchar>(0, 0) = 255;  // a white top-left pixel to find in the preview
            cv::imwrite(dir.filePath(QStringLiteral("%1.png").arg(i, 3, 10, QLatin1Char('0'))).toStdString(), f);
        }
        QrCamera cam;
        cam.setSource(dir.filePath(QStringLiteral("%03d.png")));
        QSignalSpy preview(&cam, &QrCamera::previewFrame);
        cam.start();
        QTRY_VERIFY_WITH_TIMEOUT(preview.size() >= 2, 5000);
        QrPreviewImageProvider p(&cam);
        QSize size;
        const QImage img = p.requestImage(QString::number(cam.previewSerial()), &size, QSize());
        QCOMPARE(size, QSize(640, 480));
        QCOMPARE(img.pixelColor(0, 0), QColor(255, 255, 255));
        QCOMPARE(img.pixelColor(5, 5), QColor(150, 150, 150));
        const QImage half = p.requestImage(QStringLiteral("x"), &size, QSize(320, 240));
        QCOMPARE(half.size(), QSize(320, 240));
        cam.stop();
    }
};

QTEST_MAIN(TestQrPreviewImageProvider)
#include "tst_qrpreviewimageprovider.moc"

// SPDX-License-Identifier: Apache-2.0
#include "qrcamera.h"

#include "qrframedecoder.h"

#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QThread>

#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include <chrono>
#include <thread>

Q_LOGGING_CATEGORY(lcCamera, "hcp.hardware.camera")

namespace hcp::hardware {

// Lives in QrCamera::m_decodeThread; all members are used on that thread only.
class QrDecodeWorker : public QObject {
public:
    explicit QrDecodeWorker(QrCamera *camera) : q(camera) {}

    void reset()
    {
        m_last.clear();
        m_seen.invalidate();
    }

    // `generation` identifies the capture run; results of a run that stop() ended are dropped
    // on the owner thread, so no scan from a closed scan screen arrives late.
    void process(const cv::Mat &frame, quint64 generation)
    {
        cv::Mat gray;
        if (frame.channels() == 3)
            cv::cvtColor(frame, gray, cv::COLOR_BGR2GRAY);
        else if (frame.channels() == 4)
            cv::cvtColor(frame, gray, cv::COLOR_BGRA2GRAY);
        else
            gray = frame;
        const QrFrameDecoder::Result r = m_decoder.decode(gray);
        {
            QMutexLocker lock(&q->m_mutex);
            ++q->m_stats.decoded;
            q->m_stats.lastDecodeMs = r.ms;
        }
        const int forgetMs = q->m_forgetAfterMs;
        if (r.found) {
            m_seen.start();
            if (r.bytes != m_last) {
                m_last = r.bytes;
                qCDebug(lcCamera) << "decoded" << r.bytes.size() << "bytes via" << QrFrameDecoder::stageName(r.stage)
                                  << "in" << r.ms << "ms";
                QMetaObject::invokeMethod(q, [q = q, b = r.bytes, generation] {
                    if (generation == q->m_generation)
                        emit q->decoded(b);
                }, Qt::QueuedConnection);
            }
        } else if (m_seen.isValid() && m_seen.elapsed() > forgetMs) {
            // Out of sight long enough: the same receipt held up again is a new scan.
            m_last.clear();
            m_seen.invalidate();
        }
        q->m_decoderBusy = false;
    }

private:
    QrCamera *q;
    QrFrameDecoder m_decoder;
    QByteArray m_last;
    QElapsedTimer m_seen;
};

QrCamera::QrCamera(QObject *parent)
    : QObject(parent), m_decodeThread(new QThread)
{
    m_decodeThread->setObjectName(QStringLiteral("hcp-qr-decode"));
    m_decoder = new QrDecodeWorker(this);
    m_decoder->moveToThread(m_decodeThread);
    connect(m_decodeThread, &QThread::finished, m_decoder, &QObject::deleteLater);
    m_decodeThread->start();
}

QrCamera::~QrCamera()
{
    stop();
    m_decodeThread->quit();
    m_decodeThread->wait();
    delete m_decodeThread;
}

void QrCamera::setSource(const QString &source) { m_source = source; }
void QrCamera::setFileFps(double fps) { m_fileFps = fps > 0 ? fps : 25; }
void QrCamera::setPreviewFps(double fps) { m_previewFps = fps > 0 ? fps : 30; }
void QrCamera::setLoop(bool loop) { m_loop = loop; }
void QrCamera::setForgetAfterMs(int ms) { m_forgetAfterMs = ms; }

void QrCamera::start()
{
    if (m_active)
        return;
    {
        QMutexLocker lock(&m_mutex);
        m_stats = {};
    }
    QMetaObject::invokeMethod(m_decoder, [d = m_decoder] { d->reset(); }, Qt::QueuedConnection);
    m_running = true;
    // The loop ends on its own at a file's end or on a device error; a stale notification
    // from an earlier run (stop() already cleaned up, start() made a new thread) is ignored.
    const quint64 generation = ++m_generation;
    m_captureThread = QThread::create([this, src = m_source, fps = m_fileFps, pfps = m_previewFps, loop = m_loop,
                                       generation] {
        captureLoop(src, fps, pfps, loop, generation);
    });
    m_captureThread->setObjectName(QStringLiteral("hcp-qr-capture"));
    connect(m_captureThread, &QThread::finished, this, [this, generation] {
        if (generation == m_generation)
            onCaptureFinished();
    }, Qt::QueuedConnection);
    m_active = true;
    m_captureThread->start();
    emit activeChanged(true);
}

void QrCamera::stop()
{
    if (!m_captureThread)
        return;
    m_running = false;
    ++m_generation;  // the queued finished() notification of this run is now stale
    onCaptureFinished();
}

void QrCamera::onCaptureFinished()
{
    if (!m_captureThread)
        return;
    m_captureThread->wait();
    delete m_captureThread;
    m_captureThread = nullptr;
    m_running = false;
    {
        QMutexLocker lock(&m_mutex);
        m_preview = QImage();
    }
    if (m_active) {
        m_active = false;
        emit activeChanged(false);
    }
}

QImage QrCamera::latestPreview() const
{
    QMutexLocker lock(&m_mutex);
    return m_preview;
}

QrCamera::Stats QrCamera::stats() const
{
    QMutexLocker lock(&m_mutex);
    return m_stats;
}

// Runs on m_captureThread. The VideoCapture lives and dies here, so the device is always
// released when the loop ends, whatever the reason.
void QrCamera::captureLoop(QString source, double fileFps, double previewFps, bool loop, quint64 generation)
{
    using Clock = std::chrono::steady_clock;
    bool isDevice = false;
    bool isIndex = false;
    const int index = source.toInt(&isIndex);
    cv::VideoCapture cap;
    const auto open = [&] {
        if (isIndex) {
            isDevice = true;
            return cap.open(index, cv::CAP_V4L2);
        }
        if (source.startsWith(QLatin1String("/dev/video"))) {
            isDevice = true;
            return cap.open(source.toStdString(), cv::CAP_V4L2);
        }
        return cap.open(source.toStdString(), cv::CAP_ANY);
    };
    if (!open()) {
        qCWarning(lcCamera) << "cannot open camera source" << source;
        QMetaObject::invokeMethod(this, [this, source] { emit error(tr("无法打开摄像头：%1").arg(source)); },
                                  Qt::QueuedConnection);
        return;
    }
    if (isDevice) {
        // VGA is what the pipeline's budget is sized for; a one-frame driver queue keeps the
        // preview and the decoder on the newest frame instead of a backlog (best effort: not
        // every V4L2 driver honours it).
        cap.set(cv::CAP_PROP_FRAME_WIDTH, 640);
        cap.set(cv::CAP_PROP_FRAME_HEIGHT, 480);
        cap.set(cv::CAP_PROP_BUFFERSIZE, 1);
    }
    const auto framePeriod = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(1.0 / fileFps));
    const auto previewPeriod = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(1.0 / previewFps));
    auto nextFrame = Clock::now();
    auto nextPreview = Clock::now();
    while (m_running) {
        cv::Mat frame;  // fresh buffer per frame: the decode thread may still hold the previous one
        if (!cap.read(frame) || frame.empty()) {
            if (!isDevice && loop && m_running) {
                cap.release();
                if (open())
                    continue;
            }
            if (isDevice) {
                QMetaObject::invokeMethod(this, [this] { emit error(tr("摄像头画面中断")); }, Qt::QueuedConnection);
            } else {
                QMetaObject::invokeMethod(this, [this] { emit sourceEnded(); }, Qt::QueuedConnection);
            }
            break;
        }
        {
            QMutexLocker lock(&m_mutex);
            ++m_stats.captured;
        }
        if (!m_decoderBusy.exchange(true)) {
            QMetaObject::invokeMethod(m_decoder, [d = m_decoder, frame, generation] { d->process(frame, generation); },
                                      Qt::QueuedConnection);
        } else {
            QMutexLocker lock(&m_mutex);
            ++m_stats.dropped;
        }
        const auto now = Clock::now();
        if (now >= nextPreview) {
            nextPreview = std::max(nextPreview + previewPeriod, now);
            QImage img;
            if (frame.type() == CV_8UC3)
                img = QImage(frame.data, frame.cols, frame.rows, int(frame.step[0]), QImage::Format_BGR888)
                          .convertToFormat(QImage::Format_RGB888);
            else if (frame.type() == CV_8UC1)
                img = QImage(frame.data, frame.cols, frame.rows, int(frame.step[0]), QImage::Format_Grayscale8)
                          .convertToFormat(QImage::Format_RGB888);
            if (!img.isNull()) {
                {
                    QMutexLocker lock(&m_mutex);
                    m_preview = img;
                    ++m_stats.previews;
                }
                QMetaObject::invokeMethod(this, [this, img, generation] {
                    if (generation != m_generation)
                        return;
                    ++m_previewSerial;
                    emit previewFrame(img);
                }, Qt::QueuedConnection);
            }
        }
        if (!isDevice) {
            // Files would otherwise run as fast as they decode; pace them like a camera.
            nextFrame += framePeriod;
            const auto now2 = Clock::now();
            if (nextFrame > now2)
                std::this_thread::sleep_for(nextFrame - now2);
            else
                nextFrame = now2;
        }
    }
    cap.release();
}

} // namespace hcp::hardware

// Entry point of libhcp_camera for hcp::hardware::loadCameraDevice().
extern "C" Q_DECL_EXPORT hcp::hardware::CameraDevice *hcp_create_qr_camera()
{
    return new hcp::hardware::QrCamera;
}

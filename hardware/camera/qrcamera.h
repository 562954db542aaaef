// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "hardware/cameradevice.h"

#include <QByteArray>
#include <QImage>
#include <QMutex>
#include <QObject>
#include <QString>

#include <atomic>

class QThread;

namespace hcp::hardware {

class QrDecodeWorker;

// Camera QR scanning service. Off unless started: start() opens the source and runs a capture
// thread; frames go to a separate decode thread running QrFrameDecoder, and a frame arriving
// while the decoder is busy is dropped (never queued). decoded() fires only when the content
// differs from the last emitted one; a code that has been out of sight for forgetAfterMs()
// counts as new again. Previews are emitted at up to previewFps() for the scan screen.
//
// Source: "0".."9" = V4L2 device index, "/dev/videoN" = V4L2 device path, anything else is a
// video file or an OpenCV image-sequence pattern ("frames/%03d.png"), paced at fileFps()
// (demo and tests). Thread-safety: public methods from the owner's thread; latestPreview()
// and stats() from any thread. Signals are delivered in the owner's thread.
class QrCamera : public QObject, public CameraDevice {
    Q_OBJECT
    Q_PROPERTY(bool active READ isActive NOTIFY activeChanged)
    Q_PROPERTY(quint64 previewSerial READ previewSerial NOTIFY previewFrame)
public:
    struct Stats {
        quint64 captured = 0;  // frames read from the source
        quint64 decoded = 0;   // frames that went through QrFrameDecoder
        quint64 dropped = 0;   // frames skipped because the decoder was busy
        quint64 previews = 0;  // preview frames emitted
        double lastDecodeMs = 0;
    };

    explicit QrCamera(QObject *parent = nullptr);
    ~QrCamera() override;  // stops capture and joins both threads

    void setSource(const QString &source) override;
    QString source() const { return m_source; }
    void setFileFps(double fps);            // pacing of file sources, default 25
    void setPreviewFps(double fps);         // preview cap, default 30 (≥ 15 needed by QML)
    void setLoop(bool loop) override;                // restart file sources at their end (demo)
    void setForgetAfterMs(int ms);          // default 1500
    int forgetAfterMs() const { return m_forgetAfterMs; }
    double previewFps() const { return m_previewFps; }

    Q_INVOKABLE void start() override;
    Q_INVOKABLE void stop() override;  // returns once the source is released
    bool isActive() const override { return m_active; }
    QObject *qobject() override { return this; }

    QImage latestPreview() const override;  // RGB888 copy of the last preview frame; null when stopped
    quint64 previewSerial() const { return m_previewSerial; }
    Stats stats() const;

signals:
    void decoded(const QByteArray &payload);
    void previewFrame(const QImage &frame);
    void activeChanged(bool active);
    void error(const QString &detail);  // source cannot be opened or failed mid-stream
    void sourceEnded();                 // a file source reached its end (not looping)

private:
    friend class QrDecodeWorker;
    void captureLoop(QString source, double fileFps, double previewFps, bool loop, quint64 generation);
    void onCaptureFinished();

    QString m_source = QStringLiteral("0");
    double m_fileFps = 25;
    double m_previewFps = 30;
    bool m_loop = false;
    std::atomic_int m_forgetAfterMs{1500};  // read by the decode thread
    bool m_active = false;
    quint64 m_generation = 0;  // capture runs started; owner thread only
    quint64 m_previewSerial = 0;

    QThread *m_captureThread = nullptr;
    QThread *m_decodeThread = nullptr;
    QrDecodeWorker *m_decoder = nullptr;  // lives in m_decodeThread
    std::atomic_bool m_running{false};
    std::atomic_bool m_decoderBusy{false};

    mutable QMutex m_mutex;  // guards m_preview and m_stats
    QImage m_preview;
    Stats m_stats;
};

} // namespace hcp::hardware

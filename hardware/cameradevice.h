// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QImage>
#include <QObject>
#include <QString>

#include <memory>

namespace hcp::hardware {

// A QR camera as the app sees it. The implementation (QrCamera: OpenCV capture + ZXing decode)
// lives in the shared library libhcp_camera, loaded only when a camera is configured, so a kiosk
// without a camera never maps OpenCV and its codec dependencies (start-up time and memory).
//
// Header-only on purpose: the library and the executable must not each carry a meta-object of a
// common base class, so the camera's signals — decoded(QByteArray), previewFrame(QImage),
// activeChanged(bool) — are QrCamera's own and are connected by name through qobject().
class CameraDevice {
public:
    virtual ~CameraDevice() = default;
    virtual QObject *qobject() = 0;
    virtual void setSource(const QString &source) = 0;
    virtual void setLoop(bool loop) = 0;
    virtual void start() = 0;
    virtual void stop() = 0;
    virtual bool isActive() const = 0;
    // Thread-safe: called from the QML image-loading thread.
    virtual QImage latestPreview() const = 0;
};

// Loads libhcp_camera (next to the executable, in ../lib/hcp-kiosk, or the build tree) and
// creates its camera; null with *error set when the library or its OpenCV cannot be loaded.
std::unique_ptr<CameraDevice> loadCameraDevice(QString *error);

} // namespace hcp::hardware

// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QQuickImageProvider>

namespace hcp::hardware {
class CameraDevice;
}

namespace hcp::kiosk {

using hcp::hardware::CameraDevice;

// Serves the camera's (QrCamera's) latest preview frame to QML; the app layer's, since hardware/
// knows nothing of Qt Quick. Register it with the engine under an id and
// bind an Image to the camera's previewSerial so it re-requests each new frame:
//   engine.addImageProvider("qrcamera", new QrPreviewImageProvider(&camera));
//   Image { source: "image://qrcamera/" + QrCamera.previewSerial; cache: false }
// requestImage() runs on the QML image-loading thread; QrCamera::latestPreview() is
// thread-safe. The engine owns the provider; the camera must outlive the engine.
class QrPreviewImageProvider : public QQuickImageProvider {
public:
    explicit QrPreviewImageProvider(const CameraDevice *camera);
    QImage requestImage(const QString &id, QSize *size, const QSize &requestedSize) override;

private:
    const CameraDevice *m_camera;
};

} // namespace hcp::kiosk

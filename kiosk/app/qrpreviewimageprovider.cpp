// SPDX-License-Identifier: Apache-2.0
#include "qrpreviewimageprovider.h"

#include "hardware/cameradevice.h"

namespace hcp::kiosk {

QrPreviewImageProvider::QrPreviewImageProvider(const CameraDevice *camera)
    : QQuickImageProvider(QQuickImageProvider::Image), m_camera(camera)
{
}

QImage QrPreviewImageProvider::requestImage(const QString &id, QSize *size, const QSize &requestedSize)
{
    Q_UNUSED(id);  // the id only carries previewSerial to defeat caching
    QImage img = m_camera ? m_camera->latestPreview() : QImage();
    if (img.isNull()) {
        // Stopped camera: a black frame of the requested (or VGA) size, never a broken image.
        img = QImage(requestedSize.isValid() ? requestedSize : QSize(640, 480), QImage::Format_RGB888);
        img.fill(Qt::black);
    } else if (requestedSize.isValid() && requestedSize != img.size()) {
        img = img.scaled(requestedSize, Qt::KeepAspectRatio, Qt::FastTransformation);
    }
    if (size)
        *size = img.size();
    return img;
}

} // namespace hcp::kiosk

// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QQuickImageProvider>

namespace hcp::kiosk {

// "image://qr/<percent-encoded text>" → a QR code image (ZXing-cpp writer), used to show the
// receipt QR on screen when the printer cannot print it.
class QrImageProvider : public QQuickImageProvider {
public:
    QrImageProvider() : QQuickImageProvider(QQuickImageProvider::Image) {}
    QImage requestImage(const QString &id, QSize *size, const QSize &requestedSize) override;
    static QImage render(const QString &text, int sidePixels);
};

} // namespace hcp::kiosk

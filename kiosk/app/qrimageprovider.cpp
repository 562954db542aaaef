// SPDX-License-Identifier: Apache-2.0
#include "qrimageprovider.h"

#include <BitMatrix.h>
#include <MultiFormatWriter.h>

#include <QUrl>

namespace hcp::kiosk {

QImage QrImageProvider::render(const QString &text, int side)
{
    if (text.isEmpty())
        return {};
    ZXing::MultiFormatWriter writer(ZXing::BarcodeFormat::QRCode);
    writer.setMargin(2);
    writer.setEncoding(ZXing::CharacterSet::UTF8);
    const ZXing::BitMatrix m = writer.encode(text.toStdWString(), 0, 0);
    const int modules = m.width();
    const int scale = std::max(1, side / std::max(1, modules));
    QImage img(modules * scale, modules * scale, QImage::Format_Grayscale8);
    for (int y = 0; y < img.height(); ++y) {
        uchar *line = img.scanLine(y);
        for (int x = 0; x < img.width(); ++x)
            line[x] = m.get(x / scale, y / scale) ? 0 : 255;
    }
    return img;
}

QImage QrImageProvider::requestImage(const QString &id, QSize *size, const QSize &requestedSize)
{
    const QString text = QUrl::fromPercentEncoding(id.toUtf8());
    const int side = requestedSize.width() > 0 ? requestedSize.width() : 280;
    QImage img = render(text, side);
    if (size)
        *size = img.size();
    return img;
}

} // namespace hcp::kiosk

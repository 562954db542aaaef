// SPDX-License-Identifier: Apache-2.0
#include "escposdecoder.h"

#include <QStringDecoder>

#include <ZXing/DecodeHints.h>
#include <ZXing/ImageView.h>
#include <ZXing/ReadBarcode.h>

namespace hcp::tests {

namespace {

struct State {
    EscPosDecoder::Align align = EscPosDecoder::Align::Left;
    int width = 1;
    int height = 1;
    bool bold = false;
    bool kanji = false;
    // Pending line: raw bytes in runs, each run decoded with its own code (GB18030 in FS &).
    QString line;
    QByteArray run;
    bool runKanji = false;
    bool lineStarted = false;
    bool lineChinese = false;
    EscPosDecoder::Item lineAttrs;
    // GS ( k symbol state.
    int qrModel = 0x32;
    int qrModule = 3;
    int qrEcc = 0x30;
    QByteArray qrStored;
    bool qrHasData = false;
};

QString hex(const QByteArray &b)
{
    return QString::fromLatin1(b.toHex(' ')).toUpper();
}

void flushRun(State &s)
{
    if (s.run.isEmpty())
        return;
    if (s.runKanji) {
        QStringDecoder dec("GB18030");
        s.line += dec.decode(s.run);
        s.lineChinese = true;
    } else {
        s.line += QString::fromLatin1(s.run);
    }
    s.run.clear();
}

void addByte(State &s, char c)
{
    if (!s.lineStarted) {
        s.lineStarted = true;
        s.lineAttrs = {};
        s.lineAttrs.align = s.align;
        s.lineAttrs.width = s.width;
        s.lineAttrs.height = s.height;
        s.lineAttrs.bold = s.bold;
    }
    if (s.runKanji != s.kanji)
        flushRun(s);
    s.runKanji = s.kanji;
    s.run.append(c);
}

// LF / ESC d: print the buffer. An empty buffer prints a blank line only for LF.
void endLine(State &s, EscPosDecoder::Result &r, bool blankToo)
{
    flushRun(s);
    if (!s.lineStarted && !blankToo)
        return;
    EscPosDecoder::Item it = s.lineStarted ? s.lineAttrs : EscPosDecoder::Item{};
    if (!s.lineStarted) {
        it.align = s.align;
        it.width = s.width;
        it.height = s.height;
        it.bold = s.bold;
    }
    it.kind = EscPosDecoder::Kind::Text;
    it.text = s.line;
    it.chinese = s.lineChinese;
    r.items.append(it);
    s.line.clear();
    s.lineStarted = false;
    s.lineChinese = false;
}

QByteArray decodeQrImage(const QImage &img)
{
    if (img.width() > EscPosDecoder::kMaxDecodeSide || img.height() > EscPosDecoder::kMaxDecodeSide
        || img.width() < 21 || img.height() < 21)
        return {};
    // Paper is white around the symbol; give ZXing a quiet zone in case the raster has none.
    constexpr int pad = 16;
    QImage framed(img.width() + 2 * pad, img.height() + 2 * pad, QImage::Format_Grayscale8);
    framed.fill(255);
    for (int y = 0; y < img.height(); ++y)
        memcpy(framed.scanLine(y + pad) + pad, img.constScanLine(y), size_t(img.width()));
    const ZXing::ImageView view(framed.constBits(), framed.width(), framed.height(),
                                ZXing::ImageFormat::Lum, int(framed.bytesPerLine()));
    const auto res = ZXing::ReadBarcode(view, ZXing::DecodeHints().setFormats(ZXing::BarcodeFormat::QRCode));
    if (!res.isValid())
        return {};
    const auto &b = res.bytes();
    return QByteArray(reinterpret_cast<const char *>(b.data()), qsizetype(b.size()));
}

void resetModes(State &s)
{
    s.align = EscPosDecoder::Align::Left;
    s.width = s.height = 1;
    s.bold = false;
    s.kanji = false;
}

} // namespace

QStringList EscPosDecoder::Result::textLines() const
{
    QStringList out;
    for (const Item &i : items) {
        if (i.kind == Kind::Text)
            out << i.text;
    }
    return out;
}

QList<QByteArray> EscPosDecoder::Result::qrPayloads() const
{
    QList<QByteArray> out;
    for (const Item &i : items) {
        if (i.kind != Kind::Text && !i.payload.isEmpty())
            out << i.payload;
    }
    return out;
}

EscPosDecoder::Result EscPosDecoder::decode(const QByteArray &bytes)
{
    Result r;
    State s;
    const qsizetype n = bytes.size();
    const auto u = [&](qsizetype i) -> int { return quint8(bytes.at(i)); };
    qsizetype i = 0;
    // Returns false (and records an error) when the command at i needs more than remain.
    const auto have = [&](qsizetype len, const char *what) {
        if (i + len <= n)
            return true;
        r.errors << QStringLiteral("truncated %1 at offset %2").arg(QLatin1String(what)).arg(i);
        return false;
    };
    // GS ( L / GS 8 L body (m fn …): fn 112 stores a raster in the print buffer, fn 50 prints
    // it. Other functions (NV graphics, density, …) are recorded as unknown.
    QImage stored;
    const auto graphics = [&](const QByteArray &body) {
        if (body.size() < 2 || quint8(body.at(0)) != 0x30) {
            r.unknownCommands << QStringLiteral("GS ( L ") + hex(body.left(2));
            return;
        }
        const int fn = quint8(body.at(1));
        if (fn == 50 || fn == 2) {
            endLine(s, r, false);
            if (stored.isNull()) {
                r.errors << QStringLiteral("GS ( L print without stored graphics");
                return;
            }
            Item it;
            it.kind = Kind::Raster;
            it.align = s.align;
            it.image = stored;
            it.payload = decodeQrImage(stored);
            it.text = QString::fromLatin1(it.payload);
            r.items.append(it);
            stored = QImage();
            return;
        }
        if (fn != 112) {
            r.unknownCommands << QStringLiteral("GS ( L fn %1").arg(fn);
            return;
        }
        // 30 70 a bx by c xL xH yL yH d…: single-colour (c = '1') raster, bit 7 = left pixel.
        if (body.size() < 10) {
            r.errors << QStringLiteral("GS ( L fn 112 header too short");
            return;
        }
        const auto b = [&](int k) { return int(quint8(body.at(k))); };
        const int x = b(6) | (b(7) << 8);
        const int y = b(8) | (b(9) << 8);
        const qsizetype rowBytes = (x + 7) / 8;
        if (x <= 0 || y <= 0 || body.size() < 10 + rowBytes * y) {
            r.errors << QStringLiteral("GS ( L fn 112 data shorter than %1×%2").arg(x).arg(y);
            return;
        }
        QImage img(x, y, QImage::Format_Grayscale8);
        if (img.isNull())
            return;
        const char *d = body.constData() + 10;
        for (int yy = 0; yy < y; ++yy) {
            uchar *line = img.scanLine(yy);
            for (int xx = 0; xx < x; ++xx)
                line[xx] = (d[yy * rowBytes + xx / 8] & (0x80 >> (xx % 8))) ? 0 : 255;
        }
        stored = img;
    };
    while (i < n) {
        const int c = u(i);
        if (c == 0x0A) {
            endLine(s, r, true);
            ++i;
            continue;
        }
        if (c == 0x0D) {  // CR: ignored by most printers when auto line feed is off
            ++i;
            continue;
        }
        if (c == 0x10) {
            if (!have(3, "DLE"))
                break;
            if (u(i + 1) == 0x04) {
                r.statusRequests << u(i + 2);
                i += 3;
                continue;
            }
            r.unknownCommands << hex(bytes.mid(i, 3));
            i += 3;
            continue;
        }
        if (c == 0x1B) {
            if (!have(2, "ESC"))
                break;
            const int f = u(i + 1);
            if (f == '@') {
                endLine(s, r, false);
                resetModes(s);
                ++r.inits;
                i += 2;
                continue;
            }
            if (!have(3, "ESC n"))
                break;
            const int p = u(i + 2);
            switch (f) {
            case 'a':
                if (p <= 2 || (p >= '0' && p <= '2'))
                    s.align = Align(p >= '0' ? p - '0' : p);
                else
                    r.errors << QStringLiteral("ESC a %1").arg(p);
                break;
            case 'E':
                s.bold = p & 1;
                break;
            case '!':
                s.bold = p & 0x08;
                s.height = (p & 0x10) ? 2 : 1;
                s.width = (p & 0x20) ? 2 : 1;
                break;
            case 'd':
                endLine(s, r, false);
                r.feedLines += p;
                break;
            case '-': case 't': case 'J': case '3': case 'M': case 'G': case 'V': case '{': case 'R':
            case ' ': case 'U':
                break;
            case '$': case '\\':
                // Absolute / relative print position: a gap inside a line (table columns).
                if (!have(4, "ESC $/\\")) {
                    i = n;  // truncated: stop, as the other branches do
                    continue;
                }
                if (s.lineStarted)
                    addByte(s, ' ');
                i += 4;
                continue;
            default:
                r.unknownCommands << hex(bytes.mid(i, 2));
                i += 2;
                continue;
            }
            i += 3;
            continue;
        }
        if (c == 0x1C) {
            if (!have(2, "FS"))
                break;
            const int f = u(i + 1);
            if (f == '&' || f == '.') {
                s.kanji = f == '&';
                i += 2;
                continue;
            }
            if (f == '!' || f == '-' || f == 'C' || f == 'W') {
                if (!have(3, "FS n"))
                    break;
                i += 3;
                continue;
            }
            if (f == 'S') {  // FS S n1 n2: Kanji spacing
                if (!have(4, "FS S"))
                    break;
                i += 4;
                continue;
            }
            if (f == '(') {  // FS ( fn pL pH …: Kanji configuration, skipped whole
                if (!have(5, "FS ( header"))
                    break;
                const qsizetype p = u(i + 3) | (u(i + 4) << 8);
                if (!have(5 + p, "FS ( data"))
                    break;
                i += 5 + p;
                continue;
            }
            r.unknownCommands << hex(bytes.mid(i, 2));
            i += 2;
            continue;
        }
        if (c == 0x1D) {
            if (!have(2, "GS"))
                break;
            const int f = u(i + 1);
            if (f == 'a' || f == 'r' || f == 'h' || f == 'w' || f == 'H' || f == 'f' || f == 'I') {
                if (!have(3, "GS n"))
                    break;
                i += 3;
                continue;
            }
            if (f == 'L' || f == 'W') {  // left margin / print area width
                if (!have(4, "GS L/W"))
                    break;
                i += 4;
                continue;
            }
            if (f == '8') {  // GS 8 L p1..p4 m fn …: graphics with a 32-bit length
                if (!have(7, "GS 8 header"))
                    break;
                const qsizetype p = qsizetype(u(i + 3)) | (qsizetype(u(i + 4)) << 8) | (qsizetype(u(i + 5)) << 16)
                    | (qsizetype(u(i + 6)) << 24);
                if (p < 0 || !have(7 + p, "GS 8 data"))
                    break;
                if (u(i + 2) == 'L')
                    graphics(bytes.mid(i + 7, p));
                else
                    r.unknownCommands << hex(bytes.mid(i, 3));
                i += 7 + p;
                continue;
            }
            if (f == '!' || f == 'B') {
                if (!have(3, "GS n"))
                    break;
                if (f == '!') {
                    s.width = ((u(i + 2) >> 4) & 7) + 1;
                    s.height = (u(i + 2) & 7) + 1;
                }
                i += 3;
                continue;
            }
            if (f == 'V') {
                if (!have(3, "GS V"))
                    break;
                const int m = u(i + 2);
                const qsizetype len = (m == 0x41 || m == 0x42) ? 4 : 3;
                if (!have(len, "GS V n"))
                    break;
                endLine(s, r, false);
                ++r.cuts;
                i += len;
                continue;
            }
            if (f == 'v') {
                if (!have(8, "GS v 0 header"))
                    break;
                const qsizetype xb = u(i + 4) | (u(i + 5) << 8);
                const qsizetype rows = u(i + 6) | (u(i + 7) << 8);
                if (u(i + 2) != 0x30 && u(i + 2) != 0x00)
                    r.errors << QStringLiteral("GS v %1").arg(u(i + 2));
                if (!have(8 + xb * rows, "GS v 0 data"))
                    break;
                endLine(s, r, false);
                Item it;
                it.kind = Kind::Raster;
                it.align = s.align;
                if (xb > 0 && rows > 0) {
                    QImage img(int(xb * 8), int(rows), QImage::Format_Grayscale8);
                    if (!img.isNull()) {
                        const char *d = bytes.constData() + i + 8;
                        for (qsizetype y = 0; y < rows; ++y) {
                            uchar *line = img.scanLine(int(y));
                            for (qsizetype x = 0; x < xb * 8; ++x)
                                line[x] = (d[y * xb + x / 8] & (0x80 >> (x % 8))) ? 0 : 255;
                        }
                        it.image = img;
                        it.payload = decodeQrImage(img);
                        it.text = QString::fromLatin1(it.payload);
                    }
                }
                r.items.append(it);
                i += 8 + xb * rows;
                continue;
            }
            if (f == '(') {
                if (!have(5, "GS ( header"))
                    break;
                const qsizetype p = u(i + 3) | (u(i + 4) << 8);
                if (!have(5 + p, "GS ( data"))
                    break;
                if (u(i + 2) == 'k' && p >= 2 && u(i + 5) == 0x31) {
                    const int fn = u(i + 6);
                    const QByteArray params = bytes.mid(i + 7, p - 2);
                    switch (fn) {
                    case 0x41:
                        if (!params.isEmpty())
                            s.qrModel = quint8(params.at(0));
                        break;
                    case 0x43:
                        if (!params.isEmpty())
                            s.qrModule = quint8(params.at(0));
                        break;
                    case 0x45:
                        if (!params.isEmpty())
                            s.qrEcc = quint8(params.at(0));
                        break;
                    case 0x50:
                        if (params.isEmpty() || params.at(0) != '0') {
                            r.errors << QStringLiteral("GS ( k fn 80 without m = 0x30");
                            break;
                        }
                        s.qrStored = params.mid(1);
                        s.qrHasData = true;
                        break;
                    case 0x51: {
                        endLine(s, r, false);
                        if (!s.qrHasData) {
                            r.errors << QStringLiteral("GS ( k print without stored data");
                            break;
                        }
                        Item it;
                        it.kind = Kind::NativeQr;
                        it.align = s.align;
                        it.payload = s.qrStored;
                        it.text = QString::fromLatin1(s.qrStored);
                        it.qrModel = s.qrModel;
                        it.qrModuleSize = s.qrModule;
                        it.qrEcc = s.qrEcc;
                        r.items.append(it);
                        break;
                    }
                    default:
                        r.unknownCommands << hex(bytes.mid(i, 7));
                        break;
                    }
                } else if (u(i + 2) == 'L') {
                    graphics(bytes.mid(i + 5, p));
                } else {
                    r.unknownCommands << hex(bytes.mid(i, 5));
                }
                i += 5 + p;
                continue;
            }
            r.unknownCommands << hex(bytes.mid(i, 2));
            i += 2;
            continue;
        }
        if (c < 0x20) {
            r.unknownCommands << hex(bytes.mid(i, 1));
            ++i;
            continue;
        }
        addByte(s, char(c));
        ++i;
    }
    // Unterminated text stays in the printer buffer: not printed, but worth knowing.
    flushRun(s);
    if (s.lineStarted)
        r.errors << QStringLiteral("unterminated line: %1").arg(s.line);
    return r;
}

} // namespace hcp::tests

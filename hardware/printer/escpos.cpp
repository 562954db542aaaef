// SPDX-License-Identifier: Apache-2.0
#include "escpos.h"

#include <QStringEncoder>

#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>

#include <algorithm>
#include <stdexcept>

namespace hcp::hardware {

namespace {
constexpr char ESC = 0x1B;
constexpr char GS = 0x1D;
constexpr char FS = 0x1C;
constexpr char DLE = 0x10;
constexpr char EOT = 0x04;
constexpr int kQrMaxBytes = 7089;  // QR version 40-L numeric capacity; byte mode is lower still

void appendGsParenK(QByteArray &out, char fn, const QByteArray &params)
{
    const int p = 2 + int(params.size());  // cn + fn + params
    out.append(GS).append('(').append('k');
    out.append(char(p & 0xFF)).append(char((p >> 8) & 0xFF));
    out.append('1').append(fn).append(params);
}
} // namespace

EscPos &EscPos::init()
{
    m_bytes.append(ESC).append('@');
    return *this;
}

EscPos &EscPos::align(Align a)
{
    m_bytes.append(ESC).append('a').append(char(a));
    return *this;
}

EscPos &EscPos::size(int width, int height)
{
    const int w = std::clamp(width, 1, 8) - 1;
    const int h = std::clamp(height, 1, 8) - 1;
    m_bytes.append(GS).append('!').append(char((w << 4) | h));
    return *this;
}

EscPos &EscPos::bold(bool on)
{
    m_bytes.append(ESC).append('E').append(char(on ? 1 : 0));
    return *this;
}

EscPos &EscPos::underline(int dots)
{
    m_bytes.append(ESC).append('-').append(char(std::clamp(dots, 0, 2)));
    return *this;
}

QByteArray EscPos::encodeGbk(const QString &s)
{
    QStringEncoder enc("GB18030");
    QByteArray out;
    out.reserve(s.size() * 2);
    // Encode per code point so a four-byte GB18030 sequence (outside GBK) is replaced, not
    // sent: most printers' Kanji mode only knows two-byte codes (reference §2.2).
    for (qsizetype i = 0; i < s.size();) {
        const bool pair = s.at(i).isHighSurrogate() && i + 1 < s.size() && s.at(i + 1).isLowSurrogate();
        const QStringView cp = QStringView(s).mid(i, pair ? 2 : 1);
        i += cp.size();
        const char16_t u = cp.at(0).unicode();
        if (cp.size() == 1 && u < 0x80) {
            out.append((u < 0x20 || u == 0x7F) ? ' ' : char(u));
            continue;
        }
        const QByteArray b = enc.encode(cp);
        if (enc.hasError() || b.size() != 2) {
            enc = QStringEncoder("GB18030");  // clear error state
            out.append('?');
            continue;
        }
        out.append(b);
    }
    return out;
}

EscPos &EscPos::text(const QString &s)
{
    bool ascii = true;
    for (QChar c : s) {
        if (c.unicode() >= 0x80) {
            ascii = false;
            break;
        }
    }
    if (ascii) {
        m_bytes.append(encodeGbk(s));
    } else {
        m_bytes.append(FS).append('&').append(encodeGbk(s)).append(FS).append('.');
    }
    return *this;
}

EscPos &EscPos::line(const QString &s)
{
    return text(s).lf();
}

EscPos &EscPos::lf()
{
    m_bytes.append('\n');
    return *this;
}

EscPos &EscPos::feed(int lines)
{
    m_bytes.append(ESC).append('d').append(char(std::clamp(lines, 0, 255)));
    return *this;
}

bool EscPos::qrNative(const QByteArray &payload, int moduleDots, QrEcc ecc)
{
    if (payload.isEmpty() || payload.size() > kQrMaxBytes)
        return false;
    appendGsParenK(m_bytes, 'A', QByteArray("\x32\x00", 2));                   // fn 65: model 2
    appendGsParenK(m_bytes, 'C', QByteArray(1, char(std::clamp(moduleDots, 1, 16))));  // fn 67
    appendGsParenK(m_bytes, 'E', QByteArray(1, char(ecc)));                     // fn 69
    appendGsParenK(m_bytes, 'P', QByteArray(1, '0') + payload);                 // fn 80: store
    appendGsParenK(m_bytes, 'Q', QByteArray(1, '0'));                           // fn 81: print
    return true;
}

EscPos &EscPos::raster(const QBitArray &bits, int width, int height)
{
    if (width <= 0 || height <= 0 || bits.size() < qsizetype(width) * height)
        return *this;
    const int rowBytes = (width + 7) / 8;
    const int rows = std::min(height, 0xFFFF);
    m_bytes.append(GS).append('v').append('0').append(char(0));
    m_bytes.append(char(rowBytes & 0xFF)).append(char(rowBytes >> 8));
    m_bytes.append(char(rows & 0xFF)).append(char(rows >> 8));
    const qsizetype start = m_bytes.size();
    m_bytes.append(QByteArray(qsizetype(rowBytes) * rows, '\0'));
    char *d = m_bytes.data() + start;
    for (int y = 0; y < rows; ++y) {
        for (int x = 0; x < width; ++x) {
            if (bits.testBit(qsizetype(y) * width + x))
                d[y * rowBytes + x / 8] |= char(0x80 >> (x % 8));
        }
    }
    return *this;
}

namespace {
// One pixel per module, no quiet zone; empty matrix when the payload does not fit a QR.
ZXing::BitMatrix encodeQr(const QByteArray &payload, EscPos::QrEcc ecc)
{
    // ZXing's writer takes ECC on its 0..8 scale: L=1, M=3, Q=5, H=7 (~ percent/4).
    int zxEcc = 3;
    switch (ecc) {
    case EscPos::QrEcc::L: zxEcc = 1; break;
    case EscPos::QrEcc::M: zxEcc = 3; break;
    case EscPos::QrEcc::Q: zxEcc = 5; break;
    case EscPos::QrEcc::H: zxEcc = 7; break;
    }
    try {
        ZXing::MultiFormatWriter w(ZXing::BarcodeFormat::QRCode);
        w.setEncoding(ZXing::CharacterSet::ISO8859_1).setEccLevel(zxEcc).setMargin(0);
        // Bytes are passed through as ISO-8859-1 code units so ZXing stores them verbatim.
        std::wstring ws;
        ws.reserve(size_t(payload.size()));
        for (char c : payload)
            ws.push_back(wchar_t(quint8(c)));
        return w.encode(ws, 0, 0);  // 0,0 = one pixel per module
    } catch (const std::exception &) {
        return {};
    }
}
} // namespace

int EscPos::qrSymbolModules(const QByteArray &payload, QrEcc ecc)
{
    if (payload.isEmpty() || payload.size() > kQrMaxBytes)
        return 0;
    return encodeQr(payload, ecc).width();
}

bool EscPos::qrRaster(const QByteArray &payload, int moduleDots, QrEcc ecc, int maxWidthDots)
{
    if (payload.isEmpty() || payload.size() > kQrMaxBytes)
        return false;
    const ZXing::BitMatrix m = encodeQr(payload, ecc);
    const int dots = std::clamp(moduleDots, 1, 16);
    constexpr int quiet = 4;  // modules of quiet zone on each side (ISO/IEC 18004)
    const int modules = m.width() + 2 * quiet;
    const int w = modules * dots;
    if (m.width() <= 0 || w > maxWidthDots)
        return false;
    QBitArray bits(qsizetype(w) * w);
    for (int y = 0; y < m.height(); ++y) {
        for (int x = 0; x < m.width(); ++x) {
            if (!m.get(x, y))
                continue;
            for (int dy = 0; dy < dots; ++dy) {
                const qsizetype row = qsizetype((y + quiet) * dots + dy) * w;
                for (int dx = 0; dx < dots; ++dx)
                    bits.setBit(row + (x + quiet) * dots + dx);
            }
        }
    }
    raster(bits, w, w);
    return true;
}

EscPos &EscPos::cut(Cut mode, int feedLines)
{
    m_bytes.append(GS).append('V').append(char(mode)).append(char(std::clamp(feedLines, 0, 255)));
    return *this;
}

EscPos &EscPos::raw(const QByteArray &bytes)
{
    m_bytes.append(bytes);
    return *this;
}

QByteArray EscPos::statusRequest(int n)
{
    if (n < 1 || n > 4)
        return {};
    const char req[3] = {DLE, EOT, char(n)};
    return QByteArray(req, 3);
}

bool EscPos::isStatusReply(quint8 b)
{
    return (b & 0x93) == 0x12;
}

bool EscPos::applyStatusReply(int n, quint8 r, PrinterStatus &s)
{
    if (n < 1 || n > 4 || !isStatusReply(r))
        return false;
    switch (n) {
    case 1:
        s.online = !(r & 0x08);
        s.waitingForRecovery = r & 0x20;
        s.feedButton = r & 0x40;
        break;
    case 2:
        s.coverOpen = r & 0x04;
        s.feedButton = s.feedButton || (r & 0x08);
        // 0x20 "stopped by paper end" is folded with roll sensor n=4 below: either reports it.
        s.paperEnd = s.paperEnd || (r & 0x20);
        s.errorOccurred = r & 0x40;
        break;
    case 3:
        s.recoverableError = r & 0x04;
        s.cutterError = r & 0x08;
        s.unrecoverableError = r & 0x20;
        s.autoRecoverableError = r & 0x40;
        break;
    case 4:
        // Epson sets these bits pairwise (0x0C, 0x60); some clones set one of each pair.
        s.paperNearEnd = r & 0x0C;
        s.paperEnd = s.paperEnd || (r & 0x60);
        break;
    }
    return true;
}

qsizetype EscPos::commandLength(const QByteArray &buf, qsizetype pos)
{
    const qsizetype avail = buf.size() - pos;
    if (avail <= 0)
        return 0;
    const auto at = [&](qsizetype i) { return quint8(buf.at(pos + i)); };
    const auto need = [&](qsizetype n) -> qsizetype { return avail >= n ? n : 0; };
    const quint8 c = at(0);
    if (c != 0x10 && c != 0x1B && c != 0x1C && c != 0x1D)
        return 1;
    if (avail < 2)
        return 0;
    const quint8 f = at(1);
    switch (c) {
    case 0x10:
        if (f == 0x04 || f == 0x05)
            return need(3);  // DLE EOT n / DLE ENQ n
        if (f == 0x14)
            return need(5);  // DLE DC4 fn m t
        return 2;
    case 0x1B:
        switch (f) {
        case '@': case '2': case '<':
            return 2;
        case 'a': case 'E': case '!': case '-': case 't': case 'd': case 'J': case '3':
        case 'M': case 'G': case 'V': case '{': case 'e': case 'R': case 'r':
            return need(3);
        case '$': case 'p':
            return f == '$' ? need(4) : need(5);
        default:
            return 2;
        }
    case 0x1C:
        switch (f) {
        case '&': case '.':
            return 2;
        case '!': case '-': case 'W':
            return need(3);
        default:
            return 2;
        }
    case 0x1D:
        switch (f) {
        case '!': case 'B': case 'H': case 'f': case 'h': case 'w': case 'a': case 'r':
        case 'I':
            return need(3);
        case 'L': case 'W':
            return need(4);
        case 'V': {
            if (avail < 3)
                return 0;
            const quint8 m = at(2);
            return (m == 0x41 || m == 0x42 || m == 0x61 || m == 0x62 || m == 0x67 || m == 0x68)
                ? need(4) : 3;
        }
        case 'v': {
            if (avail < 8)
                return 0;
            const qsizetype x = at(4) | (qsizetype(at(5)) << 8);
            const qsizetype y = at(6) | (qsizetype(at(7)) << 8);
            return need(8 + x * y);
        }
        case '(': {
            if (avail < 5)
                return 0;
            const qsizetype p = at(3) | (qsizetype(at(4)) << 8);
            return need(5 + p);
        }
        case '8': {
            if (avail < 7)
                return 0;
            const qsizetype p = at(3) | (qsizetype(at(4)) << 8) | (qsizetype(at(5)) << 16)
                | (qsizetype(at(6)) << 24);
            return need(7 + p);
        }
        default:
            return 2;
        }
    }
    return 1;
}

} // namespace hcp::hardware

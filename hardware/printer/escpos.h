// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QBitArray>
#include <QByteArray>
#include <QMetaType>
#include <QString>

namespace hcp::hardware {

// Printer condition assembled from DLE EOT 1..4 replies (reference §2.5). A field is only
// meaningful when the reply that carries it was received; `valid` is true once all four
// replies decoded.
struct PrinterStatus {
    Q_GADGET
    Q_PROPERTY(bool valid MEMBER valid)
    Q_PROPERTY(bool online MEMBER online)
    Q_PROPERTY(bool coverOpen MEMBER coverOpen)
    Q_PROPERTY(bool paperEnd MEMBER paperEnd)
    Q_PROPERTY(bool paperNearEnd MEMBER paperNearEnd)
    Q_PROPERTY(bool cutterError MEMBER cutterError)
    Q_PROPERTY(bool errorOccurred MEMBER errorOccurred)
    Q_PROPERTY(bool unrecoverableError MEMBER unrecoverableError)
public:
    bool valid = false;
    bool online = true;               // DLE EOT 1, bit 0x08 clear
    bool waitingForRecovery = false;  // DLE EOT 1, bit 0x20
    bool feedButton = false;          // DLE EOT 1, 0x40 / DLE EOT 2, 0x08
    bool coverOpen = false;           // DLE EOT 2, 0x04
    bool paperEnd = false;            // DLE EOT 2, 0x20 (stopped) or DLE EOT 4, 0x60 pair
    bool errorOccurred = false;       // DLE EOT 2, 0x40
    bool recoverableError = false;    // DLE EOT 3, 0x04
    bool cutterError = false;         // DLE EOT 3, 0x08
    bool unrecoverableError = false;  // DLE EOT 3, 0x20
    bool autoRecoverableError = false;// DLE EOT 3, 0x40
    bool paperNearEnd = false;        // DLE EOT 4, 0x0C pair

    // True when nothing prevents printing (near end is a warning, not a blocker).
    bool readyToPrint() const
    {
        return valid && online && !coverOpen && !paperEnd && !cutterError && !unrecoverableError;
    }
    bool operator==(const PrinterStatus &) const = default;
};

// Pure ESC/POS encoder: a byte builder over QByteArray. No I/O, no state beyond the buffer.
// Every method appends to the buffer and returns *this so a receipt reads top to bottom.
class EscPos {
public:
    enum class Align : quint8 { Left = 0, Center = 1, Right = 2 };
    enum class QrEcc : quint8 { L = 0x30, M = 0x31, Q = 0x32, H = 0x33 };
    enum class Cut : quint8 { Full = 0x41, Partial = 0x42 };

    EscPos &init();                       // ESC @
    EscPos &align(Align a);               // ESC a n
    EscPos &size(int width, int height);  // GS ! n, width/height 1..8 (clamped)
    EscPos &bold(bool on);                // ESC E n
    EscPos &underline(int dots);          // ESC - n, 0..2
    // Text without a line feed. ASCII goes raw; a string with any non-ASCII character is sent
    // inside FS & … FS . encoded as GB18030 restricted to one- and two-byte (GBK) sequences;
    // characters needing four bytes become '?'. C0 controls and DEL become spaces so that
    // caller data can never inject a printer command.
    EscPos &text(const QString &s);
    EscPos &line(const QString &s);       // text(s) + LF
    EscPos &lf();                         // LF
    EscPos &feed(int lines);              // ESC d n (0..255)
    // GS ( k, model 2: select model, module size (1..16 dots), error correction, store, print.
    // Payloads longer than 7089 bytes (QR capacity) are refused (returns false, buffer untouched).
    bool qrNative(const QByteArray &payload, int moduleDots = 6, QrEcc ecc = QrEcc::M);
    // GS v 0 raster of a 1-bit image: `bits` row-major, width*height entries, true = black.
    EscPos &raster(const QBitArray &bits, int width, int height);
    // QR rendered on the host with ZXing-cpp and sent as a GS v 0 raster, for printers
    // without GS ( k. Returns false when the payload cannot be encoded or the symbol would
    // be wider than maxWidthDots at moduleDots (then nothing is appended).
    bool qrRaster(const QByteArray &payload, int moduleDots = 6, QrEcc ecc = QrEcc::M,
                  int maxWidthDots = 384);
    EscPos &cut(Cut mode = Cut::Partial, int feedLines = 0);  // GS V 65/66 n
    EscPos &raw(const QByteArray &bytes);

    const QByteArray &bytes() const { return m_bytes; }
    void clear() { m_bytes.clear(); }

    // ---- pure helpers ----
    // Side of the QR symbol for `payload` in modules (without quiet zone), as ZXing-cpp
    // encodes it; 0 when it cannot be encoded. Used to fit GS ( k symbols to the paper.
    static int qrSymbolModules(const QByteArray &payload, QrEcc ecc);
    static QByteArray encodeGbk(const QString &s);         // the FS & payload rule above
    static QByteArray statusRequest(int n);                 // DLE EOT n, n = 1..4
    // True when the byte has the fixed bits of a DLE EOT reply (bit 1 and 4 set, 0 and 7 clear).
    static bool isStatusReply(quint8 b);
    // Folds the reply to DLE EOT n into `status`; returns false (status unchanged) for an
    // invalid n or a byte that is not a status reply.
    static bool applyStatusReply(int n, quint8 reply, PrinterStatus &status);
    // Length in bytes of the complete command starting at `pos` (a printable byte or LF = 1),
    // 0 when more bytes are needed to know or to complete it. Unknown ESC/GS/FS sequences
    // count as 2 bytes (the introducer and one function byte), like most printers skip them.
    static qsizetype commandLength(const QByteArray &buf, qsizetype pos);

private:
    QByteArray m_bytes;
};

} // namespace hcp::hardware

Q_DECLARE_METATYPE(hcp::hardware::PrinterStatus)

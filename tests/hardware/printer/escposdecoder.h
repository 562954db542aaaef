// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QImage>
#include <QList>
#include <QString>
#include <QStringList>

namespace hcp::tests {

// Test-tree ESC/POS decoder: reads printer output back into what a paper receipt would show,
// written independently of hcp::hardware::EscPos so that the encoder is checked against a
// second reading of the reference (§2.2–2.6), not against itself.
// Contract: never crashes or hangs on arbitrary bytes (fuzzed by fuzz_escpos_decoder);
// truncated or unknown input is reported in `errors` / `unknownCommands`.
class EscPosDecoder {
public:
    enum class Kind { Text, NativeQr, Raster };
    enum class Align { Left = 0, Center = 1, Right = 2 };

    struct Item {
        Kind kind = Kind::Text;
        QString text;          // Text: the line; NativeQr: payload as Latin-1; Raster: ZXing result
        QByteArray payload;    // NativeQr: stored bytes; Raster: decoded QR bytes (empty if none)
        Align align = Align::Left;
        int width = 1;         // character magnification at the line's first character
        int height = 1;
        bool bold = false;
        bool chinese = false;  // some of the line was inside FS & … FS .
        QImage image;          // Raster: the bitmap (Format_Grayscale8, black = 0)
        int qrModel = 0;       // NativeQr: 0x32 = model 2
        int qrModuleSize = 0;  // NativeQr: dots
        int qrEcc = 0;         // NativeQr: 0x30..0x33
    };

    struct Result {
        QList<Item> items;
        int inits = 0;
        int cuts = 0;
        int feedLines = 0;              // lines fed by ESC d (not counting LF)
        QList<int> statusRequests;      // n of every DLE EOT n seen
        QStringList unknownCommands;    // hex of skipped sequences
        QStringList errors;             // truncated commands, bad parameters
        QStringList textLines() const;  // Text items only
        QList<QByteArray> qrPayloads() const;  // native QR payloads and decoded raster QRs, in order
    };

    // Rasters larger than this (either side, in dots) are kept but not handed to ZXing.
    static constexpr int kMaxDecodeSide = 4096;

    static Result decode(const QByteArray &bytes);
};

} // namespace hcp::tests

// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "receiptwitness.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace hcp::kiosk {

// What a scanned code (camera, USB scanner, or typed) refers to.
struct QrPayload {
    enum class Kind {
        Invalid,     // see error
        ProjectRef,  // a case: projectNo (+ serviceNumber when the code carries it)
        Receipt,     // the kiosk's own receipt QR: follow up one evaluation
    };
    enum class Error { None, Empty, Oversized, Binary, Unrecognized };

    Kind kind = Kind::Invalid;
    Error error = Error::Empty;
    QString projectNo;
    int serviceNumber = 0;   // 0 = not given
    QString evaluationUuid;  // Receipt only
    QString serviceCode;     // some provinces' codes carry a serviceCode instead of projectNo
    // Receipt only, when the code carries one (d, s, w): the issuing device's signed statement
    // that this evaluation exists at that seq (PROTOCOL §4c); the hub checks the signature.
    std::optional<trust::ReceiptWitness> witness;
    bool isValid() const { return kind != Kind::Invalid; }
};

inline constexpr int kQrPayloadMaxBytes = 2048;

// Accepts: a bare projectNo (6–50 of [A-Za-z0-9-_]); an http(s) URL carrying projectNo /
// projectno / code / serviceCode (and optionally serviceNumber) in its query or fragment; the
// kiosk's own receipt URL (…?eval=<uuid>&projectNo=…&serviceNumber=…[&d=<deviceId>&s=<seq>&w=<sig>],
// the last three the receipt witness, ignored unless all well-formed). Anything else — empty,
// longer than kQrPayloadMaxBytes, not UTF-8, control characters — is Invalid with a reason.
// Never throws, never allocates more than a small multiple of the input.
QrPayload parseQrPayload(const QByteArray &raw);

// The kiosk's receipt QR for one evaluation (parseQrPayload reads it back as Receipt), with the
// device's witness signature when given. With a witness it stays under kReceiptQrMaxBytes.
QString receiptQrUrl(const QString &followUpBase, const QString &evaluationUuid,
                     const QString &projectNo, int serviceNumber,
                     const std::optional<trust::ReceiptWitness> &witness = std::nullopt);
// The largest receipt URL: the byte capacity of a QR of version 13 at level M (69 modules,
// 4 dots per module with quiet zones on 58 mm paper). Holds the worst case (base of 40
// characters, 50-character projectNo, 64-character device id, witness); typical ones are ~250.
inline constexpr int kReceiptQrMaxBytes = 331;

// Citizen-facing message for an invalid payload (translated).
QString qrErrorText(QrPayload::Error e);

} // namespace hcp::kiosk

// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "crypto.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace hcp::trust {

// A printed receipt as a witness (PROTOCOL §4c): the device signs "this evaluation exists at
// this seq" when it prints the receipt; whoever scans the receipt later, at any kiosk, tells
// the hub, which then knows of an evaluation the device may have torn out before it synced.
// The signature is the raw 64 bytes (SM2 r‖s, or Ed25519), base64url in the QR (86 chars).
struct ReceiptWitness
{
    QString deviceId;
    quint64 deviceSeq = 0;
    QString uuid;
    QByteArray signature; // raw, 64 bytes

    bool isValid() const { return !deviceId.isEmpty() && deviceSeq > 0 && !uuid.isEmpty() && signature.size() == 64; }

    // "HCP-RECEIPT-V1|" deviceId "|" seq "|" uuid
    static QByteArray message(const QString &deviceId, quint64 deviceSeq, const QString &uuid);
    static std::optional<ReceiptWitness> sign(const Key &deviceKey, const QString &deviceId, quint64 deviceSeq,
                                              const QString &uuid, QString *error = nullptr);
    bool verify(const Key &devicePublicKey) const;

    // base64url without padding, and back (empty when not 64 bytes of base64url).
    QString signatureText() const;
    static QByteArray signatureFromText(const QString &text);
};

} // namespace hcp::trust

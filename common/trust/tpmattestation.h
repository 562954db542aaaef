// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "ledgerentry.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace hcp::trust {

// What a TPM kiosk adds to every heartbeat and batch (PROTOCOL §4c): its TPM's NV counter
// value (advanced once per ledger entry) and its ledger head, signed by the TPM-resident
// ECDSA P-256 key (TpmDevice). The signed bytes are the UTF-8 of
//   "HCP-TPM-ATTEST-V1\n" deviceId "\n" tpmId "\n" counter "\n" headSeq "\n" hex(headHash) "\n" timeMs
// (decimal numbers, lowercase hex), ECDSA over SHA-256, DER signature.
// Verification needs only OpenSSL (no TPM): the hub links hcp_trust, not tpm2-tss.
struct TpmAttestation
{
    QString deviceId;
    QString tpmId;          // TpmDevice::identity(): SHA-256 hex of the EK public point
    QByteArray publicKeyDer; // the TPM signing key, SubjectPublicKeyInfo DER (P-256)
    quint64 counter = 0;
    LedgerHead head;
    qint64 timeMs = 0;
    QByteArray signature;

    QByteArray signingInput() const;
    // Wire form: {"tpmId","key" (base64 DER),"counter","headSeq","headHash" (hex),"timeMs","sig" (base64)}.
    // deviceId is not on the wire (the request's authenticated device is).
    QJsonObject toJson() const;
    static std::optional<TpmAttestation> fromJson(const QJsonObject &json, const QString &deviceId,
                                                  QString *error = nullptr);
    // The signature verifies under publicKeyDer, which must be a P-256 key.
    bool verify() const;
    // SHA-256 hex of publicKeyDer.
    QString keyFingerprint() const;

    // ECDSA P-256/SHA-256 verification of a DER signature under an SPKI DER public key.
    static bool verifyP256(QByteArrayView publicKeyDer, QByteArrayView message, QByteArrayView signature);
};

} // namespace hcp::trust

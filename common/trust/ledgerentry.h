// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace hcp::trust {

class Key;

// The head of a device's ledger: the last entry's sequence number and hash. A device that
// has written nothing has the genesis head {0, 32 zero bytes}.
struct LedgerHead
{
    quint64 deviceSeq = 0;
    QByteArray entryHash = QByteArray(32, '\0');

    static LedgerHead genesis() { return {}; }
    bool operator==(const LedgerHead &) const = default;
};

// One ledger entry per evaluation (or audit record). All hashes are 32 raw bytes (SM3).
//
//   payloadHash = SM3(CanonicalJson::serialize(evaluation))
//   entryHash   = SM3(hashInput()), hashInput() being the UTF-8 bytes of
//                 "HCP-LEDGER-V1|" deviceSeq "|" uuid "|" assessTime "|"
//                 hex(payloadHash) "|" hex(prevHash)
//                 with deviceSeq in decimal and hex in lowercase. The prefix separates
//                 ledger hashes from every other SM3 use of the project.
//   signature   = Crypto::sign(deviceKey, entryHash)
//
// deviceSeq starts at 1 and increases by exactly 1; prevHash of entry 1 is 32 zero bytes.
// uuid is the evaluation UUID in lowercase 8-4-4-4-12 form without braces; assessTime is the
// evaluation's time exactly as it appears in the evaluation (ASCII, no '|').
struct LedgerEntry
{
    quint64 deviceSeq = 0;
    QString uuid;
    QString assessTime;
    QByteArray payloadHash;
    QByteArray prevHash;
    QByteArray entryHash;
    QByteArray signature;

    QByteArray hashInput() const;
    QByteArray computeEntryHash() const; // empty if not well formed
    // Field shapes only (lengths, uuid form, no '|'); says nothing about authenticity.
    bool isWellFormed(QString *why = nullptr) const;
    LedgerHead head() const { return {deviceSeq, entryHash}; }

    // Wire form: {"deviceSeq": n, "uuid": s, "assessTime": s, "payloadHash": hex,
    //             "prevHash": hex, "entryHash": hex, "signature": base64}
    QJsonObject toJson() const;
    static std::optional<LedgerEntry> fromJson(const QJsonObject &json, QString *error = nullptr);

    bool operator==(const LedgerEntry &) const = default;
};

// A head signed by the device, carried by every batch and heartbeat.
//   signature = Crypto::sign(deviceKey, signingInput()), signingInput() being the UTF-8 of
//   "HCP-HEAD-V1|" deviceSeq "|" hex(entryHash)
struct SignedHead
{
    LedgerHead head;
    QByteArray signature;

    QByteArray signingInput() const;
    bool verify(const Key &devicePublicKey) const;

    // Wire form: {"deviceSeq": n, "entryHash": hex, "signature": base64}
    QJsonObject toJson() const;
    static std::optional<SignedHead> fromJson(const QJsonObject &json, QString *error = nullptr);
};

} // namespace hcp::trust

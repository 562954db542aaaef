// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <optional>

#include <QByteArray>
#include <QJsonObject>
#include <QString>

// Pure helpers of the wire protocol (sync/PROTOCOL.md), shared by the kiosk client and the hub.
// Everything here is reentrant and free of I/O.
namespace hcp::sync::wire {

inline constexpr int kMaxBatch = 500;          // evaluations per upload request (PROTOCOL §4)
inline constexpr qint64 kDriftLimitMs = 300000; // clock drift flagged above 5 minutes (§8)
inline constexpr char kTimeFormat[] = "yyyy-MM-dd HH:mm:ss";

// Returns an empty string when the evaluation wire object is valid, else the reason (PROTOCOL §4).
QString validateEvaluation(const QJsonObject &evaluation);
// Returns an empty string when the case object is importable, else the reason (PROTOCOL §5).
QString validateCase(const QJsonObject &caseObject);

// Hex SHA-256 of the compact JSON of the object (Qt keeps object keys sorted): the content
// fingerprint that decides duplicate vs conflict.
QByteArray fingerprint(const QJsonObject &object);

// The raw bytes of each element of the top-level member `key` (an array) of a JSON object text,
// exactly as sent. Returns false when the text is not an object with exactly one such array
// member (callers then fall back to re-serializing parsed values). Only splits; call it on text
// that QJsonDocument has accepted.
bool splitArrayMember(const QByteArray &json, const QByteArray &key, QList<QByteArray> *elements);

// The 办件编号 named by a receipt QR payload, or an empty string if the payload is not one of
// the forms of PROTOCOL §5.
QString projectNoFromQr(const QString &payload);

// Hex HMAC-SHA256 over the canonical request (PROTOCOL §2).
QByteArray requestSignature(const QByteArray &secret, const QByteArray &method,
                            const QByteArray &pathAndQuery, qint64 timeMs, const QByteArray &body);
// Hex HMAC-SM3(certKey, UTF-8 of the trimmed, upper-cased ID number) (GB/T 32905 SM3 in
// RFC 2104 HMAC): the only form in which an ID number leaves the card reader's session.
// Scheme name kCertKeyHashScheme; caches holding hashes of another scheme drop them.
inline constexpr char kCertKeyHashScheme[] = "hmac-sm3";
QByteArray certKeyHash(const QByteArray &certKey, const QString &idNumber);

// "certKeyEnc" of an evaluation (PROTOCOL §4): base64 of the SM2 ciphertext (GM/T 0009 ASN.1
// C1C3C2) of the UTF-8 trimmed, upper-cased ID number, for the hub's public key (PEM,
// DeviceCredentials::hubPublicKey). Only the hub can read it (hub::decryptCertKey). Empty
// optional when the key is not an SM2 public key.
std::optional<QString> encryptCertKey(const QByteArray &hubPublicKeyPem, const QString &idNumber,
                                      QString *error = nullptr);

// Compares without an early exit, so timing does not leak how much of a MAC matched.
bool constantTimeEquals(const QByteArray &a, const QByteArray &b);

QJsonObject errorBody(const QString &code, const QString &message);

} // namespace hcp::sync::wire

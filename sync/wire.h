// SPDX-License-Identifier: Apache-2.0
#pragma once

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
// Hex HMAC-SHA256(certKey, upper-cased ID number): the only form in which an ID number leaves
// the card reader's session.
QByteArray certKeyHash(const QByteArray &certKey, const QString &idNumber);

// Compares without an early exit, so timing does not leak how much of a MAC matched.
bool constantTimeEquals(const QByteArray &a, const QByteArray &b);

QJsonObject errorBody(const QString &code, const QString &message);

} // namespace hcp::sync::wire

// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace hcp::trust {

// Canonical serialisation of an evaluation (or any JSON object) for hashing. Two parties
// that hold the same JSON value produce the same bytes, independent of key order,
// whitespace or how numbers were written. The form is RFC 8785 (JCS) restricted to
// integers; precisely:
//
//  - No whitespace anywhere. Output is UTF-8 (no BOM).
//  - object: '{' members ',' … '}', members sorted by key, comparing keys as sequences of
//    UTF-16 code units (QString::operator<, same order as RFC 8785 §3.2.3); member =
//    string ':' value. Duplicate keys cannot occur (QJsonObject keeps one).
//  - array: '[' values ',' … ']' in their order.
//  - string: '"' … '"'; '"' → \"  '\\' → \\  U+0008 → \b  U+0009 → \t  U+000A → \n
//    U+000C → \f  U+000D → \r; other code points below U+0020 → \u00xx (lowercase hex);
//    everything else, including '/', non-ASCII and U+007F, is emitted as raw UTF-8.
//    Lone surrogates are refused.
//  - number: must be an integer with |n| <= 2^53 - 1; written in decimal, no '+', no
//    leading zeros, no exponent, no fraction ("5.0" in the input becomes 5; "-0" becomes 0).
//    Any other number (fraction, exponent beyond the range, NaN) is refused: an evaluation
//    carries no floating point, so its hash never depends on float formatting.
//  - true, false, null as those literals.
//
// Refusal returns std::nullopt and a reason in *error.
class CanonicalJson
{
public:
    static std::optional<QByteArray> serialize(const QJsonObject &object, QString *error = nullptr);
    static std::optional<QByteArray> serialize(const QJsonValue &value, QString *error = nullptr);
    // Parses JSON text (must be an object) and serialises it canonically.
    static std::optional<QByteArray> fromJsonText(const QByteArray &json, QString *error = nullptr);
};

} // namespace hcp::trust

// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "idcarddata.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace hcp::hardware {

// The 256-byte UCS-2 (UTF-16LE), space-padded text block of 二代证 family cards (§1.7, §1.8).
// Pure functions; safe from any thread.
class IdCardTextCodec {
public:
    static constexpr int BlockSize = 256;
    static constexpr int TypeFlagOffset = 248;

    // Parses a block. Returns nullopt (with *error set) for a block of the wrong size or one whose
    // mandatory fields are empty. The check digit is validated and reported, never assumed.
    static std::optional<IdCardData> parse(const QByteArray &block, QString *error = nullptr);
    // Builds a block in the layout of data.cardType (used by the simulator and tests).
    static QByteArray encode(const IdCardData &data);

    static IdCardType cardTypeOf(const QByteArray &block);
    // 民族 name for a two-digit code ("01" → 汉); empty for an unknown code.
    static QString nationName(const QString &code);
    static QString sexName(const QString &code);
};

} // namespace hcp::hardware

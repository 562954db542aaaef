// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "casedirectory.h"

#include <QByteArray>
#include <QString>

namespace hcp::kiosk {

// The keyed hash under which the hub and the case cache know an applicant's ID number
// (hex HMAC-SM3 with the hub's certKey, the same function as wire::certKeyHash, PROTOCOL §5).
// The plain number is never stored on the kiosk. The number is normalised first: trimmed,
// upper-case X.
QString certKeyHash(const QByteArray &hubKey, const QString &idNumber);

// How the citizen at the terminal was identified and what the session keeps of it: the masked
// name and ID number only (the plain ID number goes no further than its keyed hash).
struct Identity {
    enum class Source {
        Typed,   // 办件编号 + applicant's name typed on the keyboard
        Receipt, // QR code on the receipt or 受理通知书
        Card,    // ID card on the reader
    };
    Source source = Source::Receipt;
    QString maskedName;     // typed or read from the card
    QString maskedIdNumber; // card only

    // The case lookup this identification leads to.
    CaseQuery::Kind queryKind() const
    {
        switch (source) {
        case Source::Typed:
            return CaseQuery::Kind::ByProjectNoAndName;
        case Source::Card:
            return CaseQuery::Kind::ByCertKeyHash;
        case Source::Receipt:
            break;
        }
        return CaseQuery::Kind::ByProjectNo;
    }
};

} // namespace hcp::kiosk

// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QString>

namespace hcp::kiosk {

// The keyed hash under which the hub and the case cache know an applicant's ID number
// (hex HMAC-SM3 with the hub's certKey, the same function as wire::certKeyHash, PROTOCOL §5).
// The plain number is never stored on the kiosk. The number is normalised first: trimmed,
// upper-case X.
QString certKeyHash(const QByteArray &hubKey, const QString &idNumber);

} // namespace hcp::kiosk

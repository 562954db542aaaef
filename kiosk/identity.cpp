// SPDX-License-Identifier: Apache-2.0
#include "identity.h"

#include "wire.h"

namespace hcp::kiosk {

QString certKeyHash(const QByteArray &hubKey, const QString &idNumber)
{
    return QString::fromLatin1(hcp::sync::wire::certKeyHash(hubKey, idNumber));
}

} // namespace hcp::kiosk

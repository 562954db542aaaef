// SPDX-License-Identifier: Apache-2.0
#include "identity.h"

#include <QMessageAuthenticationCode>

namespace hcp::kiosk {

QString certKeyHash(const QByteArray &hubKey, const QString &idNumber)
{
    return QString::fromLatin1(QMessageAuthenticationCode::hash(idNumber.trimmed().toUpper().toUtf8(), hubKey,
                                                                QCryptographicHash::Sha256).toHex());
}

} // namespace hcp::kiosk

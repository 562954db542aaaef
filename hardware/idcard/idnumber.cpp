// SPDX-License-Identifier: Apache-2.0
#include "idnumber.h"

namespace hcp::hardware {

QChar IdNumber::checkCharacter(QStringView first17)
{
    static constexpr int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    static constexpr char table[] = "10X98765432";
    if (first17.size() != 17)
        return {};
    int sum = 0;
    for (int i = 0; i < 17; ++i) {
        const QChar c = first17[i];
        if (c < QLatin1Char('0') || c > QLatin1Char('9'))
            return {};
        sum += (c.unicode() - '0') * weights[i];
    }
    return QLatin1Char(table[sum % 11]);
}

bool IdNumber::isValid(QStringView number)
{
    if (number.size() != 18)
        return false;
    const QChar expected = checkCharacter(number.first(17));
    return !expected.isNull() && number[17].toUpper() == expected;
}

QString IdNumber::masked(QStringView number)
{
    if (number.size() <= 8)
        return QString(number.size(), QLatin1Char('*'));
    return number.first(4).toString() + QString(number.size() - 8, QLatin1Char('*'))
        + number.last(4).toString();
}

} // namespace hcp::hardware

// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QChar>
#include <QString>
#include <QStringView>

namespace hcp::hardware {

// GB 11643 citizen identity numbers (ISO 7064 MOD 11-2 check character), §1.11.
class IdNumber {
public:
    // Check character for the first 17 digits, or QChar() if they are not 17 ASCII digits.
    static QChar checkCharacter(QStringView first17);
    // True when the number has 17 digits plus the matching check character (x accepted as X).
    static bool isValid(QStringView number);
    // Display form for screens: first 4 and last 4 characters kept, "1101**********002X".
    static QString masked(QStringView number);
};

} // namespace hcp::hardware

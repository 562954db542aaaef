// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>

namespace hcp::kiosk {

// 整体满意度 (national field `satisfaction`, GB/T 39046 满意度代码): 5 best … 1 worst.
// 2 and 1 are 差评 and need a reason code or a text.
enum class Satisfaction : int {
    None = 0,
    VeryDissatisfied = 1, // 非常不满意
    Dissatisfied = 2,     // 不满意
    Basic = 3,            // 基本满意
    Satisfied = 4,        // 满意
    VerySatisfied = 5,    // 非常满意
};

constexpr bool isValidSatisfaction(int level) { return level >= 1 && level <= 5; }
constexpr bool isBadRating(int level) { return level == 1 || level == 2; }

// The level in words, translated (qsTr context "Satisfaction").
QString satisfactionText(int level);

} // namespace hcp::kiosk

// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>

#include <optional>

namespace hcp::kiosk {

// The 评价渠道 an evaluation came through: the national `pf` code (domain.md §b.1). The kiosk
// itself is one of two: a window rating pad (评价器, pf=4 政务大厅平板电脑) or a free-standing
// self-service terminal (pf=5 政务大厅其他终端). The other codes exist so that a config or a
// stored evaluation holding one still parses.
class Channel {
public:
    enum class Code : int {
        Pc = 1,           // PC端
        Mobile = 2,       // 移动端 / 移动服务端
        QrCode = 3,       // 二维码
        HallTablet = 4,   // 政务大厅平板电脑: the window pad
        HallTerminal = 5, // 政务大厅其他终端 (政务大厅自助终端): the self-service terminal
        Phone = 6,        // 电话
        Sms = 7,          // 短信
    };

    static constexpr Channel pad() { return Channel(Code::HallTablet); }
    static constexpr Channel terminal() { return Channel(Code::HallTerminal); }

    // The channel a `pf` number names (the config's int, an evaluation's field); none for a
    // number outside 1…7.
    static constexpr std::optional<Channel> fromPf(int pf)
    {
        if (pf < static_cast<int>(Code::Pc) || pf > static_cast<int>(Code::Sms))
            return std::nullopt;
        return Channel(static_cast<Code>(pf));
    }

    constexpr Code code() const { return m_code; }
    constexpr int pf() const { return static_cast<int>(m_code); }
    constexpr bool isPad() const { return m_code == Code::HallTablet; }

    // The enrollment's `deviceClass` (PROTOCOL §5a): "pad" for the window pad, "terminal" for
    // anything else.
    QString deviceClass() const { return isPad() ? QStringLiteral("pad") : QStringLiteral("terminal"); }

    friend constexpr bool operator==(Channel, Channel) = default;

private:
    constexpr explicit Channel(Code code) : m_code(code) {}
    Code m_code;
};

} // namespace hcp::kiosk

// SPDX-License-Identifier: Apache-2.0
#include "wedgedecoder.h"

#include <cstring>

namespace hcp::hardware {

namespace {
constexpr quint16 kEnter = 28, kKpEnter = 96, kLeftShift = 42, kRightShift = 54, kCapsLock = 58;
constexpr quint16 kEvKey = 1;

struct KeyChar {
    quint16 code;
    char plain;
    char shifted;
};
// Linux input-event-codes.h values for the US layout (§3.1).
constexpr KeyChar kKeys[] = {
    {2, '1', '!'}, {3, '2', '@'}, {4, '3', '#'}, {5, '4', '$'}, {6, '5', '%'}, {7, '6', '^'},
    {8, '7', '&'}, {9, '8', '*'}, {10, '9', '('}, {11, '0', ')'}, {12, '-', '_'}, {13, '=', '+'},
    {15, '\t', '\t'}, {16, 'q', 'Q'}, {17, 'w', 'W'}, {18, 'e', 'E'}, {19, 'r', 'R'}, {20, 't', 'T'},
    {21, 'y', 'Y'}, {22, 'u', 'U'}, {23, 'i', 'I'}, {24, 'o', 'O'}, {25, 'p', 'P'}, {26, '[', '{'},
    {27, ']', '}'}, {30, 'a', 'A'}, {31, 's', 'S'}, {32, 'd', 'D'}, {33, 'f', 'F'}, {34, 'g', 'G'},
    {35, 'h', 'H'}, {36, 'j', 'J'}, {37, 'k', 'K'}, {38, 'l', 'L'}, {39, ';', ':'}, {40, '\'', '"'},
    {41, '`', '~'}, {43, '\\', '|'}, {44, 'z', 'Z'}, {45, 'x', 'X'}, {46, 'c', 'C'}, {47, 'v', 'V'},
    {48, 'b', 'B'}, {49, 'n', 'N'}, {50, 'm', 'M'}, {51, ',', '<'}, {52, '.', '>'}, {53, '/', '?'},
    {57, ' ', ' '},
};
} // namespace

WedgeDecoder::WedgeDecoder(int terminatorTimeoutMs)
    : m_timeoutMs(terminatorTimeoutMs)
{
}

char WedgeDecoder::characterFor(quint16 code, bool shift)
{
    for (const KeyChar &k : kKeys) {
        if (k.code == code)
            return shift ? k.shifted : k.plain;
    }
    return 0;
}

std::optional<std::pair<quint16, bool>> WedgeDecoder::keyFor(char c)
{
    for (const KeyChar &k : kKeys) {
        if (k.plain == c)
            return std::pair<quint16, bool>{k.code, false};
        if (k.shifted == c)
            return std::pair<quint16, bool>{k.code, true};
    }
    if (c == '\n' || c == '\r')
        return std::pair<quint16, bool>{kEnter, false};
    return std::nullopt;
}

void WedgeDecoder::reset()
{
    m_buffer.clear();
    m_partialEvent.clear();
    m_leftShift = m_rightShift = m_capsLock = false;
}

std::optional<QByteArray> WedgeDecoder::finish()
{
    if (m_buffer.isEmpty())
        return std::nullopt;
    QByteArray out = m_buffer;
    m_buffer.clear();
    return out;
}

std::optional<QByteArray> WedgeDecoder::poll(qint64 nowMs)
{
    if (m_timeoutMs > 0 && !m_buffer.isEmpty() && nowMs - m_lastKeyMs >= m_timeoutMs)
        return finish();
    return std::nullopt;
}

std::optional<QByteArray> WedgeDecoder::keyEvent(quint16 code, int value, qint64 nowMs)
{
    if (code == kLeftShift) {
        m_leftShift = value != 0;
        return std::nullopt;
    }
    if (code == kRightShift) {
        m_rightShift = value != 0;
        return std::nullopt;
    }
    if (value != 1)
        return std::nullopt;    // releases and autorepeat carry no characters
    // A quiet gap before this key ended the previous (suffix-less) scan.
    std::optional<QByteArray> timedOut = poll(nowMs);
    m_lastKeyMs = nowMs;
    if (code == kCapsLock) {
        m_capsLock = !m_capsLock;
        return timedOut;
    }
    if (code == kEnter || code == kKpEnter) {
        if (timedOut)
            return timedOut;
        return finish();
    }
    const bool shift = m_leftShift || m_rightShift;
    char c = characterFor(code, shift);
    if (!c) {
        ++m_dropped;
        return timedOut;
    }
    if (m_capsLock && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
        c = char(c ^ 0x20);
    if (m_buffer.size() >= MaxPayload) {
        ++m_dropped;
        m_buffer.clear();
    }
    m_buffer.append(c);
    return timedOut;
}

QList<QByteArray> WedgeDecoder::feedEvents(const QByteArray &bytes, qint64 nowMs)
{
    QList<QByteArray> scans;
    m_partialEvent.append(bytes);
    qsizetype at = 0;
    for (; at + EventSize <= m_partialEvent.size(); at += EventSize) {
        const char *ev = m_partialEvent.constData() + at;
        quint16 type, code;
        qint32 value;
        std::memcpy(&type, ev + 16, 2);
        std::memcpy(&code, ev + 18, 2);
        std::memcpy(&value, ev + 20, 4);
        if (type != kEvKey)
            continue;
        if (auto scan = keyEvent(code, value, nowMs))
            scans.append(*scan);
    }
    m_partialEvent.remove(0, at);
    return scans;
}

} // namespace hcp::hardware

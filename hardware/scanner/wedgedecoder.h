// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QList>
#include <QtGlobal>

#include <optional>

namespace hcp::hardware {

// Turns the key events of a keyboard-wedge scanner (Linux evdev key codes, US layout, §3.1) into
// scanned payloads. A scan ends at the Enter suffix, or — for scanners configured without a
// suffix — when no key arrives for terminatorTimeoutMs. Pure and single-threaded; time is passed
// in by the caller (milliseconds on any monotonic clock).
class WedgeDecoder {
public:
    static constexpr int DefaultTerminatorTimeoutMs = 80;   // scanners type a key every 1–10 ms

    explicit WedgeDecoder(int terminatorTimeoutMs = DefaultTerminatorTimeoutMs);

    // One key event: value 1 = press, 0 = release, 2 = autorepeat (ignored). Returns a completed
    // payload when this key finishes a scan (Enter), or when a pending scan timed out before it.
    std::optional<QByteArray> keyEvent(quint16 code, int value, qint64 nowMs);
    // Completes a pending suffix-less scan once the line has been quiet long enough.
    std::optional<QByteArray> poll(qint64 nowMs);
    // Decodes a raw stream of `struct input_event` records (24 bytes each on 64-bit Linux);
    // incomplete trailing records are kept for the next call.
    QList<QByteArray> feedEvents(const QByteArray &bytes, qint64 nowMs);
    void reset();

    // The character a key produces, or 0 for keys that produce none.
    static char characterFor(quint16 code, bool shift);
    // The evdev key code and shift state that type `c` (for simulators); nullopt if untypable.
    static std::optional<std::pair<quint16, bool>> keyFor(char c);

    qsizetype pendingSize() const { return m_buffer.size(); }
    quint64 droppedKeys() const { return m_dropped; }

    static constexpr int EventSize = 24;
    static constexpr qsizetype MaxPayload = 4096;   // longer input is not a scan; it is dropped

private:
    std::optional<QByteArray> finish();

    int m_timeoutMs;
    QByteArray m_buffer;
    QByteArray m_partialEvent;
    bool m_leftShift = false;
    bool m_rightShift = false;
    bool m_capsLock = false;
    qint64 m_lastKeyMs = 0;
    quint64 m_dropped = 0;
};

} // namespace hcp::hardware

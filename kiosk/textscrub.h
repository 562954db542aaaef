// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>

namespace hcp::kiosk {

// Overwrites the characters of s with U+0000 in place, without detaching: every QString that
// shares this buffer (a QML property value, a list-model row, a copy held by a test) sees the
// zeros, so the citizen's text does not linger in memory after the idle wipe. Static data
// (string literals, fromRawData) is read-only and never holds citizen data: left alone.
// Threading: only for buffers that no other thread reads; the session deep-copies what it hands
// to other threads (see EvaluationSession::submit).
inline void overwriteText(const QString &s)
{
    auto &d = const_cast<QString &>(s).data_ptr();
    if (!d.isMutable() || d.size == 0)
        return;
    volatile char16_t *p = d.data();
    for (qsizetype i = 0; i < d.size; ++i)
        p[i] = u'\0';
}

// overwriteText, then drop this reference to the buffer.
inline void scrubText(QString &s)
{
    overwriteText(s);
    s = QString();
}

} // namespace hcp::kiosk

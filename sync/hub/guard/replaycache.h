// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QHash>
#include <QString>

namespace hcp::sync::hub::guard {

// A device's personal-data reads seen within the replay window, by a digest of the signed
// content: the same signed request is answered once (PROTOCOL §2). Only authenticated devices
// get an entry, and a request older than the window cannot pass the time check anyway, so it
// is forgotten.
class ReplayCache
{
public:
    explicit ReplayCache(qint64 windowMs, int maxPerDevice = 20000)
        : m_windowMs(windowMs)
        , m_maxPerDevice(maxPerDevice)
    {
    }

    // True, and remembered, when this device has not sent this request within the window.
    // Also false when the device made more than maxPerDevice reads within the window.
    bool accept(const QString &deviceId, const QByteArray &requestDigest, qint64 signedAtMs, qint64 nowMs);

private:
    qint64 m_windowMs;
    int m_maxPerDevice;
    QHash<QString, QHash<QByteArray, qint64>> m_seen; // device → request digest → signed at
};

} // namespace hcp::sync::hub::guard

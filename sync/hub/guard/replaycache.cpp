// SPDX-License-Identifier: Apache-2.0
#include "replaycache.h"

namespace hcp::sync::hub::guard {

bool ReplayCache::accept(const QString &deviceId, const QByteArray &requestDigest, qint64 signedAtMs, qint64 nowMs)
{
    QHash<QByteArray, qint64> &seen = m_seen[deviceId];
    if (seen.contains(requestDigest))
        return false;
    if (seen.size() >= m_maxPerDevice) {
        for (auto it = seen.begin(); it != seen.end();) {
            if (it.value() < nowMs - m_windowMs)
                it = seen.erase(it);
            else
                ++it;
        }
        if (seen.size() >= m_maxPerDevice)
            return false;
    }
    seen.insert(requestDigest, signedAtMs);
    return true;
}

} // namespace hcp::sync::hub::guard

// SPDX-License-Identifier: Apache-2.0
#include "transport.h"

namespace hcp::hardware {

QString transportStatusText(TransportStatus s)
{
    switch (s) {
    case TransportStatus::Ok: return QStringLiteral("ok");
    case TransportStatus::Timeout: return QStringLiteral("timeout");
    case TransportStatus::NoDevice: return QStringLiteral("no device");
    case TransportStatus::Access: return QStringLiteral("access denied");
    case TransportStatus::Busy: return QStringLiteral("busy");
    case TransportStatus::Pipe: return QStringLiteral("endpoint stalled");
    case TransportStatus::Io: return QStringLiteral("I/O error");
    case TransportStatus::NotOpen: return QStringLiteral("not open");
    case TransportStatus::InvalidArgument: return QStringLiteral("invalid argument");
    case TransportStatus::Other: return QStringLiteral("other error");
    }
    return QStringLiteral("unknown");
}

} // namespace hcp::hardware

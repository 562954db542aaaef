// SPDX-License-Identifier: Apache-2.0
#include "serviceavailability.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcAvailability, "hcp.kiosk.availability")

namespace hcp::kiosk {

void ServiceAvailability::setStorageAvailable(bool available)
{
    if (available == m_storageAvailable)
        return;
    m_storageAvailable = available;
    if (available)
        qCInfo(lcAvailability) << "storage available again: back in service";
    else
        qCWarning(lcAvailability) << "storage full: out of service";
    Q_EMIT storageAvailableChanged(available);
}

} // namespace hcp::kiosk

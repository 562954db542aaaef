// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QObject>

namespace hcp::kiosk {

// The kiosk's one out-of-service switch: storage too full to keep ratings (the free-space check,
// or a commit that hit a full disk in any of the sessions). The terminal session refuses new
// visits while it is off, and the heartbeat reports diskLow. One instance per kiosk, shared by
// the sessions (KioskServices); a session without one set uses its own.
// GUI thread only.
class ServiceAvailability : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;

    bool storageAvailable() const { return m_storageAvailable; }
    void setStorageAvailable(bool available);

Q_SIGNALS:
    void storageAvailableChanged(bool available);

private:
    bool m_storageAvailable = true;
};

} // namespace hcp::kiosk

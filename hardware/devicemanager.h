// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "devicestate.h"
#include "usbmonitor.h"

#include <QHash>
#include <QList>
#include <QObject>

#include <functional>

namespace hcp::hardware {

class IdCardService;
class ScannerService;

// The one place that knows the status of every peripheral (ID reader, printer, scanner,
// camera). Device services report into it with setStatus() (or are wired with track*()); USB
// hotplug from a UsbMonitor marks a class absent when its device leaves and asks the class's
// service to reconnect when it arrives. Lives in the GUI thread; all calls from that thread.
class DeviceManager : public QObject {
    Q_OBJECT
public:
    // Which USB devices belong to a device class (any field left at its default matches all).
    struct UsbMatch {
        quint16 vendorId = 0;
        quint16 productId = 0;
        int interfaceClass = -1;
        bool matches(const UsbDeviceInfo &info) const;
    };

    explicit DeviceManager(QObject *parent = nullptr);

    // The API printer/camera services use to report (reason: Chinese, shown on the status strip).
    void setStatus(DeviceClass device, DeviceState state, const QString &reason = {});
    DeviceState state(DeviceClass device) const;
    QString reason(DeviceClass device) const;

    // Which classes this kiosk is fitted with (all by default). A class not fitted is not shown
    // on the status strip (a kiosk without a camera does not show «✗ 摄像头», a pad shows none).
    void setFitted(const QList<DeviceClass> &classes);
    QList<DeviceClass> fitted() const { return m_fitted; }

    void addUsbMatch(DeviceClass device, const UsbMatch &match);
    // Called (in this thread) when a matching USB device arrives: the service should reopen.
    void setReconnectHandler(DeviceClass device, std::function<void()> handler);
    // Follows arrivals/removals of `monitor` (borrowed; must outlive this object or be detached).
    void attachMonitor(UsbMonitor *monitor);

    // Convenience wiring: status from the service, reconnect on arrival, default USB matches.
    void trackIdCard(IdCardService *service);
    void trackScanner(ScannerService *service);

signals:
    void statusChanged(hcp::hardware::DeviceClass device, hcp::hardware::DeviceState state, const QString &reason);
    void deviceArrived(hcp::hardware::DeviceClass device, const hcp::hardware::UsbDeviceInfo &info);
    void deviceLeft(hcp::hardware::DeviceClass device, const hcp::hardware::UsbDeviceInfo &info);
    void fittedChanged();

private:
    void onArrived(const UsbDeviceInfo &info);
    void onLeft(const UsbDeviceInfo &info);

    struct Entry {
        DeviceState state = DeviceState::Absent;
        QString reason;
        QList<UsbMatch> matches;
        std::function<void()> reconnect;
    };
    QHash<int, Entry> m_entries;
    QList<DeviceClass> m_fitted{std::begin(allDeviceClasses), std::end(allDeviceClasses)};
};

} // namespace hcp::hardware

// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QList>
#include <QMap>
#include <QMetaType>
#include <QObject>

#include <atomic>
#include <thread>

struct libusb_context;
struct libusb_device;
class QTimer;

namespace hcp::hardware {

struct UsbDeviceInfo {
    quint16 vendorId = 0;
    quint16 productId = 0;
    quint8 deviceClass = 0;
    QList<quint8> interfaceClasses;     // bInterfaceClass of each interface (altsetting 0)
    int busNumber = 0;
    int deviceAddress = 0;

    bool hasInterfaceClass(quint8 c) const { return deviceClass == c || interfaceClasses.contains(c); }
    bool operator==(const UsbDeviceInfo &) const = default;
};

// Watches USB arrivals and removals. With libusb hotplug support, a dedicated event thread runs
// libusb_handle_events_timeout_completed() and the callback only posts the event to the thread
// this object lives in; without it (or when forced), a timer in this object's thread diffs the
// device list every pollIntervalMs. deviceArrived/deviceLeft are always emitted in this object's
// thread. Devices present at start() are reported as arrivals. A leave is emitted only for a
// device previously reported as arrived (libusb may deliver duplicates or unmatched removals).
class UsbMonitor : public QObject {
    Q_OBJECT
public:
    enum class Mode { Auto, Hotplug, Polling };

    explicit UsbMonitor(QObject *parent = nullptr);
    ~UsbMonitor() override;

    // Returns false when libusb cannot be initialised (or Hotplug was forced but is unsupported).
    bool start(Mode mode = Mode::Auto, int pollIntervalMs = 1000);
    void stop();
    bool isRunning() const { return m_ctx != nullptr; }
    bool usingHotplug() const { return m_hotplugHandle != 0; }
    QList<UsbDeviceInfo> devices() const { return m_devices.values(); }

signals:
    void deviceArrived(const hcp::hardware::UsbDeviceInfo &info);
    void deviceLeft(const hcp::hardware::UsbDeviceInfo &info);

private:
    static int hotplugCallback(libusb_context *ctx, libusb_device *dev, int event, void *self);
    static UsbDeviceInfo describe(libusb_device *dev);
    void handleArrived(const UsbDeviceInfo &info);
    void handleLeft(const UsbDeviceInfo &info);
    void pollOnce();

    libusb_context *m_ctx = nullptr;
    int m_hotplugHandle = 0;
    std::thread m_eventThread;
    std::atomic_bool m_stopping{false};
    QTimer *m_pollTimer = nullptr;
    QMap<quint32, UsbDeviceInfo> m_devices;  // key: bus << 8 | address
};

} // namespace hcp::hardware

Q_DECLARE_METATYPE(hcp::hardware::UsbDeviceInfo)

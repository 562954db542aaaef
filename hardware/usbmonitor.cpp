// SPDX-License-Identifier: Apache-2.0
#include "usbmonitor.h"

#include "usbtransport.h"

#include <QLoggingCategory>
#include <QTimer>

#include <libusb.h>

Q_LOGGING_CATEGORY(lcUsbMon, "hcp.hardware.usbmonitor")

namespace hcp::hardware {

namespace {
quint32 keyOf(const UsbDeviceInfo &i)
{
    return quint32(i.busNumber) << 8 | quint32(i.deviceAddress);
}
} // namespace

UsbMonitor::UsbMonitor(QObject *parent)
    : QObject(parent)
{
}

UsbMonitor::~UsbMonitor()
{
    stop();
}

UsbDeviceInfo UsbMonitor::describe(libusb_device *dev)
{
    UsbDeviceInfo info;
    info.busNumber = libusb_get_bus_number(dev);
    info.deviceAddress = libusb_get_device_address(dev);
    libusb_device_descriptor dd{};
    if (libusb_get_device_descriptor(dev, &dd) == LIBUSB_SUCCESS) {
        info.vendorId = dd.idVendor;
        info.productId = dd.idProduct;
        info.deviceClass = dd.bDeviceClass;
    }
    libusb_config_descriptor *cfg = nullptr;
    if (libusb_get_active_config_descriptor(dev, &cfg) == LIBUSB_SUCCESS
        || libusb_get_config_descriptor(dev, 0, &cfg) == LIBUSB_SUCCESS) {
        for (int n = 0; n < cfg->bNumInterfaces; ++n) {
            if (cfg->interface[n].num_altsetting > 0)
                info.interfaceClasses.append(cfg->interface[n].altsetting[0].bInterfaceClass);
        }
        libusb_free_config_descriptor(cfg);
    }
    return info;
}

int UsbMonitor::hotplugCallback(libusb_context *, libusb_device *dev, int event, void *self)
{
    // Runs on the event thread (or inside libusb_hotplug_register_callback for ENUMERATE):
    // describe and post, nothing else.
    auto *monitor = static_cast<UsbMonitor *>(self);
    const UsbDeviceInfo info = describe(dev);
    if (event == LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED)
        QMetaObject::invokeMethod(monitor, [monitor, info] { monitor->handleArrived(info); }, Qt::QueuedConnection);
    else
        QMetaObject::invokeMethod(monitor, [monitor, info] { monitor->handleLeft(info); }, Qt::QueuedConnection);
    return 0;
}

bool UsbMonitor::start(Mode mode, int pollIntervalMs)
{
    stop();
    int rc = libusb_init(&m_ctx);
    if (rc != LIBUSB_SUCCESS) {
        qCWarning(lcUsbMon).noquote() << usbErrorDetail(rc, QStringLiteral("in libusb_init"));
        m_ctx = nullptr;
        return false;
    }
    const bool hotplug = libusb_has_capability(LIBUSB_CAP_HAS_HOTPLUG) != 0;
    if (mode == Mode::Hotplug && !hotplug) {
        qCWarning(lcUsbMon) << "hotplug requested but libusb reports no hotplug support";
        stop();
        return false;
    }
    if (hotplug && mode != Mode::Polling) {
        m_stopping = false;
        rc = libusb_hotplug_register_callback(
            m_ctx, LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED | LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT,
            LIBUSB_HOTPLUG_ENUMERATE, LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY,
            LIBUSB_HOTPLUG_MATCH_ANY,
            [](libusb_context *ctx, libusb_device *dev, libusb_hotplug_event event, void *self) {
                return UsbMonitor::hotplugCallback(ctx, dev, int(event), self);
            },
            this, &m_hotplugHandle);
        if (rc == LIBUSB_SUCCESS) {
            m_eventThread = std::thread([this] {
                // 200 ms bounds how long stop() waits for this thread.
                while (!m_stopping.load()) {
                    timeval tv{0, 200 * 1000};
                    libusb_handle_events_timeout_completed(m_ctx, &tv, nullptr);
                }
            });
            qCInfo(lcUsbMon) << "watching USB with libusb hotplug";
            return true;
        }
        m_hotplugHandle = 0;
        qCWarning(lcUsbMon).noquote() << usbErrorDetail(rc, QStringLiteral("registering hotplug callback"))
                                      << "- falling back to polling";
        if (mode == Mode::Hotplug) {
            stop();
            return false;
        }
    }
    m_pollTimer = new QTimer(this);
    connect(m_pollTimer, &QTimer::timeout, this, &UsbMonitor::pollOnce);
    m_pollTimer->start(pollIntervalMs);
    qCInfo(lcUsbMon) << "watching USB by polling every" << pollIntervalMs << "ms";
    pollOnce();
    return true;
}

void UsbMonitor::stop()
{
    if (m_hotplugHandle) {
        m_stopping = true;
        // Deregistering wakes the event handler; the loop then sees m_stopping.
        libusb_hotplug_deregister_callback(m_ctx, m_hotplugHandle);
        m_hotplugHandle = 0;
    }
    if (m_eventThread.joinable())
        m_eventThread.join();
    delete m_pollTimer;
    m_pollTimer = nullptr;
    if (m_ctx) {
        libusb_exit(m_ctx);
        m_ctx = nullptr;
    }
    m_devices.clear();
}

void UsbMonitor::handleArrived(const UsbDeviceInfo &info)
{
    if (!m_ctx)
        return;
    const quint32 key = keyOf(info);
    if (m_devices.contains(key) && m_devices.value(key) == info)
        return;     // ENUMERATE may report a device twice
    m_devices.insert(key, info);
    emit deviceArrived(info);
}

void UsbMonitor::handleLeft(const UsbDeviceInfo &info)
{
    if (!m_ctx)
        return;
    const auto it = m_devices.find(keyOf(info));
    if (it == m_devices.end())
        return;
    const UsbDeviceInfo known = it.value();
    m_devices.erase(it);
    emit deviceLeft(known);
}

void UsbMonitor::pollOnce()
{
    libusb_device **list = nullptr;
    const ssize_t count = libusb_get_device_list(m_ctx, &list);
    if (count < 0) {
        qCWarning(lcUsbMon).noquote() << usbErrorDetail(int(count), QStringLiteral("listing devices"));
        return;
    }
    QMap<quint32, UsbDeviceInfo> now;
    for (ssize_t i = 0; i < count; ++i) {
        const UsbDeviceInfo info = describe(list[i]);
        now.insert(keyOf(info), info);
    }
    libusb_free_device_list(list, 1);
    const auto before = m_devices;
    for (auto it = before.cbegin(); it != before.cend(); ++it) {
        if (!now.contains(it.key()) || !(now.value(it.key()) == it.value()))
            handleLeft(it.value());
    }
    for (const UsbDeviceInfo &info : std::as_const(now))
        handleArrived(info);
}

} // namespace hcp::hardware

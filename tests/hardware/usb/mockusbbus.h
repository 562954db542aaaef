// SPDX-License-Identifier: Apache-2.0
#pragma once

// Test helper: emulated USB devices for the real libusb code path, on umockdev (§5.2).
// The test binary must run under `umockdev-wrapper` (LD_PRELOAD). usbfs ioctls of each device
// are answered by a handler that umockdev calls on its own worker thread; device state is
// therefore guarded by a mutex.

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QString>

#include <functional>
#include <map>
#include <memory>
#include <mutex>

typedef struct _UMockdevTestbed UMockdevTestbed;
typedef struct _UMockdevIoctlBase UMockdevIoctlBase;
typedef struct _UMockdevIoctlClient UMockdevIoctlClient;
typedef struct _UMockdevIoctlData UMockdevIoctlData;

namespace hcp::test {

class MockUsbDevice {
public:
    // Receives each completed bulk OUT transfer (endpoint, bytes); may call queueIn().
    using OutHandler = std::function<void(quint8 endpoint, const QByteArray &bytes)>;

    void setOutHandler(OutHandler h);
    // Bytes the device will return on an IN endpoint (each call = one transfer's worth at most).
    void queueIn(quint8 endpoint, const QByteArray &bytes);
    // The next IN transfer on `endpoint` completes with a stall (LIBUSB_ERROR_PIPE).
    void stallNextIn(quint8 endpoint);
    // The next interface claim fails with this errno (EBUSY: another process holds it).
    void failNextClaim(int err);
    QByteArray outData(quint8 endpoint) const;
    int claimCount() const;
    int releaseCount() const;
    int clearHaltCount() const;
    bool unplugged() const;

    // Called by umockdev (its worker thread) for every ioctl on the device node.
    bool handleIoctl(UMockdevIoctlClient *client);

private:
    friend class MockUsbBus;
    struct Urb {
        UMockdevIoctlData *urb = nullptr;       // referenced
        UMockdevIoctlData *buffer = nullptr;    // referenced
        quint8 endpoint = 0;
        int length = 0;
        unsigned long clientAddr = 0;
    };
    void fulfilLocked();

    mutable std::mutex m_mutex;
    OutHandler m_outHandler;
    QMap<quint8, QList<QByteArray>> m_in;
    QMap<quint8, QByteArray> m_out;
    QMap<quint8, bool> m_stall;
    QList<Urb> m_pendingIn;
    QList<std::pair<Urb, int>> m_completed;     // urb, status (0, -EPIPE, -ENOENT)
    int m_claims = 0;
    int m_releases = 0;
    int m_clearHalts = 0;
    bool m_unplugged = false;
    int m_claimError = 0;
};

class MockUsbBus {
public:
    MockUsbBus();
    ~MockUsbBus();

    // Adds /dev/bus/usb/001/<address> with the given raw device + configuration descriptors.
    MockUsbDevice *addDevice(int address, const QByteArray &descriptors);
    // Sends a "remove" uevent for the device; its usbfs calls then fail with ENODEV.
    void unplug(int address);

    // SAM reader 0400:c35a: one vendor interface, bulk EPs 0x02/0x06 OUT, 0x81/0x85 IN (§1.1).
    static QByteArray samReaderDescriptors();
    // Receipt printer: interface class 7/1/2, bulk OUT 0x01, bulk IN 0x82 (§2.1).
    static QByteArray printerDescriptors(quint16 vid = 0x0fe6, quint16 pid = 0x811e);
    // HID-POS scanner: interface class 3, interrupt IN 0x81 (64-byte reports), interrupt OUT 0x02.
    static QByteArray hidScannerDescriptors(quint16 vid = 0x0c2e, quint16 pid = 0x0b61);

    static QString sysPath(int address);

private:
    UMockdevTestbed *m_testbed = nullptr;
    std::map<int, std::pair<UMockdevIoctlBase *, std::unique_ptr<MockUsbDevice>>> m_devices;
};

} // namespace hcp::test

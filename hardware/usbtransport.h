// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "transport.h"

#include <QList>
#include <QMap>

struct libusb_context;
struct libusb_device_handle;

namespace hcp::hardware {

// libusb error code → TransportStatus (every LIBUSB_ERROR_* has a mapping).
TransportStatus usbErrorToStatus(int libusbError);
// "LIBUSB_ERROR_TIMEOUT (Operation timed out) on EP 0x81" style detail for logs.
QString usbErrorDetail(int libusbError, const QString &where);

// Transport over libusb bulk (or interrupt) endpoints of one claimed interface. Owns a private
// libusb context, so instances are independent; all calls are blocking and must come from one
// thread at a time (the device service's worker thread). close() always releases the interface
// (the kernel driver is reattached by libusb's auto-detach) and closes the handle.
class UsbTransport : public Transport {
public:
    struct EndpointPair {
        quint8 out = 0;     // 0 = this channel has no OUT endpoint
        quint8 in = 0;      // 0 = this channel has no IN endpoint
    };
    struct Config {
        quint16 vendorId = 0;       // 0 = any (then interfaceClass must be set)
        quint16 productId = 0;      // 0 = any
        int interfaceClass = -1;    // e.g. 7 (printer): pick the first interface of this class
        int interfaceNumber = -1;   // explicit interface; -1 = first (matching) interface
        int busNumber = -1;         // optional: one specific device (e.g. from UsbMonitor)
        int deviceAddress = -1;
        // Endpoint pair per channel; empty = the interface's first OUT and first IN endpoint.
        QList<EndpointPair> channels;
    };

    explicit UsbTransport(Config config);
    ~UsbTransport() override;

    bool open() override;
    void close() override;
    bool isOpen() const override;
    TransferResult write(const QByteArray &bytes, int timeoutMs, int channel = 0) override;
    // One transfer; bytes beyond maxBytes (the buffer is rounded up to whole packets) are kept
    // for the next read on the same channel.
    TransferResult read(int maxBytes, int timeoutMs, int channel = 0) override;
    QString description() const override;

    // Why the last open() failed (status NoDevice when no device matched).
    TransferResult lastOpenResult() const { return m_openResult; }
    int claimedInterface() const { return m_interface; }
    QList<EndpointPair> channels() const { return m_channels; }

private:
    bool fail(TransportStatus status, const QString &detail);
    TransferResult transfer(quint8 endpoint, unsigned char *data, int length, int timeoutMs);

    Config m_config;
    libusb_context *m_ctx = nullptr;
    libusb_device_handle *m_handle = nullptr;
    int m_interface = -1;
    bool m_claimed = false;
    QList<EndpointPair> m_channels;
    QMap<quint8, bool> m_interruptEndpoint;
    QMap<quint8, int> m_packetSize;
    QMap<int, QByteArray> m_pending;
    TransferResult m_openResult;
    QString m_where;
};

} // namespace hcp::hardware

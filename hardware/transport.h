// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QObject>
#include <QString>

namespace hcp::hardware {

// Status of a transport operation. Every libusb / serial / evdev error maps to one of these
// with a human-readable detail (for logs and the diagnostics page; never shown to citizens raw).
enum class TransportStatus {
    Ok,
    Timeout,      // nothing (or not enough) arrived in time; partial data is still returned
    NoDevice,     // unplugged / never present
    Access,       // permission denied (udev rule missing)
    Busy,         // another process holds the interface
    Pipe,         // endpoint stalled (cleared where possible)
    Io,           // generic I/O failure
    NotOpen,
    InvalidArgument,
    Other,
};

QString transportStatusText(TransportStatus s);

struct TransferResult {
    TransportStatus status = TransportStatus::Ok;
    QByteArray data;       // bytes actually moved (a timed-out transfer may still have moved some)
    QString detail;        // e.g. "LIBUSB_ERROR_TIMEOUT on EP 0x81"
    bool ok() const { return status == TransportStatus::Ok; }
};

// A byte pipe to one device. Blocking calls, used from the device service's worker thread only.
// `channel` selects an endpoint pair where the device has several (USB two-pipe SAM readers use
// channel 0 for the 7-byte header pipes 0x02/0x81 and channel 1 for the body pipes 0x06/0x85);
// single-pipe transports ignore it.
class Transport {
public:
    virtual ~Transport() = default;
    virtual bool open() = 0;
    virtual void close() = 0;
    virtual bool isOpen() const = 0;
    virtual TransferResult write(const QByteArray &bytes, int timeoutMs, int channel = 0) = 0;
    // Reads up to maxBytes; returns what arrived before the timeout (status Timeout if none).
    virtual TransferResult read(int maxBytes, int timeoutMs, int channel = 0) = 0;
    virtual QString description() const = 0;
};

} // namespace hcp::hardware

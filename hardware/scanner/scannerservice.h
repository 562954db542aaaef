// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "hardware/devicestate.h"
#include "hardware/transport.h"
#include "hidposparser.h"

#include <QByteArray>
#include <QObject>
#include <QThread>

#include <functional>
#include <memory>

namespace hcp::hardware {

class ScannerWorker;

// Barcode/QR scanner. Reads a keyboard-wedge scanner (grabbed evdev node) or a HID-POS scanner
// (hidraw node or libusb interrupt endpoint) on a private worker thread and emits each decoded
// payload. Once started it keeps (re)opening the transport: an unplugged scanner is reported as
// Absent and picked up again when it returns. Signals arrive in this object's thread.
class ScannerService : public QObject {
    Q_OBJECT
public:
    enum class Mode { KeyboardWedge, HidPos };
    using TransportFactory = std::function<std::unique_ptr<Transport>()>;

    struct Options {
        int wedgeTimeoutMs = 80;        // ends a suffix-less wedge scan after this much silence
        int reopenIntervalMs = 1000;    // retry period while the scanner is absent
        HidPosParser::LengthMode hidLengthMode = HidPosParser::LengthMode::ExcludesAimId;
    };

    ScannerService(TransportFactory factory, Mode mode, QObject *parent = nullptr);
    ScannerService(TransportFactory factory, Mode mode, const Options &options, QObject *parent = nullptr);
    ~ScannerService() override;

    static TransportFactory evdevFactory(const QString &eventNode);
    static TransportFactory hidrawFactory(const QString &hidrawNode);
    // HID-POS over libusb: first interface of class 3 (HID) on vid:pid, interrupt IN endpoint.
    static TransportFactory usbHidPosFactory(quint16 vendorId, quint16 productId);

    Mode mode() const { return m_mode; }
    bool isRunning() const { return m_running; }
    DeviceState state() const { return m_state; }

public slots:
    void start();
    void stop();
    void reconnect();

signals:
    void scanned(const QByteArray &payload);
    void stateChanged(hcp::hardware::DeviceState state, const QString &reason);

private:
    QThread m_thread;
    ScannerWorker *m_worker = nullptr;
    Mode m_mode;
    bool m_running = false;
    DeviceState m_state = DeviceState::Absent;
};

} // namespace hcp::hardware

// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "hidposparser.h"
#include "scannerservice.h"

#include <QByteArray>
#include <QList>

#include <memory>

namespace hcp::hardware {

class FakeTransport;

// A behavioural barcode scanner on the far side of a FakeTransport: produces the exact bytes a
// keyboard-wedge scanner (evdev input_event records, US layout, shift, Enter suffix) or a
// HID-POS scanner (64-byte reports, split into continuation reports) delivers. Thread-safe as far
// as FakeTransport is; used by tests and by the demo.
class ScannerSimulator {
public:
    explicit ScannerSimulator(ScannerService::Mode mode);

    ScannerSimulator(const ScannerSimulator &) = delete;
    ScannerSimulator &operator=(const ScannerSimulator &) = delete;
    ~ScannerSimulator();

    void attach(FakeTransport *transport);      // borrowed
    // For the demo: a factory for ScannerService whose transports reach this simulator through
    // one internal FakeTransport. The simulator must outlive the service.
    ScannerService::TransportFactory transportFactory();
    void setEnterSuffix(bool on) { m_enterSuffix = on; }
    // Wedge streams are fed in pieces of this many bytes (events split across reads).
    void setChunkSize(int bytes) { m_chunk = bytes; }
    void setAimId(const QByteArray &aim) { m_aim = aim; }
    // Types / transmits one symbol; it becomes readable after delayMs.
    void scan(const QByteArray &payload, int delayMs = 0);
    void unplug();
    void replug();

    // input_event records for `text` (press/release, shift around shifted characters, EV_SYN
    // after each, and an Enter key when enterSuffix); characters a US keyboard cannot type are
    // skipped.
    static QByteArray wedgeEvents(const QByteArray &text, bool enterSuffix = true);
    static QByteArray inputEvent(quint16 type, quint16 code, qint32 value);

private:
    ScannerService::Mode m_mode;
    FakeTransport *m_transport = nullptr;
    std::unique_ptr<FakeTransport> m_owned;
    bool m_enterSuffix = true;
    int m_chunk = 0;
    QByteArray m_aim = "]Q1";
};

} // namespace hcp::hardware

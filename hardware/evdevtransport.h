// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "transport.h"

namespace hcp::hardware {

// Reads a Linux input device (/dev/input/eventN). With grab (the default) the device is taken
// with EVIOCGRAB so a keyboard-wedge scanner's keystrokes never reach the focused Qt window.
// read() returns whole `struct input_event` records (24 bytes each on 64-bit). Read-only.
// Blocking calls from one thread at a time; close() always releases the grab and the fd.
class EvdevTransport : public Transport {
public:
    explicit EvdevTransport(QString path, bool grab = true);
    ~EvdevTransport() override;

    bool open() override;
    void close() override;
    bool isOpen() const override { return m_fd >= 0; }
    TransferResult write(const QByteArray &bytes, int timeoutMs, int channel = 0) override;
    TransferResult read(int maxBytes, int timeoutMs, int channel = 0) override;
    QString description() const override;

    TransferResult lastOpenResult() const { return m_openResult; }

private:
    QString m_path;
    bool m_grab;
    int m_fd = -1;
    bool m_grabbed = false;
    QByteArray m_partial;   // bytes of an event split across read() calls (pipes in tests)
    TransferResult m_openResult;
};

// Reads and writes a Linux hidraw node (/dev/hidrawN): each read() returns one input report
// (with its report ID when the device numbers its reports), each write() sends one output report.
class HidrawTransport : public Transport {
public:
    explicit HidrawTransport(QString path);
    ~HidrawTransport() override;

    bool open() override;
    void close() override;
    bool isOpen() const override { return m_fd >= 0; }
    TransferResult write(const QByteArray &bytes, int timeoutMs, int channel = 0) override;
    TransferResult read(int maxBytes, int timeoutMs, int channel = 0) override;
    QString description() const override;

    TransferResult lastOpenResult() const { return m_openResult; }

private:
    QString m_path;
    int m_fd = -1;
    TransferResult m_openResult;
};

// errno → TransportStatus, shared by the fd-based transports.
TransportStatus errnoToStatus(int err);

} // namespace hcp::hardware

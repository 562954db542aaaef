// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "transport.h"

#include <QSerialPort>

#include <memory>

namespace hcp::hardware {

// Transport over a serial port (CDC-ACM, USB-serial bridges, or a pty in tests). Default line
// settings are the SAM reader's: 115200 baud, 8 data bits, no parity, 1 stop bit, no flow control.
// The QSerialPort is created in open() and used with its blocking waitFor* calls, so the object
// must be opened, used and closed on one thread (the device service's worker thread).
class SerialTransport : public Transport {
public:
    explicit SerialTransport(QString portName, qint32 baudRate = 115200);
    ~SerialTransport() override;

    bool open() override;
    void close() override;
    bool isOpen() const override;
    TransferResult write(const QByteArray &bytes, int timeoutMs, int channel = 0) override;
    // Returns as soon as at least one byte is available (up to maxBytes), or Timeout.
    TransferResult read(int maxBytes, int timeoutMs, int channel = 0) override;
    QString description() const override;

    QString lastError() const { return m_lastError; }

private:
    TransferResult failure(const QString &what);

    QString m_portName;
    qint32 m_baudRate;
    std::unique_ptr<QSerialPort> m_port;
    QString m_lastError;
};

TransportStatus serialErrorToStatus(QSerialPort::SerialPortError e);

} // namespace hcp::hardware

// SPDX-License-Identifier: Apache-2.0
#include "serialtransport.h"

#include <QDeadlineTimer>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcSerial, "hcp.hardware.serial")

namespace hcp::hardware {

TransportStatus serialErrorToStatus(QSerialPort::SerialPortError e)
{
    switch (e) {
    case QSerialPort::NoError: return TransportStatus::Ok;
    case QSerialPort::DeviceNotFoundError: return TransportStatus::NoDevice;
    case QSerialPort::PermissionError: return TransportStatus::Access;
    case QSerialPort::OpenError: return TransportStatus::Busy;
    case QSerialPort::NotOpenError: return TransportStatus::NotOpen;
    case QSerialPort::TimeoutError: return TransportStatus::Timeout;
    case QSerialPort::ResourceError: return TransportStatus::NoDevice;   // device vanished
    case QSerialPort::UnsupportedOperationError: return TransportStatus::InvalidArgument;
    case QSerialPort::WriteError:
    case QSerialPort::ReadError: return TransportStatus::Io;
    case QSerialPort::UnknownError: break;
    }
    return TransportStatus::Other;
}

SerialTransport::SerialTransport(QString portName, qint32 baudRate)
    : m_portName(std::move(portName))
    , m_baudRate(baudRate)
{
}

SerialTransport::~SerialTransport()
{
    close();
}

bool SerialTransport::open()
{
    close();
    m_port = std::make_unique<QSerialPort>();
    m_port->setPortName(m_portName);
    if (!m_port->open(QIODevice::ReadWrite)) {
        m_lastError = QStringLiteral("open %1: %2").arg(m_portName, m_port->errorString());
        qCWarning(lcSerial) << m_lastError;
        m_port.reset();
        return false;
    }
    const bool configured = m_port->setBaudRate(m_baudRate) && m_port->setDataBits(QSerialPort::Data8)
        && m_port->setParity(QSerialPort::NoParity) && m_port->setStopBits(QSerialPort::OneStop)
        && m_port->setFlowControl(QSerialPort::NoFlowControl);
    if (!configured) {
        m_lastError = QStringLiteral("configure %1: %2").arg(m_portName, m_port->errorString());
        qCWarning(lcSerial) << m_lastError;
        close();
        return false;
    }
    m_port->clear();
    m_lastError.clear();
    return true;
}

void SerialTransport::close()
{
    if (m_port) {
        m_port->close();
        m_port.reset();
    }
}

bool SerialTransport::isOpen() const
{
    return m_port && m_port->isOpen();
}

QString SerialTransport::description() const
{
    return QStringLiteral("serial %1 @%2").arg(m_portName).arg(m_baudRate);
}

TransferResult SerialTransport::failure(const QString &what)
{
    TransferResult r;
    if (!m_port) {
        r.status = TransportStatus::NotOpen;
        r.detail = QStringLiteral("%1: %2 not open").arg(what, m_portName);
        return r;
    }
    r.status = serialErrorToStatus(m_port->error());
    if (r.status == TransportStatus::Ok)
        r.status = TransportStatus::Io;
    r.detail = QStringLiteral("%1 on %2: %3").arg(what, m_portName, m_port->errorString());
    m_lastError = r.detail;
    m_port->clearError();
    return r;
}

TransferResult SerialTransport::write(const QByteArray &bytes, int timeoutMs, int channel)
{
    Q_UNUSED(channel);
    if (!isOpen())
        return failure(QStringLiteral("write"));
    QDeadlineTimer deadline(timeoutMs);
    if (m_port->write(bytes) != bytes.size())
        return failure(QStringLiteral("write"));
    while (m_port->bytesToWrite() > 0) {
        if (!m_port->waitForBytesWritten(int(deadline.remainingTime()))) {
            if (m_port->error() == QSerialPort::TimeoutError || deadline.hasExpired()) {
                TransferResult r;
                r.status = TransportStatus::Timeout;
                r.data = bytes.left(bytes.size() - m_port->bytesToWrite());
                r.detail = QStringLiteral("write on %1 timed out after %2 ms").arg(m_portName).arg(timeoutMs);
                m_port->clearError();
                return r;
            }
            return failure(QStringLiteral("write"));
        }
    }
    TransferResult r;
    r.data = bytes;
    return r;
}

TransferResult SerialTransport::read(int maxBytes, int timeoutMs, int channel)
{
    Q_UNUSED(channel);
    if (!isOpen())
        return failure(QStringLiteral("read"));
    QDeadlineTimer deadline(timeoutMs);
    while (m_port->bytesAvailable() == 0) {
        if (deadline.hasExpired() || !m_port->waitForReadyRead(int(qMax<qint64>(0, deadline.remainingTime())))) {
            if (m_port->error() == QSerialPort::TimeoutError || m_port->error() == QSerialPort::NoError) {
                if (!deadline.hasExpired())
                    continue;
                m_port->clearError();
                TransferResult r;
                r.status = TransportStatus::Timeout;
                r.detail = QStringLiteral("no data on %1 within %2 ms").arg(m_portName).arg(timeoutMs);
                return r;
            }
            return failure(QStringLiteral("read"));
        }
    }
    TransferResult r;
    r.data = m_port->read(maxBytes);
    return r;
}

} // namespace hcp::hardware

// SPDX-License-Identifier: Apache-2.0
// FakeTransport semantics and SerialTransport over a pseudo-terminal.
#include "hardware/faketransport.h"
#include "hardware/serialtransport.h"

#include <QElapsedTimer>
#include <QTest>

#include <fcntl.h>
#include <pty.h>
#include <termios.h>
#include <unistd.h>

using namespace hcp::hardware;

class TestTransports : public QObject {
    Q_OBJECT
private slots:
    void fake_perChannelQueues_keepBytesApart();
    void fake_delayedFeed_arrivesAfterDelayOnly();
    void fake_injectedErrors_countDownThenClear();
    void fake_unplugged_failsOpenAndTransfers();
    void serial_ptyRoundTrip_bytesArriveBothWays();
    void serial_nothingToRead_timesOut();
    void serial_missingPort_failsWithClearError();
    void serial_errorMapping_everyQSerialPortError();
};

void TestTransports::fake_perChannelQueues_keepBytesApart()
{
    FakeTransport t;
    QVERIFY(t.open());
    t.feedReceived("head", 0);
    t.feedReceived("body", 1);
    QCOMPARE(t.read(100, 10, 1).data, QByteArray("body"));
    QCOMPARE(t.read(2, 10, 0).data, QByteArray("he"));
    QCOMPARE(t.read(100, 10, 0).data, QByteArray("ad"));
    QVERIFY(t.write("x", 10, 1).ok());
    QCOMPARE(t.writtenData(1), QByteArray("x"));
    QVERIFY(t.writtenData(0).isEmpty());
}

void TestTransports::fake_delayedFeed_arrivesAfterDelayOnly()
{
    FakeTransport t;
    QVERIFY(t.open());
    t.feedReceived("late", 0, 150);
    QElapsedTimer clock;
    clock.start();
    TransferResult r = t.read(10, 50);
    QCOMPARE(r.status, TransportStatus::Timeout);
    r = t.read(10, 1000);
    QVERIFY(r.ok());
    QCOMPARE(r.data, QByteArray("late"));
    QVERIFY(clock.elapsed() >= 140);
}

void TestTransports::fake_injectedErrors_countDownThenClear()
{
    FakeTransport t;
    QVERIFY(t.open());
    t.injectError(TransportStatus::Pipe, 2, QStringLiteral("stall on EP 0x81"));
    QCOMPARE(t.write("a", 10).status, TransportStatus::Pipe);
    QCOMPARE(t.read(1, 10).detail, QStringLiteral("stall on EP 0x81"));
    QVERIFY(t.write("b", 10).ok());
    t.injectError(TransportStatus::Io, -1);
    for (int i = 0; i < 3; ++i)
        QCOMPARE(t.write("c", 10).status, TransportStatus::Io);
    t.clearError();
    QVERIFY(t.write("d", 10).ok());
    QCOMPARE(t.writtenData(), QByteArray("bd"));
}

void TestTransports::fake_unplugged_failsOpenAndTransfers()
{
    FakeTransport t;
    QVERIFY(t.open());
    t.setPresent(false);
    QCOMPARE(t.write("a", 10).status, TransportStatus::NoDevice);
    t.close();
    QVERIFY(!t.open());
    t.setPresent(true);
    QVERIFY(t.open());
    QCOMPARE(t.openCount(), 2);
    QCOMPARE(t.closeCount(), 1);
}

void TestTransports::serial_ptyRoundTrip_bytesArriveBothWays()
{
    int master = -1, slave = -1;
    char name[256] = {};
    QCOMPARE(::openpty(&master, &slave, name, nullptr, nullptr), 0);
    termios tio{};
    ::tcgetattr(slave, &tio);
    ::cfmakeraw(&tio);
    ::tcsetattr(slave, TCSANOW, &tio);
    SerialTransport t(QString::fromLocal8Bit(name));
    QVERIFY2(t.open(), qPrintable(t.lastError()));
    QVERIFY(t.description().contains(QStringLiteral("115200")));
    const QByteArray find = QByteArray::fromHex("AAAAAA96690003200122");
    QVERIFY(t.write(find, 1000).ok());
    QByteArray got(find.size(), '\0');
    qsizetype n = 0;
    while (n < find.size()) {
        const ssize_t k = ::read(master, got.data() + n, size_t(find.size() - n));
        QVERIFY(k > 0);
        n += k;
    }
    QCOMPARE(got, find);
    const QByteArray reply = QByteArray::fromHex("AAAAAA966900080000 9F0000000097");
    QCOMPARE(::write(master, reply.constData(), size_t(reply.size())), ssize_t(reply.size()));
    QByteArray all;
    while (all.size() < reply.size()) {
        const TransferResult r = t.read(4096, 1000);
        QVERIFY2(r.ok(), qPrintable(r.detail));
        all += r.data;
    }
    QCOMPARE(all, reply);
    t.close();
    QVERIFY(!t.isOpen());
    ::close(master);
    ::close(slave);
}

void TestTransports::serial_nothingToRead_timesOut()
{
    int master = -1, slave = -1;
    char name[256] = {};
    QCOMPARE(::openpty(&master, &slave, name, nullptr, nullptr), 0);
    SerialTransport t(QString::fromLocal8Bit(name));
    QVERIFY(t.open());
    QElapsedTimer clock;
    clock.start();
    const TransferResult r = t.read(10, 120);
    QCOMPARE(r.status, TransportStatus::Timeout);
    QVERIFY(r.data.isEmpty());
    QVERIFY(clock.elapsed() >= 100);
    t.close();
    ::close(master);
    ::close(slave);
}

void TestTransports::serial_missingPort_failsWithClearError()
{
    SerialTransport t(QStringLiteral("/dev/ttyHCPNONE9"));
    QVERIFY(!t.open());
    QVERIFY(t.lastError().contains(QStringLiteral("/dev/ttyHCPNONE9")));
    QCOMPARE(t.read(1, 10).status, TransportStatus::NotOpen);
}

void TestTransports::serial_errorMapping_everyQSerialPortError()
{
    QCOMPARE(serialErrorToStatus(QSerialPort::NoError), TransportStatus::Ok);
    QCOMPARE(serialErrorToStatus(QSerialPort::DeviceNotFoundError), TransportStatus::NoDevice);
    QCOMPARE(serialErrorToStatus(QSerialPort::PermissionError), TransportStatus::Access);
    QCOMPARE(serialErrorToStatus(QSerialPort::OpenError), TransportStatus::Busy);
    QCOMPARE(serialErrorToStatus(QSerialPort::NotOpenError), TransportStatus::NotOpen);
    QCOMPARE(serialErrorToStatus(QSerialPort::TimeoutError), TransportStatus::Timeout);
    QCOMPARE(serialErrorToStatus(QSerialPort::ResourceError), TransportStatus::NoDevice);
    QCOMPARE(serialErrorToStatus(QSerialPort::WriteError), TransportStatus::Io);
    QCOMPARE(serialErrorToStatus(QSerialPort::ReadError), TransportStatus::Io);
    QCOMPARE(serialErrorToStatus(QSerialPort::UnsupportedOperationError), TransportStatus::InvalidArgument);
    QCOMPARE(serialErrorToStatus(QSerialPort::UnknownError), TransportStatus::Other);
    for (auto s : {TransportStatus::Ok, TransportStatus::Timeout, TransportStatus::NoDevice, TransportStatus::Access,
                   TransportStatus::Busy, TransportStatus::Pipe, TransportStatus::Io, TransportStatus::NotOpen,
                   TransportStatus::InvalidArgument, TransportStatus::Other})
        QVERIFY(!transportStatusText(s).isEmpty() && transportStatusText(s) != QStringLiteral("unknown"));
}

QTEST_GUILESS_MAIN(TestTransports)
#include "tst_transports.moc"

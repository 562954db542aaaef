// SPDX-License-Identifier: Apache-2.0
// The real libusb path against devices emulated by umockdev. Run under `umockdev-wrapper`.
#include "hardware/idcard/idcardservice.h"
#include "hardware/idcard/idcardsimulator.h"
#include "hardware/scanner/hidposparser.h"
#include "hardware/scanner/scannerservice.h"
#include "hardware/usbmonitor.h"
#include "hardware/usbtransport.h"
#include "mockusbbus.h"

#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

#include <libusb.h>

using namespace hcp::hardware;
using hcp::test::MockUsbBus;
using hcp::test::MockUsbDevice;

namespace {
constexpr int kReaderAddress = 2;
constexpr int kPrinterAddress = 3;

UsbTransport::Config samConfig()
{
    UsbTransport::Config c;
    c.vendorId = 0x0400;
    c.productId = 0xc35a;
    c.channels = {{0x02, 0x81}, {0x06, 0x85}};
    return c;
}

// Makes a mock device answer like a USB SAM reader: header on EP 0x02 + body on EP 0x06 in,
// reply header on EP 0x81 and the rest on EP 0x85 out.
void speakSam(MockUsbDevice *dev, IdCardSimulator *sim)
{
    auto header = std::make_shared<QByteArray>();
    dev->setOutHandler([dev, sim, header](quint8 ep, const QByteArray &bytes) {
        if (ep == 0x02) {
            *header = bytes;
            return;
        }
        if (ep != 0x06)
            return;
        const QByteArray reply = sim->reply(*header + bytes);
        header->clear();
        dev->queueIn(0x81, reply.left(7));
        dev->queueIn(0x85, reply.mid(7));
    });
}
} // namespace

class TestUsbTransport : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void usbErrorToStatus_everyLibusbError_hasStatusAndDetail_data();
    void usbErrorToStatus_everyLibusbError_hasStatusAndDetail();
    void open_samReaderByVidPid_findCardExchangeMatchesReference();
    void idCardService_usbReader_readsCardThroughLibusb();
    void open_printerByInterfaceClass_bulkOutReceivesBytes();
    void read_deviceSendsNothing_timesOut();
    void read_stalledEndpoint_reportsPipeAndClearsHalt();
    void open_absentDevice_reportsNoDevice();
    void close_always_releasesInterface();
    void open_interfaceHeldElsewhere_reportsBusyAndClosesHandle();
    void usbMonitor_hotplug_reportsArrivalAndRemoval();
    void transfer_afterUnplug_reportsNoDevice();
    void usbMonitor_pollingFallback_reportsArrivalAndRemoval();
    void scannerService_hidPosOverLibusbInterrupt_emitsPayload();

private:
    std::unique_ptr<MockUsbBus> m_bus;
    MockUsbDevice *m_reader = nullptr;
    MockUsbDevice *m_printer = nullptr;
    IdCardSimulator m_sim;
};

void TestUsbTransport::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY2(qEnvironmentVariableIsSet("UMOCKDEV_DIR") || qgetenv("LD_PRELOAD").contains("umockdev"),
             "run this test under umockdev-wrapper");
    m_bus = std::make_unique<MockUsbBus>();
    m_reader = m_bus->addDevice(kReaderAddress, MockUsbBus::samReaderDescriptors());
    m_printer = m_bus->addDevice(kPrinterAddress, MockUsbBus::printerDescriptors());
    speakSam(m_reader, &m_sim);
}

void TestUsbTransport::usbErrorToStatus_everyLibusbError_hasStatusAndDetail_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<TransportStatus>("status");
    QTest::newRow("IO") << int(LIBUSB_ERROR_IO) << TransportStatus::Io;
    QTest::newRow("INVALID_PARAM") << int(LIBUSB_ERROR_INVALID_PARAM) << TransportStatus::InvalidArgument;
    QTest::newRow("ACCESS") << int(LIBUSB_ERROR_ACCESS) << TransportStatus::Access;
    QTest::newRow("NO_DEVICE") << int(LIBUSB_ERROR_NO_DEVICE) << TransportStatus::NoDevice;
    QTest::newRow("NOT_FOUND") << int(LIBUSB_ERROR_NOT_FOUND) << TransportStatus::NoDevice;
    QTest::newRow("BUSY") << int(LIBUSB_ERROR_BUSY) << TransportStatus::Busy;
    QTest::newRow("TIMEOUT") << int(LIBUSB_ERROR_TIMEOUT) << TransportStatus::Timeout;
    QTest::newRow("OVERFLOW") << int(LIBUSB_ERROR_OVERFLOW) << TransportStatus::Io;
    QTest::newRow("PIPE") << int(LIBUSB_ERROR_PIPE) << TransportStatus::Pipe;
    QTest::newRow("INTERRUPTED") << int(LIBUSB_ERROR_INTERRUPTED) << TransportStatus::Io;
    QTest::newRow("NO_MEM") << int(LIBUSB_ERROR_NO_MEM) << TransportStatus::Other;
    QTest::newRow("NOT_SUPPORTED") << int(LIBUSB_ERROR_NOT_SUPPORTED) << TransportStatus::InvalidArgument;
    QTest::newRow("OTHER") << int(LIBUSB_ERROR_OTHER) << TransportStatus::Other;
    QTest::newRow("SUCCESS") << int(LIBUSB_SUCCESS) << TransportStatus::Ok;
}

void TestUsbTransport::usbErrorToStatus_everyLibusbError_hasStatusAndDetail()
{
    QFETCH(int, code);
    QFETCH(TransportStatus, status);
    QCOMPARE(usbErrorToStatus(code), status);
    const QString detail = usbErrorDetail(code, QStringLiteral("on EP 0x81"));
    QVERIFY2(detail.contains(QLatin1String(libusb_error_name(code))) && detail.contains(QStringLiteral("EP 0x81")),
             qPrintable(detail));
}

void TestUsbTransport::open_samReaderByVidPid_findCardExchangeMatchesReference()
{
    m_sim.removeCard();
    m_sim.insertCard(IdCardSimulator::sampleResident());
    UsbTransport t(samConfig());
    QVERIFY2(t.open(), qPrintable(t.lastOpenResult().detail));
    QCOMPARE(t.claimedInterface(), 0);
    const QByteArray find = QByteArray::fromHex("AAAAAA9669000320 0122");
    TransferResult r = t.write(find.left(7), 500, 0);
    QVERIFY2(r.ok(), qPrintable(r.detail));
    r = t.write(find.mid(7), 500, 1);
    QVERIFY2(r.ok(), qPrintable(r.detail));
    r = t.read(7, 500, 0);
    QVERIFY2(r.ok(), qPrintable(r.detail));
    QCOMPARE(r.data.toHex(' '), QByteArray("aa aa aa 96 69 00 08"));
    r = t.read(8, 500, 1);
    QVERIFY2(r.ok(), qPrintable(r.detail));
    QCOMPARE(r.data.toHex(' '), QByteArray("00 00 9f 00 00 00 00 97"));
    QCOMPARE(m_reader->outData(0x02).right(7), QByteArray::fromHex("AAAAAA96690003"));
    QCOMPARE(m_reader->outData(0x06).right(3), QByteArray::fromHex("200122"));
    t.close();
}

void TestUsbTransport::idCardService_usbReader_readsCardThroughLibusb()
{
    m_sim.removeCard();
    m_sim.insertCard(IdCardSimulator::sampleResident());
    m_sim.clearCommandLog();
    IdCardService svc(IdCardService::usbFactory(), SamLink::Framing::UsbTwoPipe);
    IdCardService::Timing timing;
    timing.pollIntervalMs = 50;
    timing.absentPollIntervalMs = 50;
    svc.setTiming(timing);
    QSignalSpy read(&svc, &IdCardService::cardRead);
    svc.setPolling(true);
    QTRY_COMPARE_WITH_TIMEOUT(read.count(), 1, 15000);
    const auto card = read.at(0).at(0).value<IdCardData>();
    QCOMPARE(card, IdCardSimulator::sampleResident());
    const QList<quint16> log = m_sim.commandLog();
    QVERIFY(log.size() >= 3);
    QCOMPARE(log.mid(0, 3), (QList<quint16>{0x2001, 0x2002, 0x3001}));
    svc.setPolling(false);
    QTRY_COMPARE_WITH_TIMEOUT(m_reader->releaseCount(), m_reader->claimCount(), 5000);
}

void TestUsbTransport::open_printerByInterfaceClass_bulkOutReceivesBytes()
{
    UsbTransport::Config c;
    c.interfaceClass = LIBUSB_CLASS_PRINTER;
    UsbTransport t(c);
    QVERIFY2(t.open(), qPrintable(t.lastOpenResult().detail));
    QCOMPARE(t.channels().size(), 1);
    QCOMPARE(t.channels().at(0).out, quint8(0x01));
    QCOMPARE(t.channels().at(0).in, quint8(0x82));
    const QByteArray receipt = QByteArray::fromHex("1B40 1B6101 1C26 D5FECEF1B7FECEF1 1C2E 0A 1D564200");
    const TransferResult r = t.write(receipt, 5000);
    QVERIFY2(r.ok(), qPrintable(r.detail));
    QCOMPARE(r.data.size(), receipt.size());
    QCOMPARE(m_printer->outData(0x01), receipt);
    // DLE EOT 4 reply on the bulk IN endpoint: paper OK.
    m_printer->queueIn(0x82, QByteArray::fromHex("12"));
    const TransferResult status = t.read(1, 1000);
    QVERIFY2(status.ok(), qPrintable(status.detail));
    QCOMPARE(status.data, QByteArray::fromHex("12"));
}

void TestUsbTransport::read_deviceSendsNothing_timesOut()
{
    UsbTransport::Config c;
    c.interfaceClass = LIBUSB_CLASS_PRINTER;
    UsbTransport t(c);
    QVERIFY(t.open());
    QElapsedTimer clock;
    clock.start();
    const TransferResult r = t.read(1, 150);
    QCOMPARE(r.status, TransportStatus::Timeout);
    QVERIFY(r.data.isEmpty());
    QVERIFY2(r.detail.contains(QStringLiteral("LIBUSB_ERROR_TIMEOUT")), qPrintable(r.detail));
    QVERIFY(clock.elapsed() >= 100);
    // The transport is still usable after a timeout.
    m_printer->queueIn(0x82, QByteArray::fromHex("1E"));
    QCOMPARE(t.read(1, 1000).data, QByteArray::fromHex("1E"));
}

void TestUsbTransport::read_stalledEndpoint_reportsPipeAndClearsHalt()
{
    UsbTransport::Config c;
    c.interfaceClass = LIBUSB_CLASS_PRINTER;
    UsbTransport t(c);
    QVERIFY(t.open());
    const int halts = m_printer->clearHaltCount();
    m_printer->stallNextIn(0x82);
    const TransferResult r = t.read(1, 1000);
    QCOMPARE(r.status, TransportStatus::Pipe);
    QVERIFY2(r.detail.contains(QStringLiteral("LIBUSB_ERROR_PIPE")), qPrintable(r.detail));
    QCOMPARE(m_printer->clearHaltCount(), halts + 1);
}

void TestUsbTransport::open_absentDevice_reportsNoDevice()
{
    UsbTransport::Config c;
    c.vendorId = 0x1234;
    c.productId = 0x5678;
    UsbTransport t(c);
    QVERIFY(!t.open());
    QCOMPARE(t.lastOpenResult().status, TransportStatus::NoDevice);
    QVERIFY(!t.isOpen());
    const TransferResult r = t.write("x", 100);
    QCOMPARE(r.status, TransportStatus::NotOpen);
}

void TestUsbTransport::close_always_releasesInterface()
{
    const int claims = m_printer->claimCount();
    const int releases = m_printer->releaseCount();
    {
        UsbTransport::Config c;
        c.interfaceClass = LIBUSB_CLASS_PRINTER;
        UsbTransport t(c);
        QVERIFY(t.open());
        QCOMPARE(m_printer->claimCount(), claims + 1);
        // Destroyed without an explicit close().
    }
    QCOMPARE(m_printer->releaseCount(), releases + 1);
}

void TestUsbTransport::open_interfaceHeldElsewhere_reportsBusyAndClosesHandle()
{
    UsbTransport::Config c;
    c.interfaceClass = LIBUSB_CLASS_PRINTER;
    UsbTransport t(c);
    m_printer->failNextClaim(EBUSY);
    QVERIFY(!t.open());
    QCOMPARE(t.lastOpenResult().status, TransportStatus::Busy);
    QVERIFY2(t.lastOpenResult().detail.contains(QStringLiteral("LIBUSB_ERROR_BUSY"))
                 && t.lastOpenResult().detail.contains(QStringLiteral("another process")),
             qPrintable(t.lastOpenResult().detail));
    QVERIFY(!t.isOpen());
    // The next attempt (the claimant went away) succeeds.
    QVERIFY2(t.open(), qPrintable(t.lastOpenResult().detail));
    t.close();
}

void TestUsbTransport::usbMonitor_hotplug_reportsArrivalAndRemoval()
{
    UsbMonitor monitor;
    QSignalSpy arrived(&monitor, &UsbMonitor::deviceArrived);
    QSignalSpy left(&monitor, &UsbMonitor::deviceLeft);
    QVERIFY(monitor.start(UsbMonitor::Mode::Hotplug));
    QVERIFY(monitor.usingHotplug());
    // ENUMERATE: the devices already present arrive first.
    QTRY_VERIFY_WITH_TIMEOUT(arrived.count() >= 2, 5000);
    bool sawReader = false;
    for (const auto &a : arrived)
        sawReader |= a.at(0).value<UsbDeviceInfo>().vendorId == 0x0400;
    QVERIFY(sawReader);

    const int before = int(arrived.count());
    m_bus->addDevice(5, MockUsbBus::printerDescriptors(0x1fc9, 0x2016));
    QTRY_COMPARE_WITH_TIMEOUT(arrived.count(), before + 1, 5000);
    const auto info = arrived.last().at(0).value<UsbDeviceInfo>();
    QCOMPARE(info.vendorId, quint16(0x1fc9));
    QCOMPARE(info.productId, quint16(0x2016));
    QVERIFY(info.hasInterfaceClass(7));
    QCOMPARE(info.deviceAddress, 5);

    m_bus->unplug(5);
    QTRY_COMPARE_WITH_TIMEOUT(left.count(), 1, 5000);
    QCOMPARE(left.at(0).at(0).value<UsbDeviceInfo>().productId, quint16(0x2016));
    monitor.stop();
    QVERIFY(!monitor.isRunning());
}

void TestUsbTransport::transfer_afterUnplug_reportsNoDevice()
{
    MockUsbDevice *dev = m_bus->addDevice(6, MockUsbBus::printerDescriptors(0x0519, 0x0001));
    UsbTransport::Config c;
    c.vendorId = 0x0519;
    c.productId = 0x0001;
    UsbTransport t(c);
    QVERIFY2(t.open(), qPrintable(t.lastOpenResult().detail));
    QVERIFY(t.write("\x1b\x40", 1000).ok());
    m_bus->unplug(6);
    QVERIFY(dev->unplugged());
    const TransferResult r = t.write("\x1b\x40", 1000);
    QCOMPARE(r.status, TransportStatus::NoDevice);
    QVERIFY2(r.detail.contains(QStringLiteral("LIBUSB_ERROR_NO_DEVICE")), qPrintable(r.detail));
    t.close();
    QVERIFY(!t.isOpen());
}

void TestUsbTransport::usbMonitor_pollingFallback_reportsArrivalAndRemoval()
{
    UsbMonitor monitor;
    QSignalSpy arrived(&monitor, &UsbMonitor::deviceArrived);
    QSignalSpy left(&monitor, &UsbMonitor::deviceLeft);
    QVERIFY(monitor.start(UsbMonitor::Mode::Polling, 50));
    QVERIFY(!monitor.usingHotplug());
    QTRY_VERIFY_WITH_TIMEOUT(arrived.count() >= 2, 5000);
    const int before = int(arrived.count());
    m_bus->addDevice(7, MockUsbBus::printerDescriptors(0x28e9, 0x0289));
    QTRY_COMPARE_WITH_TIMEOUT(arrived.count(), before + 1, 5000);
    QCOMPARE(arrived.last().at(0).value<UsbDeviceInfo>().vendorId, quint16(0x28e9));
    m_bus->unplug(7);
    QTRY_COMPARE_WITH_TIMEOUT(left.count(), 1, 5000);
    QCOMPARE(left.at(0).at(0).value<UsbDeviceInfo>().deviceAddress, 7);
}

void TestUsbTransport::scannerService_hidPosOverLibusbInterrupt_emitsPayload()
{
    MockUsbDevice *scanner = m_bus->addDevice(8, MockUsbBus::hidScannerDescriptors());
    ScannerService::Options options;
    options.reopenIntervalMs = 50;
    ScannerService svc(ScannerService::usbHidPosFactory(0x0c2e, 0x0b61), ScannerService::Mode::HidPos, options);
    QSignalSpy scanned(&svc, &ScannerService::scanned);
    svc.start();
    QTRY_COMPARE_WITH_TIMEOUT(svc.state(), DeviceState::Ready, 5000);
    QByteArray payload = "https://example.gov.cn/pj?c=A123&receipt=";
    payload += QByteArray(60, '9');
    for (const QByteArray &report : HidPosParser::buildReports(payload))
        scanner->queueIn(0x81, report);
    QTRY_COMPARE_WITH_TIMEOUT(scanned.count(), 1, 5000);
    QCOMPARE(scanned.at(0).at(0).toByteArray(), payload);
    svc.stop();
    QTRY_COMPARE_WITH_TIMEOUT(scanner->releaseCount(), scanner->claimCount(), 5000);
}

QTEST_GUILESS_MAIN(TestUsbTransport)
#include "tst_usbtransport.moc"

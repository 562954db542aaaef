// SPDX-License-Identifier: Apache-2.0
// DeviceManager + DeviceStatusModel, with hotplug from umockdev. Run under `umockdev-wrapper`.
#include "hardware/devicemanager.h"
#include "hardware/devicestatusmodel.h"
#include "hardware/idcard/idcardservice.h"
#include "hardware/idcard/idcardsimulator.h"
#include "hardware/usbmonitor.h"
#include "mockusbbus.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

using namespace hcp::hardware;
using hcp::test::MockUsbBus;
using hcp::test::MockUsbDevice;

class TestDeviceManager : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void model_setStatus_updatesRowAndRoles();
    void model_notFittedClasses_areNotListed_andStatusStillTracked();
    void hotplug_readerArrives_serviceReconnectsAndReadsCard();
    void hotplug_printerByClass_absentOnLeave();

private:
    std::unique_ptr<MockUsbBus> m_bus;
};

void TestDeviceManager::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY2(qgetenv("LD_PRELOAD").contains("umockdev"), "run this test under umockdev-wrapper");
    m_bus = std::make_unique<MockUsbBus>();
    // A keyboard-less bus is not empty: libusb needs one device to find usbfs.
    m_bus->addDevice(1, MockUsbBus::printerDescriptors(0x1d6b, 0x0002));
}

void TestDeviceManager::model_setStatus_updatesRowAndRoles()
{
    DeviceManager manager;
    DeviceStatusModel model(&manager);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 4);
    const QHash<int, QByteArray> roles = model.roleNames();
    QCOMPARE(roles.value(DeviceStatusModel::DeviceClassRole), QByteArray("deviceClass"));
    QCOMPARE(roles.value(DeviceStatusModel::StatusTextRole), QByteArray("statusText"));
    QCOMPARE(roles.value(DeviceStatusModel::OkRole), QByteArray("ok"));
    QCOMPARE(model.index(1).data(DeviceStatusModel::DeviceClassRole).toString(), QStringLiteral("printer"));
    QCOMPARE(model.index(1).data(DeviceStatusModel::StatusTextRole).toString(), QStringLiteral("未连接"));
    QCOMPARE(model.index(1).data(DeviceStatusModel::OkRole).toBool(), false);

    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    manager.setStatus(DeviceClass::Printer, DeviceState::Error, QStringLiteral("缺纸"));
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 1);
    QCOMPARE(model.index(1).data(DeviceStatusModel::StatusTextRole).toString(), QStringLiteral("缺纸"));
    QCOMPARE(model.index(1).data(DeviceStatusModel::NameRole).toString(), QStringLiteral("打印机"));
    manager.setStatus(DeviceClass::Printer, DeviceState::Error, QStringLiteral("缺纸"));
    QCOMPARE(changed.count(), 1);   // no change, no signal
    manager.setStatus(DeviceClass::Camera, DeviceState::Busy);
    QCOMPARE(model.index(3).data(DeviceStatusModel::OkRole).toBool(), true);
    QCOMPARE(model.index(3).data(DeviceStatusModel::StatusTextRole).toString(), QStringLiteral("工作中"));
    QCOMPARE(model.index(3).data(DeviceStatusModel::StateRole).toInt(), int(DeviceState::Busy));
}

// A kiosk without a camera never shows «✗ 摄像头»; a pad (no reader, printer or scanner) shows none.
void TestDeviceManager::model_notFittedClasses_areNotListed_andStatusStillTracked()
{
    DeviceManager manager;
    DeviceStatusModel model(&manager);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    manager.setFitted({DeviceClass::Printer, DeviceClass::IdCard, DeviceClass::Scanner});
    QCOMPARE(reset.count(), 1);
    QCOMPARE(model.rowCount(), 3);
    QStringList listed;
    for (int row = 0; row < model.rowCount(); ++row)
        listed << model.index(row).data(DeviceStatusModel::DeviceClassRole).toString();
    QCOMPARE(listed, (QStringList{QStringLiteral("idcard"), QStringLiteral("printer"), QStringLiteral("scanner")}));
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    manager.setStatus(DeviceClass::Camera, DeviceState::Error, QStringLiteral("摄像头模块无法加载"));
    QCOMPARE(changed.count(), 0); // not shown, so no row changes
    QCOMPARE(manager.state(DeviceClass::Camera), DeviceState::Error);
    manager.setStatus(DeviceClass::Scanner, DeviceState::Ready);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 2);
    manager.setFitted({DeviceClass::Scanner, DeviceClass::IdCard, DeviceClass::Printer});
    QCOMPARE(reset.count(), 1); // same set: nothing to redraw
    manager.setFitted({});
    QCOMPARE(model.rowCount(), 0);
}

void TestDeviceManager::hotplug_readerArrives_serviceReconnectsAndReadsCard()
{
    IdCardSimulator sim;
    sim.insertCard(IdCardSimulator::sampleResident());
    IdCardService service(IdCardService::usbFactory(), SamLink::Framing::UsbTwoPipe);
    IdCardService::Timing timing;
    timing.pollIntervalMs = 100;
    timing.absentPollIntervalMs = 100;
    service.setTiming(timing);
    UsbMonitor monitor;
    DeviceManager manager;
    manager.trackIdCard(&service);
    QVERIFY(monitor.start(UsbMonitor::Mode::Hotplug));
    manager.attachMonitor(&monitor);
    QSignalSpy read(&service, &IdCardService::cardRead);
    QSignalSpy arrived(&manager, &DeviceManager::deviceArrived);
    service.setPolling(true);
    QTRY_COMPARE_WITH_TIMEOUT(manager.state(DeviceClass::IdCard), DeviceState::Absent, 5000);

    MockUsbDevice *reader = m_bus->addDevice(2, MockUsbBus::samReaderDescriptors());
    auto header = std::make_shared<QByteArray>();
    reader->setOutHandler([reader, &sim, header](quint8 ep, const QByteArray &bytes) {
        if (ep == 0x02) {
            *header = bytes;
            return;
        }
        const QByteArray reply = sim.reply(*header + bytes);
        reader->queueIn(0x81, reply.left(7));
        reader->queueIn(0x85, reply.mid(7));
    });
    QTRY_COMPARE_WITH_TIMEOUT(arrived.count(), 1, 5000);
    QCOMPARE(arrived.at(0).at(0).value<DeviceClass>(), DeviceClass::IdCard);
    QTRY_COMPARE_WITH_TIMEOUT(read.count(), 1, 10000);
    QCOMPARE(read.at(0).at(0).value<IdCardData>().idNumber, QStringLiteral("11010519491231002X"));
    QTRY_COMPARE_WITH_TIMEOUT(manager.state(DeviceClass::IdCard), DeviceState::Ready, 5000);

    m_bus->unplug(2);
    QTRY_COMPARE_WITH_TIMEOUT(manager.state(DeviceClass::IdCard), DeviceState::Absent, 5000);
    service.setPolling(false);
    QTRY_COMPARE_WITH_TIMEOUT(reader->releaseCount(), reader->claimCount(), 5000);
}

void TestDeviceManager::hotplug_printerByClass_absentOnLeave()
{
    UsbMonitor monitor;
    DeviceManager manager;
    DeviceStatusModel model(&manager);
    manager.addUsbMatch(DeviceClass::Printer, DeviceManager::UsbMatch{0, 0, 7});
    int reconnects = 0;
    manager.setReconnectHandler(DeviceClass::Printer, [&reconnects] { ++reconnects; });
    QVERIFY(monitor.start(UsbMonitor::Mode::Hotplug));
    manager.attachMonitor(&monitor);
    // The printer-class device at address 1 is already present (ENUMERATE).
    QTRY_COMPARE_WITH_TIMEOUT(manager.state(DeviceClass::Printer), DeviceState::Ready, 5000);
    QVERIFY(reconnects >= 1);
    QVERIFY(model.index(1).data(DeviceStatusModel::OkRole).toBool());
    m_bus->addDevice(4, MockUsbBus::printerDescriptors(0x0fe6, 0x811e));
    QTRY_VERIFY_WITH_TIMEOUT(reconnects >= 2, 5000);
    m_bus->unplug(4);
    QTRY_COMPARE_WITH_TIMEOUT(manager.state(DeviceClass::Printer), DeviceState::Absent, 5000);
    QCOMPARE(model.index(1).data(DeviceStatusModel::StatusTextRole).toString(), QStringLiteral("打印机未连接"));
    QCOMPARE(model.index(1).data(DeviceStatusModel::OkRole).toBool(), false);
}

QTEST_GUILESS_MAIN(TestDeviceManager)
#include "tst_devicemanager.moc"

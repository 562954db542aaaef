// SPDX-License-Identifier: Apache-2.0
#include "hardware/evdevtransport.h"
#include "hardware/faketransport.h"
#include "hardware/scanner/scannerservice.h"
#include "hardware/scanner/scannersimulator.h"

#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace hcp::hardware;

namespace {
class BorrowedTransport : public Transport {
public:
    explicit BorrowedTransport(Transport *t) : m_t(t) {}
    bool open() override { return m_t->open(); }
    void close() override { m_t->close(); }
    bool isOpen() const override { return m_t->isOpen(); }
    TransferResult write(const QByteArray &b, int t, int c) override { return m_t->write(b, t, c); }
    TransferResult read(int m, int t, int c) override { return m_t->read(m, t, c); }
    QString description() const override { return m_t->description(); }

private:
    Transport *m_t;
};

ScannerService::TransportFactory borrow(FakeTransport *fake)
{
    return [fake] { return std::make_unique<BorrowedTransport>(fake); };
}

ScannerService::Options fastOptions()
{
    ScannerService::Options o;
    o.reopenIntervalMs = 50;
    return o;
}
} // namespace

class TestScannerService : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void wedge_scanWithEnter_emitsPayloadOnce();
    void wedge_splitEvents_twoScans_emitsBoth();
    void wedge_noSuffix_emitsAfterTimeout();
    void hidPos_multiReportScan_emitsWholePayload();
    void unplugThenReplug_reportsAbsentThenScansAgain();
    void stop_closesTransport();
    void simulatorFactory_demoMode_scansReachService();
    void evdevTransport_fifoWithoutGrab_readsWholeEvents();
    void evdevTransport_grabOnNonInputDevice_failsClearly();
    void evdevTransport_missingNode_reportsNoDevice();
};

void TestScannerService::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void TestScannerService::wedge_scanWithEnter_emitsPayloadOnce()
{
    FakeTransport fake;
    ScannerSimulator sim(ScannerService::Mode::KeyboardWedge);
    sim.attach(&fake);
    ScannerService svc(borrow(&fake), ScannerService::Mode::KeyboardWedge, fastOptions());
    QSignalSpy scanned(&svc, &ScannerService::scanned);
    svc.start();
    QTRY_COMPARE_WITH_TIMEOUT(svc.state(), DeviceState::Ready, 5000);
    sim.scan("https://example.gov.cn/pj?c=A123");
    QTRY_COMPARE_WITH_TIMEOUT(scanned.count(), 1, 5000);
    QCOMPARE(scanned.at(0).at(0).toByteArray(), QByteArray("https://example.gov.cn/pj?c=A123"));
    QTest::qWait(150);  // nothing further arrives (no double emission at the suffix-less timeout)
    QCOMPARE(scanned.count(), 1);
}

void TestScannerService::wedge_splitEvents_twoScans_emitsBoth()
{
    FakeTransport fake;
    ScannerSimulator sim(ScannerService::Mode::KeyboardWedge);
    sim.attach(&fake);
    sim.setChunkSize(7);
    ScannerService svc(borrow(&fake), ScannerService::Mode::KeyboardWedge, fastOptions());
    QSignalSpy scanned(&svc, &ScannerService::scanned);
    svc.start();
    sim.scan("HCP:0001");
    sim.scan("HCP:0002");
    QTRY_COMPARE_WITH_TIMEOUT(scanned.count(), 2, 5000);
    QCOMPARE(scanned.at(0).at(0).toByteArray(), QByteArray("HCP:0001"));
    QCOMPARE(scanned.at(1).at(0).toByteArray(), QByteArray("HCP:0002"));
}

void TestScannerService::wedge_noSuffix_emitsAfterTimeout()
{
    FakeTransport fake;
    ScannerSimulator sim(ScannerService::Mode::KeyboardWedge);
    sim.attach(&fake);
    sim.setEnterSuffix(false);
    ScannerService svc(borrow(&fake), ScannerService::Mode::KeyboardWedge, fastOptions());
    QSignalSpy scanned(&svc, &ScannerService::scanned);
    svc.start();
    sim.scan("NOSUFFIX-1");
    QTRY_COMPARE_WITH_TIMEOUT(scanned.count(), 1, 5000);
    QCOMPARE(scanned.at(0).at(0).toByteArray(), QByteArray("NOSUFFIX-1"));
    sim.scan("NOSUFFIX-2", 300);
    QTRY_COMPARE_WITH_TIMEOUT(scanned.count(), 2, 5000);
    QCOMPARE(scanned.at(1).at(0).toByteArray(), QByteArray("NOSUFFIX-2"));
}

void TestScannerService::hidPos_multiReportScan_emitsWholePayload()
{
    FakeTransport fake;
    ScannerSimulator sim(ScannerService::Mode::HidPos);
    sim.attach(&fake);
    ScannerService svc(borrow(&fake), ScannerService::Mode::HidPos, fastOptions());
    QSignalSpy scanned(&svc, &ScannerService::scanned);
    svc.start();
    QByteArray longPayload = "https://hcp.example.gov.cn/follow-up?evaluation=";
    longPayload += QByteArray(120, '7');
    sim.scan(longPayload);
    sim.scan("short");
    QTRY_COMPARE_WITH_TIMEOUT(scanned.count(), 2, 5000);
    QCOMPARE(scanned.at(0).at(0).toByteArray(), longPayload);
    QCOMPARE(scanned.at(1).at(0).toByteArray(), QByteArray("short"));
}

void TestScannerService::unplugThenReplug_reportsAbsentThenScansAgain()
{
    FakeTransport fake;
    ScannerSimulator sim(ScannerService::Mode::KeyboardWedge);
    sim.attach(&fake);
    ScannerService svc(borrow(&fake), ScannerService::Mode::KeyboardWedge, fastOptions());
    QSignalSpy scanned(&svc, &ScannerService::scanned);
    svc.start();
    QTRY_COMPARE_WITH_TIMEOUT(svc.state(), DeviceState::Ready, 5000);
    sim.unplug();
    QTRY_COMPARE_WITH_TIMEOUT(svc.state(), DeviceState::Absent, 5000);
    sim.replug();
    QTRY_COMPARE_WITH_TIMEOUT(svc.state(), DeviceState::Ready, 5000);
    sim.scan("after-replug");
    QTRY_COMPARE_WITH_TIMEOUT(scanned.count(), 1, 5000);
    QCOMPARE(scanned.at(0).at(0).toByteArray(), QByteArray("after-replug"));
    QVERIFY(fake.openCount() >= 2);
}

void TestScannerService::stop_closesTransport()
{
    FakeTransport fake;
    ScannerService svc(borrow(&fake), ScannerService::Mode::KeyboardWedge, fastOptions());
    svc.start();
    QTRY_VERIFY_WITH_TIMEOUT(fake.isOpen(), 5000);
    svc.stop();
    QTRY_VERIFY_WITH_TIMEOUT(!fake.isOpen(), 5000);
    QCOMPARE(fake.closeCount(), fake.openCount());
}

void TestScannerService::simulatorFactory_demoMode_scansReachService()
{
    ScannerSimulator sim(ScannerService::Mode::KeyboardWedge);
    ScannerService svc(sim.transportFactory(), ScannerService::Mode::KeyboardWedge, fastOptions());
    QSignalSpy scanned(&svc, &ScannerService::scanned);
    svc.start();
    sim.scan("demo-qr");
    QTRY_COMPARE_WITH_TIMEOUT(scanned.count(), 1, 5000);
    QCOMPARE(scanned.at(0).at(0).toByteArray(), QByteArray("demo-qr"));
}

void TestScannerService::evdevTransport_fifoWithoutGrab_readsWholeEvents()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QByteArray path = dir.filePath(QStringLiteral("event0")).toLocal8Bit();
    QCOMPARE(::mkfifo(path.constData(), 0600), 0);
    EvdevTransport t(QString::fromLocal8Bit(path), false);
    QVERIFY2(t.open(), qPrintable(t.lastOpenResult().detail));
    const int writer = ::open(path.constData(), O_WRONLY | O_NONBLOCK);
    QVERIFY(writer >= 0);
    const QByteArray events = ScannerSimulator::wedgeEvents("A");
    // Half an event first: read() must not return it until the rest arrives.
    QCOMPARE(::write(writer, events.constData(), 10), ssize_t(10));
    TransferResult r = t.read(4096, 100);
    QCOMPARE(r.status, TransportStatus::Timeout);
    QVERIFY(r.data.isEmpty());
    QCOMPARE(::write(writer, events.constData() + 10, size_t(events.size() - 10)), ssize_t(events.size() - 10));
    QByteArray all;
    while (all.size() < events.size()) {
        r = t.read(4096, 1000);
        QVERIFY2(r.ok(), qPrintable(r.detail));
        QCOMPARE(r.data.size() % 24, 0);
        all += r.data;
    }
    QCOMPARE(all, events);
    ::close(writer);
    r = t.read(4096, 1000);
    QCOMPARE(r.status, TransportStatus::NoDevice);
    t.close();
}

void TestScannerService::evdevTransport_grabOnNonInputDevice_failsClearly()
{
    QTemporaryDir dir;
    const QByteArray path = dir.filePath(QStringLiteral("event1")).toLocal8Bit();
    QCOMPARE(::mkfifo(path.constData(), 0600), 0);
    EvdevTransport t(QString::fromLocal8Bit(path), true);
    QVERIFY(!t.open());
    QCOMPARE(t.lastOpenResult().status, TransportStatus::InvalidArgument);
    QVERIFY2(t.lastOpenResult().detail.contains(QStringLiteral("EVIOCGRAB")), qPrintable(t.lastOpenResult().detail));
    QVERIFY(!t.isOpen());
}

void TestScannerService::evdevTransport_missingNode_reportsNoDevice()
{
    EvdevTransport t(QStringLiteral("/nonexistent/input/event99"));
    QVERIFY(!t.open());
    QCOMPARE(t.lastOpenResult().status, TransportStatus::NoDevice);
    HidrawTransport h(QStringLiteral("/nonexistent/hidraw9"));
    QVERIFY(!h.open());
    QCOMPARE(h.lastOpenResult().status, TransportStatus::NoDevice);
}

QTEST_GUILESS_MAIN(TestScannerService)
#include "tst_scannerservice.moc"

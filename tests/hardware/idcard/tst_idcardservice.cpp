// SPDX-License-Identifier: Apache-2.0
#include "hardware/faketransport.h"
#include "hardware/idcard/idcardservice.h"
#include "hardware/idcard/idcardsimulator.h"

#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

using namespace hcp::hardware;

namespace {
// The service owns what its factory returns; tests keep the FakeTransport and hand out proxies.
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

IdCardService::TransportFactory borrow(FakeTransport *fake)
{
    return [fake] { return std::make_unique<BorrowedTransport>(fake); };
}

IdCardService::Timing fastTiming()
{
    IdCardService::Timing t;
    t.pollIntervalMs = 20;
    t.absentPollIntervalMs = 20;
    t.commandTimeoutMs = 300;
    t.readTimeoutMs = 600;
    return t;
}
} // namespace

class TestIdCardService : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();

    void polling_cardInserted_emitsCardReadOncePerPlacement();
    void polling_usbTwoPipeFraming_splitsHeaderAndBody();
    void pollingOff_sendsNothingAndClosesTransport();
    void readOnce_noCard_reportsPlaceCardMessage();
    void polling_cardRemovedMidRead_reportsErrorAndRecovers();
    void polling_badChecksum_reportsErrorStateAndNoCard();
    void polling_garbageBytes_stillReadsCard();
    void polling_slowDeviceWithinTimeout_readsCard();
    void polling_deviceSlowerThanTimeout_reportsNoResponse();
    void polling_unplugThenReplug_goesAbsentThenReadsAgain();
    void polling_cardTakenAway_emitsCardRemoved();
    void polling_badCheckDigit_emitsCardMarkedUntrusted();
    void serialPty_simulatorOnOtherEnd_readsCard();
    void serialPty_unplugged_reportsAbsent();
    void simulatorFactory_demoMode_readsCardAndFollowsUnplug();
    void open_staleReplyQueued_isDrainedBeforeFirstExchange();

private:
    std::unique_ptr<FakeTransport> m_fake;
    std::unique_ptr<IdCardSimulator> m_sim;
};

void TestIdCardService::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void TestIdCardService::init()
{
    m_fake = std::make_unique<FakeTransport>(QStringLiteral("fake idcard"));
    m_sim = std::make_unique<IdCardSimulator>();
}

void TestIdCardService::cleanup()
{
    m_sim.reset();
    m_fake.reset();
}

void TestIdCardService::polling_cardInserted_emitsCardReadOncePerPlacement()
{
    m_sim->attach(m_fake.get(), SamLink::Framing::Stream);
    IdCardService svc(borrow(m_fake.get()), SamLink::Framing::Stream);
    svc.setTiming(fastTiming());
    QSignalSpy read(&svc, &IdCardService::cardRead);
    QSignalSpy state(&svc, &IdCardService::stateChanged);
    svc.setPolling(true);
    QTRY_COMPARE_WITH_TIMEOUT(svc.state(), DeviceState::Ready, 5000);
    QCOMPARE(read.count(), 0);

    m_sim->insertCard(IdCardSimulator::sampleResident());
    QTRY_COMPARE_WITH_TIMEOUT(read.count(), 1, 5000);
    const auto card = read.at(0).at(0).value<IdCardData>();
    QCOMPARE(card.name, QStringLiteral("李华"));
    QCOMPARE(card.idNumber, QStringLiteral("11010519491231002X"));
    QCOMPARE(card.cardType, IdCardType::Resident);
    QVERIFY(card.checkDigitValid);

    // The card stays on the reader for several more polls: no second emission, and no
    // 正在读卡/正常 flicker either (the diagnostics log records state changes only).
    QTRY_COMPARE_WITH_TIMEOUT(svc.state(), DeviceState::Ready, 5000);
    const qsizetype statesAfterFirstRead = state.count();
    m_sim->clearCommandLog();
    QTRY_VERIFY_WITH_TIMEOUT(m_sim->commandLog().count(quint16(SamCommand::ReadText)) >= 3, 5000);
    QCOMPARE(read.count(), 1);
    QCOMPARE(state.count(), statesAfterFirstRead);
    QCOMPARE(svc.state(), DeviceState::Ready);
    // Every read is preceded by find and select (§1.3).
    const QList<quint16> log = m_sim->commandLog();
    for (qsizetype i = 0; i < log.size(); ++i) {
        if (log[i] == quint16(SamCommand::ReadText)) {
            QVERIFY(i >= 2);
            QCOMPARE(log[i - 1], quint16(SamCommand::SelectCard));
            QCOMPARE(log[i - 2], quint16(SamCommand::FindCard));
        }
    }
}

void TestIdCardService::polling_usbTwoPipeFraming_splitsHeaderAndBody()
{
    m_sim->attach(m_fake.get(), SamLink::Framing::UsbTwoPipe);
    m_sim->insertCard(IdCardSimulator::sampleResident());
    IdCardService svc(borrow(m_fake.get()), SamLink::Framing::UsbTwoPipe);
    svc.setTiming(fastTiming());
    QSignalSpy read(&svc, &IdCardService::cardRead);
    svc.setPolling(true);
    QTRY_COMPARE_WITH_TIMEOUT(read.count(), 1, 5000);
    QCOMPARE(read.at(0).at(0).value<IdCardData>().address, QStringLiteral("北京市西城区示例路1号"));
    svc.setPolling(false);
    const QList<QByteArray> headers = m_fake->writes(0);
    const QList<QByteArray> bodies = m_fake->writes(1);
    QVERIFY(headers.size() >= 3);
    QCOMPARE(headers.at(0), QByteArray::fromHex("AAAAAA96690003"));
    QCOMPARE(bodies.at(0), QByteArray::fromHex("200122"));
    QCOMPARE(bodies.at(1), QByteArray::fromHex("200221"));
    QCOMPARE(bodies.at(2), QByteArray::fromHex("300132"));
}

void TestIdCardService::pollingOff_sendsNothingAndClosesTransport()
{
    m_sim->attach(m_fake.get(), SamLink::Framing::Stream);
    m_sim->insertCard(IdCardSimulator::sampleResident());
    IdCardService svc(borrow(m_fake.get()), SamLink::Framing::Stream);
    svc.setTiming(fastTiming());
    QSignalSpy read(&svc, &IdCardService::cardRead);
    // Several poll intervals with polling off: the reader is never touched (fixed: nothing is to happen).
    QTest::qWait(200);
    QVERIFY(m_fake->writtenData().isEmpty());
    QCOMPARE(m_fake->openCount(), 0);

    svc.setPolling(true);
    QTRY_COMPARE_WITH_TIMEOUT(read.count(), 1, 5000);
    svc.setPolling(false);
    QTRY_VERIFY_WITH_TIMEOUT(!m_fake->isOpen(), 5000);
    QCOMPARE(m_fake->closeCount(), m_fake->openCount());
    const QByteArray sent = m_fake->writtenData();
    QTest::qWait(200); // fixed on purpose: several poll intervals in which nothing more is to be sent
    QCOMPARE(m_fake->writtenData(), sent);
}

void TestIdCardService::readOnce_noCard_reportsPlaceCardMessage()
{
    m_sim->attach(m_fake.get(), SamLink::Framing::Stream);
    IdCardService svc(borrow(m_fake.get()), SamLink::Framing::Stream);
    svc.setTiming(fastTiming());
    QSignalSpy errors(&svc, &IdCardService::errorOccurred);
    QSignalSpy done(&svc, &IdCardService::readOnceFinished);
    svc.readOnce();
    QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, 5000);
    QCOMPARE(done.at(0).at(0).toBool(), false);
    QCOMPARE(errors.count(), 1);
    QCOMPARE(errors.at(0).at(0).toString(), QStringLiteral("请将身份证放在读卡区"));
    QVERIFY(!m_fake->isOpen());     // readOnce with polling off leaves nothing open

    m_sim->insertCard(IdCardSimulator::sampleResident());
    QSignalSpy read(&svc, &IdCardService::cardRead);
    svc.readOnce();
    QTRY_COMPARE_WITH_TIMEOUT(done.count(), 2, 5000);
    QCOMPARE(done.at(1).at(0).toBool(), true);
    QCOMPARE(read.count(), 1);
}

void TestIdCardService::polling_cardRemovedMidRead_reportsErrorAndRecovers()
{
    m_sim->attach(m_fake.get(), SamLink::Framing::Stream);
    m_sim->setFailureMode(IdCardSimulator::FailureMode::CardRemovedMidRead);
    m_sim->insertCard(IdCardSimulator::sampleResident());
    IdCardService svc(borrow(m_fake.get()), SamLink::Framing::Stream);
    svc.setTiming(fastTiming());
    QSignalSpy read(&svc, &IdCardService::cardRead);
    QSignalSpy errors(&svc, &IdCardService::errorOccurred);
    svc.setPolling(true);
    QTRY_COMPARE_WITH_TIMEOUT(errors.count(), 1, 5000);
    QCOMPARE(errors.at(0).at(0).toString(), QStringLiteral("读卡失败，请重新放置身份证"));
    QVERIFY(!m_sim->hasCard());
    QCOMPARE(read.count(), 0);

    m_sim->setFailureMode(IdCardSimulator::FailureMode::None);
    m_sim->insertCard(IdCardSimulator::sampleResident());
    QTRY_COMPARE_WITH_TIMEOUT(read.count(), 1, 5000);
    // cardRead and the worker's state report are separate queued signals, and polling goes on
    // (Busy during each exchange): under load the state is checked until it settles.
    QTRY_COMPARE_WITH_TIMEOUT(svc.state(), DeviceState::Ready, 5000);
}

void TestIdCardService::polling_badChecksum_reportsErrorStateAndNoCard()
{
    m_sim->attach(m_fake.get(), SamLink::Framing::Stream);
    m_sim->setFailureMode(IdCardSimulator::FailureMode::BadChecksum);
    m_sim->insertCard(IdCardSimulator::sampleResident());
    IdCardService svc(borrow(m_fake.get()), SamLink::Framing::Stream);
    svc.setTiming(fastTiming());
    QSignalSpy read(&svc, &IdCardService::cardRead);
    QSignalSpy errors(&svc, &IdCardService::errorOccurred);
    svc.setPolling(true);
    QTRY_VERIFY_WITH_TIMEOUT(errors.count() >= 2, 5000);
    QCOMPARE(svc.state(), DeviceState::Error);
    QCOMPARE(svc.stateReason(), QStringLiteral("身份证阅读器数据校验错误"));
    QCOMPARE(read.count(), 0);
    m_sim->setFailureMode(IdCardSimulator::FailureMode::None);
    QTRY_COMPARE_WITH_TIMEOUT(read.count(), 1, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(svc.state(), DeviceState::Ready, 5000);
}

void TestIdCardService::polling_garbageBytes_stillReadsCard()
{
    m_sim->attach(m_fake.get(), SamLink::Framing::Stream);
    m_sim->setFailureMode(IdCardSimulator::FailureMode::GarbageBytes);
    m_sim->insertCard(IdCardSimulator::sampleResident());
    IdCardService svc(borrow(m_fake.get()), SamLink::Framing::Stream);
    svc.setTiming(fastTiming());
    QSignalSpy read(&svc, &IdCardService::cardRead);
    QSignalSpy errors(&svc, &IdCardService::errorOccurred);
    svc.setPolling(true);
    QTRY_COMPARE_WITH_TIMEOUT(read.count(), 1, 5000);
    QCOMPARE(read.at(0).at(0).value<IdCardData>(), IdCardSimulator::sampleResident());
    QCOMPARE(errors.count(), 0);
}

void TestIdCardService::polling_slowDeviceWithinTimeout_readsCard()
{
    m_sim->attach(m_fake.get(), SamLink::Framing::Stream);
    m_sim->setFailureMode(IdCardSimulator::FailureMode::SlowDevice);
    m_sim->setSlowDelayMs(150);
    m_sim->insertCard(IdCardSimulator::sampleResident());
    IdCardService svc(borrow(m_fake.get()), SamLink::Framing::Stream);
    svc.setTiming(fastTiming());
    QSignalSpy read(&svc, &IdCardService::cardRead);
    QSignalSpy errors(&svc, &IdCardService::errorOccurred);
    svc.setPolling(true);
    QTRY_COMPARE_WITH_TIMEOUT(read.count(), 1, 5000);
    QCOMPARE(errors.count(), 0);
}

void TestIdCardService::polling_deviceSlowerThanTimeout_reportsNoResponse()
{
    m_sim->attach(m_fake.get(), SamLink::Framing::Stream);
    m_sim->setFailureMode(IdCardSimulator::FailureMode::SlowDevice);
    m_sim->setSlowDelayMs(1000);    // > commandTimeoutMs 300
    IdCardService svc(borrow(m_fake.get()), SamLink::Framing::Stream);
    svc.setTiming(fastTiming());
    svc.setPolling(true);
    QTRY_COMPARE_WITH_TIMEOUT(svc.state(), DeviceState::Error, 5000);
    QCOMPARE(svc.stateReason(), QStringLiteral("身份证阅读器无响应"));
    // A timed-out reader is closed and reopened (automatic reconnect).
    QTRY_VERIFY_WITH_TIMEOUT(m_fake->openCount() >= 2, 5000);
    m_sim->setFailureMode(IdCardSimulator::FailureMode::None);
    QTRY_COMPARE_WITH_TIMEOUT(svc.state(), DeviceState::Ready, 5000);
}

void TestIdCardService::polling_unplugThenReplug_goesAbsentThenReadsAgain()
{
    m_sim->attach(m_fake.get(), SamLink::Framing::Stream);
    IdCardService svc(borrow(m_fake.get()), SamLink::Framing::Stream);
    svc.setTiming(fastTiming());
    QSignalSpy read(&svc, &IdCardService::cardRead);
    svc.setPolling(true);
    QTRY_COMPARE_WITH_TIMEOUT(svc.state(), DeviceState::Ready, 5000);
    m_sim->setFailureMode(IdCardSimulator::FailureMode::Unplugged);
    QTRY_COMPARE_WITH_TIMEOUT(svc.state(), DeviceState::Absent, 5000);
    QCOMPARE(svc.stateReason(), QStringLiteral("身份证阅读器未连接"));
    QTRY_VERIFY_WITH_TIMEOUT(!m_fake->isOpen(), 5000);

    m_sim->setFailureMode(IdCardSimulator::FailureMode::None);
    m_sim->insertCard(IdCardSimulator::sampleResident());
    QTRY_COMPARE_WITH_TIMEOUT(read.count(), 1, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(svc.state(), DeviceState::Ready, 5000);
}

void TestIdCardService::polling_cardTakenAway_emitsCardRemoved()
{
    m_sim->attach(m_fake.get(), SamLink::Framing::Stream);
    m_sim->insertCard(IdCardSimulator::sampleResident());
    IdCardService svc(borrow(m_fake.get()), SamLink::Framing::Stream);
    svc.setTiming(fastTiming());
    QSignalSpy read(&svc, &IdCardService::cardRead);
    QSignalSpy removed(&svc, &IdCardService::cardRemoved);
    svc.setPolling(true);
    QTRY_COMPARE_WITH_TIMEOUT(read.count(), 1, 5000);
    QCOMPARE(removed.count(), 0);
    m_sim->removeCard();
    QTRY_COMPARE_WITH_TIMEOUT(removed.count(), 1, 5000);
    m_sim->insertCard(IdCardSimulator::sampleResident());
    QTRY_COMPARE_WITH_TIMEOUT(read.count(), 2, 5000);
}

void TestIdCardService::polling_badCheckDigit_emitsCardMarkedUntrusted()
{
    IdCardData forged = IdCardSimulator::sampleResident();
    forged.idNumber = QStringLiteral("110105194912310021");
    m_sim->attach(m_fake.get(), SamLink::Framing::Stream);
    m_sim->insertCard(forged);
    IdCardService svc(borrow(m_fake.get()), SamLink::Framing::Stream);
    svc.setTiming(fastTiming());
    QSignalSpy read(&svc, &IdCardService::cardRead);
    svc.setPolling(true);
    QTRY_COMPARE_WITH_TIMEOUT(read.count(), 1, 5000);
    QVERIFY(!read.at(0).at(0).value<IdCardData>().checkDigitValid);
}

void TestIdCardService::serialPty_simulatorOnOtherEnd_readsCard()
{
    const QString port = m_sim->openPty();
    QVERIFY(!port.isEmpty());
    m_sim->setFailureMode(IdCardSimulator::FailureMode::GarbageBytes);
    m_sim->insertCard(IdCardSimulator::sampleResident());
    IdCardService svc(IdCardService::serialFactory(port), SamLink::Framing::Stream);
    svc.setTiming(fastTiming());
    QSignalSpy read(&svc, &IdCardService::cardRead);
    svc.setPolling(true);
    QTRY_COMPARE_WITH_TIMEOUT(read.count(), 1, 10000);
    QCOMPARE(read.at(0).at(0).value<IdCardData>(), IdCardSimulator::sampleResident());
    QVERIFY(m_sim->commandLog().contains(quint16(SamCommand::ReadText)));
}

void TestIdCardService::serialPty_unplugged_reportsAbsent()
{
    const QString port = m_sim->openPty();
    QVERIFY(!port.isEmpty());
    IdCardService svc(IdCardService::serialFactory(port), SamLink::Framing::Stream);
    svc.setTiming(fastTiming());
    svc.setPolling(true);
    QTRY_COMPARE_WITH_TIMEOUT(svc.state(), DeviceState::Ready, 10000);
    m_sim->setFailureMode(IdCardSimulator::FailureMode::Unplugged);
    QTRY_VERIFY_WITH_TIMEOUT(svc.state() == DeviceState::Absent || svc.state() == DeviceState::Error, 10000);
    QVERIFY(svc.state() != DeviceState::Ready);
}

void TestIdCardService::simulatorFactory_demoMode_readsCardAndFollowsUnplug()
{
    IdCardSimulator sim;
    IdCardService svc(sim.transportFactory(SamLink::Framing::Stream), SamLink::Framing::Stream);
    svc.setTiming(fastTiming());
    QSignalSpy read(&svc, &IdCardService::cardRead);
    svc.setPolling(true);
    sim.insertCard(IdCardSimulator::sampleResident());
    QTRY_COMPARE_WITH_TIMEOUT(read.count(), 1, 5000);
    sim.setFailureMode(IdCardSimulator::FailureMode::Unplugged);
    QTRY_COMPARE_WITH_TIMEOUT(svc.state(), DeviceState::Absent, 5000);
    sim.setFailureMode(IdCardSimulator::FailureMode::None);
    QTRY_COMPARE_WITH_TIMEOUT(svc.state(), DeviceState::Ready, 5000);
}

void TestIdCardService::open_staleReplyQueued_isDrainedBeforeFirstExchange()
{
    // A late "find OK" left in the USB IN pipes from before a reconnect.
    const QByteArray stale = QByteArray::fromHex("AAAAAA96690008 00009F0000000097");
    m_fake->feedReceived(stale.left(7), 0);
    m_fake->feedReceived(stale.mid(7), 1);
    m_sim->attach(m_fake.get(), SamLink::Framing::UsbTwoPipe);
    m_sim->insertCard(IdCardSimulator::sampleResident());
    IdCardService svc(borrow(m_fake.get()), SamLink::Framing::UsbTwoPipe);
    svc.setTiming(fastTiming());
    QSignalSpy read(&svc, &IdCardService::cardRead);
    QSignalSpy errors(&svc, &IdCardService::errorOccurred);
    svc.setPolling(true);
    QTRY_COMPARE_WITH_TIMEOUT(read.count(), 1, 5000);
    // Without draining, the stale reply answers "find" and every later reply is one step behind.
    QCOMPARE(errors.count(), 0);
}

QTEST_GUILESS_MAIN(TestIdCardService)
#include "tst_idcardservice.moc"

// SPDX-License-Identifier: Apache-2.0
// SystemdNotifier against a real AF_UNIX datagram socket bound by the test, standing in for
// systemd's notify socket. A receiver thread stamps each datagram with the steady clock on
// arrival, so a blocked GUI thread cannot hide or delay what was (not) sent.
#include "notifyreceiver.h"
#include "systemdnotifier.h"

#include <QFile>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstring>
#include <mutex>
#include <thread>
#include <vector>

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

using hcp::kiosk::SystemdNotifier;
using hcp::test::Clock;
using hcp::test::NotifyReceiver;

namespace {

void setEnv(const QByteArray &socket, const QByteArray &usec = {}, const QByteArray &pid = {})
{
    qunsetenv("NOTIFY_SOCKET");
    qunsetenv("WATCHDOG_USEC");
    qunsetenv("WATCHDOG_PID");
    if (!socket.isEmpty())
        qputenv("NOTIFY_SOCKET", socket);
    if (!usec.isEmpty())
        qputenv("WATCHDOG_USEC", usec);
    if (!pid.isEmpty())
        qputenv("WATCHDOG_PID", pid);
}

} // namespace

class TestSystemdNotifier : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QByteArray socketPath() const { return QFile::encodeName(m_dir.filePath(QStringLiteral("notify"))); }
    QByteArray abstractName() const { return "@hcp-test-notify-" + QByteArray::number(::getpid()); }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
    }
    void cleanup()
    {
        QFile::remove(m_dir.filePath(QStringLiteral("notify")));
        setEnv({});
    }

    void noNotifySocket_everyCallIsANoOp()
    {
        setEnv({}, "200000");
        SystemdNotifier n;
        QVERIFY(!n.isEnabled());
        QVERIFY(!n.isWatchdogEnabled());
        QCOMPARE(n.pingIntervalMs(), 0);
        QVERIFY(!n.ready());
        QVERIFY(!n.status(QStringLiteral("x")));
        QVERIFY(!n.stopping());
    }

    void relativeNotifySocket_isRejected()
    {
        setEnv("relative/notify");
        SystemdNotifier n;
        QVERIFY(!n.isEnabled());
        QVERIFY(!n.ready());
    }

    void pathSocket_readyStatusStopping_arriveVerbatim()
    {
        NotifyReceiver rx(socketPath());
        QVERIFY(rx.isBound());
        setEnv(socketPath());
        SystemdNotifier n;
        QVERIFY(n.isEnabled());
        QVERIFY(!n.isWatchdogEnabled());
        QVERIFY(n.status(QStringLiteral("队列 3 条\n最早 5 分钟")));
        QVERIFY(n.ready());
        QVERIFY(n.stopping());
        QTRY_COMPARE_WITH_TIMEOUT(rx.payloads().size(), 3, 5000);
        QCOMPARE(rx.payloads(), (QList<QByteArray>{QStringLiteral("STATUS=队列 3 条 最早 5 分钟").toUtf8(),
                                                   "READY=1", "STOPPING=1"}));
    }

    void constructor_removesNotifyVariablesFromEnvironment()
    {
        setEnv(socketPath(), "1000000", QByteArray::number(::getpid()));
        SystemdNotifier n;
        QVERIFY(!qEnvironmentVariableIsSet("NOTIFY_SOCKET"));
        QVERIFY(!qEnvironmentVariableIsSet("WATCHDOG_USEC"));
        QVERIFY(!qEnvironmentVariableIsSet("WATCHDOG_PID"));
        QVERIFY(n.isWatchdogEnabled());
        QCOMPARE(n.watchdogUsec(), 1000000);
    }

    void abstractSocket_readyArrives()
    {
        NotifyReceiver rx(abstractName());
        QVERIFY(rx.isBound());
        setEnv(abstractName());
        SystemdNotifier n;
        QVERIFY(n.ready());
        QTRY_COMPARE_WITH_TIMEOUT(rx.payloads(), QList<QByteArray>{"READY=1"}, 5000);
    }

    void readerGone_sendFailsWithoutBlocking()
    {
        setEnv(socketPath());
        SystemdNotifier n;
        QVERIFY(n.isEnabled());
        QVERIFY(!n.ready()); // nobody bound the path
    }

    void watchdog_shortUsec_pingsAtHalfTheInterval()
    {
        NotifyReceiver rx(socketPath());
        QVERIFY(rx.isBound());
        setEnv(socketPath(), "200000"); // 200 ms: a ping every 100 ms
        SystemdNotifier n;
        QVERIFY(n.isWatchdogEnabled());
        QCOMPARE(n.pingIntervalMs(), 100);
        QSignalSpy pinged(&n, &SystemdNotifier::watchdogPinged);
        QTRY_VERIFY_WITH_TIMEOUT(pinged.count() >= 11, 5000);
        QTRY_VERIFY_WITH_TIMEOUT(rx.pingCount() >= 11, 2000);
        const auto times = rx.pingTimes();
        const auto span = std::chrono::duration_cast<std::chrono::milliseconds>(times.back() - times.front()).count();
        const double meanGap = double(span) / double(times.size() - 1);
        qInfo("mean ping gap %.1f ms over %zu pings (WATCHDOG_USEC 200 ms)", meanGap, times.size());
        QVERIFY2(meanGap >= 80 && meanGap <= 130, qPrintable(QString::number(meanGap)));
        for (size_t i = 1; i < times.size(); ++i)
            QVERIFY(times[i] - times[i - 1] < std::chrono::milliseconds(200)); // never lets systemd fire
    }

    void watchdog_healthCheckFalse_stopsPingsUntilTrueAgain()
    {
        NotifyReceiver rx(socketPath());
        QVERIFY(rx.isBound());
        setEnv(socketPath(), "100000"); // ping every 50 ms
        SystemdNotifier n;
        std::atomic<bool> healthy{true};
        n.setHealthCheck([&] { return healthy.load(); });
        QSignalSpy health(&n, &SystemdNotifier::healthChanged);
        QTRY_VERIFY_WITH_TIMEOUT(rx.pingCount() >= 3, 5000);

        healthy = false;
        QTRY_COMPARE_WITH_TIMEOUT(health.count(), 1, 2000);
        QCOMPARE(health.at(0).at(0).toBool(), false);
        QTest::qWait(50); // a datagram sent just before the flip may still be in flight
        const int before = rx.pingCount();
        QTest::qWait(500); // ten intervals
        QCOMPARE(rx.pingCount(), before);

        healthy = true;
        QTRY_COMPARE_WITH_TIMEOUT(health.count(), 2, 2000);
        QCOMPARE(health.at(1).at(0).toBool(), true);
        QTRY_VERIFY_WITH_TIMEOUT(rx.pingCount() >= before + 3, 2000);
    }

    void watchdog_blockedEventLoop_sendsNoPings()
    {
        NotifyReceiver rx(socketPath());
        QVERIFY(rx.isBound());
        setEnv(socketPath(), "100000");
        SystemdNotifier n;
        QTRY_VERIFY_WITH_TIMEOUT(rx.pingCount() >= 3, 5000);
        QTest::qWait(60); // let the last datagram land before the stall starts
        const auto stallStart = Clock::now();
        QThread::msleep(600); // the GUI thread hangs: no timer can fire
        const auto stallEnd = Clock::now();
        int duringStall = 0;
        for (const auto &t : rx.pingTimes())
            if (t > stallStart + std::chrono::milliseconds(5) && t < stallEnd)
                ++duringStall;
        QCOMPARE(duringStall, 0);
        const int after = rx.pingCount();
        QTRY_VERIFY_WITH_TIMEOUT(rx.pingCount() >= after + 2, 2000); // the loop runs again
    }

    void stopping_endsWatchdogPings()
    {
        NotifyReceiver rx(socketPath());
        QVERIFY(rx.isBound());
        setEnv(socketPath(), "100000");
        SystemdNotifier n;
        QTRY_VERIFY_WITH_TIMEOUT(rx.pingCount() >= 2, 5000);
        QVERIFY(n.stopping());
        QCOMPARE(n.pingIntervalMs(), 0);
        QTRY_VERIFY_WITH_TIMEOUT(rx.payloads().contains("STOPPING=1"), 2000);
        const int count = rx.pingCount();
        QTest::qWait(300); // fixed on purpose: no ping is to arrive after STOPPING=1
        QCOMPARE(rx.pingCount(), count);
    }

    void watchdogPid_otherProcess_disablesPings()
    {
        NotifyReceiver rx(socketPath());
        QVERIFY(rx.isBound());
        setEnv(socketPath(), "100000", "4194305"); // above pid_max: never us, never our parent
        SystemdNotifier n;
        QVERIFY(n.isEnabled());
        QVERIFY(!n.isWatchdogEnabled());
        QTest::qWait(300); // fixed on purpose: no ping is to arrive for another process's watchdog
        QCOMPARE(rx.pingCount(), 0);
        QVERIFY(n.ready()); // plain notifications still work
    }

    void watchdogPid_ownOrParentPid_enablesPings_data()
    {
        QTest::addColumn<QByteArray>("pid");
        QTest::newRow("own pid (kiosk is the main process)") << QByteArray::number(::getpid());
        QTest::newRow("parent pid (kiosk under cage)") << QByteArray::number(::getppid());
    }
    void watchdogPid_ownOrParentPid_enablesPings()
    {
        QFETCH(QByteArray, pid);
        NotifyReceiver rx(socketPath());
        QVERIFY(rx.isBound());
        setEnv(socketPath(), "100000", pid);
        SystemdNotifier n;
        QVERIFY(n.isWatchdogEnabled());
        QTRY_VERIFY_WITH_TIMEOUT(rx.pingCount() >= 2, 5000);
    }

    void watchdogUsec_garbage_disablesPings()
    {
        setEnv(socketPath(), "soon");
        SystemdNotifier n;
        QVERIFY(n.isEnabled());
        QVERIFY(!n.isWatchdogEnabled());
        QCOMPARE(n.pingIntervalMs(), 0);
    }
};

QTEST_GUILESS_MAIN(TestSystemdNotifier)
#include "tst_systemdnotifier.moc"

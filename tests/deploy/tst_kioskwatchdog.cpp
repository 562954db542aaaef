// SPDX-License-Identifier: Apache-2.0
// The real hcp-kiosk (demo data, offscreen) talking to a stand-in notify socket the way it does
// under hcp-kiosk.service: READY=1 once the first frame is on screen, WATCHDOG=1 at half of
// WATCHDOG_USEC with WATCHDOG_PID naming its parent (as cage is under systemd), no pings while
// the process is stopped (SIGSTOP: a hung kiosk), pings again after SIGCONT, STOPPING=1 on a
// clean quit. HCP_KIOSK_BIN in the environment overrides the binary under test.
#include "notifyreceiver.h"

#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <csignal>

using hcp::test::Clock;
using hcp::test::NotifyReceiver;

class TestKioskWatchdog : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void kiosk_readyThenPings_stalledProcessStopsPings_quitSendsStopping()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QByteArray socket = QFile::encodeName(dir.filePath(QStringLiteral("notify")));
        NotifyReceiver rx(socket);
        QVERIFY(rx.isBound());

        QProcess kiosk;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        env.insert(QStringLiteral("NOTIFY_SOCKET"), QString::fromLocal8Bit(socket));
        env.insert(QStringLiteral("WATCHDOG_USEC"), QStringLiteral("400000")); // ping every 200 ms
        env.insert(QStringLiteral("WATCHDOG_PID"), QString::number(::getpid())); // we are its "cage"
        env.insert(QStringLiteral("HOME"), dir.path());
        kiosk.setProcessEnvironment(env);
        kiosk.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        const QString bin = qEnvironmentVariable("HCP_KIOSK_BIN", QStringLiteral(HCP_KIOSK_BIN));
        kiosk.start(bin, {QStringLiteral("--demo"), QStringLiteral("--data-dir"), dir.filePath(QStringLiteral("data")),
                          QStringLiteral("--quit-after"), QStringLiteral("12000")});
        QVERIFY(kiosk.waitForStarted());

        QTRY_VERIFY_WITH_TIMEOUT(rx.payloads().contains("READY=1"), 20000); // QTRY waits 3x this on failure
        QTRY_VERIFY_WITH_TIMEOUT(rx.pingCount() >= 3, 5000);

        ::kill(pid_t(kiosk.processId()), SIGSTOP);
        QThread::msleep(100); // a datagram sent just before the stop may still be in flight
        const int beforeStall = rx.pingCount();
        QThread::msleep(1500); // seven intervals
        const int afterStall = rx.pingCount();
        ::kill(pid_t(kiosk.processId()), SIGCONT);
        QCOMPARE(afterStall, beforeStall);
        QTRY_VERIFY_WITH_TIMEOUT(rx.pingCount() >= afterStall + 3, 5000);

        QVERIFY(kiosk.waitForFinished(30000));
        QCOMPARE(kiosk.exitCode(), 0);
        QTRY_VERIFY_WITH_TIMEOUT(rx.payloads().contains("STOPPING=1"), 2000);
        // READY comes once, before any STOPPING.
        const QList<QByteArray> p = rx.payloads();
        QCOMPARE(p.count("READY=1"), 1);
        QVERIFY(p.indexOf("READY=1") < p.indexOf("STOPPING=1"));
    }
};

QTEST_GUILESS_MAIN(TestKioskWatchdog)
#include "tst_kioskwatchdog.moc"

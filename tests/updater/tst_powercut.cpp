// SPDX-License-Identifier: Apache-2.0
// Power cut during an update, simulated by SIGKILL of the real hcp-update CLI at random
// moments of download / verify / install / switch (and, in a second mode, at random
// microseconds after the new slot's files are complete, to hit the switch itself).
// After every kill, before any recovery runs: `current` points at a complete slot whose
// files all match its signed manifest, holding the old or the new version, never a mix.
// Then recovery (SlotStore::open) agrees with the link, and a re-run finishes the update.
#include "bundlefactory.h"
#include "bundleserver.h"
#include "fsutil.h"
#include "slotstore.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>
#include <QTest>

using namespace hcp::updater;
using namespace hcp::updater::test;
using hcp::trust::Key;
using hcp::trust::KeyType;

class TestPowerCut : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    Key m_key = Key::generate(KeyType::Sm2);
    TrustPolicy m_policy;
    BundleServer m_server;
    QString m_config;
    QString m_v1;
    QString m_v2;
    qint64 m_fullMs = 0;
    qint64 m_switchUs = 0; // from the new slot's marker appearing to the CLI's exit
    QRandomGenerator m_rng{QRandomGenerator::securelySeeded()};

    QString freshRoot(int run)
    {
        const QString root = m_dir.filePath(QStringLiteral("root%1").arg(run));
        QDir(root).removeRecursively();
        SlotStore store(root, m_policy);
        QString error;
        if (!store.open(0, &error) || store.install(m_v1, 0, 3'600'000).isError())
            qFatal("cannot prepare %s: %s", qPrintable(root), qPrintable(error));
        return root;
    }

    QStringList args(const QString &root, bool fromUrl) const
    {
        return {QStringLiteral("install"), QStringLiteral("--config"), m_config,
                QStringLiteral("--root"), root,
                fromUrl ? m_server.url(QStringLiteral("v2")).toString() : m_v2};
    }

    // Runs the CLI to its end while serving HTTP; returns the exit code.
    int runToEnd(const QString &root, bool fromUrl, qint64 *elapsedMs = nullptr)
    {
        QProcess p;
        QSignalSpy finished(&p, &QProcess::finished);
        QElapsedTimer t;
        t.start();
        p.start(QStringLiteral(HCP_UPDATE_BIN), args(root, fromUrl));
        if (!QTest::qWaitFor([&] { return finished.size() == 1; }, 30000))
            return -1;
        if (elapsedMs)
            *elapsedMs = t.elapsed();
        if (p.exitCode() != 0)
            qWarning() << p.readAllStandardError();
        return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
    }

    // The invariant, checked on the raw filesystem before anything repairs it.
    QString checkCurrentIsCompleteSlot(const QString &root)
    {
        const QString link = FsUtil::readLink(root + QStringLiteral("/current"));
        if (link != u"slots/a" && link != u"slots/b")
            return QStringLiteral("current -> '%1'").arg(link);
        const SlotStore probe(root, m_policy); // not opened: no recovery has run
        UpdateError e;
        const auto m = probe.verifySlot(link.right(1), &e);
        if (!m)
            return QStringLiteral("current slot %1 does not verify: %2").arg(link, e.message);
        const QByteArray version = readFile(root + QStringLiteral("/current/VERSION"));
        if (version != m->version.toUtf8() || (version != "1.0.0" && version != "1.1.0"))
            return QStringLiteral("current holds '%1', manifest says %2").arg(QString::fromUtf8(version), m->version);
        return m->version;
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
        QVERIFY(QFileInfo(QStringLiteral(HCP_UPDATE_BIN)).isExecutable());
        m_policy.deviceClass = QStringLiteral("hcp-kiosk-test");
        m_policy.releaseKeys = {m_key.publicOnly()};
        m_v1 = m_dir.filePath(QStringLiteral("v1.bundle"));
        m_v2 = m_dir.filePath(QStringLiteral("v2.bundle"));
        QVERIFY(writeFile(m_v1, makeBundle({"1.0.0", "hcp-kiosk-test", false, sampleFiles("1.0.0", 10, 8 * 1024)}, m_key)));
        const QByteArray v2 = makeBundle({"1.1.0", "hcp-kiosk-test", false, sampleFiles("1.1.0", 30, 16 * 1024)}, m_key);
        QVERIFY(writeFile(m_v2, v2));
        m_server.files.insert(QStringLiteral("v2"), v2);
        QVERIFY(m_server.start() != 0);
        m_config = m_dir.filePath(QStringLiteral("update.json"));
        const QJsonObject config{
            {"deviceClass", "hcp-kiosk-test"},
            {"releaseKeys", QJsonArray{QString::fromLatin1(m_key.publicPem())}},
            {"trialSeconds", 3600},
            {"retryInitialMs", 10},
            {"retryMaxMs", 50},
        };
        QVERIFY(writeFile(m_config, QJsonDocument(config).toJson()));

        // Calibrate: one uninterrupted install from the URL.
        const QString root = freshRoot(0);
        QCOMPARE(runToEnd(root, true, &m_fullMs), 0);
        QCOMPARE(checkCurrentIsCompleteSlot(root), QStringLiteral("1.1.0"));
        qInfo() << "uninterrupted download+install+switch takes" << m_fullMs << "ms";

        // Calibrate the switch window: marker of the new slot visible → process gone.
        const QString root2 = freshRoot(0);
        QProcess p;
        p.start(QStringLiteral(HCP_UPDATE_BIN), args(root2, false));
        QVERIFY(p.waitForStarted());
        const QString marker = root2 + QStringLiteral("/slots/b/") + QLatin1String(SlotStore::kMarkerName);
        QElapsedTimer t;
        t.start();
        while (!QFileInfo::exists(marker) && t.elapsed() < 20000)
            QThread::usleep(20);
        t.restart();
        QVERIFY(p.waitForFinished(20000));
        m_switchUs = qMax<qint64>(t.nsecsElapsed() / 1000, 100);
        QCOMPARE(p.exitCode(), 0);
        qInfo() << "switch window (slot complete → exit) about" << m_switchUs << "us";
    }

    void sigkillAtRandomPoints_currentAlwaysCompleteOldOrNew()
    {
        constexpr int kRandomRuns = 30; // kill anywhere in the process's life
        constexpr int kSwitchRuns = 25; // kill inside the switch window
        int old = 0, fresh = 0, notKilled = 0, midSwitch = 0;
        for (int run = 1; run <= kRandomRuns + kSwitchRuns; ++run) {
            const bool switchMode = run > kRandomRuns;
            const bool fromUrl = !switchMode && run % 2 == 0;
            const QString root = freshRoot(run);
            QProcess p;
            QSignalSpy finished(&p, &QProcess::finished);
            p.start(QStringLiteral(HCP_UPDATE_BIN), args(root, fromUrl));
            QVERIFY(p.waitForStarted());
            if (!switchMode) {
                const int delay = int(m_rng.bounded(quint32(m_fullMs + 1)));
                QTimer::singleShot(delay, &p, [&p] { p.kill(); });
            } else {
                // Spin until the new slot is complete (marker visible), then kill at a uniform
                // random point of the calibrated switch window.
                const QString marker = root + QStringLiteral("/slots/b/") + QLatin1String(SlotStore::kMarkerName);
                QElapsedTimer t;
                t.start();
                while (!QFileInfo::exists(marker) && p.state() == QProcess::Running && t.elapsed() < 20000)
                    QThread::usleep(20);
                // Alternate the full window and its first half (where the renames are).
                const qint64 waitUs = m_rng.bounded(quint32(run % 2 ? m_switchUs : m_switchUs / 2));
                QElapsedTimer w;
                w.start();
                while (w.nsecsElapsed() / 1000 < waitUs) {
                }
                p.kill();
            }
            QVERIFY(QTest::qWaitFor([&] { return finished.size() == 1; }, 30000));
            if (p.exitStatus() == QProcess::NormalExit)
                ++notKilled;

            const QString version = checkCurrentIsCompleteSlot(root);
            QVERIFY2(version == u"1.0.0" || version == u"1.1.0",
                     qPrintable(QStringLiteral("run %1: %2").arg(run).arg(version)));
            (version == u"1.0.0" ? old : fresh)++;
            const QJsonObject rawState =
                QJsonDocument::fromJson(readFile(root + QStringLiteral("/state.json"))).object();
            if (rawState.value("phase").toString() == u"switching")
                ++midSwitch;

            SlotStore store(root, m_policy);
            QString error;
            QVERIFY2(store.open(1, &error), qPrintable(error));
            QCOMPARE(store.currentSlot(), FsUtil::readLink(root + "/current").right(1));
            QCOMPARE(store.state().slot, store.currentSlot());
            QCOMPARE(store.state().version, version);
            QVERIFY(!QFileInfo::exists(root + "/slots/.staging"));
            QVERIFY(!QFileInfo::exists(root + "/current.tmp"));

            // The update is finished by a re-run (the download resumes from its .part file).
            const int rc = runToEnd(root, fromUrl);
            QCOMPARE(rc, version == u"1.0.0" ? 0 : 2); // 2: "busy", the new one is in trial already
            QCOMPARE(checkCurrentIsCompleteSlot(root), QStringLiteral("1.1.0"));
            QDir(root).removeRecursively();
        }
        qInfo() << "kills leaving 1.0.0:" << old << "leaving 1.1.0:" << fresh
                << "(state still \"switching\":" << midSwitch << ") finished before the kill:"
                << notKilled;
        QVERIFY(old > 0);
        QVERIFY(fresh > 0);
    }

    void concurrentCli_waitsUntilTheLockHolderIsDone()
    {
        const QString root = freshRoot(1000);
        const int fd = ::open(QFile::encodeName(root + "/.lock").constData(), O_RDWR | O_CLOEXEC);
        QVERIFY(fd >= 0);
        QCOMPARE(::flock(fd, LOCK_EX), 0); // as if the kiosk's agent were mid-operation
        QProcess p;
        p.start(QStringLiteral(HCP_UPDATE_BIN), args(root, false));
        QVERIFY(p.waitForStarted());
        QVERIFY(!p.waitForFinished(700)); // blocked on the lock, not installing
        QVERIFY(!QFileInfo::exists(root + "/slots/b"));
        QVERIFY(!QFileInfo::exists(root + "/slots/.staging"));
        ::close(fd);
        QVERIFY(p.waitForFinished(20000));
        QCOMPARE(p.exitCode(), 0);
        QCOMPARE(checkCurrentIsCompleteSlot(root), QStringLiteral("1.1.0"));
    }
};

QTEST_GUILESS_MAIN(TestPowerCut)
#include "tst_powercut.moc"

// SPDX-License-Identifier: Apache-2.0
// The A/B lifecycle through UpdateAgent and SlotStore: install → switch → trial → commit,
// automatic rollback on a missed deadline and on a crash loop, manual rollback, recovery of
// interrupted switches, and the status JSON the heartbeat carries.
#include "bundlefactory.h"
#include "fsutil.h"
#include "updateagent.h"

#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace hcp::updater;
using namespace hcp::updater::test;
using hcp::trust::Key;
using hcp::trust::KeyType;
using Code = UpdateError::Code;

class TestSlots : public QObject
{
    Q_OBJECT
private:
    std::unique_ptr<QTemporaryDir> m_dir;
    Key m_key = Key::generate(KeyType::Sm2);
    UpdateConfig m_config;
    qint64 m_now = 1'795'900'000'000;

    QString bundle(const QString &version, bool rollback = false)
    {
        const QString path = m_dir->filePath(version + QStringLiteral(".bundle"));
        writeFile(path, makeBundle({version, m_config.policy.deviceClass, rollback, sampleFiles(version)},
                                   m_key));
        return path;
    }

    std::unique_ptr<UpdateAgent> agent()
    {
        auto a = std::make_unique<UpdateAgent>(m_config);
        a->setClock([this] { return m_now; });
        QString error;
        if (!a->open(&error))
            qWarning() << error;
        return a;
    }

    QByteArray runningVersion() const
    {
        return readFile(m_config.root + QStringLiteral("/current/VERSION"));
    }

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_config = {};
        m_config.root = m_dir->filePath(QStringLiteral("update"));
        m_config.policy.deviceClass = QStringLiteral("hcp-kiosk-test");
        m_config.policy.releaseKeys = {m_key.publicOnly()};
        m_config.trialSeconds = 300;
        m_config.maxTrialBoots = 3;
        auto a = agent();
        QVERIFY(!a->installFile(bundle(QStringLiteral("1.0.0"))).isError());
        QCOMPARE(a->store().state().phase, QStringLiteral("committed"));
        QCOMPARE(runningVersion(), QByteArray("1.0.0"));
    }

    void install_good_switchesIntoTrialThenCommitsWhenHealthy()
    {
        auto a = agent();
        QSignalSpy installed(a.get(), &UpdateAgent::installed);
        QSignalSpy restart(a.get(), &UpdateAgent::restartRequested);
        QSignalSpy committed(a.get(), &UpdateAgent::committed);
        QVERIFY(!a->installFile(bundle(QStringLiteral("1.1.0"))).isError());
        QCOMPARE(installed.size(), 1);
        QCOMPARE(restart.size(), 1);
        QCOMPARE(runningVersion(), QByteArray("1.1.0"));
        QCOMPARE(FsUtil::readLink(m_config.root + "/current"), QStringLiteral("slots/b"));
        QCOMPARE(FsUtil::readLink(m_config.root + "/previous"), QStringLiteral("slots/a"));
        QVERIFY(QFileInfo(m_config.root + "/current/bin/hcp-kiosk").isExecutable());
        QVERIFY(!QFileInfo(m_config.root + "/current/VERSION").isExecutable());
        QJsonObject st = a->status();
        QCOMPARE(st.value("phase").toString(), QStringLiteral("trial"));
        QCOMPARE(st.value("version").toString(), QStringLiteral("1.1.0"));
        QCOMPARE(st.value("previousVersion").toString(), QStringLiteral("1.0.0"));
        QCOMPARE(qint64(st.value("trialDeadlineMs").toDouble()), m_now + 300'000);

        // A restart of the app (new process) during the trial, then READY + first sync.
        a.reset();
        a = agent();
        QSignalSpy committed2(a.get(), &UpdateAgent::committed);
        QVERIFY(!a->boot());
        QCOMPARE(a->status().value("bootCount").toInt(), 1);
        a->markHealthy();
        QCOMPARE(committed2.size(), 1);
        st = a->status();
        QCOMPARE(st.value("phase").toString(), QStringLiteral("committed"));
        QCOMPARE(st.value("floor").toString(), QStringLiteral("1.1.0"));
        QCOMPARE(st.value("lastResult").toObject().value("result").toString(),
                 QStringLiteral("committed"));
        // Far past the old deadline nothing happens any more.
        m_now += 3'600'000;
        QVERIFY(!a->boot());
        QCOMPARE(runningVersion(), QByteArray("1.1.0"));

        // The next update reuses slot a (the old previous) and keeps the floor.
        QCOMPARE(a->installFile(bundle(QStringLiteral("1.0.0"))).code, Code::Downgrade);
        QVERIFY(!a->installFile(bundle(QStringLiteral("1.2.0"))).isError());
        QCOMPARE(FsUtil::readLink(m_config.root + "/current"), QStringLiteral("slots/a"));
        QCOMPARE(runningVersion(), QByteArray("1.2.0"));
        QCOMPARE(a->store().state().previousVersion, QStringLiteral("1.1.0"));
        UpdateError e;
        QVERIFY2(a->store().verifySlot("a", &e), qPrintable(e.message));
        QVERIFY2(a->store().verifySlot("b", &e), qPrintable(e.message));
    }

    void trial_deadlinePasses_rollsBackAutomaticallyAndReports()
    {
        m_config.trialSeconds = 1;
        auto a = agent();
        QVERIFY(!a->installFile(bundle(QStringLiteral("1.1.0"))).isError());
        QSignalSpy rolled(a.get(), &UpdateAgent::rolledBack);
        QSignalSpy restart(a.get(), &UpdateAgent::restartRequested);
        // The agent's own timer fires at the deadline; the clock says the deadline is past.
        m_now += 1'001;
        QTRY_COMPARE_WITH_TIMEOUT(rolled.size(), 1, 5000);
        QCOMPARE(rolled.at(0).at(0).toString(), QStringLiteral("1.1.0"));
        QCOMPARE(restart.size(), 1);
        QCOMPARE(runningVersion(), QByteArray("1.0.0"));
        const QJsonObject last = a->status().value("lastResult").toObject();
        QCOMPARE(last.value("result").toString(), QStringLiteral("rolledBack"));
        QVERIFY2(last.value("reason").toString().startsWith("rolled back from 1.1.0: not healthy"),
                 qPrintable(last.value("reason").toString()));
        QCOMPARE(a->status().value("phase").toString(), QStringLiteral("committed"));
        QVERIFY(!QFileInfo::exists(m_config.root + "/previous"));
        // A late healthy report from the dead version changes nothing.
        a->markHealthy();
        QCOMPARE(runningVersion(), QByteArray("1.0.0"));
        // The same version may be offered again (it was never committed).
        QVERIFY(!a->installFile(bundle(QStringLiteral("1.1.0"))).isError());
    }

    void trial_deadlinePassedWhilePoweredOff_rollsBackAtBoot()
    {
        {
            auto a = agent();
            QVERIFY(!a->installFile(bundle(QStringLiteral("1.1.0"))).isError());
        }
        m_now += 301'000;
        auto a = agent();
        QSignalSpy rolled(a.get(), &UpdateAgent::rolledBack);
        QVERIFY(a->boot());
        QCOMPARE(rolled.size(), 1);
        QCOMPARE(runningVersion(), QByteArray("1.0.0"));
    }

    void trial_crashLoop_rollsBackAfterMaxBoots()
    {
        {
            auto a = agent();
            QVERIFY(!a->installFile(bundle(QStringLiteral("1.1.0"))).isError());
        }
        // Each process start counts; the app dies before it is healthy.
        for (int i = 1; i <= m_config.maxTrialBoots; ++i) {
            auto a = agent();
            QVERIFY(!a->boot());
            QCOMPARE(a->status().value("bootCount").toInt(), i);
            QCOMPARE(runningVersion(), QByteArray("1.1.0"));
        }
        auto a = agent();
        QVERIFY(a->boot());
        QCOMPARE(runningVersion(), QByteArray("1.0.0"));
        const QString reason = a->status().value("lastResult").toObject().value("reason").toString();
        QVERIFY2(reason.startsWith("rolled back from 1.1.0: crash loop: 4 starts"), qPrintable(reason));
    }

    void trial_installAnother_isBusy()
    {
        auto a = agent();
        QVERIFY(!a->installFile(bundle(QStringLiteral("1.1.0"))).isError());
        QCOMPARE(a->installFile(bundle(QStringLiteral("1.2.0"))).code, Code::Busy);
    }

    void rollback_manual_returnsToPreviousAndRefusesTamperedPrevious()
    {
        auto a = agent();
        QVERIFY(!a->installFile(bundle(QStringLiteral("1.1.0"))).isError());
        a->markHealthy();
        // Tamper with the previous slot: a rollback must not switch to it.
        QVERIFY(writeFile(m_config.root + "/slots/a/VERSION", "6.6.6"));
        QCOMPARE(a->rollback("operator").code, Code::NoPrevious);
        QCOMPARE(runningVersion(), QByteArray("1.1.0"));
        QVERIFY(writeFile(m_config.root + "/slots/a/VERSION", "1.0.0"));
        QVERIFY(!a->rollback("operator").isError());
        QCOMPARE(runningVersion(), QByteArray("1.0.0"));
        QCOMPARE(a->status().value("lastResult").toObject().value("reason").toString(),
                 QStringLiteral("rolled back from 1.1.0: operator"));
        QCOMPARE(a->rollback("again").code, Code::NoPrevious);
    }

    void open_rollbackCutAfterLinkSwitch_isCompleted()
    {
        {
            auto a = agent();
            QVERIFY(!a->installFile(bundle(QStringLiteral("1.1.0"))).isError());
        }
        // As if power failed right after the rollback's symlink rename.
        QString error;
        QVERIFY(FsUtil::replaceSymlink(m_config.root + "/current", "slots/a", &error));
        auto a = agent();
        QCOMPARE(a->store().state().version, QStringLiteral("1.0.0"));
        QCOMPARE(a->store().state().phase, QStringLiteral("committed"));
        QCOMPARE(a->status().value("lastResult").toObject().value("result").toString(),
                 QStringLiteral("rolledBack"));
    }

    void open_lostStateFile_isRebuiltFromVerifiedSlot()
    {
        QVERIFY(QFile::remove(m_config.root + "/state.json"));
        auto a = agent();
        QCOMPARE(a->store().state().version, QStringLiteral("1.0.0"));
        QCOMPARE(a->store().state().phase, QStringLiteral("committed"));
        QCOMPARE(a->installFile(bundle(QStringLiteral("0.5.0"))).code, Code::Downgrade);
    }

    void status_isHeartbeatReady()
    {
        auto a = agent();
        const QJsonObject st = a->status();
        for (const char *key : {"phase", "slot", "version", "floor", "previousVersion", "lastResult"})
            QVERIFY2(st.contains(QLatin1String(key)), key);
    }
};

QTEST_GUILESS_MAIN(TestSlots)
#include "tst_slots.moc"

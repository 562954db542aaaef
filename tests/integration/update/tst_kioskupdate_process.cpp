// SPDX-License-Identifier: Apache-2.0
// The whole remote-update path with real processes: the real hcp-hub (heartbeats every second),
// the real hcp-kiosk started the way the unit starts it (deploy/launcher/hcp-kiosk-launch, with
// the real hcp-update counting trial boots) on an A/B layout in a temporary directory, and a
// bundle server with HTTP Range. This test plays systemd: when the kiosk exits it starts the
// launcher again.
//   1. admin command "update" 1.1.0 → heartbeat delivers it → download → verify → install into
//      slot b → switch → the kiosk exits → restart runs slot b → READY + first heartbeat →
//      committed (healthy), reported in the heartbeat.
//   2. "update" 1.2.0 with deadlineS 4 → installed → the hub goes away → the restarted kiosk never
//      syncs → rolled back to 1.1.0 at the deadline → the next start runs slot b again.
// The slots hold a small bin/hcp-kiosk that execs the build's real kiosk binary, so what runs is
// the real application; the slot's signed manifest says which version it is.
#include "bundlefactory.h"
#include "bundleserver.h"
#include "hubprocess.h"

#include "updateagent.h"

#include <QJsonDocument>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace hcp::updater;
using namespace hcp::updater::test;
using namespace hcp::sync::test;

class TestKioskUpdateProcess : public QObject
{
    Q_OBJECT
    hcp::trust::Key m_key = hcp::trust::Key::generate(hcp::trust::KeyType::Sm2);
    QTemporaryDir m_dir;
    BundleServer m_server;
    HubProcess m_hub;
    std::unique_ptr<QProcess> m_kiosk;
    int m_starts = 0;

    QString path(const QString &name) const { return m_dir.filePath(name); }
    QString root() const { return path(QStringLiteral("update")); }

    QByteArray bundle(const QString &version)
    {
        QList<FakeFile> files;
        files.append({QStringLiteral("bin/hcp-kiosk"),
                      QByteArray("#!/bin/sh\nexec '") + HCP_KIOSK_BIN + "' \"$@\"\n", true});
        files.append({QStringLiteral("VERSION"), version.toUtf8()});
        return makeBundle({version, QStringLiteral("hcp-kiosk-test"), false, files}, m_key);
    }
    QJsonObject state() const
    {
        return QJsonDocument::fromJson(readFile(root() + QStringLiteral("/state.json"))).object();
    }
    QString lastResult() const { return state().value(QLatin1String("lastResult")).toObject().value(QLatin1String("result")).toString(); }

    // systemd's part: start the unit's ExecStart payload (without cage).
    void startKiosk()
    {
        m_kiosk = std::make_unique<QProcess>();
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        env.insert(QStringLiteral("HOME"), m_dir.path());
        env.insert(QStringLiteral("HCP_UPDATE_CONFIG"), path(QStringLiteral("update.json")));
        env.insert(QStringLiteral("HCP_UPDATE_ROOT"), root());
        env.insert(QStringLiteral("HCP_UPDATE_BIN"), QStringLiteral(HCP_UPDATE_BIN));
        env.insert(QStringLiteral("HCP_KIOSK_BIN"), QStringLiteral(HCP_KIOSK_BIN));
        env.remove(QStringLiteral("NOTIFY_SOCKET"));
        m_kiosk->setProcessEnvironment(env);
        m_kiosk->setProcessChannelMode(QProcess::MergedChannels);
        m_kiosk->start(QStringLiteral(HCP_LAUNCHER), {QStringLiteral("--data-dir"), path(QStringLiteral("data"))});
        ++m_starts;
        QVERIFY(m_kiosk->waitForStarted(10000));
    }
    // Waits for the kiosk to exit on its own (it restarts itself after a slot switch).
    bool waitForExit(int ms)
    {
        // qWaitFor serves the bundle server's sockets meanwhile.
        return QTest::qWaitFor([this] { return m_kiosk->state() == QProcess::NotRunning; }, ms);
    }
    void stopKiosk()
    {
        if (m_kiosk && m_kiosk->state() != QProcess::NotRunning) {
            m_kiosk->terminate();
            if (!m_kiosk->waitForFinished(15000))
                m_kiosk->kill();
        }
    }
    qint64 heartbeatsSeen()
    {
        const QJsonArray devices = adminGet(m_hub.url(), QStringLiteral("/v1/admin/devices")).value(QLatin1String("devices")).toArray();
        return devices.isEmpty() ? 0 : devices.at(0).toObject().value(QLatin1String("lastHeartbeatAtMs")).toInteger();
    }
    QJsonObject command(const QString &version, int deadlineS)
    {
        const QString name = QStringLiteral("kiosk-%1.bundle").arg(version);
        const QByteArray bytes = m_server.files.value(name);
        return {{QStringLiteral("type"), QStringLiteral("update")},
                {QStringLiteral("args"), QJsonObject{{QStringLiteral("version"), version},
                                                     {QStringLiteral("url"), m_server.url(name).toString()},
                                                     {QStringLiteral("size"), double(bytes.size())},
                                                     {QStringLiteral("sha256"), QString::fromLatin1(hcp::trust::Crypto::sha256(bytes).toHex())},
                                                     {QStringLiteral("deadlineS"), deadlineS}}}};
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
        QVERIFY(m_server.start() != 0);
        QVERIFY2(m_hub.start(path(QStringLiteral("hub.sqlite")), 0, {QStringLiteral("--heartbeat-interval"), QStringLiteral("1")}),
                 qPrintable(m_hub.output()));
        const hcp::sync::DeviceCredentials creds = enroll(m_hub.url(), QStringLiteral("KIOSK-UPDATE-0001"));
        QVERIFY(creds.isValid());
        QCOMPARE(creds.heartbeatIntervalS, 1);
        QVERIFY(QDir().mkpath(path(QStringLiteral("data"))));
        QString error;
        QVERIFY2(creds.save(path(QStringLiteral("data/credentials.json")), &error), qPrintable(error));
        const QJsonObject config{{QStringLiteral("root"), root()},
                                 {QStringLiteral("deviceClass"), QStringLiteral("hcp-kiosk-test")},
                                 {QStringLiteral("releaseKeys"), QJsonArray{QString::fromLatin1(m_key.publicPem())}},
                                 {QStringLiteral("trialSeconds"), 300},
                                 {QStringLiteral("maxTrialBoots"), 3},
                                 {QStringLiteral("retryInitialMs"), 100},
                                 {QStringLiteral("retryMaxMs"), 500}};
        QVERIFY(writeFile(path(QStringLiteral("update.json")), QJsonDocument(config).toJson()));
        // The factory image: 1.0.0 in slot a.
        const auto updateConfig = UpdateConfig::load(path(QStringLiteral("update.json")), &error);
        QVERIFY2(updateConfig, qPrintable(error));
        UpdateAgent agent(*updateConfig);
        QVERIFY(agent.open(&error));
        QVERIFY(writeFile(path(QStringLiteral("1.0.0.bundle")), bundle(QStringLiteral("1.0.0"))));
        QVERIFY(!agent.installFile(path(QStringLiteral("1.0.0.bundle"))).isError());
        m_server.files.insert(QStringLiteral("kiosk-1.1.0.bundle"), bundle(QStringLiteral("1.1.0")));
        m_server.files.insert(QStringLiteral("kiosk-1.2.0.bundle"), bundle(QStringLiteral("1.2.0")));
    }
    void cleanupTestCase() { stopKiosk(); }

    void updateCommand_installRestartHealthy_thenNeverSyncingVersionRolledBack()
    {
        startKiosk();
        QTRY_VERIFY_WITH_TIMEOUT(heartbeatsSeen() > 0, 40000);
        QCOMPARE(state().value(QLatin1String("version")).toString(), QStringLiteral("1.0.0"));

        // 1. Update to 1.1.0: the kiosk installs it and exits to be restarted into slot b.
        m_server.cutAfter = 8; // the link drops once mid-download: resumed with Range
        m_server.cutsLeft = 1;
        QCOMPARE(adminSend(m_hub.url(), "POST", QStringLiteral("/v1/admin/devices/KIOSK-UPDATE-0001/commands"),
                           command(QStringLiteral("1.1.0"), 300)), 201);
        QVERIFY2(waitForExit(60000), "the kiosk did not restart itself after installing");
        QCOMPARE(m_kiosk->exitCode(), 0);
        QCOMPARE(state().value(QLatin1String("phase")).toString(), QStringLiteral("trial"));
        QCOMPARE(state().value(QLatin1String("version")).toString(), QStringLiteral("1.1.0"));
        QVERIFY(m_server.rangeHeaders.size() >= 2);
        QVERIFY(m_server.rangeHeaders.last().startsWith("bytes="));

        startKiosk(); // systemd: Restart=always
        QTRY_COMPARE_WITH_TIMEOUT(state().value(QLatin1String("phase")).toString(), QStringLiteral("committed"), 40000);
        QCOMPARE(state().value(QLatin1String("version")).toString(), QStringLiteral("1.1.0"));
        QCOMPARE(state().value(QLatin1String("floor")).toString(), QStringLiteral("1.1.0"));
        QCOMPARE(lastResult(), QStringLiteral("committed"));
        QVERIFY(m_kiosk->state() == QProcess::Running); // healthy: it keeps running

        // 2. Update to 1.2.0 that will never get its first sync.
        QCOMPARE(adminSend(m_hub.url(), "POST", QStringLiteral("/v1/admin/devices/KIOSK-UPDATE-0001/commands"),
                           command(QStringLiteral("1.2.0"), 4)), 201);
        QVERIFY2(waitForExit(60000), "the kiosk did not restart itself after installing 1.2.0");
        QCOMPARE(state().value(QLatin1String("version")).toString(), QStringLiteral("1.2.0"));
        m_hub.kill(); // the village link is gone
        startKiosk();
        // The agent's deadline timer (or, if it passed already, hcp-update boot in the launcher)
        // rolls back; the kiosk exits to run the previous slot.
        QTRY_COMPARE_WITH_TIMEOUT(lastResult(), QStringLiteral("rolledBack"), 30000);
        QCOMPARE(state().value(QLatin1String("version")).toString(), QStringLiteral("1.1.0"));
        QVERIFY2(state().value(QLatin1String("lastResult")).toObject().value(QLatin1String("reason")).toString().contains(QLatin1String("not healthy")),
                 qPrintable(QJsonDocument(state()).toJson()));
        QVERIFY(QFileInfo(root() + QStringLiteral("/current")).symLinkTarget().endsWith(QLatin1String("slots/b")));
        QVERIFY2(waitForExit(20000) || m_kiosk->state() == QProcess::Running, "kiosk hung");
        stopKiosk();
        startKiosk(); // the previous version runs and stays up
        // Fixed on purpose: "stays up" is watched for three seconds; a crash loop would show in one.
        QTest::qWait(3000);
        QCOMPARE(m_kiosk->state(), QProcess::Running);
        QCOMPARE(state().value(QLatin1String("version")).toString(), QStringLiteral("1.1.0"));
        stopKiosk();
        qInfo() << "kiosk starts:" << m_starts << "bundle bytes served:" << m_server.bodyBytesSent;
    }
};

QTEST_GUILESS_MAIN(TestKioskUpdateProcess)
#include "tst_kioskupdate_process.moc"

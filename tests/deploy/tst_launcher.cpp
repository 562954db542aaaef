// SPDX-License-Identifier: Apache-2.0
// hcp-kiosk-launch (the unit's ExecStart under cage) with the real hcp-update on an A/B layout in
// a temporary directory: without an update configuration it runs the packaged kiosk; with one it
// counts the start (hcp-update boot) and execs the current slot's kiosk with --update-config and
// HCP_UPDATE_BOOT_COUNTED=1; a new version in its trial that keeps being restarted without a
// healthy report is rolled back by the launcher and the previous slot runs.
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

class TestLauncher : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;

    QString path(const QString &name) const { return m_dir.filePath(name); }
    static bool writeExecutable(const QString &file, const QByteArray &text)
    {
        QFile f(file);
        return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(text) == text.size()
            && f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    }
    // A kiosk stand-in that says which build it is and what it was given.
    static QByteArray fakeKiosk(const QByteArray &name)
    {
        return "#!/bin/sh\necho \"" + name + " counted=${HCP_UPDATE_BOOT_COUNTED:-0} args=$*\"\n";
    }
    int update(const QStringList &args)
    {
        QProcess p;
        p.start(QStringLiteral(HCP_UPDATE_BIN), args);
        if (!p.waitForFinished(30000) || p.exitStatus() != QProcess::NormalExit)
            return -1;
        return p.exitCode();
    }
    QByteArray launch(bool withConfig)
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("HCP_UPDATE_CONFIG"), withConfig ? path(QStringLiteral("update.json")) : path(QStringLiteral("none.json")));
        env.insert(QStringLiteral("HCP_UPDATE_ROOT"), path(QStringLiteral("root")));
        env.insert(QStringLiteral("HCP_UPDATE_BIN"), QStringLiteral(HCP_UPDATE_BIN));
        env.insert(QStringLiteral("HCP_KIOSK_BIN"), path(QStringLiteral("packaged-kiosk")));
        env.remove(QStringLiteral("HCP_UPDATE_BOOT_COUNTED"));
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(HCP_LAUNCHER), {QStringLiteral("--data-dir"), QStringLiteral("/var/lib/hcp-kiosk")});
        if (!p.waitForFinished(30000))
            return "(hung)";
        return p.readAllStandardOutput().trimmed();
    }
    void build(const QString &version)
    {
        const QString tree = path(QStringLiteral("tree-") + version);
        QVERIFY(QDir().mkpath(tree + QStringLiteral("/bin")));
        QVERIFY(writeExecutable(tree + QStringLiteral("/bin/hcp-kiosk"), fakeKiosk("slot-" + version.toUtf8())));
        QCOMPARE(update({QStringLiteral("build"), QStringLiteral("--key"), path(QStringLiteral("release.pem")),
                         QStringLiteral("--version"), version, QStringLiteral("--device-class"), QStringLiteral("hcp-kiosk-test"),
                         tree, path(version + QStringLiteral(".bundle"))}), 0);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(writeExecutable(path(QStringLiteral("packaged-kiosk")), fakeKiosk("packaged")));
        QCOMPARE(update({QStringLiteral("keygen"), path(QStringLiteral("release.pem"))}), 0);
        const QJsonObject config{{QStringLiteral("root"), path(QStringLiteral("root"))},
                                 {QStringLiteral("deviceClass"), QStringLiteral("hcp-kiosk-test")},
                                 {QStringLiteral("releaseKeyFiles"), QJsonArray{QStringLiteral("release.pub")}},
                                 {QStringLiteral("trialSeconds"), 600},
                                 {QStringLiteral("maxTrialBoots"), 2}};
        QFile f(path(QStringLiteral("update.json")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QJsonDocument(config).toJson());
    }

    void noUpdateConfiguration_runsPackagedKiosk()
    {
        QCOMPARE(launch(false), QByteArray("packaged counted=0 args=--data-dir /var/lib/hcp-kiosk"));
    }

    void configuredButNothingInstalled_runsPackagedKioskWithUpdateConfig()
    {
        const QByteArray out = launch(true);
        QVERIFY2(out.startsWith("packaged counted=1 args=--update-config " + path(QStringLiteral("update.json")).toUtf8()), out);
    }

    void installedSlot_runsCurrentSlot_trialCrashLoop_rolledBackByLauncher()
    {
        build(QStringLiteral("1.0.0"));
        build(QStringLiteral("1.1.0"));
        const QString conf = path(QStringLiteral("update.json"));
        QCOMPARE(update({QStringLiteral("install"), QStringLiteral("--config"), conf, path(QStringLiteral("1.0.0.bundle"))}), 0);
        QByteArray out = launch(true);
        QVERIFY2(out.startsWith("slot-1.0.0 counted=1 args=--update-config"), out);
        QVERIFY2(out.endsWith("--data-dir /var/lib/hcp-kiosk"), out);

        // 1.1.0 installed into the other slot: a trial. Each start is counted by the launcher; the
        // stand-in never reports healthy, so after maxTrialBoots (2) the next start rolls back.
        QCOMPARE(update({QStringLiteral("install"), QStringLiteral("--config"), conf, path(QStringLiteral("1.1.0.bundle"))}), 0);
        QVERIFY2(launch(true).startsWith("slot-1.1.0 counted=1"), "first trial start");
        QVERIFY2(launch(true).startsWith("slot-1.1.0 counted=1"), "second trial start");
        out = launch(true);
        QVERIFY2(out.startsWith("slot-1.0.0 counted=1"), out);
        QVERIFY(QFileInfo(path(QStringLiteral("root/current"))).symLinkTarget().endsWith(QLatin1String("slots/a")));
    }
};

QTEST_GUILESS_MAIN(TestLauncher)
#include "tst_launcher.moc"

// SPDX-License-Identifier: Apache-2.0
// The two Debian packages: runs cpack on this build tree into a scratch directory, then reads
// both .deb files with dpkg-deb (contents, control fields, maintainer scripts), runs the
// maintainer scripts against a scratch $DPKG_ROOT with logging stand-ins for systemctl & co., and
// (with systemd-analyze) verifies the units as unpacked from the packages, next to the real
// binaries they start.
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

namespace {

struct Run {
    int exitCode = -1;
    QString out;
    QString err;
};

Run run(const QString &program, const QStringList &args, int timeoutMs = 120000,
        const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment())
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(program, args);
    Run r;
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        r.err = QStringLiteral("timed out: ") + program;
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

// Paths from `dpkg-deb -c` (last column, leading "." removed; directories end with '/').
QSet<QString> contents(const QString &deb)
{
    QSet<QString> out;
    const Run r = run(QStringLiteral("dpkg-deb"), {QStringLiteral("-c"), deb});
    for (const QString &line : r.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
        QString path = line.section(QLatin1Char(' '), -1);
        if (line.contains(QLatin1String(" -> ")))
            path = line.section(QLatin1String(" -> "), 0, 0).section(QLatin1Char(' '), -1);
        if (path.startsWith(QLatin1Char('.')))
            path.remove(0, 1);
        if (!path.endsWith(QLatin1Char('/')))
            out.insert(path);
    }
    return out;
}

QString field(const QString &deb, const QString &name)
{
    return run(QStringLiteral("dpkg-deb"), {QStringLiteral("-f"), deb, name}).out.trimmed();
}

// Package names of a Depends-style field, without versions or alternatives' punctuation.
QSet<QString> packageNames(const QString &dependsField)
{
    QSet<QString> out;
    static const QRegularExpression name(QStringLiteral("(?:^|[,|]\\s*)([a-z0-9][a-z0-9.+-]+)"));
    auto it = name.globalMatch(dependsField);
    while (it.hasNext())
        out.insert(it.next().captured(1));
    return out;
}

} // namespace

class TestPackages : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_out;
    QString m_kioskDeb;
    QString m_hubDeb;

    // Extracts the control area (maintainer scripts) of `deb` into `dir`.
    bool control(const QString &deb, const QString &dir)
    {
        return run(QStringLiteral("dpkg-deb"), {QStringLiteral("-e"), deb, dir}).exitCode == 0;
    }

    // Runs a maintainer script with stand-ins for every system tool it may call, in front of
    // PATH; each stand-in appends "name args" to the returned log.
    QStringList runScript(const QString &script, const QStringList &args, const QString &dpkgRoot, int *exitCode)
    {
        QTemporaryDir bin;
        const QString log = bin.filePath(QStringLiteral("calls.log"));
        for (const char *tool : {"systemctl", "systemd-sysusers", "systemd-tmpfiles", "systemd-hwdb", "udevadm", "chown", "chmod"}) {
            QFile f(bin.filePath(QLatin1String(tool)));
            if (!f.open(QIODevice::WriteOnly))
                return {};
            f.write(QStringLiteral("#!/bin/sh\necho \"%1 $*\" >> '%2'\n").arg(QLatin1String(tool), log).toUtf8());
            f.close();
            f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
        }
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("PATH"), bin.path() + QStringLiteral(":/usr/sbin:/usr/bin:/sbin:/bin"));
        env.insert(QStringLiteral("DPKG_ROOT"), dpkgRoot);
        const Run r = run(QStringLiteral("/bin/sh"), QStringList{script} + args, 30000, env);
        *exitCode = r.exitCode;
        QFile f(log);
        if (!f.open(QIODevice::ReadOnly))
            return {};
        return QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    }

    static bool anyStartsWith(const QStringList &calls, const QString &prefix)
    {
        return std::any_of(calls.cbegin(), calls.cend(), [&](const QString &c) { return c.startsWith(prefix); });
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_out.isValid());
        QElapsedTimer t;
        t.start();
        const Run r = run(QStringLiteral(HCP_CPACK), {QStringLiteral("--config"), QStringLiteral(HCP_CPACK_CONFIG),
                                                     QStringLiteral("-B"), m_out.path()},
                          170000);
        qInfo("cpack: exit %d in %lld ms", r.exitCode, static_cast<long long>(t.elapsed()));
        QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
        const QStringList debs = QDir(m_out.path()).entryList({QStringLiteral("*.deb")}, QDir::Files);
        for (const QString &d : debs) {
            const QFileInfo fi(m_out.filePath(d));
            qInfo("%s: %lld KiB", qPrintable(d), static_cast<long long>(fi.size() / 1024));
            if (d.startsWith(QLatin1String("hcp-kiosk_")))
                m_kioskDeb = fi.absoluteFilePath();
            else if (d.startsWith(QLatin1String("hcp-hub_")))
                m_hubDeb = fi.absoluteFilePath();
        }
        QVERIFY2(debs.size() == 2, qPrintable(debs.join(QLatin1Char(' '))));
        QVERIFY(!m_kioskDeb.isEmpty());
        QVERIFY(!m_hubDeb.isEmpty());
    }

    void kioskPackage_holdsAppUnitRulesAndSnippets_butNotTheHub()
    {
        const QSet<QString> files = contents(m_kioskDeb);
        for (const char *path : {"/usr/bin/hcp-kiosk", "/usr/lib/hcp-kiosk/libhcp_camera.so", "/lib/systemd/system/hcp-kiosk.service",
                                 "/lib/udev/rules.d/60-hcp-kiosk.rules", "/lib/udev/hwdb.d/60-hcp-kiosk.hwdb",
                                 "/usr/lib/hcp-kiosk/hcp-hidpos-probe", "/usr/lib/hcp-kiosk/hcp-kiosk-launch", "/usr/lib/sysusers.d/hcp-kiosk.conf",
                                 "/usr/lib/tmpfiles.d/hcp-kiosk.conf", "/usr/lib/systemd/journald.conf.d/60-hcp-kiosk.conf",
                                 "/etc/pam.d/hcp-kiosk", "/etc/default/hcp-kiosk", "/usr/sbin/hcp-provision-kiosk"})
            QVERIFY2(files.contains(QLatin1String(path)), path);
        QVERIFY(!files.contains(QStringLiteral("/usr/bin/hcp-hub")));
        QVERIFY(!files.contains(QStringLiteral("/lib/systemd/system/hcp-hub.service")));
        QCOMPARE(field(m_kioskDeb, QStringLiteral("Package")), QStringLiteral("hcp-kiosk"));
    }

    void hubPackage_holdsServerAndUnit_butNotTheKiosk()
    {
        const QSet<QString> files = contents(m_hubDeb);
        for (const char *path : {"/usr/bin/hcp-hub", "/lib/systemd/system/hcp-hub.service",
                                 "/usr/lib/sysusers.d/hcp-hub.conf", "/usr/lib/tmpfiles.d/hcp-hub.conf", "/etc/default/hcp-hub"})
            QVERIFY2(files.contains(QLatin1String(path)), path);
        for (const QString &f : files)
            QVERIFY2(!f.contains(QLatin1String("kiosk")), qPrintable(f));
        QCOMPARE(field(m_hubDeb, QStringLiteral("Package")), QStringLiteral("hcp-hub"));
    }

    void dependencies_shlibsPlusRuntimeModules()
    {
        const QSet<QString> kiosk = packageNames(field(m_kioskDeb, QStringLiteral("Depends")));
        const QSet<QString> hub = packageNames(field(m_hubDeb, QStringLiteral("Depends")));
        qInfo("hcp-kiosk Depends: %s", qPrintable(field(m_kioskDeb, QStringLiteral("Depends"))));
        qInfo("hcp-hub Depends: %s", qPrintable(field(m_hubDeb, QStringLiteral("Depends"))));
        // From dpkg-shlibdeps (the linked libraries) …
        for (const char *p : {"libc6", "libqt6core6", "libqt6quick6", "libqt6sql6"})
            QVERIFY2(kiosk.contains(QLatin1String(p)), p);
        for (const char *p : {"libc6", "libqt6core6", "libqt6httpserver6"})
            QVERIFY2(hub.contains(QLatin1String(p)), p);
        // … and what only runs by name: compositor, platform plugin, SQL driver, QML modules.
        for (const char *p : {"cage", "libpam-systemd", "qt6-wayland", "libqt6sql6-sqlite", "qml6-module-qtquick", "fonts-noto-cjk",
                              "libtss2-tcti-device0"})
            QVERIFY2(kiosk.contains(QLatin1String(p)), p);
        QVERIFY(hub.contains(QStringLiteral("libqt6sql6-sqlite")));
        QVERIFY(!hub.contains(QStringLiteral("cage")));
        QVERIFY(!hub.contains(QStringLiteral("libqt6quick6")));
    }

    void maintainerScripts_presentExecutableAndValidShell()
    {
        for (const QString &deb : {m_kioskDeb, m_hubDeb}) {
            QTemporaryDir dir;
            QVERIFY(control(deb, dir.path()));
            for (const char *name : {"postinst", "prerm", "postrm"}) {
                const QFileInfo fi(dir.filePath(QLatin1String(name)));
                QVERIFY2(fi.exists(), name);
                QVERIFY2(fi.permissions() & QFileDevice::ExeOther, name);
                QCOMPARE(run(QStringLiteral("/bin/sh"), {QStringLiteral("-n"), fi.absoluteFilePath()}).exitCode, 0);
            }
            // /etc files are conffiles: a local edit survives upgrades.
            QFile conffiles(dir.filePath(QStringLiteral("conffiles")));
            QVERIFY(conffiles.open(QIODevice::ReadOnly));
            const QByteArray listed = conffiles.readAll();
            for (const QString &f : contents(deb))
                if (f.startsWith(QLatin1String("/etc/")))
                    QVERIFY2(listed.contains(f.toUtf8() + '\n'), qPrintable(f));
            QVERIFY(listed.contains("/etc/default/hcp-"));
        }
    }

    void kioskPostinst_unprovisionedMachine_setsUpButNeverEnablesOrStartsTheKiosk()
    {
        QTemporaryDir ctl, root;
        QVERIFY(control(m_kioskDeb, ctl.path()));
        QDir(root.path()).mkpath(QStringLiteral("run/systemd/system"));
        QDir(root.path()).mkpath(QStringLiteral("run/udev"));
        int rc = -1;
        const QStringList calls = runScript(ctl.filePath(QStringLiteral("postinst")), {QStringLiteral("configure")}, root.path(), &rc);
        QCOMPARE(rc, 0);
        QVERIFY2(anyStartsWith(calls, QStringLiteral("systemd-sysusers --root=%1 hcp-kiosk.conf").arg(root.path())), qPrintable(calls.join(QLatin1Char('\n'))));
        QVERIFY(anyStartsWith(calls, QStringLiteral("systemd-tmpfiles --root=%1 --create hcp-kiosk.conf").arg(root.path())));
        QVERIFY(anyStartsWith(calls, QStringLiteral("udevadm trigger")));
        QVERIFY(anyStartsWith(calls, QStringLiteral("systemctl daemon-reload")));
        for (const QString &c : calls)
            QVERIFY2(!(c.startsWith(QLatin1String("systemctl")) && c.contains(QLatin1String("hcp-kiosk"))), qPrintable(c));
    }

    void kioskPostinst_provisionedUpgrade_enablesAndRestartsTheKiosk()
    {
        QTemporaryDir ctl, root;
        QVERIFY(control(m_kioskDeb, ctl.path()));
        QDir(root.path()).mkpath(QStringLiteral("run/systemd/system"));
        QDir(root.path()).mkpath(QStringLiteral("var/lib/hcp-kiosk"));
        QFile creds(root.filePath(QStringLiteral("var/lib/hcp-kiosk/credentials.json")));
        QVERIFY(creds.open(QIODevice::WriteOnly));
        creds.close();
        int rc = -1;
        const QStringList calls = runScript(ctl.filePath(QStringLiteral("postinst")),
                                            {QStringLiteral("configure"), QStringLiteral("0.0.9")}, root.path(), &rc);
        QCOMPARE(rc, 0);
        QVERIFY2(calls.contains(QStringLiteral("systemctl --root=%1 enable hcp-kiosk.service").arg(root.path())), qPrintable(calls.join(QLatin1Char('\n'))));
        QVERIFY(calls.contains(QStringLiteral("systemctl try-restart hcp-kiosk.service")));
        QVERIFY(!anyStartsWith(calls, QStringLiteral("udevadm"))); // no udevd in this root
    }

    void hubPostinst_freshInstall_createsUserProtectsSettingsAndStartsHub()
    {
        QTemporaryDir ctl, root;
        QVERIFY(control(m_hubDeb, ctl.path()));
        QDir(root.path()).mkpath(QStringLiteral("run/systemd/system"));
        int rc = -1;
        const QStringList calls = runScript(ctl.filePath(QStringLiteral("postinst")), {QStringLiteral("configure")}, root.path(), &rc);
        QCOMPARE(rc, 0);
        const QString all = calls.join(QLatin1Char('\n'));
        QVERIFY2(calls.contains(QStringLiteral("systemd-sysusers --root=%1 hcp-hub.conf").arg(root.path())), qPrintable(all));
        QVERIFY(calls.contains(QStringLiteral("chown root:hcp-hub %1/etc/default/hcp-hub").arg(root.path())));
        QVERIFY(calls.contains(QStringLiteral("chmod 0640 %1/etc/default/hcp-hub").arg(root.path())));
        QVERIFY(calls.contains(QStringLiteral("systemctl --root=%1 enable hcp-hub.service").arg(root.path())));
        QVERIFY(calls.contains(QStringLiteral("systemctl start hcp-hub.service")));
    }

    void kioskPrerm_remove_stopsAndDisables_upgradeLeavesRunning()
    {
        QTemporaryDir ctl, root;
        QVERIFY(control(m_kioskDeb, ctl.path()));
        QDir(root.path()).mkpath(QStringLiteral("run/systemd/system"));
        int rc = -1;
        QStringList calls = runScript(ctl.filePath(QStringLiteral("prerm")), {QStringLiteral("remove")}, root.path(), &rc);
        QCOMPARE(rc, 0);
        QVERIFY(calls.contains(QStringLiteral("systemctl stop hcp-kiosk.service")));
        calls = runScript(ctl.filePath(QStringLiteral("prerm")), {QStringLiteral("upgrade"), QStringLiteral("0.2.0")}, root.path(), &rc);
        QCOMPARE(rc, 0);
        QVERIFY(calls.isEmpty());
    }

#ifdef HCP_SYSTEMD_ANALYZE
    void unpackedUnits_passSystemdAnalyzeVerifyNextToTheirBinaries()
    {
        QTemporaryDir root;
        for (const QString &deb : {m_kioskDeb, m_hubDeb})
            QCOMPARE(run(QStringLiteral("dpkg-deb"), {QStringLiteral("-x"), deb, root.path()}).exitCode, 0);
        const QDir r(root.path());
        QVERIFY(QFileInfo(r.filePath(QStringLiteral("usr/bin/hcp-kiosk"))).isExecutable());
        QVERIFY(QFileInfo(r.filePath(QStringLiteral("usr/bin/hcp-hub"))).isExecutable());
        // systemd's own units (targets, getty@) and cage, a dependency, from the host or a stand-in.
        r.mkpath(QStringLiteral("usr/lib/systemd/system"));
        const QDir sys(QStringLiteral("/usr/lib/systemd/system"));
        for (const QFileInfo &fi : sys.entryInfoList(QDir::Files | QDir::NoDotAndDotDot))
            QFile::copy(fi.absoluteFilePath(), r.filePath(QStringLiteral("usr/lib/systemd/system/") + fi.fileName()));
        const QString cage = QFileInfo::exists(QStringLiteral("/usr/bin/cage")) ? QStringLiteral("/usr/bin/cage") : QStringLiteral("/bin/true");
        QVERIFY(QFile::copy(cage, r.filePath(QStringLiteral("usr/bin/cage"))));
        const Run v = run(QStringLiteral(HCP_SYSTEMD_ANALYZE),
                          {QStringLiteral("verify"), QStringLiteral("--man=no"), QStringLiteral("--root=") + root.path(),
                           QStringLiteral("hcp-kiosk.service"), QStringLiteral("hcp-hub.service")});
        QVERIFY2(v.exitCode == 0, qPrintable(v.out + v.err));
        QVERIFY2(!(v.out + v.err).contains(QLatin1String("hcp-")), qPrintable(v.out + v.err));
    }
#endif
};

QTEST_GUILESS_MAIN(TestPackages)
#include "tst_packages.moc"

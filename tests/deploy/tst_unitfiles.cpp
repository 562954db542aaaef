// SPDX-License-Identifier: Apache-2.0
// The systemd units, sysusers and tmpfiles snippets of deploy/: the policy keys the kiosk relies
// on (notify + watchdog + restart + reboot escalation + unprivileged user + hardening), their
// consistency with each other and with the binaries, and — where the machine has it —
// `systemd-analyze verify` against a staged root holding the units.
#include <QDir>
#include <QFile>
#include <QMap>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

namespace {

const QString kDeploy = QStringLiteral(HCP_DEPLOY_DIR);

// One unit file: section -> key -> every value assigned, in order. Continuation lines are
// joined; an unparsable line is recorded in `errors`.
struct UnitFile {
    QMap<QString, QMap<QString, QStringList>> sections;
    QStringList errors;

    QStringList values(const QString &section, const QString &key) const { return sections.value(section).value(key); }
    QString value(const QString &section, const QString &key) const { return values(section, key).value(values(section, key).size() - 1); }
    // Space-separated list keys (SupplementaryGroups=, ReadWritePaths=) across all assignments.
    QStringList words(const QString &section, const QString &key) const
    {
        QStringList out;
        for (const QString &v : values(section, key))
            out += v.split(QLatin1Char(' '), Qt::SkipEmptyParts);
        return out;
    }
};

UnitFile parseUnit(const QString &path)
{
    UnitFile unit;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly | QIODevice::Text)) {
        unit.errors << QStringLiteral("cannot open %1").arg(path);
        return unit;
    }
    const QStringList lines = QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'));
    static const QRegularExpression keyRe(QStringLiteral("^([A-Za-z][A-Za-z0-9]*)=(.*)$"));
    QString section;
    for (int i = 0; i < lines.size(); ++i) {
        QString line = lines.at(i).trimmed();
        if (line.isEmpty() || line.startsWith(QLatin1Char('#')) || line.startsWith(QLatin1Char(';')))
            continue;
        while (line.endsWith(QLatin1Char('\\')) && i + 1 < lines.size())
            line = line.chopped(1) + QLatin1Char(' ') + lines.at(++i).trimmed();
        if (line.startsWith(QLatin1Char('[')) && line.endsWith(QLatin1Char(']'))) {
            section = line.mid(1, line.size() - 2);
            continue;
        }
        const auto m = keyRe.match(line);
        if (!m.hasMatch() || section.isEmpty()) {
            unit.errors << QStringLiteral("%1:%2: not a key=value line: %3").arg(path).arg(i + 1).arg(line);
            continue;
        }
        unit.sections[section][m.captured(1)] << m.captured(2).trimmed();
    }
    return unit;
}

// sysusers.d lines: type name rest...
QList<QStringList> parseSysusers(const QString &path)
{
    QList<QStringList> out;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly | QIODevice::Text))
        return out;
    for (const QString &l : QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'))) {
        const QString line = l.trimmed();
        if (line.isEmpty() || line.startsWith(QLatin1Char('#')))
            continue;
        // The GECOS field is quoted and may hold spaces: split outside quotes.
        QStringList fields;
        QString cur;
        bool quoted = false;
        for (const QChar c : line) {
            if (c == QLatin1Char('"'))
                quoted = !quoted;
            else if (c.isSpace() && !quoted) {
                if (!cur.isEmpty())
                    fields << cur;
                cur.clear();
            } else
                cur += c;
        }
        if (!cur.isEmpty())
            fields << cur;
        out << fields;
    }
    return out;
}

} // namespace

class TestUnitFiles : public QObject {
    Q_OBJECT
private:
    UnitFile m_kiosk;
    UnitFile m_hub;

#ifdef HCP_SYSTEMD_ANALYZE
    // Stages a root with the units, systemd's own units (for targets and getty@) and stand-in
    // executables, runs `systemd-analyze verify --root`, returns its combined output.
    QString verifyStaged(const QMap<QString, QByteArray> &units, int *exitCode)
    {
        QTemporaryDir root;
        if (!root.isValid())
            return QStringLiteral("no temporary directory");
        const QDir r(root.path());
        r.mkpath(QStringLiteral("usr/bin"));
        r.mkpath(QStringLiteral("etc/systemd/system"));
        r.mkpath(QStringLiteral("usr/lib/systemd/system"));
        // The executables only need to exist and be executable for verify.
        r.mkpath(QStringLiteral("usr/lib/hcp-kiosk"));
        for (const QString &exe : {QStringLiteral("usr/bin/cage"), QStringLiteral("usr/bin/hcp-kiosk"), QStringLiteral("usr/bin/hcp-hub"),
                                   QStringLiteral("usr/lib/hcp-kiosk/hcp-kiosk-launch")})
            if (!QFile::copy(QStringLiteral("/bin/true"), r.filePath(exe)))
                return QStringLiteral("cannot stage ") + exe;
        const QDir sys(QStringLiteral("/usr/lib/systemd/system"));
        for (const QFileInfo &fi : sys.entryInfoList(QDir::Files | QDir::NoDotAndDotDot))
            QFile::copy(fi.absoluteFilePath(), r.filePath(QStringLiteral("usr/lib/systemd/system/") + fi.fileName()));
        QStringList names;
        for (auto it = units.cbegin(); it != units.cend(); ++it) {
            QFile out(r.filePath(QStringLiteral("etc/systemd/system/") + it.key()));
            if (!out.open(QIODevice::WriteOnly) || out.write(it.value()) != it.value().size())
                return QStringLiteral("cannot stage ") + it.key();
            names << it.key();
        }
        QProcess p;
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(QStringLiteral(HCP_SYSTEMD_ANALYZE),
                QStringList{QStringLiteral("verify"), QStringLiteral("--man=no"), QStringLiteral("--root=") + root.path()} + names);
        if (!p.waitForFinished(60000))
            return QStringLiteral("systemd-analyze timed out");
        *exitCode = p.exitCode();
        return QString::fromUtf8(p.readAll());
    }

    static QByteArray readAll(const QString &path)
    {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }
#endif

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        m_kiosk = parseUnit(kDeploy + QStringLiteral("/systemd/hcp-kiosk.service"));
        m_hub = parseUnit(kDeploy + QStringLiteral("/systemd/hcp-hub.service"));
    }

    void units_parseCleanly()
    {
        QVERIFY2(m_kiosk.errors.isEmpty(), qPrintable(m_kiosk.errors.join(QLatin1Char('\n'))));
        QVERIFY2(m_hub.errors.isEmpty(), qPrintable(m_hub.errors.join(QLatin1Char('\n'))));
        QVERIFY(m_kiosk.sections.contains(QStringLiteral("Service")));
        QVERIFY(m_hub.sections.contains(QStringLiteral("Service")));
    }

    void kioskUnit_notifyWatchdogRestartAndRebootEscalation()
    {
        const QString S = QStringLiteral("Service"), U = QStringLiteral("Unit");
        QCOMPARE(m_kiosk.value(S, QStringLiteral("Type")), QStringLiteral("notify"));
        QCOMPARE(m_kiosk.value(S, QStringLiteral("WatchdogSec")), QStringLiteral("30"));
        QCOMPARE(m_kiosk.value(S, QStringLiteral("Restart")), QStringLiteral("always"));
        QCOMPARE(m_kiosk.value(S, QStringLiteral("RestartSec")), QStringLiteral("2"));
        // Start limits live in [Unit]; in [Service] systemd 252 would ignore StartLimitAction.
        QCOMPARE(m_kiosk.value(U, QStringLiteral("StartLimitAction")), QStringLiteral("reboot"));
        QVERIFY(m_kiosk.value(U, QStringLiteral("StartLimitBurst")).toInt() >= 2);
        QVERIFY(m_kiosk.value(U, QStringLiteral("StartLimitIntervalSec")).toInt() > 0);
        QVERIFY(m_kiosk.values(S, QStringLiteral("StartLimitAction")).isEmpty());
        // The burst must be reachable inside the interval, or the reboot never happens.
        const int burst = m_kiosk.value(U, QStringLiteral("StartLimitBurst")).toInt();
        const int restartSec = m_kiosk.value(S, QStringLiteral("RestartSec")).toInt();
        QVERIFY(burst * restartSec < m_kiosk.value(U, QStringLiteral("StartLimitIntervalSec")).toInt());
    }

    void kioskUnit_runsUnderCageAsHcpWithNotifyAccessForTheChild()
    {
        const QString S = QStringLiteral("Service");
        const QStringList exec = m_kiosk.value(S, QStringLiteral("ExecStart")).split(QLatin1Char(' '), Qt::SkipEmptyParts);
        QCOMPARE(exec.value(0), QStringLiteral("/usr/bin/cage"));
        const qsizetype dashes = exec.indexOf(QStringLiteral("--"));
        QVERIFY(dashes > 0);
        // The launcher execs the A/B layout's current slot (or /usr/bin/hcp-kiosk).
        QCOMPARE(exec.value(dashes + 1), QStringLiteral("/usr/lib/hcp-kiosk/hcp-kiosk-launch"));
        const qsizetype dataDir = exec.indexOf(QStringLiteral("--data-dir"));
        QVERIFY(dataDir > dashes);
        QCOMPARE(exec.value(dataDir + 1), QStringLiteral("/var/lib/hcp-kiosk"));
        // cage is the main PID and hcp-kiosk its child: "main" would drop the kiosk's READY=1.
        QCOMPARE(m_kiosk.value(S, QStringLiteral("NotifyAccess")), QStringLiteral("all"));
        QCOMPARE(m_kiosk.value(S, QStringLiteral("User")), QStringLiteral("hcp"));
        const QStringList groups = m_kiosk.words(S, QStringLiteral("SupplementaryGroups"));
        for (const char *g : {"plugdev", "dialout", "input", "lp", "tss"}) // tss: /dev/tpmrm0
            QVERIFY2(groups.contains(QLatin1String(g)), g);
        QVERIFY(m_kiosk.values(S, QStringLiteral("Environment")).contains(QStringLiteral("QT_QPA_PLATFORM=wayland")));
        // Never started before provisioning wrote the credentials into the data directory.
        QCOMPARE(m_kiosk.value(QStringLiteral("Unit"), QStringLiteral("ConditionPathExists")),
                 exec.value(dataDir + 1) + QStringLiteral("/credentials.json"));
    }

    void kioskUnit_hardening()
    {
        const QString S = QStringLiteral("Service");
        QCOMPARE(m_kiosk.value(S, QStringLiteral("ProtectSystem")), QStringLiteral("strict"));
        QVERIFY(m_kiosk.words(S, QStringLiteral("ReadWritePaths")).contains(QStringLiteral("/var/lib/hcp-kiosk")));
        for (const char *k : {"PrivateTmp", "NoNewPrivileges", "ProtectHome", "RestrictSUIDSGID", "ProtectKernelModules"})
            QVERIFY2(m_kiosk.value(S, QLatin1String(k)) == QLatin1String("yes"), k);
        QVERIFY(m_kiosk.values(S, QStringLiteral("CapabilityBoundingSet")).contains(QString()));
        QVERIFY(m_kiosk.values(S, QStringLiteral("User")).value(0) != QLatin1String("root"));
        // cage and the kiosk open hot-plugged devices: nothing may turn the device policy into an
        // allow-list (ProtectClock implies DeviceAllow=char-rtc r).
        for (const char *k : {"PrivateDevices", "DevicePolicy", "DeviceAllow", "ProtectClock"})
            QVERIFY2(m_kiosk.values(S, QLatin1String(k)).isEmpty(), k);
    }

    void hubUnit_serviceUserStateAndRestart()
    {
        const QString S = QStringLiteral("Service");
        QVERIFY(QStringList({QStringLiteral("simple"), QStringLiteral("notify")}).contains(m_hub.value(S, QStringLiteral("Type"))));
        QCOMPARE(m_hub.value(S, QStringLiteral("Restart")), QStringLiteral("always"));
        QCOMPARE(m_hub.value(S, QStringLiteral("StateDirectory")), QStringLiteral("hcp-hub"));
        QCOMPARE(m_hub.value(S, QStringLiteral("User")), QStringLiteral("hcp-hub"));
        QCOMPARE(m_hub.value(S, QStringLiteral("ProtectSystem")), QStringLiteral("strict"));
        QVERIFY(m_hub.value(S, QStringLiteral("ExecStart")).startsWith(QLatin1String("/usr/bin/hcp-hub serve ")));
    }

    void hubUnit_execStartOptionsAreKnownToHcpHub()
    {
        QProcess p;
        p.start(QStringLiteral(HCP_HUB_BIN), {QStringLiteral("--help")});
        QVERIFY(p.waitForFinished(30000));
        const QString help = QString::fromUtf8(p.readAllStandardOutput());
        static const QRegularExpression opt(QStringLiteral("(--[a-z][a-z-]+)"));
        auto it = opt.globalMatch(m_hub.value(QStringLiteral("Service"), QStringLiteral("ExecStart")));
        int checked = 0;
        while (it.hasNext()) {
            const QString o = it.next().captured(1);
            QVERIFY2(help.contains(o), qPrintable(o + QStringLiteral(" is not an hcp-hub option")));
            ++checked;
        }
        QVERIFY(checked >= 2);
    }

    void sysusers_declareBothUsersAndEveryDeviceGroupOfTheKiosk()
    {
        const auto kiosk = parseSysusers(kDeploy + QStringLiteral("/sysusers/hcp-kiosk.conf"));
        const auto hub = parseSysusers(kDeploy + QStringLiteral("/sysusers/hcp-hub.conf"));
        QSet<QString> kioskGroups;
        bool kioskUser = false;
        for (const QStringList &l : kiosk) {
            if (l.value(0) == QLatin1String("u") && l.value(1) == QLatin1String("hcp")) {
                kioskUser = true;
                QCOMPARE(l.value(5), QStringLiteral("/usr/sbin/nologin"));
            }
            if (l.value(0) == QLatin1String("m") && l.value(1) == QLatin1String("hcp"))
                kioskGroups.insert(l.value(2));
        }
        QVERIFY(kioskUser);
        for (const QString &g : m_kiosk.words(QStringLiteral("Service"), QStringLiteral("SupplementaryGroups")))
            QVERIFY2(kioskGroups.contains(g), qPrintable(g + QStringLiteral(" is not in sysusers.d/hcp-kiosk.conf")));
        QVERIFY(std::any_of(hub.cbegin(), hub.cend(), [](const QStringList &l) {
            return l.value(0) == QLatin1String("u") && l.value(1) == QLatin1String("hcp-hub");
        }));
    }

    void tmpfiles_dataDirectoriesArePrivateToTheirUsers()
    {
        const auto check = [](const QString &file, const QString &dir, const QString &user) {
            QFile f(file);
            if (!f.open(QIODevice::ReadOnly | QIODevice::Text))
                return false;
            for (const QString &l : QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'))) {
                const QStringList w = l.split(QLatin1Char(' '), Qt::SkipEmptyParts);
                if (w.value(0) == QLatin1String("d") && w.value(1) == dir)
                    return w.value(2) == QLatin1String("0700") && w.value(3) == user && w.value(4) == user;
            }
            return false;
        };
        QVERIFY(check(kDeploy + QStringLiteral("/tmpfiles/hcp-kiosk.conf"), QStringLiteral("/var/lib/hcp-kiosk"), QStringLiteral("hcp")));
        QVERIFY(check(kDeploy + QStringLiteral("/tmpfiles/hcp-hub.conf"), QStringLiteral("/var/lib/hcp-hub"), QStringLiteral("hcp-hub")));
    }

#ifdef HCP_SYSTEMD_ANALYZE
    void systemdAnalyzeVerify_bothUnits_reportNothing()
    {
        int rc = -1;
        const QString out = verifyStaged({{QStringLiteral("hcp-kiosk.service"), readAll(kDeploy + QStringLiteral("/systemd/hcp-kiosk.service"))},
                                          {QStringLiteral("hcp-hub.service"), readAll(kDeploy + QStringLiteral("/systemd/hcp-hub.service"))}},
                                         &rc);
        QVERIFY2(rc == 0, qPrintable(out));
        QVERIFY2(!out.contains(QLatin1String("hcp-")), qPrintable(out));
    }

    // verify exits 0 on a bad value and only prints it, so the check above reads the output;
    // this proves that reading catches a broken unit.
    void systemdAnalyzeVerify_brokenWatchdogValue_isReported()
    {
        QByteArray unit = readAll(kDeploy + QStringLiteral("/systemd/hcp-kiosk.service"));
        QVERIFY(unit.contains("\nWatchdogSec=30\n"));
        unit.replace("\nWatchdogSec=30\n", "\nWatchdogSec=thirty\nRestart=sometimes\n");
        int rc = -1;
        const QString out = verifyStaged({{QStringLiteral("hcp-kiosk.service"), unit}}, &rc);
        QVERIFY2(out.contains(QLatin1String("thirty")), qPrintable(out));
        QVERIFY2(out.contains(QLatin1String("sometimes")), qPrintable(out));
    }
#endif
};

QTEST_GUILESS_MAIN(TestUnitFiles)
#include "tst_unitfiles.moc"

// SPDX-License-Identifier: Apache-2.0
// deploy/provision-kiosk.sh end to end: a real hcp-hub on loopback with an enrollment token, the
// real hcp-kiosk enrolling as the kiosk user (as root: `nobody`, through runuser; otherwise the
// current user), and a logging stand-in for systemctl. Checks the credentials (mode 0600, owner)
// and that the service is enabled and started only after a good enrollment.
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {

const QString kScript = QStringLiteral(HCP_DEPLOY_DIR "/provision-kiosk.sh");
const QByteArray kToken = "enroll-e2e-7f3a";

struct Result {
    int exitCode = -1;
    QString output;
    QStringList systemctl;
};

} // namespace

class TestProvisioning : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_tmp;
    QProcess m_hub;
    QString m_hubUrl;
    QString m_user;
    uid_t m_uid = 0;
    gid_t m_gid = 0;
    int m_case = 0;

    // A fresh data directory owned by the kiosk user, reachable through 0755 parents.
    QString newDataDir()
    {
        const QString dir = m_tmp.filePath(QStringLiteral("case%1/data").arg(++m_case));
        QDir().mkpath(dir);
        ::chmod(QFile::encodeName(m_tmp.path()).constData(), 0755);
        ::chmod(QFile::encodeName(QFileInfo(dir).absolutePath()).constData(), 0755);
        ::chmod(QFile::encodeName(dir).constData(), 0700);
        if (::geteuid() == 0 && ::chown(QFile::encodeName(dir).constData(), m_uid, m_gid) != 0)
            qWarning("chown failed");
        return dir;
    }

    Result provision(const QString &dataDir, const QStringList &args, const QString &kioskBin = QStringLiteral(HCP_KIOSK_BIN))
    {
        const QString log = QFileInfo(dataDir).absolutePath() + QStringLiteral("/systemctl.log");
        const QString stub = QFileInfo(dataDir).absolutePath() + QStringLiteral("/systemctl");
        QFile f(stub);
        if (f.open(QIODevice::WriteOnly)) {
            f.write(QStringLiteral("#!/bin/sh\necho \"$*\" >> '%1'\n").arg(log).toUtf8());
            f.close();
            f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
        }
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("HCP_DATA_DIR"), dataDir);
        env.insert(QStringLiteral("HCP_KIOSK_USER"), m_user);
        env.insert(QStringLiteral("HCP_KIOSK_BIN"), kioskBin);
        env.insert(QStringLiteral("HCP_SYSTEMCTL"), stub);
        QProcess p;
        p.setProcessEnvironment(env);
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(QStringLiteral("/bin/bash"), QStringList{kScript} + args);
        Result r;
        if (!p.waitForFinished(60000)) {
            p.kill();
            p.waitForFinished();
        } else {
            r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        }
        r.output = QString::fromUtf8(p.readAll());
        QFile l(log);
        if (l.open(QIODevice::ReadOnly))
            r.systemctl = QString::fromUtf8(l.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        return r;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_tmp.isValid());
        if (::geteuid() == 0) {
            const passwd *pw = ::getpwnam("nobody");
            QVERIFY(pw);
            m_user = QStringLiteral("nobody");
            m_uid = pw->pw_uid;
            m_gid = pw->pw_gid;
        } else {
            const passwd *pw = ::getpwuid(::geteuid());
            QVERIFY(pw);
            m_user = QString::fromLocal8Bit(pw->pw_name);
        }
        m_hub.setProcessChannelMode(QProcess::MergedChannels);
        m_hub.start(QStringLiteral(HCP_HUB_BIN),
                    {QStringLiteral("serve"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                     QStringLiteral("--db"), m_tmp.filePath(QStringLiteral("hub.sqlite")),
                     QStringLiteral("--enroll-token"), QString::fromLatin1(kToken)});
        QVERIFY(m_hub.waitForStarted());
        static const QRegularExpression listening(QStringLiteral("listening on ([0-9.]+:[0-9]+)"));
        QString seen;
        QTRY_VERIFY_WITH_TIMEOUT((seen += QString::fromUtf8(m_hub.readAll()), listening.match(seen).hasMatch()), 20000);
        m_hubUrl = QStringLiteral("http://") + listening.match(seen).captured(1);
    }

    void cleanupTestCase()
    {
        m_hub.kill();
        m_hub.waitForFinished();
    }

    void validToken_credentialsPrivateToKioskUser_serviceEnabledAndStarted()
    {
        const QString data = newDataDir();
        const Result r = provision(data, {m_hubUrl, QString::fromLatin1(kToken)});
        QVERIFY2(r.exitCode == 0, qPrintable(r.output));
        const QFileInfo creds(data + QStringLiteral("/credentials.json"));
        QVERIFY(creds.exists());
        struct stat st {};
        QCOMPARE(::stat(QFile::encodeName(creds.absoluteFilePath()).constData(), &st), 0);
        QCOMPARE(st.st_mode & 07777, mode_t(0600));
        QCOMPARE(st.st_uid, ::geteuid() == 0 ? m_uid : ::geteuid());
        QFile f(creds.absoluteFilePath());
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(f.readAll().contains(m_hubUrl.toUtf8()));
        QCOMPARE(r.systemctl, (QStringList{QStringLiteral("daemon-reload"), QStringLiteral("enable --now hcp-kiosk.service")}));
    }

    void wrongToken_failsAndLeavesServiceAlone()
    {
        const QString data = newDataDir();
        const Result r = provision(data, {m_hubUrl, QStringLiteral("guessed-token")});
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.output.contains(QLatin1String("enrollment failed")), qPrintable(r.output));
        QVERIFY(!QFile::exists(data + QStringLiteral("/credentials.json")));
        QVERIFY(r.systemctl.isEmpty());
    }

    void alreadyProvisioned_refusesWithoutReprovision()
    {
        const QString data = newDataDir();
        QFile existing(data + QStringLiteral("/credentials.json"));
        QVERIFY(existing.open(QIODevice::WriteOnly));
        existing.write("{\"deviceId\":\"KIOSK-OLD\"}");
        existing.close();
        const Result r = provision(data, {m_hubUrl, QString::fromLatin1(kToken)});
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.output.contains(QLatin1String("already provisioned")), qPrintable(r.output));
        QVERIFY(existing.open(QIODevice::ReadOnly));
        QCOMPARE(existing.readAll(), QByteArray("{\"deviceId\":\"KIOSK-OLD\"}"));
        QVERIFY(r.systemctl.isEmpty());
    }

    void credentialsReadableByOthers_refusesToStart()
    {
        // A kiosk binary that "enrolls" but leaves the secret world-readable.
        const QString data = newDataDir();
        const QString fake = QFileInfo(data).absolutePath() + QStringLiteral("/fake-kiosk");
        QFile f(fake);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("#!/bin/sh\n# --data-dir DIR --hub URL --enroll-token T\necho '{}' > \"$2/credentials.json\"\nchmod 0644 \"$2/credentials.json\"\n");
        f.close();
        QVERIFY(f.setPermissions(QFileDevice::ReadOwner | QFileDevice::ExeOwner | QFileDevice::ReadOther | QFileDevice::ExeOther
                                 | QFileDevice::ReadGroup | QFileDevice::ExeGroup));
        const Result r = provision(data, {m_hubUrl, QString::fromLatin1(kToken)}, fake);
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.output.contains(QLatin1String("mode 644")), qPrintable(r.output));
        QVERIFY(r.systemctl.isEmpty());
    }

    void offlineDeviceKey_enrollDeviceWithKey_credentialsInstalledAndStarted()
    {
        // Step 1 on the kiosk: its key is made (0600, beside the data directory) and the public
        // half handed out; nothing is enabled yet.
        const QString data = newDataDir();
        const QString pub = QFileInfo(data).absolutePath() + QStringLiteral("/kiosk.pub.pem");
        Result r = provision(data, {QStringLiteral("--device-public-key-out"), pub});
        QVERIFY2(r.exitCode == 0, qPrintable(r.output));
        QVERIFY(r.systemctl.isEmpty());
        QFile pem(pub);
        QVERIFY(pem.open(QIODevice::ReadOnly));
        const QByteArray publicPem = pem.readAll();
        QVERIFY2(publicPem.startsWith("-----BEGIN PUBLIC KEY-----"), publicPem.constData());
        const QString keyFile = data + QStringLiteral("-identity/device-key.pem");
        struct stat st {};
        QCOMPARE(::stat(QFile::encodeName(keyFile).constData(), &st), 0);
        QCOMPARE(st.st_mode & 07777, mode_t(0600));
        QVERIFY(!QFile::exists(data + QStringLiteral("/credentials.json")));
        // Asked again, the same key (never replaced).
        const QString pub2 = pub + QStringLiteral(".again");
        QCOMPARE(provision(data, {QStringLiteral("--device-public-key-out"), pub2}).exitCode, 0);
        QFile again(pub2);
        QVERIFY(again.open(QIODevice::ReadOnly));
        QCOMPARE(again.readAll(), publicPem);

        // Step 2 at the hub: offline enrollment with that key.
        auto enrollDevice = [this](const QString &id, const QString &creds, const QStringList &extra) {
            QProcess hub;
            hub.setProcessChannelMode(QProcess::MergedChannels);
            hub.start(QStringLiteral(HCP_HUB_BIN),
                      QStringList{QStringLiteral("enroll-device"), id, QStringLiteral("110105000000"), creds,
                                  QStringLiteral("--db"), m_tmp.filePath(QStringLiteral("hub.sqlite")),
                                  QStringLiteral("--hub-url"), m_hubUrl}
                          + extra);
            return hub.waitForFinished(20000) && hub.exitCode() == 0 ? QString() : QString::fromUtf8(hub.readAll()) + QLatin1String("(failed)");
        };
        const QString creds = QFileInfo(data).absolutePath() + QStringLiteral("/offline-creds.json");
        const QString failed = enrollDevice(QStringLiteral("KIOSK-OFFLINE-PROV"), creds,
                                            {QStringLiteral("--device-public-key"), pub});
        QVERIFY2(failed.isEmpty(), qPrintable(failed));

        // Step 3 on the kiosk: installed private to the kiosk user, service started.
        r = provision(data, {QStringLiteral("--credentials"), creds});
        QVERIFY2(r.exitCode == 0, qPrintable(r.output));
        const QString installed = data + QStringLiteral("/credentials.json");
        QCOMPARE(::stat(QFile::encodeName(installed).constData(), &st), 0);
        QCOMPARE(st.st_mode & 07777, mode_t(0600));
        QCOMPARE(st.st_uid, ::geteuid() == 0 ? m_uid : ::geteuid());
        QFile f(installed);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(f.readAll().contains("\"deviceKeyFingerprint\""));
        QCOMPARE(r.systemctl, (QStringList{QStringLiteral("daemon-reload"), QStringLiteral("enable --now hcp-kiosk.service")}));

        // Credentials without a bound key are refused: the ledger would go unchecked.
        const QString other = newDataDir();
        const QString unbound = QFileInfo(other).absolutePath() + QStringLiteral("/unbound-creds.json");
        const QString failed2 = enrollDevice(QStringLiteral("KIOSK-OFFLINE-NOKEY"), unbound, {});
        QVERIFY2(failed2.isEmpty(), qPrintable(failed2));
        r = provision(other, {QStringLiteral("--credentials"), unbound});
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.output.contains(QLatin1String("binds no device key")), qPrintable(r.output));
        QVERIFY(!QFile::exists(other + QStringLiteral("/credentials.json")));
        QVERIFY(r.systemctl.isEmpty());
    }

    void badArguments_usageOrUrlError()
    {
        const QString data = newDataDir();
        QCOMPARE(provision(data, {m_hubUrl}).exitCode, 2);
        const Result r = provision(data, {QStringLiteral("hub.example:8470"), QString::fromLatin1(kToken)});
        QVERIFY(r.exitCode != 0);
        QVERIFY(r.output.contains(QLatin1String("HUB_URL")));
        QVERIFY(r.systemctl.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestProvisioning)
#include "tst_provisioning.moc"

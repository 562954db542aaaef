// SPDX-License-Identifier: Apache-2.0
// The hcp-update command line end to end: keygen → build → verify → install → status → boot →
// commit → rollback, with the exit codes and messages a release engineer and the systemd unit
// rely on.
#include "bundlefactory.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace hcp::updater::test;

class TestCli : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;

    struct Result
    {
        int code = -1;
        QByteArray out;
        QByteArray err;
        QJsonObject json() const { return QJsonDocument::fromJson(out).object(); }
    };

    Result run(const QStringList &args)
    {
        QProcess p;
        p.setWorkingDirectory(m_dir.path());
        p.start(QStringLiteral(HCP_UPDATE_BIN), args);
        Result r;
        if (!p.waitForFinished(30000) || p.exitStatus() != QProcess::NormalExit)
            return r;
        r.code = p.exitCode();
        r.out = p.readAllStandardOutput();
        r.err = p.readAllStandardError();
        return r;
    }

    QString path(const QString &name) const { return m_dir.filePath(name); }

    void makeTree(const QString &dir, const QByteArray &version)
    {
        QVERIFY(QDir().mkpath(dir + "/bin"));
        QVERIFY(writeFile(dir + "/bin/hcp-kiosk", "#!/bin/sh\necho " + version + "\n"));
        QVERIFY(QFile::setPermissions(dir + "/bin/hcp-kiosk", QFileDevice::ReadOwner
                                          | QFileDevice::WriteOwner | QFileDevice::ExeOwner));
        QVERIFY(writeFile(dir + "/VERSION", version));
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
    }

    void releaseAndKioskCommands_workTogether()
    {
        Result r = run({"keygen", path("release.pem")});
        QCOMPARE(r.code, 0);
        const QByteArray keyId = r.out.trimmed();
        QCOMPARE(keyId.size(), 64);
        QVERIFY(QFileInfo(path("release.pem")).permissions() == (QFileDevice::ReadOwner | QFileDevice::WriteOwner
                                                                  | QFileDevice::ReadUser | QFileDevice::WriteUser));
        QCOMPARE(run({"keygen", "--type", "ed25519", path("other.pem")}).code, 0);

        makeTree(path("v1"), "1.0.0");
        makeTree(path("v2"), "1.1.0");
        QCOMPARE(run({"build", "--key", path("release.pem"), "--version", "1.0.0", "--device-class",
                      "hcp-kiosk-amd64", path("v1"), path("v1.bundle")}).code, 0);
        QCOMPARE(run({"build", "--key", path("release.pem"), "--version", "1.1.0", "--device-class",
                      "hcp-kiosk-amd64", path("v2"), path("v2.bundle")}).code, 0);
        QCOMPARE(run({"build", "--key", path("other.pem"), "--version", "1.2.0", "--device-class",
                      "hcp-kiosk-amd64", path("v2"), path("other.bundle")}).code, 0);
        QCOMPARE(run({"build", "--key", path("release.pem"), "--version", "one", "--device-class",
                      "hcp-kiosk-amd64", path("v2"), path("bad.bundle")}).code, 1);

        const QJsonObject config{{"root", path("root")},
                                 {"deviceClass", "hcp-kiosk-amd64"},
                                 {"releaseKeyFiles", QJsonArray{"release.pub"}},
                                 {"trialSeconds", 600},
                                 {"maxTrialBoots", 1}};
        QVERIFY(writeFile(path("update.json"), QJsonDocument(config).toJson()));
        const QStringList conf{"--config", path("update.json")};

        r = run(QStringList{"verify"} + conf + QStringList{path("v2.bundle")});
        QCOMPARE(r.code, 0);
        QCOMPARE(r.json().value("version").toString(), QStringLiteral("1.1.0"));
        QCOMPARE(r.json().value("keyId").toString().toLatin1(), keyId);
        r = run(QStringList{"verify"} + conf + QStringList{path("other.bundle")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.startsWith("rejected: unknown-key:"), r.err.constData());

        QCOMPARE(run(QStringList{"install"} + conf + QStringList{path("v1.bundle")}).code, 0);
        r = run(QStringList{"install"} + conf + QStringList{path("v2.bundle")});
        QCOMPARE(r.code, 0);
        QCOMPARE(r.json().value("phase").toString(), QStringLiteral("trial"));
        QCOMPARE(readFile(path("root/current/VERSION")), QByteArray("1.1.0"));

        // ExecStartPre=hcp-update boot: one start is allowed, the second without a healthy
        // report is a crash loop (maxTrialBoots 1) and exits 3 after rolling back.
        QCOMPARE(run(QStringList{"boot"} + conf).code, 0);
        r = run(QStringList{"boot"} + conf);
        QCOMPARE(r.code, 3);
        QCOMPARE(readFile(path("root/current/VERSION")), QByteArray("1.0.0"));
        QVERIFY(r.json().value("lastResult").toObject().value("reason").toString().startsWith(
            "rolled back from 1.1.0: crash loop"));

        // Again, this time healthy: commit, then an operator rollback.
        QCOMPARE(run(QStringList{"install"} + conf + QStringList{path("v2.bundle")}).code, 0);
        QCOMPARE(run(QStringList{"boot"} + conf).code, 0);
        r = run(QStringList{"commit"} + conf);
        QCOMPARE(r.code, 0);
        QCOMPARE(r.json().value("floor").toString(), QStringLiteral("1.1.0"));
        r = run(QStringList{"status"} + conf);
        QCOMPARE(r.json().value("phase").toString(), QStringLiteral("committed"));
        r = run(QStringList{"rollback"} + conf + QStringList{"--reason", "ticket 42"});
        QCOMPARE(r.code, 0);
        QCOMPARE(r.json().value("lastResult").toObject().value("reason").toString(),
                 QStringLiteral("rolled back from 1.1.0: ticket 42"));
        QCOMPARE(readFile(path("root/current/VERSION")), QByteArray("1.0.0"));
        r = run(QStringList{"rollback"} + conf);
        QCOMPARE(r.code, 2);
        QVERIFY(r.err.startsWith("rejected: no-previous:"));
        QCOMPARE(run({"frobnicate"}).code, 1);
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"

// SPDX-License-Identifier: Apache-2.0
#include "pgserver.h"

#include <QDir>
#include <QFile>
#include <QHostAddress>
#include <QProcess>
#include <QStandardPaths>
#include <QTcpServer>

#include <pwd.h>
#include <unistd.h>

namespace hcp::sync::test {

QString PgServer::binary(const QString &name)
{
    const QDir root(QStringLiteral("/usr/lib/postgresql"));
    QStringList versions = root.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    for (auto it = versions.crbegin(); it != versions.crend(); ++it) {
        const QString path = root.filePath(*it + QStringLiteral("/bin/") + name);
        if (QFile::exists(path))
            return path;
    }
    return QStandardPaths::findExecutable(name);
}

bool PgServer::run(const QString &tool, const QStringList &args, QString *output)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    if (::geteuid() == 0)
        p.start(QStringLiteral("runuser"),
                QStringList{QStringLiteral("-u"), QStringLiteral("postgres"), QStringLiteral("--"), binary(tool)} + args);
    else
        p.start(binary(tool), args);
    const bool finished = p.waitForFinished(60000);
    *output = QString::fromLocal8Bit(p.readAll());
    return finished && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

bool PgServer::start(const QString &parentDir, QString *error)
{
    if (binary(QStringLiteral("initdb")).isEmpty() || binary(QStringLiteral("pg_ctl")).isEmpty()) {
        *error = QStringLiteral("PostgreSQL server binaries (Debian package postgresql) are required");
        return false;
    }
    m_data = QDir(parentDir).filePath(QStringLiteral("pg"));
    if (!QDir().mkpath(m_data)) {
        *error = QStringLiteral("cannot create ") + m_data;
        return false;
    }
    if (::geteuid() == 0) {
        const passwd *pw = ::getpwnam("postgres");
        if (!pw || ::chown(m_data.toLocal8Bit().constData(), pw->pw_uid, pw->pw_gid) != 0) {
            *error = QStringLiteral("user postgres is missing or cannot own the data directory");
            return false;
        }
        QFile::setPermissions(parentDir, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner
                                             | QFileDevice::ExeGroup | QFileDevice::ExeOther);
    }
    QFile::setPermissions(m_data, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    if (!run(QStringLiteral("initdb"), {QStringLiteral("-D"), m_data, QStringLiteral("-A"), QStringLiteral("trust"),
                                        QStringLiteral("-U"), QStringLiteral("hcp"), QStringLiteral("-E"),
                                        QStringLiteral("UTF8"), QStringLiteral("--no-sync")}, error))
        return false;
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost)) {
        *error = QStringLiteral("no free port");
        return false;
    }
    const quint16 port = probe.serverPort();
    probe.close();
    if (!run(QStringLiteral("pg_ctl"),
             {QStringLiteral("-D"), m_data, QStringLiteral("-w"), QStringLiteral("-l"), m_data + QStringLiteral("/server.log"),
              QStringLiteral("-o"),
              QStringLiteral("-p %1 -k %2 -c listen_addresses=127.0.0.1 -c fsync=off").arg(port).arg(m_data),
              QStringLiteral("start")}, error))
        return false;
    m_started = true;
    m_spec = QStringLiteral("postgres://hcp@127.0.0.1:%1/postgres").arg(port);
    return true;
}

void PgServer::stop()
{
    if (!m_started)
        return;
    QString output;
    run(QStringLiteral("pg_ctl"), {QStringLiteral("-D"), m_data, QStringLiteral("-m"), QStringLiteral("immediate"),
                                   QStringLiteral("stop")}, &output);
    m_started = false;
}

} // namespace hcp::sync::test

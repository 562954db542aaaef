// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QDeadlineTimer>
#include <QDir>
#include <QProcess>
#include <QStandardPaths>
#include <QString>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>

#include <csignal>
#include <memory>
#include <sys/prctl.h>

namespace hcp::trust::test {

// A software TPM 2.0 (swtpm) for one test: a TCP server on a free port pair (command P,
// control P+1) over a state directory; each state directory is one distinct TPM (its own
// endorsement and owner seeds). Killed with the test (PDEATHSIG) and in the destructor.
class SwtpmProcess
{
public:
    ~SwtpmProcess() { stop(); }

    static bool available() { return !QStandardPaths::findExecutable(QStringLiteral("swtpm")).isEmpty(); }

    bool start(const QString &stateDir)
    {
        stop();
        QDir().mkpath(stateDir);
        m_stateDir = stateDir;
        for (int attempt = 0; attempt < 20; ++attempt) {
            m_port = freePortPair();
            if (m_port == 0)
                continue;
            m_process = std::make_unique<QProcess>();
            m_process->setProcessChannelMode(QProcess::MergedChannels);
            m_process->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
            m_process->start(QStringLiteral("swtpm"),
                             {QStringLiteral("socket"), QStringLiteral("--tpm2"),
                              QStringLiteral("--tpmstate"), QStringLiteral("dir=%1").arg(stateDir),
                              QStringLiteral("--server"), QStringLiteral("type=tcp,port=%1,bindaddr=127.0.0.1").arg(m_port),
                              QStringLiteral("--ctrl"), QStringLiteral("type=tcp,port=%1,bindaddr=127.0.0.1").arg(m_port + 1),
                              QStringLiteral("--flags"), QStringLiteral("not-need-init,startup-clear")});
            if (!m_process->waitForStarted(5000))
                return false;
            QDeadlineTimer deadline(5000);
            while (!deadline.hasExpired() && m_process->state() == QProcess::Running) {
                QTcpSocket probe;
                probe.connectToHost(QStringLiteral("127.0.0.1"), m_port);
                if (probe.waitForConnected(200)) {
                    probe.disconnectFromHost();
                    return true;
                }
                QThread::msleep(20);
            }
            m_output += QString::fromUtf8(m_process->readAll());
            m_process.reset(); // port taken by someone else meanwhile: try another pair
        }
        return false;
    }
    bool restart() { return start(m_stateDir); }

    void stop()
    {
        if (!m_process)
            return;
        m_process->terminate();
        if (!m_process->waitForFinished(3000)) {
            m_process->kill();
            m_process->waitForFinished(3000);
        }
        m_process.reset();
    }

    quint16 port() const { return m_port; }
    QString stateDir() const { return m_stateDir; }
    QString tcti() const { return QStringLiteral("swtpm:host=127.0.0.1,port=%1").arg(m_port); }
    QString output() const { return m_output; }

private:
    static quint16 freePortPair()
    {
        QTcpServer a;
        if (!a.listen(QHostAddress::LocalHost, 0))
            return 0;
        const quint16 port = a.serverPort();
        QTcpServer b;
        if (port == 65535 || !b.listen(QHostAddress::LocalHost, port + 1))
            return 0;
        return port;
    }

    std::unique_ptr<QProcess> m_process;
    QString m_stateDir;
    QString m_output;
    quint16 m_port = 0;
};

} // namespace hcp::trust::test

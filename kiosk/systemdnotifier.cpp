// SPDX-License-Identifier: Apache-2.0
// The sd_notify(3) protocol is implemented here rather than linked from libsystemd: it is one
// sendto() of "KEY=VALUE\n" lines to an AF_UNIX datagram socket (a stable, documented interface),
// and libsystemd's sd_watchdog_enabled() would reject WATCHDOG_PID = the cage compositor, which
// is exactly the pid systemd gives us under `cage -- hcp-kiosk`.
#include "systemdnotifier.h"

#include <QLoggingCategory>

#include <cerrno>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <limits>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcSystemd, "hcp.kiosk.systemd")

namespace hcp::kiosk {

namespace {

// Builds the sockaddr_un for NOTIFY_SOCKET; empty when the value is unusable.
QByteArray socketAddress(const QByteArray &path)
{
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    const bool abstract = path.startsWith('@');
    // A path socket needs room for its terminating NUL; an abstract name is length-delimited.
    const qsizetype maxLen = qsizetype(sizeof(addr.sun_path)) - (abstract ? 0 : 1);
    if (path.size() < 2 && abstract)
        return {};
    if (path.isEmpty() || path.size() > maxLen || (!abstract && !path.startsWith('/')))
        return {};
    std::memcpy(addr.sun_path, path.constData(), size_t(path.size()));
    if (abstract)
        addr.sun_path[0] = '\0';
    const size_t len = offsetof(sockaddr_un, sun_path) + size_t(path.size()) + (abstract ? 0 : 1);
    return QByteArray(reinterpret_cast<const char *>(&addr), qsizetype(len));
}

} // namespace

SystemdNotifier::SystemdNotifier(QObject *parent)
    : QObject(parent)
{
    const QByteArray socketPath = qgetenv("NOTIFY_SOCKET");
    const QByteArray usec = qgetenv("WATCHDOG_USEC");
    const QByteArray watchdogPid = qgetenv("WATCHDOG_PID");
    qunsetenv("NOTIFY_SOCKET");
    qunsetenv("WATCHDOG_USEC");
    qunsetenv("WATCHDOG_PID");

    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &SystemdNotifier::tick);

    if (socketPath.isEmpty())
        return;
    m_address = socketAddress(socketPath);
    if (m_address.isEmpty()) {
        qCWarning(lcSystemd) << "ignoring unusable NOTIFY_SOCKET" << socketPath;
        return;
    }
    m_fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (m_fd < 0) {
        qCWarning(lcSystemd) << "cannot create the notify socket:" << std::strerror(errno);
        return;
    }

    bool ok = false;
    const qint64 watchdog = usec.toLongLong(&ok);
    if (!ok || watchdog <= 0)
        return;
    if (!watchdogPid.isEmpty()) {
        const qint64 pid = watchdogPid.toLongLong(&ok);
        if (!ok || (pid != qint64(::getpid()) && pid != qint64(::getppid()))) {
            qCInfo(lcSystemd) << "the service watchdog belongs to pid" << watchdogPid << "- not pinging";
            return;
        }
    }
    m_watchdogUsec = watchdog;
    m_timer.setInterval(int(qBound(qint64(1), watchdog / 2000, qint64(std::numeric_limits<int>::max()))));
    m_timer.start();
    qCInfo(lcSystemd) << "watchdog enabled, ping every" << m_timer.interval() << "ms";
}

SystemdNotifier::~SystemdNotifier()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

void SystemdNotifier::setHealthCheck(HealthCheck check)
{
    m_healthCheck = std::move(check);
}

bool SystemdNotifier::ready()
{
    return notify(QByteArrayLiteral("READY=1"));
}

bool SystemdNotifier::status(const QString &text)
{
    QByteArray line = text.toUtf8();
    line.replace('\n', ' ');
    return notify("STATUS=" + line);
}

bool SystemdNotifier::stopping()
{
    m_timer.stop();
    return notify(QByteArrayLiteral("STOPPING=1"));
}

bool SystemdNotifier::notify(const QByteArray &state)
{
    if (m_fd < 0 || state.isEmpty())
        return false;
    const auto *addr = reinterpret_cast<const sockaddr *>(m_address.constData());
    for (;;) {
        const ssize_t n = ::sendto(m_fd, state.constData(), size_t(state.size()), MSG_NOSIGNAL | MSG_DONTWAIT,
                                   addr, socklen_t(m_address.size()));
        if (n == ssize_t(state.size()))
            return true;
        if (n < 0 && errno == EINTR)
            continue;
        qCWarning(lcSystemd) << "notify" << state.left(state.indexOf('=')) << "not delivered:"
                             << (n < 0 ? std::strerror(errno) : "short write");
        return false;
    }
}

void SystemdNotifier::tick()
{
    const bool healthy = !m_healthCheck || m_healthCheck();
    if (healthy != m_healthy) {
        m_healthy = healthy;
        if (healthy)
            qCInfo(lcSystemd) << "health check passes again; watchdog pings resume";
        else
            qCWarning(lcSystemd) << "health check failed; withholding watchdog pings";
        Q_EMIT healthChanged(healthy);
    }
    if (healthy && notify(QByteArrayLiteral("WATCHDOG=1")))
        Q_EMIT watchdogPinged();
}

} // namespace hcp::kiosk

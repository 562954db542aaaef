// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QObject>
#include <QString>
#include <QTimer>

#include <functional>

namespace hcp::kiosk {

// Talks to the service manager over the sd_notify(3) datagram protocol: READY=1, STATUS=…,
// STOPPING=1 and the WATCHDOG=1 keep-alive of hcp-kiosk.service (Type=notify, WatchdogSec=).
//
// The environment is read once, in the constructor: NOTIFY_SOCKET (a file system path, or an
// abstract socket when it starts with '@'), WATCHDOG_USEC and WATCHDOG_PID. The three variables
// are then removed from the process environment so that child processes (speech, helpers) cannot
// speak for the kiosk. Without NOTIFY_SOCKET every call is a no-op that returns false.
//
// Watchdog: when WATCHDOG_USEC is a positive number and WATCHDOG_PID is unset, equals our pid,
// or equals our parent's pid, a timer sends WATCHDOG=1 every WATCHDOG_USEC / 2. The parent's pid
// is accepted because the unit runs `cage -- hcp-kiosk`: systemd's main process (and so
// WATCHDOG_PID) is the compositor, whose only client is this process. Each tick first calls the
// health check; while it returns false no ping is sent, so a stuck store or sync loop lets
// systemd kill and restart the service. The timer lives on the thread that owns this object
// (the GUI thread), so a blocked event loop stops the pings as well.
//
// Threading: all members must be called on the owning thread. Sending never blocks: a full
// socket buffer drops the datagram (logged); the next tick sends again.
class SystemdNotifier : public QObject {
    Q_OBJECT
public:
    using HealthCheck = std::function<bool()>;

    explicit SystemdNotifier(QObject *parent = nullptr);
    ~SystemdNotifier() override;

    // True when NOTIFY_SOCKET was set and a datagram socket could be created.
    bool isEnabled() const { return m_fd >= 0; }
    // True when the service has a watchdog meant for this process (see above).
    bool isWatchdogEnabled() const { return m_watchdogUsec > 0 && isEnabled(); }
    // WATCHDOG_USEC as given by the service manager, in microseconds; 0 when disabled.
    qint64 watchdogUsec() const { return m_watchdogUsec; }
    // The ping period in milliseconds (half of WATCHDOG_USEC, at least 1); 0 when disabled.
    int pingIntervalMs() const { return m_timer.isActive() ? m_timer.interval() : 0; }

    // Replaces the health check consulted before every WATCHDOG=1; an empty function means
    // "always healthy". Called on the owning thread; it must be fast (it runs on every tick).
    void setHealthCheck(HealthCheck check);

    // The service finished starting up (the first frame is on screen). Returns false when
    // nothing was sent.
    bool ready();
    // A one-line status shown by `systemctl status`; newlines are replaced by spaces.
    bool status(const QString &text);
    // The service is shutting down on purpose (sanctioned exit, SIGTERM); stops the pings.
    bool stopping();
    // Sends one raw state block ("KEY=VALUE" lines, e.g. "RELOADING=1"). Exposed for the
    // updater's trial-boot reporting; the named functions above are the normal way.
    bool notify(const QByteArray &state);

Q_SIGNALS:
    // After each WATCHDOG=1 that reached the socket.
    void watchdogPinged();
    // When the health check turns false (pings stop) or true again (pings resume).
    void healthChanged(bool healthy);

private:
    void tick();

    int m_fd = -1;
    QByteArray m_address; // sockaddr_un bytes, ready for sendto()
    qint64 m_watchdogUsec = 0;
    QTimer m_timer;
    HealthCheck m_healthCheck;
    bool m_healthy = true;
};

} // namespace hcp::kiosk

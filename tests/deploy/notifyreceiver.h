// SPDX-License-Identifier: Apache-2.0
// A stand-in for systemd's notify socket in tests: binds an AF_UNIX datagram socket (a path, or an
// abstract name starting with '@') and records every datagram with its arrival time on the steady
// clock, from a thread of its own, so a stalled sender cannot hide what it did (not) send.
#pragma once

#include <QByteArray>
#include <QList>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstring>
#include <mutex>
#include <thread>
#include <vector>

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace hcp::test {

using Clock = std::chrono::steady_clock;

struct Datagram {
    Clock::time_point at;
    QByteArray data;
};

// Binds a datagram socket (path or abstract) and records everything that arrives.
class NotifyReceiver {
public:
    explicit NotifyReceiver(const QByteArray &name)
    {
        m_fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        std::memcpy(addr.sun_path, name.constData(), size_t(name.size()));
        socklen_t len = socklen_t(offsetof(sockaddr_un, sun_path) + size_t(name.size()));
        if (name.startsWith('@'))
            addr.sun_path[0] = '\0';
        else
            ++len;
        m_bound = m_fd >= 0 && ::bind(m_fd, reinterpret_cast<sockaddr *>(&addr), len) == 0;
        if (m_bound)
            m_thread = std::thread([this] { run(); });
    }
    ~NotifyReceiver()
    {
        m_stop = true;
        if (m_thread.joinable())
            m_thread.join();
        if (m_fd >= 0)
            ::close(m_fd);
    }
    bool isBound() const { return m_bound; }
    std::vector<Datagram> received() const
    {
        std::lock_guard lock(m_mutex);
        return m_received;
    }
    QList<QByteArray> payloads() const
    {
        QList<QByteArray> out;
        for (const Datagram &d : received())
            out << d.data;
        return out;
    }
    std::vector<Clock::time_point> pingTimes() const
    {
        std::vector<Clock::time_point> out;
        for (const Datagram &d : received())
            if (d.data == "WATCHDOG=1")
                out.push_back(d.at);
        return out;
    }
    int pingCount() const { return int(pingTimes().size()); }

private:
    void run()
    {
        while (!m_stop) {
            pollfd p{m_fd, POLLIN, 0};
            if (::poll(&p, 1, 20) <= 0)
                continue;
            char buf[4096];
            const ssize_t n = ::recv(m_fd, buf, sizeof buf, 0);
            if (n < 0)
                continue;
            std::lock_guard lock(m_mutex);
            m_received.push_back({Clock::now(), QByteArray(buf, qsizetype(n))});
        }
    }

    int m_fd = -1;
    bool m_bound = false;
    std::atomic<bool> m_stop{false};
    std::thread m_thread;
    mutable std::mutex m_mutex;
    std::vector<Datagram> m_received;
};

} // namespace hcp::test

// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QFuture>
#include <QHash>
#include <QList>
#include <QString>
#include <QThreadPool>

#include <functional>

namespace hcp::sync::hub::guard {

// Console logins (PROTOCOL §17): how often an address and an account may try, and the password
// hashing (PBKDF2, ~0.1–0.3 s each) on worker threads, so the serving thread keeps answering
// kiosks while a burst of logins is checked.
class LoginThrottle
{
public:
    struct Limits
    {
        int perAddressPerMinute = 10;
        int perAccountPerMinute = 10;
        int maxPendingHashes = 8; // hashes queued or running; more → refused at once
        int workers = 2;
        int maxTracked = 10000;   // addresses or accounts remembered; more → refused (a flood)
    };

    LoginThrottle();
    explicit LoginThrottle(const Limits &limits);
    ~LoginThrottle();

    // 0 when this attempt may go on (and it is counted), else the seconds to wait (429).
    int admit(const QString &address, const QString &account, qint64 nowMs);

    // Runs check on a worker thread; an invalid future when maxPendingHashes are in flight.
    QFuture<bool> run(std::function<bool()> check);

private:
    static int countRecent(QList<qint64> &attempts, qint64 nowMs);
    void prune(QHash<QString, QList<qint64>> &map, qint64 nowMs);

    Limits m_limits;
    QHash<QString, QList<qint64>> m_byAddress;
    QHash<QString, QList<qint64>> m_byAccount;
    QThreadPool m_pool;
    std::shared_ptr<std::atomic<int>> m_pending;
};

} // namespace hcp::sync::hub::guard

// SPDX-License-Identifier: Apache-2.0
#include "loginthrottle.h"

#include <QPromise>

#include <atomic>
#include <memory>

namespace hcp::sync::hub::guard {

namespace {
constexpr qint64 kMinuteMs = 60'000;
}

LoginThrottle::LoginThrottle()
    : LoginThrottle(Limits{})
{
}

LoginThrottle::LoginThrottle(const Limits &limits)
    : m_limits(limits)
    , m_pending(std::make_shared<std::atomic<int>>(0))
{
    m_pool.setMaxThreadCount(qMax(1, limits.workers));
}

LoginThrottle::~LoginThrottle()
{
    m_pool.waitForDone();
}

int LoginThrottle::countRecent(QList<qint64> &attempts, qint64 nowMs)
{
    while (!attempts.isEmpty() && attempts.first() <= nowMs - kMinuteMs)
        attempts.removeFirst();
    return int(attempts.size());
}

void LoginThrottle::prune(QHash<QString, QList<qint64>> &map, qint64 nowMs)
{
    if (map.size() < m_limits.maxTracked)
        return;
    for (auto it = map.begin(); it != map.end();) {
        if (countRecent(it.value(), nowMs) == 0)
            it = map.erase(it);
        else
            ++it;
    }
}

int LoginThrottle::admit(const QString &address, const QString &account, qint64 nowMs)
{
    prune(m_byAddress, nowMs);
    prune(m_byAccount, nowMs);
    if ((!m_byAddress.contains(address) && m_byAddress.size() >= m_limits.maxTracked)
        || (!m_byAccount.contains(account) && m_byAccount.size() >= m_limits.maxTracked))
        return 60;
    QList<qint64> &byAddress = m_byAddress[address];
    QList<qint64> &byAccount = m_byAccount[account];
    const int wait = [&] {
        if (countRecent(byAddress, nowMs) >= m_limits.perAddressPerMinute)
            return int((byAddress.first() + kMinuteMs - nowMs) / 1000) + 1;
        if (countRecent(byAccount, nowMs) >= m_limits.perAccountPerMinute)
            return int((byAccount.first() + kMinuteMs - nowMs) / 1000) + 1;
        return 0;
    }();
    if (wait > 0)
        return wait;
    byAddress.append(nowMs);
    byAccount.append(nowMs);
    return 0;
}

QFuture<bool> LoginThrottle::run(std::function<bool()> check)
{
    if (m_pending->fetch_add(1) >= m_limits.maxPendingHashes) {
        m_pending->fetch_sub(1);
        return {};
    }
    auto promise = std::make_shared<QPromise<bool>>();
    QFuture<bool> future = promise->future();
    promise->start();
    m_pool.start([promise, check = std::move(check), pending = m_pending] {
        promise->addResult(check());
        promise->finish();
        pending->fetch_sub(1);
    });
    return future;
}

} // namespace hcp::sync::hub::guard

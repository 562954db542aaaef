// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QHttpServerResponder>
#include <QHttpServerResponse>
#include <QObject>
#include <QThreadPool>

#include <atomic>
#include <functional>

namespace hcp::sync::hub::serving {

// A handler's result: the answer, and what must run on the serving thread before it is sent
// (state owned there, e.g. the fleet's heartbeat bookkeeping and the receipt re-checks).
struct Outcome
{
    QHttpServerResponse response;
    std::function<void()> onServingThread;
};

// The hub's bounded worker pool (PROTOCOL §1b). Requests are read and routed on the serving
// thread (the event loop); a device route's work — signature checks, database round trips —
// runs here, so one slow request no longer holds up every kiosk and the cores are used. Each
// worker thread keeps its own database connection (Qt SQL connections belong to one thread;
// see WorkerStores). At most maxQueued jobs wait; beyond that a request is answered 503
// "overloaded" with Retry-After at once instead of queueing without bound.
class WorkerPool : public QObject
{
public:
    using Job = std::function<Outcome()>;

    // threads == 0: no pool, jobs run on the serving thread at once (one request at a time).
    WorkerPool(int threads, int maxQueued, QObject *parent = nullptr);
    ~WorkerPool() override;

    int threads() const { return m_threads; }
    int queued() const { return m_queued.load(); }

    // Runs job on a worker, then, on the serving thread, outcome.onServingThread and the
    // answer (stamped with X-HCP-Hub-Time) to responder if the client is still connected.
    void respond(QHttpServerResponder &&responder, Job job);

    // The size for a database: 2 per core (at least 2) for PostgreSQL, whose round trips leave a
    // core idle; 0 for SQLite. One SQLite file takes one writer at a time, and a transaction
    // that reads and then writes fails at once (SQLITE_BUSY_SNAPSHOT, not waited for) when
    // another connection committed in between; the serving thread alone never meets that.
    static int defaultThreads(bool postgres);

private:
    QThreadPool m_pool;
    const int m_threads;
    const int m_maxQueued;
    std::atomic<int> m_queued{0};
};

} // namespace hcp::sync::hub::serving

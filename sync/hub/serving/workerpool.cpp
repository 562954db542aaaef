// SPDX-License-Identifier: Apache-2.0
#include "workerpool.h"

#include "guard/inputchecks.h"
#include "http/http.h"

#include <QLoggingCategory>
#include <QPointer>
#include <QTcpSocket>
#include <QThread>

#include <memory>

Q_LOGGING_CATEGORY(lcServing, "hcp.sync.hub.serving")

namespace hcp::sync::hub::serving {

namespace {

void send(Outcome &outcome, QHttpServerResponder &&responder)
{
    guard::stampHubTime(outcome.response);
    outcome.response.write(std::move(responder));
}

} // namespace

WorkerPool::WorkerPool(int threads, int maxQueued, QObject *parent)
    : QObject(parent)
    , m_threads(qMax(0, threads))
    , m_maxQueued(qMax(1, maxQueued))
{
    m_pool.setMaxThreadCount(qMax(1, m_threads));
    m_pool.setExpiryTimeout(-1); // a worker keeps its database connection for the hub's life
    m_pool.setObjectName(QStringLiteral("hcp-hub-workers"));
}

WorkerPool::~WorkerPool()
{
    m_pool.waitForDone();
}

int WorkerPool::defaultThreads(bool postgres)
{
    if (!postgres)
        return 0;
    return qMax(2, 2 * QThread::idealThreadCount());
}

void WorkerPool::respond(QHttpServerResponder &&responder, Job job)
{
    if (m_threads == 0) {
        Outcome outcome = job();
        if (outcome.onServingThread)
            outcome.onServingThread();
        send(outcome, std::move(responder));
        return;
    }
    if (m_queued.fetch_add(1) >= m_maxQueued) {
        m_queued.fetch_sub(1);
        Outcome busy{http::error(QHttpServerResponse::StatusCode::ServiceUnavailable, QStringLiteral("overloaded"),
                                 QStringLiteral("the hub is busy; retry after 1 s")),
                     {}};
        busy.response.setHeader("Retry-After", "1");
        qCDebug(lcServing) << "overloaded:" << m_maxQueued << "requests waiting";
        send(busy, std::move(responder));
        return;
    }
    // Only values travel: the request object is reused for the connection's next request.
    auto held = std::make_shared<QHttpServerResponder>(std::move(responder));
    const QPointer<QTcpSocket> socket = held->socket();
    m_pool.start([this, job = std::move(job), held, socket] {
        auto outcome = std::make_shared<Outcome>(job());
        m_queued.fetch_sub(1);
        // Queued to the serving thread; dropped with the pool if the hub is shutting down.
        QMetaObject::invokeMethod(
            this,
            [outcome, held, socket] {
                if (outcome->onServingThread)
                    outcome->onServingThread();
                if (socket && socket->state() == QAbstractSocket::ConnectedState)
                    send(*outcome, std::move(*held));
            },
            Qt::QueuedConnection);
    });
}

} // namespace hcp::sync::hub::serving

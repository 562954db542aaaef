// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QHash>
#include <QObject>
#include <QRandomGenerator>
#include <QTcpServer>

class QTcpSocket;

namespace hcp::sync::test {

// An HTTP/1.1-aware TCP proxy for loopback tests that injects faults per request: drop the
// connection unanswered, delay, reset after the hub answered, truncate the response, or answer
// 500/503 itself. It parses request and response framing (Content-Length) so keep-alive
// connections work. Single-threaded; lives on the test's thread.
class FaultProxy : public QObject
{
    Q_OBJECT
public:
    enum Fault { Pass, Drop, Delay, ResetAfterCommit, Truncate, Error500, Error503, FaultCount };
    Q_ENUM(Fault)

    FaultProxy(quint16 upstreamPort, quint32 seed, QObject *parent = nullptr);
    ~FaultProxy() override;

    bool listen();
    quint16 port() const { return m_server.serverPort(); }

    // Percent of requests that get a fault (spread evenly over the fault kinds).
    void setFaultPercent(int percent) { m_faultPercent = percent; }
    int count(Fault f) const { return m_counts[f]; }
    int requests() const;

private:
    struct Connection
    {
        QTcpSocket *client = nullptr;
        QByteArray buffer;
        bool busy = false;
    };

    void onNewConnection();
    void pump(QTcpSocket *client);
    void forward(QTcpSocket *client, const QByteArray &request, Fault fault);
    void finishRequest(QTcpSocket *client);
    Fault choose();

    QTcpServer m_server;
    quint16 m_upstreamPort;
    QRandomGenerator m_rng;
    int m_faultPercent = 40;
    int m_counts[FaultCount] = {};
    QHash<QTcpSocket *, Connection> m_connections;
};

// Length of the first complete HTTP message in data (headers + Content-Length body), or -1.
qsizetype httpMessageLength(const QByteArray &data);

} // namespace hcp::sync::test

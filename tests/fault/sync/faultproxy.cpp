// SPDX-License-Identifier: Apache-2.0
#include "faultproxy.h"

#include <QTcpSocket>
#include <QTimer>

namespace hcp::sync::test {

qsizetype httpMessageLength(const QByteArray &data)
{
    const qsizetype headerEnd = data.indexOf("\r\n\r\n");
    if (headerEnd < 0)
        return -1;
    qsizetype contentLength = 0;
    const QList<QByteArray> lines = data.left(headerEnd).split('\n');
    for (const QByteArray &line : lines) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && line.left(colon).trimmed().toLower() == "content-length")
            contentLength = line.mid(colon + 1).trimmed().toLongLong();
    }
    const qsizetype total = headerEnd + 4 + contentLength;
    return data.size() >= total ? total : -1;
}

FaultProxy::FaultProxy(quint16 upstreamPort, quint32 seed, QObject *parent)
    : QObject(parent)
    , m_upstreamPort(upstreamPort)
    , m_rng(seed)
{
    connect(&m_server, &QTcpServer::newConnection, this, &FaultProxy::onNewConnection);
}

FaultProxy::~FaultProxy()
{
    // Sockets die with the server; their disconnected() must not reach this half-destroyed proxy.
    for (QTcpSocket *client : m_connections.keys()) {
        client->disconnect(this);
        delete client;
    }
    m_connections.clear();
}

bool FaultProxy::listen()
{
    return m_server.listen(QHostAddress::LocalHost);
}

int FaultProxy::requests() const
{
    int n = 0;
    for (int c : m_counts)
        n += c;
    return n;
}

FaultProxy::Fault FaultProxy::choose()
{
    if (static_cast<int>(m_rng.bounded(100)) >= m_faultPercent)
        return Pass;
    return static_cast<Fault>(1 + m_rng.bounded(FaultCount - 1));
}

void FaultProxy::onNewConnection()
{
    while (QTcpSocket *client = m_server.nextPendingConnection()) {
        m_connections.insert(client, Connection{client, {}, false});
        connect(client, &QTcpSocket::readyRead, this, [this, client] { pump(client); });
        connect(client, &QTcpSocket::disconnected, this, [this, client] {
            m_connections.remove(client);
            client->deleteLater();
        });
    }
}

void FaultProxy::pump(QTcpSocket *client)
{
    auto it = m_connections.find(client);
    if (it == m_connections.end())
        return;
    it->buffer += client->readAll();
    if (it->busy)
        return;
    const qsizetype length = httpMessageLength(it->buffer);
    if (length < 0)
        return;
    const QByteArray request = it->buffer.left(length);
    it->buffer.remove(0, length);
    it->busy = true;
    const Fault fault = choose();
    ++m_counts[fault];
    switch (fault) {
    case Drop:
        client->disconnectFromHost(); // unanswered, request never reaches the hub
        return;
    case Error500:
    case Error503: {
        const QByteArray body = fault == Error500 ? R"({"error":"internal","message":"injected"})"
                                                  : R"({"error":"unavailable","message":"injected"})";
        client->write((fault == Error500 ? "HTTP/1.1 500 Internal Server Error\r\n" : "HTTP/1.1 503 Service Unavailable\r\n")
                      + QByteArray("Content-Type: application/json\r\nContent-Length: ")
                      + QByteArray::number(body.size()) + "\r\n\r\n" + body);
        finishRequest(client);
        return;
    }
    case Delay:
        QTimer::singleShot(50 + m_rng.bounded(250), this, [this, client, request] {
            if (m_connections.contains(client))
                forward(client, request, Pass);
        });
        return;
    default:
        forward(client, request, fault);
    }
}

void FaultProxy::forward(QTcpSocket *client, const QByteArray &request, Fault fault)
{
    auto *upstream = new QTcpSocket(this);
    auto response = std::make_shared<QByteArray>();
    connect(upstream, &QTcpSocket::connected, upstream, [upstream, request] { upstream->write(request); });
    connect(upstream, &QTcpSocket::readyRead, this, [this, upstream, client, response, fault] {
        *response += upstream->readAll();
        const qsizetype length = httpMessageLength(*response);
        if (length < 0)
            return;
        upstream->disconnect(this);
        upstream->abort();
        upstream->deleteLater();
        if (!m_connections.contains(client))
            return;
        if (fault == ResetAfterCommit) {
            client->abort(); // the hub has committed; the kiosk never hears it
            return;
        }
        if (fault == Truncate) {
            client->write(response->left(length / 2));
            client->flush();
            client->disconnectFromHost();
            return;
        }
        client->write(response->left(length));
        finishRequest(client);
    });
    connect(upstream, &QTcpSocket::errorOccurred, this, [this, upstream, client] {
        upstream->deleteLater();
        if (m_connections.contains(client))
            client->abort();
    });
    upstream->connectToHost(QHostAddress::LocalHost, m_upstreamPort);
}

void FaultProxy::finishRequest(QTcpSocket *client)
{
    auto it = m_connections.find(client);
    if (it == m_connections.end())
        return;
    it->busy = false;
    if (!it->buffer.isEmpty())
        QTimer::singleShot(0, this, [this, client] { pump(client); });
}

} // namespace hcp::sync::test

// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QString>
#include <QTcpServer>
#include <QTcpSocket>

#include <functional>

// The load generator's transport for hcp-bench-hub: HTTP/1.1 keep-alive connections on
// QTcpSocket, one request in flight per connection, all on the thread that made them (no
// QNetworkAccessManager thread per client, so one thread drives thousands of connections).
// And the floor: a bare QTcpServer answering every request with the same fixed response.
namespace hcp::bench {

// One response; status 0 = no response (refused, reset, closed mid-answer).
struct HttpAnswer
{
    int status = 0;
    QByteArray body;
    QByteArray etag;
};

class HttpConnection : public QObject
{
public:
    using Done = std::function<void(const HttpAnswer &)>;

    HttpConnection(QString host, quint16 port, QObject *parent = nullptr);

    // Sends a complete request (request line, headers, body); connects first when needed.
    // done runs once, on this thread. One request at a time (busy() until done has run).
    void send(const QByteArray &request, Done done);
    bool busy() const { return bool(m_done); }

private:
    void onReadyRead();
    void finish(const HttpAnswer &answer);

    QString m_host;
    quint16 m_port;
    QTcpSocket m_socket;
    QByteArray m_pending;  // written once connected
    QByteArray m_buffer;   // response bytes so far
    qsizetype m_headerEnd = -1;
    qsizetype m_contentLength = -1;
    int m_status = 0;
    QByteArray m_etag;
    Done m_done;
};

// "METHOD target HTTP/1.1" with Host, Content-Type/Content-Length (POST), the extra headers and body.
QByteArray httpRequest(const QByteArray &method, const QByteArray &target, const QByteArray &host,
                       const QList<QPair<QByteArray, QByteArray>> &headers, const QByteArray &body);

// Answers every request on every connection with `response` (a full HTTP/1.1 message).
// Reads requests just enough to know where each ends (headers + Content-Length).
class FloorServer : public QTcpServer
{
public:
    explicit FloorServer(QByteArray response, QObject *parent = nullptr);

protected:
    void incomingConnection(qintptr handle) override;

private:
    QByteArray m_response;
};

} // namespace hcp::bench

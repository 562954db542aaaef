// SPDX-License-Identifier: Apache-2.0
#include "httpload.h"

#include <utility>

namespace hcp::bench {

namespace {

// Where the headers of an HTTP message in buf end (index after CRLFCRLF), and its
// Content-Length (0 when absent), status and ETag. -1 while the headers are incomplete.
qsizetype parseHead(const QByteArray &buf, qsizetype *contentLength, int *status, QByteArray *etag = nullptr)
{
    const qsizetype end = buf.indexOf("\r\n\r\n");
    if (end < 0)
        return -1;
    *contentLength = 0;
    const QByteArray head = buf.left(end);
    const qsizetype firstLineEnd = head.indexOf("\r\n");
    const QByteArray firstLine = head.left(firstLineEnd < 0 ? head.size() : firstLineEnd);
    if (status) {
        const QList<QByteArray> parts = firstLine.split(' ');
        *status = parts.size() >= 2 ? parts.at(1).toInt() : 0;
    }
    qsizetype pos = firstLineEnd < 0 ? head.size() : firstLineEnd + 2;
    while (pos < head.size()) {
        qsizetype next = head.indexOf("\r\n", pos);
        if (next < 0)
            next = head.size();
        const QByteArray line = head.mid(pos, next - pos);
        const qsizetype colon = line.indexOf(':');
        const QByteArray name = colon > 0 ? line.left(colon).trimmed() : QByteArray();
        if (name.compare("content-length", Qt::CaseInsensitive) == 0)
            *contentLength = line.mid(colon + 1).trimmed().toLongLong();
        else if (etag && name.compare("etag", Qt::CaseInsensitive) == 0)
            *etag = line.mid(colon + 1).trimmed();
        pos = next + 2;
    }
    return end + 4;
}

} // namespace

HttpConnection::HttpConnection(QString host, quint16 port, QObject *parent)
    : QObject(parent)
    , m_host(std::move(host))
    , m_port(port)
{
    m_socket.setParent(this);
    connect(&m_socket, &QTcpSocket::connected, this, [this] {
        m_socket.write(std::exchange(m_pending, {}));
    });
    connect(&m_socket, &QTcpSocket::readyRead, this, [this] { onReadyRead(); });
    connect(&m_socket, &QTcpSocket::disconnected, this, [this] {
        if (m_done)
            finish({});
    });
    connect(&m_socket, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError) {
        if (m_done && m_socket.state() != QAbstractSocket::ConnectedState)
            finish({});
    });
}

void HttpConnection::send(const QByteArray &request, Done done)
{
    m_done = std::move(done);
    m_buffer.clear();
    m_headerEnd = -1;
    if (m_socket.state() == QAbstractSocket::ConnectedState) {
        m_socket.write(request);
        return;
    }
    m_pending = request;
    if (m_socket.state() == QAbstractSocket::UnconnectedState)
        m_socket.connectToHost(m_host, m_port);
}

void HttpConnection::onReadyRead()
{
    m_buffer += m_socket.readAll();
    if (!m_done)
        return;
    if (m_headerEnd < 0) {
        m_etag.clear();
        m_headerEnd = parseHead(m_buffer, &m_contentLength, &m_status, &m_etag);
        if (m_headerEnd < 0)
            return;
    }
    if (m_buffer.size() < m_headerEnd + m_contentLength)
        return;
    HttpAnswer answer{m_status, m_buffer.mid(m_headerEnd, m_contentLength), m_etag};
    m_buffer.remove(0, m_headerEnd + m_contentLength);
    m_headerEnd = -1;
    finish(answer);
}

void HttpConnection::finish(const HttpAnswer &answer)
{
    Done done = std::exchange(m_done, {});
    if (answer.status == 0 && m_socket.state() != QAbstractSocket::UnconnectedState)
        m_socket.abort();
    done(answer);
}

QByteArray httpRequest(const QByteArray &method, const QByteArray &target, const QByteArray &host,
                       const QList<QPair<QByteArray, QByteArray>> &headers, const QByteArray &body)
{
    QByteArray r = method + ' ' + target + " HTTP/1.1\r\nHost: " + host + "\r\n";
    if (method != "GET")
        r += "Content-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n";
    for (const auto &h : headers)
        r += h.first + ": " + h.second + "\r\n";
    r += "\r\n";
    r += body;
    return r;
}

FloorServer::FloorServer(QByteArray response, QObject *parent)
    : QTcpServer(parent)
    , m_response(std::move(response))
{
    setListenBacklogSize(1024);
}

void FloorServer::incomingConnection(qintptr handle)
{
    auto *socket = new QTcpSocket(this);
    socket->setSocketDescriptor(handle);
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    auto buffer = std::make_shared<QByteArray>();
    connect(socket, &QTcpSocket::readyRead, socket, [this, socket, buffer] {
        *buffer += socket->readAll();
        for (;;) {
            qsizetype length = 0;
            const qsizetype headEnd = parseHead(*buffer, &length, nullptr);
            if (headEnd < 0 || buffer->size() < headEnd + length)
                return;
            buffer->remove(0, headEnd + length);
            socket->write(m_response);
        }
    });
}

} // namespace hcp::bench

// SPDX-License-Identifier: Apache-2.0
#include "requestguard.h"

#include "../../wire.h"

#include <QJsonDocument>
#include <QPointer>
#include <QTcpSocket>
#include <QTimer>

#include <cstring>
#include <limits>
#include <sys/socket.h>

namespace hcp::sync::hub::guard {

namespace {

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 400: return QByteArrayLiteral("Bad Request");
    case 408: return QByteArrayLiteral("Request Timeout");
    case 411: return QByteArrayLiteral("Length Required");
    case 413: return QByteArrayLiteral("Payload Too Large");
    case 414: return QByteArrayLiteral("URI Too Long");
    case 431: return QByteArrayLiteral("Request Header Fields Too Large");
    default: return QByteArrayLiteral("Error");
    }
}

QString errorCode(int status)
{
    switch (status) {
    case 408: return QStringLiteral("request_timeout");
    case 411: return QStringLiteral("length_required");
    case 413: return QStringLiteral("body_too_large");
    case 414: return QStringLiteral("uri_too_long");
    case 431: return QStringLiteral("headers_too_large");
    default: return QStringLiteral("bad_request");
    }
}

} // namespace

Limits Limits::hubDefaults()
{
    Limits l;
    l.bodyLimits = {
        {QByteArrayLiteral("/v1/evaluations/batch"), 8 * 1024 * 1024}, // 500 evaluations with their ledger
        {QByteArrayLiteral("/v1/audit"), 8 * 1024 * 1024},
        {QByteArrayLiteral("/v1/admin/cases"), 64 * 1024 * 1024},
        {QByteArrayLiteral("/v1/admin/bundles"), 512 * 1024 * 1024},
        {QByteArrayLiteral("/console/api/bundles"), 512 * 1024 * 1024},
        {QByteArrayLiteral("/console/api/grievance/appeals/"), 6 * 1024 * 1024}, // attachments: 5 MiB each, checked by type
        {QByteArrayLiteral("/console/api/login"), 4 * 1024},
        {QByteArrayLiteral("/v1/enroll"), 16 * 1024},
        {QByteArrayLiteral("/v1/heartbeat"), 256 * 1024},
    };
    return l;
}

qint64 Limits::maxBodyFor(const QByteArray &path) const
{
    qint64 best = defaultMaxBody;
    qsizetype bestLength = -1;
    for (const auto &limit : bodyLimits) {
        if (path.startsWith(limit.first) && limit.first.size() > bestLength) {
            best = limit.second;
            bestLength = limit.first.size();
        }
    }
    return best;
}

GuardedTcpServer::GuardedTcpServer(const Limits &limits, QObject *parent)
    : QTcpServer(parent)
    , m_limits(limits)
{
}

void GuardedTcpServer::attached()
{
    // Connected after QAbstractHttpServer::bind(): runs after QHttpServer took the new
    // sockets and connected its readyRead handler, so the guard's second handler runs after it.
    connect(this, &QTcpServer::pendingConnectionAvailable, this, [this] {
        for (const QPointer<ConnectionGuard> &guard : std::as_const(m_waiting)) {
            if (guard)
                guard->followHttpServer();
        }
        m_waiting.clear();
    });
}

void GuardedTcpServer::incomingConnection(qintptr handle)
{
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(handle)) {
        delete socket;
        return;
    }
    if (m_open >= m_limits.maxConnections) {
        socket->abort();
        socket->deleteLater();
        if (onRefused)
            onRefused(503, QByteArrayLiteral("too many open connections"), socket);
        return;
    }
    ++m_open;
    connect(socket, &QObject::destroyed, this, [this] { --m_open; });
    // The guard's readyRead handler is connected before QHttpServer's, so it sees each chunk first.
    m_waiting.append(new ConnectionGuard(socket, this));
    addPendingConnection(socket);
}

ConnectionGuard::ConnectionGuard(QTcpSocket *socket, GuardedTcpServer *server)
    : QObject(socket)
    , m_socket(socket)
    , m_server(server)
    , m_timer(new QTimer(this))
{
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, &ConnectionGuard::timedOut);
    connect(socket, &QTcpSocket::readyRead, this, &ConnectionGuard::beforeHttpServerRead);
    armIdle();
}

void ConnectionGuard::followHttpServer()
{
    connect(m_socket, &QTcpSocket::readyRead, this, [this] {
        if (m_state != State::Refused)
            m_leftover = m_socket->bytesAvailable();
    });
}

void ConnectionGuard::beforeHttpServerRead()
{
    if (m_state == State::Refused) {
        // Read and dropped, so the client's close is seen at once and frees the connection.
        m_drained += m_socket->skip(m_socket->bytesAvailable());
        if (m_drained > m_server->limits().lingerMaxBytes)
            m_socket->abort();
        return;
    }
    const qint64 available = m_socket->bytesAvailable();
    if (available <= m_leftover) {
        m_leftover = available;
        return;
    }
    const QByteArray fresh = m_socket->peek(available).mid(m_leftover);
    m_leftover = available;
    scan(fresh.constData(), fresh.size());
}

void ConnectionGuard::scan(const char *data, qint64 size)
{
    const Limits &limits = m_server->limits();
    qint64 i = 0;
    while (i < size && m_state != State::Refused) {
        if (m_state == State::Body) {
            const qint64 take = qMin(m_bodyLeft, size - i);
            m_bodyLeft -= take;
            i += take;
            if (m_bodyLeft == 0)
                requestDone();
            continue;
        }
        if (m_state == State::RequestLine && m_deadline.isForever())
            startDeadline(limits.headerTimeoutMs);
        const void *nl = std::memchr(data + i, '\n', size_t(size - i));
        const qint64 end = nl ? static_cast<const char *>(nl) - data : size;
        const qint64 chunk = end - i + (nl ? 1 : 0);
        const qint64 cap = (m_state == State::RequestLine ? limits.maxRequestLine : limits.maxHeaderLine) + 2;
        if (m_line.size() < cap)
            m_line.append(data + i, qMin<qint64>(end - i, cap - m_line.size()));
        m_lineBytes += chunk;
        i += chunk;
        if (m_state == State::RequestLine) {
            if (m_lineBytes > limits.maxRequestLine + 2) {
                refuse(414, QByteArrayLiteral("request line over the limit"));
                return;
            }
        } else {
            m_headerBytes += chunk;
            if (m_lineBytes > limits.maxHeaderLine + 2 || m_headerBytes > limits.maxHeaderBytes) {
                refuse(431, QByteArrayLiteral("request headers over the limit"));
                return;
            }
        }
        if (!nl)
            break;
        QByteArray line = m_line;
        if (line.endsWith('\r'))
            line.chop(1);
        m_line.clear();
        m_lineBytes = 0;
        if (m_state == State::RequestLine) {
            if (line.isEmpty()) { // an empty line between requests is allowed (RFC 9112 §2.2)
                m_deadline = QDeadlineTimer(QDeadlineTimer::Forever);
                continue;
            }
            const QList<QByteArray> parts = line.split(' ');
            const QByteArray target = parts.value(1);
            const qsizetype query = target.indexOf('?');
            m_path = query < 0 ? target : target.left(query);
            m_state = State::Headers;
        } else if (line.isEmpty()) {
            headersDone();
        } else {
            headerLine(line);
        }
    }
}

void ConnectionGuard::headerLine(const QByteArray &line)
{
    const qsizetype colon = line.indexOf(':');
    if (colon <= 0 || line.at(0) == ' ' || line.at(0) == '\t')
        return; // QHttpServer's own parser judges malformed lines
    const QByteArray name = line.left(colon).trimmed().toLower();
    const QByteArray value = line.mid(colon + 1).trimmed();
    if (name == "content-length") {
        bool ok = !value.isEmpty();
        for (char c : value)
            ok = ok && c >= '0' && c <= '9';
        const qint64 length = ok && value.size() <= 18 ? value.toLongLong(&ok) : -1;
        if (!ok || length < 0 || (m_contentLength >= 0 && m_contentLength != length))
            m_badLength = true;
        m_contentLength = length;
    } else if (name == "transfer-encoding") {
        m_chunked = true;
    }
}

void ConnectionGuard::headersDone()
{
    const Limits &limits = m_server->limits();
    if (m_badLength) {
        refuse(400, QByteArrayLiteral("invalid Content-Length"));
        return;
    }
    if (m_chunked) {
        refuse(411, QByteArrayLiteral("Transfer-Encoding is not accepted; send Content-Length"));
        return;
    }
    const qint64 limit = limits.maxBodyFor(m_path);
    if (m_contentLength > limit) {
        refuse(413, QByteArrayLiteral("body of ") + QByteArray::number(m_contentLength) + " bytes; at most "
                        + QByteArray::number(limit) + " here");
        return;
    }
    if (m_contentLength > 0) {
        m_state = State::Body;
        m_bodyLeft = m_contentLength;
        startDeadline(limits.headerTimeoutMs + m_contentLength * 1000 / qMax(1, limits.minBodyBytesPerS));
        return;
    }
    requestDone();
}

void ConnectionGuard::requestDone()
{
    m_state = State::RequestLine;
    m_path.clear();
    m_contentLength = -1;
    m_chunked = false;
    m_badLength = false;
    m_headerBytes = 0;
    m_bodyLeft = 0;
    armIdle();
}

void ConnectionGuard::startDeadline(qint64 ms)
{
    m_deadline = QDeadlineTimer(ms);
    m_timer->start(int(qBound<qint64>(1, ms, qint64(std::numeric_limits<int>::max()))));
}

void ConnectionGuard::armIdle()
{
    m_deadline = QDeadlineTimer(QDeadlineTimer::Forever);
    m_timer->start(m_server->limits().idleTimeoutMs);
}

void ConnectionGuard::timedOut()
{
    if (m_state == State::Refused) {
        m_socket->abort();
        return;
    }
    if (m_deadline.isForever()) { // idle between requests
        m_socket->disconnectFromHost();
        return;
    }
    refuse(408, QByteArrayLiteral("request not complete in time"));
}

void ConnectionGuard::refuse(int status, const QByteArray &reason)
{
    m_state = State::Refused;
    // QHttpServer never sees this request: its handler is disconnected, and what it buffered of
    // the request so far is dropped with the transaction it started.
    QObject::disconnect(m_socket, &QTcpSocket::readyRead, nullptr, nullptr);
    connect(m_socket, &QTcpSocket::readyRead, this, &ConnectionGuard::beforeHttpServerRead);
    if (m_socket->isTransactionStarted())
        m_socket->commitTransaction();
    m_socket->skip(m_socket->bytesAvailable());
    if (m_server->onRefused)
        m_server->onRefused(status, reason, m_socket);
    const QByteArray body = QJsonDocument(wire::errorBody(errorCode(status), QString::fromUtf8(reason)))
                                .toJson(QJsonDocument::Compact);
    m_socket->write("HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status)
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size())
                    + "\r\nConnection: close\r\n\r\n" + body);
    m_socket->flush();
    // Half-close, and reset only after lingerMs: closing at once with unread data would reset
    // the connection and the client would lose the answer.
    if (m_socket->bytesToWrite() == 0)
        ::shutdown(int(m_socket->socketDescriptor()), SHUT_WR);
    else
        connect(m_socket, &QTcpSocket::bytesWritten, this, [this] {
            if (m_socket->bytesToWrite() == 0)
                ::shutdown(int(m_socket->socketDescriptor()), SHUT_WR);
        });
    m_timer->start(m_server->limits().lingerMs);
}

} // namespace hcp::sync::hub::guard

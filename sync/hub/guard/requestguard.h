// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QDeadlineTimer>
#include <QList>
#include <QPair>
#include <QPointer>
#include <QTcpServer>

#include <functional>

class QTcpSocket;
class QTimer;

namespace hcp::sync::hub::guard {

// Limits the hub's front enforces before Qt's HTTP server sees a request (PROTOCOL §1a).
struct Limits
{
    qint64 maxRequestLine = 8 * 1024;   // method + target + version; longer → 414
    qint64 maxHeaderBytes = 32 * 1024;  // all header lines together; more → 431
    qint64 maxHeaderLine = 8 * 1024;    // one header line; longer → 431
    qint64 defaultMaxBody = 1024 * 1024; // endpoints not listed in bodyLimits; larger → 413
    // Path prefix → largest body accepted there; the longest matching prefix wins.
    QList<QPair<QByteArray, qint64>> bodyLimits;
    int headerTimeoutMs = 10'000; // from a request's first byte to the end of its headers
    int idleTimeoutMs = 60'000;   // a keep-alive connection without a request in flight
    int minBodyBytesPerS = 16 * 1024; // body deadline: headerTimeout + Content-Length / this rate
    int lingerMs = 2'000;         // after a refusal: time the client has to read the answer; then reset,
    qint64 lingerMaxBytes = 8 * 1024 * 1024; // or earlier once this much more of the upload came in
    int maxConnections = 1024;    // open connections; further ones are closed at once

    // The defaults of hcp-hub (batch and audit arrays, case import and bundle uploads are larger).
    static Limits hubDefaults();
    qint64 maxBodyFor(const QByteArray &path) const;
};

// Reads every connection's bytes as they arrive, in front of QHttpServer (Qt 6.4 reads a whole
// request into memory before any handler runs, so a handler cannot refuse a large body): a
// request line, header block or declared body over the limits is answered 414/431/413 at once,
// and QHttpServer never sees the request. Slow and idle connections are closed after a timeout.
// Bind it with QAbstractHttpServer::bind() after listen().
class ConnectionGuard;

class GuardedTcpServer : public QTcpServer
{
    Q_OBJECT
public:
    explicit GuardedTcpServer(const Limits &limits, QObject *parent = nullptr);

    // Call once right after QAbstractHttpServer::bind(this).
    void attached();

    const Limits &limits() const { return m_limits; }
    int openConnections() const { return m_open; }
    // Called for every refusal: status and a short reason, for the log.
    std::function<void(int status, const QByteArray &reason, QTcpSocket *socket)> onRefused;

protected:
    void incomingConnection(qintptr handle) override;

private:
    Limits m_limits;
    int m_open = 0;
    QList<QPointer<ConnectionGuard>> m_waiting; // new connections until QHttpServer took them
};

// The per-connection scanner; internal to GuardedTcpServer, public for the unit test.
class ConnectionGuard : public QObject
{
    Q_OBJECT
public:
    ConnectionGuard(QTcpSocket *socket, GuardedTcpServer *server);

    // Connects the guard's second readyRead handler, after QHttpServer's own: the bytes it
    // left unread were scanned already.
    void followHttpServer();

private:
    enum class State { RequestLine, Headers, Body, Refused };
    void beforeHttpServerRead();
    void scan(const char *data, qint64 size);
    void headerLine(const QByteArray &line);
    void headersDone();
    void requestDone();
    void startDeadline(qint64 ms);
    void armIdle();
    void refuse(int status, const QByteArray &reason);
    void armTimer();
    void timedOut();

    QTcpSocket *m_socket;
    GuardedTcpServer *m_server;
    QTimer *m_timer;
    QDeadlineTimer m_deadline{QDeadlineTimer::Forever}; // of the request in flight; Forever when idle
    State m_state = State::RequestLine;
    qint64 m_leftover = 0; // bytes at the socket's read position that were already scanned
    qint64 m_lineBytes = 0;
    qint64 m_headerBytes = 0;
    qint64 m_bodyLeft = 0;
    qint64 m_drained = 0; // bytes dropped since the refusal
    QByteArray m_line;   // the current line, capped
    QByteArray m_path;   // the target's path of the request being read
    qint64 m_contentLength = -1;
    bool m_chunked = false;
    bool m_badLength = false;
};

} // namespace hcp::sync::hub::guard

// SPDX-License-Identifier: Apache-2.0
// Test helper: a QHttpServer on 127.0.0.1 serving bundles at /bundles/<name> with HTTP Range
// (206 / 416), able to drop the connection after N body bytes for the next K responses, to
// ignore Range, and counting every body byte it sends. Responses are written on the raw socket
// with "Connection: close" so a cut is a real TCP close in the middle of a body.
#pragma once

#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QRegularExpression>
#include <QTcpSocket>

namespace hcp::updater::test {

class BundleServer
{
public:
    QHash<QString, QByteArray> files;
    qint64 cutAfter = -1; // body bytes per response before the connection is dropped
    int cutsLeft = 0;     // responses still to cut
    bool ignoreRange = false;
    qint64 bodyBytesSent = 0;
    QList<QByteArray> rangeHeaders; // Range header of each request ("" when none)

    quint16 start()
    {
        m_server.route(QStringLiteral("/bundles/<arg>"),
                       [this](const QString &name, const QHttpServerRequest &request,
                              QHttpServerResponder &&responder) {
                           serve(name, request, responder.socket());
                       });
        m_port = m_server.listen(QHostAddress::LocalHost, 0);
        return m_port;
    }

    QUrl url(const QString &name) const
    {
        return QUrl(QStringLiteral("http://127.0.0.1:%1/bundles/%2").arg(m_port).arg(name));
    }

private:
    void serve(const QString &name, const QHttpServerRequest &request, QTcpSocket *socket)
    {
        const QByteArray range = request.value("Range");
        rangeHeaders.append(range);
        if (!files.contains(name)) {
            socket->write("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            socket->disconnectFromHost();
            return;
        }
        const QByteArray &data = files[name];
        QByteArray head;
        QByteArray body;
        static const QRegularExpression re(QStringLiteral("^bytes=(\\d+)-$"));
        const auto m = re.match(QString::fromLatin1(range));
        if (!range.isEmpty() && !ignoreRange && m.hasMatch()) {
            const qint64 from = m.captured(1).toLongLong();
            if (from >= data.size()) {
                head = "HTTP/1.1 416 Range Not Satisfiable\r\nContent-Range: bytes */"
                    + QByteArray::number(data.size()) + "\r\nContent-Length: 0\r\n";
            } else {
                body = data.mid(from);
                head = "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes " + QByteArray::number(from)
                    + '-' + QByteArray::number(data.size() - 1) + '/' + QByteArray::number(data.size())
                    + "\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n";
            }
        } else {
            body = data;
            head = "HTTP/1.1 200 OK\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n";
        }
        head += "Content-Type: application/octet-stream\r\nAccept-Ranges: bytes\r\nConnection: close\r\n\r\n";
        if (cutsLeft > 0 && cutAfter >= 0 && body.size() > cutAfter) {
            --cutsLeft;
            body.truncate(cutAfter);
        }
        socket->write(head);
        socket->write(body);
        bodyBytesSent += body.size();
        socket->disconnectFromHost();
    }

    QHttpServer m_server;
    quint16 m_port = 0;
};

} // namespace hcp::updater::test

// SPDX-License-Identifier: Apache-2.0
#include "padtrigger.h"

#include "wire.h"

#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QHttpServerResponse>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QTcpServer>

Q_LOGGING_CATEGORY(lcPadTrigger, "hcp.kiosk.padtrigger")

namespace hcp::kiosk {

namespace {
using Status = QHttpServerResponse::StatusCode;

QHttpServerResponse error(Status status, const QString &code, const QString &message)
{
    return QHttpServerResponse(hcp::sync::wire::errorBody(code, message), status);
}
} // namespace

PadTrigger::PadTrigger(QObject *parent)
    : QObject(parent), m_http(this)
{
    m_http.route(QStringLiteral("/rate-now"), QHttpServerRequest::Method::Post, [this](const QHttpServerRequest &request) {
        if (!request.remoteAddress().isLoopback())
            return error(Status::Forbidden, QStringLiteral("forbidden"), QStringLiteral("loopback only"));
        QByteArray auth;
        for (const auto &h : request.headers()) {
            if (h.first.compare("Authorization", Qt::CaseInsensitive) == 0)
                auth = h.second;
        }
        if (m_token.isEmpty() || !hcp::sync::wire::constantTimeEquals(auth, "Bearer " + m_token)) {
            qCInfo(lcPadTrigger) << "rate-now refused: bad or missing token";
            return error(Status::Unauthorized, QStringLiteral("unauthenticated"), QStringLiteral("window token required"));
        }
        QJsonParseError pe;
        const QJsonDocument doc = QJsonDocument::fromJson(request.body(), &pe);
        if (pe.error != QJsonParseError::NoError || !doc.isObject())
            return error(Status::BadRequest, QStringLiteral("bad_request"), QStringLiteral("body is not a JSON object"));
        QString reason;
        const hcp::sync::RateNowEvent event = hcp::sync::RateNowEvent::fromJson(doc.object(), &reason);
        if (!event.isValid())
            return error(Status::BadRequest, QStringLiteral("bad_request"), reason);
        qCInfo(lcPadTrigger) << "rate-now from the window, service" << event.serviceNumber;
        Q_EMIT rateNowRequested(event);
        return QHttpServerResponse(QJsonObject{{QStringLiteral("accepted"), true}}, Status::Accepted);
    });
    m_http.setMissingHandler([](const QHttpServerRequest &, QHttpServerResponder &&responder) {
        responder.write(QJsonDocument(hcp::sync::wire::errorBody(QStringLiteral("not_found"), QStringLiteral("no such endpoint"))),
                        QHttpServerResponder::StatusCode::NotFound);
    });
}

quint16 PadTrigger::listen(quint16 port)
{
    if (m_token.isEmpty()) {
        qCWarning(lcPadTrigger) << "no window token configured: the rate-now trigger stays closed";
        return 0;
    }
    m_port = m_http.listen(QHostAddress::LocalHost, port);
    if (m_port == 0)
        qCWarning(lcPadTrigger) << "cannot listen on 127.0.0.1 port" << port;
    return m_port;
}

QList<QHostAddress> PadTrigger::boundAddresses() const
{
    QList<QHostAddress> out;
    for (const QTcpServer *s : m_http.servers())
        out.append(s->serverAddress());
    return out;
}

} // namespace hcp::kiosk

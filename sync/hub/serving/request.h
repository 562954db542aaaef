// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QHttpServerRequest>
#include <QList>
#include <QPair>
#include <QUrlQuery>

namespace hcp::sync::hub::serving {

// What a handler needs of a request, copied on the serving thread: Qt 6.4's QHttpServerRequest
// cannot be copied and is reused for the connection's next request once the route returns, so
// a handler that runs on a worker (or later) reads this instead. Cheap: the byte arrays share.
struct Request
{
    QHttpServerRequest::Method method = QHttpServerRequest::Method::Unknown;
    QByteArray target; // path and query exactly as sent (what the device signed, PROTOCOL §2)
    QUrlQuery query;
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers;
    QHostAddress remoteAddress;

    static Request of(const QHttpServerRequest &request);
    // The first header of that name (case-insensitive), empty when absent.
    QByteArray header(const QByteArray &name) const;
    // "GET", "PUT" or "POST" (the methods of signed requests).
    QByteArray methodName() const;
};

} // namespace hcp::sync::hub::serving

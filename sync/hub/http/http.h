// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QJsonObject>
#include <QString>

// The reply and request helpers every hub route shares (PROTOCOL §1): one error shape, one JSON
// reply, one way to read a header and a JSON body.
namespace hcp::sync::hub::http {

using Status = QHttpServerResponse::StatusCode;

// {"error": code, "message": message} with the given status (wire::errorBody).
QHttpServerResponse error(Status status, const QString &code, const QString &message);

// A JSON object that no cache keeps (Cache-Control: no-store): console and admin reads.
QHttpServerResponse json(const QJsonObject &o, Status status = Status::Ok);

// The first header called name (compared case-insensitively); empty when there is none.
QByteArray header(const QHttpServerRequest &request, const QByteArray &name);

// The value of the cookie called name from the Cookie header; empty when there is none.
QByteArray cookie(const QHttpServerRequest &request, const QByteArray &name);

inline bool isPost(const QHttpServerRequest &request)
{
    return request.method() == QHttpServerRequest::Method::Post;
}

// The body as one JSON object; false for anything else, and for a key twice in one object
// (PROTOCOL §1a, guard::parseStrictObject).
bool parseObject(const QByteArray &body, QJsonObject *out);

} // namespace hcp::sync::hub::http

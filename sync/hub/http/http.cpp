// SPDX-License-Identifier: Apache-2.0
#include "http.h"

#include "../../wire.h"
#include "../guard/inputchecks.h"

namespace hcp::sync::hub::http {

QHttpServerResponse error(Status status, const QString &code, const QString &message)
{
    return QHttpServerResponse(wire::errorBody(code, message), status);
}

QHttpServerResponse json(const QJsonObject &o, Status status)
{
    QHttpServerResponse r(o, status);
    r.setHeader("Cache-Control", "no-store");
    return r;
}

QByteArray header(const QHttpServerRequest &request, const QByteArray &name)
{
    for (const auto &h : request.headers()) {
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    }
    return {};
}

QByteArray cookie(const QHttpServerRequest &request, const QByteArray &name)
{
    for (const QByteArray &part : header(request, "Cookie").split(';')) {
        const QByteArray p = part.trimmed();
        if (p.startsWith(name + '='))
            return p.mid(name.size() + 1);
    }
    return {};
}

bool parseObject(const QByteArray &body, QJsonObject *out)
{
    return guard::parseStrictObject(body, out);
}

} // namespace hcp::sync::hub::http

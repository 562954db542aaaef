// SPDX-License-Identifier: Apache-2.0
#include "request.h"

namespace hcp::sync::hub::serving {

Request Request::of(const QHttpServerRequest &request)
{
    Request r;
    r.method = request.method();
    r.target = request.url().toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority);
    r.query = request.query();
    r.body = request.body();
    r.headers = request.headers();
    r.remoteAddress = request.remoteAddress();
    return r;
}

QByteArray Request::header(const QByteArray &name) const
{
    for (const auto &h : headers) {
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    }
    return {};
}

QByteArray Request::methodName() const
{
    return method == QHttpServerRequest::Method::Get ? QByteArrayLiteral("GET")
        : method == QHttpServerRequest::Method::Put  ? QByteArrayLiteral("PUT")
                                                     : QByteArrayLiteral("POST");
}

} // namespace hcp::sync::hub::serving

// SPDX-License-Identifier: Apache-2.0
#include "hubcasesource.h"

#include "hubclient.h"

#include <QJsonArray>
#include <QUrlQuery>

namespace hcp::kiosk {

void HubCaseSource::lookup(const CaseQuery &query, std::function<void(Outcome, const QList<Case> &)> done)
{
    QUrlQuery q;
    switch (query.kind) {
    case CaseQuery::Kind::ByProjectNoAndName:
        q.addQueryItem(QStringLiteral("projectNo"), query.projectNo);
        q.addQueryItem(QStringLiteral("name"), query.name);
        break;
    case CaseQuery::Kind::ByProjectNo:
        q.addQueryItem(QStringLiteral("qr"), query.projectNo);
        break;
    case CaseQuery::Kind::ByCertKeyHash:
        q.addQueryItem(QStringLiteral("certKeyHash"), query.certKeyHash);
        break;
    }
    m_client->lookupCases(q, [done](const hcp::sync::HubReply &reply) {
        if (reply.isHttp(200)) {
            QList<Case> cases;
            for (const QJsonValue &v : reply.json().value(QLatin1String("cases")).toArray()) {
                const Case c = Case::fromJson(v.toObject());
                if (c.isValid())
                    cases.append(c);
            }
            done(cases.isEmpty() ? Outcome::NotFound : Outcome::Found, cases);
        } else if (reply.isHttp(404) || reply.isHttp(400)) {
            done(Outcome::NotFound, {});
        } else {
            done(Outcome::Unreachable, {});
        }
    });
}

} // namespace hcp::kiosk

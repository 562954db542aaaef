// SPDX-License-Identifier: Apache-2.0
#include "feedcasesource.h"

#include "casecache.h"

#include <QJsonArray>

namespace hcp::kiosk {

QList<Case> FeedCaseSource::find(const CaseQuery &query) const
{
    QJsonArray found;
    switch (query.kind) {
    case CaseQuery::Kind::ByProjectNoAndName: found = m_cache->findByProjectNo(query.projectNo, query.name); break;
    case CaseQuery::Kind::ByProjectNo: found = m_cache->findByProjectNoOnly(query.projectNo); break;
    case CaseQuery::Kind::ByCertKeyHash: found = m_cache->findByCertKeyHash(query.certKeyHash.toLatin1()); break;
    }
    QList<Case> cases;
    for (const QJsonValue &v : found)
        cases.append(Case::fromJson(v.toObject()));
    return cases;
}

CaseDirectory::LocalSource FeedCaseSource::asLocalSource() const
{
    return [this](const CaseQuery &query) { return find(query); };
}

} // namespace hcp::kiosk

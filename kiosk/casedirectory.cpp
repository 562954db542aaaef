// SPDX-License-Identifier: Apache-2.0
#include "casedirectory.h"

#include "store.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcCases, "hcp.kiosk.cases")

namespace hcp::kiosk {

CaseDirectory::CaseDirectory(Store *store, QObject *parent)
    : QObject(parent), m_store(store)
{
}

static QList<Case> matching(const QList<Case> &in, const CaseQuery &query)
{
    if (query.kind != CaseQuery::Kind::ByProjectNoAndName)
        return in;
    QList<Case> out;
    const QString name = query.name.simplified();
    for (const Case &c : in)
        if (c.userName.simplified() == name)
            out.append(c);
    return out;
}

QList<Case> CaseDirectory::fromCache(const CaseQuery &query) const
{
    switch (query.kind) {
    case CaseQuery::Kind::ByProjectNo:
    case CaseQuery::Kind::ByProjectNoAndName:
        return matching(m_store->casesByProjectNo(query.projectNo), query);
    case CaseQuery::Kind::ByCertKeyHash:
        return m_store->casesByCertKeyHash(query.certKeyHash);
    }
    return {};
}

bool CaseDirectory::holdsProjectNo(const QString &projectNo) const
{
    CaseQuery q;
    q.kind = CaseQuery::Kind::ByProjectNo;
    q.projectNo = projectNo;
    return !fromCache(q).isEmpty();
}

void CaseDirectory::lookup(const CaseQuery &query, quint64 requestId)
{
    const QList<Case> cached = fromCache(query);
    // The cache answers at once when it knows the case (the fast path from scan to list);
    // only a miss goes to the hub, whose own short timeout bounds the wait.
    if (!cached.isEmpty() || !m_online) {
        Q_EMIT finished(requestId, cached, cached.isEmpty() ? Source::None : Source::Cache, false);
        return;
    }
    QPointer<CaseDirectory> self(this);
    m_online->lookup(query, [self, query, requestId](OnlineCaseSource::Outcome outcome, const QList<Case> &cases) {
        if (!self)
            return;
        if (outcome == OnlineCaseSource::Outcome::Found) {
            const QList<Case> found = matching(cases, query);
            QString err;
            if (!found.isEmpty() && !self->m_store->upsertCases(found, &err))
                qCWarning(lcCases) << "cannot cache online cases:" << err;
            Q_EMIT self->finished(requestId, found, found.isEmpty() ? Source::None : Source::Online, false);
        } else {
            Q_EMIT self->finished(requestId, {}, Source::None, outcome == OnlineCaseSource::Outcome::Unreachable);
        }
    });
}

} // namespace hcp::kiosk

// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "case.h"

#include <QList>
#include <QObject>
#include <QPointer>

#include <functional>

namespace hcp::kiosk {

class Store;

struct CaseQuery {
    enum class Kind { ByProjectNoAndName, ByProjectNo, ByCertKeyHash };
    Kind kind = Kind::ByProjectNo;
    QString projectNo;
    QString name;        // ByProjectNoAndName: must equal the applicant's name
    QString certKeyHash; // ByCertKeyHash
};

// Where cases come from when the local cache has none: the hub (sync layer). Implementations
// call `done` exactly once, on the caller's thread, within their own short timeout.
class OnlineCaseSource {
public:
    virtual ~OnlineCaseSource() = default;
    enum class Outcome { Found, NotFound, Unreachable };
    virtual void lookup(const CaseQuery &query,
                        std::function<void(Outcome, const QList<Case> &)> done) = 0;
};

// Looks cases up in the local cache first, then online; online results are cached. The local
// cache is the Store's one case table, which the hall feed (sync::CaseCache) fills as well.
class CaseDirectory : public QObject {
    Q_OBJECT
public:
    explicit CaseDirectory(Store *store, QObject *parent = nullptr);
    void setOnlineSource(OnlineCaseSource *source) { m_online = source; }

    enum class Source { Cache, Online, None };
    // Answers through `finished` with the same requestId (possibly synchronously).
    void lookup(const CaseQuery &query, quint64 requestId);
    // Whether the kiosk holds a case with this 办件编号 (looked up or fed), now.
    bool holdsProjectNo(const QString &projectNo) const;

Q_SIGNALS:
    void finished(quint64 requestId, const QList<hcp::kiosk::Case> &cases,
                  hcp::kiosk::CaseDirectory::Source source, bool hubUnreachable);

private:
    QList<Case> fromCache(const CaseQuery &query) const;
    Store *m_store;
    OnlineCaseSource *m_online = nullptr;
};

} // namespace hcp::kiosk

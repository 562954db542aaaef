// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "casedirectory.h"

namespace hcp::sync {
class CaseCache;
}

namespace hcp::kiosk {

// The hall's case feed (the sync layer's CaseCache, filled by SyncAgent from PROTOCOL §6) as the
// directory's local feed source, beside HubCaseSource for the online lookup: a CaseQuery becomes
// the cache's matching find, its JSON rows become Cases. Synchronous, on the cache's thread.
// The cache is not owned and must outlive the source.
class FeedCaseSource {
public:
    explicit FeedCaseSource(hcp::sync::CaseCache *cache) : m_cache(cache) {}
    QList<Case> find(const CaseQuery &query) const;
    // The directory's LocalSource calling find(); valid while this source lives.
    CaseDirectory::LocalSource asLocalSource() const;

private:
    hcp::sync::CaseCache *m_cache;
};

} // namespace hcp::kiosk

// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "casedirectory.h"

namespace hcp::sync {
class HubClient;
}

namespace hcp::kiosk {

// Online case lookup at the hub (PROTOCOL.md §5) through the sync layer's HubClient, whose
// lookup deadline (1.5 s by default) bounds the citizen's wait. 404 is NotFound; no answer,
// a timeout or a 5xx is Unreachable, and the caller falls back to what it has.
class HubCaseSource : public OnlineCaseSource {
public:
    explicit HubCaseSource(hcp::sync::HubClient *client) : m_client(client) {}
    void lookup(const CaseQuery &query, std::function<void(Outcome, const QList<Case> &)> done) override;

private:
    hcp::sync::HubClient *m_client;
};

} // namespace hcp::kiosk

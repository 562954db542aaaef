// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "hubstore.h"

#include <functional>
#include <optional>

class QHttpServer;
class QHttpServerRequest;

namespace hcp::sync::hub {

// The hub endpoints of the window rating pad and the 差评 follow-up (PROTOCOL §12, §13):
//   GET  /v1/rectifications?projectNo=X     device   → {"items":[…]}
//   POST /v1/commands/poll                  device   pending commands (lighter than a heartbeat)
//   POST /v1/admin/rectifications           admin    upsert one record or {"items":[…]}
//   POST /v1/admin/rate-now                 admin    queue a "rate_now" command for a pad
// Installed by HubServer before its generic /v1/admin/<arg> route (QHttpServer takes the first
// matching rule). Handlers run on the HubServer's thread and use its HubStore.
class WindowRoutes
{
public:
    using DeviceAuth = std::function<std::optional<HubStore::Device>(const QHttpServerRequest &)>;
    using AdminCheck = std::function<bool(const QHttpServerRequest &)>;

    static void install(QHttpServer &http, HubStore *store, DeviceAuth deviceAuth, AdminCheck adminCheck);
};

} // namespace hcp::sync::hub

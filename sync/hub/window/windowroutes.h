// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "hubstore.h"

#include <functional>
#include <optional>

#include <QHttpServerResponse>

class QHttpServer;
class QHttpServerRequest;

namespace hcp::sync::hub {

// The hub endpoints of the window rating pad and the 差评 follow-up (PROTOCOL §12, §13):
//   GET  /v1/rectifications?projectNo=X     device   → {"items":[…]}
//   POST /v1/commands/poll                  device   pending commands (lighter than a heartbeat)
//   POST /v1/admin/rectifications           admin    upsert one record or {"items":[…]}
//   POST /v1/admin/rate-now                 admin    queue a "rate_now" command for a pad
// Installed by HubServer before its generic /v1/admin/<arg> route (QHttpServer takes the first
// matching rule). Handlers run on the HubServer's thread and use its HubStore, except the poll,
// which HubServer routes to its worker pool (serving/) with poll() below.
class WindowRoutes
{
public:
    using DeviceAuth = std::function<std::optional<HubStore::Device>(const QHttpServerRequest &)>;
    using AdminCheck = std::function<bool(const QHttpServerRequest &)>;

    static void install(QHttpServer &http, HubStore *store, DeviceAuth deviceAuth, AdminCheck adminCheck);
    // POST /v1/commands/poll of an authenticated device: acknowledges and answers the pending
    // commands. Any thread, over that thread's store.
    static QHttpServerResponse poll(HubStore &store, const HubStore::Device &device, const QByteArray &requestBody);
};

} // namespace hcp::sync::hub

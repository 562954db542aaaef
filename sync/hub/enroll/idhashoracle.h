// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "hubstore.h"


#include <functional>
#include <optional>

class QHttpServer;
class QHttpServerRequest;
class QHttpServerResponse;

namespace hcp::sync::hub {

class LedgerCheck;

namespace enrollment {

// POST /v1/idhash {"idNumber"} → {"certKeyHash"} (PROTOCOL §5a): the keyed hash of an ID number,
// computed at the hub so the key (certKey) never leaves it. The request is device-signed and
// replay-protected like a personal-data read (HubServer::authenticate). An oracle must not be
// free: at most `limit` answers per device in any `windowMs`; above it 429 `rate_limited` with
// Retry-After, and one `idhash-flood` tamper alert per device and hour (occurrences counted in
// the log). The answers are counted in the hub's database (idhash_answers), so a restart does
// not refill the allowance and hubs sharing one PostgreSQL share it; the limits are the hub's
// --idhash-limit / --idhash-window options. Runs on the HubServer's thread.
class IdHashOracle
{
public:
    struct Limits
    {
        int limit = 30;
        qint64 windowMs = 60'000;
    };
    // authenticate: HubServer's device check; nullopt → refusal() is sent.
    using DeviceAuth = std::function<std::optional<HubStore::Device>(const QHttpServerRequest &)>;
    using Refusal = std::function<QHttpServerResponse()>;

    IdHashOracle(HubStore *store, LedgerCheck *ledger) : m_store(store), m_ledger(ledger) {}
    // The answer log (a hub schema step, hubschema.cpp).
    static bool ensureSchema(QSqlDatabase &db, bool postgres, QString *error);
    void setLimits(const Limits &limits) { m_limits = limits; }
    void install(QHttpServer &http, DeviceAuth authenticate, Refusal refusal);

private:
    QHttpServerResponse answer(const HubStore::Device &device, const QHttpServerRequest &request);

    HubStore *m_store;
    LedgerCheck *m_ledger;
    // The device's answers inside the window and the oldest of them; false on a database error.
    bool recentAnswers(const QString &deviceId, qint64 since, int *count, qint64 *oldest);
    bool recordAnswer(const QString &deviceId, qint64 at);

    Limits m_limits;
};

} // namespace enrollment
} // namespace hcp::sync::hub

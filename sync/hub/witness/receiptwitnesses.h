// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "hubstore.h"

#include <QString>

#include <functional>
#include <optional>

class QHttpServer;
class QHttpServerRequest;

namespace hcp::sync::hub {

class LedgerCheck;

// Printed receipts as witnesses (PROTOCOL §4c):
//   POST /v1/receipts/witness   device   {"deviceId","deviceSeq","uuid","signature"} → {"status"}
// Any enrolled kiosk reports a receipt it scanned; the issuing device's signature is checked
// with its registered key. The hub holds the evaluation ("delivered"), or its verified chain
// for the issuer already passed that seq without it ("missing": a `witnessed-missing` tamper
// alert for the issuer), or not yet ("pending": decided after each batch of the issuer).
// Handlers run on the HubServer's thread and use its HubStore; owns its table.
class ReceiptWitnesses
{
public:
    using DeviceAuth = std::function<std::optional<HubStore::Device>(const QHttpServerRequest &)>;

    ReceiptWitnesses(HubStore *store, LedgerCheck *ledger);

    // Creates the table (idempotent) and registers the route.
    bool install(QHttpServer &http, DeviceAuth deviceAuth, QString *error);
    // The table (schema step 2, hubschema.cpp).
    static bool createTables(QSqlDatabase &db, QString *error);
    // Decides the issuer's pending witnesses at or below its verified head (after its batches).
    void recheck(const QString &deviceId);

    enum class Verdict { Delivered, Missing, Pending, Failed };

private:
    Verdict decide(const QString &deviceId, qint64 seq, const QString &uuid, const QString &reporter);

    HubStore *m_store;
    LedgerCheck *m_ledger;
};

} // namespace hcp::sync::hub

// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "store.h"

#include "ledgerbuilder.h"
#include "ledgerentry.h"

#include <QSqlDatabase>

#include <memory>
#include <optional>

namespace hcp::kiosk {

// The kiosk side of the tamper-evident ledger (ARCHITECTURE "Security and trust"): every
// evaluation gets a chain entry signed by the device key, appended by the Store's commit inside
// the evaluation's own transaction (sync::LedgerTable holds the rows). Nothing else ever signs
// an entry: evaluations without one (committed before the ledger existed or without a device
// key, or written into the database by someone else) are never entered later; the sender
// quarantines them and reports them to the hub as `unledgered` (PROTOCOL §4a).
// Thread-safe (the builder is).
class Ledger
{
public:
    explicit Ledger(trust::Key deviceKey);

    // Makes the store append an entry in every evaluation commit.
    void attach(Store &store) const;

    // The device-signed current head of the database behind db (for heartbeats); nullopt when
    // the ledger is empty or its last entry is not the device's own (see LedgerTable).
    std::optional<trust::SignedHead> signedHead(QSqlDatabase &db, QString *error = nullptr) const;

    std::shared_ptr<const trust::LedgerBuilder> builder() const { return m_builder; }

private:
    std::shared_ptr<const trust::LedgerBuilder> m_builder;
};

} // namespace hcp::kiosk

// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "store.h"

#include <ledgerbuilder.h>
#include <ledgerentry.h>

#include <QSqlDatabase>

#include <memory>
#include <optional>

namespace hcp::kiosk {

// The kiosk side of the tamper-evident ledger (ARCHITECTURE "Security and trust"): every
// evaluation gets a chain entry signed by the device key, written by the Store's commit hook
// inside the evaluation's own transaction (sync::LedgerTable holds the rows). Evaluations
// committed before the ledger existed (schema < 4) are entered first, in seq order, by the
// first commit that finds them missing, so the chain always starts at seq 1.
// Thread-safe (the builder is); the hook runs on the Store's thread with the Store's connection.
class Ledger
{
public:
    explicit Ledger(trust::Key deviceKey);

    // Installs the hook on the store (replacing any other hook).
    void attach(Store &store) const;
    Store::CommitHook commitHook() const;

    // The device-signed current head of the database behind db (for heartbeats); nullopt when
    // the ledger is empty or its last entry is not the device's own (see LedgerTable).
    std::optional<trust::SignedHead> signedHead(QSqlDatabase &db, QString *error = nullptr) const;

    std::shared_ptr<const trust::LedgerBuilder> builder() const { return m_builder; }

private:
    std::shared_ptr<const trust::LedgerBuilder> m_builder;
};

} // namespace hcp::kiosk

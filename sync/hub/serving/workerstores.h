// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "hubstore.h"
#include "ledgercheck.h"
#include "trust/tpmcheck.h"

#include <QString>

namespace hcp::sync::hub::serving {

// The stores a device route works with: the serving thread's own, or a worker's.
struct Stores
{
    HubStore *store = nullptr;
    LedgerCheck *ledger = nullptr;
    TpmCheck *tpm = nullptr;
};

// A worker thread's own connection to the hub's database and the checks over it. Made on the
// worker thread at its first job (Qt SQL connections must be used by the thread that opened
// them) and destroyed when the thread ends. Schema and keys are the primary store's: the
// primary opened (and migrated) the database before any worker exists.
class WorkerStores
{
public:
    bool open(const HubStore &primary, QString *error) { return m_store.openLike(primary, error); }
    Stores stores() { return {&m_store, &m_ledger, &m_tpm}; }

private:
    HubStore m_store;
    LedgerCheck m_ledger{&m_store};
    TpmCheck m_tpm{&m_store, &m_ledger};
};

} // namespace hcp::sync::hub::serving

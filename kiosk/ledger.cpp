// SPDX-License-Identifier: Apache-2.0
#include "ledger.h"

#include "ledgertable.h"

namespace hcp::kiosk {

Ledger::Ledger(trust::Key deviceKey)
    : m_builder(std::make_shared<trust::LedgerBuilder>(std::move(deviceKey)))
{
}

void Ledger::attach(Store &store) const
{
    store.setLedgerSigner(m_builder);
}

std::optional<trust::SignedHead> Ledger::signedHead(QSqlDatabase &db, QString *error) const
{
    return sync::LedgerTable::signedHead(db, *m_builder, error);
}

} // namespace hcp::kiosk

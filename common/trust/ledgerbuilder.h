// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "crypto.h"
#include "ledgerentry.h"

#include <QJsonObject>

#include <optional>

namespace hcp::trust {

// Makes ledger entries on the kiosk. Stateless apart from the device key: the caller reads
// the current head from its store and writes the returned entry in the same transaction
// as the evaluation, so the store's head and the chain can never disagree. Thread-safe.
class LedgerBuilder
{
public:
    explicit LedgerBuilder(Key deviceKey);

    // The entry that follows `previous` (LedgerHead::genesis() for the first evaluation).
    // Fails (nullopt + *error) when the evaluation cannot be canonicalised, uuid/assessTime
    // are malformed (see LedgerEntry) or signing fails.
    std::optional<LedgerEntry> append(const LedgerHead &previous, const QString &uuid,
                                      const QString &assessTime, const QJsonObject &evaluation,
                                      QString *error = nullptr) const;

    // Same, for a payload already in canonical form (e.g. an audit record).
    std::optional<LedgerEntry> appendCanonical(const LedgerHead &previous, const QString &uuid,
                                               const QString &assessTime,
                                               const QByteArray &canonicalPayload,
                                               QString *error = nullptr) const;

    std::optional<SignedHead> signHead(const LedgerHead &head, QString *error = nullptr) const;

    const Key &key() const { return m_key; }

private:
    Key m_key;
};

} // namespace hcp::trust

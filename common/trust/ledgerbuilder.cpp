// SPDX-License-Identifier: Apache-2.0
#include "ledgerbuilder.h"

#include "canonicaljson.h"

namespace hcp::trust {

LedgerBuilder::LedgerBuilder(Key deviceKey)
    : m_key(std::move(deviceKey))
{
}

std::optional<LedgerEntry> LedgerBuilder::append(const LedgerHead &previous, const QString &uuid,
                                                 const QString &assessTime,
                                                 const QJsonObject &evaluation,
                                                 QString *error) const
{
    const auto canonical = CanonicalJson::serialize(evaluation, error);
    if (!canonical)
        return std::nullopt;
    return appendCanonical(previous, uuid, assessTime, *canonical, error);
}

std::optional<LedgerEntry> LedgerBuilder::appendCanonical(const LedgerHead &previous,
                                                          const QString &uuid,
                                                          const QString &assessTime,
                                                          const QByteArray &canonicalPayload,
                                                          QString *error) const
{
    LedgerEntry e;
    e.deviceSeq = previous.deviceSeq + 1;
    e.uuid = uuid;
    e.assessTime = assessTime;
    e.payloadHash = Crypto::sm3(canonicalPayload);
    e.prevHash = previous.entryHash;
    if (!e.isWellFormed(error))
        return std::nullopt;
    e.entryHash = e.computeEntryHash();
    auto sig = Crypto::sign(m_key, e.entryHash, error);
    if (!sig)
        return std::nullopt;
    e.signature = *sig;
    return e;
}

std::optional<SignedHead> LedgerBuilder::signHead(const LedgerHead &head, QString *error) const
{
    SignedHead signedHead{head, {}};
    if (head.entryHash.size() != 32) {
        if (error)
            *error = QStringLiteral("head hash must be 32 bytes");
        return std::nullopt;
    }
    auto sig = Crypto::sign(m_key, signedHead.signingInput(), error);
    if (!sig)
        return std::nullopt;
    signedHead.signature = *sig;
    return signedHead;
}

} // namespace hcp::trust

// SPDX-License-Identifier: Apache-2.0
#include "ledgerverifier.h"

#include "canonicaljson.h"
#include "deviceidentity.h"

#include <QHash>
#include <QLoggingCategory>

#include <algorithm>
#include <map>

Q_LOGGING_CATEGORY(lcLedger, "hcp.trust.ledger")

namespace hcp::trust {

using Kind = LedgerProblem::Kind;

QString LedgerProblem::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Malformed: return QStringLiteral("malformed");
    case Kind::EditedEntry: return QStringLiteral("edited-entry");
    case Kind::BadSignature: return QStringLiteral("bad-signature");
    case Kind::EditedPayload: return QStringLiteral("edited-payload");
    case Kind::Reordered: return QStringLiteral("reordered");
    case Kind::Gap: return QStringLiteral("gap");
    case Kind::Fork: return QStringLiteral("fork");
    case Kind::Inserted: return QStringLiteral("inserted");
    case Kind::Rewind: return QStringLiteral("rewind");
    }
    return QStringLiteral("unknown");
}

bool LedgerVerification::has(Kind kind) const
{
    return count(kind) > 0;
}

int LedgerVerification::count(Kind kind) const
{
    return int(std::count_if(problems.cbegin(), problems.cend(),
                             [kind](const LedgerProblem &p) { return p.kind == kind; }));
}

LedgerVerifier::LedgerVerifier(Key devicePublicKey, LedgerHead knownHead)
    : m_key(std::move(devicePublicKey))
    , m_known(std::move(knownHead))
{
}

std::optional<QByteArray> LedgerVerifier::knownHashAt(quint64 seq) const
{
    if (seq == m_known.deviceSeq)
        return m_known.entryHash;
    if (seq > m_known.deviceSeq || !m_lookup)
        return std::nullopt;
    return m_lookup(seq);
}

namespace {

QString hex(const QByteArray &b)
{
    return QString::fromLatin1(b.toHex());
}

struct Checked
{
    const LedgerEntry *entry = nullptr;
    int position = 0;       // index in the batch as received
    bool trusted = false;   // entry hash matches its fields and the device signed it
};

} // namespace

// The fast path of SignaturePolicy::HeadCovers. nullopt = the batch does not qualify (then
// the full analysis runs); otherwise the complete result, payload checks included.
std::optional<LedgerVerification> LedgerVerifier::verifyCoveredByHead(const QList<LedgerBatchItem> &items,
                                                                      const SignedHead &head) const
{
    if (head.head.deviceSeq < m_known.deviceSeq || !head.verify(m_key))
        return std::nullopt;
    LedgerVerification result;
    quint64 chainSeq = m_known.deviceSeq;
    QByteArray chainHash = m_known.entryHash;
    quint64 lastSeq = 0;
    for (const LedgerBatchItem &item : items) {
        const LedgerEntry &e = item.entry;
        if (e.deviceSeq <= lastSeq || e.entryHash != e.computeEntryHash())
            return std::nullopt; // not ascending, malformed (empty hash) or edited
        lastSeq = e.deviceSeq;
        if (e.deviceSeq <= m_known.deviceSeq) {
            const auto known = knownHashAt(e.deviceSeq);
            if (!known || *known != e.entryHash)
                return std::nullopt;
            ++result.replayed;
            continue;
        }
        if (e.deviceSeq != chainSeq + 1 || e.prevHash != chainHash)
            return std::nullopt;
        chainSeq = e.deviceSeq;
        chainHash = e.entryHash;
        ++result.accepted;
    }
    if (chainSeq != head.head.deviceSeq || chainHash != head.head.entryHash)
        return std::nullopt;
    for (const LedgerBatchItem &item : items) {
        if (!item.evaluation)
            continue;
        const LedgerEntry &e = item.entry;
        const auto canonical = CanonicalJson::serialize(*item.evaluation);
        if (!canonical || Crypto::sm3(*canonical) != e.payloadHash)
            return std::nullopt; // let the full analysis word the evidence
    }
    result.newHead = LedgerHead{chainSeq, chainHash};
    return result;
}

LedgerVerification LedgerVerifier::verifyBatch(const QList<LedgerBatchItem> &items,
                                               const std::optional<SignedHead> &head) const
{
    if (m_policy == SignaturePolicy::HeadCovers && head) {
        if (auto covered = verifyCoveredByHead(items, *head))
            return *covered;
    }
    LedgerVerification result;
    result.newHead = m_known;
    auto report = [&result](Kind kind, quint64 seq, const QString &uuid, const QString &evidence) {
        result.problems.append(LedgerProblem{kind, seq, uuid, evidence});
    };
    const QString fingerprint = DeviceIdentity::fingerprintOf(m_key);

    // 1. Each entry on its own: shape, self-hash, signature, payload.
    QList<Checked> checked;
    int intactUnsigned = 0;
    int intact = 0;
    for (int i = 0; i < items.size(); ++i) {
        const LedgerEntry &e = items[i].entry;
        QString why;
        if (!e.isWellFormed(&why)) {
            report(Kind::Malformed, e.deviceSeq, e.uuid,
                   QStringLiteral("batch position %1: %2").arg(i).arg(why));
            continue;
        }
        Checked c{&e, i, false};
        const QByteArray recomputed = e.computeEntryHash();
        if (recomputed != e.entryHash) {
            report(Kind::EditedEntry, e.deviceSeq, e.uuid,
                   QStringLiteral("entryHash %1 does not match the entry's fields (they hash to %2)")
                       .arg(hex(e.entryHash), hex(recomputed)));
        } else {
            ++intact;
            if (Crypto::verify(m_key, e.entryHash, e.signature)) {
                c.trusted = true;
            } else {
                ++intactUnsigned;
                report(Kind::BadSignature, e.deviceSeq, e.uuid,
                       QStringLiteral("signature over entryHash %1 does not verify under device key %2")
                           .arg(hex(e.entryHash), fingerprint));
            }
        }
        if (items[i].evaluation) {
            QString canonError;
            const auto canonical = CanonicalJson::serialize(*items[i].evaluation, &canonError);
            if (!canonical) {
                report(Kind::EditedPayload, e.deviceSeq, e.uuid,
                       QStringLiteral("evaluation cannot be canonicalised: %1").arg(canonError));
            } else if (const QByteArray h = Crypto::sm3(*canonical); h != e.payloadHash) {
                report(Kind::EditedPayload, e.deviceSeq, e.uuid,
                       QStringLiteral("evaluation hashes to %1, entry records payloadHash %2")
                           .arg(hex(h), hex(e.payloadHash)));
            }
        }
        checked.append(c);
    }
    if (intact > 1 && intactUnsigned == intact) {
        for (LedgerProblem &p : result.problems) {
            if (p.kind == Kind::BadSignature)
                p.evidence += QStringLiteral(" (all %1 intact entries fail: the device key was "
                                             "replaced or the batch is forged)").arg(intact);
        }
    }

    // 2. Order as received.
    for (int i = 1; i < checked.size(); ++i) {
        const LedgerEntry &before = *checked[i - 1].entry;
        const LedgerEntry &e = *checked[i].entry;
        if (e.deviceSeq < before.deviceSeq)
            report(Kind::Reordered, e.deviceSeq, e.uuid,
                   QStringLiteral("seq %1 received at position %2, after seq %3")
                       .arg(e.deviceSeq).arg(checked[i].position).arg(before.deviceSeq));
    }

    // 3. The chain, by seq slot.
    std::map<quint64, QList<Checked>> bySeq;
    for (const Checked &c : checked)
        bySeq[c.entry->deviceSeq].append(c);

    quint64 chainSeq = m_known.deviceSeq;
    QByteArray chainHash = m_known.entryHash;
    bool broken = false;
    QHash<quint64, QByteArray> linkedHashes; // seq -> hash of entries that extended the chain

    for (const auto &[seq, group] : bySeq) {
        QList<Checked> signedOnes;
        QList<Checked> unsignedOnes;
        for (const Checked &c : group) {
            QList<Checked> &bucket = c.trusted ? signedOnes : unsignedOnes;
            const bool duplicate = std::any_of(bucket.cbegin(), bucket.cend(), [&c](const Checked &o) {
                return o.entry->entryHash == c.entry->entryHash;
            });
            if (!duplicate)
                bucket.append(c);
        }

        if (seq <= m_known.deviceSeq) {
            const auto known = knownHashAt(seq);
            if (!known) {
                result.unchecked += int(group.size());
                continue;
            }
            for (const Checked &c : signedOnes) {
                if (c.entry->entryHash == *known)
                    ++result.replayed;
                else
                    report(Kind::Fork, seq, c.entry->uuid,
                           QStringLiteral("device-signed entry %1 at seq %2, but the hub holds %3 for that seq")
                               .arg(hex(c.entry->entryHash)).arg(seq).arg(hex(*known)));
            }
            for (const Checked &c : unsignedOnes) {
                if (c.entry->entryHash != *known)
                    report(Kind::Inserted, seq, c.entry->uuid,
                           QStringLiteral("unsigned entry %1 claims seq %2, which the hub holds as %3")
                               .arg(hex(c.entry->entryHash)).arg(seq).arg(hex(*known)));
            }
            continue;
        }

        if (signedOnes.size() > 1) {
            QStringList hashes;
            for (const Checked &c : signedOnes)
                hashes << hex(c.entry->entryHash);
            report(Kind::Fork, seq, signedOnes.first().entry->uuid,
                   QStringLiteral("%1 different device-signed entries for seq %2: %3")
                       .arg(signedOnes.size()).arg(seq).arg(hashes.join(QLatin1String(", "))));
        }
        if (!signedOnes.isEmpty()) {
            for (const Checked &c : unsignedOnes)
                report(Kind::Inserted, seq, c.entry->uuid,
                       QStringLiteral("unsigned entry %1 claims seq %2, held by device-signed entry %3")
                           .arg(hex(c.entry->entryHash)).arg(seq).arg(hex(signedOnes.first().entry->entryHash)));
        }

        if (broken)
            continue;
        if (seq > chainSeq + 1) {
            // A device-signed entry that links over the hole: the kiosk made it after entries
            // were deleted from its ledger (it never re-makes them). The gap is reported and the
            // chain goes on from that entry, so later batches verify instead of repeating it.
            const auto over = std::find_if(signedOnes.cbegin(), signedOnes.cend(), [&](const Checked &c) {
                return c.entry->prevHash == chainHash;
            });
            report(Kind::Gap, seq, group.first().entry->uuid,
                   QStringLiteral("entries %1..%2 are missing: chain is at seq %3 (%4), next entry received is seq %5%6")
                       .arg(chainSeq + 1).arg(seq - 1).arg(chainSeq).arg(hex(chainHash)).arg(seq)
                       .arg(over != signedOnes.cend() ? QStringLiteral(", device-signed and linked over the hole")
                                                      : QString()));
            if (over == signedOnes.cend()) {
                broken = true;
                continue;
            }
            chainSeq = seq;
            chainHash = over->entry->entryHash;
            linkedHashes.insert(seq, chainHash);
            ++result.accepted;
            continue;
        }
        const auto linking = std::find_if(signedOnes.cbegin(), signedOnes.cend(), [&](const Checked &c) {
            return c.entry->prevHash == chainHash;
        });
        if (linking != signedOnes.cend()) {
            chainSeq = seq;
            chainHash = linking->entry->entryHash;
            linkedHashes.insert(seq, chainHash);
            ++result.accepted;
            continue;
        }
        broken = true;
        if (!signedOnes.isEmpty()) {
            const LedgerEntry &e = *signedOnes.first().entry;
            report(Kind::Fork, seq, e.uuid,
                   QStringLiteral("device-signed entry at seq %1 continues prevHash %2, but the chain has %3 at seq %4")
                       .arg(seq).arg(hex(e.prevHash), hex(chainHash)).arg(chainSeq));
        } else {
            for (const Checked &c : unsignedOnes) {
                if (c.entry->prevHash != chainHash)
                    report(Kind::Inserted, seq, c.entry->uuid,
                           QStringLiteral("unsigned entry at seq %1 does not link: prevHash %2, chain has %3 at seq %4")
                               .arg(seq).arg(hex(c.entry->prevHash), hex(chainHash)).arg(chainSeq));
            }
        }
    }
    result.newHead = LedgerHead{chainSeq, chainHash};

    // 4. The signed head.
    if (head) {
        const quint64 s = head->head.deviceSeq;
        if (!head->verify(m_key)) {
            report(Kind::BadSignature, s, {},
                   QStringLiteral("signed head (seq %1, %2) does not verify under device key %3")
                       .arg(s).arg(hex(head->head.entryHash), fingerprint));
        } else if (s < m_known.deviceSeq) {
            report(Kind::Rewind, s, {},
                   QStringLiteral("device head is seq %1 (%2), the hub already holds seq %3 (%4)")
                       .arg(s).arg(hex(head->head.entryHash)).arg(m_known.deviceSeq).arg(hex(m_known.entryHash)));
        } else {
            std::optional<QByteArray> expected = knownHashAt(s);
            if (!expected && linkedHashes.contains(s))
                expected = linkedHashes.value(s);
            if (expected && *expected != head->head.entryHash)
                report(Kind::Fork, s, {},
                       QStringLiteral("device head claims %1 at seq %2, the chain has %3")
                           .arg(hex(head->head.entryHash)).arg(s).arg(hex(*expected)));
        }
    }

    if (!result.ok())
        qCWarning(lcLedger) << "ledger verification found" << result.problems.size()
                            << "problem(s); first:" << LedgerProblem::kindName(result.problems.first().kind);
    return result;
}

} // namespace hcp::trust

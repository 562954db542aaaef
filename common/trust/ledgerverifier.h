// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "crypto.h"
#include "ledgerentry.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <functional>
#include <optional>

namespace hcp::trust {

// One finding of the verifier. Every kind is a distinct way a ledger can be wrong; evidence
// is English text for the hub's admin API (hashes in full lowercase hex).
struct LedgerProblem
{
    enum class Kind {
        Malformed,     // entry fields have impossible shapes (seq 0, bad uuid, hash length)
        EditedEntry,   // entryHash does not match the entry's own fields: a field was edited
        BadSignature,  // entry (or head) is intact but not signed by the device key: forged
                       // entry or replaced key
        EditedPayload, // the evaluation does not hash to the entry's payloadHash
        Reordered,     // the batch is not in ascending deviceSeq order
        Gap,           // deviceSeq jumps: entries are missing (deleted)
        Fork,          // two different device-signed entries/heads for the same seq, or a
                       // signed entry continuing a history other than the known one
        Inserted,      // an entry that is not device-signed occupies a seq slot held by a
                       // genuine entry, or does not link into the chain at all
        Rewind,        // a signed head with a lower seq than the head already known
    };

    Kind kind = Kind::Malformed;
    quint64 deviceSeq = 0;
    QString uuid;     // empty for head problems
    QString evidence;

    static QString kindName(Kind kind); // "gap", "fork", … (stable, for APIs and logs)
};

// An entry as received by the hub, with the evaluation it claims to cover. Without an
// evaluation the payload check is skipped (e.g. entries replayed after a purge).
struct LedgerBatchItem
{
    LedgerEntry entry;
    std::optional<QJsonObject> evaluation;
};

struct LedgerVerification
{
    QList<LedgerProblem> problems;
    // Highest head reached from the known head by an unbroken chain of device-signed,
    // correctly linked entries. The hub persists it as the next known head.
    LedgerHead newHead;
    int accepted = 0;  // entries that extended the chain
    int replayed = 0;  // entries at or below the known head that match what is known
    int unchecked = 0; // entries below the known head with no known hash to compare

    bool ok() const { return problems.isEmpty(); }
    bool has(LedgerProblem::Kind kind) const;
    int count(LedgerProblem::Kind kind) const;
};

// Used by the hub, one instance per device and request. Pure: verifying changes nothing;
// the caller stores result.newHead (and the entries) in its own transaction. Not
// thread-safe per instance; create one per request.
class LedgerVerifier
{
public:
    // Hash the hub already holds for a device's entry at seq, if any (entries the hub
    // stored earlier). Lets replays and forks below the known head be checked.
    using KnownHashLookup = std::function<std::optional<QByteArray>(quint64 deviceSeq)>;

    // How entry signatures are checked.
    enum class SignaturePolicy {
        // Every entry's signature is verified (one SM2 verify per entry, ~2,300/s per core
        // on the reference machine). Strictest evidence.
        EveryEntry,
        // When the batch carries a signed head that verifies and the batch, in order, is an
        // unbroken chain from the known head to exactly that head (replays matching known
        // hashes allowed), every entry is authenticated by the head signature through the
        // hash chain, and per-entry signatures are not checked (one verify per batch). Any
        // other batch falls back to EveryEntry, so all problem kinds are still classified.
        // Trade-off: in a batch that passes, a corrupted signature *field* of an otherwise
        // authentic entry is not reported. The kiosk must sign the head at the batch's last
        // entry for batches to pass.
        HeadCovers,
    };

    explicit LedgerVerifier(Key devicePublicKey, LedgerHead knownHead = LedgerHead::genesis());

    void setSignaturePolicy(SignaturePolicy policy) { m_policy = policy; }

    void setKnownHashLookup(KnownHashLookup lookup) { m_lookup = std::move(lookup); }
    const LedgerHead &knownHead() const { return m_known; }

    // Checks a batch (in the order received) and, if given, the device's signed head.
    LedgerVerification verifyBatch(const QList<LedgerBatchItem> &items,
                                   const std::optional<SignedHead> &head = std::nullopt) const;
    // A heartbeat's head alone.
    LedgerVerification verifyHead(const SignedHead &head) const { return verifyBatch({}, head); }

private:
    std::optional<QByteArray> knownHashAt(quint64 seq) const;
    std::optional<LedgerVerification> verifyCoveredByHead(const QList<LedgerBatchItem> &items,
                                                          const SignedHead &head) const;

    Key m_key;
    LedgerHead m_known;
    KnownHashLookup m_lookup;
    SignaturePolicy m_policy = SignaturePolicy::EveryEntry;
};

} // namespace hcp::trust

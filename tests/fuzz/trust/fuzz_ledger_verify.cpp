// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for LedgerVerifier (and the JSON wire forms it is fed from).
//
// Input byte 0 selects the mode:
//  - bit 0 clear: the rest is a program of mutations applied to an honest kiosk's batch
//    (delete, swap, duplicate, renumber, bit flips in any field, payload edits, foreign
//    entries, known head, head choice, signature policy). Besides "no crash / no ASan
//    report", the target checks soundness: whatever the mutations, the verifier never
//    advances the hub's head to anything but a genuine head, and in EveryEntry mode a
//    batch it calls clean contains only genuine entries and evaluations.
//  - bit 0 set: the rest is JSON text {"entries":[…], "evaluations":[…], "head":{…},
//    "known":{…}} run through LedgerEntry/SignedHead::fromJson, CanonicalJson and the
//    verifier.
#include "canonicaljson.h"
#include "crypto.h"
#include "ledgerbuilder.h"
#include "ledgerverifier.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>

#include <cstdint>
#include <cstdlib>

using namespace hcp::trust;

namespace {

struct Chain
{
    Key key;
    QList<LedgerBatchItem> items; // items[i] has deviceSeq i + 1
    Key foreignKey;
    QList<LedgerBatchItem> foreign; // another device's chain, same shape
};

QList<LedgerBatchItem> makeChain(const Key &key, int n, int salt)
{
    LedgerBuilder builder(key);
    LedgerHead head;
    QList<LedgerBatchItem> items;
    for (int i = 0; i < n; ++i) {
        const QString uuid = QStringLiteral("00000000-0000-4000-8000-%1")
                                 .arg(salt * 1000 + i, 12, 10, QLatin1Char('0'));
        const QString time = QStringLiteral("2026-11-28 09:%1:00").arg(i, 2, 10, QLatin1Char('0'));
        const QJsonObject eval{{QStringLiteral("uuid"), uuid},
                               {QStringLiteral("deviceSeq"), i + 1},
                               {QStringLiteral("satisfaction"), 1 + i % 5},
                               {QStringLiteral("assessTime"), time},
                               {QStringLiteral("evalDetail"), QStringLiteral("501")}};
        auto entry = builder.append(head, uuid, time, eval);
        if (!entry)
            std::abort();
        head = entry->head();
        items.append(LedgerBatchItem{*entry, eval});
    }
    return items;
}

const Chain &chain(bool sm2)
{
    static const Chain chains[2] = {
        [] {
            Chain c{Key::generate(KeyType::Ed25519), {}, Key::generate(KeyType::Ed25519), {}};
            c.items = makeChain(c.key, 12, 1);
            c.foreign = makeChain(c.foreignKey, 12, 2);
            return c;
        }(),
        [] {
            Chain c{Key::generate(KeyType::Sm2), {}, Key::generate(KeyType::Sm2), {}};
            c.items = makeChain(c.key, 5, 3);
            c.foreign = makeChain(c.foreignKey, 5, 4);
            return c;
        }(),
    };
    return chains[sm2 ? 1 : 0];
}

class Reader
{
public:
    Reader(const uint8_t *data, size_t size) : m_data(data), m_size(size) {}
    bool atEnd() const { return m_pos >= m_size; }
    uint8_t byte() { return m_pos < m_size ? m_data[m_pos++] : 0; }

private:
    const uint8_t *m_data;
    size_t m_size;
    size_t m_pos = 0;
};

void flip(QByteArray &b, uint8_t where)
{
    if (!b.isEmpty())
        b[where % b.size()] = char(b[where % b.size()] ^ (1 << (where % 8)));
}

void fuzzMutations(Reader &in)
{
    const uint8_t config = in.byte();
    const Chain &c = chain(config & 0x01);
    const qsizetype n = c.items.size();
    QList<LedgerBatchItem> batch = c.items;
    const quint64 knownSeq = in.byte() % (n + 1);
    const LedgerHead known = knownSeq == 0 ? LedgerHead::genesis() : c.items[knownSeq - 1].entry.head();

    int ops = 0;
    while (!in.atEnd() && ops++ < 16) {
        const uint8_t op = in.byte();
        const uint8_t a = in.byte();
        const uint8_t b = in.byte();
        if (op % 12 == 9) {
            batch.insert(b % (batch.size() + 1), c.foreign[a % c.foreign.size()]);
            continue;
        }
        if (batch.isEmpty())
            continue;
        LedgerBatchItem &x = batch[a % batch.size()];
        switch (op % 12) {
        case 0: batch.removeAt(a % batch.size()); break;
        case 1: batch.swapItemsAt(a % batch.size(), b % batch.size()); break;
        case 2: batch.insert(b % (batch.size() + 1), x); break;
        case 3: x.entry.deviceSeq = b; break;
        case 4: flip(x.entry.signature, b); break;
        case 5: flip(x.entry.prevHash, b); break;
        case 6: flip(x.entry.payloadHash, b); break;
        case 7: if (x.evaluation) x.evaluation->insert(QStringLiteral("satisfaction"), int(b)); break;
        case 8: x.evaluation.reset(); break;
        case 10: x.entry.assessTime = QString::number(b); break;
        case 11: { // rehash after an edit, as a forger without the key would
            x.entry.entryHash = x.entry.computeEntryHash();
            if (x.entry.entryHash.isEmpty())
                x.entry.entryHash = QByteArray(32, char(b));
            break;
        }
        }
    }

    const uint8_t headChoice = in.byte();
    std::optional<SignedHead> head;
    if (headChoice % 3 != 0) {
        LedgerBuilder builder(headChoice % 3 == 1 ? c.key : c.foreignKey);
        head = builder.signHead(c.items[headChoice % n].entry.head());
    }

    LedgerVerifier verifier(c.key.publicOnly(), known);
    verifier.setKnownHashLookup([&c](quint64 seq) -> std::optional<QByteArray> {
        if (seq < 1 || seq > quint64(c.items.size()))
            return std::nullopt;
        return c.items[seq - 1].entry.entryHash;
    });
    const bool headCovers = config & 0x02;
    verifier.setSignaturePolicy(headCovers ? LedgerVerifier::SignaturePolicy::HeadCovers
                                           : LedgerVerifier::SignaturePolicy::EveryEntry);
    const LedgerVerification r = verifier.verifyBatch(batch, head);

    // Soundness: the hub's next head is always a genuine head at or after the known one.
    if (r.newHead.deviceSeq < known.deviceSeq)
        std::abort();
    if (r.newHead.deviceSeq > 0 && r.newHead != c.items[r.newHead.deviceSeq - 1].entry.head())
        std::abort();
    if (r.newHead.deviceSeq == 0 && r.newHead != LedgerHead::genesis())
        std::abort();
    // A clean verdict means every entry and evaluation is genuine.
    // In HeadCovers mode the same holds except for the signature field (documented).
    if (r.ok()) {
        for (const LedgerBatchItem &item : batch) {
            const quint64 s = item.entry.deviceSeq;
            if (s < 1 || s > quint64(n))
                std::abort();
            LedgerEntry genuine = c.items[s - 1].entry;
            if (headCovers)
                genuine.signature = item.entry.signature;
            if (!(item.entry == genuine))
                std::abort();
            if (item.evaluation && *CanonicalJson::serialize(*item.evaluation)
                                       != *CanonicalJson::serialize(*c.items[s - 1].evaluation))
                std::abort();
        }
    }
    for (const LedgerProblem &p : r.problems)
        (void)LedgerProblem::kindName(p.kind).size();
}

void fuzzJson(const uint8_t *data, size_t size)
{
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size)));
    if (!doc.isObject())
        return;
    const QJsonObject root = doc.object();
    (void)CanonicalJson::serialize(root);
    const QJsonArray entries = root.value(QLatin1String("entries")).toArray();
    const QJsonArray evaluations = root.value(QLatin1String("evaluations")).toArray();
    QList<LedgerBatchItem> batch;
    for (qsizetype i = 0; i < entries.size() && i < 64; ++i) {
        auto e = LedgerEntry::fromJson(entries.at(i).toObject());
        if (!e)
            continue;
        LedgerBatchItem item{*e, std::nullopt};
        if (i < evaluations.size() && evaluations.at(i).isObject())
            item.evaluation = evaluations.at(i).toObject();
        batch.append(item);
    }
    std::optional<SignedHead> head = SignedHead::fromJson(root.value(QLatin1String("head")).toObject());
    LedgerHead known;
    if (auto k = SignedHead::fromJson(root.value(QLatin1String("known")).toObject()))
        known = k->head;
    const Chain &c = chain(false);
    for (auto policy : {LedgerVerifier::SignaturePolicy::EveryEntry, LedgerVerifier::SignaturePolicy::HeadCovers}) {
        LedgerVerifier verifier(c.key.publicOnly(), known);
        verifier.setSignaturePolicy(policy);
        const auto r = verifier.verifyBatch(batch, head);
        // Nothing in this input is signed by c.key, so the head can never move.
        if (r.newHead != known)
            std::abort();
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const bool quiet = [] {
        QLoggingCategory::setFilterRules(QStringLiteral("hcp.*=false"));
        return true;
    }();
    (void)quiet;
    if (size < 1)
        return 0;
    if (data[0] & 0x01) {
        fuzzJson(data + 1, size - 1);
    } else {
        Reader in(data + 1, size - 1);
        fuzzMutations(in);
    }
    return 0;
}

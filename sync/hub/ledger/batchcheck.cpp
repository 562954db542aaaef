// SPDX-License-Identifier: Apache-2.0
// LedgerCheck: a batch's and a heartbeat's ledger against the device's known head (PROTOCOL §4a,
// §9): verification, findings and the new head, in the caller's transaction or its own.
#include "ledgercheck.h"

#include "hubstore.h"
#include "ledgerinternal.h"

#include "canonicaljson.h"
#include "deviceidentity.h"
#include "ledgerverifier.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>

#include <algorithm>
#include <limits>
#include <map>

namespace hcp::sync::hub {

namespace {

using ledgerinternal::hex;
using ledgerinternal::kMaxUnledgeredReports;
using ledgerinternal::Transaction;
using ledgerinternal::unhex;

} // namespace

std::optional<LedgerCheck::Outcome> LedgerCheck::checkBatch(const QString &deviceId, const QJsonObject &body,
                                                            const QByteArray &rawBody, qint64 receivedAtMs,
                                                            QString *error, const QString &chain,
                                                            TransactionMode mode)
{
    const auto key = deviceKey(deviceId);
    if (!key)
        return Outcome{};
    // Each chain of a device has its own known head and entries: "<deviceId>" for evaluations,
    // "<deviceId>/<chain>" for the others; their findings are "<chain>-<kind>".
    const QString chainId = chain.isEmpty() ? deviceId : deviceId + QLatin1Char('/') + chain;
    const QString recordsKey = chain.isEmpty() ? QStringLiteral("evaluations") : QStringLiteral("records");
    const bool evaluationChain = chain.isEmpty();
    QSqlDatabase db = m_store->database();
    Transaction t(db, mode == TransactionMode::Joined);
    auto failed = [&]() -> std::optional<Outcome> {
        *error = m_lastError.isEmpty() ? db.lastError().text() : m_lastError;
        return std::nullopt;
    };
    if (!t.isOpen())
        return failed();
    const auto known = knownHead(chainId);
    if (!known)
        return failed();

    QList<Finding> findings;
    auto add = [&findings](const trust::LedgerProblem &p) {
        findings.append({trust::LedgerProblem::kindName(p.kind), qint64(p.deviceSeq), p.uuid, p.evidence});
    };

    // Evaluations by uuid; each ledger entry is checked against the evaluation it names.
    QHash<QString, QJsonObject> evaluations;
    for (const QJsonValue &v : body.value(recordsKey).toArray()) {
        const QJsonObject e = v.toObject();
        evaluations.insert(e.value(QLatin1String("uuid")).toString(), e);
    }
    QList<trust::LedgerBatchItem> items;
    QSet<QString> covered;
    const QJsonArray ledger = body.value(QLatin1String("ledger")).toArray();
    for (int i = 0; i < ledger.size(); ++i) {
        QString why;
        auto entry = trust::LedgerEntry::fromJson(ledger.at(i).toObject(), &why);
        if (!entry) {
            const QJsonObject o = ledger.at(i).toObject();
            findings.append({QStringLiteral("malformed"), o.value(QLatin1String("deviceSeq")).toInteger(),
                             o.value(QLatin1String("uuid")).toString(),
                             QStringLiteral("ledger position %1: %2").arg(i).arg(why)});
            continue;
        }
        std::optional<QJsonObject> evaluation;
        if (const auto it = evaluations.constFind(entry->uuid); it != evaluations.constEnd()) {
            evaluation = *it;
            covered.insert(entry->uuid);
        }
        items.append({*entry, evaluation});
    }
    std::optional<trust::SignedHead> head;
    if (body.value(QLatin1String("head")).isObject()) {
        QString why;
        head = trust::SignedHead::fromJson(body.value(QLatin1String("head")).toObject(), &why);
        if (!head)
            findings.append({QStringLiteral("malformed"), 0, QString(), QStringLiteral("batch head: %1").arg(why)});
        else if (head->head.deviceSeq < known->deviceSeq)
            head.reset(); // an older batch arriving late; heartbeats judge rewinds
    }

    // Replays: entries at or below the known head that equal what the hub verified before
    // (kiosks resend unconfirmed entries, so consecutive batches overlap). One range query
    // instead of one lookup per entry; they leave the batch, and an evaluation that came with
    // one is checked against the stored payload hash below. Anything else goes to the verifier.
    QHash<quint64, QByteArray> storedHashes;
    quint64 lowSeq = std::numeric_limits<quint64>::max();
    for (const trust::LedgerBatchItem &item : items)
        if (item.entry.deviceSeq <= known->deviceSeq)
            lowSeq = std::min(lowSeq, item.entry.deviceSeq);
    if (lowSeq <= known->deviceSeq) {
        QSqlQuery range(db);
        range.setForwardOnly(true);
        range.prepare(QStringLiteral("SELECT device_seq, entry_hash FROM ledger_entries WHERE device_id = ? "
                                     "AND device_seq BETWEEN ? AND ?"));
        range.addBindValue(chainId);
        range.addBindValue(qint64(lowSeq));
        range.addBindValue(qint64(known->deviceSeq));
        if (!exec(range))
            return failed();
        while (range.next())
            storedHashes.insert(quint64(range.value(0).toLongLong()), unhex(range.value(1)));
        range.finish();
        QList<trust::LedgerBatchItem> fresh;
        fresh.reserve(items.size());
        for (trust::LedgerBatchItem &item : items) {
            const auto it = storedHashes.constFind(item.entry.deviceSeq);
            if (item.entry.deviceSeq <= known->deviceSeq && it != storedHashes.constEnd() && *it == item.entry.entryHash) {
                if (item.evaluation)
                    covered.remove(item.entry.uuid);
                continue;
            }
            fresh.append(std::move(item));
        }
        items = std::move(fresh);
    }

    // Ahead: a pipelined batch that reached the hub before the batch it continues (the kiosk
    // ships each entry once per pipeline run and declares "ledgerAfter", the last seq of the
    // unanswered batch it continues, PROTOCOL §4a). Only when its first entry is exactly the
    // declared successor (an entry missing at the boundary is a gap, judged below), above the
    // known head, and its entries form one intact,
    // device-signed chain of their own (verified from its first entry's prevHash up to the
    // signed head, payloads included) and every evaluation in it has its entry there, it is
    // not judged yet: no finding, nothing stored, knownSeq unchanged in the answer, and the kiosk
    // ships those entries again after the hub's confirmed head. Anything less goes to the full
    // check below, which reports the gap.
    const qint64 declaredAfter = body.value(QLatin1String("ledgerAfter")).toInteger(-1);
    if (head && !items.isEmpty() && declaredAfter > qint64(known->deviceSeq)
        && items.first().entry.deviceSeq == quint64(declaredAfter) + 1 && covered.size() == evaluations.size()) {
        const trust::LedgerEntry &first = items.first().entry;
        trust::LedgerVerifier ahead(key->key, trust::LedgerHead{first.deviceSeq - 1, first.prevHash});
        ahead.setSignaturePolicy(trust::LedgerVerifier::SignaturePolicy::HeadCovers);
        const trust::LedgerVerification r = ahead.verifyBatch(items, head);
        if (r.ok() && qsizetype(r.accepted) == items.size() && r.newHead.deviceSeq == head->head.deviceSeq
            && r.newHead.entryHash == head->head.entryHash) {
            if (!t.commit())
                return failed();
            qCDebug(lcLedgerCheck).noquote() << "device" << chainId << "batch ahead of the known head" << known->deviceSeq
                                             << "from seq" << first.deviceSeq << "; not linked yet";
            return Outcome{true, qint64(known->deviceSeq), 0};
        }
    }

    trust::LedgerVerifier verifier(key->key, *known);
    verifier.setSignaturePolicy(trust::LedgerVerifier::SignaturePolicy::HeadCovers);
    verifier.setKnownHashLookup([&](quint64 seq) -> std::optional<QByteArray> {
        const auto it = storedHashes.constFind(seq);
        if (it != storedHashes.constEnd())
            return *it;
        QSqlQuery lookup(db);
        lookup.prepare(QStringLiteral("SELECT entry_hash FROM ledger_entries WHERE device_id = ? AND device_seq = ?"));
        lookup.addBindValue(chainId);
        lookup.addBindValue(qint64(seq));
        if (!lookup.exec() || !lookup.next())
            return std::nullopt;
        return unhex(lookup.value(0));
    });
    const trust::LedgerVerification result = verifier.verifyBatch(items, head);
    for (const trust::LedgerProblem &p : result.problems)
        add(p);

    // Evaluations the batch carries no entry for: resends of records whose entry the hub
    // already verified (checked against the stored payload hash), or records outside the chain.
    QSqlQuery stored(db);
    stored.prepare(QStringLiteral("SELECT uuid, payload_hash FROM ledger_entries WHERE device_id = ? AND device_seq = ?"));
    for (auto it = evaluations.constBegin(); it != evaluations.constEnd(); ++it) {
        if (covered.contains(it.key()))
            continue;
        const qint64 seq = it->value(QLatin1String("deviceSeq")).toInteger();
        stored.bindValue(0, chainId);
        stored.bindValue(1, seq);
        if (!exec(stored))
            return failed();
        if (!stored.next() || stored.value(0).toString() != it.key()) {
            stored.finish();
            findings.append({QStringLiteral("unledgered"), seq, it.key(),
                             QStringLiteral("evaluation %1 (deviceSeq %2) has no device-signed ledger entry").arg(it.key()).arg(seq)});
            continue;
        }
        const QByteArray payloadHash = unhex(stored.value(1));
        stored.finish();
        const auto canonical = trust::CanonicalJson::serialize(*it);
        if (!canonical || trust::Crypto::sm3(*canonical) != payloadHash)
            findings.append({QStringLiteral("edited-payload"), seq, it.key(),
                             QStringLiteral("resent evaluation %1 (deviceSeq %2) does not hash to the verified entry's payloadHash %3")
                                 .arg(it.key()).arg(seq).arg(hex(payloadHash))});
    }

    // Persist the verified extension of the chain: walk the batch's entries from the old head.
    if (result.newHead.deviceSeq > known->deviceSeq) {
        std::multimap<quint64, const trust::LedgerEntry *> bySeq;
        for (const trust::LedgerBatchItem &item : items)
            if (item.entry.deviceSeq > known->deviceSeq && item.entry.deviceSeq <= result.newHead.deviceSeq)
                bySeq.emplace(item.entry.deviceSeq, &item.entry);
        QSqlQuery delivered(db);
        delivered.prepare(QStringLiteral("SELECT 1 FROM evaluations WHERE device_id = ? AND uuid = ? UNION ALL "
                                         "SELECT 1 FROM evaluation_problems WHERE device_id = ? AND uuid = ?"));
        QSqlQuery insert(db);
        insert.prepare(QStringLiteral("INSERT INTO ledger_entries (device_id, device_seq, uuid, entry_hash, payload_hash) "
                                      "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING"));
        QByteArray chain = known->entryHash;
        // Seq by seq as received: a gap the device linked over (LedgerVerifier) has no rows.
        for (auto slot = bySeq.cbegin(); slot != bySeq.cend(); slot = bySeq.upper_bound(slot->first)) {
            const quint64 seq = slot->first;
            const trust::LedgerEntry *linked = nullptr;
            const auto [from, to] = bySeq.equal_range(seq);
            for (auto it = from; it != to; ++it)
                if (it->second->prevHash == chain) // hashes were checked by the verifier
                    linked = it->second;
            if (!linked)
                break; // cannot happen: the verifier reached newHead through these entries
            // An entry of the verified chain whose evaluation the device never delivered (deleted
            // on the kiosk, its entry kept): it is not in this batch and not stored here.
            if (evaluationChain && !covered.contains(linked->uuid)) {
                delivered.bindValue(0, deviceId);
                delivered.bindValue(1, linked->uuid);
                delivered.bindValue(2, deviceId);
                delivered.bindValue(3, linked->uuid);
                if (!exec(delivered))
                    return failed();
                if (!delivered.next())
                    findings.append({QStringLiteral("missing-evaluation"), qint64(seq), linked->uuid,
                                     QStringLiteral("verified ledger entry %1 (seq %2) came without its evaluation, and the hub "
                                                    "holds none: the evaluation was deleted on the device")
                                         .arg(linked->uuid).arg(seq)});
                delivered.finish();
            }
            insert.bindValue(0, chainId);
            insert.bindValue(1, qint64(seq));
            insert.bindValue(2, linked->uuid);
            insert.bindValue(3, hex(linked->entryHash));
            insert.bindValue(4, hex(linked->payloadHash));
            if (!exec(insert))
                return failed();
            chain = linked->entryHash;
        }
        QSqlQuery up(db);
        up.prepare(QStringLiteral("INSERT INTO ledger_heads (device_id, device_seq, entry_hash, updated_at) VALUES (?, ?, ?, ?) "
                                  "ON CONFLICT (device_id) DO UPDATE SET device_seq = excluded.device_seq, "
                                  "entry_hash = excluded.entry_hash, updated_at = excluded.updated_at"));
        up.addBindValue(chainId);
        up.addBindValue(qint64(result.newHead.deviceSeq));
        up.addBindValue(hex(result.newHead.entryHash));
        up.addBindValue(receivedAtMs);
        if (!exec(up))
            return failed();
    }
    // Rows the device itself found without their ledger entry and quarantined (PROTOCOL §4a):
    // evidence of a database edited behind the kiosk's back; they never arrive as evaluations.
    if (evaluationChain) {
        const QJsonArray reports = body.value(QLatin1String("unledgered")).toArray();
        for (qsizetype i = 0; i < reports.size() && i < kMaxUnledgeredReports; ++i) {
            const QJsonObject r = reports.at(i).toObject();
            const qint64 seq = r.value(QLatin1String("deviceSeq")).toInteger();
            const QString uuid = r.value(QLatin1String("uuid")).toString().left(64);
            findings.append({QStringLiteral("unledgered"), seq, uuid,
                             QStringLiteral("the device quarantined evaluation %1 (deviceSeq %2): %3")
                                 .arg(uuid).arg(seq).arg(r.value(QLatin1String("reason")).toString().left(300))});
        }
    }
    if (!chain.isEmpty())
        for (Finding &f : findings)
            f.kind = chain + QLatin1Char('-') + f.kind;
    if (!record(deviceId, findings, chain.isEmpty() ? QStringLiteral("batch") : chain, rawBody, receivedAtMs)
        || !t.commit())
        return failed();
    return Outcome{true, qint64(result.newHead.deviceSeq), int(findings.size())};
}

std::optional<LedgerCheck::Outcome> LedgerCheck::checkHead(const QString &deviceId, const QJsonObject &headJson,
                                                           const QByteArray &rawBody, qint64 receivedAtMs,
                                                           QString *error)
{
    const auto key = deviceKey(deviceId);
    if (!key)
        return Outcome{};
    QSqlDatabase db = m_store->database();
    Transaction t(db);
    auto failed = [&]() -> std::optional<Outcome> {
        *error = m_lastError.isEmpty() ? db.lastError().text() : m_lastError;
        return std::nullopt;
    };
    const auto known = knownHead(deviceId);
    if (!t.isOpen() || !known)
        return failed();
    QList<Finding> findings;
    QString why;
    const auto head = trust::SignedHead::fromJson(headJson, &why);
    if (!head) {
        findings.append({QStringLiteral("malformed"), 0, QString(), QStringLiteral("heartbeat head: %1").arg(why)});
    } else {
        QSqlQuery lookup(db);
        lookup.prepare(QStringLiteral("SELECT entry_hash FROM ledger_entries WHERE device_id = ? AND device_seq = ?"));
        trust::LedgerVerifier verifier(key->key, *known);
        verifier.setKnownHashLookup([&](quint64 seq) -> std::optional<QByteArray> {
            lookup.bindValue(0, deviceId);
            lookup.bindValue(1, qint64(seq));
            if (!lookup.exec() || !lookup.next())
                return std::nullopt;
            return unhex(lookup.value(0));
        });
        for (const trust::LedgerProblem &p : verifier.verifyHead(*head).problems)
            findings.append({trust::LedgerProblem::kindName(p.kind), qint64(p.deviceSeq),
                             QStringLiteral("head:") + hex(head->head.entryHash).left(16), p.evidence});
    }
    if (!record(deviceId, findings, QStringLiteral("heartbeat"), rawBody, receivedAtMs) || !t.commit())
        return failed();
    return Outcome{true, qint64(known->deviceSeq), int(findings.size())};
}

} // namespace hcp::sync::hub

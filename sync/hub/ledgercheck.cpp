// SPDX-License-Identifier: Apache-2.0
#include "ledgercheck.h"

#include "hubstore.h"

#include "canonicaljson.h"
#include "deviceidentity.h"
#include "ledgerverifier.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QSqlError>
#include <QSqlQuery>

#include <algorithm>
#include <limits>
#include <map>

Q_LOGGING_CATEGORY(lcLedgerCheck, "hcp.sync.hub.ledger")

namespace hcp::sync::hub {

namespace {

QString hex(const QByteArray &b)
{
    return QString::fromLatin1(b.toHex());
}

QByteArray unhex(const QVariant &v)
{
    return QByteArray::fromHex(v.toString().toLatin1());
}

// Per batch; the kiosk sends at most 100 (OutboxSender).
constexpr qsizetype kMaxUnledgeredReports = 500;

// Rolls back unless committed: every early return leaves the database as it was. Joined
// (the caller already holds a transaction): begins, commits and rolls back nothing; the caller
// commits or rolls back the whole request.
class Transaction
{
public:
    explicit Transaction(QSqlDatabase &db, bool joined = false)
        : m_db(db)
        , m_joined(joined)
        , m_open(joined || db.transaction())
    {
    }
    ~Transaction()
    {
        if (m_open && !m_joined)
            m_db.rollback();
    }
    bool isOpen() const { return m_open; }
    bool commit()
    {
        m_open = false;
        if (m_joined || m_db.commit())
            return true;
        m_db.rollback();
        return false;
    }

private:
    QSqlDatabase &m_db;
    bool m_joined;
    bool m_open;
};

} // namespace

LedgerCheck::LedgerCheck(HubStore *store)
    : m_store(store)
{
}

bool LedgerCheck::ensureSchema(QSqlDatabase &db, bool postgres, QString *error)
{
    const QString id = postgres ? QStringLiteral("id BIGSERIAL PRIMARY KEY")
                                : QStringLiteral("id INTEGER PRIMARY KEY AUTOINCREMENT");
    const QStringList statements{
        QStringLiteral("CREATE TABLE IF NOT EXISTS device_keys (device_id TEXT PRIMARY KEY, key_type TEXT NOT NULL, "
                       "public_key TEXT NOT NULL, fingerprint TEXT NOT NULL, registered_at BIGINT NOT NULL)"),
        QStringLiteral("CREATE TABLE IF NOT EXISTS ledger_heads (device_id TEXT PRIMARY KEY, device_seq BIGINT NOT NULL, "
                       "entry_hash TEXT NOT NULL, updated_at BIGINT NOT NULL)"),
        QStringLiteral("CREATE TABLE IF NOT EXISTS ledger_entries (device_id TEXT NOT NULL, device_seq BIGINT NOT NULL, "
                       "uuid TEXT NOT NULL, entry_hash TEXT NOT NULL, payload_hash TEXT NOT NULL, "
                       "PRIMARY KEY (device_id, device_seq))"),
        QStringLiteral("CREATE TABLE IF NOT EXISTS tamper_evidence (%1, device_id TEXT NOT NULL, what TEXT NOT NULL, "
                       "body TEXT NOT NULL, received_at BIGINT NOT NULL)")
            .arg(id),
        QStringLiteral("CREATE TABLE IF NOT EXISTS tamper_alerts (%1, device_id TEXT NOT NULL, kind TEXT NOT NULL, "
                       "device_seq BIGINT NOT NULL, uuid TEXT NOT NULL, evidence TEXT NOT NULL, evidence_id BIGINT, "
                       "received_at BIGINT NOT NULL)")
            .arg(id),
        QStringLiteral("CREATE TABLE IF NOT EXISTS audit_records (device_id TEXT NOT NULL, uuid TEXT NOT NULL, "
                       "device_seq BIGINT NOT NULL, action TEXT NOT NULL, record TEXT NOT NULL, "
                       "received_at BIGINT NOT NULL, PRIMARY KEY (device_id, uuid))"),
        // One alert per finding, however often a tampered kiosk resends the same batch.
        QStringLiteral("CREATE UNIQUE INDEX IF NOT EXISTS tamper_alerts_finding ON tamper_alerts(device_id, kind, device_seq, uuid)"),
    };
    if (!HubStore::execStatements(db, statements, error))
        return false;
    // How often an aggregated finding (unknown-key: one alert per device and hour) was seen;
    // added to databases made before it.
    QSqlQuery has(db);
    if (postgres || !has.exec(QStringLiteral("SELECT occurrences FROM tamper_alerts LIMIT 0"))) {
        has.finish();
        return HubStore::execStatements(
            db,
            {postgres ? QStringLiteral("ALTER TABLE tamper_alerts ADD COLUMN IF NOT EXISTS occurrences BIGINT NOT NULL DEFAULT 1")
                      : QStringLiteral("ALTER TABLE tamper_alerts ADD COLUMN occurrences BIGINT NOT NULL DEFAULT 1")},
            error);
    }
    return true;
}

bool LedgerCheck::exec(QSqlQuery &q)
{
    if (q.exec())
        return true;
    m_lastError = q.lastError().text();
    qCWarning(lcLedgerCheck) << "SQL failed:" << m_lastError << q.lastQuery();
    return false;
}

LedgerCheck::KeyResult LedgerCheck::registerKey(const QString &deviceId, const QByteArray &publicKeyPem,
                                                QString *fingerprint)
{
    QString why;
    const trust::Key key = trust::Key::fromPem(publicKeyPem, &why);
    if (key.isNull() || key.hasPrivate())
        return KeyResult::Invalid; // a private key sent over the wire is refused as well
    const QString fp = trust::DeviceIdentity::fingerprintOf(key);
    *fingerprint = fp;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QSqlQuery q(m_store->database());
    q.prepare(QStringLiteral("INSERT INTO device_keys (device_id, key_type, public_key, fingerprint, registered_at) "
                             "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING"));
    q.addBindValue(deviceId);
    q.addBindValue(key.type() == trust::KeyType::Sm2 ? QStringLiteral("sm2") : QStringLiteral("ed25519"));
    q.addBindValue(QString::fromLatin1(key.publicPem()));
    q.addBindValue(fp);
    q.addBindValue(now);
    if (!exec(q))
        return KeyResult::Failed;
    if (q.numRowsAffected() == 1) {
        qCInfo(lcLedgerCheck).noquote() << "device" << deviceId << "key" << fp;
        return KeyResult::Registered;
    }
    const auto held = deviceKey(deviceId);
    if (!held)
        return KeyResult::Failed;
    if (held->fingerprint == fp)
        return KeyResult::Same;
    // Another key for an enrolled device: a new identity (reset, storage swap, cloned
    // credentials). Never adopted silently.
    QSqlDatabase db = m_store->database();
    Transaction t(db);
    const QJsonObject evidence{{QStringLiteral("deviceId"), deviceId},
                               {QStringLiteral("enrolledFingerprint"), held->fingerprint},
                               {QStringLiteral("offeredFingerprint"), fp},
                               {QStringLiteral("offeredPublicKey"), QString::fromLatin1(key.publicPem())}};
    const QList<Finding> findings{{QStringLiteral("new-identity"), 0, fp,
                                   QStringLiteral("re-enrollment with key %1; the device is enrolled with key %2")
                                       .arg(fp, held->fingerprint)}};
    if (!t.isOpen() || !record(deviceId, findings, QStringLiteral("enroll"),
                               QJsonDocument(evidence).toJson(QJsonDocument::Compact), now)
        || !t.commit())
        return KeyResult::Failed;
    qCWarning(lcLedgerCheck).noquote() << "device" << deviceId << "offered another key" << fp;
    return KeyResult::Changed;
}

std::optional<LedgerCheck::DeviceKey> LedgerCheck::deviceKey(const QString &deviceId)
{
    if (const quint64 epoch = s_keyEpoch.load(); epoch != m_keyEpoch) {
        m_keys.clear();
        m_keyEpoch = epoch;
    }
    if (const auto it = m_keys.constFind(deviceId); it != m_keys.constEnd())
        return *it;
    QSqlQuery q(m_store->database());
    q.prepare(QStringLiteral("SELECT public_key, fingerprint FROM device_keys WHERE device_id = ?"));
    q.addBindValue(deviceId);
    if (!exec(q) || !q.next())
        return std::nullopt;
    DeviceKey k{trust::Key::fromPem(q.value(0).toString().toLatin1()), q.value(1).toString()};
    if (k.key.isNull())
        return std::nullopt;
    m_keys.insert(deviceId, k);
    return k;
}

void LedgerCheck::reportUnknownKey(const QString &deviceId, const QString &fingerprint,
                                   const QByteArray &requestTarget, qint64 receivedAtMs)
{
    const auto held = deviceKey(deviceId);
    QSqlDatabase db = m_store->database();
    Transaction t(db);
    if (!t.isOpen())
        return;
    // One alert per device and hour, counted: a flood of requests with random keys (found: each
    // made an alert, 50 with 1 MB URLs grew the database by 104 MB) adds one row an hour.
    const QString bucket = QStringLiteral("hour-%1").arg(receivedAtMs / 3'600'000);
    QSqlQuery seen(db);
    seen.prepare(QStringLiteral("UPDATE tamper_alerts SET occurrences = occurrences + 1 "
                                "WHERE device_id = ? AND kind = 'unknown-key' AND device_seq = 0 AND uuid = ?"));
    seen.addBindValue(deviceId);
    seen.addBindValue(bucket);
    if (!exec(seen))
        return;
    if (seen.numRowsAffected() > 0) {
        t.commit();
        return;
    }
    const QByteArray target = requestTarget.left(200);
    const QList<Finding> findings{
        {QStringLiteral("unknown-key"), 0, bucket,
         QStringLiteral("request %1 signed with key %2; the device is enrolled with key %3 (first of this hour; "
                        "occurrences counts them)")
             .arg(QString::fromUtf8(target), fingerprint.left(64), held ? held->fingerprint : QString())}};
    if (record(deviceId, findings, QStringLiteral("request"), target, receivedAtMs))
        t.commit();
}

bool LedgerCheck::raiseAlert(const QString &deviceId, const QString &kind, qint64 deviceSeq, const QString &uuid,
                             const QString &evidence, const QString &what, const QByteArray &rawBody)
{
    QSqlDatabase db = m_store->database();
    Transaction t(db);
    return t.isOpen() && record(deviceId, {{kind, deviceSeq, uuid, evidence}}, what, rawBody, QDateTime::currentMSecsSinceEpoch())
        && t.commit();
}

std::optional<trust::LedgerHead> LedgerCheck::knownHead(const QString &deviceId)
{
    QSqlQuery q(m_store->database());
    q.prepare(QStringLiteral("SELECT device_seq, entry_hash FROM ledger_heads WHERE device_id = ?"));
    q.addBindValue(deviceId);
    if (!exec(q))
        return std::nullopt;
    if (!q.next())
        return trust::LedgerHead::genesis();
    return trust::LedgerHead{quint64(q.value(0).toLongLong()), unhex(q.value(1))};
}

bool LedgerCheck::record(const QString &deviceId, const QList<Finding> &findings, const QString &what,
                         const QByteArray &rawBody, qint64 receivedAtMs)
{
    if (findings.isEmpty())
        return true;
    QSqlDatabase db = m_store->database();
    QSqlQuery insert(db);
    insert.prepare(QStringLiteral("INSERT INTO tamper_alerts (device_id, kind, device_seq, uuid, evidence, received_at) "
                                  "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id"));
    QStringList fresh;
    for (const Finding &f : findings) {
        insert.bindValue(0, deviceId);
        insert.bindValue(1, f.kind);
        insert.bindValue(2, f.deviceSeq);
        insert.bindValue(3, f.uuid.isEmpty() ? QStringLiteral("") : f.uuid); // NOT NULL: '' for head findings
        insert.bindValue(4, f.evidence);
        insert.bindValue(5, receivedAtMs);
        if (!exec(insert))
            return false;
        if (insert.next()) {
            fresh.append(QString::number(insert.value(0).toLongLong()));
            qCWarning(lcLedgerCheck).noquote() << "TAMPER" << deviceId << f.kind << "seq" << f.deviceSeq << f.evidence;
        }
        insert.finish();
    }
    if (fresh.isEmpty())
        return true;
    QSqlQuery ev(db);
    ev.prepare(QStringLiteral("INSERT INTO tamper_evidence (device_id, what, body, received_at) VALUES (?, ?, ?, ?) RETURNING id"));
    ev.addBindValue(deviceId);
    ev.addBindValue(what);
    ev.addBindValue(QString::fromUtf8(rawBody));
    ev.addBindValue(receivedAtMs);
    if (!exec(ev) || !ev.next())
        return false;
    const qint64 evidenceId = ev.value(0).toLongLong();
    ev.finish();
    QSqlQuery link(db);
    link.prepare(QStringLiteral("UPDATE tamper_alerts SET evidence_id = ? WHERE id IN (%1)").arg(fresh.join(QLatin1Char(','))));
    link.addBindValue(evidenceId);
    return exec(link);
}

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

bool LedgerCheck::storeAudit(const QString &deviceId, const QJsonArray &records, qint64 receivedAtMs, QString *error,
                             TransactionMode mode)
{
    QSqlDatabase db = m_store->database();
    Transaction t(db, mode == TransactionMode::Joined);
    QSqlQuery q(db);
    q.prepare(QStringLiteral("INSERT INTO audit_records (device_id, uuid, device_seq, action, record, received_at) "
                             "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING"));
    for (const QJsonValue &v : records) {
        const QJsonObject r = v.toObject();
        q.bindValue(0, deviceId);
        q.bindValue(1, r.value(QLatin1String("uuid")).toString());
        q.bindValue(2, r.value(QLatin1String("deviceSeq")).toInteger());
        q.bindValue(3, r.value(QLatin1String("action")).toString());
        q.bindValue(4, QString::fromUtf8(QJsonDocument(r).toJson(QJsonDocument::Compact)));
        q.bindValue(5, receivedAtMs);
        if (!exec(q)) {
            *error = m_lastError;
            return false;
        }
    }
    if (!t.isOpen() || !t.commit()) {
        *error = db.lastError().text();
        return false;
    }
    return true;
}

QJsonArray LedgerCheck::auditRecords(const QString &deviceId)
{
    QJsonArray out;
    QSqlQuery q(m_store->database());
    q.prepare(QStringLiteral("SELECT device_id, record, received_at FROM audit_records WHERE ? = '' OR device_id = ? "
                             "ORDER BY device_id, device_seq"));
    q.addBindValue(deviceId);
    q.addBindValue(deviceId);
    if (!exec(q))
        return out;
    while (q.next()) {
        QJsonObject r = QJsonDocument::fromJson(q.value(1).toString().toUtf8()).object();
        r.insert(QStringLiteral("deviceId"), q.value(0).toString());
        r.insert(QStringLiteral("receivedAtMs"), q.value(2).toLongLong());
        out.append(r);
    }
    return out;
}

QJsonArray LedgerCheck::alerts(const QString &deviceId)
{
    QJsonArray out;
    QSqlQuery q(m_store->database());
    q.prepare(QStringLiteral("SELECT id, device_id, kind, device_seq, uuid, evidence, evidence_id, received_at, occurrences "
                             "FROM tamper_alerts WHERE ? = '' OR device_id = ? ORDER BY id"));
    q.addBindValue(deviceId);
    q.addBindValue(deviceId);
    if (!exec(q))
        return out;
    while (q.next())
        out.append(QJsonObject{
            {QStringLiteral("id"), q.value(0).toLongLong()},
            {QStringLiteral("deviceId"), q.value(1).toString()},
            {QStringLiteral("kind"), q.value(2).toString()},
            {QStringLiteral("deviceSeq"), q.value(3).toLongLong()},
            {QStringLiteral("uuid"), q.value(4).toString()},
            {QStringLiteral("evidence"), q.value(5).toString()},
            {QStringLiteral("evidenceId"), q.value(6).isNull() ? QJsonValue() : QJsonValue(q.value(6).toLongLong())},
            {QStringLiteral("receivedAtMs"), q.value(7).toLongLong()},
            {QStringLiteral("occurrences"), q.value(8).toLongLong()},
        });
    return out;
}

std::optional<QJsonObject> LedgerCheck::evidence(qint64 id)
{
    QSqlQuery q(m_store->database());
    q.prepare(QStringLiteral("SELECT device_id, what, body, received_at FROM tamper_evidence WHERE id = ?"));
    q.addBindValue(id);
    if (!exec(q) || !q.next())
        return std::nullopt;
    return QJsonObject{{QStringLiteral("id"), id},
                       {QStringLiteral("deviceId"), q.value(0).toString()},
                       {QStringLiteral("what"), q.value(1).toString()},
                       {QStringLiteral("body"), q.value(2).toString()},
                       {QStringLiteral("receivedAtMs"), q.value(3).toLongLong()}};
}

} // namespace hcp::sync::hub

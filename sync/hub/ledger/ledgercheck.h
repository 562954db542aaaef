// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "crypto.h"
#include "ledgerentry.h"

#include <QByteArray>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QString>

#include <atomic>
#include <optional>

namespace hcp::sync::hub {

class HubStore;

// The hub's side of device identity and the tamper-evident ledger (PROTOCOL §2, §4a, §9):
// per-device public keys registered at enrollment, the persistent known (verified) head per
// device, the verified entries (for replays and forks below the head), and tamper alerts with
// the offending request kept as evidence. Every batch and every heartbeat head goes through
// LedgerVerifier against the stored known head. Uses the HubStore's connection and thread.
class LedgerCheck
{
public:
    explicit LedgerCheck(HubStore *store);

    // Creates this class's tables (idempotent); called from HubStore::open.
    static bool ensureSchema(QSqlDatabase &db, bool postgres, QString *error);

    enum class KeyResult {
        Registered, // first key of the device, stored
        Same,       // the device already holds exactly this key
        Changed,    // the device holds another key: refused, "new-identity" alert raised
        Invalid,    // not an SM2/Ed25519 public key PEM
        Failed,     // database error
    };
    KeyResult registerKey(const QString &deviceId, const QByteArray &publicKeyPem, QString *fingerprint);

    struct DeviceKey
    {
        trust::Key key;
        QString fingerprint;
    };
    // The registered key (cached after the first lookup: keys are never replaced in place).
    std::optional<DeviceKey> deviceKey(const QString &deviceId);
    // Drops the cached key after an approved re-enrollment replaced it (enroll/reenrollments.h).
    // Also drops every other LedgerCheck's cached keys (the hub's worker threads keep their own,
    // serving/workerstores.h): a replaced key must not stay valid on another thread.
    void forgetKey(const QString &deviceId)
    {
        m_keys.remove(deviceId);
        s_keyEpoch.fetch_add(1);
    }

    // A request signed with a key the device does not hold ("unknown-key", one alert per key).
    void reportUnknownKey(const QString &deviceId, const QString &fingerprint, const QByteArray &requestTarget,
                          qint64 receivedAtMs);

    struct Outcome
    {
        bool checked = false; // false: the device has no key, ledgers are not verified
        qint64 knownSeq = 0;  // the device's verified head after this request
        int problems = 0;     // findings of this request (alerts may be fewer: deduplicated)
    };
    // A batch body of PROTOCOL §4/§4a (evaluations, ledger, head). Run before the evaluations
    // are ingested; nullopt only on a database error (*error set, nothing committed).
    // chain: empty for evaluations; "audit" for the maintenance audit chain (body
    // {"records","ledger","head"}, PROTOCOL §4b), kept apart with its own known head.
    // Own: the check commits in its own transaction. Joined: inside the caller's open
    // transaction (HubServer runs the check and the ingest of a batch as one commit, so the
    // known head and the rows it covers are durable together, with one fsync); nothing is begun,
    // committed or rolled back here, and on nullopt the caller rolls back.
    enum class TransactionMode { Own, Joined };
    std::optional<Outcome> checkBatch(const QString &deviceId, const QJsonObject &body, const QByteArray &rawBody,
                                      qint64 receivedAtMs, QString *error, const QString &chain = {},
                                      TransactionMode mode = TransactionMode::Own);
    // Stores audit records (idempotent on uuid) and lists them for the admin API.
    bool storeAudit(const QString &deviceId, const QJsonArray &records, qint64 receivedAtMs, QString *error,
                    TransactionMode mode = TransactionMode::Own);
    QJsonArray auditRecords(const QString &deviceId);
    // A heartbeat's "ledgerHead".
    std::optional<Outcome> checkHead(const QString &deviceId, const QJsonObject &headJson, const QByteArray &rawBody,
                                     qint64 receivedAtMs, QString *error);

    // One finding raised by another checker (TpmCheck), deduplicated like the ledger's own, with
    // rawBody as evidence when new. Inside the caller's transaction.
    bool raise(const QString &deviceId, const QString &kind, qint64 deviceSeq, const QString &evidence,
               const QString &what, const QByteArray &rawBody, qint64 receivedAtMs)
    {
        return record(deviceId, {Finding{kind, deviceSeq, {}, evidence}}, what, rawBody, receivedAtMs);
    }
    // The device's verified head seq (0 when none).
    qint64 knownSeq(const QString &deviceId)
    {
        const auto head = knownHead(deviceId);
        return head ? qint64(head->deviceSeq) : 0;
    }
    // One finding of another component (e.g. a receipt witness, PROTOCOL §4c), recorded like
    // the ledger's own (deduplicated, with the request as evidence), in its own transaction.
    bool raiseAlert(const QString &deviceId, const QString &kind, qint64 deviceSeq, const QString &uuid,
                    const QString &evidence, const QString &what, const QByteArray &rawBody);

    // Admin API: alerts (all devices when deviceId is empty), oldest first, and one evidence row.
    QJsonArray alerts(const QString &deviceId);
    std::optional<QJsonObject> evidence(qint64 id);

private:
    struct Finding
    {
        QString kind;
        qint64 deviceSeq = 0;
        QString uuid;
        QString evidence;
    };
    // Stores the findings (deduplicated per device, kind, seq, uuid) and, when any is new, the
    // request as evidence. Inside the caller's transaction.
    bool record(const QString &deviceId, const QList<Finding> &findings, const QString &what,
                const QByteArray &rawBody, qint64 receivedAtMs);
    std::optional<trust::LedgerHead> knownHead(const QString &deviceId);
    bool exec(class QSqlQuery &q);

    HubStore *m_store;
    QHash<QString, DeviceKey> m_keys;
    quint64 m_keyEpoch = 0;                      // s_keyEpoch when m_keys was last valid
    static inline std::atomic<quint64> s_keyEpoch{0};
    QString m_lastError;
};

} // namespace hcp::sync::hub

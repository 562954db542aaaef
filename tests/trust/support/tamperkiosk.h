// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "auditlog.h"
#include "devicecredentials.h"
#include "hubclient.h"
#include "ledger.h"
#include "outboxsender.h"
#include "store.h"

#ifdef HCP_HAVE_TPM
#include "tpmattestor.h"
#endif

#include <QJsonArray>
#include <QJsonObject>
#include <QStringList>
#include <QUrl>

#include <memory>
#include <optional>

namespace hcp::sync::test {

// One kiosk for tamper tests: its database, device key, ledger, hub client and sender, as
// kiosk/main.cpp wires them, and optionally its TPM (counter hook on the Store, attestation on
// batches and heartbeats). Blocking helpers spin a local event loop (tests only).
class TamperKiosk
{
public:
    // A new kiosk: fresh SM2 key, enrolled at hub under deviceId.
    TamperKiosk(const QString &deviceId, const QString &dbPath, const QUrl &hub);
    // A kiosk that runs with another one's key and credentials (a clone), on its own file.
    TamperKiosk(const TamperKiosk &original, const QString &dbPath);

    ~TamperKiosk();

    // Issue 13: the kiosk's TPM at tcti (e.g. a test's swtpm), its key blob at keyBlobPath,
    // opened at open() as kiosk/main.cpp does (TpmAttestor::open, the counter as the Store's
    // commit hook, attestations on batches and heartbeats). An empty tcti: file key only.
    void setTpm(const QString &tcti, const QString &keyBlobPath);
    bool hasTpm() const { return !m_tcti.isEmpty(); }
#ifdef HCP_HAVE_TPM
    kiosk::TpmAttestor *tpm() { return m_tpm.get(); }
#endif
    // The TPM attestation of the current ledger head, as the sender and heartbeat send it (the
    // replayed one when set; empty without a TPM).
    QJsonObject attestation();
    // What root's copy sends instead of a fresh attestation (one captured earlier); empty = none.
    void replayAttestation(const QJsonObject &captured) { m_replay = captured; }

    bool enrolled() const { return m_credentials.isValid(); }
    const sync::DeviceCredentials &credentials() const { return m_credentials; }
    QString deviceId() const { return m_deviceId; }
    QString path() const { return m_path; }
    const trust::Key &key() const { return m_key; }
    kiosk::Store &store() { return m_store; }
    sync::HubClient *client() { return m_client.get(); }

    bool open(QString *error);
    // Like a restart (or the power going): sender and store let go of the file.
    void close();

    // Commits n evaluations; satisfaction 1 and 2 carry a comment (差评 needs a reason).
    bool commit(int n, int satisfaction = 5);
    // The evaluations committed by commit(), in order (uuid, seq as committed).
    const QList<kiosk::Evaluation> &committed() const { return m_committed; }

    // Runs the sender until the outbox is drained.
    bool sync();
    kiosk::AuditLog &audit() { return *m_audit; }
    bool flushAudit();
    // Sends a heartbeat with the signed ledger head, deviceStatus.tpm and the TPM attestation
    // (overrideTpm: what a tampering root sends instead); returns the HTTP status.
    int heartbeat(const std::optional<QJsonObject> &overrideTpm = std::nullopt);
    // Runs SQL on the kiosk's own connection (the attacker's edits); false and a warning on error.
    bool exec(const QString &sql);
    // Stops the kiosk, runs the statements on the file with a connection of its own (root
    // editing the database while the app is down) and starts the kiosk again.
    bool editOffline(const QStringList &statements, QString *error);
    // Writes a forged good rating at seq (evaluation and outbox rows, in one transaction) and,
    // with a forger, a ledger entry for it signed by the forger's key linked to the head.
    // Returns the forged uuid (empty on failure).
    QString insertForged(qint64 seq, const trust::LedgerBuilder *forger = nullptr);
    // Swaps seqs a and b in every table, ledger rows included, payloads renumbered.
    bool swapRows(qint64 a, qint64 b);
    // The forged good rating insertForged writes at seq.
    static kiosk::Evaluation forgedEvaluation(qint64 seq);
    // Copies the database (after a WAL checkpoint) to path, like a backup.
    bool backupTo(const QString &path);
    // Replaces the database with the backup at path (closed kiosk).
    bool restoreFrom(const QString &path);

private:
    QString m_deviceId;
    QString m_path;
    trust::Key m_key;
    kiosk::Ledger m_ledger;
    sync::DeviceCredentials m_credentials;
    kiosk::Store m_store;
    std::unique_ptr<sync::HubClient> m_client;
    std::unique_ptr<sync::OutboxSender> m_sender;
    std::unique_ptr<kiosk::AuditLog> m_audit;
    QString m_tcti;
    QString m_keyBlobPath;
#ifdef HCP_HAVE_TPM
    std::unique_ptr<kiosk::TpmAttestor> m_tpm;
#endif
    QJsonObject m_replay;
    QList<kiosk::Evaluation> m_committed;
    int m_counter = 0;
};

// GET /v1/admin/tamper?deviceId=: the device's alerts, and their kinds.
QJsonArray deviceAlerts(const QUrl &hub, const QString &deviceId);
QStringList alertKinds(const QUrl &hub, const QString &deviceId);

} // namespace hcp::sync::test

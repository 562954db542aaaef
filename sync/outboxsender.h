// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "outbox.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonObject>
#include <QObject>
#include <QSqlDatabase>
#include <QTimer>

#include <functional>
#include <memory>

namespace hcp::trust {
class LedgerBuilder;
}

namespace hcp::sync {

class HubClient;

// The single sender of the outbox: oldest first, at most batchSize rows per request, rows marked
// Sending (committed) before the POST and Acked only on the hub's per-record "accepted" or
// "duplicate"; "conflict"/"invalid" rows are quarantined and reported. Failures are retried
// forever with full-jitter exponential backoff: delay = random(0, min(cap, base·2^n)).
//
// Threading: lives on the thread that created it (or was moved to before start()); uses its own
// SQLite connection (busy_timeout 5 s) to the kiosk database, opened in open() on that thread.
// Exactly one OutboxSender may run per database (the caller guarantees it; the kiosk builds one).
// Up to maxInFlight batches are pipelined (the next batch is read and marked while the hub
// commits the previous one); after any failure the pipeline drains, waits out the backoff and
// restarts from the oldest unacknowledged row.
class OutboxSender : public QObject
{
    Q_OBJECT
public:
    // Points of a send, reported to the step hook (crash tests kill the process there).
    enum class Step {
        BatchSelected,    // rows chosen, nothing written
        MarkedSending,    // Sending state committed, request not yet issued
        RequestIssued,    // request handed to the network
        ResponseReceived, // hub committed and answered, nothing marked locally
        AckPartial,       // inside the ack transaction, half the rows updated, not committed
        AckCommitted,     // acks and quarantines committed
    };
    Q_ENUM(Step)

    struct Options
    {
        int batchSize = 500;          // rows per request, 1..500
        int backoffBaseMs = 30000;    // first retry window (ms)
        int backoffCapMs = 3600000;   // largest retry window (ms)
        int idlePollMs = 5000;        // look for new rows this often when the queue is empty
        int maxInFlight = 2;          // batches on the wire at once (1 = strict stop-and-wait)
    };

    explicit OutboxSender(HubClient *client, QObject *parent = nullptr);
    ~OutboxSender() override;

    // Opens the sender's own connection to the kiosk database and creates the outbox table
    // if it is missing. Call once, before start().
    bool open(const QString &databasePath, QString *error);

    // Ledger shipping (PROTOCOL §4a): with a signer, every batch also carries the ledger entries
    // after the hub's last confirmed seq — or, while earlier batches of the same pipeline run are
    // on the wire, after the last entry those carry — up to the batch's last row (at most kMaxLedgerPerBatch)
    // and the head at the last of them, signed with the device key. A row without its own
    // ledger entry (or whose payload does not hash to it) is never sent as an evaluation: it is
    // quarantined (Outbox::Unledgered) and reported in the next batch's "unledgered" member, as
    // evidence, until the hub answered one. Without a signer, batches carry evaluations only. Set before start(); the builder is used on this sender's thread.
    static constexpr int kMaxLedgerPerBatch = 2000;
    void setLedgerSigner(std::shared_ptr<const trust::LedgerBuilder> signer) { m_ledgerSigner = std::move(signer); }
    // A TPM kiosk's attestation (PROTOCOL §4c): called for every batch, its object goes into the
    // body as "tpm"; an empty object leaves the member out.
    void setAttestationProvider(std::function<QJsonObject()> provider) { m_attestation = std::move(provider); }

    void setOptions(const Options &options);
    Options options() const { return m_options; }

    // The "sync off" switch: while off nothing is sent; queued rows stay queued.
    void setEnabled(bool enabled);
    bool isEnabled() const { return m_enabled; }

    void start();
    void stop();
    // Sends as soon as possible (e.g. right after the Store committed an evaluation, or
    // "force sync" in diagnostics); resets the backoff.
    void kick();

    // The maintenance audit chain (PROTOCOL §4b, Outbox's audit_log): sends the Queued records
    // (at most kMaxAuditPerFlush) with their chain entries after the hub's confirmed audit seq
    // and the signed head; the records become Acked only on the hub's 200 (a record the hub
    // stored but whose answer was lost is sent again, and stored once: idempotent on uuid).
    // Needs the ledger signer (the device key); not gated by setEnabled, like before. handler
    // gets true when nothing is left to send from this flush. One flush at a time.
    static constexpr int kMaxAuditPerFlush = 500;
    using AuditHandler = std::function<void(bool ok, const QString &error)>;
    void flushAudit(AuditHandler handler = {});

    Outbox::Counts counts();
    bool isBusy() const { return m_inFlight > 0; }
    QDateTime lastSuccess() const { return m_lastSuccess; }

    // Test seam: called synchronously at each Step. Production code leaves it unset.
    void setStepHook(std::function<void(Step)> hook) { m_stepHook = std::move(hook); }

signals:
    void batchAcked(int accepted, int duplicates);
    void recordQuarantined(qint64 seq, const QString &uuid, const QString &status, const QString &reason);
    void queueChanged(qint64 queued, qint64 oldestUnsentAgeS, qint64 quarantined);
    void sendFailed(const QString &error, int retryInMs);
    void drained();
    void enabledChanged(bool enabled);
    void lastSuccessChanged(const QDateTime &when);

private:
    struct Row
    {
        qint64 seq;
        QString uuid;
    };
    struct Unledgered
    {
        qint64 seq;
        QString uuid, reason;
    };
    static constexpr int kMaxUnledgeredPerBatch = 100;

    void trySend();
    void schedule(int ms);
    void fail(const QString &error);
    bool applyResults(const QList<Row> &rows, const QJsonArray &results, qint64 ledgerKnownSeq,
                      const QList<qint64> &reported, int *accepted, int *duplicates);
    // Rows without their own ledger entry: Unledgered (4) at once, in one transaction.
    bool markUnledgered(const QList<Unledgered> &rows);
    // Adds "unledgered": [...] (rows in state 4, oldest first) to the batch body; *reported
    // gets their seqs (they become Quarantined once the hub answered 200).
    bool appendUnledgeredReport(QByteArray *body, QList<qint64> *reported);
    void step(Step s)
    {
        if (m_stepHook)
            m_stepHook(s);
    }
    void publishCounts(bool force);

    HubClient *m_client;
    QSqlDatabase m_db;
    QString m_connectionName;
    Options m_options;
    QTimer m_timer;      // next send attempt (0 ms) or idle poll
    QTimer m_retryTimer; // backoff after a failure; nothing is sent while it runs
    std::function<void(Step)> m_stepHook;
    std::shared_ptr<const trust::LedgerBuilder> m_ledgerSigner;
    std::function<QJsonObject()> m_attestation;
    bool m_enabled = true;
    bool m_running = false;
    int m_inFlight = 0;
    bool m_pipelineBroken = false;
    qint64 m_highWaterSeq = 0; // highest seq on the wire in the current pipeline run
    // Highest ledger seq shipped in the current pipeline run (0 = ship from the hub's confirmed
    // head). A batch ships only entries after it, so pipelined batches carry each entry once;
    // reset when a run starts; a batch that did not link (it arrived before the batch it
    // continues) ends the run once the batches on the wire are answered.
    qint64 m_ledgerShippedThrough = 0;
    bool m_reportedDrained = false;
    bool m_auditFlushing = false;
    int m_failures = 0;
    QDateTime m_lastSuccess;
    QElapsedTimer m_countsTimer;
};

} // namespace hcp::sync

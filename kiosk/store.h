// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "case.h"
#include "evaluation.h"

#include <QDateTime>
#include <QList>
#include <QSqlDatabase>
#include <QString>

#include <functional>
#include <memory>
#include <optional>

namespace hcp::trust {
class LedgerBuilder;
}

namespace hcp::kiosk {

// The kiosk's durable store: one SQLite file in WAL mode with synchronous=FULL, so a commit
// that returned is on disk. Owns the schema and its migrations (PRAGMA user_version).
// Threading: one Store per thread; the sync sender opens its own connection to the same file.
class Store {
public:
    static constexpr int kLatestVersion = 6;

    Store();
    ~Store();
    Store(const Store &) = delete;
    Store &operator=(const Store &) = delete;

    // Opens (creating if needed) and migrates to kLatestVersion. `targetVersion` < latest is for
    // migration tests only.
    bool open(const QString &path, QString *error = nullptr, int targetVersion = kLatestVersion);
    void close();
    bool isOpen() const;
    int schemaVersion() const;
    QString path() const { return m_path; }
    QSqlDatabase database() const;

    struct CommitResult {
        enum class Status { Committed, AlreadyRated, StorageFull, StorageError };
        Status status = Status::StorageError;
        QString error;
        QDateTime existingTime; // AlreadyRated: when the earlier rating was made
        bool ok() const { return status == Status::Committed; }
    };
    // The tamper-evident ledger (PROTOCOL §4a): with a signer, every commit appends the
    // evaluation's signed entry in the evaluation's own transaction — the only place an entry is
    // ever written. No row is signed after the fact: a row without its entry (from before the
    // ledger, or written into the file by someone else) stays without one and the sender
    // quarantines and reports it as `unledgered`.
    void setLedgerSigner(std::shared_ptr<const trust::LedgerBuilder> signer) { m_ledgerSigner = std::move(signer); }

    // Runs inside the commit transaction after the evaluation, outbox row and ledger entry are
    // written (the TPM counter step; a test seam); returning false rolls everything back.
    using CommitHook = std::function<bool(QSqlDatabase &db, const Evaluation &e, QString *error)>;
    void setCommitHook(CommitHook hook) { m_commitHook = std::move(hook); }

    // Assigns uuid, deviceSeq and assessTime (if unset), then writes the evaluation, its outbox
    // row and (with a signer) its ledger entry in ONE transaction. deviceSeq is one above the
    // highest seq in the evaluation, outbox and ledger tables, so a seq is never used twice
    // even when rows were deleted from one of them (the hole stays visible to the hub). One
    // evaluation per (projectNo, serviceNumber, assessNumber): a second is refused with
    // AlreadyRated and the earlier time.
    CommitResult commitEvaluation(Evaluation &e);

    std::optional<QDateTime> ratedAt(const QString &projectNo, int serviceNumber, int assessNumber = 1) const;
    std::optional<Evaluation> evaluation(const QString &uuid) const;
    QList<Evaluation> evaluations() const; // by deviceSeq
    qint64 evaluationCount() const;
    // One JSON object per line, by deviceSeq. Returns the count, or -1 on error.
    qint64 exportJsonl(const QString &file, QString *error = nullptr) const;

    // The local case cache (sync::CaseCache's table in this file, fed by the hub's case feed and
    // by online lookups), in (projectNo, serviceNumber) order.
    bool upsertCases(const QList<Case> &cases, QString *error = nullptr);
    QList<Case> casesByProjectNo(const QString &projectNo) const;
    QList<Case> casesByCertKeyHash(const QString &hash) const;
    qint64 caseCount() const;

    // Key/value configuration documents (JSON), with the version they came with.
    bool setConfig(const QString &key, const QByteArray &value, const QString &version, QString *error = nullptr);
    QByteArray config(const QString &key) const;
    QString configVersion(const QString &key) const;

private:
    bool migrateTo(int target, QString *error);
    QList<Case> casesWhere(const QString &where, const QVariantList &binds) const;

    QString m_connection;
    QString m_path;
    CommitHook m_commitHook;
    std::shared_ptr<const trust::LedgerBuilder> m_ledgerSigner;
};

} // namespace hcp::kiosk

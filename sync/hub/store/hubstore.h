// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QVariant>
#include <QStringList>

#include <optional>

namespace hcp::sync::hub {

// The hub's storage over Qt SQL: SQLite (a file path) or PostgreSQL (postgres://user[:pw]@host:port/db),
// with the same schema. The hub keeps no state outside the database, so several hubs may share
// one PostgreSQL. Not thread-safe: one HubStore per thread.
class HubStore
{
public:
    struct Device
    {
        QString deviceId;
        QByteArray secret;
        QString hallCode;
        QString deviceClass;
    };

    enum class EnrollResult { Enrolled, Exists, Failed };

    HubStore();
    ~HubStore();

    // Opens the database and migrates it to the latest schema (store/hubschema.h).
    bool open(const QString &spec, QString *error);
    // Another connection to primary's database, for a worker thread: call it on that thread.
    // No schema work (the primary did it); certKey and settings are the primary's.
    bool openLike(const HubStore &primary, QString *error);
    // The tables HubStore itself owns (schema step 1 runs it; see hubschema.h).
    static bool createTables(QSqlDatabase &db, bool postgres, QString *error);
    // Runs schema statements in order (the same DDL for SQLite and PostgreSQL); stops at the first
    // failure with the statement in *error. Every hub table owner's ensureSchema() uses it.
    static bool execStatements(QSqlDatabase &db, const QStringList &statements, QString *error);
    // Runs q; a failure is logged in category with its statement, and its text put in *error.
    static bool execLogged(QSqlQuery &q, const QLoggingCategory &(*category)(), QString *error);
    bool isPostgres() const { return m_postgres; }
    QSqlDatabase &database() { return m_db; }

    QByteArray certKey() const { return m_certKey; }
    int heartbeatIntervalS() const { return m_heartbeatIntervalS; }
    void setHeartbeatIntervalS(int s) { m_heartbeatIntervalS = s; }
    // The evaluation window in working days after resultDate (hcp-hub --default-rating-days):
    // ingest keeps a first rating outside it as evidence (PROTOCOL §4d); 0 = no window end.
    int ratingWindowDays() const { return m_ratingWindowDays; }
    void setRatingWindowDays(int days) { m_ratingWindowDays = qMax(0, days); }

    EnrollResult enroll(const QString &deviceId, const QString &hallCode, const QString &deviceClass,
                        const QString &version, QByteArray *secretOut);
    std::optional<Device> device(const QString &deviceId);

    // One batch in one transaction. Returns false on a database error (nothing committed);
    // otherwise fills one result object per input value (PROTOCOL §4). raw, when it has one entry
    // per evaluation, holds each record's bytes as sent: they are stored and fingerprinted as
    // they are (no re-serialization); otherwise the compact JSON is.
    bool ingest(const Device &device, const QJsonArray &evaluations, const QList<QByteArray> &raw,
                qint64 receivedAtMs, qint64 deviceTimeMs, QJsonArray *results);
    // The same inside the caller's open transaction (HubServer joins the batch's ledger check
    // and its ingest into one commit): never begins, commits or rolls back; on false the caller
    // rolls back.
    bool ingestInTransaction(const Device &device, const QJsonArray &evaluations, const QList<QByteArray> &raw,
                             qint64 receivedAtMs, qint64 deviceTimeMs, QJsonArray *results);

    // Imports (upserts) cases; plain "certNo" is replaced by certKeyHash. Rejected rows are
    // reported as {"index","reason"}. Returns false on a database error (nothing committed).
    bool importCases(const QJsonArray &cases, int *imported, QJsonArray *rejected, QString *error);

    // hallCode: only that hall's cases (a device's lookups); empty: every hall.
    bool lookupByProjectNo(const QString &projectNo, const QString &name, QJsonArray *out, const QString &hallCode = {});
    bool lookupByProjectNoOnly(const QString &projectNo, QJsonArray *out, const QString &hallCode = {});
    bool lookupByCertKeyHash(const QString &hash, QJsonArray *out, const QString &hallCode = {});
    bool feed(const QString &hallCode, qint64 cursor, int limit, QJsonArray *out, qint64 *nextCursor,
              bool *hasMore);

    // Stores the heartbeat and returns the unacknowledged commands.
    bool heartbeat(const Device &device, const QJsonObject &beat, qint64 receivedAtMs, qint64 driftMs,
                   QJsonArray *commands);
    qint64 addCommand(const QString &deviceId, const QString &type, const QJsonObject &args);

    QJsonArray devices(qint64 nowMs);
    QJsonObject stats();
    QJsonArray evaluations(const QString &deviceId, qint64 afterId, int limit, qint64 *nextAfterId);
    // The refused and malformed records (evaluation_problems), oldest first; of the given kinds
    // only when kinds is not empty, the newest `limit` only when limit > 0.
    QJsonArray problems(const QStringList &kinds = {}, int limit = 0);

    QString lastError() const { return m_lastError; }

private:
    bool exec(class QSqlQuery &q);
    bool loadCertKey(QString *error);
    bool openConnection(QString *error); // opens m_db as configured, with the SQLite pragmas
    bool lookupCases(const QString &where, const QVariantList &values, const QString &hallCode, const QString &order,
                     QJsonArray *out);

    QSqlDatabase m_db;
    QString m_connectionName;
    bool m_postgres = false;
    QByteArray m_certKey;
    int m_heartbeatIntervalS = 900;
    int m_ratingWindowDays = 0;
    QString m_lastError;
};

} // namespace hcp::sync::hub

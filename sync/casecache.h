// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QJsonArray>
#include <QObject>
#include <QSqlDatabase>
#include <QStringList>
#include <QVariantList>

namespace hcp::sync {

class HubClient;

// The kiosk's one case cache (PROTOCOL §5/§6): its hall's cases, filled by the hall case feed
// and by online lookups, read when the hub is slow or unreachable. One table (case_cache) in the
// kiosk database, one owner: the DDL and every statement on it are here. The kiosk Store's case
// methods call the static functions on the Store's connection (lookups, the local case
// directory); an instance opens its own connection to the same file for the feed (SyncAgent).
// Rows are the case wire objects (PROTOCOL §5) as stored, keyed by (projectNo, serviceNumber).
// Holds no plain ID numbers: only certKeyHash. An instance is used on the thread that called open().
class CaseCache : public QObject
{
    Q_OBJECT
public:
    explicit CaseCache(QObject *parent = nullptr);
    ~CaseCache() override;

    // The current DDL (CREATE … IF NOT EXISTS, idempotent). The kiosk Store's migrations keep
    // their own frozen copy of what each released version created.
    static QStringList schemaStatements();

    // Inserts or replaces cases (wire objects; "changeSeq" is dropped). When cursor >= 0 it is
    // stored too (feed pages). Runs in its own transaction when the connection has none open.
    static bool upsert(QSqlDatabase &db, const QJsonArray &cases, qint64 cursor, QString *error);
    enum class Order { ByCase, NewestResultFirst };
    // Rows matching where (SQL over the table's columns, with ? binds), as stored.
    static QJsonArray select(QSqlDatabase &db, const QString &where, const QVariantList &binds, Order order);
    static qint64 count(QSqlDatabase &db);

    // Opens the cache; a cache written with another ID-number hash scheme is emptied (and its
    // feed cursor reset) so the next feed pull refetches every case with the current hashes.
    bool open(const QString &databasePath, QString *error);

    // The functions above on this instance's connection.
    bool upsert(const QJsonArray &cases, qint64 cursor = -1);
    QJsonArray findByProjectNo(const QString &projectNo, const QString &userName);
    QJsonArray findByProjectNoOnly(const QString &projectNo);
    QJsonArray findByCertKeyHash(const QByteArray &certKeyHash);
    qint64 cursor();
    qint64 count();

    // Pulls the hall case feed page by page until hasMore is false. Emits feedPulled with the
    // number of cases stored, or feedFailed (the cursor stays where the last stored page left it).
    void pullFeed(HubClient *client, int pageSize = 500);

signals:
    void feedPulled(int cases);
    void feedFailed(const QString &error);

private:
    void pullPage(HubClient *client, int pageSize, int pulledSoFar);
    bool dropForeignHashes(QString *error);

    QSqlDatabase m_db;
    QString m_connectionName;
};

} // namespace hcp::sync

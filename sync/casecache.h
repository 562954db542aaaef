// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QJsonArray>
#include <QObject>
#include <QSqlDatabase>

namespace hcp::sync {

class HubClient;

// The kiosk's local copy of its hall's cases (PROTOCOL §5/§6), filled by the hall case feed and
// by online lookups, read when the hub is slow or unreachable. Holds no plain ID numbers:
// only certKeyHash. Own SQLite connection (may be the kiosk database file or a separate one),
// used on the thread that called open().
class CaseCache : public QObject
{
    Q_OBJECT
public:
    explicit CaseCache(QObject *parent = nullptr);
    ~CaseCache() override;

    // Opens the cache; a cache written with another ID-number hash scheme is emptied (and its
    // feed cursor reset) so the next feed pull refetches every case with the current hashes.
    bool open(const QString &databasePath, QString *error);

    // Inserts or replaces cases keyed by (projectNo, serviceNumber). When cursor >= 0 it is
    // stored in the same transaction (feed pages).
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
    QJsonArray select(const QString &where, const QVariantList &values);

    QSqlDatabase m_db;
    QString m_connectionName;
};

} // namespace hcp::sync

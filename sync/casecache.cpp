// SPDX-License-Identifier: Apache-2.0
#include "casecache.h"

#include "hubclient.h"
#include "wire.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QPointer>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>

Q_LOGGING_CATEGORY(lcCaseCache, "hcp.sync.casecache")

namespace hcp::sync {

namespace {

// The cache holds hashes of one scheme only (wire::kCertKeyHashScheme), numbered here.
constexpr int kHashSchemeVersion = 2; // 1 = HMAC-SHA256 (unmarked), 2 = HMAC-SM3

bool failed(const QSqlQuery &q, QString *error)
{
    if (error)
        *error = q.lastError().text();
    return false;
}

} // namespace

CaseCache::CaseCache(QObject *parent)
    : QObject(parent)
{
}

CaseCache::~CaseCache()
{
    if (m_db.isValid()) {
        m_db.close();
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_connectionName);
    }
}

QStringList CaseCache::schemaStatements()
{
    return {
        // payload: the case wire object; updated_at: kiosk local time of the last write.
        QStringLiteral("CREATE TABLE IF NOT EXISTS case_cache ( project_no TEXT NOT NULL, service_number INTEGER NOT NULL,"
                       " user_name TEXT, payload TEXT NOT NULL, updated_at TEXT NOT NULL, cert_key_hash TEXT,"
                       " result_date TEXT, PRIMARY KEY (project_no, service_number))"),
        QStringLiteral("CREATE INDEX IF NOT EXISTS case_cache_cert ON case_cache (cert_key_hash)"),
        // feed_cursor: the hall feed's resume point; hash_scheme: see kHashSchemeVersion.
        QStringLiteral("CREATE TABLE IF NOT EXISTS case_cache_state (key TEXT PRIMARY KEY, value INTEGER)"),
    };
}

bool CaseCache::upsert(QSqlDatabase &db, const QJsonArray &cases, qint64 cursor, QString *error)
{
    if (!db.transaction()) {
        if (error)
            *error = db.lastError().text();
        return false;
    }
    QSqlQuery q(db);
    q.prepare(QStringLiteral("INSERT OR REPLACE INTO case_cache (project_no, service_number, user_name, payload,"
                             " updated_at, cert_key_hash, result_date) VALUES (?, ?, ?, ?, ?, ?, ?)"));
    const QString now = QDateTime::currentDateTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    auto rollback = [&](const QSqlQuery &failing) {
        failed(failing, error);
        qCWarning(lcCaseCache) << "cache write failed:" << failing.lastError().text();
        db.rollback();
        return false;
    };
    for (const QJsonValue &v : cases) {
        QJsonObject c = v.toObject();
        c.remove(QStringLiteral("changeSeq"));
        const QString hash = c.value(QLatin1String("certKeyHash")).toString();
        q.bindValue(0, c.value(QLatin1String("projectNo")).toString());
        q.bindValue(1, c.value(QLatin1String("serviceNumber")).toInt());
        q.bindValue(2, c.value(QLatin1String("userName")).toString());
        q.bindValue(3, QString::fromUtf8(QJsonDocument(c).toJson(QJsonDocument::Compact)));
        q.bindValue(4, now);
        q.bindValue(5, hash.isEmpty() ? QVariant() : QVariant(hash.toLower())); // hex, found in any case
        q.bindValue(6, c.value(QLatin1String("resultDate")).toString());
        if (!q.exec())
            return rollback(q);
    }
    if (cursor >= 0) {
        QSqlQuery c(db);
        c.prepare(QStringLiteral("INSERT OR REPLACE INTO case_cache_state (key, value) VALUES ('feed_cursor', ?)"));
        c.addBindValue(cursor);
        if (!c.exec())
            return rollback(c);
    }
    if (!db.commit()) {
        if (error)
            *error = db.lastError().text();
        db.rollback();
        return false;
    }
    return true;
}

QJsonArray CaseCache::select(QSqlDatabase &db, const QString &where, const QVariantList &binds, Order order)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT payload FROM case_cache WHERE %1 ORDER BY %2")
                  .arg(where, order == Order::ByCase ? QStringLiteral("project_no, service_number")
                                                     : QStringLiteral("result_date DESC")));
    for (const QVariant &v : binds)
        q.addBindValue(v);
    QJsonArray out;
    if (!q.exec())
        return out;
    while (q.next())
        out.append(QJsonDocument::fromJson(q.value(0).toString().toUtf8()).object());
    return out;
}

qint64 CaseCache::count(QSqlDatabase &db)
{
    QSqlQuery q(db);
    return q.exec(QStringLiteral("SELECT COUNT(*) FROM case_cache")) && q.next() ? q.value(0).toLongLong() : -1;
}

bool CaseCache::open(const QString &databasePath, QString *error)
{
    m_connectionName = QStringLiteral("hcp-sync-cases-") + QUuid::createUuid().toString(QUuid::Id128);
    m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
    m_db.setDatabaseName(databasePath);
    m_db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
    if (!m_db.open()) {
        if (error)
            *error = m_db.lastError().text();
        return false;
    }
    QSqlQuery q(m_db);
    for (const QString &s : QStringList{QStringLiteral("PRAGMA journal_mode=WAL"), QStringLiteral("PRAGMA secure_delete=ON")}
             + schemaStatements())
        if (!q.exec(s))
            return failed(q, error);
    return dropForeignHashes(error);
}

// Hashes of an older scheme cannot be converted, so a cache of another scheme is emptied and its
// feed cursor reset: the next feed pull refetches every case.
bool CaseCache::dropForeignHashes(QString *error)
{
    QSqlQuery q(m_db);
    if (q.exec(QStringLiteral("SELECT value FROM case_cache_state WHERE key = 'hash_scheme'")) && q.next()
        && q.value(0).toInt() == kHashSchemeVersion)
        return true;
    q.finish();
    if (!m_db.transaction()) {
        if (error)
            *error = m_db.lastError().text();
        return false;
    }
    const bool ok = q.exec(QStringLiteral("DELETE FROM case_cache"))
        && q.exec(QStringLiteral("DELETE FROM case_cache_state WHERE key = 'feed_cursor'"))
        && q.exec(QStringLiteral("INSERT OR REPLACE INTO case_cache_state (key, value) VALUES ('hash_scheme', %1)")
                      .arg(kHashSchemeVersion));
    if (!ok || !m_db.commit()) {
        failed(q, error);
        m_db.rollback();
        return false;
    }
    qCInfo(lcCaseCache) << "case cache reset for ID-number hash scheme" << wire::kCertKeyHashScheme;
    return true;
}

bool CaseCache::upsert(const QJsonArray &cases, qint64 cursor)
{
    return upsert(m_db, cases, cursor, nullptr);
}

QJsonArray CaseCache::findByProjectNo(const QString &projectNo, const QString &userName)
{
    return select(m_db, QStringLiteral("project_no = ? AND user_name = ?"), {projectNo.trimmed(), userName.trimmed()},
                  Order::NewestResultFirst);
}

QJsonArray CaseCache::findByProjectNoOnly(const QString &projectNo)
{
    return select(m_db, QStringLiteral("project_no = ?"), {projectNo.trimmed()}, Order::NewestResultFirst);
}

QJsonArray CaseCache::findByCertKeyHash(const QByteArray &certKeyHash)
{
    return select(m_db, QStringLiteral("cert_key_hash = ?"), {QString::fromLatin1(certKeyHash.toLower())},
                  Order::NewestResultFirst);
}

qint64 CaseCache::cursor()
{
    QSqlQuery q(m_db);
    if (q.exec(QStringLiteral("SELECT value FROM case_cache_state WHERE key = 'feed_cursor'")) && q.next())
        return q.value(0).toLongLong();
    return 0;
}

qint64 CaseCache::count()
{
    return qMax<qint64>(0, count(m_db));
}

void CaseCache::pullFeed(HubClient *client, int pageSize)
{
    pullPage(client, pageSize, 0);
}

void CaseCache::pullPage(HubClient *client, int pageSize, int pulledSoFar)
{
    QPointer<CaseCache> self(this);
    client->pullCaseFeed(cursor(), pageSize, [this, self, client, pageSize, pulledSoFar](const HubReply &r) {
        if (!self)
            return;
        if (!r.isHttp(200)) {
            emit feedFailed(r.status == 0 ? r.errorString : QStringLiteral("HTTP %1").arg(r.status));
            return;
        }
        const QJsonObject page = r.json();
        const QJsonArray cases = page.value(QLatin1String("cases")).toArray();
        const qint64 next = page.value(QLatin1String("nextCursor")).toInteger(-1);
        if (next < 0 || !upsert(cases, next)) {
            emit feedFailed(QStringLiteral("unusable feed page"));
            return;
        }
        const int total = pulledSoFar + cases.size();
        if (page.value(QLatin1String("hasMore")).toBool() && !cases.isEmpty())
            pullPage(client, pageSize, total);
        else
            emit feedPulled(total);
    });
}

} // namespace hcp::sync

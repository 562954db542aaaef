// SPDX-License-Identifier: Apache-2.0
#include "store.h"

#include "casecache.h"
#include "ledgertable.h"
#include "outbox.h"

#include <QAtomicInt>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>

Q_LOGGING_CATEGORY(lcStore, "hcp.kiosk.store")

namespace hcp::kiosk {

namespace {

QAtomicInt s_connectionCounter;

// Each migration step takes the schema from version (index) to version (index + 1).
// Never edit a released step: add a new one.
QStringList migrationStep(int from)
{
    switch (from) {
    case 0:
        return {
            QStringLiteral("CREATE TABLE evaluation ("
                           " uuid TEXT PRIMARY KEY,"
                           " device_seq INTEGER NOT NULL UNIQUE,"
                           " project_no TEXT NOT NULL,"
                           " service_number INTEGER NOT NULL,"
                           " assess_number INTEGER NOT NULL,"
                           " satisfaction INTEGER NOT NULL CHECK (satisfaction BETWEEN 1 AND 5),"
                           " assess_time TEXT NOT NULL,"
                           " payload TEXT NOT NULL,"
                           " UNIQUE (project_no, service_number, assess_number))"),
            QStringLiteral("CREATE TABLE case_cache ("
                           " project_no TEXT NOT NULL,"
                           " service_number INTEGER NOT NULL,"
                           " user_name TEXT,"
                           " payload TEXT NOT NULL,"
                           " updated_at TEXT NOT NULL,"
                           " PRIMARY KEY (project_no, service_number))"),
            QStringLiteral("CREATE TABLE config ("
                           " key TEXT PRIMARY KEY,"
                           " value BLOB NOT NULL,"
                           " version TEXT,"
                           " updated_at TEXT NOT NULL)"),
            // The outbox (owned by sync::Outbox, which holds the current DDL) as v1 created it.
            // Frozen here like every released step: a later change of the outbox's DDL comes with
            // a new step (tst_store checks that a migrated file has the owner's current schema).
            QStringLiteral("CREATE TABLE IF NOT EXISTS outbox (seq INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE,"
                           " payload TEXT NOT NULL, state INTEGER NOT NULL DEFAULT 0, attempts INTEGER NOT NULL DEFAULT 0,"
                           " last_error TEXT, created_at INTEGER NOT NULL, acked_at INTEGER)"),
            QStringLiteral("CREATE INDEX IF NOT EXISTS outbox_unsent ON outbox(seq) WHERE state < 2"),
            QStringLiteral("CREATE INDEX IF NOT EXISTS outbox_state ON outbox(state)"),
        };
    case 1:
        // v2: channel and agent as columns (window pads and assisted ratings are queried by them).
        return {
            QStringLiteral("ALTER TABLE evaluation ADD COLUMN pf INTEGER NOT NULL DEFAULT 5"),
            QStringLiteral("ALTER TABLE evaluation ADD COLUMN assisted_by TEXT"),
            QStringLiteral("UPDATE evaluation SET pf = COALESCE(json_extract(payload, '$.pf'), 5),"
                           " assisted_by = json_extract(payload, '$.assistedBy')"),
        };
    case 2:
        // v3: look cases up by the keyed hash of the applicant's ID number (card identification).
        return {
            QStringLiteral("ALTER TABLE case_cache ADD COLUMN cert_key_hash TEXT"),
            QStringLiteral("UPDATE case_cache SET cert_key_hash = json_extract(payload, '$.certKeyHash')"),
            QStringLiteral("CREATE INDEX case_cache_cert ON case_cache (cert_key_hash)"),
        };
    case 3:
        // v4: the tamper-evident ledger (one signed chain entry per evaluation, written in the
        // commit) and the hub's confirmed ledger seq (sync::LedgerTable), and the maintenance
        // audit log with its own signed chain (sync::Outbox, audit part), as v4 created them;
        // frozen like step 0's outbox.
        return {
            QStringLiteral("CREATE TABLE IF NOT EXISTS ledger (seq INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE,"
                           " entry_hash TEXT NOT NULL, entry TEXT NOT NULL)"),
            QStringLiteral("CREATE TABLE IF NOT EXISTS ledger_sync (id INTEGER PRIMARY KEY CHECK (id = 1),"
                           " hub_known_seq INTEGER NOT NULL)"),
            QStringLiteral("INSERT OR IGNORE INTO ledger_sync (id, hub_known_seq) VALUES (1, 0)"),
            QStringLiteral("CREATE TABLE IF NOT EXISTS audit_log (seq INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE,"
                           " action TEXT NOT NULL, record TEXT NOT NULL, entry_hash TEXT NOT NULL, entry TEXT NOT NULL,"
                           " state INTEGER NOT NULL DEFAULT 0)"),
            QStringLiteral("CREATE TABLE IF NOT EXISTS audit_sync (id INTEGER PRIMARY KEY CHECK (id = 1),"
                           " hub_known_seq INTEGER NOT NULL)"),
            QStringLiteral("INSERT OR IGNORE INTO audit_sync (id, hub_known_seq) VALUES (1, 0)"),
        };
    case 4:
        // v5: the ID-number hash becomes HMAC-SM3 (was HMAC-SHA256). The old hashes cannot be
        // converted (the kiosk never had the plain numbers), so they are dropped: card lookups
        // refetch the cases from the hub, QR and typed lookups keep working from the cache.
        // personal_erased_at: when the personal fields were erased after the hub's ack
        // (PersonalDataEraser); the ledger's payload hash covers the record as committed.
        return {
            QStringLiteral("UPDATE case_cache SET cert_key_hash = NULL, payload = json_remove(payload, '$.certKeyHash')"
                           " WHERE cert_key_hash IS NOT NULL OR json_extract(payload, '$.certKeyHash') IS NOT NULL"),
            QStringLiteral("ALTER TABLE evaluation ADD COLUMN personal_erased_at INTEGER"),
            QStringLiteral("CREATE INDEX evaluation_unerased ON evaluation (uuid) WHERE personal_erased_at IS NULL"),
        };
    case 5:
        // v6: one case cache. The hall feed's cases (sync::CaseCache, which holds the current DDL,
        // until now in its own file feed-cache.sqlite) and the lookups' cases share this table:
        // it gains the feed's result date and its state (feed cursor, ID-number hash scheme). The
        // hashes here are HMAC-SM3 since v5 (scheme 2); the feed starts again from cursor 0.
        return {
            QStringLiteral("ALTER TABLE case_cache ADD COLUMN result_date TEXT"),
            QStringLiteral("UPDATE case_cache SET result_date = json_extract(payload, '$.resultDate')"),
            QStringLiteral("CREATE TABLE case_cache_state (key TEXT PRIMARY KEY, value INTEGER)"),
            QStringLiteral("INSERT INTO case_cache_state (key, value) VALUES ('hash_scheme', 2)"),
        };
    default:
        return {};
    }
}

bool isDiskFull(const QSqlError &e)
{
    // SQLITE_FULL = 13
    return e.nativeErrorCode() == QLatin1String("13") || e.text().contains(QLatin1String("full"), Qt::CaseInsensitive);
}

} // namespace

Store::Store()
    : m_connection(QStringLiteral("hcp-store-%1").arg(s_connectionCounter.fetchAndAddRelaxed(1)))
{
}

Store::~Store() { close(); }

QSqlDatabase Store::database() const { return QSqlDatabase::database(m_connection, false); }

bool Store::isOpen() const { return database().isOpen(); }

bool Store::open(const QString &path, QString *error, int targetVersion)
{
    close();
    m_path = path;
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
    db.setDatabaseName(path);
    db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
    if (!db.open()) {
        if (error)
            *error = db.lastError().text();
        return false;
    }
    QSqlQuery q(db);
    // secure_delete: deleted and shrunk content is overwritten with zeros in the file, so personal
    // fields erased after the hub's ack are really gone (not left in free space of a page).
    for (const char *pragma : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL",
                               "PRAGMA foreign_keys=ON", "PRAGMA secure_delete=ON"}) {
        if (!q.exec(QLatin1String(pragma))) {
            if (error)
                *error = q.lastError().text();
            return false;
        }
    }
    return migrateTo(targetVersion, error);
}

void Store::close()
{
    if (QSqlDatabase::contains(m_connection)) {
        {
            QSqlDatabase db = QSqlDatabase::database(m_connection, false);
            db.close();
        }
        QSqlDatabase::removeDatabase(m_connection);
    }
}

int Store::schemaVersion() const
{
    QSqlQuery q(database());
    return q.exec(QStringLiteral("PRAGMA user_version")) && q.next() ? q.value(0).toInt() : -1;
}

bool Store::migrateTo(int target, QString *error)
{
    QSqlDatabase db = database();
    int version = schemaVersion();
    if (version > kLatestVersion) {
        if (error)
            *error = QStringLiteral("database schema %1 is newer than this build (%2)").arg(version).arg(kLatestVersion);
        return false;
    }
    while (version < target) {
        // Each step is one transaction: a power cut leaves the old or the new version.
        if (!db.transaction()) {
            if (error)
                *error = db.lastError().text();
            return false;
        }
        QSqlQuery q(db);
        for (const QString &stmt : migrationStep(version)) {
            if (!q.exec(stmt)) {
                if (error)
                    *error = QStringLiteral("migration %1→%2 failed: %3 (%4)")
                                 .arg(version).arg(version + 1).arg(q.lastError().text(), stmt);
                db.rollback();
                return false;
            }
        }
        if (!q.exec(QStringLiteral("PRAGMA user_version = %1").arg(version + 1)) || !db.commit()) {
            if (error)
                *error = db.lastError().text();
            db.rollback();
            return false;
        }
        qCInfo(lcStore) << "schema migrated" << version << "→" << version + 1;
        ++version;
    }
    return true;
}

Store::CommitResult Store::commitEvaluation(Evaluation &e)
{
    CommitResult r;
    QSqlDatabase db = database();
    QSqlQuery q(db);
    // BEGIN IMMEDIATE takes the write lock up front, so deviceSeq is read and used atomically.
    if (!q.exec(QStringLiteral("BEGIN IMMEDIATE"))) {
        r.error = q.lastError().text();
        r.status = isDiskFull(q.lastError()) ? CommitResult::Status::StorageFull : CommitResult::Status::StorageError;
        return r;
    }
    auto fail = [&](const QSqlError &err, const QString &text = {}) {
        r.error = text.isEmpty() ? err.text() : text;
        // Errors from the outbox or ledger arrive as text; SQLite's wording is "database or disk is full".
        const bool full = isDiskFull(err) || r.error.contains(QLatin1String("disk is full"));
        r.status = full ? CommitResult::Status::StorageFull : CommitResult::Status::StorageError;
        QSqlQuery(db).exec(QStringLiteral("ROLLBACK"));
        qCWarning(lcStore) << "evaluation commit failed:" << r.error;
        return r;
    };

    q.prepare(QStringLiteral("SELECT assess_time FROM evaluation WHERE project_no = ? AND service_number = ? AND assess_number = ?"));
    q.addBindValue(e.projectNo);
    q.addBindValue(e.serviceNumber);
    q.addBindValue(e.assessNumber);
    if (!q.exec())
        return fail(q.lastError());
    if (q.next()) {
        r.status = CommitResult::Status::AlreadyRated;
        r.existingTime = QDateTime::fromString(q.value(0).toString(), QLatin1String(kDateTimeFormat));
        QSqlQuery(db).exec(QStringLiteral("ROLLBACK"));
        return r;
    }
    if (!q.exec(QStringLiteral("SELECT MAX((SELECT COALESCE(MAX(device_seq), 0) FROM evaluation),"
                               " (SELECT COALESCE(MAX(seq), 0) FROM outbox),"
                               " (SELECT COALESCE(MAX(seq), 0) FROM ledger)) + 1"))
        || !q.next())
        return fail(q.lastError());
    e.deviceSeq = q.value(0).toLongLong();
    if (e.uuid.isEmpty())
        e.uuid = QUuid::createUuid().toString(QUuid::WithoutBraces);
    if (!e.assessTime.isValid())
        e.assessTime = QDateTime::currentDateTime();
    const QByteArray payload = QJsonDocument(e.toJson()).toJson(QJsonDocument::Compact);

    q.prepare(QStringLiteral("INSERT INTO evaluation (uuid, device_seq, project_no, service_number, assess_number,"
                             " satisfaction, assess_time, payload, pf, assisted_by) VALUES (?,?,?,?,?,?,?,?,?,?)"));
    q.addBindValue(e.uuid);
    q.addBindValue(e.deviceSeq);
    q.addBindValue(e.projectNo);
    q.addBindValue(e.serviceNumber);
    q.addBindValue(e.assessNumber);
    q.addBindValue(e.satisfaction);
    q.addBindValue(e.assessTime.toString(QLatin1String(kDateTimeFormat)));
    q.addBindValue(QString::fromUtf8(payload));
    q.addBindValue(e.pf);
    q.addBindValue(e.assistedBy.isEmpty() ? QVariant() : QVariant(e.assistedBy));
    if (!q.exec())
        return fail(q.lastError());

    QString err;
    if (!hcp::sync::Outbox::enqueue(db, e.deviceSeq, e.uuid, payload, &err))
        return fail(db.lastError(), err);
    if (m_ledgerSigner && !hcp::sync::LedgerTable::append(db, *m_ledgerSigner, e.deviceSeq, e.toJson(), &err))
        return fail(db.lastError(), err);
    if (m_commitHook && !m_commitHook(db, e, &err))
        return fail(db.lastError(), err);

    if (!q.exec(QStringLiteral("COMMIT")))
        return fail(q.lastError());
    r.status = CommitResult::Status::Committed;
    return r;
}

std::optional<QDateTime> Store::ratedAt(const QString &projectNo, int serviceNumber, int assessNumber) const
{
    QSqlQuery q(database());
    q.prepare(QStringLiteral("SELECT assess_time FROM evaluation WHERE project_no = ? AND service_number = ? AND assess_number = ?"));
    q.addBindValue(projectNo);
    q.addBindValue(serviceNumber);
    q.addBindValue(assessNumber);
    if (q.exec() && q.next())
        return QDateTime::fromString(q.value(0).toString(), QLatin1String(kDateTimeFormat));
    return std::nullopt;
}

std::optional<Evaluation> Store::evaluation(const QString &uuid) const
{
    QSqlQuery q(database());
    q.prepare(QStringLiteral("SELECT payload FROM evaluation WHERE uuid = ?"));
    q.addBindValue(uuid);
    if (q.exec() && q.next())
        return Evaluation::fromJson(QJsonDocument::fromJson(q.value(0).toByteArray()).object());
    return std::nullopt;
}

QList<Evaluation> Store::evaluations() const
{
    QList<Evaluation> out;
    QSqlQuery q(database());
    q.setForwardOnly(true);
    if (q.exec(QStringLiteral("SELECT payload FROM evaluation ORDER BY device_seq")))
        while (q.next())
            out.append(Evaluation::fromJson(QJsonDocument::fromJson(q.value(0).toByteArray()).object()));
    return out;
}

qint64 Store::evaluationCount() const
{
    QSqlQuery q(database());
    return q.exec(QStringLiteral("SELECT COUNT(*) FROM evaluation")) && q.next() ? q.value(0).toLongLong() : -1;
}

qint64 Store::exportJsonl(const QString &file, QString *error) const
{
    QFile f(file);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        if (error)
            *error = f.errorString();
        return -1;
    }
    QSqlQuery q(database());
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT payload FROM evaluation ORDER BY device_seq"))) {
        if (error)
            *error = q.lastError().text();
        return -1;
    }
    qint64 n = 0;
    while (q.next()) {
        // Re-serialise so every line is compact JSON whatever the stored form.
        f.write(QJsonDocument::fromJson(q.value(0).toByteArray()).toJson(QJsonDocument::Compact));
        f.write("\n");
        ++n;
    }
    if (!f.flush()) {
        if (error)
            *error = f.errorString();
        return -1;
    }
    return n;
}

bool Store::upsertCases(const QList<Case> &cases, QString *error)
{
    QJsonArray rows;
    for (const Case &c : cases)
        if (c.isValid())
            rows.append(c.toJson());
    QSqlDatabase db = database();
    return hcp::sync::CaseCache::upsert(db, rows, -1, error);
}

QList<Case> Store::casesWhere(const QString &where, const QVariantList &binds) const
{
    QList<Case> out;
    QSqlDatabase db = database();
    for (const QJsonValue &v : hcp::sync::CaseCache::select(db, where, binds, hcp::sync::CaseCache::Order::ByCase))
        out.append(Case::fromJson(v.toObject()));
    return out;
}

QList<Case> Store::casesByProjectNo(const QString &projectNo) const
{
    return casesWhere(QStringLiteral("project_no = ?"), {projectNo});
}

QList<Case> Store::casesByCertKeyHash(const QString &hash) const
{
    return casesWhere(QStringLiteral("cert_key_hash = ?"), {hash.toLower()}); // the feed stores it in lower case
}

qint64 Store::caseCount() const
{
    QSqlDatabase db = database();
    return hcp::sync::CaseCache::count(db);
}

bool Store::setConfig(const QString &key, const QByteArray &value, const QString &version, QString *error)
{
    QSqlQuery q(database());
    q.prepare(QStringLiteral("INSERT INTO config (key, value, version, updated_at) VALUES (?,?,?,?)"
                             " ON CONFLICT (key) DO UPDATE SET value = excluded.value, version = excluded.version,"
                             " updated_at = excluded.updated_at"));
    q.addBindValue(key);
    q.addBindValue(value);
    q.addBindValue(version);
    q.addBindValue(QDateTime::currentDateTime().toString(QLatin1String(kDateTimeFormat)));
    if (!q.exec()) {
        if (error)
            *error = q.lastError().text();
        return false;
    }
    return true;
}

QByteArray Store::config(const QString &key) const
{
    QSqlQuery q(database());
    q.prepare(QStringLiteral("SELECT value FROM config WHERE key = ?"));
    q.addBindValue(key);
    return q.exec() && q.next() ? q.value(0).toByteArray() : QByteArray();
}

QString Store::configVersion(const QString &key) const
{
    QSqlQuery q(database());
    q.prepare(QStringLiteral("SELECT version FROM config WHERE key = ?"));
    q.addBindValue(key);
    return q.exec() && q.next() ? q.value(0).toString() : QString();
}

} // namespace hcp::kiosk

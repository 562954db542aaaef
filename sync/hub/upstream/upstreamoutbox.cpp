// SPDX-License-Identifier: Apache-2.0
#include "upstreamoutbox.h"

#include "hubstore.h"

#include <QJsonDocument>
#include <QLoggingCategory>
#include <QSqlError>
#include <QSqlQuery>

Q_LOGGING_CATEGORY(lcUpstreamOutbox, "hcp.sync.hub.upstream.outbox")

namespace hcp::sync::hub::upstream {

namespace {

// How far below the highest queued evaluation id enqueueNew() looks for rows without an outbox
// row: ids are assigned at insert but become visible at commit, so with several hubs (PostgreSQL)
// a lower id can appear after a higher one was queued. Far more than the rows of concurrent batches.
constexpr qint64 kEnqueueLookback = 20000;

} // namespace

QJsonObject UpstreamOutbox::jsonColumn(const QVariant &v)
{
    return QJsonDocument::fromJson(v.toString().toUtf8()).object();
}

const char *UpstreamOutbox::stateOf(Result::Kind k)
{
    switch (k) {
    case Result::Kind::Delivered:
    case Result::Kind::Duplicate:
        return "delivered";
    case Result::Kind::Dead:
        return "dead";
    case Result::Kind::Retry:
        break;
    }
    return "pending";
}

UpstreamOutbox::UpstreamOutbox(QSqlDatabase db)
    : m_db(std::move(db))
{
}

bool UpstreamOutbox::exec(QSqlQuery &q)
{
    return HubStore::execLogged(q, lcUpstreamOutbox, &m_lastError);
}

bool UpstreamOutbox::ensureSchema(QSqlDatabase &db, bool postgres, QString *error)
{
    Q_UNUSED(postgres) // same DDL for both
    const QStringList statements{
        QStringLiteral("CREATE TABLE IF NOT EXISTS upstream_outbox (evaluation_id BIGINT PRIMARY KEY, "
                       "state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, "
                       "next_attempt_at BIGINT NOT NULL DEFAULT 0, claimed_at BIGINT, province_code TEXT, "
                       "province_msg TEXT, duplicate INTEGER NOT NULL DEFAULT 0, created_at BIGINT NOT NULL, "
                       "updated_at BIGINT NOT NULL, delivered_at BIGINT)"),
        QStringLiteral("CREATE INDEX IF NOT EXISTS upstream_outbox_due ON upstream_outbox(state, next_attempt_at, evaluation_id)"),
        QStringLiteral("CREATE TABLE IF NOT EXISTS upstream_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"),
    };
    return HubStore::execStatements(db, statements, error);
}

int UpstreamOutbox::enqueueNew(qint64 nowMs)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("INSERT INTO upstream_outbox (evaluation_id, state, created_at, updated_at) "
                             "SELECT e.id, 'pending', ?, ? FROM evaluations e "
                             "WHERE e.id > (SELECT COALESCE(MAX(evaluation_id), 0) FROM upstream_outbox) - ? "
                             "AND NOT EXISTS (SELECT 1 FROM upstream_outbox o WHERE o.evaluation_id = e.id) "
                             "ORDER BY e.id ON CONFLICT DO NOTHING"));
    q.addBindValue(nowMs);
    q.addBindValue(nowMs);
    q.addBindValue(kEnqueueLookback);
    if (!exec(q))
        return -1;
    return q.numRowsAffected();
}

int UpstreamOutbox::recoverExpired(qint64 claimedBeforeMs, qint64 nowMs)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("UPDATE upstream_outbox SET state = 'pending', next_attempt_at = 0, updated_at = ?, "
                             "province_msg = 'in doubt: no answer within the lease' "
                             "WHERE state = 'sending' AND claimed_at < ?"));
    q.addBindValue(nowMs);
    q.addBindValue(claimedBeforeMs);
    if (!exec(q))
        return -1;
    const int n = q.numRowsAffected();
    if (n > 0)
        qCInfo(lcUpstreamOutbox) << n << "in-doubt rows back to pending";
    return n;
}

QList<UpstreamOutbox::Row> UpstreamOutbox::claim(int limit, qint64 nowMs)
{
    QList<Row> rows;
    if (!m_db.transaction()) {
        m_lastError = m_db.lastError().text();
        return rows;
    }
    QSqlQuery due(m_db);
    due.prepare(QStringLiteral("SELECT evaluation_id FROM upstream_outbox WHERE state = 'pending' "
                               "AND next_attempt_at <= ? ORDER BY evaluation_id LIMIT ?"));
    due.addBindValue(nowMs);
    due.addBindValue(limit);
    if (!exec(due)) {
        m_db.rollback();
        return rows;
    }
    QList<qint64> ids;
    while (due.next())
        ids.append(due.value(0).toLongLong());
    due.finish();
    QSqlQuery mark(m_db);
    mark.prepare(QStringLiteral("UPDATE upstream_outbox SET state = 'sending', attempts = attempts + 1, "
                                "claimed_at = ?, updated_at = ? WHERE evaluation_id = ? AND state = 'pending'"));
    QSqlQuery load(m_db);
    load.prepare(QStringLiteral("SELECT e.device_id, e.uuid, e.payload, o.attempts FROM evaluations e "
                                "JOIN upstream_outbox o ON o.evaluation_id = e.id WHERE e.id = ?"));
    QSqlQuery cases(m_db);
    cases.prepare(QStringLiteral("SELECT payload FROM cases WHERE project_no = ? AND service_number = ?"));
    for (qint64 id : std::as_const(ids)) {
        mark.bindValue(0, nowMs);
        mark.bindValue(1, nowMs);
        mark.bindValue(2, id);
        if (!exec(mark)) {
            m_db.rollback();
            return {};
        }
        if (mark.numRowsAffected() != 1)
            continue; // another hub claimed it first
        load.bindValue(0, id);
        if (!exec(load)) {
            m_db.rollback();
            return {};
        }
        if (!load.next())
            continue;
        Row row;
        row.evaluationId = id;
        row.deviceId = load.value(0).toString();
        row.uuid = load.value(1).toString();
        row.evaluation = jsonColumn(load.value(2));
        row.attempts = load.value(3).toInt();
        load.finish();
        cases.bindValue(0, row.evaluation.value(QLatin1String("projectNo")).toString());
        cases.bindValue(1, row.evaluation.value(QLatin1String("serviceNumber")).toInt());
        if (!exec(cases)) {
            m_db.rollback();
            return {};
        }
        if (cases.next())
            row.caseObject = jsonColumn(cases.value(0));
        cases.finish();
        rows.append(row);
    }
    if (!m_db.commit()) {
        m_lastError = m_db.lastError().text();
        m_db.rollback();
        return {};
    }
    return rows;
}

bool UpstreamOutbox::apply(const QList<Result> &results, qint64 nowMs)
{
    if (!m_db.transaction()) {
        m_lastError = m_db.lastError().text();
        return false;
    }
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("UPDATE upstream_outbox SET state = ?, province_code = ?, province_msg = ?, duplicate = ?, "
                             "next_attempt_at = ?, delivered_at = ?, updated_at = ? "
                             "WHERE evaluation_id = ? AND state = 'sending'"));
    for (const Result &r : results) {
        const bool delivered = r.kind == Result::Kind::Delivered || r.kind == Result::Kind::Duplicate;
        q.bindValue(0, QString::fromLatin1(stateOf(r.kind)));
        q.bindValue(1, r.code);
        q.bindValue(2, r.message);
        q.bindValue(3, r.kind == Result::Kind::Duplicate ? 1 : 0);
        q.bindValue(4, r.kind == Result::Kind::Retry ? r.nextAttemptAtMs : 0);
        q.bindValue(5, delivered ? QVariant(nowMs) : QVariant(QMetaType::fromType<qint64>()));
        q.bindValue(6, nowMs);
        q.bindValue(7, r.evaluationId);
        if (!exec(q)) {
            m_db.rollback();
            return false;
        }
    }
    if (!m_db.commit()) {
        m_lastError = m_db.lastError().text();
        m_db.rollback();
        return false;
    }
    return true;
}

QJsonObject UpstreamOutbox::counts()
{
    QJsonObject out{{QStringLiteral("pending"), 0}, {QStringLiteral("sending"), 0},
                    {QStringLiteral("delivered"), 0}, {QStringLiteral("dead"), 0}};
    QSqlQuery q(m_db);
    if (q.exec(QStringLiteral("SELECT state, COUNT(*) FROM upstream_outbox GROUP BY state")))
        while (q.next())
            out.insert(q.value(0).toString(), q.value(1).toLongLong());
    if (q.exec(QStringLiteral("SELECT COUNT(*) FROM upstream_outbox WHERE duplicate = 1")) && q.next())
        out.insert(QStringLiteral("deliveredAsDuplicate"), q.value(0).toLongLong());
    if (q.exec(QStringLiteral("SELECT MIN(created_at) FROM upstream_outbox WHERE state IN ('pending', 'sending')"))
        && q.next() && !q.value(0).isNull())
        out.insert(QStringLiteral("oldestUndeliveredAtMs"), q.value(0).toLongLong());
    return out;
}

QJsonArray UpstreamOutbox::deadLetters(int limit)
{
    QJsonArray out;
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT o.evaluation_id, e.device_id, e.uuid, e.project_no, o.province_code, "
                             "o.province_msg, o.attempts, o.updated_at FROM upstream_outbox o "
                             "JOIN evaluations e ON e.id = o.evaluation_id WHERE o.state = 'dead' "
                             "ORDER BY o.evaluation_id LIMIT ?"));
    q.addBindValue(limit);
    if (!exec(q))
        return out;
    while (q.next())
        out.append(QJsonObject{{QStringLiteral("evaluationId"), q.value(0).toLongLong()},
                               {QStringLiteral("deviceId"), q.value(1).toString()},
                               {QStringLiteral("uuid"), q.value(2).toString()},
                               {QStringLiteral("projectNo"), q.value(3).toString()},
                               {QStringLiteral("code"), q.value(4).toString()},
                               {QStringLiteral("reason"), q.value(5).toString()},
                               {QStringLiteral("attempts"), q.value(6).toInt()},
                               {QStringLiteral("updatedAtMs"), q.value(7).toLongLong()}});
    return out;
}

QJsonArray UpstreamOutbox::records(qint64 afterId, int limit, qint64 *nextAfterId)
{
    QJsonArray out;
    *nextAfterId = afterId;
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT evaluation_id, state, attempts, province_code, province_msg, duplicate, "
                             "delivered_at, next_attempt_at FROM upstream_outbox WHERE evaluation_id > ? "
                             "ORDER BY evaluation_id LIMIT ?"));
    q.addBindValue(afterId);
    q.addBindValue(limit);
    if (!exec(q))
        return out;
    while (q.next()) {
        *nextAfterId = q.value(0).toLongLong();
        QJsonObject r{{QStringLiteral("evaluationId"), *nextAfterId},
                      {QStringLiteral("state"), q.value(1).toString()},
                      {QStringLiteral("attempts"), q.value(2).toInt()},
                      {QStringLiteral("code"), q.value(3).toString()},
                      {QStringLiteral("message"), q.value(4).toString()},
                      {QStringLiteral("duplicate"), q.value(5).toInt() != 0}};
        if (!q.value(6).isNull())
            r.insert(QStringLiteral("deliveredAtMs"), q.value(6).toLongLong());
        if (q.value(1).toString() == QLatin1String("pending"))
            r.insert(QStringLiteral("nextAttemptAtMs"), q.value(7).toLongLong());
        out.append(r);
    }
    return out;
}

QJsonArray UpstreamOutbox::deviceRecords(const QString &deviceId, int limit)
{
    QJsonArray out;
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT e.id, e.uuid, e.project_no, e.satisfaction, e.received_at, o.state, o.attempts, "
                             "o.province_code, o.province_msg, o.duplicate, o.delivered_at, o.next_attempt_at "
                             "FROM evaluations e LEFT JOIN upstream_outbox o ON o.evaluation_id = e.id "
                             "WHERE e.device_id = ? ORDER BY e.id DESC LIMIT ?"));
    q.addBindValue(deviceId);
    q.addBindValue(limit);
    if (!exec(q))
        return out;
    while (q.next()) {
        const QString state = q.value(5).isNull() ? QStringLiteral("queued") : q.value(5).toString();
        QJsonObject r{{QStringLiteral("evaluationId"), q.value(0).toLongLong()},
                      {QStringLiteral("uuid"), q.value(1).toString()},
                      {QStringLiteral("projectNo"), q.value(2).toString()},
                      {QStringLiteral("satisfaction"), q.value(3).toInt()},
                      {QStringLiteral("receivedAtMs"), q.value(4).toLongLong()},
                      {QStringLiteral("state"), state},
                      {QStringLiteral("attempts"), q.value(6).toInt()},
                      {QStringLiteral("code"), q.value(7).toString()},
                      {QStringLiteral("message"), q.value(8).toString()},
                      {QStringLiteral("duplicate"), q.value(9).toInt() != 0}};
        if (!q.value(10).isNull())
            r.insert(QStringLiteral("deliveredAtMs"), q.value(10).toLongLong());
        if (state == QLatin1String("pending"))
            r.insert(QStringLiteral("nextAttemptAtMs"), q.value(11).toLongLong());
        out.append(r);
    }
    return out;
}

int UpstreamOutbox::requeue(const QList<qint64> &ids, qint64 nowMs)
{
    QSqlQuery q(m_db);
    if (ids.isEmpty()) {
        q.prepare(QStringLiteral("UPDATE upstream_outbox SET state = 'pending', next_attempt_at = 0, updated_at = ? "
                                 "WHERE state = 'dead'"));
        q.addBindValue(nowMs);
        return exec(q) ? q.numRowsAffected() : -1;
    }
    if (!m_db.transaction())
        return -1;
    q.prepare(QStringLiteral("UPDATE upstream_outbox SET state = 'pending', next_attempt_at = 0, updated_at = ? "
                             "WHERE state = 'dead' AND evaluation_id = ?"));
    int n = 0;
    for (qint64 id : ids) {
        q.bindValue(0, nowMs);
        q.bindValue(1, id);
        if (!exec(q)) {
            m_db.rollback();
            return -1;
        }
        n += q.numRowsAffected();
    }
    return m_db.commit() ? n : -1;
}

QString UpstreamOutbox::meta(const QString &key)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT value FROM upstream_meta WHERE key = ?"));
    q.addBindValue(key);
    return exec(q) && q.next() ? q.value(0).toString() : QString();
}

bool UpstreamOutbox::setMeta(const QString &key, const QString &value)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("INSERT INTO upstream_meta (key, value) VALUES (?, ?) "
                             "ON CONFLICT (key) DO UPDATE SET value = excluded.value"));
    q.addBindValue(key);
    q.addBindValue(value);
    return exec(q);
}

} // namespace hcp::sync::hub::upstream

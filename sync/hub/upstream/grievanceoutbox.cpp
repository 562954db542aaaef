// SPDX-License-Identifier: Apache-2.0
#include "grievanceoutbox.h"

#include "hubstore.h"
#include "upstreammapper.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>

Q_LOGGING_CATEGORY(lcGrievanceOutbox, "hcp.sync.hub.upstream.grievance")

namespace hcp::sync::hub::upstream {

namespace {

// How many due rows one claim looks at (rows waiting for their evaluation are passed over).
constexpr int kScan = 50;
const QString kNotAdopted = QStringLiteral("不予采纳");

QString cstTime(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toOffsetFromUtc(8 * 3600).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

} // namespace

GrievanceOutbox::GrievanceOutbox(QSqlDatabase db)
    : m_db(std::move(db))
{
}

bool GrievanceOutbox::exec(QSqlQuery &q)
{
    return HubStore::execLogged(q, lcGrievanceOutbox, &m_lastError);
}

bool GrievanceOutbox::ensureSchema(QSqlDatabase &db, bool postgres, QString *error)
{
    QStringList statements;
    QSqlQuery has(db);
    if (postgres || !has.exec(QStringLiteral("SELECT next_attempt_at FROM grievance_upstream LIMIT 0"))) {
        const QString add = postgres ? QStringLiteral("ALTER TABLE grievance_upstream ADD COLUMN IF NOT EXISTS ")
                                     : QStringLiteral("ALTER TABLE grievance_upstream ADD COLUMN ");
        statements << add + QStringLiteral("next_attempt_at BIGINT NOT NULL DEFAULT 0")
                   << add + QStringLiteral("claimed_at BIGINT") << add + QStringLiteral("delivered_at BIGINT");
    }
    has.finish();
    statements << QStringLiteral("CREATE INDEX IF NOT EXISTS grievance_upstream_due ON grievance_upstream(state, next_attempt_at, id)");
    return HubStore::execStatements(db, statements, error);
}

int GrievanceOutbox::recoverExpired(qint64 claimedBeforeMs, qint64 nowMs)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("UPDATE grievance_upstream SET state = 'pending', next_attempt_at = 0, updated_at = ?, "
                             "message = 'in doubt: no answer within the lease' WHERE state = 'sending' AND claimed_at < ?"));
    q.addBindValue(nowMs);
    q.addBindValue(claimedBeforeMs);
    return exec(q) ? q.numRowsAffected() : -1;
}

GrievanceOutbox::Readiness GrievanceOutbox::evaluationDelivered(const QVariant &evaluationId)
{
    if (evaluationId.isNull())
        return Readiness::Ready; // a file of an upstream 通报单: the province has the rating
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT state FROM upstream_outbox WHERE evaluation_id = ?"));
    q.addBindValue(evaluationId);
    if (!exec(q))
        return Readiness::Waiting;
    return q.next() && q.value(0).toString() == QLatin1String("delivered") ? Readiness::Ready : Readiness::Waiting;
}

GrievanceOutbox::Readiness GrievanceOutbox::deriveReply(Row *row)
{
    static const QRegularExpression keyForm(QStringLiteral("^(.+)/(\\d+)/(\\d+)$"));
    const QRegularExpressionMatch m = keyForm.match(row->key);
    if (!m.hasMatch()) {
        row->problem = QStringLiteral("reply key is not projectNo/serviceNumber/assessNumber");
        return Readiness::Broken;
    }
    QSqlQuery f(m_db);
    f.prepare(QStringLiteral("SELECT id, dept_code, dept_name, evaluation_id FROM grievance_files "
                             "WHERE project_no = ? AND service_number = ? AND assess_number = ?"));
    f.addBindValue(m.captured(1));
    f.addBindValue(m.captured(2).toInt());
    f.addBindValue(m.captured(3).toInt());
    if (!exec(f))
        return Readiness::Waiting;
    if (!f.next()) {
        row->problem = QStringLiteral("no case file for the reply");
        return Readiness::Broken;
    }
    const qint64 fileId = f.value(0).toLongLong();
    row->facts = QJsonObject{{QStringLiteral("projectNo"), m.captured(1)},
                             {QStringLiteral("serviceNumber"), m.captured(2).toInt()},
                             {QStringLiteral("assessNumber"), m.captured(3).toInt()},
                             {QStringLiteral("deptCode"), f.value(1).toString()},
                             {QStringLiteral("deptName"), f.value(2).toString()}};
    const QVariant evaluationId = f.value(3);
    f.finish();
    // The latest 答复 and the 整改措施 before it: the timeline is append-only.
    QSqlQuery e(m_db);
    e.prepare(QStringLiteral("SELECT id, text, at_ms FROM grievance_events WHERE file_id = ? AND action = 'answer' "
                             "ORDER BY id DESC LIMIT 1"));
    e.addBindValue(fileId);
    if (!exec(e))
        return Readiness::Waiting;
    if (!e.next()) {
        row->problem = QStringLiteral("the case file has no 答复 in its timeline");
        return Readiness::Broken;
    }
    const qint64 answerId = e.value(0).toLongLong();
    row->facts.insert(QStringLiteral("reply"), e.value(1).toString());
    row->facts.insert(QStringLiteral("replyAtMs"), e.value(2).toLongLong());
    e.finish();
    QSqlQuery r(m_db);
    r.prepare(QStringLiteral("SELECT text FROM grievance_events WHERE file_id = ? AND action = 'rectify' AND id < ? "
                             "ORDER BY id DESC LIMIT 1"));
    r.addBindValue(fileId);
    r.addBindValue(answerId);
    if (!exec(r))
        return Readiness::Waiting;
    row->facts.insert(QStringLiteral("measures"), r.next() ? r.value(0).toString() : QString());
    r.finish();
    return evaluationDelivered(evaluationId);
}

GrievanceOutbox::Readiness GrievanceOutbox::deriveAppeal(Row *row)
{
    bool isNumber = false;
    const qint64 appealId = row->key.toLongLong(&isNumber);
    if (!isNumber) {
        row->problem = QStringLiteral("appeal key is not an appeal id");
        return Readiness::Broken;
    }
    // The appeal and its review as the timeline recorded them (Appeals::file / Appeals::decide:
    // the appeal event's text is the 申诉理由, the review's "申诉复核：<decision>。<reason>").
    QSqlQuery e(m_db);
    e.prepare(QStringLiteral("SELECT file_id, action, text, at_ms, data FROM grievance_events "
                             "WHERE action IN ('appeal', 'review') AND data LIKE ? ORDER BY id"));
    e.addBindValue(QStringLiteral("{\"appealId\":%1%").arg(appealId));
    if (!exec(e))
        return Readiness::Waiting;
    qint64 fileId = -1;
    QString reason, decision, decisionText;
    qint64 filedAt = 0, decidedAt = 0;
    while (e.next()) {
        const QJsonObject data = UpstreamOutbox::jsonColumn(e.value(4));
        if (data.value(QLatin1String("appealId")).toInteger() != appealId)
            continue;
        if (e.value(1).toString() == QLatin1String("appeal")) {
            fileId = e.value(0).toLongLong();
            reason = e.value(2).toString();
            filedAt = e.value(3).toLongLong();
        } else if (e.value(0).toLongLong() == fileId) {
            decision = data.value(QLatin1String("decision")).toString();
            decisionText = e.value(2).toString();
            decidedAt = e.value(3).toLongLong();
        }
    }
    e.finish();
    const QString prefix = QStringLiteral("申诉复核：%1。").arg(decision);
    if (fileId < 0 || decision != kNotAdopted || !decisionText.startsWith(prefix)) {
        row->problem = QStringLiteral("the timeline has no 不予采纳 decision for appeal %1").arg(appealId);
        return Readiness::Broken;
    }
    QSqlQuery f(m_db);
    f.prepare(QStringLiteral("SELECT project_no, service_number, assess_number, dept_code, dept_name, evaluation_id "
                             "FROM grievance_files WHERE id = ?"));
    f.addBindValue(fileId);
    if (!exec(f))
        return Readiness::Waiting;
    if (!f.next()) {
        row->problem = QStringLiteral("no case file for appeal %1").arg(appealId);
        return Readiness::Broken;
    }
    row->facts = QJsonObject{{QStringLiteral("appealId"), appealId},
                             {QStringLiteral("projectNo"), f.value(0).toString()},
                             {QStringLiteral("serviceNumber"), f.value(1).toInt()},
                             {QStringLiteral("assessNumber"), f.value(2).toInt()},
                             {QStringLiteral("deptCode"), f.value(3).toString()},
                             {QStringLiteral("deptName"), f.value(4).toString()},
                             {QStringLiteral("appealReason"), reason},
                             {QStringLiteral("appealAtMs"), filedAt},
                             {QStringLiteral("decision"), decision},
                             {QStringLiteral("decisionReason"), decisionText.mid(prefix.size())},
                             {QStringLiteral("decidedAtMs"), decidedAt}};
    const QVariant evaluationId = f.value(5);
    f.finish();
    return evaluationDelivered(evaluationId);
}

GrievanceOutbox::Readiness GrievanceOutbox::derive(Row *row, const QJsonObject &queued)
{
    Readiness r = Readiness::Broken;
    QStringList compared;
    if (row->kind == QLatin1String("reply")) {
        r = deriveReply(row);
        compared = {QStringLiteral("projectNo"), QStringLiteral("serviceNumber"), QStringLiteral("assessNumber"),
                    QStringLiteral("reply")};
    } else if (row->kind == QLatin1String("appeal")) {
        r = deriveAppeal(row);
        compared = {QStringLiteral("projectNo"), QStringLiteral("serviceNumber"), QStringLiteral("assessNumber"),
                    QStringLiteral("appealReason"), QStringLiteral("decision"), QStringLiteral("decisionReason")};
    } else {
        row->problem = QStringLiteral("unknown record kind %1").arg(row->kind);
    }
    if (r == Readiness::Broken)
        return r;
    for (const QString &k : std::as_const(compared))
        if (queued.value(k).toVariant() != row->facts.value(k).toVariant()) {
            row->altered = true;
            qCWarning(lcGrievanceOutbox).noquote()
                << "grievance_upstream row" << row->id << row->kind << row->key << "differs from the timeline in" << k
                << "(altered in the database?) - sending what the timeline says";
            break;
        }
    return r;
}

QList<GrievanceOutbox::Row> GrievanceOutbox::claim(int limit, qint64 nowMs)
{
    QList<Row> rows;
    if (!m_db.transaction()) {
        m_lastError = m_db.lastError().text();
        return rows;
    }
    QSqlQuery due(m_db);
    due.prepare(QStringLiteral("SELECT id, kind, record_key, payload, attempts FROM grievance_upstream "
                               "WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY id LIMIT ?"));
    due.addBindValue(nowMs);
    due.addBindValue(kScan);
    if (!exec(due)) {
        m_db.rollback();
        return rows;
    }
    QList<QPair<Row, QJsonObject>> candidates;
    while (due.next()) {
        Row row;
        row.id = due.value(0).toLongLong();
        row.kind = due.value(1).toString();
        row.key = due.value(2).toString();
        row.attempts = due.value(4).toInt() + 1;
        candidates.append({row, UpstreamOutbox::jsonColumn(due.value(3))});
    }
    due.finish();
    QSqlQuery mark(m_db);
    mark.prepare(QStringLiteral("UPDATE grievance_upstream SET state = 'sending', attempts = attempts + 1, claimed_at = ?, "
                                "updated_at = ? WHERE id = ? AND state = 'pending'"));
    for (auto &[row, queued] : candidates) {
        if (rows.size() >= limit)
            break;
        if (derive(&row, queued) == Readiness::Waiting)
            continue;
        mark.bindValue(0, nowMs);
        mark.bindValue(1, nowMs);
        mark.bindValue(2, row.id);
        if (!exec(mark)) {
            m_db.rollback();
            return {};
        }
        if (mark.numRowsAffected() == 1) // else another hub claimed it first
            rows.append(row);
    }
    if (!m_db.commit()) {
        m_lastError = m_db.lastError().text();
        m_db.rollback();
        return {};
    }
    return rows;
}

bool GrievanceOutbox::apply(const QList<Result> &results, qint64 nowMs)
{
    if (!m_db.transaction()) {
        m_lastError = m_db.lastError().text();
        return false;
    }
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("UPDATE grievance_upstream SET state = ?, code = ?, message = ?, next_attempt_at = ?, "
                             "delivered_at = COALESCE(?, delivered_at), updated_at = ? WHERE id = ? AND state = 'sending'"));
    for (const Result &r : results) {
        const bool delivered = r.kind == Result::Kind::Delivered || r.kind == Result::Kind::Duplicate;
        q.bindValue(0, QString::fromLatin1(UpstreamOutbox::stateOf(r.kind)));
        q.bindValue(1, r.code);
        q.bindValue(2, r.message);
        q.bindValue(3, r.kind == Result::Kind::Retry ? r.nextAttemptAtMs : 0);
        q.bindValue(4, delivered ? QVariant(nowMs) : QVariant(QMetaType::fromType<qint64>()));
        q.bindValue(5, nowMs);
        q.bindValue(6, r.evaluationId);
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

QJsonObject GrievanceOutbox::counts()
{
    QJsonObject out{{QStringLiteral("pending"), 0}, {QStringLiteral("sending"), 0},
                    {QStringLiteral("delivered"), 0}, {QStringLiteral("dead"), 0}};
    QSqlQuery q(m_db);
    if (q.exec(QStringLiteral("SELECT state, COUNT(*) FROM grievance_upstream GROUP BY state")))
        while (q.next())
            out.insert(q.value(0).toString(), q.value(1).toLongLong());
    return out;
}

QJsonArray GrievanceOutbox::deadLetters(int limit)
{
    QJsonArray out;
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT id, kind, record_key, code, message, attempts, updated_at FROM grievance_upstream "
                             "WHERE state = 'dead' ORDER BY id LIMIT ?"));
    q.addBindValue(limit);
    if (!exec(q))
        return out;
    while (q.next())
        out.append(QJsonObject{{QStringLiteral("id"), q.value(0).toLongLong()},
                               {QStringLiteral("kind"), q.value(1).toString()},
                               {QStringLiteral("key"), q.value(2).toString()},
                               {QStringLiteral("code"), q.value(3).toString()},
                               {QStringLiteral("reason"), q.value(4).toString()},
                               {QStringLiteral("attempts"), q.value(5).toInt()},
                               {QStringLiteral("updatedAtMs"), q.value(6).toLongLong()}});
    return out;
}

int GrievanceOutbox::requeue(const QList<qint64> &ids, qint64 nowMs)
{
    QSqlQuery q(m_db);
    if (ids.isEmpty()) {
        q.prepare(QStringLiteral("UPDATE grievance_upstream SET state = 'pending', next_attempt_at = 0, updated_at = ? "
                                 "WHERE state = 'dead'"));
        q.addBindValue(nowMs);
        return exec(q) ? q.numRowsAffected() : -1;
    }
    if (!m_db.transaction())
        return -1;
    q.prepare(QStringLiteral("UPDATE grievance_upstream SET state = 'pending', next_attempt_at = 0, updated_at = ? "
                             "WHERE state = 'dead' AND id = ?"));
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

QJsonObject GrievanceOutbox::mapped(const Row &row, const ProvinceProfile &profile)
{
    const QJsonObject &f = row.facts;
    // Field names: the national ones of domain.md a.1 where they exist (projectNo, serviceNumber,
    // assessNumber, deptCode, dataSource; G8 reformContent/reformDate, G3 rectification); the
    // rest, and what the province does with them, are [I] (UPSTREAM.md §9).
    QJsonObject r{{QStringLiteral("projectNo"), profile.projectNoPrefix + f.value(QLatin1String("projectNo")).toString()},
                  {QStringLiteral("serviceNumber"), f.value(QLatin1String("serviceNumber"))},
                  {QStringLiteral("assessNumber"), f.value(QLatin1String("assessNumber"))},
                  {QStringLiteral("deptCode"), f.value(QLatin1String("deptCode"))},
                  {QStringLiteral("dataSource"), profile.dataSource}};
    if (row.kind == QLatin1String("reply")) {
        r.insert(QStringLiteral("rectifyStatus"), QStringLiteral("2"));
        r.insert(QStringLiteral("reformContent"), f.value(QLatin1String("reply")));
        r.insert(QStringLiteral("reformDate"), cstTime(f.value(QLatin1String("replyAtMs")).toInteger()));
        r.insert(QStringLiteral("reformDept"), f.value(QLatin1String("deptName")));
        r.insert(QStringLiteral("rectification"), f.value(QLatin1String("measures")));
    } else {
        r.insert(QStringLiteral("appealId"), QString::number(f.value(QLatin1String("appealId")).toInteger()));
        r.insert(QStringLiteral("appealReason"), f.value(QLatin1String("appealReason")));
        r.insert(QStringLiteral("appealTime"), cstTime(f.value(QLatin1String("appealAtMs")).toInteger()));
        r.insert(QStringLiteral("appealResult"), QStringLiteral("2")); // 1 维持, 2 不予采纳; only 2 is sent
        r.insert(QStringLiteral("reviewReason"), f.value(QLatin1String("decisionReason")));
        r.insert(QStringLiteral("reviewTime"), cstTime(f.value(QLatin1String("decidedAtMs")).toInteger()));
        r.insert(QStringLiteral("effectivEvalua"), QStringLiteral("0")); // G3: not an effective evaluation
    }
    return r;
}

QString GrievanceOutbox::validate(const QString &kind, const QJsonObject &r)
{
    static const QRegularExpression credit(QStringLiteral("^[0-9A-HJ-NPQRTUWXY]{18}$")); // as UpstreamMapper
    if (const QString key = UpstreamMapper::validateCaseKey(r); !key.isEmpty())
        return key;
    if (!credit.match(r.value(QLatin1String("deptCode")).toString()).hasMatch())
        return QStringLiteral("deptCode must be an 18-character credit code");
    auto text = [&r](const char *k, int max) {
        const QString v = r.value(QLatin1String(k)).toString().trimmed();
        return !v.isEmpty() && v.size() <= max;
    };
    if (kind == QLatin1String("reply")) {
        if (!text("reformContent", 2000))
            return QStringLiteral("reformContent (答复内容) must be 1-2000 characters");
        if (r.value(QLatin1String("rectification")).toString().size() > 2000)
            return QStringLiteral("rectification (整改措施) must be at most 2000 characters");
        return {};
    }
    if (!text("appealReason", 2000) || !text("reviewReason", 2000))
        return QStringLiteral("appealReason and reviewReason must be 1-2000 characters");
    return {};
}

} // namespace hcp::sync::hub::upstream

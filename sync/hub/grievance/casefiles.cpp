// SPDX-License-Identifier: Apache-2.0
#include "casefiles.h"

#include "reasontexts.h"

#include "hubstore.h"
#include "rectificationstore.h"
#include "workcalendar.h"

#include <QJsonDocument>
#include <QLoggingCategory>
#include <QSqlError>
#include <QSqlQuery>
#include <QTimeZone>

Q_LOGGING_CATEGORY(lcGrievance, "hcp.sync.hub.grievance")

namespace hcp::sync::hub::grievance {

namespace {

constexpr int kContactDays = deadline::Contact;
constexpr int kSimpleDays = deadline::Simple;
constexpr int kComplexDays = deadline::Complex;
constexpr int kVisitDays = deadline::Visit;
constexpr int kMaxText = 4000;

const char kFileColumns[] =
    "id, project_no, service_number, assess_number, hall_code, dept_code, dept_name, task_name, evaluation_id, "
    "satisfaction, rating_time, clock_from, state, complex, stage, due_date, rectified_on, excluded, reopened, "
    "opened_at, updated_at";

QJsonObject fileFromQuery(const QSqlQuery &q)
{
    return QJsonObject{
        {QStringLiteral("id"), q.value(0).toLongLong()},
        {QStringLiteral("projectNo"), q.value(1).toString()},
        {QStringLiteral("serviceNumber"), q.value(2).toInt()},
        {QStringLiteral("assessNumber"), q.value(3).toInt()},
        {QStringLiteral("hallCode"), q.value(4).toString()},
        {QStringLiteral("deptCode"), q.value(5).toString()},
        {QStringLiteral("deptName"), q.value(6).toString()},
        {QStringLiteral("taskName"), q.value(7).toString()},
        {QStringLiteral("evaluationId"), q.value(8).toLongLong()},
        {QStringLiteral("satisfaction"), q.value(9).toInt()},
        {QStringLiteral("ratingTime"), q.value(10).toString()},
        {QStringLiteral("clockFrom"), q.value(11).toString()},
        {QStringLiteral("state"), q.value(12).toString()},
        {QStringLiteral("complex"), q.value(13).toInt() != 0},
        {QStringLiteral("stage"), q.value(14).toString()},
        {QStringLiteral("dueDate"), q.value(15).toString()},
        {QStringLiteral("rectifiedOn"), q.value(16).toString()},
        {QStringLiteral("excluded"), q.value(17).toInt() != 0},
        {QStringLiteral("reopened"), q.value(18).toInt()},
        {QStringLiteral("openedAtMs"), q.value(19).toLongLong()},
        {QStringLiteral("updatedAtMs"), q.value(20).toLongLong()},
    };
}

QJsonObject parse(const QVariant &v)
{
    return QJsonDocument::fromJson(v.toString().toUtf8()).object();
}

bool fail(const QSqlQuery &q, QString *error)
{
    if (error)
        *error = q.lastError().text();
    qCWarning(lcGrievance) << "SQL failed:" << q.lastError().text() << q.lastQuery();
    return false;
}

QString dateString(const QDate &d)
{
    return d.toString(Qt::ISODate);
}

} // namespace

CaseFiles::CaseFiles(QSqlDatabase db, const kiosk::WorkCalendar &calendar)
    : m_db(std::move(db))
    , m_calendar(calendar)
{
}

bool CaseFiles::ensureSchema(QSqlDatabase &db, bool postgres, QString *error)
{
    const QString id = postgres ? QStringLiteral("id BIGSERIAL PRIMARY KEY")
                                : QStringLiteral("id INTEGER PRIMARY KEY AUTOINCREMENT");
    const QString blob = postgres ? QStringLiteral("BYTEA") : QStringLiteral("BLOB");
    QStringList statements{
        QStringLiteral("CREATE TABLE IF NOT EXISTS grievance_files (%1, project_no TEXT NOT NULL, "
                       "service_number INTEGER NOT NULL, assess_number INTEGER NOT NULL, hall_code TEXT NOT NULL, "
                       "dept_code TEXT NOT NULL, dept_name TEXT NOT NULL, task_name TEXT NOT NULL, "
                       "evaluation_id BIGINT, satisfaction INTEGER NOT NULL, rating_time TEXT NOT NULL, "
                       "clock_from TEXT NOT NULL, state TEXT NOT NULL, complex INTEGER NOT NULL DEFAULT 0, "
                       "stage TEXT NOT NULL, due_date TEXT NOT NULL, rectified_on TEXT NOT NULL DEFAULT '', "
                       "excluded INTEGER NOT NULL DEFAULT 0, reopened INTEGER NOT NULL DEFAULT 0, "
                       "opened_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, "
                       "UNIQUE (project_no, service_number, assess_number))")
            .arg(id),
        QStringLiteral("CREATE INDEX IF NOT EXISTS grievance_files_dept ON grievance_files(dept_code, state)"),
        QStringLiteral("CREATE TABLE IF NOT EXISTS grievance_events (%1, file_id BIGINT NOT NULL, at_ms BIGINT NOT NULL, "
                       "actor TEXT NOT NULL, role TEXT NOT NULL, action TEXT NOT NULL, from_state TEXT NOT NULL, "
                       "to_state TEXT NOT NULL, text TEXT NOT NULL, data TEXT NOT NULL)")
            .arg(id),
        QStringLiteral("CREATE INDEX IF NOT EXISTS grievance_events_file ON grievance_events(file_id, id)"),
        QStringLiteral("CREATE TABLE IF NOT EXISTS grievance_followups (%1, file_id BIGINT NOT NULL, method TEXT NOT NULL, "
                       "visit_date TEXT NOT NULL, actor TEXT NOT NULL, result TEXT NOT NULL, note TEXT NOT NULL, "
                       "evaluation_id BIGINT UNIQUE, created_at BIGINT NOT NULL)")
            .arg(id),
        QStringLiteral("CREATE TABLE IF NOT EXISTS grievance_appeals (%1, file_id BIGINT NOT NULL, appellant TEXT NOT NULL, "
                       "reason TEXT NOT NULL, state TEXT NOT NULL, reviewer TEXT, decision_reason TEXT, "
                       "filed_at BIGINT NOT NULL, decided_at BIGINT)")
            .arg(id),
        QStringLiteral("CREATE TABLE IF NOT EXISTS grievance_attachments (%1, appeal_id BIGINT NOT NULL, "
                       "file_name TEXT NOT NULL, mime TEXT NOT NULL, size BIGINT NOT NULL, sha256 TEXT NOT NULL, "
                       "data %2 NOT NULL, uploaded_by TEXT NOT NULL, created_at BIGINT NOT NULL)")
            .arg(id, blob),
        // Excluded from the 通报 after an upheld appeal (不予采纳); the evaluation itself stays.
        QStringLiteral("CREATE TABLE IF NOT EXISTS grievance_exclusions (evaluation_id BIGINT PRIMARY KEY, "
                       "appeal_id BIGINT NOT NULL, created_at BIGINT NOT NULL)"),
        // One claim per service event for the default rating: kind 'rated' (someone rated it in
        // time) or 'default' (the hub made the default evaluation evaluation_id).
        QStringLiteral("CREATE TABLE IF NOT EXISTS grievance_defaults (project_no TEXT NOT NULL, "
                       "service_number INTEGER NOT NULL, kind TEXT NOT NULL, evaluation_id BIGINT, "
                       "created_at BIGINT NOT NULL, PRIMARY KEY (project_no, service_number))"),
        // Replies (整改反馈) and appeal decisions for the province, one per (kind, key) (UPSTREAM.md §9).
        QStringLiteral("CREATE TABLE IF NOT EXISTS grievance_upstream (%1, kind TEXT NOT NULL, record_key TEXT NOT NULL, "
                       "payload TEXT NOT NULL, state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, "
                       "code TEXT, message TEXT, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, "
                       "UNIQUE (kind, record_key))")
            .arg(id),
        QStringLiteral("CREATE TABLE IF NOT EXISTS grievance_handlers (user_name TEXT PRIMARY KEY, dept_code TEXT NOT NULL)"),
        QStringLiteral("INSERT INTO counters (name, value) VALUES ('hub_default_seq', 0) ON CONFLICT DO NOTHING"),
    };
    // The timeline and the 回访 log are append-only, enforced by the database itself.
    if (postgres) {
        statements << QStringLiteral(
            "DO $$ BEGIN "
            "IF NOT EXISTS (SELECT 1 FROM pg_proc WHERE proname = 'grievance_append_only') THEN "
            "CREATE FUNCTION grievance_append_only() RETURNS trigger LANGUAGE plpgsql AS $f$ BEGIN "
            "RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $f$; END IF; "
            "IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'grievance_events_append_only') THEN "
            "CREATE TRIGGER grievance_events_append_only BEFORE UPDATE OR DELETE ON grievance_events "
            "FOR EACH ROW EXECUTE FUNCTION grievance_append_only(); END IF; "
            "IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'grievance_followups_append_only') THEN "
            "CREATE TRIGGER grievance_followups_append_only BEFORE UPDATE OR DELETE ON grievance_followups "
            "FOR EACH ROW EXECUTE FUNCTION grievance_append_only(); END IF; END $$");
    } else {
        for (const char *table : {"grievance_events", "grievance_followups"})
            for (const char *op : {"UPDATE", "DELETE"})
                statements << QStringLiteral("CREATE TRIGGER IF NOT EXISTS %1_no_%2 BEFORE %3 ON %1 BEGIN "
                                             "SELECT RAISE(ABORT, '%1 is append-only'); END")
                                  .arg(QLatin1String(table), QString::fromLatin1(op).toLower(), QLatin1String(op));
    }
    return HubStore::execStatements(db, statements, error);
}

QDate CaseFiles::todayCst()
{
    return QDateTime::currentDateTimeUtc().toOffsetFromUtc(8 * 3600).date();
}

QDateTime CaseFiles::parseCst(const QString &assessTime)
{
    QDateTime t = QDateTime::fromString(assessTime, QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    t.setOffsetFromUtc(8 * 3600);
    return t;
}

QString CaseFiles::masked(const QString &projectNo)
{
    if (projectNo.size() <= 8)
        return QString(projectNo.size(), QLatin1Char('*'));
    return projectNo.left(4) + QString(projectNo.size() - 8, QLatin1Char('*')) + projectNo.right(4);
}

bool CaseFiles::maySee(const Actor &actor, const QJsonObject &file)
{
    if (actor.handler())
        return !actor.deptCode.isEmpty() && file.value(QLatin1String("deptCode")).toString() == actor.deptCode;
    return true;
}

bool CaseFiles::mayAct(const Actor &actor, const QJsonObject &file)
{
    if (actor.county())
        return true;
    return actor.handler() && maySee(actor, file);
}

bool CaseFiles::onEvaluationStored(qint64 evaluationId, const QJsonObject &e, const QString &hallCode, qint64 nowMs,
                                   QString *error)
{
    const int satisfaction = e.value(QLatin1String("satisfaction")).toInt();
    if (e.value(QLatin1String("assessNumber")).toInt() != 2)
        return satisfaction > 2 || open(evaluationId, e, hallCode, nowMs, error);
    // A 追评: the citizen's answer to the reply, counted as a 回访 of the first rating's file.
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT id FROM grievance_files WHERE project_no = ? AND service_number = ? "
                             "AND assess_number = 1"));
    q.addBindValue(e.value(QLatin1String("projectNo")).toString());
    q.addBindValue(e.value(QLatin1String("serviceNumber")).toInt());
    if (!q.exec())
        return fail(q, error);
    if (!q.next())
        return satisfaction > 2 || open(evaluationId, e, hallCode, nowMs, error);
    const QJsonObject first = file(q.value(0).toLongLong());
    q.finish();
    const QString result = satisfaction >= 4 ? QStringLiteral("满意")
        : satisfaction == 3                  ? QStringLiteral("基本满意")
                                             : QStringLiteral("不满意");
    const QString visitDate = e.value(QLatin1String("assessTime")).toString().left(10);
    QSqlQuery f(m_db);
    f.prepare(QStringLiteral("INSERT INTO grievance_followups (file_id, method, visit_date, actor, result, note, "
                             "evaluation_id, created_at) VALUES (?, '追评', ?, 'kiosk', ?, '', ?, ?) "
                             "ON CONFLICT DO NOTHING"));
    f.addBindValue(first.value(QLatin1String("id")).toInteger());
    f.addBindValue(visitDate);
    f.addBindValue(result);
    f.addBindValue(evaluationId);
    f.addBindValue(nowMs);
    if (!f.exec())
        return fail(f, error);
    const Actor kiosk{QStringLiteral("kiosk"), QStringLiteral("kiosk"), {}};
    const QString from = first.value(QLatin1String("state")).toString();
    const QJsonObject data{{QStringLiteral("method"), QStringLiteral("追评")}, {QStringLiteral("result"), result},
                           {QStringLiteral("evaluationId"), evaluationId}, {QStringLiteral("visitDate"), visitDate}};
    if (satisfaction <= 2)
        return record(first.value(QLatin1String("id")).toInteger(), kiosk, QStringLiteral("visit"), from, {},
                      QStringLiteral("追评（%1）").arg(result), data, nowMs, error)
            && reopen(first, evaluationId, e, nowMs, error);
    return record(first.value(QLatin1String("id")).toInteger(), kiosk, QStringLiteral("visit"), from,
                  from == state::Rectified ? state::Visited : QString(), QStringLiteral("追评（%1）").arg(result), data,
                  nowMs, error);
}

bool CaseFiles::open(qint64 evaluationId, const QJsonObject &e, const QString &hallCode, qint64 nowMs, QString *error)
{
    const QString projectNo = e.value(QLatin1String("projectNo")).toString();
    const int serviceNumber = e.value(QLatin1String("serviceNumber")).toInt();
    QSqlQuery c(m_db);
    c.prepare(QStringLiteral("SELECT payload FROM cases WHERE project_no = ? AND service_number = ?"));
    c.addBindValue(projectNo);
    c.addBindValue(serviceNumber);
    if (!c.exec())
        return fail(c, error);
    const QJsonObject caseObject = c.next() ? parse(c.value(0)) : QJsonObject();
    c.finish();
    auto field = [&](const char *name) {
        const QString v = e.value(QLatin1String(name)).toString();
        return v.isEmpty() ? caseObject.value(QLatin1String(name)).toString() : v;
    };
    const QString ratingTime = e.value(QLatin1String("assessTime")).toString();
    const QDate from = parseCst(ratingTime).date();
    const QString task = caseObject.value(QLatin1String("taskName")).toString();
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("INSERT INTO grievance_files (project_no, service_number, assess_number, hall_code, "
                             "dept_code, dept_name, task_name, evaluation_id, satisfaction, rating_time, clock_from, "
                             "state, stage, due_date, opened_at, updated_at) "
                             "VALUES (?, ?, ?, COALESCE(?, ''), COALESCE(?, ''), COALESCE(?, ''), COALESCE(?, ''), ?, ?, ?, ?, ?, "
                             "'contact', ?, ?, ?) ON CONFLICT DO NOTHING"));
    q.addBindValue(projectNo);
    q.addBindValue(serviceNumber);
    q.addBindValue(e.value(QLatin1String("assessNumber")).toInt());
    q.addBindValue(hallCode.isEmpty() ? caseObject.value(QLatin1String("hallCode")).toString() : hallCode);
    q.addBindValue(field("deptCode"));
    q.addBindValue(caseObject.value(QLatin1String("deptName")).toString());
    q.addBindValue(task.isEmpty() ? caseObject.value(QLatin1String("serviceName")).toString() : task);
    q.addBindValue(evaluationId);
    q.addBindValue(e.value(QLatin1String("satisfaction")).toInt());
    q.addBindValue(ratingTime);
    q.addBindValue(dateString(from));
    q.addBindValue(state::Pending);
    q.addBindValue(dateString(m_calendar.addWorkingDays(from, kContactDays)));
    q.addBindValue(nowMs);
    q.addBindValue(nowMs);
    if (!q.exec())
        return fail(q, error);
    if (q.numRowsAffected() != 1)
        return true; // the same service event rated twice: one file
    QSqlQuery idq(m_db);
    idq.prepare(QStringLiteral("SELECT id FROM grievance_files WHERE project_no = ? AND service_number = ? AND assess_number = ?"));
    idq.addBindValue(projectNo);
    idq.addBindValue(serviceNumber);
    idq.addBindValue(e.value(QLatin1String("assessNumber")).toInt());
    if (!idq.exec() || !idq.next())
        return fail(idq, error);
    const qint64 fileId = idq.value(0).toLongLong();
    idq.finish();
    const Actor hub{QStringLiteral("hub"), QStringLiteral("hub"), {}};
    const QJsonObject opened = file(fileId);
    return record(fileId, hub, QStringLiteral("open"), {}, state::Pending,
                  QStringLiteral("差评建档（%1分）").arg(e.value(QLatin1String("satisfaction")).toInt()),
                  QJsonObject{{QStringLiteral("evaluationId"), evaluationId}}, nowMs, error)
        && setReply(opened, QStringLiteral("pending"), {}, nowMs, error);
}

bool CaseFiles::reopen(const QJsonObject &f, qint64 evaluationId, const QJsonObject &e, qint64 nowMs, QString *error)
{
    const QDate from = parseCst(e.value(QLatin1String("assessTime")).toString()).date();
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("UPDATE grievance_files SET state = ?, stage = 'contact', due_date = ?, clock_from = ?, "
                             "complex = 0, rectified_on = '', reopened = reopened + 1, updated_at = ? WHERE id = ?"));
    q.addBindValue(state::Pending);
    q.addBindValue(dateString(m_calendar.addWorkingDays(from, kContactDays)));
    q.addBindValue(dateString(from));
    q.addBindValue(nowMs);
    q.addBindValue(f.value(QLatin1String("id")).toInteger());
    if (!q.exec())
        return fail(q, error);
    const Actor kiosk{QStringLiteral("kiosk"), QStringLiteral("kiosk"), {}};
    return record(f.value(QLatin1String("id")).toInteger(), kiosk, QStringLiteral("reopen"),
                  f.value(QLatin1String("state")).toString(), state::Pending,
                  QStringLiteral("追评仍为差评（%1分），重新办理").arg(e.value(QLatin1String("satisfaction")).toInt()),
                  QJsonObject{{QStringLiteral("evaluationId"), evaluationId}}, nowMs, error)
        && setReply(f, QStringLiteral("pending"), {}, nowMs, error);
}

bool CaseFiles::setReply(const QJsonObject &f, const QString &status, const QString &reply, qint64 nowMs, QString *error)
{
    // The kiosk's follow-up screen reads the rectifications table: the file is the reply's owner.
    const QString dept = f.value(QLatin1String("deptName")).toString();
    const QString time = status == QLatin1String("done")
        ? QDateTime::fromMSecsSinceEpoch(nowMs, Qt::UTC).toOffsetFromUtc(8 * 3600).toString(Qt::ISODate)
        : QString();
    const QString key = QStringLiteral("%1/%2/%3").arg(f.value(QLatin1String("projectNo")).toString())
                            .arg(f.value(QLatin1String("serviceNumber")).toInteger())
                            .arg(f.value(QLatin1String("assessNumber")).toInteger());
    if (status == QLatin1String("done")
        && !queueUpstream(QStringLiteral("reply"), key,
                          QJsonObject{{QStringLiteral("projectNo"), f.value(QLatin1String("projectNo"))},
                                      {QStringLiteral("serviceNumber"), f.value(QLatin1String("serviceNumber"))},
                                      {QStringLiteral("assessNumber"), f.value(QLatin1String("assessNumber"))},
                                      {QStringLiteral("deptCode"), f.value(QLatin1String("deptCode"))},
                                      {QStringLiteral("deptName"), f.value(QLatin1String("deptName"))},
                                      {QStringLiteral("reply"), reply},
                                      {QStringLiteral("replyTime"), time}},
                          nowMs, error))
        return false;
    return RectificationStore(m_db).upsert(
        QJsonObject{{QStringLiteral("projectNo"), f.value(QLatin1String("projectNo"))},
                    {QStringLiteral("serviceNumber"), f.value(QLatin1String("serviceNumber"))},
                    {QStringLiteral("assessNumber"), f.value(QLatin1String("assessNumber"))},
                    {QStringLiteral("status"), status},
                    {QStringLiteral("reply"), reply.isNull() ? QStringLiteral("") : reply.left(2000)},
                    {QStringLiteral("replyDept"), dept.isEmpty() ? QStringLiteral("") : dept.left(200)},
                    {QStringLiteral("replyTime"), time.isNull() ? QStringLiteral("") : time}},
        error);
}

bool CaseFiles::record(qint64 fileId, const Actor &actor, const QString &action, const QString &fromState,
                       const QString &toState, const QString &text, const QJsonObject &data, qint64 nowMs,
                       QString *error)
{
    if (!toState.isEmpty() && toState != fromState) {
        QSqlQuery u(m_db);
        // Past 已整改 there is no deadline left to run.
        const bool done = toState == state::Visited || toState == state::Closed || toState == state::Rejected;
        u.prepare(done ? QStringLiteral("UPDATE grievance_files SET state = ?, stage = '', due_date = '', updated_at = ? "
                                        "WHERE id = ?")
                       : QStringLiteral("UPDATE grievance_files SET state = ?, updated_at = ? WHERE id = ?"));
        u.addBindValue(toState);
        u.addBindValue(nowMs);
        u.addBindValue(fileId);
        if (!u.exec())
            return fail(u, error);
    }
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("INSERT INTO grievance_events (file_id, at_ms, actor, role, action, from_state, to_state, "
                             "text, data) VALUES (?, ?, COALESCE(?, ''), COALESCE(?, ''), ?, COALESCE(?, ''), COALESCE(?, ''), "
                             "COALESCE(?, ''), ?)"));
    q.addBindValue(fileId);
    q.addBindValue(nowMs);
    q.addBindValue(actor.user);
    q.addBindValue(actor.role);
    q.addBindValue(action);
    q.addBindValue(fromState);
    q.addBindValue(toState.isEmpty() ? fromState : toState);
    q.addBindValue(text.left(kMaxText));
    q.addBindValue(QString::fromUtf8(QJsonDocument(data).toJson(QJsonDocument::Compact)));
    if (!q.exec())
        return fail(q, error);
    qCInfo(lcGrievance).noquote() << "audit: file" << fileId << action << fromState << "->"
                                  << (toState.isEmpty() ? fromState : toState) << "by" << actor.user << actor.role;
    return true;
}

bool CaseFiles::queueUpstream(const QString &kind, const QString &key, const QJsonObject &payload, qint64 nowMs,
                              QString *error)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("INSERT INTO grievance_upstream (kind, record_key, payload, state, created_at, updated_at) "
                             "VALUES (?, ?, ?, 'pending', ?, ?) ON CONFLICT (kind, record_key) DO UPDATE SET "
                             "payload = excluded.payload, state = 'pending', attempts = 0, updated_at = excluded.updated_at"));
    q.addBindValue(kind);
    q.addBindValue(key);
    q.addBindValue(QString::fromUtf8(QJsonDocument(payload).toJson(QJsonDocument::Compact)));
    q.addBindValue(nowMs);
    q.addBindValue(nowMs);
    return q.exec() || fail(q, error);
}

CaseFiles::Outcome CaseFiles::beginStep(qint64 id, const Actor &actor, QJsonObject *f)
{
    if (actor.role == QLatin1String("viewer"))
        return refused(403, QStringLiteral("forbidden"), QStringLiteral("查看权限不能办理差评工单"));
    if (!m_db.transaction())
        return refused(500, QStringLiteral("internal"), m_db.lastError().text());
    // Read inside the transaction; updates are guarded by the state read here, so two hubs (or
    // two clicks) never both take the same step.
    *f = file(id);
    Outcome o;
    if (f->isEmpty() || !maySee(actor, *f))
        o = refused(404, QStringLiteral("not_found"), QStringLiteral("没有该差评工单"));
    else if (!mayAct(actor, *f))
        o = refused(403, QStringLiteral("forbidden"), QStringLiteral("只能办理本部门的差评工单"));
    if (!o.ok())
        m_db.rollback();
    return o;
}

QJsonObject CaseFiles::file(qint64 id)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT %1 FROM grievance_files WHERE id = ?").arg(QLatin1String(kFileColumns)));
    q.addBindValue(id);
    if (!q.exec() || !q.next())
        return {};
    return fileFromQuery(q);
}

QJsonObject CaseFiles::withComputed(QJsonObject f, const QDate &today) const
{
    const QString due = f.value(QLatin1String("dueDate")).toString();
    f.insert(QStringLiteral("overdue"), !due.isEmpty() && dateString(today) > due);
    const QDate from = QDate::fromString(f.value(QLatin1String("clockFrom")).toString(), Qt::ISODate);
    QJsonObject deadlines{
        {QStringLiteral("contact"), dateString(m_calendar.addWorkingDays(from, kContactDays))},
        {QStringLiteral("rectify"), dateString(m_calendar.addWorkingDays(
                                        from, f.value(QLatin1String("complex")).toBool() ? kComplexDays : kSimpleDays))}};
    const QDate rectified = QDate::fromString(f.value(QLatin1String("rectifiedOn")).toString(), Qt::ISODate);
    if (rectified.isValid())
        deadlines.insert(QStringLiteral("visit"), dateString(m_calendar.addWorkingDays(rectified, kVisitDays)));
    f.insert(QStringLiteral("deadlines"), deadlines);
    return f;
}

CaseFiles::Outcome CaseFiles::list(const QJsonObject &filters, const Actor &actor, const QDate &today)
{
    QString sql = QStringLiteral("SELECT %1 FROM grievance_files WHERE 1 = 1").arg(QLatin1String(kFileColumns));
    QVariantList binds;
    auto filter = [&](const char *key, const char *clause) {
        const QString v = filters.value(QLatin1String(key)).toString();
        if (!v.isEmpty()) {
            sql += QLatin1String(clause);
            binds << v;
        }
    };
    filter("state", " AND state = ?");
    filter("dept", " AND dept_code = ?");
    filter("hall", " AND hall_code = ?");
    filter("from", " AND rating_time >= ?");
    if (!filters.value(QLatin1String("to")).toString().isEmpty()) {
        sql += QLatin1String(" AND rating_time < ?");
        binds << dateString(QDate::fromString(filters.value(QLatin1String("to")).toString(), Qt::ISODate).addDays(1));
    }
    if (actor.handler()) {
        sql += QLatin1String(" AND dept_code = ?");
        binds << actor.deptCode;
    }
    if (filters.value(QLatin1String("overdue")).toString() == QLatin1String("1")) {
        sql += QLatin1String(" AND due_date <> '' AND due_date < ?");
        binds << dateString(today);
    }
    sql += QLatin1String(" ORDER BY id DESC LIMIT 1000");
    QSqlQuery q(m_db);
    q.prepare(sql);
    for (const QVariant &b : std::as_const(binds))
        q.addBindValue(b);
    if (!q.exec())
        return refused(500, QStringLiteral("internal"), q.lastError().text());
    QJsonArray files;
    while (q.next()) {
        QJsonObject f = withComputed(fileFromQuery(q), today);
        if (actor.role == QLatin1String("viewer"))
            f.insert(QStringLiteral("projectNo"), masked(f.value(QLatin1String("projectNo")).toString()));
        files.append(f);
    }
    return Outcome{200, {}, {}, QJsonObject{{QStringLiteral("files"), files}, {QStringLiteral("today"), dateString(today)}}};
}

QJsonArray CaseFiles::timeline(qint64 id)
{
    QJsonArray out;
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT id, at_ms, actor, role, action, from_state, to_state, text, data FROM grievance_events "
                             "WHERE file_id = ? ORDER BY id"));
    q.addBindValue(id);
    if (!q.exec())
        return out;
    while (q.next())
        out.append(QJsonObject{{QStringLiteral("id"), q.value(0).toLongLong()},
                               {QStringLiteral("atMs"), q.value(1).toLongLong()},
                               {QStringLiteral("actor"), q.value(2).toString()},
                               {QStringLiteral("role"), q.value(3).toString()},
                               {QStringLiteral("action"), q.value(4).toString()},
                               {QStringLiteral("fromState"), q.value(5).toString()},
                               {QStringLiteral("toState"), q.value(6).toString()},
                               {QStringLiteral("text"), q.value(7).toString()},
                               {QStringLiteral("data"), parse(q.value(8))}});
    return out;
}

CaseFiles::Outcome CaseFiles::detail(qint64 id, const Actor &actor, const QDate &today)
{
    QJsonObject f = file(id);
    if (f.isEmpty() || !maySee(actor, f))
        return refused(404, QStringLiteral("not_found"), QStringLiteral("没有该差评工单"));
    f = withComputed(f, today);
    QJsonObject body{{QStringLiteral("file"), f}, {QStringLiteral("timeline"), timeline(id)}};
    if (actor.role == QLatin1String("viewer")) {
        f.insert(QStringLiteral("projectNo"), masked(f.value(QLatin1String("projectNo")).toString()));
        body.insert(QStringLiteral("file"), f);
    } else {
        // The rating behind the file, with its comment, for the roles that handle 差评.
        QSqlQuery e(m_db);
        e.prepare(QStringLiteral("SELECT payload FROM evaluations WHERE id = ?"));
        e.addBindValue(f.value(QLatin1String("evaluationId")).toInteger());
        if (e.exec() && e.next()) {
            const QJsonObject p = parse(e.value(0));
            body.insert(QStringLiteral("evaluation"),
                        QJsonObject{{QStringLiteral("satisfaction"), p.value(QLatin1String("satisfaction"))},
                                    {QStringLiteral("evalDetail"), p.value(QLatin1String("evalDetail"))},
                                    {QStringLiteral("evalDetailText"), reasonTexts(m_db, p.value(QLatin1String("evalDetail")).toString())},
                                    {QStringLiteral("writingEvaluation"), p.value(QLatin1String("writingEvaluation"))},
                                    {QStringLiteral("assessTime"), p.value(QLatin1String("assessTime"))},
                                    {QStringLiteral("pf"), p.value(QLatin1String("pf"))},
                                    {QStringLiteral("userNameMasked"), p.value(QLatin1String("userNameMasked"))}});
        }
    }
    return Outcome{200, {}, {}, body};
}

QJsonArray CaseFiles::overdueAlerts(const QDate &today)
{
    QJsonArray out;
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT %1 FROM grievance_files WHERE due_date <> '' AND due_date < ? ORDER BY due_date, id")
                  .arg(QLatin1String(kFileColumns)));
    q.addBindValue(dateString(today));
    if (!q.exec())
        return out;
    static const QHash<QString, QString> stages{{QStringLiteral("contact"), QStringLiteral("联系群众")},
                                                {QStringLiteral("rectify"), QStringLiteral("整改答复")},
                                                {QStringLiteral("visit"), QStringLiteral("回访")}};
    while (q.next()) {
        const QJsonObject f = fileFromQuery(q);
        const QString name = f.value(QLatin1String("deptName")).toString();
        out.append(QJsonObject{
            {QStringLiteral("id"), 0},
            {QStringLiteral("atMs"), f.value(QLatin1String("updatedAtMs"))},
            {QStringLiteral("severity"), QStringLiteral("warning")},
            {QStringLiteral("kind"), QStringLiteral("grievance_overdue")},
            {QStringLiteral("fileId"), f.value(QLatin1String("id"))},
            {QStringLiteral("deptCode"), f.value(QLatin1String("deptCode"))},
            {QStringLiteral("dueDate"), f.value(QLatin1String("dueDate"))},
            {QStringLiteral("message"),
             QStringLiteral("差评工单 %1（%2）%3已超期：期限 %4，当前状态 %5")
                 .arg(QString::number(f.value(QLatin1String("id")).toInteger()),
                      name.isEmpty() ? f.value(QLatin1String("deptCode")).toString() : name,
                      stages.value(f.value(QLatin1String("stage")).toString()),
                      f.value(QLatin1String("dueDate")).toString(), f.value(QLatin1String("state")).toString())}});
    }
    return out;
}

} // namespace hcp::sync::hub::grievance

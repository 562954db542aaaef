// SPDX-License-Identifier: Apache-2.0
#include "followups.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QUrl>
#include <QUrlQuery>

namespace hcp::sync::hub::grievance {

namespace {

QJsonObject followUpFromQuery(const QSqlQuery &q)
{
    return QJsonObject{{QStringLiteral("id"), q.value(0).toLongLong()},
                       {QStringLiteral("fileId"), q.value(1).toLongLong()},
                       {QStringLiteral("method"), q.value(2).toString()},
                       {QStringLiteral("visitDate"), q.value(3).toString()},
                       {QStringLiteral("actor"), q.value(4).toString()},
                       {QStringLiteral("result"), q.value(5).toString()},
                       {QStringLiteral("note"), q.value(6).toString()},
                       {QStringLiteral("evaluationId"), q.value(7).isNull() ? QJsonValue() : QJsonValue(q.value(7).toLongLong())},
                       {QStringLiteral("createdAtMs"), q.value(8).toLongLong()}};
}

const char kColumns[] = "f.id, f.file_id, f.method, f.visit_date, f.actor, f.result, f.note, f.evaluation_id, f.created_at";

} // namespace

CaseFiles::Outcome FollowUps::add(qint64 fileId, const QJsonObject &body, const CaseFiles::Actor &actor, qint64 nowMs)
{
    static const QStringList methods{QStringLiteral("电话"), QStringLiteral("短信"), QStringLiteral("现场")};
    static const QStringList results{QStringLiteral("满意"), QStringLiteral("基本满意"), QStringLiteral("不满意"),
                                     QStringLiteral("未联系上")};
    const QString method = body.value(QLatin1String("method")).toString();
    const QString result = body.value(QLatin1String("result")).toString();
    const QDate date = QDate::fromString(body.value(QLatin1String("visitDate")).toString(), Qt::ISODate);
    const QDate today = CaseFiles::todayCst();
    if (!methods.contains(method))
        return CaseFiles::refused(400, QStringLiteral("bad_request"), QStringLiteral("回访方式须为电话、短信或现场（追评由评价终端自动记录）"));
    if (!results.contains(result))
        return CaseFiles::refused(400, QStringLiteral("bad_request"), QStringLiteral("回访结果须为满意、基本满意、不满意或未联系上"));
    if (!date.isValid() || date > today)
        return CaseFiles::refused(400, QStringLiteral("bad_request"), QStringLiteral("回访日期须为今天或以前的日期（yyyy-MM-dd）"));
    QJsonObject f;
    if (CaseFiles::Outcome o = m_files.beginStep(fileId, actor, &f); !o.ok())
        return o;
    QSqlDatabase &db = m_files.database();
    auto rollback = [&db](CaseFiles::Outcome o) {
        db.rollback();
        return o;
    };
    const QString from = f.value(QLatin1String("state")).toString();
    if (from != state::Rectified && from != state::Visited && from != state::Closed)
        return rollback(CaseFiles::refused(409, QStringLiteral("illegal_transition"),
                               QStringLiteral("当前状态“%1”不能登记回访：须先整改答复").arg(from)));
    const QString due = f.value(QLatin1String("dueDate")).toString();
    if (!due.isEmpty() && today.toString(Qt::ISODate) > due)
        return rollback(CaseFiles::refused(409, QStringLiteral("explanation_required"),
                               QStringLiteral("已超过回访期限（%1），须先填写书面说明并设定新的期限").arg(due)));
    QSqlQuery q(db);
    q.prepare(QStringLiteral("INSERT INTO grievance_followups (file_id, method, visit_date, actor, result, note, created_at) "
                             "VALUES (?, ?, ?, ?, ?, COALESCE(?, ''), ?)"));
    q.addBindValue(fileId);
    q.addBindValue(method);
    q.addBindValue(date.toString(Qt::ISODate));
    q.addBindValue(actor.user);
    q.addBindValue(result);
    q.addBindValue(body.value(QLatin1String("note")).toString().left(2000));
    q.addBindValue(nowMs);
    if (!q.exec())
        return rollback(CaseFiles::refused(500, QStringLiteral("internal"), q.lastError().text()));
    const bool reached = result != QStringLiteral("未联系上");
    QString why;
    if (!m_files.record(fileId, actor, QStringLiteral("visit"), from,
                        reached && from == state::Rectified ? state::Visited : QString(),
                        QStringLiteral("%1回访（%2）%3").arg(method, result, body.value(QLatin1String("note")).toString()),
                        QJsonObject{{QStringLiteral("method"), method}, {QStringLiteral("result"), result},
                                    {QStringLiteral("visitDate"), date.toString(Qt::ISODate)}},
                        nowMs, &why))
        return rollback(CaseFiles::refused(500, QStringLiteral("internal"), why));
    if (!db.commit())
        return rollback(CaseFiles::refused(500, QStringLiteral("internal"), db.lastError().text()));
    return CaseFiles::Outcome{201, {}, {}, QJsonObject{{QStringLiteral("followUps"), list(fileId)},
                                                       {QStringLiteral("file"), m_files.file(fileId)}}};
}

QJsonArray FollowUps::list(qint64 fileId)
{
    QJsonArray out;
    QSqlQuery q(m_files.database());
    q.prepare(QStringLiteral("SELECT %1 FROM grievance_followups f WHERE f.file_id = ? ORDER BY f.id").arg(QLatin1String(kColumns)));
    q.addBindValue(fileId);
    if (q.exec())
        while (q.next())
            out.append(followUpFromQuery(q));
    return out;
}

CaseFiles::Outcome FollowUps::log(const CaseFiles::Actor &actor, const QUrlQuery &query, int limit)
{
    static const QStringList methods{QStringLiteral("电话"), QStringLiteral("短信"), QStringLiteral("现场"), QStringLiteral("追评")};
    static const QStringList results{QStringLiteral("满意"), QStringLiteral("基本满意"), QStringLiteral("不满意"),
                                     QStringLiteral("未联系上")};
    const auto item = [&query](const char *key) { return query.queryItemValue(QLatin1String(key), QUrl::FullyDecoded).trimmed(); };
    QString dept = item("dept");
    const QString from = item("from"), to = item("to"), result = item("result"), method = item("method");
    if (actor.handler()) {
        // A handler sees its own department only; asking for another one is refused, not emptied.
        if (!dept.isEmpty() && dept != actor.deptCode)
            return CaseFiles::refused(403, QStringLiteral("forbidden"), QStringLiteral("只能查看本部门的回访记录"));
        dept = actor.deptCode.isEmpty() ? QStringLiteral("-") : actor.deptCode; // without a department: none
    }
    for (const QString &d : {from, to})
        if (!d.isEmpty() && !QDate::fromString(d, Qt::ISODate).isValid())
            return CaseFiles::refused(400, QStringLiteral("bad_request"), QStringLiteral("回访日期须为 yyyy-MM-dd"));
    if (!from.isEmpty() && !to.isEmpty() && from > to)
        return CaseFiles::refused(400, QStringLiteral("bad_request"), QStringLiteral("回访起始日期不能晚于截止日期"));
    if (!result.isEmpty() && !results.contains(result))
        return CaseFiles::refused(400, QStringLiteral("bad_request"), QStringLiteral("回访结果须为满意、基本满意、不满意或未联系上"));
    if (!method.isEmpty() && !methods.contains(method))
        return CaseFiles::refused(400, QStringLiteral("bad_request"), QStringLiteral("回访方式须为电话、短信、现场或追评"));
    QSqlQuery q(m_files.database());
    q.prepare(QStringLiteral("SELECT %1, g.dept_code, g.dept_name, g.project_no, g.state FROM grievance_followups f "
                             "JOIN grievance_files g ON g.id = f.file_id "
                             "WHERE (? = '' OR g.dept_code = ?) AND (? = '' OR f.visit_date >= ?) AND (? = '' OR f.visit_date <= ?) "
                             "AND (? = '' OR f.result = ?) AND (? = '' OR f.method = ?) ORDER BY f.id DESC LIMIT ?")
                  .arg(QLatin1String(kColumns)));
    for (const QString &v : {dept, from, to, result, method}) {
        const QString bound = v.isEmpty() ? QStringLiteral("") : v; // a null string would bind NULL, and NULL = '' is not true
        q.addBindValue(bound);
        q.addBindValue(bound);
    }
    q.addBindValue(limit);
    if (!q.exec())
        return CaseFiles::refused(500, QStringLiteral("internal"), q.lastError().text());
    QJsonArray out;
    const bool viewer = !actor.handler() && !actor.county();
    while (q.next()) {
        QJsonObject f = followUpFromQuery(q);
        f.insert(QStringLiteral("deptCode"), q.value(9).toString());
        f.insert(QStringLiteral("deptName"), q.value(10).toString());
        f.insert(QStringLiteral("projectNo"), viewer ? CaseFiles::masked(q.value(11).toString()) : q.value(11).toString());
        f.insert(QStringLiteral("fileState"), q.value(12).toString());
        out.append(f);
    }
    return CaseFiles::Outcome{200, {}, {}, QJsonObject{{QStringLiteral("followUps"), out}}};
}

QHash<qint64, QString> FollowUps::latestReached(QSqlDatabase &db, QString *error)
{
    // id order = entry order: the last row read per file wins.
    QHash<qint64, QString> latest;
    QSqlQuery v(db);
    if (!v.exec(QStringLiteral("SELECT file_id, result FROM grievance_followups WHERE result <> '未联系上' ORDER BY id"))) {
        if (error)
            *error = v.lastError().text();
        return latest;
    }
    while (v.next())
        latest.insert(v.value(0).toLongLong(), v.value(1).toString());
    return latest;
}

bool FollowUps::satisfied(const QString &result)
{
    return result == QStringLiteral("满意") || result == QStringLiteral("基本满意");
}

CaseFiles::Outcome FollowUps::rates(const CaseFiles::Actor &actor)
{
    struct Acc
    {
        QString name;
        qint64 rectified = 0, visited = 0, satisfied = 0;
    };
    QHash<QString, Acc> depts;
    Acc all;
    QString error;
    const QHash<qint64, QString> latest = latestReached(m_files.database(), &error);
    if (!error.isEmpty())
        return CaseFiles::refused(500, QStringLiteral("internal"), error);
    QSqlQuery q(m_files.database());
    q.prepare(QStringLiteral("SELECT id, dept_code, dept_name FROM grievance_files WHERE state IN (?, ?, ?) "
                             "AND (? = '' OR dept_code = ?)"));
    q.addBindValue(state::Rectified);
    q.addBindValue(state::Visited);
    q.addBindValue(state::Closed);
    const QString dept = actor.handler() ? (actor.deptCode.isEmpty() ? QStringLiteral("-") : actor.deptCode)
                                         : QStringLiteral("");
    q.addBindValue(dept);
    q.addBindValue(dept);
    if (!q.exec())
        return CaseFiles::refused(500, QStringLiteral("internal"), q.lastError().text());
    while (q.next()) {
        Acc &d = depts[q.value(1).toString()];
        if (d.name.isEmpty())
            d.name = q.value(2).toString();
        for (Acc *a : {&d, &all}) {
            ++a->rectified;
            if (latest.contains(q.value(0).toLongLong())) {
                ++a->visited;
                const QString r = latest.value(q.value(0).toLongLong());
                a->satisfied += satisfied(r) ? 1 : 0;
            }
        }
    }
    auto row = [](const QString &key, const Acc &a) {
        return QJsonObject{{QStringLiteral("deptCode"), key},
                           {QStringLiteral("deptName"), a.name},
                           {QStringLiteral("rectified"), a.rectified},
                           {QStringLiteral("visited"), a.visited},
                           {QStringLiteral("satisfied"), a.satisfied},
                           {QStringLiteral("visitRate"), a.rectified ? double(a.visited) / a.rectified : 0.0},
                           {QStringLiteral("visitSatisfactionRate"), a.visited ? double(a.satisfied) / a.visited : 0.0}};
    };
    QStringList keys = depts.keys();
    keys.sort();
    QJsonArray rows;
    for (const QString &k : std::as_const(keys))
        rows.append(row(k, depts.value(k)));
    return CaseFiles::Outcome{200, {}, {}, QJsonObject{{QStringLiteral("departments"), rows},
                                                       {QStringLiteral("overall"), row(QStringLiteral("*"), all)}}};
}

} // namespace hcp::sync::hub::grievance

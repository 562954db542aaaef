// SPDX-License-Identifier: Apache-2.0
// The workflow steps of a 差评工单 (CaseFiles::act): who may take which step from which state,
// the deadline gate (书面说明 + new due date once a deadline is missed) and the reply to the kiosk.
#include "casefiles.h"

#include "workcalendar.h"

#include <QSqlError>
#include <QSqlQuery>

namespace hcp::sync::hub::grievance {

namespace {

struct Step
{
    QStringList from;
    QString to;       // empty: the state does not change
    QString textName; // the text the step requires (empty: optional)
};

const QHash<QString, Step> &steps()
{
    static const QHash<QString, Step> s{
        {QStringLiteral("verify"), {{state::Pending, state::Transferred}, state::Verifying, QStringLiteral("核实情况")}},
        {QStringLiteral("rectify"), {{state::Verifying}, state::Rectifying, QStringLiteral("整改措施")}},
        {QStringLiteral("answer"), {{state::Rectifying}, state::Rectified, QStringLiteral("答复内容")}},
        {QStringLiteral("close"), {{state::Visited}, state::Closed, {}}},
        {QStringLiteral("transfer"),
         {{state::Pending, state::Verifying, state::Rectifying, state::Transferred}, state::Transferred,
          QStringLiteral("转办理由")}},
        {QStringLiteral("reassign"),
         {{state::Pending, state::Verifying, state::Rectifying, state::Rectified, state::Visited, state::Transferred},
          {}, {}}},
        {QStringLiteral("extend"),
         {{state::Pending, state::Verifying, state::Rectifying, state::Rectified, state::Transferred}, {},
          QStringLiteral("书面说明")}},
    };
    return s;
}

} // namespace

CaseFiles::Outcome CaseFiles::act(qint64 id, const QString &action, const QJsonObject &body, const Actor &actor,
                                  qint64 nowMs)
{
    const auto step = steps().constFind(action);
    if (step == steps().cend())
        return refused(400, QStringLiteral("bad_request"), QStringLiteral("未知的操作：%1").arg(action));
    QJsonObject f;
    if (Outcome o = beginStep(id, actor, &f); !o.ok())
        return o;
    auto rollback = [this](Outcome o) {
        m_db.rollback();
        return o;
    };
    if (action == QLatin1String("reassign") && !actor.county())
        return rollback(refused(403, QStringLiteral("forbidden"), QStringLiteral("改派需要运维或管理员权限")));
    const QString from = f.value(QLatin1String("state")).toString();
    if (!step->from.contains(from))
        return rollback(refused(409, QStringLiteral("illegal_transition"),
                               QStringLiteral("当前状态“%1”不能执行该操作（%2）").arg(from, action)));
    const QString text = body.value(QLatin1String("text")).toString().trimmed();
    if (!step->textName.isEmpty() && text.isEmpty())
        return rollback(refused(400, QStringLiteral("bad_request"), QStringLiteral("请填写%1").arg(step->textName)));
    const QDate today = todayCst();
    const QString todayText = today.toString(Qt::ISODate);
    const QString due = f.value(QLatin1String("dueDate")).toString();
    const bool overdue = !due.isEmpty() && todayText > due;
    QJsonObject data;
    QString sql;
    QVariantList binds;
    QString toState = step->to;
    QString reply;
    if (action == QLatin1String("extend")) {
        if (!overdue)
            return rollback(refused(409, QStringLiteral("not_overdue"), QStringLiteral("尚未超过办理期限，无需书面说明")));
        const QDate newDue = QDate::fromString(body.value(QLatin1String("newDueDate")).toString(), Qt::ISODate);
        if (!newDue.isValid() || newDue <= today)
            return rollback(refused(400, QStringLiteral("bad_request"), QStringLiteral("新的期限须为今天以后的日期（yyyy-MM-dd）")));
        sql = QStringLiteral("UPDATE grievance_files SET due_date = ?, updated_at = ? WHERE id = ? AND state = ?");
        binds << newDue.toString(Qt::ISODate);
        data.insert(QStringLiteral("previousDueDate"), due);
        data.insert(QStringLiteral("newDueDate"), newDue.toString(Qt::ISODate));
    } else if (action == QLatin1String("reassign") || action == QLatin1String("transfer")) {
        const QString dept = body.value(QLatin1String("deptCode")).toString().trimmed();
        if (dept.isEmpty() || dept.size() > 64 || dept == f.value(QLatin1String("deptCode")).toString())
            return rollback(refused(400, QStringLiteral("bad_request"), QStringLiteral("请选择另一个部门（deptCode）")));
        if (action == QLatin1String("transfer") && overdue)
            return rollback(refused(409, QStringLiteral("explanation_required"),
                                   QStringLiteral("已超过办理期限（%1），须先填写书面说明并设定新的期限").arg(due)));
        const QString deptName = body.value(QLatin1String("deptName")).toString().trimmed().left(200);
        sql = QStringLiteral("UPDATE grievance_files SET dept_code = ?, dept_name = COALESCE(?, ''), updated_at = ? "
                             "WHERE id = ? AND state = ?");
        binds << dept << deptName;
        data.insert(QStringLiteral("fromDept"), f.value(QLatin1String("deptCode")));
        data.insert(QStringLiteral("toDept"), dept);
    } else {
        if (overdue)
            return rollback(refused(409, QStringLiteral("explanation_required"),
                                   QStringLiteral("已超过办理期限（%1），须先填写书面说明并设定新的期限").arg(due)));
        const QDate clock = QDate::fromString(f.value(QLatin1String("clockFrom")).toString(), Qt::ISODate);
        bool complex = f.value(QLatin1String("complex")).toBool();
        if (body.value(QLatin1String("complex")).isBool() && (action == QLatin1String("verify") || action == QLatin1String("rectify")))
            complex = body.value(QLatin1String("complex")).toBool();
        data.insert(QStringLiteral("complex"), complex);
        QString stage, newDue, rectifiedOn = f.value(QLatin1String("rectifiedOn")).toString();
        if (action == QLatin1String("verify") || action == QLatin1String("rectify")) {
            stage = QStringLiteral("rectify");
            newDue = m_calendar.addWorkingDays(clock, complex ? deadline::Complex : deadline::Simple).toString(Qt::ISODate);
        } else if (action == QLatin1String("answer")) {
            stage = QStringLiteral("visit");
            rectifiedOn = todayText;
            newDue = m_calendar.addWorkingDays(today, deadline::Visit).toString(Qt::ISODate);
            reply = text;
        }
        sql = QStringLiteral("UPDATE grievance_files SET complex = ?, stage = COALESCE(?, ''), due_date = COALESCE(?, ''), "
                             "rectified_on = COALESCE(?, ''), "
                             "updated_at = ? WHERE id = ? AND state = ?");
        binds << (complex ? 1 : 0) << stage << newDue << rectifiedOn;
        if (!newDue.isEmpty())
            data.insert(QStringLiteral("dueDate"), newDue);
    }
    QSqlQuery u(m_db);
    u.prepare(sql);
    for (const QVariant &b : std::as_const(binds))
        u.addBindValue(b);
    u.addBindValue(nowMs);
    u.addBindValue(id);
    u.addBindValue(from);
    if (!u.exec())
        return rollback(refused(500, QStringLiteral("internal"), u.lastError().text()));
    if (u.numRowsAffected() != 1)
        return rollback(refused(409, QStringLiteral("illegal_transition"), QStringLiteral("工单已被他人更新，请刷新后重试")));
    QString why;
    if (!record(id, actor, action, from, toState, text, data, nowMs, &why))
        return rollback(refused(500, QStringLiteral("internal"), why));
    if (action == QLatin1String("verify") && !setReply(file(id), QStringLiteral("in_progress"), {}, nowMs, &why))
        return rollback(refused(500, QStringLiteral("internal"), why));
    if (action == QLatin1String("answer") && !setReply(file(id), QStringLiteral("done"), reply, nowMs, &why))
        return rollback(refused(500, QStringLiteral("internal"), why));
    if (!m_db.commit())
        return rollback(refused(500, QStringLiteral("internal"), m_db.lastError().text()));
    // A handler who sent the file to another department no longer sees its detail.
    const QJsonObject after = file(id);
    if (!maySee(actor, after))
        return Outcome{200, {}, {}, QJsonObject{{QStringLiteral("file"), withComputed(after, today)}}};
    return detail(id, actor, today);
}

} // namespace hcp::sync::hub::grievance

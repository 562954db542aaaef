// SPDX-License-Identifier: Apache-2.0
#include "appeals.h"

#include <QCryptographicHash>
#include <QSqlError>
#include <QSqlQuery>

namespace hcp::sync::hub::grievance {

namespace {

const QString kPending = QStringLiteral("待复核");
const QString kUphold = QStringLiteral("维持");
const QString kReject = QStringLiteral("不予采纳");

const char kColumns[] = "a.id, a.file_id, a.appellant, a.reason, a.state, a.reviewer, a.decision_reason, a.filed_at, "
                        "a.decided_at, g.dept_code, g.project_no";

QJsonObject appealFromQuery(const QSqlQuery &q)
{
    return QJsonObject{{QStringLiteral("id"), q.value(0).toLongLong()},
                       {QStringLiteral("fileId"), q.value(1).toLongLong()},
                       {QStringLiteral("appellant"), q.value(2).toString()},
                       {QStringLiteral("reason"), q.value(3).toString()},
                       {QStringLiteral("state"), q.value(4).toString()},
                       {QStringLiteral("reviewer"), q.value(5).toString()},
                       {QStringLiteral("decisionReason"), q.value(6).toString()},
                       {QStringLiteral("filedAtMs"), q.value(7).toLongLong()},
                       {QStringLiteral("decidedAtMs"), q.value(8).isNull() ? QJsonValue() : QJsonValue(q.value(8).toLongLong())},
                       {QStringLiteral("deptCode"), q.value(9).toString()},
                       {QStringLiteral("projectNo"), q.value(10).toString()}};
}

} // namespace

QString Appeals::sniff(const QByteArray &data)
{
    if (data.startsWith("%PDF-"))
        return QStringLiteral("application/pdf");
    if (data.startsWith("\xFF\xD8\xFF"))
        return QStringLiteral("image/jpeg");
    if (data.startsWith("\x89PNG\r\n\x1A\n"))
        return QStringLiteral("image/png");
    return {};
}

QJsonObject Appeals::appeal(qint64 id)
{
    QSqlQuery q(m_files.database());
    q.prepare(QStringLiteral("SELECT %1 FROM grievance_appeals a JOIN grievance_files g ON g.id = a.file_id WHERE a.id = ?")
                  .arg(QLatin1String(kColumns)));
    q.addBindValue(id);
    if (!q.exec() || !q.next())
        return {};
    QJsonObject a = appealFromQuery(q);
    QJsonArray attachments;
    QSqlQuery at(m_files.database());
    at.prepare(QStringLiteral("SELECT id, file_name, mime, size, sha256, uploaded_by, created_at FROM grievance_attachments "
                              "WHERE appeal_id = ? ORDER BY id"));
    at.addBindValue(id);
    if (at.exec())
        while (at.next())
            attachments.append(QJsonObject{{QStringLiteral("id"), at.value(0).toLongLong()},
                                           {QStringLiteral("fileName"), at.value(1).toString()},
                                           {QStringLiteral("mime"), at.value(2).toString()},
                                           {QStringLiteral("size"), at.value(3).toLongLong()},
                                           {QStringLiteral("sha256"), at.value(4).toString()},
                                           {QStringLiteral("uploadedBy"), at.value(5).toString()},
                                           {QStringLiteral("createdAtMs"), at.value(6).toLongLong()}});
    a.insert(QStringLiteral("attachments"), attachments);
    return a;
}

CaseFiles::Outcome Appeals::file(qint64 fileId, const QJsonObject &body, const CaseFiles::Actor &actor, qint64 nowMs)
{
    const QString reason = body.value(QLatin1String("reason")).toString().trimmed();
    if (reason.isEmpty() || reason.size() > 4000)
        return CaseFiles::refused(400, QStringLiteral("bad_request"), QStringLiteral("请填写申诉理由（不超过4000字）"));
    QJsonObject f;
    if (CaseFiles::Outcome o = m_files.beginStep(fileId, actor, &f); !o.ok())
        return o;
    QSqlDatabase &db = m_files.database();
    auto rollback = [&db](CaseFiles::Outcome o) {
        db.rollback();
        return o;
    };
    const QString from = f.value(QLatin1String("state")).toString();
    if (from == state::Rejected)
        return rollback(CaseFiles::refused(409, QStringLiteral("illegal_transition"), QStringLiteral("该差评已不予采纳")));
    QSqlQuery open(db);
    open.prepare(QStringLiteral("SELECT COUNT(*) FROM grievance_appeals WHERE file_id = ? AND state = ?"));
    open.addBindValue(fileId);
    open.addBindValue(kPending);
    if (!open.exec() || !open.next())
        return rollback(CaseFiles::refused(500, QStringLiteral("internal"), open.lastError().text()));
    if (open.value(0).toLongLong() > 0)
        return rollback(CaseFiles::refused(409, QStringLiteral("appeal_pending"), QStringLiteral("该工单已有待复核的申诉")));
    open.finish();
    QSqlQuery q(db);
    q.prepare(QStringLiteral("INSERT INTO grievance_appeals (file_id, appellant, reason, state, filed_at) "
                             "VALUES (?, ?, ?, ?, ?) RETURNING id"));
    q.addBindValue(fileId);
    q.addBindValue(actor.user);
    q.addBindValue(reason);
    q.addBindValue(kPending);
    q.addBindValue(nowMs);
    if (!q.exec() || !q.next())
        return rollback(CaseFiles::refused(500, QStringLiteral("internal"), q.lastError().text()));
    const qint64 id = q.value(0).toLongLong();
    q.finish();
    QString why;
    if (!m_files.record(fileId, actor, QStringLiteral("appeal"), from, {}, reason,
                        QJsonObject{{QStringLiteral("appealId"), id}}, nowMs, &why))
        return rollback(CaseFiles::refused(500, QStringLiteral("internal"), why));
    if (!db.commit())
        return rollback(CaseFiles::refused(500, QStringLiteral("internal"), db.lastError().text()));
    return CaseFiles::Outcome{201, {}, {}, appeal(id)};
}

CaseFiles::Outcome Appeals::attach(qint64 appealId, const QString &fileName, const QByteArray &data,
                                   const CaseFiles::Actor &actor, qint64 nowMs)
{
    const QJsonObject a = appeal(appealId);
    const QJsonObject f = a.isEmpty() ? QJsonObject() : m_files.file(a.value(QLatin1String("fileId")).toInteger());
    if (a.isEmpty() || !CaseFiles::maySee(actor, f))
        return CaseFiles::refused(404, QStringLiteral("not_found"), QStringLiteral("没有该申诉"));
    if (!CaseFiles::mayAct(actor, f))
        return CaseFiles::refused(403, QStringLiteral("forbidden"), QStringLiteral("只能为本部门的申诉上传材料"));
    if (a.value(QLatin1String("state")).toString() != kPending)
        return CaseFiles::refused(409, QStringLiteral("illegal_transition"), QStringLiteral("申诉已复核，不能再上传材料"));
    if (data.size() > kMaxAttachmentBytes)
        return CaseFiles::refused(413, QStringLiteral("too_large"),
                                  QStringLiteral("附件超过 %1 MB").arg(kMaxAttachmentBytes / (1024 * 1024)));
    const QString mime = sniff(data);
    if (mime.isEmpty())
        return CaseFiles::refused(415, QStringLiteral("unsupported_type"), QStringLiteral("附件须为 PDF、JPEG 或 PNG 文件"));
    if (a.value(QLatin1String("attachments")).toArray().size() >= kMaxAttachments)
        return CaseFiles::refused(409, QStringLiteral("too_many"), QStringLiteral("每个申诉最多 %1 个附件").arg(kMaxAttachments));
    QString name = fileName.trimmed().left(200);
    name.remove(QLatin1Char('/')).remove(QLatin1Char('\\'));
    if (name.isEmpty())
        name = QStringLiteral("附件");
    QSqlQuery q(m_files.database());
    q.prepare(QStringLiteral("INSERT INTO grievance_attachments (appeal_id, file_name, mime, size, sha256, data, uploaded_by, "
                             "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
    q.addBindValue(appealId);
    q.addBindValue(name);
    q.addBindValue(mime);
    q.addBindValue(qint64(data.size()));
    q.addBindValue(QString::fromLatin1(QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex()));
    q.addBindValue(data);
    q.addBindValue(actor.user);
    q.addBindValue(nowMs);
    if (!q.exec())
        return CaseFiles::refused(500, QStringLiteral("internal"), q.lastError().text());
    return CaseFiles::Outcome{201, {}, {}, appeal(appealId)};
}

bool Appeals::attachment(qint64 id, const CaseFiles::Actor &actor, QByteArray *data, QString *mime, QString *name)
{
    QSqlQuery q(m_files.database());
    q.prepare(QStringLiteral("SELECT t.data, t.mime, t.file_name, a.file_id FROM grievance_attachments t "
                             "JOIN grievance_appeals a ON a.id = t.appeal_id WHERE t.id = ?"));
    q.addBindValue(id);
    if (!q.exec() || !q.next() || actor.role == QLatin1String("viewer"))
        return false;
    if (!CaseFiles::maySee(actor, m_files.file(q.value(3).toLongLong())))
        return false;
    *data = q.value(0).toByteArray();
    *mime = q.value(1).toString();
    *name = q.value(2).toString();
    return true;
}

CaseFiles::Outcome Appeals::decide(qint64 appealId, const QJsonObject &body, const CaseFiles::Actor &actor, qint64 nowMs)
{
    const QString decision = body.value(QLatin1String("decision")).toString();
    const QString reason = body.value(QLatin1String("reason")).toString().trimmed();
    if (!actor.county())
        return CaseFiles::refused(403, QStringLiteral("forbidden"), QStringLiteral("申诉复核需要运维或管理员权限"));
    if ((decision != kUphold && decision != kReject) || reason.isEmpty())
        return CaseFiles::refused(400, QStringLiteral("bad_request"), QStringLiteral("复核结论须为维持或不予采纳，并填写理由"));
    QSqlDatabase &db = m_files.database();
    if (!db.transaction())
        return CaseFiles::refused(500, QStringLiteral("internal"), db.lastError().text());
    auto rollback = [&db](CaseFiles::Outcome o) {
        db.rollback();
        return o;
    };
    const QJsonObject a = appeal(appealId);
    if (a.isEmpty())
        return rollback(CaseFiles::refused(404, QStringLiteral("not_found"), QStringLiteral("没有该申诉")));
    if (a.value(QLatin1String("appellant")).toString() == actor.user)
        return rollback(CaseFiles::refused(409, QStringLiteral("reviewer_is_appellant"), QStringLiteral("复核人不能是申诉人")));
    QSqlQuery u(db);
    u.prepare(QStringLiteral("UPDATE grievance_appeals SET state = ?, reviewer = ?, decision_reason = ?, decided_at = ? "
                             "WHERE id = ? AND state = ?"));
    u.addBindValue(decision);
    u.addBindValue(actor.user);
    u.addBindValue(reason.left(4000));
    u.addBindValue(nowMs);
    u.addBindValue(appealId);
    u.addBindValue(kPending);
    if (!u.exec())
        return rollback(CaseFiles::refused(500, QStringLiteral("internal"), u.lastError().text()));
    if (u.numRowsAffected() != 1)
        return rollback(CaseFiles::refused(409, QStringLiteral("illegal_transition"), QStringLiteral("该申诉已复核")));
    const qint64 fileId = a.value(QLatin1String("fileId")).toInteger();
    const QJsonObject f = m_files.file(fileId);
    const QString from = f.value(QLatin1String("state")).toString();
    QString why;
    if (decision == kReject) {
        // The rating stays stored and the ledger untouched; it is only left out of the 通报.
        QSqlQuery x(db);
        x.prepare(QStringLiteral("INSERT INTO grievance_exclusions (evaluation_id, appeal_id, created_at) VALUES (?, ?, ?) "
                                 "ON CONFLICT DO NOTHING"));
        x.addBindValue(f.value(QLatin1String("evaluationId")).toInteger());
        x.addBindValue(appealId);
        x.addBindValue(nowMs);
        QSqlQuery ex(db);
        ex.prepare(QStringLiteral("UPDATE grievance_files SET excluded = 1 WHERE id = ?"));
        ex.addBindValue(fileId);
        if (!x.exec() || !ex.exec())
            return rollback(CaseFiles::refused(500, QStringLiteral("internal"), x.lastError().text() + ex.lastError().text()));
        const QJsonObject record{{QStringLiteral("appealId"), appealId},
                                 {QStringLiteral("projectNo"), f.value(QLatin1String("projectNo"))},
                                 {QStringLiteral("serviceNumber"), f.value(QLatin1String("serviceNumber"))},
                                 {QStringLiteral("assessNumber"), f.value(QLatin1String("assessNumber"))},
                                 {QStringLiteral("deptCode"), f.value(QLatin1String("deptCode"))},
                                 {QStringLiteral("appealReason"), a.value(QLatin1String("reason"))},
                                 {QStringLiteral("decision"), decision},
                                 {QStringLiteral("decisionReason"), reason},
                                 {QStringLiteral("decidedAtMs"), nowMs}};
        if (!m_files.queueUpstream(QStringLiteral("appeal"), QString::number(appealId), record, nowMs, &why))
            return rollback(CaseFiles::refused(500, QStringLiteral("internal"), why));
    }
    if (!m_files.record(fileId, actor, QStringLiteral("review"), from, decision == kReject ? state::Rejected : QString(),
                        QStringLiteral("申诉复核：%1。%2").arg(decision, reason),
                        QJsonObject{{QStringLiteral("appealId"), appealId}, {QStringLiteral("decision"), decision}}, nowMs,
                        &why))
        return rollback(CaseFiles::refused(500, QStringLiteral("internal"), why));
    if (!db.commit())
        return rollback(CaseFiles::refused(500, QStringLiteral("internal"), db.lastError().text()));
    return CaseFiles::Outcome{200, {}, {}, appeal(appealId)};
}

CaseFiles::Outcome Appeals::queue(const CaseFiles::Actor &actor)
{
    QSqlQuery q(m_files.database());
    q.prepare(QStringLiteral("SELECT %1 FROM grievance_appeals a JOIN grievance_files g ON g.id = a.file_id "
                             "WHERE a.state = ? AND (? = '' OR g.dept_code = ?) ORDER BY a.id")
                  .arg(QLatin1String(kColumns)));
    const QString dept = actor.handler() ? (actor.deptCode.isEmpty() ? QStringLiteral("-") : actor.deptCode)
                                         : QStringLiteral("");
    q.addBindValue(kPending);
    q.addBindValue(dept);
    q.addBindValue(dept);
    if (!q.exec())
        return CaseFiles::refused(500, QStringLiteral("internal"), q.lastError().text());
    QList<qint64> ids;
    while (q.next())
        ids.append(q.value(0).toLongLong());
    q.finish();
    QJsonArray out;
    for (qint64 id : std::as_const(ids)) {
        QJsonObject a = appeal(id);
        if (actor.role == QLatin1String("viewer"))
            a.insert(QStringLiteral("projectNo"), CaseFiles::masked(a.value(QLatin1String("projectNo")).toString()));
        out.append(a);
    }
    return CaseFiles::Outcome{200, {}, {}, QJsonObject{{QStringLiteral("appeals"), out}}};
}

QJsonArray Appeals::ofFile(qint64 fileId)
{
    QSqlQuery q(m_files.database());
    q.prepare(QStringLiteral("SELECT id FROM grievance_appeals WHERE file_id = ? ORDER BY id"));
    q.addBindValue(fileId);
    QList<qint64> ids;
    if (q.exec())
        while (q.next())
            ids.append(q.value(0).toLongLong());
    QJsonArray out;
    for (qint64 id : std::as_const(ids))
        out.append(appeal(id));
    return out;
}

} // namespace hcp::sync::hub::grievance

// SPDX-License-Identifier: Apache-2.0
#include "rectificationstore.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QSqlError>
#include <QSqlQuery>

Q_LOGGING_CATEGORY(lcRectification, "hcp.sync.hub.rectification")

namespace hcp::sync::hub {

namespace {
constexpr int kMaxReplyChars = 2000;
constexpr int kMaxShortChars = 200;

bool isPositiveInt(const QJsonValue &v)
{
    return v.isDouble() && v.toDouble() == double(v.toInteger()) && v.toInteger() >= 1 && v.toInteger() <= 99;
}
} // namespace

RectificationStore::RectificationStore(QSqlDatabase db)
    : m_db(std::move(db))
{
}

bool RectificationStore::ensureSchema(QString *error)
{
    QSqlQuery q(m_db);
    const QString sql = QStringLiteral(
        "CREATE TABLE IF NOT EXISTS rectifications (project_no TEXT NOT NULL, service_number INTEGER NOT NULL, "
        "assess_number INTEGER NOT NULL, status TEXT NOT NULL, reply TEXT NOT NULL, reply_dept TEXT NOT NULL, "
        "reply_time TEXT NOT NULL, updated_at BIGINT NOT NULL, "
        "PRIMARY KEY (project_no, service_number, assess_number))");
    if (!q.exec(sql)) {
        if (error)
            *error = q.lastError().text();
        return false;
    }
    return true;
}

QString RectificationStore::validate(const QJsonObject &r)
{
    const QString projectNo = r.value(QLatin1String("projectNo")).toString();
    if (projectNo.isEmpty() || projectNo.size() > 64)
        return QStringLiteral("projectNo must be a string of 1-64 characters");
    if (!isPositiveInt(r.value(QLatin1String("serviceNumber"))))
        return QStringLiteral("serviceNumber must be an integer 1-99");
    if (!isPositiveInt(r.value(QLatin1String("assessNumber"))))
        return QStringLiteral("assessNumber must be an integer 1-99");
    const QString status = r.value(QLatin1String("status")).toString();
    if (status != QLatin1String("pending") && status != QLatin1String("in_progress") && status != QLatin1String("done"))
        return QStringLiteral("status must be pending, in_progress or done");
    for (const char *k : {"reply", "replyDept", "replyTime"}) {
        const QJsonValue v = r.value(QLatin1String(k));
        if (!v.isUndefined() && !v.isNull() && !v.isString())
            return QStringLiteral("%1 must be a string").arg(QLatin1String(k));
    }
    if (r.value(QLatin1String("reply")).toString().size() > kMaxReplyChars)
        return QStringLiteral("reply is longer than %1 characters").arg(kMaxReplyChars);
    if (r.value(QLatin1String("replyDept")).toString().size() > kMaxShortChars)
        return QStringLiteral("replyDept is longer than %1 characters").arg(kMaxShortChars);
    // replyTime and reply may be missing (the province does not always send them): the kiosk
    // then shows the status alone. A time that is given must be ISO 8601.
    const QString time = r.value(QLatin1String("replyTime")).toString();
    if (!time.isEmpty() && !QDateTime::fromString(time, Qt::ISODate).isValid())
        return QStringLiteral("replyTime must be ISO 8601");
    return {};
}

bool RectificationStore::upsert(const QJsonObject &r, QString *error)
{
    const QString invalid = validate(r);
    if (!invalid.isEmpty()) {
        if (error)
            *error = QStringLiteral("invalid: ") + invalid;
        return false;
    }
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral(
        "INSERT INTO rectifications (project_no, service_number, assess_number, status, reply, reply_dept, "
        "reply_time, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (project_no, service_number, assess_number) DO UPDATE SET status = excluded.status, "
        "reply = excluded.reply, reply_dept = excluded.reply_dept, reply_time = excluded.reply_time, "
        "updated_at = excluded.updated_at"));
    q.addBindValue(r.value(QLatin1String("projectNo")).toString());
    q.addBindValue(int(r.value(QLatin1String("serviceNumber")).toInteger()));
    q.addBindValue(int(r.value(QLatin1String("assessNumber")).toInteger()));
    q.addBindValue(r.value(QLatin1String("status")).toString());
    q.addBindValue(r.value(QLatin1String("reply")).toString());
    q.addBindValue(r.value(QLatin1String("replyDept")).toString());
    q.addBindValue(r.value(QLatin1String("replyTime")).toString());
    q.addBindValue(QDateTime::currentMSecsSinceEpoch());
    if (!q.exec()) {
        if (error)
            *error = q.lastError().text();
        qCWarning(lcRectification) << "upsert failed:" << q.lastError().text();
        return false;
    }
    return true;
}

bool RectificationStore::list(const QString &projectNo, QJsonArray *items, QString *error)
{
    // 追评 already at the hub for this case: serviceNumber → assessTime. The evaluations table
    // keys by project; serviceNumber and assessNumber live in the stored payload.
    QHash<int, QString> followUps;
    QSqlQuery e(m_db);
    e.prepare(QStringLiteral("SELECT payload FROM evaluations WHERE project_no = ?"));
    e.addBindValue(projectNo);
    if (!e.exec()) {
        if (error)
            *error = e.lastError().text();
        return false;
    }
    while (e.next()) {
        const QJsonObject p = QJsonDocument::fromJson(e.value(0).toString().toUtf8()).object();
        if (p.value(QLatin1String("assessNumber")).toInteger() == 2)
            followUps.insert(int(p.value(QLatin1String("serviceNumber")).toInteger()),
                             p.value(QLatin1String("assessTime")).toString());
    }
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT service_number, assess_number, status, reply, reply_dept, reply_time, updated_at "
                             "FROM rectifications WHERE project_no = ? ORDER BY service_number, assess_number"));
    q.addBindValue(projectNo);
    if (!q.exec()) {
        if (error)
            *error = q.lastError().text();
        return false;
    }
    while (q.next()) {
        const int serviceNumber = q.value(0).toInt();
        items->append(QJsonObject{
            {QStringLiteral("projectNo"), projectNo},
            {QStringLiteral("serviceNumber"), serviceNumber},
            {QStringLiteral("assessNumber"), q.value(1).toInt()},
            {QStringLiteral("status"), q.value(2).toString()},
            {QStringLiteral("reply"), q.value(3).toString()},
            {QStringLiteral("replyDept"), q.value(4).toString()},
            {QStringLiteral("replyTime"), q.value(5).toString()},
            {QStringLiteral("updatedAtMs"), q.value(6).toLongLong()},
            {QStringLiteral("followUpRated"), followUps.contains(serviceNumber)},
            {QStringLiteral("followUpAssessTime"), followUps.value(serviceNumber)},
        });
    }
    return true;
}

} // namespace hcp::sync::hub

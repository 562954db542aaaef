// SPDX-License-Identifier: Apache-2.0
#include "auditlog.h"

#include "outbox.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>

Q_LOGGING_CATEGORY(lcAudit, "hcp.kiosk.audit")

namespace hcp::kiosk {

AuditLog::AuditLog(Store *store, std::shared_ptr<const trust::LedgerBuilder> signer, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_signer(std::move(signer))
{
}

bool AuditLog::record(const QString &action, const QJsonObject &detail, QString *error)
{
    QSqlDatabase db = m_store->database();
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("BEGIN IMMEDIATE"))) {
        if (error)
            *error = q.lastError().text();
        return false;
    }
    auto fail = [&](const QString &why) {
        QSqlQuery(db).exec(QStringLiteral("ROLLBACK"));
        qCWarning(lcAudit) << "audit record" << action << "failed:" << why;
        if (error)
            *error = why;
        return false;
    };
    QString why;
    const std::optional<trust::LedgerHead> found = sync::Outbox::auditHead(db, &why);
    if (!found)
        return fail(why);
    const trust::LedgerHead head = *found;
    const QString uuid = QUuid::createUuid().toString(QUuid::WithoutBraces);
    const QString time = QDateTime::currentDateTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    const QJsonObject rec{{QStringLiteral("uuid"), uuid},
                          {QStringLiteral("deviceSeq"), qint64(head.deviceSeq + 1)},
                          {QStringLiteral("assessTime"), time},
                          {QStringLiteral("action"), action},
                          {QStringLiteral("detail"), detail}};
    const auto entry = m_signer->append(head, uuid, time, rec, &why);
    if (!entry)
        return fail(why);
    if (!sync::Outbox::enqueueAudit(db, *entry, action, QJsonDocument(rec).toJson(QJsonDocument::Compact), &why))
        return fail(why);
    if (!q.exec(QStringLiteral("COMMIT")))
        return fail(q.lastError().text());
    qCInfo(lcAudit).noquote() << "audit" << entry->deviceSeq << action;
    emit recorded(action);
    return true;
}

qint64 AuditLog::pendingCount() const
{
    QSqlDatabase db = m_store->database();
    return sync::Outbox::auditPendingCount(db);
}

QJsonArray AuditLog::records() const
{
    QSqlDatabase db = m_store->database();
    QJsonArray out;
    for (const QByteArray &record : sync::Outbox::auditRecords(db))
        out.append(QJsonDocument::fromJson(record).object());
    return out;
}

} // namespace hcp::kiosk

// SPDX-License-Identifier: Apache-2.0
#include "idhashoracle.h"

#include "../../wire.h"
#include "guard/inputchecks.h"
#include "http/http.h"
#include "ledgercheck.h"

#include <QDateTime>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QSqlQuery>

Q_LOGGING_CATEGORY(lcIdHash, "hcp.sync.hub.idhash")

namespace hcp::sync::hub::enrollment {

namespace {

using Status = QHttpServerResponse::StatusCode;

} // namespace

void IdHashOracle::install(QHttpServer &http, DeviceAuth authenticate, Refusal refusal)
{
    http.route(QStringLiteral("/v1/idhash"), QHttpServerRequest::Method::Post,
               [this, authenticate, refusal](const QHttpServerRequest &r) {
                   const auto device = authenticate(r);
                   return device ? answer(*device, r) : refusal();
               });
}

bool IdHashOracle::ensureSchema(QSqlDatabase &db, bool postgres, QString *error)
{
    Q_UNUSED(postgres)
    return HubStore::execStatements(
        db,
        {QStringLiteral("CREATE TABLE IF NOT EXISTS idhash_answers (device_id TEXT NOT NULL, at_ms BIGINT NOT NULL)"),
         QStringLiteral("CREATE INDEX IF NOT EXISTS idhash_answers_device ON idhash_answers (device_id, at_ms)")},
        error);
}

bool IdHashOracle::recentAnswers(const QString &deviceId, qint64 since, int *count, qint64 *oldest)
{
    QSqlQuery q(m_store->database());
    q.prepare(QStringLiteral("SELECT COUNT(*), MIN(at_ms) FROM idhash_answers WHERE device_id = ? AND at_ms > ?"));
    q.addBindValue(deviceId);
    q.addBindValue(since);
    QString error;
    if (!HubStore::execLogged(q, lcIdHash, &error) || !q.next())
        return false;
    *count = q.value(0).toInt();
    *oldest = q.value(1).toLongLong();
    return true;
}

bool IdHashOracle::recordAnswer(const QString &deviceId, qint64 at)
{
    QString error;
    QSqlQuery prune(m_store->database()); // the log keeps one window per device
    prune.prepare(QStringLiteral("DELETE FROM idhash_answers WHERE device_id = ? AND at_ms <= ?"));
    prune.addBindValue(deviceId);
    prune.addBindValue(at - m_limits.windowMs);
    QSqlQuery q(m_store->database());
    q.prepare(QStringLiteral("INSERT INTO idhash_answers (device_id, at_ms) VALUES (?, ?)"));
    q.addBindValue(deviceId);
    q.addBindValue(at);
    return HubStore::execLogged(prune, lcIdHash, &error) && HubStore::execLogged(q, lcIdHash, &error);
}

QHttpServerResponse IdHashOracle::answer(const HubStore::Device &device, const QHttpServerRequest &request)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    int count = 0;
    qint64 oldest = 0;
    // Without the log the allowance cannot be checked: no answer (fail closed).
    if (!recentAnswers(device.deviceId, now - m_limits.windowMs, &count, &oldest))
        return http::error(Status::ServiceUnavailable, QStringLiteral("unavailable"), QStringLiteral("database unavailable"));
    if (count >= m_limits.limit) {
        const qint64 waitS = qMax<qint64>(1, (oldest + m_limits.windowMs - now + 999) / 1000);
        const QString bucket = QStringLiteral("hour-%1").arg(now / 3'600'000);
        // One alert per device and hour (deduplicated on the bucket), however long the burst.
        m_ledger->raiseAlert(device.deviceId, QStringLiteral("idhash-flood"), 0, bucket,
                             QStringLiteral("more than %1 ID-number hashes asked within %2 s (a kiosk scans a card "
                                            "every few seconds at most): an oracle being queried?")
                                 .arg(m_limits.limit)
                                 .arg(m_limits.windowMs / 1000),
                             QStringLiteral("idhash"),
                             QJsonDocument(QJsonObject{{QStringLiteral("deviceId"), device.deviceId},
                                                       {QStringLiteral("limit"), m_limits.limit},
                                                       {QStringLiteral("windowMs"), m_limits.windowMs},
                                                       {QStringLiteral("atMs"), now}})
                                 .toJson(QJsonDocument::Compact));
        qCWarning(lcIdHash).noquote() << "ID-hash requests of" << device.deviceId << "throttled";
        QHttpServerResponse r = http::error(Status::TooManyRequests, QStringLiteral("rate_limited"),
                                        QStringLiteral("at most %1 ID-number hashes per %2 s per device")
                                            .arg(m_limits.limit)
                                            .arg(m_limits.windowMs / 1000));
        r.setHeader("Retry-After", QByteArray::number(waitS));
        return r;
    }
    QJsonObject body;
    static const QRegularExpression idPattern(QStringLiteral("^(\\d{15}|\\d{17}[\\dXx])$"));
    if (!guard::parseStrictObject(request.body(), &body)
        || !idPattern.match(body.value(QLatin1String("idNumber")).toString().trimmed()).hasMatch())
        return http::error(Status::BadRequest, QStringLiteral("bad_request"),
                       QStringLiteral("give {\"idNumber\": 15 or 18 characters}"));
    // Only well-formed questions count: a broken kiosk is not an oracle.
    if (!recordAnswer(device.deviceId, now))
        return http::error(Status::ServiceUnavailable, QStringLiteral("unavailable"), QStringLiteral("database unavailable"));
    return QHttpServerResponse(QJsonObject{
        {QStringLiteral("certKeyHash"),
         QString::fromLatin1(wire::certKeyHash(m_store->certKey(), body.value(QLatin1String("idNumber")).toString()))}});
}

} // namespace hcp::sync::hub::enrollment

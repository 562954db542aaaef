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

QHttpServerResponse IdHashOracle::answer(const HubStore::Device &device, const QHttpServerRequest &request)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QList<qint64> &recent = m_recent[device.deviceId];
    while (!recent.isEmpty() && now - recent.first() >= m_limits.windowMs)
        recent.removeFirst();
    if (recent.size() >= m_limits.limit) {
        const qint64 waitS = qMax<qint64>(1, (recent.first() + m_limits.windowMs - now + 999) / 1000);
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
    recent.append(now); // only well-formed questions count: a broken kiosk is not an oracle
    return QHttpServerResponse(QJsonObject{
        {QStringLiteral("certKeyHash"),
         QString::fromLatin1(wire::certKeyHash(m_store->certKey(), body.value(QLatin1String("idNumber")).toString()))}});
}

} // namespace hcp::sync::hub::enrollment

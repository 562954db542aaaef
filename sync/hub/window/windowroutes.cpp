// SPDX-License-Identifier: Apache-2.0
#include "windowroutes.h"

#include "../ratenowevent.h"
#include "../wire.h"
#include "http/http.h"
#include "rectificationstore.h"

#include <QDateTime>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QSqlError>
#include <QSqlQuery>
#include <QUrlQuery>

Q_LOGGING_CATEGORY(lcWindowRoutes, "hcp.sync.hub.window")

namespace hcp::sync::hub {

namespace {

using Status = QHttpServerResponse::StatusCode;

using http::error;
using http::parseObject;

QHttpServerResponse unauthenticated()
{
    return error(Status::Unauthorized, QStringLiteral("unauthenticated"), QStringLiteral("device authentication failed"));
}

QHttpServerResponse forbidden()
{
    return error(Status::Forbidden, QStringLiteral("forbidden"), QStringLiteral("admin token required"));
}

// Acknowledges `acked` and returns the device's unacknowledged commands, in one transaction:
// the same at-least-once contract as the heartbeat (PROTOCOL §8), without storing a heartbeat.
bool pollCommands(QSqlDatabase db, const QString &deviceId, const QJsonArray &acked, QJsonArray *commands,
                  QString *dbError)
{
    if (!db.transaction()) {
        *dbError = db.lastError().text();
        return false;
    }
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QSqlQuery ack(db);
    ack.prepare(QStringLiteral("UPDATE commands SET acked_at = ? WHERE id = ? AND device_id = ? AND acked_at IS NULL"));
    for (const QJsonValue &id : acked) {
        ack.bindValue(0, now);
        ack.bindValue(1, id.toInteger());
        ack.bindValue(2, deviceId);
        if (!ack.exec()) {
            *dbError = ack.lastError().text();
            db.rollback();
            return false;
        }
    }
    QSqlQuery pending(db);
    pending.prepare(QStringLiteral("SELECT id, type, args FROM commands WHERE device_id = ? AND acked_at IS NULL ORDER BY id"));
    pending.addBindValue(deviceId);
    if (!pending.exec()) {
        *dbError = pending.lastError().text();
        db.rollback();
        return false;
    }
    while (pending.next())
        commands->append(QJsonObject{
            {QStringLiteral("id"), pending.value(0).toLongLong()},
            {QStringLiteral("type"), pending.value(1).toString()},
            {QStringLiteral("args"), QJsonDocument::fromJson(pending.value(2).toString().toUtf8()).object()}});
    pending.finish();
    if (!db.commit()) {
        *dbError = db.lastError().text();
        return false;
    }
    return true;
}

} // namespace

QHttpServerResponse WindowRoutes::poll(HubStore &store, const HubStore::Device &device, const QByteArray &requestBody)
{
    QJsonObject body;
    if (!parseObject(requestBody, &body)
        || (body.contains(QLatin1String("ackedCommands")) && !body.value(QLatin1String("ackedCommands")).isArray()))
        return error(Status::BadRequest, QStringLiteral("bad_request"), QStringLiteral("expected {\"ackedCommands\":[...]}"));
    QJsonArray commands;
    QString dbError;
    if (!pollCommands(store.database(), device.deviceId, body.value(QLatin1String("ackedCommands")).toArray(), &commands,
                      &dbError))
        return error(Status::InternalServerError, QStringLiteral("internal"), dbError);
    return QHttpServerResponse(QJsonObject{{QStringLiteral("commands"), commands}});
}

void WindowRoutes::install(QHttpServer &http, HubStore *store, DeviceAuth deviceAuth, AdminCheck adminCheck)
{
    using Method = QHttpServerRequest::Method;

    http.route(QStringLiteral("/v1/rectifications"), Method::Get,
               [store, deviceAuth](const QHttpServerRequest &request) {
                   if (!deviceAuth(request))
                       return unauthenticated();
                   const QString projectNo = request.query().queryItemValue(QStringLiteral("projectNo"), QUrl::FullyDecoded).trimmed();
                   if (projectNo.isEmpty() || projectNo.size() > 64)
                       return error(Status::BadRequest, QStringLiteral("bad_request"), QStringLiteral("projectNo is required"));
                   QJsonArray items;
                   QString dbError;
                   if (!RectificationStore(store->database()).list(projectNo, &items, &dbError))
                       return error(Status::InternalServerError, QStringLiteral("internal"), dbError);
                   return QHttpServerResponse(QJsonObject{{QStringLiteral("items"), items}});
               });

    http.route(QStringLiteral("/v1/admin/rectifications"), Method::Post,
               [store, adminCheck](const QHttpServerRequest &request) {
                   if (!adminCheck(request))
                       return forbidden();
                   QJsonObject body;
                   if (!parseObject(request.body(), &body))
                       return error(Status::BadRequest, QStringLiteral("bad_request"), QStringLiteral("body is not a JSON object"));
                   const bool many = body.contains(QLatin1String("items"));
                   const QJsonArray items = many ? body.value(QLatin1String("items")).toArray() : QJsonArray{body};
                   RectificationStore rectifications(store->database());
                   // Validate all first: a batch with a bad record stores nothing.
                   QJsonArray rejected;
                   for (qsizetype i = 0; i < items.size(); ++i) {
                       const QString why = RectificationStore::validate(items.at(i).toObject());
                       if (!items.at(i).isObject() || !why.isEmpty())
                           rejected.append(QJsonObject{{QStringLiteral("index"), int(i)},
                                                       {QStringLiteral("reason"), why.isEmpty() ? QStringLiteral("not an object") : why}});
                   }
                   if (!rejected.isEmpty() || items.isEmpty()) {
                       QJsonObject e = wire::errorBody(QStringLiteral("bad_request"),
                                                       items.isEmpty() ? QStringLiteral("no rectification given")
                                                                       : rejected.first().toObject().value(QLatin1String("reason")).toString());
                       e.insert(QStringLiteral("rejected"), rejected);
                       return QHttpServerResponse(e, Status::BadRequest);
                   }
                   QSqlDatabase db = store->database();
                   db.transaction();
                   for (const QJsonValue &v : items) {
                       QString dbError;
                       if (!rectifications.upsert(v.toObject(), &dbError)) {
                           db.rollback();
                           return error(Status::InternalServerError, QStringLiteral("internal"), dbError);
                       }
                   }
                   if (!db.commit())
                       return error(Status::InternalServerError, QStringLiteral("internal"), db.lastError().text());
                   qCInfo(lcWindowRoutes) << "rectifications upserted:" << items.size();
                   return QHttpServerResponse(QJsonObject{{QStringLiteral("upserted"), int(items.size())}});
               });

    http.route(QStringLiteral("/v1/admin/rate-now"), Method::Post,
               [store, adminCheck](const QHttpServerRequest &request) {
                   if (!adminCheck(request))
                       return forbidden();
                   QJsonObject body;
                   if (!parseObject(request.body(), &body))
                       return error(Status::BadRequest, QStringLiteral("bad_request"), QStringLiteral("body is not a JSON object"));
                   const QString deviceId = body.value(QLatin1String("deviceId")).toString();
                   const auto device = store->device(deviceId);
                   if (!device || device->deviceClass != QLatin1String("pad"))
                       return error(Status::BadRequest, QStringLiteral("bad_request"), QStringLiteral("deviceId must name an enrolled pad"));
                   QString reason;
                   const RateNowEvent event = RateNowEvent::fromJson(body, &reason);
                   if (!event.isValid())
                       return error(Status::BadRequest, QStringLiteral("bad_request"), reason);
                   const qint64 id = store->addCommand(deviceId, QStringLiteral("rate_now"), event.toJson());
                   if (id < 0)
                       return error(Status::InternalServerError, QStringLiteral("internal"), store->lastError());
                   return QHttpServerResponse(QJsonObject{{QStringLiteral("id"), id}}, Status::Created);
               });
}

} // namespace hcp::sync::hub

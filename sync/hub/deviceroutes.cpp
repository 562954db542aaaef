// SPDX-License-Identifier: Apache-2.0
// HubServer's device routes that run on the worker pool (serving/, PROTOCOL §1b): batches,
// lookups, the feed, command polls and heartbeats, each over the stores it is given (a worker's
// own connection, or the serving thread's), plus the configuration pull.
#include "hubserver.h"

#include "receiptwitnesses.h"

#include "../wire.h"
#include "http/http.h"
#include "windowroutes.h"

#include <QDateTime>
#include <QHttpServerRequest>
#include <QJsonArray>
#include <QLoggingCategory>
#include <QSqlError>
#include <QUrlQuery>

Q_DECLARE_LOGGING_CATEGORY(lcHubServer)

namespace hcp::sync::hub {

namespace {

using Status = QHttpServerResponse::StatusCode;

using http::error;
using http::parseObject;

} // namespace

serving::Outcome HubServer::withDevice(const serving::Request &request, const serving::Stores &stores, DeviceRoute route)
{
    qint64 deviceTime = 0;
    QString failure;
    const auto device = authenticate(request, stores, &deviceTime, &failure);
    if (!device)
        return {unauthenticated(failure), {}};
    return (this->*route)(DeviceCall{request, stores, *device, deviceTime});
}

std::optional<QHttpServerResponse> HubServer::readDeviceBatch(const QByteArray &requestBody, const QString &member,
                                                              const QString &unit, QJsonObject *body)
{
    if (!parseObject(requestBody, body) || !body->value(member).isArray())
        return error(Status::BadRequest, QStringLiteral("bad_request"), QStringLiteral("expected {\"%1\":[...]}").arg(member));
    if (body->value(member).toArray().size() > wire::kMaxBatch)
        return error(Status::PayloadTooLarge, QStringLiteral("batch_too_large"),
                     QStringLiteral("at most %1 %2").arg(wire::kMaxBatch).arg(unit));
    return std::nullopt;
}

serving::Outcome HubServer::batch(const DeviceCall &call)
{
    const qint64 receivedAt = QDateTime::currentMSecsSinceEpoch();
    const serving::Request &request = call.request;
    const serving::Stores &stores = call.stores;
    const HubStore::Device *device = &call.device;
    QJsonObject body;
    if (auto refused = readDeviceBatch(request.body, QStringLiteral("evaluations"), QStringLiteral("evaluations per batch"), &body))
        return {std::move(*refused), {}};
    const QJsonArray evaluations = body.value(QLatin1String("evaluations")).toArray();
    QList<QByteArray> raw;
    if (!wire::splitArrayMember(request.body, "evaluations", &raw) || raw.size() != evaluations.size())
        raw.clear();
    // The ledger check and the ingest in ONE transaction (one commit, one fsync per batch): the
    // verified head, the tamper findings with their evidence and the rows commit or roll back
    // together. A tampered batch is still ingested, so no rating is lost, but it is flagged with
    // the batch kept as evidence (PROTOCOL §4a).
    QSqlDatabase &db = stores.store->database();
    if (!db.transaction())
        return {error(Status::InternalServerError, QStringLiteral("internal"), db.lastError().text()), {}};
    QString ledgerError;
    const auto ledger = stores.ledger->checkBatch(device->deviceId, body, request.body, receivedAt, &ledgerError, {},
                                                  LedgerCheck::TransactionMode::Joined);
    if (!ledger || !stores.tpm->check(device->deviceId, body, request.body, receivedAt, QStringLiteral("batch"), true,
                                      &ledgerError)) {
        db.rollback();
        return {error(Status::InternalServerError, QStringLiteral("internal"), ledgerError), {}};
    }
    QJsonArray results;
    if (!stores.store->ingestInTransaction(*device, evaluations, raw, receivedAt, call.deviceTimeMs, &results)) {
        db.rollback();
        return {error(Status::InternalServerError, QStringLiteral("internal"), stores.store->lastError()), {}};
    }
    if (!db.commit()) {
        const QString why = db.lastError().text();
        db.rollback();
        return {error(Status::InternalServerError, QStringLiteral("internal"), why), {}};
    }
    std::function<void()> after;
    if (ledger->checked) // receipts scanned before these rows arrived (the witnesses live on the serving thread)
        after = [this, deviceId = device->deviceId] { m_witnesses->recheck(deviceId); };
    QJsonObject response{{QStringLiteral("receivedAtMs"), receivedAt}, {QStringLiteral("results"), results}};
    if (ledger->checked)
        response.insert(QStringLiteral("ledger"), QJsonObject{{QStringLiteral("knownSeq"), ledger->knownSeq},
                                                              {QStringLiteral("problems"), ledger->problems}});
    return {QHttpServerResponse(response), std::move(after)};
}

serving::Outcome HubServer::lookup(const DeviceCall &call)
{
    const serving::Request &request = call.request;
    const serving::Stores &stores = call.stores;
    const HubStore::Device *device = &call.device;
    const QUrlQuery &q = request.query;
    QJsonArray cases;
    // A device sees only its own hall's cases, whichever way it asks.
    const QString hall = device->hallCode;
    bool ok = false;
    if (q.hasQueryItem(QStringLiteral("projectNo")) && q.hasQueryItem(QStringLiteral("name"))) {
        ok = stores.store->lookupByProjectNo(q.queryItemValue(QStringLiteral("projectNo"), QUrl::FullyDecoded).trimmed(),
                                        q.queryItemValue(QStringLiteral("name"), QUrl::FullyDecoded).trimmed(), &cases, hall);
    } else if (q.hasQueryItem(QStringLiteral("qr"))) {
        const QString projectNo = wire::projectNoFromQr(q.queryItemValue(QStringLiteral("qr"), QUrl::FullyDecoded));
        if (projectNo.isEmpty())
            return {error(Status::BadRequest, QStringLiteral("bad_qr"), QStringLiteral("QR payload names no case")), {}};
        ok = stores.store->lookupByProjectNoOnly(projectNo, &cases, hall);
    } else if (q.hasQueryItem(QStringLiteral("certKeyHash"))) {
        ok = stores.store->lookupByCertKeyHash(q.queryItemValue(QStringLiteral("certKeyHash")), &cases, hall);
    } else {
        return {error(Status::BadRequest, QStringLiteral("bad_request"),
                      QStringLiteral("give projectNo+name, qr or certKeyHash")), {}};
    }
    if (!ok)
        return {error(Status::InternalServerError, QStringLiteral("internal"), stores.store->lastError()), {}};
    if (cases.isEmpty())
        return {error(Status::NotFound, QStringLiteral("not_found"), QStringLiteral("no matching case")), {}};
    return {QHttpServerResponse(QJsonObject{{QStringLiteral("cases"), cases}}), {}};
}

serving::Outcome HubServer::feed(const DeviceCall &call)
{
    const serving::Request &request = call.request;
    const serving::Stores &stores = call.stores;
    const HubStore::Device *device = &call.device;
    const QUrlQuery &q = request.query;
    bool cursorOk = true;
    const qint64 cursor = q.hasQueryItem(QStringLiteral("cursor"))
        ? q.queryItemValue(QStringLiteral("cursor")).toLongLong(&cursorOk) : 0;
    bool limitOk = true;
    const int limit = q.hasQueryItem(QStringLiteral("limit"))
        ? q.queryItemValue(QStringLiteral("limit")).toInt(&limitOk) : 500;
    if (!cursorOk || cursor < 0 || !limitOk || limit < 1 || limit > 1000)
        return {error(Status::BadRequest, QStringLiteral("bad_request"), QStringLiteral("cursor >= 0, limit 1..1000")), {}};
    QJsonArray cases;
    qint64 next = cursor;
    bool more = false;
    if (!stores.store->feed(device->hallCode, cursor, limit, &cases, &next, &more))
        return {error(Status::InternalServerError, QStringLiteral("internal"), stores.store->lastError()), {}};
    return {QHttpServerResponse(QJsonObject{{QStringLiteral("cases"), cases},
                                            {QStringLiteral("nextCursor"), next},
                                            {QStringLiteral("hasMore"), more}}),
            {}};
}

QHttpServerResponse HubServer::config(const QHttpServerRequest &request)
{
    qint64 deviceTime = 0;
    const auto device = authenticate(request, &deviceTime);
    if (!device)
        return unauthenticated();
    return m_fleet->deviceConfig(*device, request);
}

serving::Outcome HubServer::poll(const DeviceCall &call)
{
    const serving::Request &request = call.request;
    const serving::Stores &stores = call.stores;
    const HubStore::Device *device = &call.device;
    return {WindowRoutes::poll(*stores.store, *device, request.body), {}};
}

serving::Outcome HubServer::heartbeat(const DeviceCall &call)
{
    const qint64 receivedAt = QDateTime::currentMSecsSinceEpoch();
    const serving::Request &request = call.request;
    const serving::Stores &stores = call.stores;
    const HubStore::Device *device = &call.device;
    QJsonObject beat;
    if (!parseObject(request.body, &beat) || !beat.value(QLatin1String("kioskTimeMs")).isDouble())
        return {error(Status::BadRequest, QStringLiteral("bad_request"), QStringLiteral("heartbeat needs kioskTimeMs")), {}};
    const qint64 driftMs = beat.value(QLatin1String("kioskTimeMs")).toInteger() - receivedAt;
    std::optional<LedgerCheck::Outcome> ledger = LedgerCheck::Outcome{};
    if (beat.value(QLatin1String("ledgerHead")).isObject()) {
        QString ledgerError;
        ledger = stores.ledger->checkHead(device->deviceId, beat.value(QLatin1String("ledgerHead")).toObject(), request.body,
                                          receivedAt, &ledgerError);
        if (!ledger)
            return {error(Status::InternalServerError, QStringLiteral("internal"), ledgerError), {}};
    }
    QString tpmError;
    if (!stores.tpm->check(device->deviceId, beat, request.body, receivedAt, QStringLiteral("heartbeat"), false, &tpmError))
        return {error(Status::InternalServerError, QStringLiteral("internal"), tpmError), {}};
    QJsonArray commands;
    if (!stores.store->heartbeat(*device, beat, receivedAt, driftMs, &commands))
        return {error(Status::InternalServerError, QStringLiteral("internal"), stores.store->lastError()), {}};
    if (qAbs(driftMs) > wire::kDriftLimitMs)
        qCWarning(lcHubServer) << "clock drift" << driftMs / 1000.0 << "s on" << device->deviceId;
    // The fleet's bookkeeping (history, rollouts, alerts) is the serving thread's, before the answer.
    auto bookkeeping = [this, device = *device, beat, receivedAt] { m_fleet->onHeartbeat(device, beat, receivedAt); };
    return {QHttpServerResponse(QJsonObject{{QStringLiteral("serverTimeMs"), receivedAt},
                                           {QStringLiteral("driftS"), driftMs / 1000.0},
                                           {QStringLiteral("driftFlagged"), qAbs(driftMs) > wire::kDriftLimitMs},
                                           {QStringLiteral("heartbeatIntervalS"), stores.store->heartbeatIntervalS()},
                                           {QStringLiteral("commands"), commands},
                                           {QStringLiteral("ledger"), ledger->checked
                                                ? QJsonValue(QJsonObject{{QStringLiteral("knownSeq"), ledger->knownSeq},
                                                                         {QStringLiteral("problems"), ledger->problems}})
                                                : QJsonValue()}}),
            std::move(bookkeeping)};
}

} // namespace hcp::sync::hub

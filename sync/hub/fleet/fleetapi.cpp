// SPDX-License-Identifier: Apache-2.0
// FleetApi: routes, health and signed configuration. Its other parts: bundleroutes.cpp (update
// bundles and staged rollouts) and consoleroutes.cpp (the fleet console and its API).
#include "fleetapi.h"

#include "configvalidator.h"
#include "http/http.h"
#include "jsonmergepatch.h"

#include <QDateTime>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>

namespace hcp::sync::hub {

namespace {

using Status = QHttpServerResponse::StatusCode;

using http::error;
using http::header;
using http::json;
using http::parseObject;

} // namespace

FleetApi::FleetApi(HubStore *store, std::function<bool(const QHttpServerRequest &)> adminAllowed)
    : m_store(store)
    , m_adminAllowed(std::move(adminAllowed))
    , m_fleet(store)
    , m_bundles(&m_fleet)
{
}

FleetApi::~FleetApi() = default;

void FleetApi::setOptions(const Options &options)
{
    m_options = options;
    m_logins = std::make_unique<guard::LoginThrottle>(options.loginLimits);
    m_bundles.setDirectory(options.bundleDirectory);
    m_bundles.setReleaseKeys(options.releaseKeys);
}

void FleetApi::setSigningKey(const hcp::trust::Key &key)
{
    m_publisher = std::make_unique<ConfigPublisher>(m_store, key);
}

void FleetApi::registerRoutes(QHttpServer *http)
{
    using Method = QHttpServerRequest::Method;
    http->route(QStringLiteral("/v1/health"), Method::Get, [this](const QHttpServerRequest &) { return health(); });
    http->route(QStringLiteral("/v1/bundles/<arg>"), Method::Get,
                [this](const QString &name, const QHttpServerRequest &r) { return bundle(name, r); });
    http->route(QStringLiteral("/v1/admin/bundles"), Method::Post,
                [this](const QHttpServerRequest &r) { return adminBundles(r); });
    http->route(QStringLiteral("/v1/admin/rollouts"), Method::Get | Method::Post,
                [this](const QHttpServerRequest &r) { return adminRollouts(r); });
    http->route(QStringLiteral("/console"), Method::Get, [](const QHttpServerRequest &) {
        QHttpServerResponse r(Status::Found);
        r.setHeader("Location", "/console/");
        return r;
    });
    http->route(QStringLiteral("/console/"), Method::Get,
                [this](const QHttpServerRequest &) { return staticFile(QStringLiteral("index.html")); });
    // Answered later, from the hash's continuation (Qt 6.4's QFuture routes crash; the responder moves).
    http->route(QStringLiteral("/console/api/login"), Method::Post,
                [this](const QHttpServerRequest &r, QHttpServerResponder &&responder) { login(r, std::move(responder)); });
    http->route(QStringLiteral("/console/api/logout"), Method::Post,
                [this](const QHttpServerRequest &r) { return logout(r); });
    http->route(QStringLiteral("/console/api/<arg>"), Method::Get | Method::Post,
                [this](const QUrl &rest, const QHttpServerRequest &r) { return consoleApi(rest.path(), r); });
    http->route(QStringLiteral("/console/<arg>"), Method::Get,
                [this](const QString &name, const QHttpServerRequest &) { return staticFile(name); });
}

// ---- health ----

QHttpServerResponse FleetApi::health()
{
    QSqlDatabase &db = m_store->database();
    QString dbState = QStringLiteral("ok");
    {
        if (!db.isOpen())
            db.open(); // PostgreSQL: reconnect after an outage
        QSqlQuery q(db);
        if (!db.isOpen() || !q.exec(QStringLiteral("SELECT 1")) || !q.next())
            dbState = db.isOpen() ? q.lastError().text() : db.lastError().text();
    }
    const bool ok = dbState == QLatin1String("ok");
    QJsonObject body{{QStringLiteral("status"), ok ? QStringLiteral("ok") : QStringLiteral("unavailable")},
                     {QStringLiteral("version"), m_options.version},
                     {QStringLiteral("protocol"), 1},
                     {QStringLiteral("db"), ok ? QStringLiteral("ok") : QStringLiteral("error: ") + dbState},
                     {QStringLiteral("dbKind"), m_store->isPostgres() ? QStringLiteral("postgresql") : QStringLiteral("sqlite")},
                     {QStringLiteral("configSigning"), m_publisher != nullptr},
                     {QStringLiteral("timeMs"), QDateTime::currentMSecsSinceEpoch()}};
    return json(body, ok ? Status::Ok : Status::ServiceUnavailable);
}

// ---- configuration ----

QHttpServerResponse FleetApi::deviceConfig(const HubStore::Device &device, const QHttpServerRequest &request)
{
    if (!m_publisher)
        return error(Status::NotFound, QStringLiteral("not_found"), QStringLiteral("no configuration stored"));
    const auto published = m_publisher->forDevice(device);
    if (!published)
        return error(Status::NotFound, QStringLiteral("not_found"), QStringLiteral("no configuration stored"));
    // Versions are hub-wide unique, so the version alone identifies the served document.
    const QByteArray etag = "\"cfg-" + QByteArray::number(published->version) + '"';
    if (header(request, "If-None-Match") == etag) {
        QHttpServerResponse notModified(Status::NotModified);
        notModified.setHeader("ETag", etag);
        return notModified;
    }
    QHttpServerResponse response(QByteArrayLiteral("application/json"),
                                 QJsonDocument(published->envelope()).toJson(QJsonDocument::Compact));
    response.setHeader("ETag", etag);
    return response;
}

QHttpServerResponse FleetApi::publish(const QString &scope, const QJsonObject &document, const QString &actor)
{
    if (!m_publisher)
        return error(Status::ServiceUnavailable, QStringLiteral("unavailable"), QStringLiteral("the hub has no signing identity"));
    ConfigPublisher::Published p;
    QString reason;
    switch (m_publisher->publish(scope, document, actor, &p, &reason)) {
    case ConfigPublisher::Outcome::Invalid:
        return error(Status::UnprocessableEntity, QStringLiteral("invalid_config"), reason);
    case ConfigPublisher::Outcome::Failed:
        return error(Status::InternalServerError, QStringLiteral("internal"), reason);
    case ConfigPublisher::Outcome::Published:
        break;
    }
    return json(QJsonObject{{QStringLiteral("scope"), p.scope},
                            {QStringLiteral("version"), QString::number(p.version)},
                            {QStringLiteral("etag"), QStringLiteral("cfg-%1").arg(p.version)}});
}

QJsonObject FleetApi::previewConfig(const QString &scope, const QJsonObject &document)
{
    // What a push would change on each kiosk it reaches, before anything is signed: the
    // composition each kiosk runs now (§7) against the one it would run with `document` in `scope`.
    constexpr int kListed = 200;
    const QString invalid = ConfigValidator::validate(document);
    QJsonArray devices;
    int affected = 0;
    int changed = 0;
    for (const QJsonValue &v : m_store->devices(QDateTime::currentMSecsSinceEpoch())) {
        const QString id = v.toObject().value(QLatin1String("deviceId")).toString();
        const auto device = m_store->device(id);
        if (!device || !ConfigPublisher::scopesFor(*device).contains(scope))
            continue;
        ++affected;
        const auto now = m_publisher->forDevice(*device);
        const QJsonObject before = now ? now->document : QJsonObject();
        const QJsonArray changes = JsonMergePatch::diff(before, m_publisher->composeFor(*device, scope, document));
        if (changes.isEmpty())
            continue;
        if (++changed <= kListed)
            devices.append(QJsonObject{{QStringLiteral("deviceId"), id},
                                       {QStringLiteral("hallCode"), device->hallCode},
                                       {QStringLiteral("deviceClass"), device->deviceClass},
                                       {QStringLiteral("changes"), changes}});
    }
    return {{QStringLiteral("scope"), scope},
            {QStringLiteral("valid"), invalid.isEmpty()},
            {QStringLiteral("message"), invalid},
            {QStringLiteral("affected"), affected},
            {QStringLiteral("changed"), changed},
            {QStringLiteral("devices"), devices}};
}

QHttpServerResponse FleetApi::adminPutConfig(const QString &scope, const QHttpServerRequest &request)
{
    QJsonObject body;
    if (!parseObject(request.body(), &body))
        return error(Status::BadRequest, QStringLiteral("bad_request"), QStringLiteral("body is not a JSON object"));
    if (QString e = ConfigPublisher::scopeError(scope); !e.isEmpty())
        return error(Status::BadRequest, QStringLiteral("bad_request"), e);
    return publish(scope, body, QStringLiteral("admin-token"));
}

void FleetApi::onHeartbeat(const HubStore::Device &device, const QJsonObject &beat, qint64 receivedAtMs)
{
    m_fleet.onHeartbeat(device, beat, receivedAtMs);
}

} // namespace hcp::sync::hub

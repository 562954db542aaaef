// SPDX-License-Identifier: Apache-2.0
#include "fleetapi.h"

#include "../wire.h"
#include "configvalidator.h"
#include "fraudmonitor.h"
#include "guard/inputchecks.h"
#include "http/http.h"
#include "jsonmergepatch.h"
#include "trust/tpmcheck.h"
#include "upstream/upstreamservice.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QPointer>
#include <QSet>
#include <QTcpSocket>
#include <QHttpServerResponder>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryFile>
#include <QUrlQuery>

Q_LOGGING_CATEGORY(lcFleetApi, "hcp.sync.hub.fleetapi")

namespace hcp::sync::hub {

namespace {

using Status = QHttpServerResponse::StatusCode;
using Role = FleetStore::Role;

constexpr char kSessionCookie[] = "hcp_session";

using http::cookie;
using http::error;
using http::header;
using http::json;
using http::parseObject;

bool isPost(const QHttpServerRequest &request)
{
    return request.method() == QHttpServerRequest::Method::Post;
}

// Remote commands an operator may send (the kiosk's command handler knows these).
const QStringList &consoleCommandTypes()
{
    static const QStringList types{QStringLiteral("restart"), QStringLiteral("upload_logs"),
                                   QStringLiteral("test_print"), QStringLiteral("sync_now"),
                                   QStringLiteral("resync"), QStringLiteral("pull_config")};
    return types;
}

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

// ---- bundles and rollouts ----

QHttpServerResponse FleetApi::bundle(const QString &name, const QHttpServerRequest &request)
{
    const QString path = m_bundles.pathOf(name);
    QFile file(path);
    if (path.isEmpty() || !file.open(QIODevice::ReadOnly))
        return error(Status::NotFound, QStringLiteral("not_found"), QStringLiteral("no such bundle"));
    const qint64 size = file.size();
    qint64 first = 0;
    qint64 last = size - 1;
    const auto range = BundleStore::parseRange(header(request, "Range"), size, &first, &last);
    if (range == BundleStore::Range::Unsatisfiable) {
        QHttpServerResponse r(QByteArrayLiteral("application/json"),
                              QJsonDocument(wire::errorBody(QStringLiteral("range_not_satisfiable"),
                                                            QStringLiteral("the bundle has %1 bytes").arg(size)))
                                  .toJson(QJsonDocument::Compact),
                              Status::RequestRangeNotSatisfiable);
        r.setHeader("Content-Range", "bytes */" + QByteArray::number(size));
        return r;
    }
    // Only the requested range is read. Qt 6.4 cannot stream a response with flow control:
    // QHttpServerResponder::write(QIODevice *) copies the whole device into the socket's write
    // buffer at once (measured: a 100 MB bundle to a 2 MB/s client put ~100 MB in the hub's RSS
    // within 3 s), so streaming from a device would save nothing; bundles are tens of MB.
    file.seek(first);
    const QByteArray bytes = file.read(last - first + 1);
    if (bytes.size() != last - first + 1)
        return error(Status::InternalServerError, QStringLiteral("internal"), QStringLiteral("short read"));
    QHttpServerResponse r(QByteArrayLiteral("application/octet-stream"), bytes,
                          range == BundleStore::Range::Partial ? Status::PartialContent : Status::Ok);
    r.setHeader("Accept-Ranges", "bytes");
    if (range == BundleStore::Range::Partial)
        r.setHeader("Content-Range", "bytes " + QByteArray::number(first) + '-' + QByteArray::number(last) + '/'
                                         + QByteArray::number(size));
    return r;
}

QHttpServerResponse FleetApi::uploadBundle(const QHttpServerRequest &request)
{
    const QString name = request.query().queryItemValue(QStringLiteral("name"), QUrl::FullyDecoded);
    if (!name.isEmpty() && !BundleStore::isValidName(name))
        return error(Status::BadRequest, QStringLiteral("bad_request"), QStringLiteral("bad bundle name"));
    if (m_options.bundleDirectory.isEmpty() || !QDir().mkpath(m_options.bundleDirectory))
        return error(Status::InternalServerError, QStringLiteral("internal"), QStringLiteral("no bundle directory"));
    QTemporaryFile tmp(QDir(m_options.bundleDirectory).filePath(QStringLiteral(".upload-XXXXXX.part")));
    if (!tmp.open() || tmp.write(request.body()) != request.body().size() || !tmp.flush())
        return error(Status::InternalServerError, QStringLiteral("internal"), QStringLiteral("cannot store the upload"));
    QString why;
    const auto b = m_bundles.add(tmp.fileName(), name, false, &why);
    if (!b)
        return error(Status::UnprocessableEntity, QStringLiteral("invalid_bundle"), why);
    return json(b->toJson(), Status::Created);
}

QHttpServerResponse FleetApi::adminBundles(const QHttpServerRequest &request)
{
    if (!m_adminAllowed(request))
        return error(Status::Forbidden, QStringLiteral("forbidden"), QStringLiteral("admin token required"));
    return uploadBundle(request);
}

QHttpServerResponse FleetApi::adminRollouts(const QHttpServerRequest &request)
{
    if (!m_adminAllowed(request))
        return error(Status::Forbidden, QStringLiteral("forbidden"), QStringLiteral("admin token required"));
    if (!isPost(request))
        return json(QJsonObject{{QStringLiteral("rollouts"), m_fleet.rollouts()}});
    QJsonObject body;
    if (!parseObject(request.body(), &body))
        return error(Status::BadRequest, QStringLiteral("bad_request"), QStringLiteral("body is not a JSON object"));
    return startRollout(body, request, QStringLiteral("admin-token"));
}

QUrl FleetApi::baseUrl(const QHttpServerRequest &request) const
{
    if (m_options.publicUrl.isValid() && !m_options.publicUrl.isEmpty())
        return m_options.publicUrl;
    const QByteArray host = header(request, "Host");
    return QUrl(QStringLiteral("http://") + QString::fromLatin1(host.isEmpty() ? QByteArrayLiteral("127.0.0.1") : host));
}

QHttpServerResponse FleetApi::startRollout(const QJsonObject &body, const QHttpServerRequest &request,
                                           const QString &actor)
{
    const auto b = m_fleet.bundle(body.value(QLatin1String("bundle")).toString());
    if (!b || m_bundles.pathOf(b->name).isEmpty())
        return error(Status::BadRequest, QStringLiteral("bad_request"), QStringLiteral("unknown bundle"));
    QStringList devices;
    const QJsonValue wanted = body.value(QLatin1String("devices"));
    const QJsonArray all = m_fleet.kiosks(QDateTime::currentMSecsSinceEpoch(), m_store->heartbeatIntervalS());
    QStringList known;
    for (const QJsonValue &k : all)
        known << k.toObject().value(QLatin1String("deviceId")).toString();
    if (wanted.isString() && wanted.toString() == QLatin1String("all")) {
        devices = known;
    } else if (wanted.isString() && wanted.toString().startsWith(QLatin1String("hall:"))) {
        for (const QJsonValue &k : all)
            if (k.toObject().value(QLatin1String("hallCode")).toString() == wanted.toString().mid(5))
                devices << k.toObject().value(QLatin1String("deviceId")).toString();
    } else {
        for (const QJsonValue &d : wanted.toArray()) {
            if (!known.contains(d.toString()))
                return error(Status::BadRequest, QStringLiteral("bad_request"),
                             QStringLiteral("unknown kiosk %1").arg(d.toString()));
            devices << d.toString();
        }
    }
    // Only kiosks of the bundle's device class are scheduled: a kiosk of another class would
    // refuse the bundle (wrong-device-class) and halt the rollout. The others are listed back.
    QJsonArray excluded;
    {
        QHash<QString, QJsonObject> byId;
        for (const QJsonValue &k : all)
            byId.insert(k.toObject().value(QLatin1String("deviceId")).toString(), k.toObject());
        QStringList fitting;
        for (const QString &d : std::as_const(devices)) {
            const QJsonObject k = byId.value(d);
            if (FleetStore::bundleFitsKiosk(b->deviceClass, k)) {
                fitting << d;
                continue;
            }
            const QString reported = k.value(QLatin1String("updateDeviceClass")).toString();
            excluded.append(QJsonObject{{QStringLiteral("deviceId"), d},
                                        {QStringLiteral("deviceClass"),
                                         reported.isEmpty() ? k.value(QLatin1String("deviceClass")).toString() : reported}});
        }
        if (fitting.isEmpty() && !devices.isEmpty())
            return error(Status::BadRequest, QStringLiteral("bad_request"),
                         QStringLiteral("所选终端中没有设备类型为 %1 的终端（%2 台类型不符）")
                             .arg(b->deviceClass).arg(excluded.size()));
        devices = fitting;
    }
    QList<int> stages;
    for (const QJsonValue &s : body.value(QLatin1String("stages")).toArray())
        stages << s.toInt();
    if (stages.isEmpty())
        stages = {10, 50, 100};
    const int deadlineS = body.contains(QLatin1String("deadlineS")) ? body.value(QLatin1String("deadlineS")).toInt() : 600;
    if (deadlineS < 30 || deadlineS > 86400)
        return error(Status::BadRequest, QStringLiteral("bad_request"), QStringLiteral("deadlineS must be 30..86400"));
    QUrl url = baseUrl(request);
    url.setPath(QStringLiteral("/v1/bundles/") + b->name);
    QString why;
    const qint64 id = m_fleet.createRollout(*b, url.toString(), deadlineS, devices, stages, actor, &why);
    if (id < 0)
        return error(Status::BadRequest, QStringLiteral("bad_request"), why);
    QJsonObject created = m_fleet.rollout(id);
    created.insert(QStringLiteral("excluded"), excluded);
    return json(created, Status::Created);
}

// ---- console ----

QHttpServerResponse FleetApi::staticFile(const QString &name)
{
    static const QHash<QString, QByteArray> types{{QStringLiteral("index.html"), "text/html; charset=utf-8"},
                                                  {QStringLiteral("app.js"), "text/javascript; charset=utf-8"},
                                                  {QStringLiteral("grievance.js"), "text/javascript; charset=utf-8"},
                                                  {QStringLiteral("style.css"), "text/css; charset=utf-8"}};
    QFile f(QStringLiteral(":/hcp/console/") + name);
    if (!types.contains(name) || !f.open(QIODevice::ReadOnly))
        return error(Status::NotFound, QStringLiteral("not_found"), QStringLiteral("no such page"));
    QHttpServerResponse r(types.value(name), f.readAll());
    r.setHeader("Cache-Control", "no-cache");
    r.setHeader("X-Content-Type-Options", "nosniff");
    r.setHeader("X-Frame-Options", "DENY");
    r.setHeader("Content-Security-Policy",
                "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'");
    return r;
}

std::optional<FleetStore::Session> FleetApi::sessionOf(const QHttpServerRequest &request)
{
    const QByteArray token = cookie(request, kSessionCookie);
    if (token.isEmpty())
        return std::nullopt;
    return m_fleet.session(token, QDateTime::currentMSecsSinceEpoch());
}

void FleetApi::login(const QHttpServerRequest &request, QHttpServerResponder &&responder)
{
    auto send = [](QHttpServerResponse &&r, QHttpServerResponder &&to) {
        guard::stampHubTime(r);
        r.write(std::move(to));
    };
    auto tooMany = [](int waitS) {
        QHttpServerResponse r = error(Status::TooManyRequests, QStringLiteral("too_many_requests"),
                                      QStringLiteral("登录尝试过于频繁，请稍后再试"));
        r.setHeader("Retry-After", QByteArray::number(waitS));
        return r;
    };
    QJsonObject body;
    if (!parseObject(request.body(), &body))
        return send(error(Status::BadRequest, QStringLiteral("bad_request"), QStringLiteral("body is not a JSON object")),
                    std::move(responder));
    const QString user = body.value(QLatin1String("user")).toString();
    const QString password = body.value(QLatin1String("password")).toString();
    // Per address and per account, before any hashing: a burst costs a 429, not a PBKDF2.
    const QString address = guard::clientAddress(request, m_options.trustedProxies);
    if (const int wait = m_logins->admit(address, user.left(64), QDateTime::currentMSecsSinceEpoch())) {
        qCInfo(lcFleetApi) << "console login throttled for" << guard::forLog(user, 64) << "from" << address;
        return send(tooMany(wait), std::move(responder));
    }
    const FleetStore::Credential credential = m_fleet.credential(user);
    if (credential.exists && credential.lockedUntil > QDateTime::currentMSecsSinceEpoch())
        return send(error(Status::Unauthorized, QStringLiteral("unauthenticated"), QStringLiteral("用户名或密码错误，或账户已暂时锁定")),
                    std::move(responder));
    QFuture<bool> matched = m_logins->run([credential, password] { return FleetStore::passwordMatches(credential, password); });
    if (!matched.isValid())
        return send(tooMany(1), std::move(responder));
    // Back on the serving thread: book the outcome, make the session, answer if the client is
    // still there. Only values are captured: the request object may be gone by then.
    const bool https = header(request, "X-Forwarded-Proto") == "https";
    auto held = std::make_shared<QHttpServerResponder>(std::move(responder));
    const QPointer<QTcpSocket> socket = held->socket();
    (void)matched.then(&m_context, [this, user, address, credential, https, held, socket, send](bool ok) {
        const auto role = m_fleet.recordLogin(user, credential, ok);
        if (!role)
            qCInfo(lcFleetApi) << "console login failed for" << guard::forLog(user, 64) << "from" << address;
        QHttpServerResponse r = role ? loggedIn(user, *role, https)
                                     : error(Status::Unauthorized, QStringLiteral("unauthenticated"),
                                             QStringLiteral("用户名或密码错误，或账户已暂时锁定"));
        if (socket && socket->state() == QAbstractSocket::ConnectedState)
            send(std::move(r), std::move(*held));
    });
}

QJsonArray FleetApi::currentAlerts(qint64 now)
{
    QJsonArray alerts = m_fleet.alerts(now, m_store->heartbeatIntervalS());
    // The anti-fraud monitor's flags, one warning per kiosk (current condition, id 0).
    const QHash<QString, QJsonArray> fraud = fraudByKiosk();
    QStringList ids = fraud.keys();
    ids.sort();
    for (const QString &d : std::as_const(ids)) {
        static const QHash<QString, QString> names{{QStringLiteral("burst"), QStringLiteral("短时集中评价")},
                                                   {QStringLiteral("applicant"), QStringLiteral("同一申请人多次评价")},
                                                   {QStringLiteral("same_case"), QStringLiteral("同一办件重复评价")},
                                                   {QStringLiteral("outside_hours"), QStringLiteral("非办公时间评价")},
                                                   {QStringLiteral("assisted_share"), QStringLiteral("代评比例过高")}};
        QStringList kinds;
        QStringList named;
        qint64 at = 0;
        for (const QJsonValue &f : fraud.value(d)) {
            const QString kind = f.toObject().value(QLatin1String("kind")).toString();
            kinds << kind;
            named << names.value(kind, kind);
            at = qMax(at, f.toObject().value(QLatin1String("updatedAtMs")).toInteger());
        }
        kinds.removeDuplicates();
        named.removeDuplicates();
        alerts.append(QJsonObject{{QStringLiteral("id"), 0},
                                  {QStringLiteral("atMs"), at},
                                  {QStringLiteral("severity"), QStringLiteral("warning")},
                                  {QStringLiteral("kind"), QStringLiteral("fraud")},
                                  {QStringLiteral("deviceId"), d},
                                  {QStringLiteral("kinds"), QJsonArray::fromStringList(kinds)},
                                  {QStringLiteral("message"),
                                   QStringLiteral("反刷评规则命中：%1，请核查").arg(named.join(QStringLiteral("、")))}});
    }
    for (const AlertSource &source : std::as_const(m_alertSources))
        for (const QJsonValue &a : source(now))
            alerts.append(a);
    return alerts;
}

QHttpServerResponse FleetApi::loggedIn(const QString &user, FleetStore::Role role, bool https)
{
    const QByteArray token = m_fleet.createSession(user, role, m_options.sessionTtlMs);
    if (token.isEmpty())
        return error(Status::InternalServerError, QStringLiteral("internal"), QStringLiteral("cannot create a session"));
    qCInfo(lcFleetApi) << "console login" << guard::forLog(user, 64) << FleetStore::roleName(role);
    QHttpServerResponse r = json(QJsonObject{{QStringLiteral("user"), user}, {QStringLiteral("role"), FleetStore::roleName(role)}});
    QByteArray c = QByteArray(kSessionCookie) + '=' + token + "; Path=/; HttpOnly; SameSite=Strict; Max-Age="
        + QByteArray::number(m_options.sessionTtlMs / 1000);
    if (https)
        c += "; Secure";
    r.setHeader("Set-Cookie", c);
    return r;
}

QHttpServerResponse FleetApi::logout(const QHttpServerRequest &request)
{
    const QByteArray token = cookie(request, kSessionCookie);
    if (!token.isEmpty())
        m_fleet.deleteSession(token);
    QHttpServerResponse r = json(QJsonObject{{QStringLiteral("loggedOut"), true}});
    r.setHeader("Set-Cookie", QByteArray(kSessionCookie) + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    return r;
}

QHash<QString, QJsonArray> FleetApi::fraudByKiosk()
{
    QHash<QString, QJsonArray> out;
    if (!m_fraud)
        return out;
    m_fraud->scan(); // the flags include every stored evaluation
    for (const QJsonValue &v : m_fraud->flags()) {
        const QJsonObject f = v.toObject();
        QSet<QString> devices;
        for (const QJsonValue &e : f.value(QLatin1String("evidence")).toArray())
            devices.insert(e.toObject().value(QLatin1String("deviceId")).toString());
        for (const QString &d : std::as_const(devices))
            out[d].append(QJsonObject{{QStringLiteral("id"), f.value(QLatin1String("id"))},
                                      {QStringLiteral("kind"), f.value(QLatin1String("kind"))},
                                      {QStringLiteral("count"), f.value(QLatin1String("count"))},
                                      {QStringLiteral("lastAt"), f.value(QLatin1String("lastAt"))},
                                      {QStringLiteral("updatedAtMs"), f.value(QLatin1String("updatedAtMs"))}});
    }
    return out;
}

QJsonArray FleetApi::kiosksWithFraud(qint64 nowMs)
{
    QJsonArray kiosks = m_fleet.kiosks(nowMs, m_store->heartbeatIntervalS());
    const QHash<QString, QJsonArray> fraud = fraudByKiosk();
    for (qsizetype i = 0; i < kiosks.size(); ++i) {
        QJsonObject k = kiosks.at(i).toObject();
        k.insert(QStringLiteral("fraudFlags"), fraud.value(k.value(QLatin1String("deviceId")).toString()));
        kiosks.replace(i, k);
    }
    return kiosks;
}

QHttpServerResponse FleetApi::consoleApi(const QString &path, const QHttpServerRequest &request)
{
    const auto session = sessionOf(request);
    if (!session)
        return error(Status::Unauthorized, QStringLiteral("unauthenticated"), QStringLiteral("请先登录"));
    const bool post = isPost(request);
    // Writes need the console's own header: a cross-site form cannot set it (CSRF), on top of
    // the SameSite=Strict cookie.
    if (post && header(request, "X-HCP-Console") != "1")
        return error(Status::Forbidden, QStringLiteral("forbidden"), QStringLiteral("missing X-HCP-Console header"));
    auto require = [&](Role role) { return int(session->role) >= int(role); };
    auto denied = [&](Role role) {
        return error(Status::Forbidden, QStringLiteral("forbidden"),
                     QStringLiteral("需要%1权限").arg(role == Role::Admin ? QStringLiteral("管理员")
                                                                          : QStringLiteral("运维")));
    };
    const QStringList parts = path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    const QString head = parts.value(0);
    if (const auto owner = m_consoleHandlers.constFind(head); owner != m_consoleHandlers.cend())
        return (*owner)(*session, parts, request);
    // A handler (department staff) has its 差评工单 and nothing of the fleet.
    if (session->role == Role::Handler && head != QLatin1String("me"))
        return error(Status::Forbidden, QStringLiteral("forbidden"), QStringLiteral("需要查看权限"));
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const QUrlQuery query = request.query();
    QJsonObject body;
    if (post && head != QLatin1String("bundles") && !parseObject(request.body(), &body))
        return error(Status::BadRequest, QStringLiteral("bad_request"), QStringLiteral("body is not a JSON object"));

    if (!post && head == QLatin1String("me"))
        return json(QJsonObject{{QStringLiteral("user"), session->user},
                                {QStringLiteral("role"), FleetStore::roleName(session->role)},
                                {QStringLiteral("expiresAtMs"), session->expiresAtMs},
                                {QStringLiteral("heartbeatIntervalS"), m_store->heartbeatIntervalS()}});
    if (!post && head == QLatin1String("kiosks") && parts.size() == 1)
        return json(QJsonObject{{QStringLiteral("kiosks"), kiosksWithFraud(now)}, {QStringLiteral("nowMs"), now}});
    if (!post && head == QLatin1String("kiosks") && parts.size() == 2) {
        const QString id = parts.at(1);
        QJsonObject kiosk;
        for (const QJsonValue &k : kiosksWithFraud(now))
            if (k.toObject().value(QLatin1String("deviceId")).toString() == id)
                kiosk = k.toObject();
        if (kiosk.isEmpty())
            return error(Status::NotFound, QStringLiteral("not_found"), QStringLiteral("no such kiosk"));
        QJsonArray commands;
        QSqlQuery q(m_store->database());
        q.prepare(QStringLiteral("SELECT id, type, args, created_at, acked_at FROM commands WHERE device_id = ? "
                                 "ORDER BY id DESC LIMIT 20"));
        q.addBindValue(id);
        if (q.exec())
            while (q.next())
                commands.append(QJsonObject{{QStringLiteral("id"), q.value(0).toLongLong()},
                                            {QStringLiteral("type"), q.value(1).toString()},
                                            {QStringLiteral("createdAtMs"), q.value(3).toLongLong()},
                                            {QStringLiteral("ackedAtMs"), q.value(4).isNull() ? QJsonValue() : QJsonValue(q.value(4).toLongLong())}});
        const qint64 hours = qBound(1, query.queryItemValue(QStringLiteral("hours")).toInt(), 168);
        QJsonObject detail{{QStringLiteral("kiosk"), kiosk},
                           {QStringLiteral("history"), m_fleet.heartbeatHistory(id, now - hours * 3600 * 1000)},
                           {QStringLiteral("commands"), commands},
                           {QStringLiteral("nowMs"), now}};
        // Assurance class (issue 13): TPM-attested, or file key with the reason.
        detail.insert(QStringLiteral("assurance"),
                      TpmCheck::assurance(m_store->database(), id,
                                          kiosk.value(QLatin1String("deviceStatus")).toObject().value(QLatin1String("tpm")).toString()));
        // Upstream state of the kiosk's latest evaluations (issue 8: per record, in the console).
        if (m_upstream) {
            QJsonArray records = m_upstream->deviceRecords(id, 20);
            // A viewer sees the levels, not which 办件 got them (issue 12).
            if (session->role == Role::Viewer)
                for (qsizetype i = 0; i < records.size(); ++i) {
                    QJsonObject r = records.at(i).toObject();
                    r.remove(QStringLiteral("projectNo"));
                    records.replace(i, r);
                }
            detail.insert(QStringLiteral("upstream"), records);
        }
        return json(detail);
    }
    if (post && head == QLatin1String("kiosks") && parts.size() == 3 && parts.at(2) == QLatin1String("commands")) {
        if (!require(Role::Maintainer))
            return denied(Role::Maintainer);
        const QString type = body.value(QLatin1String("type")).toString();
        if (!consoleCommandTypes().contains(type) || !m_store->device(parts.at(1)))
            return error(Status::BadRequest, QStringLiteral("bad_request"), QStringLiteral("unknown kiosk or command"));
        const qint64 id = m_store->addCommand(parts.at(1), type, QJsonObject{{QStringLiteral("by"), session->user}});
        if (id < 0)
            return error(Status::InternalServerError, QStringLiteral("internal"), m_store->lastError());
        qCInfo(lcFleetApi) << session->user << "sent" << type << "to" << parts.at(1);
        return json(QJsonObject{{QStringLiteral("id"), id}}, Status::Created);
    }
    if (!post && head == QLatin1String("alerts"))
        return json(QJsonObject{{QStringLiteral("alerts"), currentAlerts(now)}});
    if (post && head == QLatin1String("alerts") && parts.size() == 3 && parts.at(2) == QLatin1String("ack")) {
        if (!require(Role::Maintainer))
            return denied(Role::Maintainer);
        if (!m_fleet.acknowledgeAlert(parts.at(1).toLongLong(), session->user))
            return error(Status::NotFound, QStringLiteral("not_found"), QStringLiteral("no such open alert"));
        return json(QJsonObject{{QStringLiteral("acknowledged"), true}});
    }
    if (!post && head == QLatin1String("config")) {
        if (!m_publisher)
            return json(QJsonObject{});
        const QString scope = query.queryItemValue(QStringLiteral("scope"), QUrl::FullyDecoded);
        const auto p = m_publisher->latest(scope.isEmpty() ? QStringLiteral("default") : scope);
        return json(p ? p->envelope() : QJsonObject{});
    }
    if (!post && head == QLatin1String("configs"))
        return json(QJsonObject{{QStringLiteral("versions"), m_publisher ? m_publisher->history(50) : QJsonArray()}});
    if (post && head == QLatin1String("config")) {
        if (!require(Role::Maintainer))
            return denied(Role::Maintainer);
        if (!m_publisher)
            return error(Status::ServiceUnavailable, QStringLiteral("unavailable"), QStringLiteral("the hub has no signing identity"));
        const QString scope = body.value(QLatin1String("scope")).toString();
        if (QString e = ConfigPublisher::scopeError(scope); !e.isEmpty())
            return error(Status::BadRequest, QStringLiteral("bad_request"), e);
        // "part" pushes one part (kiosk | indicators | questionnaires) on top of the scope's
        // current document; without it the document replaces the scope's document.
        const QString part = body.value(QLatin1String("part")).toString();
        QJsonObject document = body.value(QLatin1String("document")).toObject();
        if (!part.isEmpty()) {
            if (part != QLatin1String("kiosk") && part != QLatin1String("indicators") && part != QLatin1String("questionnaires"))
                return error(Status::BadRequest, QStringLiteral("bad_request"), QStringLiteral("unknown part"));
            const auto current = m_publisher->latest(scope);
            QJsonObject merged = current ? current->document : QJsonObject();
            merged.insert(part, document);
            document = merged;
        }
        if (parts.size() == 2 && parts.at(1) == QLatin1String("preview"))
            return json(previewConfig(scope, document));
        return publish(scope, document, session->user);
    }
    if (!post && head == QLatin1String("bundles"))
        return json(QJsonObject{{QStringLiteral("bundles"), m_fleet.bundles()}});
    if (post && head == QLatin1String("bundles")) {
        if (!require(Role::Admin))
            return denied(Role::Admin);
        return uploadBundle(request);
    }
    if (!post && head == QLatin1String("rollouts"))
        return json(QJsonObject{{QStringLiteral("rollouts"), m_fleet.rollouts()}});
    if (post && head == QLatin1String("rollouts") && parts.size() == 3) {
        if (!require(Role::Maintainer))
            return denied(Role::Maintainer);
        QString why;
        if (!m_fleet.decideRollout(parts.at(1).toLongLong(), parts.at(2), session->user, &why))
            return error(Status::Conflict, QStringLiteral("conflict"), why);
        qCInfo(lcFleetApi) << session->user << parts.at(2) << "rollout" << parts.at(1);
        return json(m_fleet.rollout(parts.at(1).toLongLong()));
    }
    if (post && head == QLatin1String("rollouts")) {
        if (!require(Role::Maintainer))
            return denied(Role::Maintainer);
        return startRollout(body, request, session->user);
    }
    if (head == QLatin1String("upstream")) {
        // 上报省平台: the forwarder's state for everyone; requeue / pull for maintainers.
        if (!post) {
            if (!m_upstream)
                return json(QJsonObject{{QStringLiteral("enabled"), false}});
            QJsonObject s = m_upstream->status(200);
            s.insert(QStringLiteral("enabled"), true);
            s.insert(QStringLiteral("nowMs"), now);
            return json(s);
        }
        if (!require(Role::Maintainer))
            return denied(Role::Maintainer);
        if (!m_upstream)
            return error(Status::NotFound, QStringLiteral("not_found"), QStringLiteral("本平台未配置省平台上报"));
        if (parts.size() == 2 && parts.at(1) == QLatin1String("requeue")) {
            QList<qint64> ids;
            for (const QJsonValue &v : body.value(QLatin1String("ids")).toArray())
                if (v.toInteger() > 0)
                    ids.append(v.toInteger());
            if (ids.isEmpty() && body.value(QLatin1String("all")) != QJsonValue(true))
                return error(Status::BadRequest, QStringLiteral("bad_request"), QStringLiteral("{\"ids\":[…]} or {\"all\":true}"));
            QString why;
            const int n = m_upstream->requeue(ids, &why);
            if (n < 0)
                return error(Status::InternalServerError, QStringLiteral("internal"), why);
            qCInfo(lcFleetApi) << session->user << "requeued" << n << "upstream dead letters";
            return json(QJsonObject{{QStringLiteral("requeued"), n}});
        }
        if (parts.size() == 2 && parts.at(1) == QLatin1String("pull")) {
            m_upstream->pullNow();
            qCInfo(lcFleetApi) << session->user << "asked for an upstream pull";
            return json(QJsonObject{{QStringLiteral("pulling"), true}}, Status::Accepted);
        }
        return error(Status::NotFound, QStringLiteral("not_found"), QStringLiteral("unknown console request"));
    }
    if (!post && head == QLatin1String("satisfaction")) {
        const int days = qBound(1, query.hasQueryItem(QStringLiteral("days")) ? query.queryItemValue(QStringLiteral("days")).toInt() : 30, 366);
        return json(m_fleet.satisfaction(now - qint64(days) * 24 * 3600 * 1000));
    }
    return error(Status::NotFound, QStringLiteral("not_found"), QStringLiteral("unknown console request"));
}

} // namespace hcp::sync::hub

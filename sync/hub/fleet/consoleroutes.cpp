// SPDX-License-Identifier: Apache-2.0
// FleetApi: the fleet console (PROTOCOL §17): static page, login with throttling, sessions,
// and the session-authenticated JSON API with roles.
#include "fleetapi.h"

#include "fraudmonitor.h"
#include "guard/inputchecks.h"
#include "http/http.h"
#include "trust/tpmcheck.h"
#include "upstream/upstreamservice.h"

#include <QDateTime>
#include <QFile>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QPointer>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <QTcpSocket>
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
using http::isPost;
using http::json;
using http::parseObject;

// Remote commands an operator may send (the kiosk's command handler knows these).
const QStringList &consoleCommandTypes()
{
    static const QStringList types{QStringLiteral("restart"), QStringLiteral("upload_logs"),
                                   QStringLiteral("test_print"), QStringLiteral("sync_now"),
                                   QStringLiteral("resync"), QStringLiteral("pull_config")};
    return types;
}

} // namespace

// ---- console ----

QHttpServerResponse FleetApi::staticFile(const QString &name)
{
    static const QHash<QString, QByteArray> types{{QStringLiteral("index.html"), "text/html; charset=utf-8"},
                                                  {QStringLiteral("app.js"), "text/javascript; charset=utf-8"},
                                                  {QStringLiteral("grievance.js"), "text/javascript; charset=utf-8"},
                                                  {QStringLiteral("greport.js"), "text/javascript; charset=utf-8"},
                                                  {QStringLiteral("calendar.js"), "text/javascript; charset=utf-8"},
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

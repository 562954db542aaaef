// SPDX-License-Identifier: Apache-2.0
// The route table, the request pipeline (guard, device authentication, dispatch to the worker
// pool) and the serving thread's endpoints; the device routes run on the workers are in
// deviceroutes.cpp.
#include "hubserver.h"

#include "receiptwitnesses.h"

#include "../wire.h"
#include "enroll/idhashoracle.h"
#include "evidence/evidenceconsole.h"
#include "enroll/reenrollments.h"
#include "fraudmonitor.h"
#include "calendar/calendarservice.h"
#include "grievance/grievanceservice.h"
#include "guard/enrolltokens.h"
#include "guard/inputchecks.h"
#include "guard/requestguard.h"
#include "http/http.h"
#include "publicresults/publicresults.h"
#include "windowroutes.h"

#include "crypto.h"

#include <QDateTime>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QHttpServerResponse>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QSqlError>
#include <QTcpSocket>
#include <QUrlQuery>


Q_LOGGING_CATEGORY(lcHubServer, "hcp.sync.hub.server")

namespace hcp::sync::hub {

namespace {

using Status = QHttpServerResponse::StatusCode;

using http::error;
using http::header;
using http::parseObject;

// Reads that answer with citizens' cases (names, 办件编号), and the ID-number hash oracle:
// replay-protected (PROTOCOL §2, §5a).
bool isPersonalRead(QHttpServerRequest::Method method, const QByteArray &target)
{
    return (method == QHttpServerRequest::Method::Get && target.startsWith("/v1/cases/"))
        || (method == QHttpServerRequest::Method::Post && target == "/v1/idhash");
}

} // namespace

HubServer::HubServer(HubStore *store, trust::DeviceIdentity hubIdentity, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_hubIdentity(std::move(hubIdentity))
    , m_ledger(store)
    , m_tpm(store, &m_ledger)
    , m_http(this)
{
    using Method = QHttpServerRequest::Method;
    // Registered first: the router takes the first matching rule, and /v1/admin/bundles must
    // not fall into /v1/admin/<arg> below.
    m_fleet = std::make_unique<FleetApi>(store, [this](const QHttpServerRequest &r) { return adminAllowed(r); });
    m_fleet->registerRoutes(&m_http);
    m_fleet->setSigningKey(m_hubIdentity.key());
    m_grievance = grievance::GrievanceService::install(this, m_store); // console part, alerts, admin trigger
    publicresults::PublicResults::install(m_http, m_store, m_fleet.get(), this); // 评价结果公开, /public
    calendar::CalendarService::install(this, m_store); // held holiday notices, their publication and alerts
    evidence::EvidenceConsole::install(this, m_store); // the ratings kept as evidence at ingest
    // First: their /v1/admin/… paths must win over the generic /v1/admin/<arg> route below.
    WindowRoutes::install(
        m_http, m_store,
        [this](const QHttpServerRequest &r) { qint64 t = 0; return authenticate(r, &t); },
        [this](const QHttpServerRequest &r) { return adminAllowed(r); });
    m_witnesses = std::make_unique<ReceiptWitnesses>(m_store, &m_ledger);
    if (QString why; !m_witnesses->install(
            m_http, [this](const QHttpServerRequest &r) { qint64 t = 0; return authenticate(r, &t); }, &why))
        qCCritical(lcHubServer).noquote() << "receipt witnesses unavailable:" << why;
    m_reenroll = std::make_unique<enrollment::ReEnrollments>(m_store, &m_ledger);
    m_reenroll->install(*this); // console and admin routes for approving re-enrollments
    m_idHash = std::make_unique<enrollment::IdHashOracle>(m_store, &m_ledger); // certKey stays here (PROTOCOL §5a)
    m_idHash->install(
        m_http, [this](const QHttpServerRequest &r) { qint64 t = 0; return authenticate(r, &t); },
        [this] { return unauthenticated(); });
    m_http.route(QStringLiteral("/v1/enroll"), Method::Post,
                 [this](const QHttpServerRequest &r) { return enroll(r); });
    // The device routes that carry a fleet's load run on the worker pool (serving/).
    m_http.route(QStringLiteral("/v1/evaluations/batch"), Method::Post,
                 [this](const QHttpServerRequest &r, QHttpServerResponder &&responder) {
                     serveOnWorker(r, std::move(responder), &HubServer::batch);
                 });
    m_http.route(QStringLiteral("/v1/cases/lookup"), Method::Get,
                 [this](const QHttpServerRequest &r, QHttpServerResponder &&responder) {
                     serveOnWorker(r, std::move(responder), &HubServer::lookup);
                 });
    m_http.route(QStringLiteral("/v1/cases/feed"), Method::Get,
                 [this](const QHttpServerRequest &r, QHttpServerResponder &&responder) {
                     serveOnWorker(r, std::move(responder), &HubServer::feed);
                 });
    m_http.route(QStringLiteral("/v1/config"), Method::Get,
                 [this](const QHttpServerRequest &r) { return config(r); });
    m_http.route(QStringLiteral("/v1/commands/poll"), Method::Post,
                 [this](const QHttpServerRequest &r, QHttpServerResponder &&responder) {
                     serveOnWorker(r, std::move(responder), &HubServer::poll);
                 });
    m_http.route(QStringLiteral("/v1/heartbeat"), Method::Post,
                 [this](const QHttpServerRequest &r, QHttpServerResponder &&responder) {
                     serveOnWorker(r, std::move(responder), &HubServer::heartbeat);
                 });
    m_http.route(QStringLiteral("/v1/audit"), Method::Post,
                 [this](const QHttpServerRequest &r) { return audit(r); });
    // Anti-fraud signals: own tables and routes, registered before the "/v1/admin/<arg>" catch-all.
    m_fraud = new FraudMonitor(m_store, this);
    m_fraud->setHubIdentity(&m_hubIdentity);
    m_fleet->setFraudMonitor(m_fraud); // the console shows its flags per kiosk
    m_fraud->registerRoutes(m_http, [this](const QHttpServerRequest &r) { return adminAllowed(r); });
    m_http.route(QStringLiteral("/v1/admin/<arg>"), Method::Get | Method::Post,
                 [this](const QString &what, const QHttpServerRequest &r) { return admin(what, r); });
    m_http.route(QStringLiteral("/v1/admin/config/<arg>"), Method::Put,
                 [this](const QString &scope, const QHttpServerRequest &r) {
                     return admin(QStringLiteral("config/") + scope, r);
                 });
    // Unknown paths and methods get the JSON error body of PROTOCOL §1 too.
    m_http.setMissingHandler([](const QHttpServerRequest &, QHttpServerResponder &&responder) {
        responder.write(QJsonDocument(wire::errorBody(QStringLiteral("not_found"), QStringLiteral("no such endpoint"))),
                        {{"X-HCP-Hub-Time", QByteArray::number(QDateTime::currentMSecsSinceEpoch())}},
                        QHttpServerResponder::StatusCode::NotFound);
    });
    // Every answer carries the hub's clock, so a kiosk corrects its offset (PROTOCOL §2).
    m_http.afterRequest([](QHttpServerResponse &&response) {
        guard::stampHubTime(response);
        return std::move(response);
    });
    m_http.route(QStringLiteral("/v1/admin/devices/<arg>/commands"), Method::Post,
                 [this](const QString &device, const QHttpServerRequest &r) {
                     return admin(QStringLiteral("commands/") + device, r);
                 });
}

HubServer::~HubServer()
{
    m_workers.reset(); // joins the workers (their stores close on their threads) first
}

void HubServer::setWorkers(int threads, int maxQueued)
{
    if (threads > 0 && !m_store->isPostgres()) {
        qCWarning(lcHubServer) << "SQLite: device requests stay on the serving thread (workers need PostgreSQL)";
        threads = 0;
    }
    m_workers = std::make_unique<serving::WorkerPool>(threads, maxQueued);
}

void HubServer::serveOnWorker(const QHttpServerRequest &request, QHttpServerResponder &&responder, DeviceRoute route)
{
    if (!m_workers)
        setWorkers(serving::WorkerPool::defaultThreads(m_store->isPostgres()));
    if (m_workers->threads() == 0) {
        const serving::Request copy = serving::Request::of(request);
        m_workers->respond(std::move(responder), [this, &copy, route] { return withDevice(copy, servingStores(), route); });
        return;
    }
    m_workers->respond(std::move(responder), [this, copy = serving::Request::of(request), route]() -> serving::Outcome {
        if (!m_workerStores.hasLocalData()) {
            auto *stores = new serving::WorkerStores;
            QString why;
            if (!stores->open(*m_store, &why)) {
                delete stores;
                qCCritical(lcHubServer).noquote() << "worker cannot open the database:" << why;
                return {error(Status::ServiceUnavailable, QStringLiteral("unavailable"), QStringLiteral("database unavailable")), {}};
            }
            m_workerStores.setLocalData(stores);
        }
        return withDevice(copy, m_workerStores.localData()->stores(), route);
    });
}

quint16 HubServer::listen(const QHostAddress &address, quint16 port)
{
    // Our own TCP server in front of QHttpServer: it refuses oversized and slow requests
    // before their bodies are read (guard/requestguard.h, PROTOCOL §1a).
    auto *tcp = new guard::GuardedTcpServer(m_limits, this);
    tcp->setListenBacklogSize(m_limits.maxConnections); // bursts of connects wait in the kernel, not SYN retries
    if (!tcp->listen(address, port)) {
        qCCritical(lcHubServer) << "cannot listen:" << tcp->errorString();
        delete tcp;
        return 0;
    }
    // A flood of refusals must not become a flood of log lines: at most 10 per 10 s, then a count.
    tcp->onRefused = [window = qint64(0), logged = 0, dropped = 0](int status, const QByteArray &reason,
                                                                     QTcpSocket *socket) mutable {
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        if (now - window >= 10'000) {
            if (dropped > 0)
                qCWarning(lcHubServer) << dropped << "more requests refused in the last 10 s";
            window = now;
            logged = 0;
            dropped = 0;
        }
        if (++logged > 10) {
            ++dropped;
            return;
        }
        qCInfo(lcHubServer) << "refused" << status << "from" << socket->peerAddress().toString() << reason;
    };
    m_http.bind(tcp);
    tcp->attached();
    return tcp->serverPort();
}


void HubServer::setIdHashLimits(int limit, qint64 windowMs)
{
    m_idHash->setLimits({limit, windowMs});
}

std::optional<HubStore::Device> HubServer::authenticate(const QHttpServerRequest &request, qint64 *deviceTimeMs)
{
    return authenticate(serving::Request::of(request), servingStores(), deviceTimeMs, &m_authFailure);
}

std::optional<HubStore::Device> HubServer::authenticate(const serving::Request &request, const serving::Stores &stores,
                                                        qint64 *deviceTimeMs, QString *failure)
{
    const QString deviceId = QString::fromUtf8(request.header("X-HCP-Device"));
    const QByteArray time = request.header("X-HCP-Time");
    const QByteArray signature = request.header("X-HCP-Signature");
    bool timeOk = false;
    *deviceTimeMs = time.toLongLong(&timeOk);
    *failure = QStringLiteral("unauthenticated");
    if (deviceId.isEmpty() || !timeOk || signature.isEmpty())
        return std::nullopt;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    // The replay window: a request signed more than kReplayWindowMs away from the hub's clock
    // is refused; the kiosk corrects its clock offset from X-HCP-Hub-Time and signs again.
    if (qAbs(*deviceTimeMs - now) > kReplayWindowMs) {
        *failure = QStringLiteral("stale_request");
        qCInfo(lcHubServer) << "request from" << guard::forLog(deviceId, 64) << "signed"
                            << (*deviceTimeMs - now) / 1000 << "s off the hub's clock";
        return std::nullopt;
    }
    auto device = stores.store->device(deviceId);
    if (!device)
        return std::nullopt;
    const QByteArray method = request.methodName();
    const QByteArray &target = request.target;
    // A device enrolled with a public key signs with it (PROTOCOL §2); its shared secret is no
    // longer accepted. Devices enrolled without a key keep the HMAC scheme.
    if (const auto key = stores.ledger->deviceKey(deviceId)) {
        const QString fingerprint = QString::fromLatin1(request.header("X-HCP-Key")).toLower();
        if (fingerprint != key->fingerprint) {
            qCWarning(lcHubServer) << "request from" << deviceId << "with key" << guard::forLog(fingerprint, 64)
                                   << "not the enrolled one";
            if (!fingerprint.isEmpty())
                stores.ledger->reportUnknownKey(deviceId, fingerprint, target, QDateTime::currentMSecsSinceEpoch());
            return std::nullopt;
        }
        if (!trust::DeviceIdentity::verifyRequest(key->key, method, target, *deviceTimeMs, request.body,
                                                  QByteArray::fromBase64(signature), now, kReplayWindowMs)) {
            qCInfo(lcHubServer) << "bad signature from" << deviceId << guard::forLog(target);
            return std::nullopt;
        }
    } else {
        const QByteArray expected = wire::requestSignature(device->secret, method, target, *deviceTimeMs, request.body);
        if (!wire::constantTimeEquals(expected, signature.toLower())) {
            qCInfo(lcHubServer) << "bad signature from" << deviceId << guard::forLog(target);
            return std::nullopt;
        }
    }
    // Reads of personal data are answered once: a captured lookup replayed within the window is
    // refused. The key is the signed content (method, target, time, body), not the signature's
    // encoding, so a re-encoded signature is the same request (PROTOCOL §2).
    if (isPersonalRead(request.method, target)
        && ![&] {
               const QByteArray digest = trust::Crypto::sha256(
                   trust::DeviceIdentity::requestSigningInput(method, target, *deviceTimeMs, request.body));
               const QMutexLocker lock(&m_replayLock);
               return m_replays.accept(deviceId, digest, *deviceTimeMs, now);
           }()) {
        *failure = QStringLiteral("replayed");
        qCWarning(lcHubServer) << "replayed personal-data read from" << deviceId << guard::forLog(target);
        return std::nullopt;
    }
    return device;
}

QHttpServerResponse HubServer::unauthenticated(const QString &failure)
{
    return error(Status::Unauthorized, failure,
                 failure == QLatin1String("stale_request")
                     ? QStringLiteral("X-HCP-Time is more than %1 s off the hub's clock (X-HCP-Hub-Time)").arg(kReplayWindowMs / 1000)
                     : failure == QLatin1String("replayed") ? QStringLiteral("this signed request was answered before")
                                                            : QStringLiteral("device authentication failed"));
}

bool HubServer::adminAllowed(const QHttpServerRequest &request) const
{
    // No address is trusted (behind a reverse proxy every client is "loopback"): the token only.
    if (m_adminToken.isEmpty())
        return false;
    const QByteArray expected = "Bearer " + m_adminToken.toUtf8();
    return wire::constantTimeEquals(header(request, "Authorization"), expected);
}

QHttpServerResponse HubServer::enroll(const QHttpServerRequest &request)
{
    QJsonObject body;
    if (!parseObject(request.body(), &body))
        return error(Status::BadRequest, QStringLiteral("bad_request"), QStringLiteral("body is not a JSON object"));
    static const QRegularExpression idPattern(QStringLiteral("^[A-Za-z0-9._-]{1,64}$"));
    const QString deviceId = body.value(QLatin1String("deviceId")).toString();
    QString hallCode = body.value(QLatin1String("hallCode")).toString();
    const QString deviceClass = body.value(QLatin1String("deviceClass")).toString();
    const QString token = body.value(QLatin1String("enrollToken")).toString();
    // The deprecated --enroll-token (demo, tests) is multi-use and takes any hall; every other
    // token is a one-time token bound to its hall (PROTOCOL §3).
    const bool devToken = !m_enrollToken.isEmpty() && wire::constantTimeEquals(token.toUtf8(), m_enrollToken.toUtf8());
    if (!idPattern.match(deviceId).hasMatch() || (devToken && hallCode.isEmpty())
        || (deviceClass != QLatin1String("terminal") && deviceClass != QLatin1String("pad")))
        return error(Status::BadRequest, QStringLiteral("bad_request"),
                     QStringLiteral("deviceId, hallCode and deviceClass (terminal|pad) are required"));
    guard::EnrollTokens tokens(m_store->database());
    if (!devToken) {
        QString tokenHall;
        switch (tokens.claim(token, hallCode, deviceId, &tokenHall)) {
        case guard::EnrollTokens::Claim::Claimed:
            hallCode = tokenHall;
            break;
        case guard::EnrollTokens::Claim::Used:
            return error(Status::Forbidden, QStringLiteral("token_used"), QStringLiteral("this enrollment token was used"));
        case guard::EnrollTokens::Claim::Expired:
            return error(Status::Forbidden, QStringLiteral("token_expired"), QStringLiteral("this enrollment token expired"));
        case guard::EnrollTokens::Claim::WrongHall:
            return error(Status::Forbidden, QStringLiteral("wrong_hall"),
                         QStringLiteral("this enrollment token is for another hall"));
        case guard::EnrollTokens::Claim::Failed:
            return error(Status::InternalServerError, QStringLiteral("internal"), m_store->lastError());
        case guard::EnrollTokens::Claim::Unknown:
            return error(Status::Forbidden, QStringLiteral("forbidden"), QStringLiteral("enrollment token rejected"));
        }
    }
    // A refused enrollment gives a one-time token back.
    auto giveBack = [&] {
        if (!devToken)
            tokens.release(token);
    };
    const QByteArray devicePublicKey = body.value(QLatin1String("devicePublicKey")).toString().toLatin1();
    if (!devicePublicKey.isEmpty()) {
        const trust::Key offered = trust::Key::fromPem(devicePublicKey);
        if (offered.isNull() || offered.hasPrivate()) {
            giveBack();
            return error(Status::BadRequest, QStringLiteral("bad_request"),
                         QStringLiteral("devicePublicKey is not an SM2/Ed25519 public key PEM"));
        }
    }
    QByteArray secret;
    QString fingerprint;
    switch (m_store->enroll(deviceId, hallCode, deviceClass, body.value(QLatin1String("version")).toString(), &secret)) {
    case HubStore::EnrollResult::Exists: {
        // Another key for an enrolled device is a new identity ("new-identity" alert): it gets
        // credentials only once an admin approved it (PROTOCOL §3b), into the hall it had.
        const auto existing = m_store->device(deviceId);
        if (devicePublicKey.isEmpty() || !existing
            || m_ledger.registerKey(deviceId, devicePublicKey, &fingerprint) != LedgerCheck::KeyResult::Changed) {
            giveBack();
            return error(Status::Conflict, QStringLiteral("device_exists"), QStringLiteral("device already enrolled"));
        }
        if (!devToken && existing->hallCode != hallCode) {
            giveBack();
            return error(Status::Forbidden, QStringLiteral("wrong_hall"),
                         QStringLiteral("this enrollment token is for another hall than the device's"));
        }
        hallCode = existing->hallCode;
        qint64 requestId = 0;
        switch (m_reenroll->request(deviceId, devicePublicKey, fingerprint, hallCode, &secret, &requestId)) {
        case enrollment::ReEnrollments::Outcome::Pending:
            giveBack();
            return QHttpServerResponse(QJsonObject{{QStringLiteral("status"), QStringLiteral("pending")},
                                                   {QStringLiteral("requestId"), requestId},
                                                   {QStringLiteral("message"),
                                                    QStringLiteral("re-enrollment waits for an admin's approval")}},
                                       Status::Accepted);
        case enrollment::ReEnrollments::Outcome::Rejected:
            giveBack();
            return error(Status::Forbidden, QStringLiteral("reenroll_rejected"),
                         QStringLiteral("an admin rejected this re-enrollment"));
        case enrollment::ReEnrollments::Outcome::Failed:
            giveBack();
            return error(Status::InternalServerError, QStringLiteral("internal"), m_reenroll->lastError());
        case enrollment::ReEnrollments::Outcome::Completed:
            break; // the token stays used
        }
        break;
    }
    case HubStore::EnrollResult::Failed:
        giveBack();
        return error(Status::InternalServerError, QStringLiteral("internal"), m_store->lastError());
    case HubStore::EnrollResult::Enrolled:
        if (!devicePublicKey.isEmpty()
            && m_ledger.registerKey(deviceId, devicePublicKey, &fingerprint) != LedgerCheck::KeyResult::Registered)
            return error(Status::InternalServerError, QStringLiteral("internal"), QStringLiteral("cannot store the device key"));
        break;
    }
    qCInfo(lcHubServer) << "enrolled" << deviceId << "hall" << guard::forLog(hallCode, 64);
    return QHttpServerResponse(QJsonObject{{QStringLiteral("deviceId"), deviceId},
                                           {QStringLiteral("deviceSecret"), QString::fromLatin1(secret.toHex())},
                                           {QStringLiteral("hallCode"), hallCode},
                                           {QStringLiteral("heartbeatIntervalS"), m_store->heartbeatIntervalS()},
                                           {QStringLiteral("hubPublicKey"), QString::fromLatin1(m_hubIdentity.publicKeyPem())}},
                               Status::Created);
}

QHttpServerResponse HubServer::audit(const QHttpServerRequest &request)
{
    const qint64 receivedAt = QDateTime::currentMSecsSinceEpoch();
    qint64 deviceTime = 0;
    const auto device = authenticate(request, &deviceTime);
    if (!device)
        return unauthenticated();
    QJsonObject body;
    if (auto refused = readDeviceBatch(request.body(), QStringLiteral("records"), QStringLiteral("records per request"), &body))
        return std::move(*refused);
    // Check and store in one transaction, as batches.
    QSqlDatabase &db = m_store->database();
    if (!db.transaction())
        return error(Status::InternalServerError, QStringLiteral("internal"), db.lastError().text());
    QString dbError;
    const auto ledger = m_ledger.checkBatch(device->deviceId, body, request.body(), receivedAt, &dbError,
                                            QStringLiteral("audit"), LedgerCheck::TransactionMode::Joined);
    if (!ledger
        || !m_ledger.storeAudit(device->deviceId, body.value(QLatin1String("records")).toArray(), receivedAt, &dbError,
                                LedgerCheck::TransactionMode::Joined)) {
        db.rollback();
        return error(Status::InternalServerError, QStringLiteral("internal"), dbError);
    }
    if (!db.commit()) {
        dbError = db.lastError().text();
        db.rollback();
        return error(Status::InternalServerError, QStringLiteral("internal"), dbError);
    }
    QJsonObject response{{QStringLiteral("receivedAtMs"), receivedAt},
                         {QStringLiteral("stored"), body.value(QLatin1String("records")).toArray().size()}};
    if (ledger->checked)
        response.insert(QStringLiteral("ledger"), QJsonObject{{QStringLiteral("knownSeq"), ledger->knownSeq},
                                                              {QStringLiteral("problems"), ledger->problems}});
    return QHttpServerResponse(response);
}

QHttpServerResponse HubServer::admin(const QString &what, const QHttpServerRequest &request)
{
    if (!adminAllowed(request))
        return error(Status::Forbidden, QStringLiteral("forbidden"), QStringLiteral("admin token required"));
    if (const auto handler = m_adminHandlers.constFind(what); handler != m_adminHandlers.cend())
        return (*handler)(request);
    const bool get = request.method() == QHttpServerRequest::Method::Get;
    const QUrlQuery q = request.query();
    // Per-device lists need deviceId=, or all=1 for every device; none is a 400, not an empty list.
    const bool all = q.queryItemValue(QStringLiteral("all")) == QLatin1String("1");
    const QString deviceId = all ? QStringLiteral("") : q.queryItemValue(QStringLiteral("deviceId"));
    const bool perDevice = get && (what == QLatin1String("audit") || what == QLatin1String("evaluations")
                                   || (what == QLatin1String("tamper") && !q.hasQueryItem(QStringLiteral("evidenceId"))));
    if (perDevice && !all && deviceId.isEmpty())
        return error(Status::BadRequest, QStringLiteral("missing_parameter"), QStringLiteral("give deviceId=… or all=1"));
    if (get && what == QLatin1String("devices"))
        return QHttpServerResponse(QJsonObject{
            {QStringLiteral("devices"), m_store->devices(QDateTime::currentMSecsSinceEpoch())}});
    if (get && what == QLatin1String("stats"))
        return QHttpServerResponse(m_store->stats());
    if (get && what == QLatin1String("tamper")) {
        if (q.hasQueryItem(QStringLiteral("evidenceId"))) {
            const auto evidence = m_ledger.evidence(q.queryItemValue(QStringLiteral("evidenceId")).toLongLong());
            if (!evidence)
                return error(Status::NotFound, QStringLiteral("not_found"), QStringLiteral("no such evidence"));
            return QHttpServerResponse(*evidence);
        }
        return QHttpServerResponse(QJsonObject{
            {QStringLiteral("alerts"), m_ledger.alerts(deviceId)}});
    }
    if (get && what == QLatin1String("audit"))
        return QHttpServerResponse(QJsonObject{
            {QStringLiteral("records"), m_ledger.auditRecords(deviceId)}});
    if (get && what == QLatin1String("problems"))
        return QHttpServerResponse(QJsonObject{{QStringLiteral("problems"), m_store->problems()}});
    if (get && what == QLatin1String("evaluations")) {
        const int limit = q.hasQueryItem(QStringLiteral("limit"))
            ? qBound(1, q.queryItemValue(QStringLiteral("limit")).toInt(), 10000) : 1000;
        qint64 next = 0;
        const QJsonArray list = m_store->evaluations(deviceId,
                                                     q.queryItemValue(QStringLiteral("afterId")).toLongLong(),
                                                     limit, &next);
        return QHttpServerResponse(QJsonObject{{QStringLiteral("evaluations"), list},
                                               {QStringLiteral("nextAfterId"), next}});
    }
    QJsonObject body;
    if (!get && !parseObject(request.body(), &body))
        return error(Status::BadRequest, QStringLiteral("bad_request"), QStringLiteral("body is not a JSON object"));
    if (!get && what == QLatin1String("cases")) {
        int imported = 0;
        QJsonArray rejected;
        QString dbError;
        if (!m_store->importCases(body.value(QLatin1String("cases")).toArray(), &imported, &rejected, &dbError))
            return error(Status::InternalServerError, QStringLiteral("internal"), dbError);
        return QHttpServerResponse(QJsonObject{{QStringLiteral("imported"), imported},
                                               {QStringLiteral("rejected"), rejected}});
    }
    if (what.startsWith(QLatin1String("config/")))
        return m_fleet->adminPutConfig(what.mid(7), request);
    if (what.startsWith(QLatin1String("commands/"))) {
        const QString deviceId = what.mid(9);
        static const QStringList types{QStringLiteral("restart"), QStringLiteral("upload_logs"),
                                       QStringLiteral("test_print"), QStringLiteral("sync_now"),
                                       QStringLiteral("pull_config"), QStringLiteral("resync"), QStringLiteral("update")};
        const QString type = body.value(QLatin1String("type")).toString();
        if (!types.contains(type) || !m_store->device(deviceId))
            return error(Status::BadRequest, QStringLiteral("bad_request"), QStringLiteral("unknown device or command type"));
        const qint64 id = m_store->addCommand(deviceId, type, body.value(QLatin1String("args")).toObject());
        if (id < 0)
            return error(Status::InternalServerError, QStringLiteral("internal"), m_store->lastError());
        return QHttpServerResponse(QJsonObject{{QStringLiteral("id"), id}}, Status::Created);
    }
    return error(Status::NotFound, QStringLiteral("not_found"), QStringLiteral("unknown admin request"));
}

} // namespace hcp::sync::hub

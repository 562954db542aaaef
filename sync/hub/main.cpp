// SPDX-License-Identifier: Apache-2.0
// hcp-hub: the county/provincial hub server (sync/PROTOCOL.md).
#include "alerts/alertwebhook.h"
#include "caseimport.h"
#include "guard/enrolltokens.h"
#include "hubserver.h"
#include "hubstore.h"
#include "ledgercheck.h"
#include "rectificationstore.h"
#include "upstream/upstreamservice.h"
#include "grievance/demoseed.h"
#include "grievance/grievanceservice.h"

#include "crypto.h"
#include "devicecredentials.h"
#include "deviceidentity.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHostInfo>
#include <QJsonObject>
#include <QTextStream>

#include <csignal>
#include <memory>

using namespace hcp::sync::hub;

namespace {

// The county plan's window (reference/domain.md §c): 超时未评价的默认为"基本满意", 5 working days
// after the service; the kiosk's ratingWindowWorkingDays defaults to the same.
constexpr int kCountyRatingWindowDays = 5;

int importFiles(HubStore &store, const QStringList &files, QTextStream &out, QTextStream &err)
{
    int failures = 0;
    for (const QString &file : files) {
        QJsonArray cases;
        QString error;
        if (!CaseImport::readFile(file, &cases, &error)) {
            err << file << ": " << error << Qt::endl;
            ++failures;
            continue;
        }
        int imported = 0;
        QJsonArray rejected;
        if (!store.importCases(cases, &imported, &rejected, &error)) {
            err << file << ": database error: " << error << Qt::endl;
            ++failures;
            continue;
        }
        out << "imported=" << imported << " rejected=" << rejected.size() << Qt::endl;
        for (const QJsonValue &r : rejected)
            out << "  row " << r.toObject().value(QLatin1String("index")).toInt() + 1 << ": "
                << r.toObject().value(QLatin1String("reason")).toString() << Qt::endl;
    }
    return failures;
}

// The hub's data directory: where the SQLite file lives, or the working directory for
// PostgreSQL (the service runs in /var/lib/hcp-hub).
QString dataDirectory(const QString &dbSpec, bool postgres)
{
    if (postgres)
        return QDir::currentPath();
    return QFileInfo(dbSpec).absolutePath();
}

// The hub's own key (shared contract): <data dir>/hub-identity.pem, made at first start,
// outside the database so that a database copy never carries it.
std::optional<hcp::trust::DeviceIdentity> hubIdentity(const QString &path, QTextStream &err)
{
    QString error;
    auto identity = hcp::trust::DeviceIdentity::loadOrCreate(path, hcp::trust::KeyType::Sm2, {}, &error);
    if (!identity)
        err << "hcp-hub: hub identity " << path << ": " << error << Qt::endl;
    return identity;
}

// The admin API's bearer token when none is given: <data dir>/admin-token, made at first start
// (0600, 32 random bytes hex) and printed that once. No client address is trusted instead.
std::optional<QString> adminTokenFile(const QString &path, QTextStream &out, QTextStream &err)
{
    QFile f(path);
    if (f.exists()) {
        if (!f.open(QIODevice::ReadOnly)) {
            err << "hcp-hub: cannot read " << path << ": " << f.errorString() << Qt::endl;
            return std::nullopt;
        }
        const QString token = QString::fromLatin1(f.readAll()).trimmed();
        if (token.size() < 32) {
            err << "hcp-hub: " << path << " holds no admin token" << Qt::endl;
            return std::nullopt;
        }
        return token;
    }
    const QByteArray random = hcp::trust::Crypto::randomBytes(32);
    if (random.size() != 32
        || !f.open(QIODevice::WriteOnly | QIODevice::NewOnly, QFileDevice::ReadOwner | QFileDevice::WriteOwner)
        || f.write(random.toHex() + '\n') != 65 || !f.flush()) {
        err << "hcp-hub: cannot create " << path << ": " << f.errorString() << Qt::endl;
        return std::nullopt;
    }
    out << "hcp-hub: admin token (shown once; kept in " << path << "): " << random.toHex() << Qt::endl;
    return QString::fromLatin1(random.toHex());
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("hcp-hub"));
    std::signal(SIGPIPE, SIG_IGN);

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("好差评 hub: evaluation ingest, case directory, configuration, fleet heartbeats"));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("command"),
                                 QStringLiteral("serve (default) | import-cases FILE... | "
                                                "enroll-device DEVICE_ID HALL_CODE CREDENTIALS_FILE | add-enroll-token HALL_CODE [--ttl 24h] | seed-demo"));
    const QCommandLineOption listen(QStringLiteral("listen"), QStringLiteral("HOST:PORT to listen on (PORT 0 = any)"),
                                    QStringLiteral("addr"), QStringLiteral("127.0.0.1:8470"));
    const QCommandLineOption db(QStringLiteral("db"), QStringLiteral("SQLite file or postgres://user@host:port/db"),
                                QStringLiteral("spec"), QStringLiteral("hcp-hub.sqlite"));
    const QCommandLineOption enrollToken(QStringLiteral("enroll-token"),
                                         QStringLiteral("deprecated: a multi-use token for any hall (demo, tests); "
                                                        "use add-enroll-token"),
                                         QStringLiteral("token"));
    const QCommandLineOption adminToken(QStringLiteral("admin-token"),
                                        QStringLiteral("bearer token of the admin API (default: made at first start "
                                                       "in admin-token beside the database, printed once)"),
                                        QStringLiteral("token"));
    const QCommandLineOption interval(QStringLiteral("heartbeat-interval"), QStringLiteral("seconds between heartbeats"),
                                      QStringLiteral("s"), QStringLiteral("900"));
    const QCommandLineOption importOpt(QStringLiteral("import-cases"), QStringLiteral("import a case file at start"),
                                       QStringLiteral("file"));
    const QCommandLineOption hubUrl(QStringLiteral("hub-url"),
                                    QStringLiteral("enroll-device: the hub address written into the credentials"),
                                    QStringLiteral("url"), QStringLiteral("http://127.0.0.1:8470"));
    const QCommandLineOption deviceClass(QStringLiteral("device-class"),
                                         QStringLiteral("enroll-device: terminal (pf=5) or pad (pf=4)"),
                                         QStringLiteral("class"), QStringLiteral("terminal"));
    const QCommandLineOption identityOpt(QStringLiteral("identity"),
                                         QStringLiteral("the hub's SM2 key (default: hub-identity.pem beside the SQLite "
                                                        "database, or in the working directory for PostgreSQL)"),
                                         QStringLiteral("pem"));
    const QCommandLineOption bundleDir(QStringLiteral("bundle-dir"),
                                       QStringLiteral("update bundles served at /v1/bundles (default: bundles/ in the data directory)"),
                                       QStringLiteral("dir"));
    const QCommandLineOption releaseKey(QStringLiteral("release-key"),
                                        QStringLiteral("PEM public key bundles must be signed with (repeatable)"),
                                        QStringLiteral("file"));
    const QCommandLineOption publicUrl(QStringLiteral("public-url"),
                                       QStringLiteral("base URL kiosks reach this hub at (bundle URLs in update commands)"),
                                       QStringLiteral("url"));
    const QCommandLineOption bundleName(QStringLiteral("bundle-name"), QStringLiteral("add-bundle: name to serve it under"),
                                        QStringLiteral("name"));
    const QCommandLineOption devicePublicKey(QStringLiteral("device-public-key"),
                                             QStringLiteral("enroll-device: the kiosk's public key PEM (from hcp-kiosk "
                                                            "--device-public-key-out); the kiosk then signs its requests "
                                                            "and ledger with it"),
                                             QStringLiteral("file"));
    parser.addOptions({listen, db, enrollToken, adminToken, interval, importOpt, hubUrl, deviceClass, identityOpt,
                       bundleDir, releaseKey, publicUrl, bundleName, devicePublicKey});
    const QCommandLineOption upstreamProfile(QStringLiteral("upstream-profile"),
                                             QStringLiteral("forward evaluations to the province described by this JSON "
                                                            "profile (sync/UPSTREAM.md)"),
                                             QStringLiteral("file"));
    parser.addOption(upstreamProfile);
    const QCommandLineOption defaultRatingDays(QStringLiteral("default-rating-days"),
                                               QStringLiteral("the evaluation window: rate unrated known cases 基本满意 "
                                                              "(isdefault 1) this many working days after resultDate, and "
                                                              "keep later first ratings as evidence (0 = off)"),
                                               QStringLiteral("days"), QString::number(kCountyRatingWindowDays));
    parser.addOption(defaultRatingDays);
    const QCommandLineOption idleTimeout(QStringLiteral("idle-timeout"),
                                         QStringLiteral("seconds a connection may stay idle, and to send a request's "
                                                        "headers (PROTOCOL §1a)"),
                                         QStringLiteral("s"), QStringLiteral("60"));
    parser.addOption(idleTimeout);
    const QCommandLineOption idHashLimit(QStringLiteral("idhash-limit"),
                                         QStringLiteral("ID-number hashes a device may ask per window (PROTOCOL §5a)"),
                                         QStringLiteral("n"), QStringLiteral("30"));
    const QCommandLineOption idHashWindow(QStringLiteral("idhash-window"),
                                          QStringLiteral("seconds of the ID-hash window (PROTOCOL §5a)"), QStringLiteral("s"),
                                          QStringLiteral("60"));
    parser.addOptions({idHashLimit, idHashWindow});
    const QCommandLineOption workers(QStringLiteral("workers"),
                                     QStringLiteral("worker threads for device requests, each with its own database "
                                                    "connection (PostgreSQL only); 0 = all on one thread "
                                                    "(default: 2 per core, at least 2; PROTOCOL §1b)"),
                                     QStringLiteral("n"));
    parser.addOption(workers);
    const QCommandLineOption workerQueue(QStringLiteral("worker-queue"),
                                         QStringLiteral("device requests that may wait for a worker; more are answered "
                                                        "503 overloaded (default 1024)"),
                                         QStringLiteral("n"), QStringLiteral("1024"));
    parser.addOption(workerQueue);
    const QCommandLineOption trustedProxy(QStringLiteral("trusted-proxy"),
                                          QStringLiteral("a reverse proxy's address whose X-Forwarded-For names the "
                                                         "client (repeatable; PROTOCOL §17)"),
                                          QStringLiteral("addr"));
    parser.addOption(trustedProxy);
    const QCommandLineOption ttl(QStringLiteral("ttl"),
                                 QStringLiteral("add-enroll-token: how long the token is good (e.g. 30m, 24h, 7d)"),
                                 QStringLiteral("time"), QStringLiteral("24h"));
    parser.addOption(ttl);
    const QCommandLineOption loginRate(QStringLiteral("login-rate"),
                                       QStringLiteral("console login attempts per minute per client address and per "
                                                      "account (PROTOCOL §17)"),
                                       QStringLiteral("n"), QStringLiteral("10"));
    parser.addOption(loginRate);
    const QCommandLineOption alertWebhook(QStringLiteral("alert-webhook"),
                                          QStringLiteral("POST every alert, raised and cleared, as JSON to this URL "
                                                         "(PROTOCOL §17b)"),
                                          QStringLiteral("url"));
    parser.addOption(alertWebhook);
    const QCommandLineOption alertInterval(QStringLiteral("alert-interval-ms"),
                                           QStringLiteral("how often alerts are compared for the webhook"),
                                           QStringLiteral("ms"), QStringLiteral("15000"));
    parser.addOption(alertInterval);
    parser.process(app);

    QTextStream out(stdout);
    QTextStream err(stderr);
    HubStore store;
    store.setHeartbeatIntervalS(qMax(1, parser.value(interval).toInt()));
    store.setRatingWindowDays(parser.value(defaultRatingDays).toInt());
    QString error;
    if (!store.open(parser.value(db), &error)) {
        err << "hcp-hub: cannot open database: " << error << Qt::endl;
        return 2;
    }

    const QStringList positional = parser.positionalArguments();
    const QString identityPath = parser.isSet(identityOpt)
        ? parser.value(identityOpt)
        : dataDirectory(parser.value(db), store.isPostgres()) + QStringLiteral("/hub-identity.pem");
    hcp::sync::hub::FleetApi::Options fleetOptions;
    fleetOptions.bundleDirectory = parser.isSet(bundleDir)
        ? parser.value(bundleDir)
        : dataDirectory(parser.value(db), store.isPostgres()) + QStringLiteral("/bundles");
    fleetOptions.publicUrl = QUrl(parser.value(publicUrl));
    fleetOptions.version = QStringLiteral(HCP_HUB_VERSION);
    fleetOptions.loginLimits.perAddressPerMinute = qMax(1, parser.value(loginRate).toInt());
    fleetOptions.loginLimits.perAccountPerMinute = fleetOptions.loginLimits.perAddressPerMinute;
    for (const QString &proxy : parser.values(trustedProxy)) {
        const QHostAddress address(proxy);
        if (address.isNull()) {
            err << "hcp-hub: --trusted-proxy needs an IP address, not " << proxy << Qt::endl;
            return 2;
        }
        fleetOptions.trustedProxies.append(address);
    }
    for (const QString &file : parser.values(releaseKey)) {
        QFile f(file);
        QString keyError;
        const hcp::trust::Key key = f.open(QIODevice::ReadOnly) ? hcp::trust::Key::fromPem(f.readAll(), &keyError)
                                                                : hcp::trust::Key();
        if (key.isNull()) {
            err << "hcp-hub: cannot read release key " << file << ": " << keyError << Qt::endl;
            return 2;
        }
        fleetOptions.releaseKeys.append(key.publicOnly());
    }
    if (!positional.isEmpty() && positional.first() == QLatin1String("add-user")) {
        // Console users; the password comes from stdin (one line) so it never shows in ps.
        // A handler (差评工单 of one department) names its deptCode: add-user NAME handler DEPTCODE.
        const auto role = positional.size() >= 3 ? FleetStore::roleFromString(positional.at(2)) : std::nullopt;
        const bool handler = role == FleetStore::Role::Handler;
        if (!role || positional.size() != (handler ? 4 : 3)) {
            err << "hcp-hub add-user NAME viewer|maintainer|admin  (password on stdin)" << Qt::endl
                << "hcp-hub add-user NAME handler DEPTCODE" << Qt::endl;
            return 2;
        }
        QTextStream in(stdin);
        const QString password = in.readLine();
        if (password.size() < 8) {
            err << "hcp-hub: the password needs at least 8 characters" << Qt::endl;
            return 2;
        }
        FleetStore fleet(&store);
        if (!fleet.setUser(positional.at(1), *role, password, &error)
            || (handler
                && !hcp::sync::hub::grievance::GrievanceService::bindHandler(store.database(), positional.at(1),
                                                                             positional.at(3), &error))) {
            err << "hcp-hub: " << error << Qt::endl;
            return 1;
        }
        out << "user " << positional.at(1) << " role " << positional.at(2) << Qt::endl;
        return 0;
    }
    if (!positional.isEmpty() && positional.first() == QLatin1String("seed-demo")) {
        // deploy/demo.sh: a month of synthetic, marked history (grievance/demoseed.h).
        const int stored = hcp::sync::hub::grievance::seedDemo(store, &error);
        if (stored <= 0) {
            err << "hcp-hub: seed-demo: " << error << Qt::endl;
            return stored < 0 ? 1 : 3;
        }
        out << "demo history: " << stored << " ratings" << Qt::endl;
        return 0;
    }
    if (!positional.isEmpty() && positional.first() == QLatin1String("add-enroll-token")) {
        // One-time enrollment token for one hall (PROTOCOL §3); only its hash is stored.
        const QString spec = parser.value(ttl);
        const qint64 unit = spec.endsWith(QLatin1Char('d')) ? 86'400'000
            : spec.endsWith(QLatin1Char('h'))               ? 3'600'000
            : spec.endsWith(QLatin1Char('m'))               ? 60'000
                                                            : 1000;
        bool ttlOk = false;
        const qint64 amount = (unit == 1000 ? spec : spec.chopped(1)).toLongLong(&ttlOk);
        if (positional.size() != 2 || !ttlOk || amount <= 0) {
            err << "hcp-hub add-enroll-token HALL_CODE [--ttl 24h] --db …" << Qt::endl;
            return 2;
        }
        const QString token = hcp::sync::hub::guard::EnrollTokens(store.database()).create(positional.at(1), amount * unit, &error);
        if (token.isEmpty()) {
            err << "hcp-hub: " << error << Qt::endl;
            return 3;
        }
        out << token << Qt::endl;
        return 0;
    }
    if (!positional.isEmpty() && positional.first() == QLatin1String("add-bundle")) {
        if (positional.size() != 2) {
            err << "hcp-hub add-bundle FILE --release-key KEY.pub [--bundle-name NAME]" << Qt::endl;
            return 2;
        }
        FleetStore fleet(&store);
        BundleStore bundles(&fleet);
        bundles.setDirectory(fleetOptions.bundleDirectory);
        bundles.setReleaseKeys(fleetOptions.releaseKeys);
        const auto added = bundles.add(positional.at(1), parser.value(bundleName), false, &error);
        if (!added) {
            err << "hcp-hub: bundle refused: " << error << Qt::endl;
            return 3;
        }
        out << "bundle " << added->name << " version " << added->version << " class " << added->deviceClass
            << " size " << added->size << " sha256 " << added->sha256 << Qt::endl;
        return 0;
    }
    if (!positional.isEmpty() && positional.first() == QLatin1String("import-cases")) {
        if (positional.size() < 2) {
            err << "hcp-hub import-cases FILE.csv|FILE.json..." << Qt::endl;
            return 2;
        }
        return importFiles(store, positional.mid(1), out, err) == 0 ? 0 : 1;
    }
    if (!positional.isEmpty() && positional.first() == QLatin1String("enroll-device")) {
        // Offline provisioning (demo, factory): enrolls in the database and writes the kiosk's
        // credentials file, the same content POST /v1/enroll returns.
        if (positional.size() != 4) {
            err << "hcp-hub enroll-device DEVICE_ID HALL_CODE CREDENTIALS_FILE [--hub-url URL] [--device-public-key PEM]"
                << Qt::endl;
            return 2;
        }
        const auto identity = hubIdentity(identityPath, err);
        if (!identity)
            return 2;
        // The kiosk's public key, checked before anything is written: with it the device is
        // enrolled exactly as POST /v1/enroll with "devicePublicKey" does (PROTOCOL §2).
        QByteArray devicePem;
        if (parser.isSet(devicePublicKey)) {
            QFile f(parser.value(devicePublicKey));
            if (!f.open(QIODevice::ReadOnly)) {
                err << "hcp-hub: cannot read " << f.fileName() << ": " << f.errorString() << Qt::endl;
                return 2;
            }
            devicePem = f.readAll();
            const hcp::trust::Key offered = hcp::trust::Key::fromPem(devicePem);
            if (offered.isNull() || offered.hasPrivate()) {
                err << "hcp-hub: " << f.fileName() << " is not an SM2/Ed25519 public key PEM" << Qt::endl;
                return 2;
            }
        }
        QByteArray secret;
        const auto result = store.enroll(positional.at(1), positional.at(2), parser.value(deviceClass),
                                         QString(), &secret);
        if (result == HubStore::EnrollResult::Exists) {
            err << "hcp-hub: device " << positional.at(1) << " is already enrolled" << Qt::endl;
            return 3;
        }
        if (result != HubStore::EnrollResult::Enrolled) {
            err << "hcp-hub: enrollment failed: " << store.lastError() << Qt::endl;
            return 1;
        }
        hcp::sync::DeviceCredentials creds;
        creds.hubUrl = QUrl(parser.value(hubUrl));
        creds.deviceId = positional.at(1);
        creds.secret = secret;
        creds.hallCode = positional.at(2);
        creds.heartbeatIntervalS = store.heartbeatIntervalS();
        creds.hubPublicKey = identity->publicKeyPem();
        if (!devicePem.isEmpty()) {
            hcp::sync::hub::LedgerCheck ledger(&store);
            QString fingerprint;
            if (ledger.registerKey(creds.deviceId, devicePem, &fingerprint) != hcp::sync::hub::LedgerCheck::KeyResult::Registered) {
                err << "hcp-hub: cannot store the device key of " << creds.deviceId << Qt::endl;
                return 1;
            }
            creds.deviceKeyFingerprint = fingerprint;
        }
        if (!creds.save(positional.at(3), &error)) {
            err << "hcp-hub: cannot write " << positional.at(3) << ": " << error << Qt::endl;
            return 1;
        }
        out << "enrolled " << creds.deviceId << " hall " << creds.hallCode << " -> " << positional.at(3);
        if (!creds.deviceKeyFingerprint.isEmpty())
            out << " device key " << creds.deviceKeyFingerprint;
        out << Qt::endl;
        return 0;
    }
    if (!positional.isEmpty() && positional.first() != QLatin1String("serve")) {
        err << "hcp-hub: unknown command " << positional.first() << Qt::endl;
        return 2;
    }
    if (importFiles(store, parser.values(importOpt), out, err) != 0)
        return 1;
    if (parser.isSet(enrollToken))
        err << "hcp-hub: warning: --enroll-token is a multi-use token for any hall (demo and tests); "
               "give kiosks one-time tokens (hcp-hub add-enroll-token HALL)" << Qt::endl;

    const QString addr = parser.value(listen);
    const qsizetype colon = addr.lastIndexOf(QLatin1Char(':'));
    const QHostAddress host(addr.left(colon));
    bool portOk = false;
    const uint port = addr.mid(colon + 1).toUInt(&portOk);
    if (colon <= 0 || host.isNull() || !portOk || port > 65535) {
        err << "hcp-hub: --listen needs HOST:PORT" << Qt::endl;
        return 2;
    }
    if (!host.isLoopback())
        err << "hcp-hub: warning: plain HTTP on a non-loopback address; put TLS in front" << Qt::endl;
    auto identity = hubIdentity(identityPath, err);
    if (!identity)
        return 2;
    HubServer server(&store, std::move(*identity));
    server.fleet().setOptions(fleetOptions);
    server.setEnrollToken(parser.value(enrollToken));
    server.grievance()->setDefaultWindowDays(parser.value(defaultRatingDays).toInt());
    if (parser.isSet(adminToken)) {
        server.setAdminToken(parser.value(adminToken));
    } else {
        const auto token = adminTokenFile(dataDirectory(parser.value(db), store.isPostgres()) + QStringLiteral("/admin-token"),
                                          out, err);
        if (!token)
            return 2;
        server.setAdminToken(*token);
    }
    hcp::sync::hub::guard::Limits limits = hcp::sync::hub::guard::Limits::hubDefaults();
    limits.idleTimeoutMs = qMax(1, parser.value(idleTimeout).toInt()) * 1000;
    limits.headerTimeoutMs = qMin(limits.headerTimeoutMs, limits.idleTimeoutMs);
    server.setLimits(limits);
    server.setIdHashLimits(qMax(1, parser.value(idHashLimit).toInt()), qMax(1, parser.value(idHashWindow).toInt()) * 1000LL);
    server.setWorkers(parser.isSet(workers) ? qMax(0, parser.value(workers).toInt())
                                            : hcp::sync::hub::serving::WorkerPool::defaultThreads(store.isPostgres()),
                      qMax(1, parser.value(workerQueue).toInt()));
    const quint16 bound = server.listen(host, static_cast<quint16>(port));
    if (bound == 0) {
        err << "hcp-hub: cannot listen on " << addr << Qt::endl;
        return 2;
    }
    // Forwarding to the provincial platform (sync/UPSTREAM.md), when a profile is given.
    std::unique_ptr<hcp::sync::hub::upstream::UpstreamService> upstream;
    if (parser.isSet(upstreamProfile)) {
        const auto profile = hcp::sync::hub::upstream::ProvinceProfile::load(parser.value(upstreamProfile), &error);
        if (!profile) {
            err << "hcp-hub: upstream profile: " << error << Qt::endl;
            return 2;
        }
        upstream = std::make_unique<hcp::sync::hub::upstream::UpstreamService>(&store, *profile);
        upstream->setCertKeyResolver(hcp::sync::hub::upstream::UpstreamMapper::hubKeyResolver(server.hubIdentity().key()));
        // 整改反馈 pulled from the province land where kiosks read them (GET /v1/rectifications).
        upstream->setRectificationSink([&store](const QJsonObject &r, QString *sinkError) {
            return RectificationStore(store.database()).upsert(r, sinkError);
        });
        upstream->registerAdmin(&server);
        // Pulled indicator sets become configuration like any other: validated, versioned, signed.
        upstream->setConfigWriter([&server](const QString &scope, const QJsonObject &document, QString *why) {
            ConfigPublisher *publisher = server.fleet().publisher();
            return publisher
                && publisher->publish(scope, document, QStringLiteral("upstream"), nullptr, why)
                    == ConfigPublisher::Outcome::Published;
        });
        server.fleet().setUpstream(upstream.get()); // the console's 上报省平台 view
        upstream->start();
    }
    std::unique_ptr<AlertWebhook> webhook;
    if (parser.isSet(alertWebhook)) {
        const QUrl url(parser.value(alertWebhook));
        if (!url.isValid() || !url.scheme().startsWith(QLatin1String("http"))) {
            err << "hcp-hub: --alert-webhook needs an http(s) URL, not " << parser.value(alertWebhook) << Qt::endl;
            return 2;
        }
        AlertWebhook::Options o;
        o.url = url;
        o.intervalMs = qMax(50, parser.value(alertInterval).toInt());
        o.hubName = QHostInfo::localHostName();
        webhook = std::make_unique<AlertWebhook>(
            store.database(), store.isPostgres(), [&server](qint64 now) { return server.fleet().currentAlerts(now); }, o);
        webhook->start();
    }
    out << "hcp-hub listening on " << host.toString() << ':' << bound << Qt::endl;
    return app.exec();
}

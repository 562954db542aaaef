// SPDX-License-Identifier: Apache-2.0
// hcp-hub: the county/provincial hub server (sync/PROTOCOL.md).
#include "caseimport.h"
#include "hubserver.h"
#include "hubstore.h"
#include "upstream/upstreamservice.h"

#include "devicecredentials.h"
#include "deviceidentity.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonObject>
#include <QTextStream>

#include <csignal>
#include <memory>

using namespace hcp::sync::hub;

namespace {

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
                                                "enroll-device DEVICE_ID HALL_CODE CREDENTIALS_FILE"));
    const QCommandLineOption listen(QStringLiteral("listen"), QStringLiteral("HOST:PORT to listen on (PORT 0 = any)"),
                                    QStringLiteral("addr"), QStringLiteral("127.0.0.1:8470"));
    const QCommandLineOption db(QStringLiteral("db"), QStringLiteral("SQLite file or postgres://user@host:port/db"),
                                QStringLiteral("spec"), QStringLiteral("hcp-hub.sqlite"));
    const QCommandLineOption enrollToken(QStringLiteral("enroll-token"), QStringLiteral("token kiosks enroll with"),
                                         QStringLiteral("token"));
    const QCommandLineOption adminToken(QStringLiteral("admin-token"),
                                        QStringLiteral("bearer token of the admin API (default: loopback only)"),
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
    parser.addOptions({listen, db, enrollToken, adminToken, interval, importOpt, hubUrl, deviceClass, identityOpt});
    const QCommandLineOption upstreamProfile(QStringLiteral("upstream-profile"),
                                             QStringLiteral("forward evaluations to the province described by this JSON "
                                                            "profile (sync/UPSTREAM.md)"),
                                             QStringLiteral("file"));
    parser.addOption(upstreamProfile);
    parser.process(app);

    QTextStream out(stdout);
    QTextStream err(stderr);
    HubStore store;
    store.setHeartbeatIntervalS(qMax(1, parser.value(interval).toInt()));
    QString error;
    if (!store.open(parser.value(db), &error)) {
        err << "hcp-hub: cannot open database: " << error << Qt::endl;
        return 2;
    }

    const QStringList positional = parser.positionalArguments();
    const QString identityPath = parser.isSet(identityOpt)
        ? parser.value(identityOpt)
        : dataDirectory(parser.value(db), store.isPostgres()) + QStringLiteral("/hub-identity.pem");
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
            err << "hcp-hub enroll-device DEVICE_ID HALL_CODE CREDENTIALS_FILE [--hub-url URL]" << Qt::endl;
            return 2;
        }
        const auto identity = hubIdentity(identityPath, err);
        if (!identity)
            return 2;
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
        creds.certKey = store.certKey();
        creds.hallCode = positional.at(2);
        creds.heartbeatIntervalS = store.heartbeatIntervalS();
        creds.hubPublicKey = identity->publicKeyPem();
        if (!creds.save(positional.at(3), &error)) {
            err << "hcp-hub: cannot write " << positional.at(3) << ": " << error << Qt::endl;
            return 1;
        }
        out << "enrolled " << creds.deviceId << " hall " << creds.hallCode << " -> " << positional.at(3) << Qt::endl;
        return 0;
    }
    if (!positional.isEmpty() && positional.first() != QLatin1String("serve")) {
        err << "hcp-hub: unknown command " << positional.first() << Qt::endl;
        return 2;
    }
    if (importFiles(store, parser.values(importOpt), out, err) != 0)
        return 1;

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
    server.setEnrollToken(parser.value(enrollToken));
    server.setAdminToken(parser.value(adminToken));
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
        upstream->registerAdmin(&server);
        upstream->start();
    }
    out << "hcp-hub listening on " << host.toString() << ':' << bound << Qt::endl;
    return app.exec();
}

// SPDX-License-Identifier: Apache-2.0
// hcp-hub: the county/provincial hub server (sync/PROTOCOL.md).
#include "caseimport.h"
#include "hubserver.h"
#include "hubstore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonObject>
#include <QTextStream>

#include <csignal>

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

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("hcp-hub"));
    std::signal(SIGPIPE, SIG_IGN);

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("好差评 hub: evaluation ingest, case directory, configuration, fleet heartbeats"));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("command"), QStringLiteral("serve (default) | import-cases FILE..."));
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
    parser.addOptions({listen, db, enrollToken, adminToken, interval, importOpt});
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
    if (!positional.isEmpty() && positional.first() == QLatin1String("import-cases")) {
        if (positional.size() < 2) {
            err << "hcp-hub import-cases FILE.csv|FILE.json..." << Qt::endl;
            return 2;
        }
        return importFiles(store, positional.mid(1), out, err) == 0 ? 0 : 1;
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
    HubServer server(&store);
    server.setEnrollToken(parser.value(enrollToken));
    server.setAdminToken(parser.value(adminToken));
    const quint16 bound = server.listen(host, static_cast<quint16>(port));
    if (bound == 0) {
        err << "hcp-hub: cannot listen on " << addr << Qt::endl;
        return 2;
    }
    out << "hcp-hub listening on " << host.toString() << ':' << bound << Qt::endl;
    return app.exec();
}

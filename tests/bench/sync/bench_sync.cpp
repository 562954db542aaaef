// SPDX-License-Identifier: Apache-2.0
// hcp-bench-sync: backlog drain of 100,000 queued evaluations to a loopback hcp-hub, with the
// floors measured in the same run: bare HTTP POSTs of the same batch bodies to a trivial handler,
// and bare SQLite inserts of the same payloads. Prints one name=value per line.
#include "hubclient.h"
#include "hubprocess.h"
#include "outboxsender.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QHttpServer>
#include <QHttpServerResponse>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTextStream>
#include <QThread>
#include <QTimer>

#include <sys/resource.h>
#include <unistd.h>

using namespace hcp::sync;
using namespace hcp::sync::test;

namespace {

constexpr int kEvaluations = 100000;
constexpr int kBatch = 500;

QByteArray batchBody(int firstSeq)
{
    QByteArray body = "{\"evaluations\":[";
    for (int i = 0; i < kBatch; ++i) {
        if (i)
            body += ',';
        const int seq = firstSeq + i;
        body += QJsonDocument(makeEvaluation(seq, uuidFor(QStringLiteral("floor"), seq))).toJson(QJsonDocument::Compact);
    }
    return body + "]}";
}

// Evaluations per second when POSTing batch bodies one after another (like the sender) to a
// handler that only answers "{}". The server runs on its own thread, as the hub runs in its
// own process.
double httpFloor(const QByteArray &body, int requests)
{
    QThread serverThread;
    QHttpServer *server = new QHttpServer;
    server->route(QStringLiteral("/v1/evaluations/batch"), QHttpServerRequest::Method::Post,
                  [](const QHttpServerRequest &) { return QHttpServerResponse(QJsonObject{}); });
    const quint16 port = server->listen(QHostAddress::LocalHost, 0);
    server->moveToThread(&serverThread);
    serverThread.start();

    QNetworkAccessManager nam;
    QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1/v1/evaluations/batch").arg(port)));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    QEventLoop loop;
    int done = 0;
    QElapsedTimer timer;
    std::function<void()> next = [&] {
        QNetworkReply *reply = nam.post(request, body);
        QObject::connect(reply, &QNetworkReply::finished, &loop, [&, reply] {
            reply->readAll();
            reply->deleteLater();
            if (++done == requests)
                loop.quit();
            else
                next();
        });
    };
    timer.start();
    next();
    loop.exec();
    const double seconds = timer.nsecsElapsed() / 1e9;
    QMetaObject::invokeMethod(server, [server] { delete server; }, Qt::BlockingQueuedConnection);
    serverThread.quit();
    serverThread.wait();
    return requests * double(kBatch) / seconds;
}

// Evaluations per second for bare inserts of the same payloads, one transaction per batch,
// WAL with synchronous=FULL like the hub.
double sqliteFloor(const QString &path, const QList<QByteArray> &payloads)
{
    double perSecond = 0;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("floor"));
        db.setDatabaseName(path);
        db.open();
        QSqlQuery q(db);
        q.exec(QStringLiteral("PRAGMA journal_mode=WAL"));
        q.exec(QStringLiteral("PRAGMA synchronous=FULL"));
        q.exec(QStringLiteral("CREATE TABLE t (id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, payload TEXT NOT NULL)"));
        q.prepare(QStringLiteral("INSERT INTO t (uuid, payload) VALUES (?, ?)"));
        QElapsedTimer timer;
        timer.start();
        for (int i = 0; i < payloads.size(); ++i) {
            if (i % kBatch == 0)
                db.transaction();
            q.bindValue(0, uuidFor(QStringLiteral("sqlite"), i));
            q.bindValue(1, QString::fromUtf8(payloads.at(i)));
            q.exec();
            if (i % kBatch == kBatch - 1 || i == payloads.size() - 1)
                db.commit();
        }
        perSecond = payloads.size() / (timer.nsecsElapsed() / 1e9);
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("floor"));
    return perSecond;
}

double loadAverage()
{
    double load[1] = {0};
    getloadavg(load, 1);
    return load[0];
}

double selfCpuSeconds()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_utime.tv_sec + u.ru_utime.tv_usec / 1e6 + u.ru_stime.tv_sec + u.ru_stime.tv_usec / 1e6;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QTextStream out(stdout);
    QTemporaryDir dir;
    HubProcess hub;
    if (!hub.start(dir.filePath(QStringLiteral("hub.sqlite")))) {
        out << "error=hub did not start\n";
        return 1;
    }
    const DeviceCredentials creds = enroll(hub.url(), QStringLiteral("KIOSK-BENCH-0001"));
    const QString kioskDb = dir.filePath(QStringLiteral("kiosk.sqlite"));
    if (!creds.isValid() || !createKioskDb(kioskDb) || !enqueueRange(kioskDb, 1, kEvaluations, QStringLiteral("bench"))) {
        out << "error=setup failed\n";
        return 1;
    }

    HubClient client;
    client.setCredentials(creds);
    OutboxSender sender(&client);
    OutboxSender::Options o;
    o.batchSize = kBatch;
    o.backoffBaseMs = 10;
    o.backoffCapMs = 200;
    sender.setOptions(o);
    QString error;
    if (!sender.open(kioskDb, &error)) {
        out << "error=" << error << '\n';
        return 1;
    }
    int failures = 0;
    QObject::connect(&sender, &OutboxSender::sendFailed, &app, [&] { ++failures; });
    QObject::connect(&sender, &OutboxSender::drained, &app, [&] { app.quit(); });
    const double hubCpu0 = processCpuSeconds(hub.pid());
    const double selfCpu0 = selfCpuSeconds();
    QElapsedTimer timer;
    timer.start();
    sender.start();
    QTimer::singleShot(120000, &app, [&] { app.exit(1); });
    app.exec();
    const double drainS = timer.nsecsElapsed() / 1e9;
    const double hubCpu = processCpuSeconds(hub.pid()) - hubCpu0;
    const double kioskCpu = selfCpuSeconds() - selfCpu0;
    sender.stop();
    const OutboxSnapshot snapshot = outboxSnapshot(kioskDb);
    const QJsonObject stats = adminGet(hub.url(), QStringLiteral("/v1/admin/stats"));
    hub.kill();

    const QByteArray body = batchBody(1);
    const double httpPerS = httpFloor(body, kEvaluations / kBatch);
    QList<QByteArray> payloads;
    payloads.reserve(kEvaluations);
    const QByteArray one = QJsonDocument(makeEvaluation(1, uuidFor(QStringLiteral("p"), 1))).toJson(QJsonDocument::Compact);
    for (int i = 0; i < kEvaluations; ++i)
        payloads.append(one);
    const double sqlitePerS = sqliteFloor(dir.filePath(QStringLiteral("floor.sqlite")), payloads);

    out << "drain_evaluations=" << kEvaluations << '\n'
        << "drain_acked=" << snapshot.acked << '\n'
        << "hub_rows=" << stats.value(QLatin1String("evaluations")).toInteger() << '\n'
        << "drain_failed_requests=" << failures << '\n'
        << "drain_s=" << QString::number(drainS, 'f', 3) << '\n'
        << "drain_per_s=" << QString::number(kEvaluations / drainS, 'f', 0) << '\n'
        << "drain_cpu_kiosk_s=" << QString::number(kioskCpu, 'f', 3) << '\n'
        << "drain_cpu_hub_s=" << QString::number(hubCpu, 'f', 3) << '\n'
        << "drain_per_cpu_s=" << QString::number(kEvaluations / (kioskCpu + hubCpu), 'f', 0) << '\n'
        << "loadavg_1m=" << QString::number(loadAverage(), 'f', 2) << '\n'
        << "floor_http_per_s=" << QString::number(httpPerS, 'f', 0) << '\n'
        << "floor_sqlite_per_s=" << QString::number(sqlitePerS, 'f', 0) << '\n'
        << "drain_vs_http_floor=" << QString::number((kEvaluations / drainS) / httpPerS, 'f', 3) << '\n'
        << "drain_vs_sqlite_floor=" << QString::number((kEvaluations / drainS) / sqlitePerS, 'f', 3) << '\n';
    out.flush();
    const bool ok = snapshot.acked == kEvaluations && stats.value(QLatin1String("evaluations")).toInteger() == kEvaluations;
    return ok ? 0 : 1;
}

// SPDX-License-Identifier: Apache-2.0
// hcp-bench-hub: a real hcp-hub (PostgreSQL started by the bench, or SQLite) under simulated
// kiosks that sign every request as kiosks do (fleet.h). Prints name=value lines:
//  - closed loop, N connections (one device each, next request as soon as the answer is in):
//    heartbeat_per_s, batch_per_s (one-record batches), poll_per_s with p50/p99, hub CPU ms
//    per request and the client's CPU;
//  - open loop, the fleet mix (80 % pads polling every 2 s, terminals heartbeating, rating,
//    looking up) stepped up in size K: per-step p99 and max_kiosks_p99_1s, the largest K whose
//    p99 over all requests stays under 1 s with < 1 % failures; command_p99_ms, from posting a
//    command to the pad's poll answer that carries it;
//  - floor_per_s: a bare QTcpServer (another thread of this process) answering the same-size
//    request with a fixed answer of the heartbeat answer's size, from the same client code, so
//    the hub's figures read as ratios of what this machine does with no work behind HTTP.
// --quick (CTest bench_hub) runs every part small (about a minute); figures are then not
// comparable, only their presence and sanity are checked (checkoutput.cmake).
#include "fleet.h"

#include "hubprocess.h"
#include "pgserver.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTextStream>
#include <QEventLoop>
#include <QHostAddress>
#include <QThread>

#include <QTimer>

#include <cmath>
#include <csignal>

using namespace hcp;
using namespace hcp::bench;

namespace {

volatile std::sig_atomic_t g_stop = 0;

QTextStream &out()
{
    static QTextStream s(stdout);
    return s;
}

void print(const QString &name, double value, int decimals = 2)
{
    out() << name << '=' << QString::number(value, 'f', value == std::floor(value) ? 0 : decimals) << Qt::endl;
}

struct Phase
{
    Stats stats;
    double seconds = 0;
    double hubCpuS = 0;
    double servingCpuS = 0; // the hub's main thread: reads, routes and answers every request
    double clientCpuS = 0;
};

Phase measure(Fleet &fleet, qint64 hubPid, Kind kind, int n, int durationMs, int warmupMs)
{
    const double hub0 = sync::test::processCpuSeconds(hubPid);
    const double serving0 = sync::test::processCpuSeconds(hubPid, hubPid);
    const double self0 = selfCpuS();
    Phase p;
    p.stats = fleet.closedLoop(kind, n, durationMs, warmupMs);
    p.seconds = (durationMs - warmupMs) / 1000.0;
    p.hubCpuS = sync::test::processCpuSeconds(hubPid) - hub0;
    p.servingCpuS = sync::test::processCpuSeconds(hubPid, hubPid) - serving0;
    p.clientCpuS = selfCpuS() - self0;
    return p;
}

void report(const QString &name, const Phase &p)
{
    const double rate = double(p.stats.ok()) / p.seconds;
    print(name + QStringLiteral("_per_s"), std::round(rate));
    print(name + QStringLiteral("_p50_ms"), p.stats.quantile(0.50));
    print(name + QStringLiteral("_p99_ms"), p.stats.quantile(0.99));
    print(name + QStringLiteral("_failed"), double(p.stats.failed));
    // CPU over the whole phase (warm-up included) per request answered in the window: an upper bound.
    const double all = double(p.stats.ok() + p.stats.failed);
    print(name + QStringLiteral("_hub_cpu_ms_per_req"), all > 0 ? 1000.0 * p.hubCpuS / all : 0);
    print(name + QStringLiteral("_serving_thread_cpu_ms_per_req"), all > 0 ? 1000.0 * p.servingCpuS / all : 0);
    print(name + QStringLiteral("_client_cpu_pct"), 100.0 * p.clientCpuS / (p.seconds + 1e-9));
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption quickOpt(QStringLiteral("quick"), QStringLiteral("small run for CTest (about a minute)"));
    const QCommandLineOption backendOpt(QStringLiteral("backend"), QStringLiteral("postgresql (default) or sqlite"),
                                        QStringLiteral("name"), QStringLiteral("postgresql"));
    const QCommandLineOption connectionsOpt(QStringLiteral("connections"), QStringLiteral("closed-loop connections (default 1000)"),
                                            QStringLiteral("n"));
    const QCommandLineOption secondsOpt(QStringLiteral("seconds"), QStringLiteral("length of each closed-loop phase"),
                                        QStringLiteral("s"));
    const QCommandLineOption stepsOpt(QStringLiteral("fleet-steps"), QStringLiteral("comma-separated fleet sizes K"),
                                      QStringLiteral("list"));
    const QCommandLineOption stepSecondsOpt(QStringLiteral("step-seconds"), QStringLiteral("length of each fleet step"),
                                            QStringLiteral("s"));
    const QCommandLineOption hubArgsOpt(QStringLiteral("hub-arg"), QStringLiteral("extra hcp-hub argument (repeatable)"),
                                        QStringLiteral("arg"));
    parser.addOptions({quickOpt, backendOpt, connectionsOpt, secondsOpt, stepsOpt, stepSecondsOpt, hubArgsOpt});
    parser.process(app);
    const bool quick = parser.isSet(quickOpt);
    const QString backend = parser.value(backendOpt);
    const int connections = parser.isSet(connectionsOpt) ? parser.value(connectionsOpt).toInt() : quick ? 40 : 1000;
    const int phaseMs = 1000 * (parser.isSet(secondsOpt) ? parser.value(secondsOpt).toInt() : quick ? 5 : 30);
    const int warmupMs = quick ? 1000 : 5000;
    const int stepMs = 1000 * (parser.isSet(stepSecondsOpt) ? parser.value(stepSecondsOpt).toInt() : quick ? 8 : 40);
    QList<int> steps;
    for (const QString &s : (parser.isSet(stepsOpt) ? parser.value(stepsOpt)
                             : quick                ? QStringLiteral("100,200")
                                                    : QStringLiteral("250,500,1000,1500,2000,3000,4000,6000"))
                                .split(QLatin1Char(','), Qt::SkipEmptyParts))
        steps.append(s.toInt());
    QTextStream err(stderr);

    QTemporaryDir dir;
    sync::test::PgServer pg;
    QString dbSpec;
    if (backend == QLatin1String("postgresql")) {
        QString why;
        if (!pg.start(dir.path(), &why)) {
            err << "hcp-bench-hub: PostgreSQL: " << why << Qt::endl;
            return 1;
        }
        dbSpec = pg.spec();
    } else if (backend == QLatin1String("sqlite")) {
        dbSpec = dir.filePath(QStringLiteral("hub.db"));
    } else {
        err << "hcp-bench-hub: --backend postgresql or sqlite" << Qt::endl;
        return 2;
    }
    sync::test::HubProcess hub;
    // Interrupted: stop the hub and PostgreSQL (the destructors do not run on a signal).
    std::signal(SIGINT, [](int) { g_stop = 1; });
    std::signal(SIGTERM, [](int) { g_stop = 1; });
    QTimer stopCheck;
    QObject::connect(&stopCheck, &QTimer::timeout, [&] {
        if (!g_stop)
            return;
        hub.kill();
        pg.stop();
        std::_Exit(130);
    });
    stopCheck.start(200);
    if (!hub.start(dbSpec, 0, QStringList{QStringLiteral("--identity"), dir.filePath(QStringLiteral("hub-identity.pem"))}
                                   + parser.values(hubArgsOpt))) {
        err << "hcp-bench-hub: hub did not start: " << hub.output() << hub.takeLog() << Qt::endl;
        return 1;
    }
    // One case in the devices' hall for the lookups (found: 200 with the case).
    const QJsonObject example = sync::test::protocolExample(QStringLiteral("case"));
    QJsonObject c = example;
    c.remove(QStringLiteral("certKeyHash"));
    if (sync::test::adminSend(hub.url(), "POST", QStringLiteral("/v1/admin/cases"),
                              QJsonObject{{QStringLiteral("cases"), QJsonArray{c}}}) != 200) {
        err << "hcp-bench-hub: case import failed" << Qt::endl;
        return 1;
    }
    Fleet fleet(QStringLiteral("127.0.0.1"), hub.port(), c.value(QLatin1String("hallCode")).toString(),
                c.value(QLatin1String("projectNo")).toString(), c.value(QLatin1String("userName")).toString());
    fleet.setApplicants(quick ? 300 : 4000);
    QString why;
    if (!fleet.enrollUpTo(connections, &why) || !fleet.prime(0, connections, 32, &why)) {
        err << "hcp-bench-hub: " << why << Qt::endl;
        return 1;
    }
    out() << "backend=" << backend << Qt::endl;
    print(QStringLiteral("connections"), connections);
    const qint64 hubPid = hub.pid();

    // Closed loop, one device per connection. Batches first: heartbeats then carry the signed
    // ledger head each device has from its last batch, as a kiosk's do.
    const Phase batch = measure(fleet, hubPid, Batch, connections, phaseMs, warmupMs);
    report(QStringLiteral("batch"), batch);
    const Phase beat = measure(fleet, hubPid, Heartbeat, connections, phaseMs, warmupMs);
    report(QStringLiteral("heartbeat"), beat);
    const Phase poll = measure(fleet, hubPid, Poll, connections, phaseMs * 2 / 3, warmupMs);
    report(QStringLiteral("poll"), poll);
    print(QStringLiteral("hub_rss_kb"), double(processRssKb(hubPid)));

    // Open loop: the fleet mix, stepped up until p99 reaches 1 s.
    int best = 0;
    double commandP99 = -1;
    for (int k : steps) {
        const int known = fleet.size();
        if (!fleet.enrollUpTo(k, &why) || !fleet.prime(known, k, 32, &why)) {
            err << "hcp-bench-hub: " << why << Qt::endl;
            return 1;
        }
        const double hub0 = sync::test::processCpuSeconds(hubPid);
        const std::vector<Stats> mix = fleet.openLoop(k, qMin(k, 900), stepMs, quick ? 2000 : 5000, quick ? 500 : 2000);
        const double hubCpu = sync::test::processCpuSeconds(hubPid) - hub0;
        Stats all;
        for (int kind = 0; kind < Command; ++kind) {
            all.ms.insert(all.ms.end(), mix[size_t(kind)].ms.begin(), mix[size_t(kind)].ms.end());
            all.failed += mix[size_t(kind)].failed;
        }
        const double p99 = all.quantile(0.99);
        const bool holds = all.ok() > 0 && p99 < 1000 && double(all.failed) < 0.01 * double(all.ok() + all.failed);
        const QString prefix = QStringLiteral("fleet_%1_").arg(k);
        print(prefix + QStringLiteral("req_per_s"), std::round(double(all.ok()) / (stepMs / 1000.0)));
        print(prefix + QStringLiteral("p99_ms"), p99);
        print(prefix + QStringLiteral("poll_p99_ms"), mix[Poll].quantile(0.99));
        print(prefix + QStringLiteral("batch_p99_ms"), mix[Batch].quantile(0.99));
        print(prefix + QStringLiteral("failed"), double(all.failed));
        print(prefix + QStringLiteral("command_p99_ms"), mix[Command].quantile(0.99));
        print(prefix + QStringLiteral("command_undelivered"), double(mix[Command].failed));
        print(prefix + QStringLiteral("hub_cpu_pct"), 100.0 * hubCpu / (stepMs / 1000.0));
        print(prefix + QStringLiteral("hub_rss_kb"), double(processRssKb(hubPid)));
        if (!holds)
            break;
        best = k;
        if (mix[Command].ok() > 0)
            commandP99 = mix[Command].quantile(0.99);
    }
    print(QStringLiteral("max_kiosks_p99_1s"), best);
    if (commandP99 >= 0)
        print(QStringLiteral("command_p99_ms"), commandP99);
    print(QStringLiteral("hub_rss_peak_kb"), double(processRssKb(hubPid, true)));

    // The floor: same client, same request size, an answer of the heartbeat answer's size.
    const QByteArray request = fleet.heartbeatRequest(0);
    const QByteArray answerBody(260, 'x');
    const QByteArray answer = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
        + QByteArray::number(answerBody.size()) + "\r\n\r\n" + answerBody;
    QThread floorThread;
    auto *floor = new FloorServer(answer);
    floor->moveToThread(&floorThread);
    quint16 floorPort = 0;
    QObject::connect(&floorThread, &QThread::finished, floor, &QObject::deleteLater);
    floorThread.start();
    QMetaObject::invokeMethod(floor, [floor, &floorPort] {
        floor->listen(QHostAddress::LocalHost, 0);
        floorPort = floor->serverPort();
    }, Qt::BlockingQueuedConnection);
    const int floorConnections = qMin(connections, 200);
    std::vector<std::unique_ptr<HttpConnection>> floorConns;
    qint64 floorCount = 0;
    QElapsedTimer floorClock;
    floorClock.start();
    const int floorMs = quick ? 3000 : 10000;
    QEventLoop floorLoop;
    int floorRunning = floorConnections;
    std::function<void(HttpConnection *)> again = [&](HttpConnection *conn) {
        if (floorClock.elapsed() >= floorMs) {
            if (--floorRunning == 0)
                floorLoop.quit();
            return;
        }
        conn->send(request, [&, conn](const HttpAnswer &a) {
            floorCount += a.status == 200;
            again(conn);
        });
    };
    for (int i = 0; i < floorConnections; ++i) {
        floorConns.push_back(std::make_unique<HttpConnection>(QStringLiteral("127.0.0.1"), floorPort));
        again(floorConns.back().get());
    }
    floorLoop.exec();
    floorThread.quit();
    floorThread.wait();
    const double floorPerS = double(floorCount) / (floorMs / 1000.0);
    print(QStringLiteral("floor_per_s"), std::round(floorPerS));
    const double beatRate = double(beat.stats.ok()) / beat.seconds;
    const double batchRate = double(batch.stats.ok()) / batch.seconds;
    print(QStringLiteral("heartbeat_floor_ratio"), floorPerS > 0 ? beatRate / floorPerS : 0, 4);
    print(QStringLiteral("batch_floor_ratio"), floorPerS > 0 ? batchRate / floorPerS : 0, 4);
    // The hub's warnings, for a run that lost requests (stderr; stdout stays name=value).
    const QStringList log = hub.takeLog().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    for (const QString &line : log.mid(qMax(0, int(log.size()) - 40)))
        err << "hub: " << line << '\n';
    err.flush();
    hub.kill();
    return 0;
}

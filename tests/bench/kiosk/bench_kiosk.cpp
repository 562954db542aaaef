// SPDX-License-Identifier: Apache-2.0
// hcp-bench-kiosk: the kiosk's targets from ARCHITECTURE.md, each next to its floor measured in
// the same run, printed one name=value per line on stdout:
//  - startup: wall time from QProcess::start() of the real hcp-kiosk binary
//    (QT_QPA_PLATFORM=offscreen, --print-first-frame, an existing data directory, i.e. the
//    production path without demo data) until it prints "first-frame-ms=" after its first
//    QQuickWindow::frameSwapped; floor = hcp-bench-floor-window, a bare 1080×1920 Qt Quick
//    window launched the same way. Median over --launches runs, kiosk and floor alternating,
//    after one unmeasured warm-up of each.
//  - rss: VmRSS from /proc/<pid>/status after --idle-ms on the start screen
//    (hcp-kiosk --demo --data-dir <tmp>) vs the bare window idling. Median over --launches.
//  - idle CPU: utime+stime from /proc/<pid>/stat over the next --cpu-ms of the same launches,
//    pooled, as percent of one core (target ≤ 0.5 %), with the bare window's for comparison.
//  - commit: Store::commitEvaluation latency over --commits valid evaluations on a temp file vs
//    a bare sqlite3 C-API transaction (BEGIN; one INSERT of a row the size of an evaluation's
//    JSON; COMMIT) with journal_mode=WAL and synchronous=FULL on the same file system,
//    interleaved one for one so both see the same disk and CPU load.
// Exit code 0 when every measurement was taken, 1 otherwise. No timing is asserted here.
#include "evaluation.h"
#include "indicatorset.h"
#include "store.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QProcess>
#include <QTemporaryDir>
#include <QThread>
#include <QUuid>

#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>

using namespace hcp::kiosk;

namespace {

double median(QList<double> v)
{
    std::sort(v.begin(), v.end());
    const qsizetype n = v.size();
    return n % 2 ? v.at(n / 2) : (v.at(n / 2 - 1) + v.at(n / 2)) / 2.0;
}

// Nearest-rank percentile, p in (0, 100].
double percentile(QList<double> v, double p)
{
    std::sort(v.begin(), v.end());
    const qsizetype rank = qsizetype(std::ceil(p / 100.0 * double(v.size())));
    return v.at(std::clamp<qsizetype>(rank - 1, 0, v.size() - 1));
}

QProcessEnvironment offscreenEnv()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    return env;
}

// Wall ms from launch to the program's "first-frame-ms=" line, or nullopt on failure.
std::optional<double> timeToFirstFrame(const QString &program, const QStringList &args)
{
    QProcess p;
    p.setProcessEnvironment(offscreenEnv());
    p.setStandardErrorFile(QProcess::nullDevice());
    QElapsedTimer t;
    t.start();
    p.start(program, args);
    if (!p.waitForStarted(10000))
        return std::nullopt;
    QByteArray out;
    std::optional<double> ms;
    while (!ms && t.elapsed() < 30000) {
        out += p.readAllStandardOutput();
        if (out.contains("first-frame-ms=") && out.endsWith('\n')) {
            ms = double(t.nsecsElapsed()) / 1e6;
            break;
        }
        if (p.state() == QProcess::NotRunning)
            break;
        p.waitForReadyRead(50);
    }
    if (!p.waitForFinished(10000)) {
        p.kill();
        p.waitForFinished();
    }
    if (!ms)
        std::fprintf(stderr, "bench-kiosk: %s printed no first frame (exit %d)\n", qPrintable(program), p.exitCode());
    return ms;
}

qint64 vmRssKb(qint64 pid)
{
    QFile f(QStringLiteral("/proc/%1/status").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    return -1;
}

// CPU time (utime + stime) of a process in clock ticks, or -1.
qint64 cpuTicks(qint64 pid)
{
    QFile f(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray stat = f.readAll();
    // Fields after the parenthesised command name (which may itself contain blanks).
    const QList<QByteArray> fields = stat.mid(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of proc(5), i.e. index 11 and 12 here.
    return fields.size() > 12 ? fields.at(11).toLongLong() + fields.at(12).toLongLong() : -1;
}

struct IdleSample {
    double rssKb = 0;
    qint64 cpuTicks = 0; // spent during the CPU window
    qint64 windowMs = 0;
};

// Lets the program settle for `idleMs`, reads VmRSS, then counts the CPU it uses over the next
// `cpuMs` while nobody touches it; then kills it. nullopt if it died or never started.
std::optional<IdleSample> idleProbe(const QString &program, const QStringList &args, int idleMs, int cpuMs)
{
    QProcess p;
    p.setProcessEnvironment(offscreenEnv());
    p.setStandardErrorFile(QProcess::nullDevice());
    p.setStandardOutputFile(QProcess::nullDevice());
    p.start(program, args);
    if (!p.waitForStarted(10000))
        return std::nullopt;
    // Not waitForFinished(idleMs): a quitting child must show up as a failure, not as a sample.
    QThread::msleep(idleMs);
    IdleSample s;
    const qint64 pid = p.processId();
    const qint64 kb = p.state() == QProcess::Running ? vmRssKb(pid) : -1;
    const qint64 ticks0 = cpuTicks(pid);
    QElapsedTimer window;
    window.start();
    QThread::msleep(cpuMs);
    const qint64 ticks1 = p.state() == QProcess::Running ? cpuTicks(pid) : -1;
    s.windowMs = window.elapsed();
    p.kill();
    p.waitForFinished(10000);
    if (kb <= 0 || ticks0 < 0 || ticks1 < 0) {
        std::fprintf(stderr, "bench-kiosk: %s was not running after %d ms\n", qPrintable(program), idleMs);
        return std::nullopt;
    }
    s.rssKb = double(kb);
    s.cpuTicks = ticks1 - ticks0;
    return s;
}

Evaluation benchEvaluation(int i, const IndicatorSet &indicators)
{
    Evaluation e;
    e.projectNo = QStringLiteral("BENCH%1").arg(i, 8, 10, QLatin1Char('0'));
    e.satisfaction = 1 + i % 5;
    if (e.satisfaction <= 2)
        e.evalDetail << indicators.forLevel(e.satisfaction).value(0).code;
    e.writingEvaluation = i % 3 == 0 ? QStringLiteral("窗口工作人员耐心细致，材料一次讲清楚。") : QString();
    e.indicatorVersion = indicators.version;
    e.taskCode = QStringLiteral("11330000002482536N4000117003000");
    e.taskName = QStringLiteral("食品经营许可（新办）");
    e.deptCode = QStringLiteral("330102-SCJG");
    e.deptName = QStringLiteral("市场监督管理局");
    e.areaCode = QStringLiteral("330102");
    e.staffNo = QStringLiteral("S0107");
    e.staffName = QStringLiteral("李华");
    e.windowNo = QStringLiteral("7");
    e.userNameMasked = QStringLiteral("李*");
    return e;
}

class SqliteFloor {
public:
    ~SqliteFloor()
    {
        sqlite3_finalize(m_insert);
        sqlite3_close(m_db);
    }
    bool open(const QString &path)
    {
        if (sqlite3_open(QFile::encodeName(path).constData(), &m_db) != SQLITE_OK)
            return false;
        return exec("PRAGMA journal_mode=WAL") && exec("PRAGMA synchronous=FULL")
            && exec("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, uuid TEXT NOT NULL, payload TEXT NOT NULL)")
            && sqlite3_prepare_v2(m_db, "INSERT INTO t (uuid, payload) VALUES (?, ?)", -1, &m_insert, nullptr) == SQLITE_OK;
    }
    // One transaction with one insert; returns false on any error.
    bool commit(const QByteArray &uuid, const QByteArray &payload)
    {
        if (!exec("BEGIN"))
            return false;
        sqlite3_bind_text(m_insert, 1, uuid.constData(), int(uuid.size()), SQLITE_TRANSIENT);
        sqlite3_bind_text(m_insert, 2, payload.constData(), int(payload.size()), SQLITE_TRANSIENT);
        const bool ok = sqlite3_step(m_insert) == SQLITE_DONE;
        sqlite3_reset(m_insert);
        if (!ok) {
            exec("ROLLBACK");
            return false;
        }
        return exec("COMMIT");
    }

private:
    bool exec(const char *sql)
    {
        char *err = nullptr;
        const int rc = sqlite3_exec(m_db, sql, nullptr, nullptr, &err);
        if (rc != SQLITE_OK)
            std::fprintf(stderr, "bench-kiosk: sqlite: %s: %s\n", sql, err ? err : "?");
        sqlite3_free(err);
        return rc == SQLITE_OK;
    }
    sqlite3 *m_db = nullptr;
    sqlite3_stmt *m_insert = nullptr;
};

void print(const char *name, double value, int decimals)
{
    std::printf("%s=%.*f\n", name, decimals, value);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QLoggingCategory::setFilterRules(QStringLiteral("hcp.*.info=false"));
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Kiosk startup, idle RSS and commit latency against their floors"));
    parser.addHelpOption();
    QCommandLineOption launchesOpt(QStringLiteral("launches"), QStringLiteral("Launches per startup/RSS median (default 5)."), QStringLiteral("N"), QStringLiteral("5"));
    QCommandLineOption commitsOpt(QStringLiteral("commits"), QStringLiteral("Commits per latency sample (default 1000)."), QStringLiteral("N"), QStringLiteral("1000"));
    QCommandLineOption idleOpt(QStringLiteral("idle-ms"), QStringLiteral("Idle time before reading VmRSS (default 2000)."), QStringLiteral("MS"), QStringLiteral("2000"));
    QCommandLineOption cpuOpt(QStringLiteral("cpu-ms"), QStringLiteral("Idle CPU window per launch after the RSS reading (default 2000)."), QStringLiteral("MS"), QStringLiteral("2000"));
    QCommandLineOption kioskOpt(QStringLiteral("kiosk"), QStringLiteral("hcp-kiosk binary."), QStringLiteral("PATH"), QStringLiteral(HCP_KIOSK_BINARY));
    QCommandLineOption floorOpt(QStringLiteral("floor"), QStringLiteral("Bare window binary."), QStringLiteral("PATH"), QStringLiteral(HCP_FLOOR_BINARY));
    parser.addOptions({launchesOpt, commitsOpt, idleOpt, cpuOpt, kioskOpt, floorOpt});
    parser.process(app);
    const int launches = qMax(1, parser.value(launchesOpt).toInt());
    const int commits = qMax(10, parser.value(commitsOpt).toInt());
    const int idleMs = qMax(100, parser.value(idleOpt).toInt());
    const int cpuMs = qMax(100, parser.value(cpuOpt).toInt());
    const QString kiosk = parser.value(kioskOpt);
    const QString floor = parser.value(floorOpt);

    QTemporaryDir dir;
    if (!dir.isValid())
        return 1;

    // Startup. The data directory is created by the warm-up launch, so measured launches take
    // the everyday path (schema current, no migration).
    const QStringList kioskStartArgs{QStringLiteral("--data-dir"), dir.filePath(QStringLiteral("startup")),
                                     QStringLiteral("--print-first-frame")};
    const QStringList floorStartArgs{QStringLiteral("--print-first-frame")};
    if (!timeToFirstFrame(kiosk, kioskStartArgs) || !timeToFirstFrame(floor, floorStartArgs))
        return 1;
    QList<double> startup, startupFloor;
    for (int i = 0; i < launches; ++i) {
        const auto f = timeToFirstFrame(floor, floorStartArgs);
        const auto k = timeToFirstFrame(kiosk, kioskStartArgs);
        if (!f || !k)
            return 1;
        startupFloor << *f;
        startup << *k;
    }

    // Idle RSS and CPU on the start screen, demo data loaded. CPU is pooled over all launches
    // (clock ticks are 10 ms, too coarse for one short window).
    QList<double> rss, rssFloor;
    qint64 ticks = 0, ticksFloor = 0, windowMs = 0, windowFloorMs = 0;
    for (int i = 0; i < launches; ++i) {
        const auto k = idleProbe(kiosk, {QStringLiteral("--demo"), QStringLiteral("--data-dir"),
                                         dir.filePath(QStringLiteral("rss%1").arg(i))}, idleMs, cpuMs);
        const auto f = idleProbe(floor, {}, idleMs, cpuMs);
        if (!k || !f)
            return 1;
        rss << k->rssKb;
        rssFloor << f->rssKb;
        ticks += k->cpuTicks;
        windowMs += k->windowMs;
        ticksFloor += f->cpuTicks;
        windowFloorMs += f->windowMs;
    }
    const double tickMs = 1000.0 / double(sysconf(_SC_CLK_TCK));

    // Commit latency, Store and bare SQLite interleaved.
    Store store;
    QString error;
    if (!store.open(dir.filePath(QStringLiteral("commit.sqlite")), &error)) {
        std::fprintf(stderr, "bench-kiosk: store: %s\n", qPrintable(error));
        return 1;
    }
    SqliteFloor bare;
    if (!bare.open(dir.filePath(QStringLiteral("floor.sqlite"))))
        return 1;
    const IndicatorSet indicators = IndicatorSet::builtin();
    constexpr int kWarmup = 20;
    QList<double> commit, commitFloor;
    for (int i = 0; i < commits + kWarmup; ++i) {
        Evaluation e = benchEvaluation(i, indicators);
        QElapsedTimer t;
        t.start();
        const Store::CommitResult r = store.commitEvaluation(e);
        const double storeMs = double(t.nsecsElapsed()) / 1e6;
        if (!r.ok()) {
            std::fprintf(stderr, "bench-kiosk: commit failed: %s\n", qPrintable(r.error));
            return 1;
        }
        // The same bytes the Store wrote as the evaluation's payload.
        const QByteArray payload = QJsonDocument(e.toJson()).toJson(QJsonDocument::Compact);
        const QByteArray uuid = QUuid::createUuid().toByteArray(QUuid::WithoutBraces);
        t.restart();
        if (!bare.commit(uuid, payload))
            return 1;
        const double floorMs = double(t.nsecsElapsed()) / 1e6;
        if (i >= kWarmup) {
            commit << storeMs;
            commitFloor << floorMs;
        }
    }

    const double startupMs = median(startup), startupFloorMs = median(startupFloor);
    const double rssKb = median(rss), rssFloorKb = median(rssFloor);
    const double commitP99 = percentile(commit, 99), commitFloorP99 = percentile(commitFloor, 99);
    print("startup_ms", startupMs, 1);
    print("startup_floor_ms", startupFloorMs, 1);
    print("startup_ratio", startupMs / startupFloorMs, 2);
    print("rss_kb", rssKb, 0);
    print("rss_floor_kb", rssFloorKb, 0);
    print("rss_ratio", rssKb / rssFloorKb, 2);
    // Percent of one core; the floor shows what the platform costs with nothing to draw.
    print("idle_cpu_pct", 100.0 * double(ticks) * tickMs / double(windowMs), 2);
    print("idle_cpu_floor_pct", 100.0 * double(ticksFloor) * tickMs / double(windowFloorMs), 2);
    print("commit_p50_ms", percentile(commit, 50), 3);
    print("commit_p99_ms", commitP99, 3);
    print("commit_floor_p50_ms", percentile(commitFloor, 50), 3);
    print("commit_floor_p99_ms", commitFloorP99, 3);
    print("commit_ratio", commitP99 / commitFloorP99, 2);
    print("launches", launches, 0);
    print("commits", commits, 0);
    std::fflush(stdout);
    return 0;
}

// SPDX-License-Identifier: Apache-2.0
// Issue 13, "What was found" 4–8, as an anonymous client (or a captured kiosk request) against a
// real hcp-hub process: every attack gets its status code, and the hub keeps answering
// /v1/health quickly while it is attacked.
#include "hubprocess.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QMutex>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <algorithm>
#include <atomic>

using namespace hcp;
using namespace hcp::sync::test;

namespace {

// The hub's peak resident memory (VmHWM, bytes).
qint64 peakRss(qint64 pid)
{
    QFile f(QStringLiteral("/proc/%1/status").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong() * 1024;
    }
    return -1;
}

// Sends raw bytes and reads until the peer closes or timeoutMs; returns what came back.
QByteArray rawExchange(quint16 port, const QByteArray &request, int timeoutMs = 5000)
{
    QTcpSocket s;
    s.connectToHost(QHostAddress::LocalHost, port);
    if (!s.waitForConnected(3000))
        return {};
    s.write(request);
    QByteArray out;
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < timeoutMs && s.state() == QAbstractSocket::ConnectedState) {
        s.waitForReadyRead(50);
        out += s.readAll();
        if (out.contains("\r\n\r\n") && out.contains("Connection: close") == false && out.startsWith("HTTP/1.1 200"))
            break; // a keep-alive answer: enough
    }
    out += s.readAll();
    return out;
}

int statusOf(const QByteArray &response)
{
    return response.startsWith("HTTP/1.1 ") ? response.mid(9, 3).toInt() : 0;
}

// Probes GET /v1/health every 20 ms from its own thread (own connection each time, like a
// kiosk), recording each answer's latency; an unanswered probe counts as its timeout.
class HealthProbe : public QThread
{
public:
    explicit HealthProbe(quint16 port) : m_port(port) {}
    void stop() { m_stop = true; wait(); }
    QList<double> latenciesMs() const { QMutexLocker l(&m_mutex); return m_latencies; }

    static double percentile(QList<double> v, double p)
    {
        if (v.isEmpty())
            return -1;
        std::sort(v.begin(), v.end());
        return v.at(qBound<qsizetype>(0, qsizetype(p * double(v.size() - 1) + 0.5), v.size() - 1));
    }

protected:
    void run() override
    {
        while (!m_stop) {
            QElapsedTimer t;
            t.start();
            QTcpSocket s;
            s.connectToHost(QHostAddress::LocalHost, m_port);
            bool ok = s.waitForConnected(3000);
            if (ok) {
                s.write("GET /v1/health HTTP/1.1\r\nHost: hub\r\n\r\n");
                QByteArray got;
                while (ok && !got.contains("\"status\"")) {
                    ok = s.waitForReadyRead(3000);
                    got += s.readAll();
                }
            }
            const double ms = ok ? double(t.nsecsElapsed()) / 1e6 : 3000.0;
            {
                QMutexLocker l(&m_mutex);
                m_latencies.append(ms);
            }
            s.abort();
            QThread::msleep(20);
        }
    }

private:
    quint16 m_port;
    std::atomic<bool> m_stop{false};
    mutable QMutex m_mutex;
    QList<double> m_latencies;
};

void reportLatencies(const char *what, const QList<double> &ms)
{
    qInfo("%s: health probes %lld, p50 %.1f ms, p95 %.1f ms, max %.1f ms", what, qlonglong(ms.size()),
          HealthProbe::percentile(ms, 0.5), HealthProbe::percentile(ms, 0.95), HealthProbe::percentile(ms, 1.0));
}

} // namespace

class TestHubGuard : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();

    // 7: the hub protects itself before a body is read.
    void requestLine_overEightKiB_refused414();
    void headers_overLimit_refused431();
    void declaredBody_overEndpointLimit_refused413BeforeTheBody();
    void chunkedBody_refused411();
    void pipelinedRequests_underLimits_allAnswered();
    void oneGigabyteUpload_refusedAtHeaders_healthStaysFast();
    void slowHeaders_closedAfterTimeout408();
    void idleConnection_closedAfterTimeout();

private:
    QTemporaryDir m_dir;
    HubProcess m_hub;
};

void TestHubGuard::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY2(m_hub.start(m_dir.filePath(QStringLiteral("hub.sqlite")), 0, {QStringLiteral("--idle-timeout"), QStringLiteral("1")}),
             qPrintable(m_hub.output()));
}

void TestHubGuard::requestLine_overEightKiB_refused414()
{
    // An 8 MiB URL was read whole before; now the answer comes after the first 8 KiB.
    const QByteArray request = "GET /v1/cases/lookup?qr=" + QByteArray(64 * 1024, 'a') + " HTTP/1.1\r\nHost: hub\r\n\r\n";
    const QByteArray response = rawExchange(m_hub.port(), request);
    QCOMPARE(statusOf(response), 414);
    QVERIFY(response.contains("uri_too_long"));
    // A request line at the limit still works.
    const QByteArray fine = "GET /v1/health?pad=" + QByteArray(7000, 'a') + " HTTP/1.1\r\nHost: hub\r\n\r\n";
    QCOMPARE(statusOf(rawExchange(m_hub.port(), fine)), 200);
}

void TestHubGuard::headers_overLimit_refused431()
{
    QByteArray many = "GET /v1/health HTTP/1.1\r\nHost: hub\r\n";
    for (int i = 0; i < 64; ++i)
        many += "X-Pad-" + QByteArray::number(i) + ": " + QByteArray(1000, 'b') + "\r\n";
    many += "\r\n";
    QCOMPARE(statusOf(rawExchange(m_hub.port(), many)), 431);
    const QByteArray oneLong = "GET /v1/health HTTP/1.1\r\nHost: hub\r\nX-Long: " + QByteArray(16 * 1024 * 1024, 'c') + "\r\n\r\n";
    const QByteArray response = rawExchange(m_hub.port(), oneLong);
    QCOMPARE(statusOf(response), 431);
    QVERIFY(response.contains("headers_too_large"));
}

void TestHubGuard::declaredBody_overEndpointLimit_refused413BeforeTheBody()
{
    // Only the headers are sent: the answer must not wait for the body.
    const QByteArray login = "POST /console/api/login HTTP/1.1\r\nHost: hub\r\nContent-Type: application/json\r\n"
                             "Content-Length: 104857600\r\n\r\n"; // a 100 MB user name
    const QByteArray response = rawExchange(m_hub.port(), login, 3000);
    QCOMPARE(statusOf(response), 413);
    QVERIFY(response.contains("body_too_large"));
    const QByteArray batch = "POST /v1/evaluations/batch HTTP/1.1\r\nHost: hub\r\nContent-Length: 9000000\r\n\r\n";
    QCOMPARE(statusOf(rawExchange(m_hub.port(), batch, 3000)), 413);
    // Two different Content-Length headers (request smuggling) are refused too.
    const QByteArray twice = "POST /v1/heartbeat HTTP/1.1\r\nHost: hub\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}";
    QCOMPARE(statusOf(rawExchange(m_hub.port(), twice, 3000)), 400);
}

void TestHubGuard::chunkedBody_refused411()
{
    const QByteArray chunked = "POST /v1/heartbeat HTTP/1.1\r\nHost: hub\r\nTransfer-Encoding: chunked\r\n\r\n"
                               "2\r\n{}\r\n0\r\n\r\n";
    QCOMPARE(statusOf(rawExchange(m_hub.port(), chunked, 3000)), 411);
}

void TestHubGuard::pipelinedRequests_underLimits_allAnswered()
{
    // Keep-alive and pipelining still work through the guard, bodies included.
    QTcpSocket s;
    s.connectToHost(QHostAddress::LocalHost, m_hub.port());
    QVERIFY(s.waitForConnected(3000));
    const QByteArray body = "{\"user\":\"nobody\",\"password\":\"wrong-password\"}";
    s.write("GET /v1/health HTTP/1.1\r\nHost: hub\r\n\r\n"
            "POST /v1/heartbeat HTTP/1.1\r\nHost: hub\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body
            + "GET /v1/health HTTP/1.1\r\nHost: hub\r\n\r\n");
    QByteArray got;
    QElapsedTimer t;
    t.start();
    while (got.count("HTTP/1.1 ") < 3 && t.elapsed() < 5000) {
        s.waitForReadyRead(100);
        got += s.readAll();
    }
    QCOMPARE(got.count("HTTP/1.1 200"), 2);
    QCOMPARE(got.count("HTTP/1.1 401"), 1); // the heartbeat is unsigned
}

void TestHubGuard::oneGigabyteUpload_refusedAtHeaders_healthStaysFast()
{
    const qint64 before = peakRss(m_hub.pid());
    QVERIFY(before > 0);
    HealthProbe probe(m_hub.port());
    probe.start();
    QThread::msleep(200);
    // The attacker streams 1 GiB from one reused 64 KiB buffer and ignores the answer.
    constexpr qint64 kDeclared = 1024LL * 1024 * 1024;
    const QByteArray chunk(64 * 1024, 'x');
    QTcpSocket s;
    s.connectToHost(QHostAddress::LocalHost, m_hub.port());
    QVERIFY(s.waitForConnected(3000));
    s.write("POST /v1/evaluations/batch HTTP/1.1\r\nHost: hub\r\nContent-Type: application/json\r\nContent-Length: "
            + QByteArray::number(kDeclared) + "\r\n\r\n");
    qint64 sent = 0;
    QByteArray answer;
    QElapsedTimer t;
    t.start();
    while (sent < kDeclared && s.state() == QAbstractSocket::ConnectedState && t.elapsed() < 30000) {
        if (s.bytesToWrite() < 4 * chunk.size()) {
            s.write(chunk);
            sent += chunk.size();
        }
        s.waitForBytesWritten(50);
        answer += s.readAll();
    }
    answer += s.readAll();
    const qint64 cutAfterMs = t.elapsed();
    probe.stop();
    const qint64 after = peakRss(m_hub.pid());
    const QList<double> ms = probe.latenciesMs();
    reportLatencies("1 GiB upload", ms);
    qInfo("upload: answered %d, connection cut after %lld ms and %lld MiB sent; hub peak RSS %lld -> %lld MiB",
          statusOf(answer), qlonglong(cutAfterMs), qlonglong(sent >> 20), qlonglong(before >> 20), qlonglong(after >> 20));
    QCOMPARE(statusOf(answer), 413);
    QVERIFY2(sent < kDeclared, "the hub must cut the upload, not read it to the end");
    QVERIFY2(after - before < 64LL * 1024 * 1024, "the body must not be buffered");
    QVERIFY(m_hub.isRunning());
    QVERIFY(ms.size() >= 3);
    QVERIFY2(HealthProbe::percentile(ms, 0.5) < 100, "health median must stay under 100 ms");
    QVERIFY2(HealthProbe::percentile(ms, 1.0) < 1000, "no health probe may stall");
}

void TestHubGuard::slowHeaders_closedAfterTimeout408()
{
    // Slowloris: the headers never end. The hub (started with --idle-timeout 1) answers 408 and closes.
    QTcpSocket s;
    s.connectToHost(QHostAddress::LocalHost, m_hub.port());
    QVERIFY(s.waitForConnected(3000));
    QSignalSpy closed(&s, &QTcpSocket::disconnected);
    s.write("GET /v1/health HTTP/1.1\r\nHost: hub\r\nX-Slow: a");
    QByteArray got;
    QElapsedTimer t;
    t.start();
    while (closed.isEmpty() && t.elapsed() < 10000) {
        s.write("a"); // one byte at a time keeps the connection busy but never ends the headers
        s.waitForReadyRead(200);
        got += s.readAll();
    }
    QVERIFY2(!closed.isEmpty(), "a request that never ends must be cut");
    QVERIFY2(t.elapsed() < 8000, qPrintable(QString::number(t.elapsed())));
    QCOMPARE(statusOf(got), 408);
}

void TestHubGuard::idleConnection_closedAfterTimeout()
{
    QTcpSocket s;
    s.connectToHost(QHostAddress::LocalHost, m_hub.port());
    QVERIFY(s.waitForConnected(3000));
    QSignalSpy closed(&s, &QTcpSocket::disconnected);
    QTRY_VERIFY_WITH_TIMEOUT(!closed.isEmpty(), 5000);
    // And after one answered request, the kept-alive connection is closed when idle too.
    QTcpSocket k;
    k.connectToHost(QHostAddress::LocalHost, m_hub.port());
    QVERIFY(k.waitForConnected(3000));
    QSignalSpy kClosed(&k, &QTcpSocket::disconnected);
    k.write("GET /v1/health HTTP/1.1\r\nHost: hub\r\n\r\n");
    QTRY_VERIFY_WITH_TIMEOUT(k.bytesAvailable() > 0 || !kClosed.isEmpty(), 3000);
    QVERIFY(k.readAll().startsWith("HTTP/1.1 200"));
    QTRY_VERIFY_WITH_TIMEOUT(!kClosed.isEmpty(), 5000);
}

QTEST_GUILESS_MAIN(TestHubGuard)
#include "tst_hubguard.moc"

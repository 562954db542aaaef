// SPDX-License-Identifier: Apache-2.0
// Issue 13, "What was found" 4–8, as an anonymous client (or a captured kiosk request) against a
// real hcp-hub process: every attack gets its status code, and the hub keeps answering
// /v1/health quickly while it is attacked.
#include "crypto.h"
#include "deviceidentity.h"
#include "hubclient.h"
#include "hubprocess.h"

#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QMutex>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QTimer>
#include <QUrlQuery>

#include <algorithm>
#include <atomic>

using namespace hcp;
using namespace hcp::sync;
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

QString errorOf(const QByteArray &body)
{
    return QJsonDocument::fromJson(body).object().value(QLatin1String("error")).toString();
}

QJsonObject caseIn(const QString &hall, const QString &projectNo)
{
    QJsonObject c = protocolExample(QStringLiteral("case"));
    c.remove(QStringLiteral("certKeyHash"));
    c.insert(QStringLiteral("certNo"), QStringLiteral("11010519491231002X"));
    c.insert(QStringLiteral("hallCode"), hall);
    c.insert(QStringLiteral("projectNo"), projectNo);
    return c;
}

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

    // 4: one-time enrollment tokens bound to a hall the hub knows.
    void enrollToken_reused_refused403();
    void enrollToken_otherHall_refused403_ownHallTaken();
    void enrollToken_unknownHall_notIssued();
    void enrollToken_expired_refused403();
    // 6: the admin API answers only to its token; none given → one is made and printed once.
    void noAdminToken_generatedOnce0600_loopbackRefused403();
    // 8: per-device lists without deviceId are a 400, not an empty list.
    void adminLists_withoutDeviceId_refused400();
    // 8: duplicated JSON keys are refused.
    void duplicateJsonKeys_refused400();
    // 5: the replay window, replayed personal-data reads, other halls' cases.
    void signedTime_outsideWindow_refused401WithHubTime();
    void personalRead_replayed_refused401();
    void qrLookup_otherHallsCase_notFound404();
    void hubClient_wrongClock_correctsOffsetAndReportsIt();
    // 7: client strings in the log are capped.
    void hugeUserName_loggedCapped();
    // 7: unknown-key alerts aggregated per device and hour.
    void randomKeys_flood_oneCountedAlertPerHour();
    // 7: password hashing off the serving thread, throttled per address and per account.
    void loginBurst_twentyPerSecond_healthStaysFast();
    void login_rightPassword_sessionAfterAsyncCheck();
    void login_sameAddress_throttled429();
    void login_sameAccountManyAddresses_throttled429();
    void login_clientGoneBeforeTheHash_hubKeepsServing();

private:
    QTemporaryDir m_dir;
    HubProcess m_hub;
    trust::Key m_key = trust::Key::generate(trust::KeyType::Sm2);
    DeviceCredentials m_creds;
};

void TestHubGuard::initTestCase()
{
    QVERIFY(m_dir.isValid());
    // A console user, made the way an operator does (password on stdin).
    QProcess addUser;
    addUser.start(hubBinary(), {QStringLiteral("add-user"), QStringLiteral("ops"), QStringLiteral("admin"),
                                QStringLiteral("--db"), m_dir.filePath(QStringLiteral("hub.sqlite"))});
    addUser.write("right-password\n");
    addUser.closeWriteChannel();
    QVERIFY(addUser.waitForFinished(30000));
    QCOMPARE(addUser.exitCode(), 0);
    // Loopback plays the reverse proxy: X-Forwarded-For names the (simulated) client.
    QVERIFY2(m_hub.start(m_dir.filePath(QStringLiteral("hub.sqlite")), 0,
                         {QStringLiteral("--idle-timeout"), QStringLiteral("1"), QStringLiteral("--trusted-proxy"),
                          QStringLiteral("127.0.0.1")}),
             qPrintable(m_hub.output()));
    m_creds = enrollWithKey(m_hub.url(), QStringLiteral("KIOSK-GUARD-0001"), m_key);
    QVERIFY(m_creds.isValid());
    QCOMPARE(adminSend(m_hub.url(), "POST", QStringLiteral("/v1/admin/cases"),
                       QJsonObject{{QStringLiteral("cases"), QJsonArray{caseIn(QLatin1String(kHall), QStringLiteral("110105202612070001")),
                                                                        caseIn(QStringLiteral("HALL-999"), QStringLiteral("110105202612079999"))}}}),
             200);
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
    // The per-endpoint limit applies: 8 KiB is fine elsewhere but over the login's 4 KiB.
    const QByteArray smallLogin = "POST /console/api/login HTTP/1.1\r\nHost: hub\r\nContent-Length: 8192\r\n\r\n";
    QCOMPARE(statusOf(rawExchange(m_hub.port(), smallLogin, 3000)), 413);
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

namespace {

// One attacker connection: declares 1 GiB, streams it from one reused 64 KiB buffer until the
// hub answers and cuts the connection. Returns the status; *sent the bytes it got out.
int uploadOneGigabyte(quint16 port, qint64 *sent)
{
    constexpr qint64 kDeclared = 1024LL * 1024 * 1024;
    static const QByteArray chunk(64 * 1024, 'x');
    QTcpSocket s;
    s.connectToHost(QHostAddress::LocalHost, port);
    if (!s.waitForConnected(3000))
        return -1;
    s.write("POST /v1/evaluations/batch HTTP/1.1\r\nHost: hub\r\nContent-Type: application/json\r\nContent-Length: "
            + QByteArray::number(kDeclared) + "\r\n\r\n");
    *sent = 0;
    QByteArray answer;
    QElapsedTimer t;
    t.start();
    while (*sent < kDeclared && s.state() == QAbstractSocket::ConnectedState && t.elapsed() < 30000) {
        if (s.bytesToWrite() < 4 * chunk.size()) {
            s.write(chunk);
            *sent += chunk.size();
        }
        s.waitForBytesWritten(50);
        answer += s.readAll();
    }
    answer += s.readAll();
    return statusOf(answer);
}

} // namespace

void TestHubGuard::oneGigabyteUpload_refusedAtHeaders_healthStaysFast()
{
    // Found: one 1 GB POST took the hub to 2.1 GB RSS, three in parallel to 7 GB. Here attackers
    // keep starting 1 GiB uploads for 3 s while a kiosk-like probe asks /v1/health.
    const qint64 before = peakRss(m_hub.pid());
    QVERIFY(before > 0);
    HealthProbe probe(m_hub.port());
    probe.start();
    QThread::msleep(200);
    int uploads = 0;
    int refused = 0;
    qint64 sentTotal = 0;
    qint64 sentMax = 0;
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < 3000) {
        qint64 sent = 0;
        const int status = uploadOneGigabyte(m_hub.port(), &sent);
        ++uploads;
        refused += status == 413 ? 1 : 0;
        sentTotal += sent;
        sentMax = qMax(sentMax, sent);
    }
    probe.stop();
    const qint64 after = peakRss(m_hub.pid());
    const QList<double> ms = probe.latenciesMs();
    reportLatencies("1 GiB uploads", ms);
    qInfo("uploads: %d started, %d answered 413, at most %lld KiB of a body sent before the cut (%lld MiB in all); "
          "hub peak RSS %lld -> %lld MiB",
          uploads, refused, qlonglong(sentMax >> 10), qlonglong(sentTotal >> 20), qlonglong(before >> 20), qlonglong(after >> 20));
    QCOMPARE(refused, uploads);
    QVERIFY2(sentMax < 64LL * 1024 * 1024, "the hub must cut each upload, not read it to the end");
    QVERIFY2(after - before < 64LL * 1024 * 1024, "bodies must not be buffered");
    QVERIFY(m_hub.isRunning());
    QVERIFY(ms.size() >= 10);
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

namespace {

// `hcp-hub add-enroll-token HALL --ttl T` on the hub's database; the token, or empty (*exitCode).
QString addEnrollToken(const QString &db, const QString &hall, const QString &ttl, int *exitCode = nullptr)
{
    QProcess p;
    p.start(hubBinary(), {QStringLiteral("add-enroll-token"), hall, QStringLiteral("--ttl"), ttl, QStringLiteral("--db"), db});
    p.waitForFinished(30000);
    if (exitCode)
        *exitCode = p.exitCode();
    return p.exitCode() == 0 ? QString::fromLatin1(p.readAllStandardOutput()).trimmed() : QString();
}

int enrollWith(const QUrl &hub, const QString &token, const QString &deviceId, const QString &hall, QByteArray *body = nullptr)
{
    QJsonObject request{{QStringLiteral("enrollToken"), token},
                        {QStringLiteral("deviceId"), deviceId},
                        {QStringLiteral("deviceClass"), QStringLiteral("terminal")}};
    if (!hall.isEmpty())
        request.insert(QStringLiteral("hallCode"), hall);
    return httpRequest(hub.resolved(QUrl(QStringLiteral("/v1/enroll"))), "POST",
                       QJsonDocument(request).toJson(QJsonDocument::Compact), body);
}

} // namespace

void TestHubGuard::enrollToken_reused_refused403()
{
    // Found: the token was reusable (6 of 6 reuses → 201) although provisioning says it is burnt.
    const QString token = addEnrollToken(m_dir.filePath(QStringLiteral("hub.sqlite")), QLatin1String(kHall), QStringLiteral("24h"));
    QCOMPARE(token.size(), 48);
    QByteArray body;
    QCOMPARE(enrollWith(m_hub.url(), token, QStringLiteral("KIOSK-ONCE-1"), QLatin1String(kHall), &body), 201);
    QVERIFY(!QJsonDocument::fromJson(body).object().value(QLatin1String("deviceSecret")).toString().isEmpty());
    for (int i = 2; i <= 6; ++i) {
        QCOMPARE(enrollWith(m_hub.url(), token, QStringLiteral("KIOSK-ONCE-%1").arg(i), QLatin1String(kHall), &body), 403);
        QCOMPARE(errorOf(body), QStringLiteral("token_used"));
    }
    // A refused enrollment (the device exists) gives the token back for the right kiosk.
    const QString second = addEnrollToken(m_dir.filePath(QStringLiteral("hub.sqlite")), QLatin1String(kHall), QStringLiteral("24h"));
    QCOMPARE(enrollWith(m_hub.url(), second, QStringLiteral("KIOSK-ONCE-1"), QLatin1String(kHall), &body), 409);
    QCOMPARE(enrollWith(m_hub.url(), second, QStringLiteral("KIOSK-ONCE-7"), QLatin1String(kHall), &body), 201);
}

void TestHubGuard::enrollToken_otherHall_refused403_ownHallTaken()
{
    // Found: a device enrolled under any hall code it named.
    const QString token = addEnrollToken(m_dir.filePath(QStringLiteral("hub.sqlite")), QLatin1String(kHall), QStringLiteral("24h"));
    QByteArray body;
    QCOMPARE(enrollWith(m_hub.url(), token, QStringLiteral("KIOSK-HALL-1"), QStringLiteral("HALL-999"), &body), 403);
    QCOMPARE(errorOf(body), QStringLiteral("wrong_hall"));
    // Without hallCode the token's hall is taken.
    QCOMPARE(enrollWith(m_hub.url(), token, QStringLiteral("KIOSK-HALL-1"), {}, &body), 201);
    QCOMPARE(QJsonDocument::fromJson(body).object().value(QLatin1String("hallCode")).toString(), QLatin1String(kHall));
}

void TestHubGuard::enrollToken_unknownHall_notIssued()
{
    int exitCode = 0;
    QVERIFY(addEnrollToken(m_dir.filePath(QStringLiteral("hub.sqlite")), QStringLiteral("HALL-NOWHERE"), QStringLiteral("24h"),
                           &exitCode).isEmpty());
    QCOMPARE(exitCode, 3);
    // And a made-up token is no token.
    QByteArray body;
    QCOMPARE(enrollWith(m_hub.url(), QString(48, QLatin1Char('0')), QStringLiteral("KIOSK-FAKE-1"), QStringLiteral("HALL-NOWHERE"), &body), 403);
}

void TestHubGuard::enrollToken_expired_refused403()
{
    const QString token = addEnrollToken(m_dir.filePath(QStringLiteral("hub.sqlite")), QLatin1String(kHall), QStringLiteral("1"));
    QVERIFY(!token.isEmpty());
    QTest::qWait(1500); // the token's one second passes
    QByteArray body;
    QCOMPARE(enrollWith(m_hub.url(), token, QStringLiteral("KIOSK-LATE-1"), QLatin1String(kHall), &body), 403);
    QCOMPARE(errorOf(body), QStringLiteral("token_expired"));
}

void TestHubGuard::noAdminToken_generatedOnce0600_loopbackRefused403()
{
    // Found: without --admin-token any loopback client was admin — and behind the recommended
    // reverse proxy every client is loopback.
    QTemporaryDir dir;
    const QString db = dir.filePath(QStringLiteral("hub.sqlite"));
    auto start = [&](QProcess &p, QString *token) -> quint16 {
        p.setProcessChannelMode(QProcess::SeparateChannels);
        p.start(hubBinary(), {QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"), QStringLiteral("--db"), db});
        QString out;
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < 15000 && !out.contains(QLatin1String("listening on"))) {
            p.waitForReadyRead(100);
            out += QString::fromUtf8(p.readAllStandardOutput());
        }
        const auto token_ = QRegularExpression(QStringLiteral("admin token \\(shown once; kept in (.*)\\): ([0-9a-f]{64})")).match(out);
        *token = token_.hasMatch() ? token_.captured(2) : QString();
        const auto port = QRegularExpression(QStringLiteral("listening on [0-9.]+:(\\d+)")).match(out);
        return port.hasMatch() ? quint16(port.captured(1).toUInt()) : 0;
    };
    QProcess first;
    QString token;
    const quint16 port = start(first, &token);
    QVERIFY(port != 0);
    QCOMPARE(token.size(), 64);
    const QFileInfo file(dir.filePath(QStringLiteral("admin-token")));
    QVERIFY(file.exists());
    QCOMPARE(file.permissions() & (QFileDevice::ReadGroup | QFileDevice::ReadOther | QFileDevice::WriteGroup | QFileDevice::WriteOther),
             QFileDevice::Permissions());
    const QUrl hub(QStringLiteral("http://127.0.0.1:%1").arg(port));
    QByteArray body;
    QCOMPARE(httpRequest(hub.resolved(QUrl(QStringLiteral("/v1/admin/stats"))), "GET", {}, &body), 403);
    QCOMPARE(httpRequest(hub.resolved(QUrl(QStringLiteral("/v1/admin/stats"))), "GET", {}, &body,
                         {{"X-Forwarded-For", "127.0.0.1"}}), 403);
    QCOMPARE(httpRequest(hub.resolved(QUrl(QStringLiteral("/v1/admin/stats"))), "GET", {}, &body,
                         {{"Authorization", "Bearer " + token.toLatin1()}}), 200);
    first.kill();
    first.waitForFinished();
    // The second start keeps the token and does not print it again.
    QProcess second;
    QString again;
    const quint16 port2 = start(second, &again);
    QVERIFY(port2 != 0);
    QVERIFY(again.isEmpty());
    QCOMPARE(httpRequest(QUrl(QStringLiteral("http://127.0.0.1:%1/v1/admin/stats").arg(port2)), "GET", {}, &body,
                         {{"Authorization", "Bearer " + token.toLatin1()}}), 200);
    second.kill();
    second.waitForFinished();
}

void TestHubGuard::adminLists_withoutDeviceId_refused400()
{
    const QByteArray auth = QByteArray("Bearer ") + kAdminToken;
    for (const QString &path : {QStringLiteral("/v1/admin/tamper"), QStringLiteral("/v1/admin/evaluations"),
                                QStringLiteral("/v1/admin/audit")}) {
        QByteArray body;
        QCOMPARE(httpRequest(m_hub.url().resolved(QUrl(path)), "GET", {}, &body, {{"Authorization", auth}}), 400);
        QCOMPARE(errorOf(body), QStringLiteral("missing_parameter"));
        QCOMPARE(httpRequest(m_hub.url().resolved(QUrl(path + QStringLiteral("?all=1"))), "GET", {}, &body,
                             {{"Authorization", auth}}), 200);
    }
}

void TestHubGuard::duplicateJsonKeys_refused400()
{
    // The last key would win in QJsonDocument: a checked value could be shadowed.
    const QByteArray auth = QByteArray("Bearer ") + kAdminToken;
    QByteArray body;
    QCOMPARE(httpRequest(m_hub.url().resolved(QUrl(QStringLiteral("/v1/admin/cases"))), "POST",
                         R"({"cases":[],"cases":[]})", &body, {{"Authorization", auth}}), 400);
    QCOMPARE(httpRequest(m_hub.url().resolved(QUrl(QStringLiteral("/v1/enroll"))), "POST",
                         R"({"enrollToken":"x","deviceId":"A","hallCode":"HALL-001","deviceClass":"pad","hall\u0043ode":"B"})",
                         &body), 400);
    // The fraud settings: a valid body whose first key is shadowed by a second, also valid, one.
    QByteArray current;
    QCOMPARE(httpRequest(m_hub.url().resolved(QUrl(QStringLiteral("/v1/admin/fraud"))), "GET", {}, &current,
                         {{"Authorization", auth}}), 200);
    const QJsonObject settings = QJsonDocument::fromJson(current).object().value(QLatin1String("settings")).toObject();
    QVERIFY(settings.contains(QLatin1String("burstPerMinute")));
    const QByteArray valid = QJsonDocument(settings).toJson(QJsonDocument::Compact);
    const QByteArray shadowed = QByteArray("{\"burstPerMinute\":99999,") + valid.mid(1);
    QCOMPARE(httpRequest(m_hub.url().resolved(QUrl(QStringLiteral("/v1/admin/fraud/settings"))), "POST", shadowed, &body,
                         {{"Authorization", auth}}), 400);
    QCOMPARE(errorOf(body), QStringLiteral("bad_request"));
    QCOMPARE(httpRequest(m_hub.url().resolved(QUrl(QStringLiteral("/v1/admin/fraud"))), "GET", {}, &body,
                         {{"Authorization", auth}}), 200);
    QCOMPARE(QJsonDocument::fromJson(body).object().value(QLatin1String("settings")).toObject(), settings);
    QCOMPARE(httpRequest(m_hub.url().resolved(QUrl(QStringLiteral("/v1/admin/fraud/settings"))), "POST", valid, &body,
                         {{"Authorization", auth}}), 200);
    const QByteArray beat = R"({"kioskTimeMs":1,"nested":{"a":1,"a":2}})";
    QCOMPARE(signedRequest(m_hub.url(), m_creds, m_key, "POST", QStringLiteral("/v1/heartbeat"),
                           QDateTime::currentMSecsSinceEpoch(), beat, &body), 400);
    // The same keys in different objects are fine.
    const QByteArray fine = R"({"kioskTimeMs":1,"a":{"x":1},"b":{"x":1}})";
    QCOMPARE(signedRequest(m_hub.url(), m_creds, m_key, "POST", QStringLiteral("/v1/heartbeat"),
                           QDateTime::currentMSecsSinceEpoch(), fine, &body), 200);
}

void TestHubGuard::signedTime_outsideWindow_refused401WithHubTime()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const QString feed = QStringLiteral("/v1/cases/feed?cursor=0&limit=10");
    for (const qint64 t : {qint64(1), now - 400LL * 86400 * 1000, now + 10LL * 365 * 86400 * 1000, now - 6 * 60 * 1000}) {
        QByteArray body;
        QCOMPARE(signedRequest(m_hub.url(), m_creds, m_key, "GET", feed, t, {}, &body), 401);
        QCOMPARE(errorOf(body), QStringLiteral("stale_request"));
    }
    // Inside the window it is served, and every answer carries the hub's clock.
    QNetworkAccessManager nam;
    QNetworkRequest request(m_hub.url().resolved(QUrl(QStringLiteral("/v1/health"))));
    QNetworkReply *reply = nam.get(request);
    QTRY_VERIFY(reply->isFinished());
    const qint64 hubTime = reply->rawHeader("X-HCP-Hub-Time").toLongLong();
    QVERIFY(qAbs(hubTime - QDateTime::currentMSecsSinceEpoch()) < 5000);
    delete reply;
    QCOMPARE(signedRequest(m_hub.url(), m_creds, m_key, "GET", feed, now - 4 * 60 * 1000), 200);
}

void TestHubGuard::personalRead_replayed_refused401()
{
    const QString lookup = QStringLiteral("/v1/cases/lookup?qr=110105202612070001");
    const qint64 t = QDateTime::currentMSecsSinceEpoch();
    QByteArray body;
    QByteArray signature;
    QCOMPARE(signedRequest(m_hub.url(), m_creds, m_key, "GET", lookup, t, {}, &body, &signature), 200);
    // The captured request, sent again byte for byte, and with its signature re-encoded.
    const QList<QPair<QByteArray, QByteArray>> captured{{"X-HCP-Device", m_creds.deviceId.toUtf8()},
                                                        {"X-HCP-Time", QByteArray::number(t)},
                                                        {"X-HCP-Key", trust::DeviceIdentity::fingerprintOf(m_key).toLatin1()}};
    for (const QByteArray &variant : {signature, QByteArray(signature).replace("=", "")}) {
        QCOMPARE(httpRequest(m_hub.url().resolved(QUrl(lookup)), "GET", {}, &body,
                             captured + QList<QPair<QByteArray, QByteArray>>{{"X-HCP-Signature", variant}}), 401);
        QCOMPARE(errorOf(body), QStringLiteral("replayed"));
    }
    QCOMPARE(signedRequest(m_hub.url(), m_creds, m_key, "GET", lookup, t + 1, {}, &body), 200);
}

void TestHubGuard::qrLookup_otherHallsCase_notFound404()
{
    // Found: a HALL-999 device could read a HALL-001 case by qr=; here the other way round.
    QByteArray body;
    QCOMPARE(signedRequest(m_hub.url(), m_creds, m_key, "GET", QStringLiteral("/v1/cases/lookup?qr=110105202612079999"),
                           QDateTime::currentMSecsSinceEpoch(), {}, &body), 404);
    QCOMPARE(signedRequest(m_hub.url(), m_creds, m_key, "GET",
                           QStringLiteral("/v1/cases/lookup?projectNo=110105202612079999&name=") + QString::fromUtf8(QUrl::toPercentEncoding(caseIn({}, {}).value(QLatin1String("userName")).toString())),
                           QDateTime::currentMSecsSinceEpoch(), {}, &body), 404);
    QCOMPARE(signedRequest(m_hub.url(), m_creds, m_key, "GET", QStringLiteral("/v1/cases/lookup?qr=110105202612070001"),
                           QDateTime::currentMSecsSinceEpoch(), {}, &body), 200);
}

void TestHubGuard::hubClient_wrongClock_correctsOffsetAndReportsIt()
{
    sync::HubClient client;
    client.setCredentials(m_creds);
    client.setDeviceKey(m_key);
    client.setClockOffsetMs(-3600 * 1000); // signs as a kiosk whose clock is an hour behind
    int status = 0;
    client.pullCaseFeed(0, 10, [&](const sync::HubReply &r) { status = r.status; });
    QTRY_VERIFY(status != 0);
    QCOMPARE(status, 200); // refused once as stale_request, corrected, signed again
    QVERIFY2(qAbs(client.clockOffsetMs()) < 2000, qPrintable(QString::number(client.clockOffsetMs())));
    client.setClockOffsetMs(0);
    sync::HeartbeatInfo beat;
    beat.kioskTimeMs = QDateTime::currentMSecsSinceEpoch();
    QCOMPARE(beat.toJson().value(QLatin1String("clockOffsetMs")).toInteger(), 0);
    beat.clockOffsetMs = 1234;
    QCOMPARE(beat.toJson().value(QLatin1String("clockOffsetMs")).toInteger(), 1234);
}

void TestHubGuard::hugeUserName_loggedCapped()
{
    m_hub.takeLog();
    const QByteArray name(3000, 'N');
    QByteArray body;
    QCOMPARE(httpRequest(m_hub.url().resolved(QUrl(QStringLiteral("/console/api/login"))), "POST",
                         QJsonDocument(QJsonObject{{QStringLiteral("user"), QString::fromLatin1(name)},
                                                   {QStringLiteral("password"), QStringLiteral("wrong-password")}})
                             .toJson(QJsonDocument::Compact),
                         &body), 401);
    QString log;
    QTRY_VERIFY((log += m_hub.takeLog()).contains(QLatin1String("console login failed")));
    for (const QString &line : log.split(QLatin1Char('\n')))
        QVERIFY2(line.size() < 600, qPrintable(line.left(300)));
    QVERIFY(!log.contains(QString(201, QLatin1Char('N'))));
    QVERIFY(log.contains(QStringLiteral("…(+")));
}

void TestHubGuard::randomKeys_flood_oneCountedAlertPerHour()
{
    // Found: each request with the real device id and a random key made one alert (and its
    // evidence): 200 requests → 201 alerts, 50 with 1 MB URLs → 104 MB more database.
    const QString db = m_dir.filePath(QStringLiteral("hub.sqlite"));
    for (int i = 0; i < 200; ++i) {
        const trust::Key stranger = trust::Key::generate(trust::KeyType::Sm2);
        QCOMPARE(signedRequest(m_hub.url(), m_creds, stranger, "GET",
                               QStringLiteral("/v1/config?pad=") + QString(4000, QLatin1Char('p')),
                               QDateTime::currentMSecsSinceEpoch()),
                 401);
    }
    const QJsonArray alerts = adminGet(m_hub.url(), QStringLiteral("/v1/admin/tamper?deviceId=%1").arg(m_creds.deviceId))
                                  .value(QLatin1String("alerts")).toArray();
    QJsonArray unknown;
    for (const QJsonValue &a : alerts) {
        if (a.toObject().value(QLatin1String("kind")).toString() == QLatin1String("unknown-key"))
            unknown.append(a);
    }
    QVERIFY2(unknown.size() >= 1 && unknown.size() <= 2, "one per hour (two if the hour turned meanwhile)");
    qint64 occurrences = 0;
    for (const QJsonValue &a : unknown)
        occurrences += a.toObject().value(QLatin1String("occurrences")).toInteger();
    QCOMPARE(occurrences, 200);
    // The evidence kept: one request per alert, its target cut to 200 characters.
    qint64 evidenceRows = 0;
    qint64 evidenceBytes = 0;
    {
        QSqlDatabase sql = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("peek"));
        sql.setDatabaseName(db);
        sql.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY"));
        QVERIFY(sql.open());
        QSqlQuery q(sql);
        QVERIFY(q.exec(QStringLiteral("SELECT COUNT(*), COALESCE(SUM(LENGTH(body)), 0) FROM tamper_evidence WHERE what = 'request'")));
        QVERIFY(q.next());
        evidenceRows = q.value(0).toLongLong();
        evidenceBytes = q.value(1).toLongLong();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("peek"));
    qInfo("200 requests with random keys: %lld unknown-key alert(s), occurrences %lld, evidence rows %lld (%lld bytes)",
          qlonglong(unknown.size()), qlonglong(occurrences), qlonglong(evidenceRows), qlonglong(evidenceBytes));
    QCOMPARE(evidenceRows, qint64(unknown.size()));
    QVERIFY(evidenceBytes <= 200 * unknown.size());
}

namespace {

int login(const QUrl &hub, const QString &user, const QString &password, const QByteArray &forwardedFor,
          QByteArray *body = nullptr, int timeoutMs = 10000)
{
    return httpRequest(hub.resolved(QUrl(QStringLiteral("/console/api/login"))), "POST",
                       QJsonDocument(QJsonObject{{QStringLiteral("user"), user}, {QStringLiteral("password"), password}})
                           .toJson(QJsonDocument::Compact),
                       body, {{"X-Forwarded-For", forwardedFor}}, timeoutMs);
}

} // namespace

void TestHubGuard::loginBurst_twentyPerSecond_healthStaysFast()
{
    // Found: ~20 logins/s hashed on the hub's only thread put the health median at 4.5 s. Here
    // 20 logins/s for 3 s, each from another address and for another (unknown) name, so no
    // throttle spares the hash; the probe asks /v1/health meanwhile.
    HealthProbe probe(m_hub.port());
    probe.start();
    QNetworkAccessManager nam;
    QHash<int, int> statuses;
    int sent = 0;
    int done = 0;
    QTimer tick;
    QObject::connect(&tick, &QTimer::timeout, [&] {
        if (sent == 60) {
            tick.stop();
            return;
        }
        QNetworkRequest request(m_hub.url().resolved(QUrl(QStringLiteral("/console/api/login"))));
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        request.setRawHeader("X-Forwarded-For", "10.7." + QByteArray::number(sent / 200) + '.' + QByteArray::number(sent % 200 + 1));
        QNetworkReply *reply = nam.post(request, QJsonDocument(QJsonObject{{QStringLiteral("user"), QStringLiteral("guess-%1").arg(sent)},
                                                                            {QStringLiteral("password"), QStringLiteral("password-%1").arg(sent)}})
                                                     .toJson(QJsonDocument::Compact));
        ++sent;
        QObject::connect(reply, &QNetworkReply::finished, [&, reply] {
            ++statuses[reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt()];
            ++done;
            reply->deleteLater();
        });
    });
    QElapsedTimer t;
    t.start();
    tick.start(50);
    QTRY_VERIFY_WITH_TIMEOUT(done == 60, 60000);
    const qint64 burstMs = t.elapsed();
    probe.stop();
    const QList<double> ms = probe.latenciesMs();
    reportLatencies("20 logins/s", ms);
    qInfo("logins: %d sent in %lld ms; 401 (hashed) %d, 429 (hash queue full) %d, other %d", sent, qlonglong(burstMs),
          statuses.value(401), statuses.value(429), int(sent - statuses.value(401) - statuses.value(429)));
    QCOMPARE(statuses.value(401) + statuses.value(429), 60);
    QVERIFY(statuses.value(401) > 0);
    QVERIFY(ms.size() >= 10);
    QVERIFY2(HealthProbe::percentile(ms, 0.5) < 100, "health median must stay under 100 ms");
    QVERIFY2(HealthProbe::percentile(ms, 1.0) < 1000, "no health probe may stall");
}

void TestHubGuard::login_rightPassword_sessionAfterAsyncCheck()
{
    QByteArray body;
    QCOMPARE(login(m_hub.url(), QStringLiteral("ops"), QStringLiteral("right-password"), "10.8.0.1", &body), 200);
    QCOMPARE(QJsonDocument::fromJson(body).object().value(QLatin1String("role")).toString(), QStringLiteral("admin"));
    QCOMPARE(login(m_hub.url(), QStringLiteral("ops"), QStringLiteral("wrong-password"), "10.8.0.2", &body), 401);
}

void TestHubGuard::login_sameAddress_throttled429()
{
    QList<int> got;
    for (int i = 0; i < 12; ++i)
        got.append(login(m_hub.url(), QStringLiteral("nobody-%1").arg(i), QStringLiteral("whatever1"), "10.9.0.1"));
    QCOMPARE(got.mid(0, 10), QList<int>(10, 401));
    QCOMPARE(got.mid(10), QList<int>(2, 429));
    // Another address is not affected.
    QCOMPARE(login(m_hub.url(), QStringLiteral("nobody"), QStringLiteral("whatever1"), "10.9.0.2"), 401);
}

void TestHubGuard::login_sameAccountManyAddresses_throttled429()
{
    QList<int> got;
    for (int i = 0; i < 12; ++i)
        got.append(login(m_hub.url(), QStringLiteral("victim"), QStringLiteral("guess-%1").arg(i),
                         "10.10.0." + QByteArray::number(i + 1)));
    QCOMPARE(got.mid(0, 10), QList<int>(10, 401)); // guessed, each hashed
    QCOMPARE(got.mid(10), QList<int>(2, 429));
}

void TestHubGuard::login_clientGoneBeforeTheHash_hubKeepsServing()
{
    for (int i = 0; i < 5; ++i) {
        QTcpSocket s;
        s.connectToHost(QHostAddress::LocalHost, m_hub.port());
        QVERIFY(s.waitForConnected(3000));
        const QByteArray body = QJsonDocument(QJsonObject{{QStringLiteral("user"), QStringLiteral("gone-%1").arg(i)},
                                                          {QStringLiteral("password"), QStringLiteral("whatever1")}})
                                    .toJson(QJsonDocument::Compact);
        s.write("POST /console/api/login HTTP/1.1\r\nHost: hub\r\nX-Forwarded-For: 10.11.0." + QByteArray::number(i + 1)
                + "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body);
        QVERIFY(s.waitForBytesWritten(3000));
        s.abort();
    }
    QThread::msleep(1500); // the hashes finish with nobody to answer
    QVERIFY(m_hub.isRunning());
    QCOMPARE(httpRequest(m_hub.url().resolved(QUrl(QStringLiteral("/v1/health"))), "GET"), 200);
}

QTEST_GUILESS_MAIN(TestHubGuard)
#include "tst_hubguard.moc"

// SPDX-License-Identifier: Apache-2.0
// The province deployment of issue 15 for real: nginx with deploy/nginx/hcp-hub.conf (rendered
// by deploy/nginx/render.sh) terminating TLS with a CA made here, two hcp-hub processes behind
// it on one PostgreSQL, kiosks (the real HubClient + OutboxSender) talking https to the proxy.
// One hub is SIGKILLed mid-drain: nothing is lost or duplicated and the console still answers.
// The proxy refuses oversized requests itself and passes the client's address on in a way a
// client cannot forge.

#include "hubclient.h"
#include "hubprocess.h"
#include "ledgerbuilder.h"
#include "outboxsender.h"
#include "pgserver.h"

#include <algorithm>
#include <QElapsedTimer>
#include <QFile>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QSet>
#include <QSignalSpy>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <unistd.h>

using namespace hcp;
using namespace hcp::sync;
using namespace hcp::sync::test;

namespace {

constexpr char kProxyBind[] = "127.0.0.2"; // the proxy's address towards the hubs

quint16 freePort()
{
    QTcpServer s;
    s.listen(QHostAddress::LocalHost, 0);
    return s.serverPort();
}

bool sh(const QString &script, QString *output)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(QStringLiteral("bash"), {QStringLiteral("-euo"), QStringLiteral("pipefail"), QStringLiteral("-c"), script});
    const bool ok = p.waitForFinished(60000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
    *output = QString::fromUtf8(p.readAll());
    return ok;
}

} // namespace

class TestProxy : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void kiosksOverTls_oneHubKilledMidDrain_noneLostNoneDuplicated_consoleStillAnswers();
    void oversizedRequests_refusedByTheProxyBeforeTheBody();
    void forgedForwardedFor_cannotDodgeTheLoginThrottleAcrossHubs_hubsSeeTheRealClient();
    void wrongCa_kioskRefusesTheHub();

private:
    QUrl proxyUrl() const { return QUrl(QStringLiteral("https://127.0.0.1:%1").arg(m_proxyPort)); }
    // A raw request to the proxy over TLS; returns the status line's code (0 = no answer).
    int rawTls(const QByteArray &request);
    int viaProxy(const QByteArray &method, const QString &path, const QByteArray &body,
                 const QList<QPair<QByteArray, QByteArray>> &headers, QByteArray *answer = nullptr);
    bool startNginx(QString *error);

    QTemporaryDir m_dir;
    PgServer m_pg;
    HubProcess m_hubA, m_hubB;
    std::unique_ptr<QProcess> m_nginx;
    quint16 m_proxyPort = 0;
    QByteArray m_caPem;
};

void TestProxy::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY2(!QStandardPaths::findExecutable(QStringLiteral("nginx"), {QStringLiteral("/usr/sbin"), QStringLiteral("/usr/bin")}).isEmpty(),
             "nginx (Debian package nginx, installed by deploy/setup.sh) is required");
    QVERIFY(QSslSocket::supportsSsl());
    QString error;
    QVERIFY2(m_pg.start(m_dir.path(), &error), qPrintable(error));

    // A test CA and the proxy's certificate for 127.0.0.1 (SAN), as a county would make them.
    QString out;
    QVERIFY2(sh(QStringLiteral("cd '%1'\n"
                               "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 "
                               "  -subj '/CN=hcp test CA' -keyout ca.key -out ca.pem 2>&1\n"
                               "openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj '/CN=127.0.0.1' "
                               "  -keyout proxy.key -out proxy.csr 2>&1\n"
                               "printf 'subjectAltName=IP:127.0.0.1\\nextendedKeyUsage=serverAuth\\n' > ext.cnf\n"
                               "openssl x509 -req -in proxy.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 "
                               "  -extfile ext.cnf -out proxy.pem 2>&1\n"
                               "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 "
                               "  -subj '/CN=other CA' -keyout other.key -out other.pem 2>&1\n")
                    .arg(m_dir.path()),
                &out),
             qPrintable(out));
    QFile ca(m_dir.filePath(QStringLiteral("ca.pem")));
    QVERIFY(ca.open(QIODevice::ReadOnly));
    m_caPem = ca.readAll();

    // Two hubs on one database, one identity (they sign configuration as one hub), the proxy's
    // address as the only trusted one.
    const QStringList hubArgs{QStringLiteral("--identity"), m_dir.filePath(QStringLiteral("hub-identity.pem")),
                              QStringLiteral("--trusted-proxy"), QLatin1String(kProxyBind),
                              QStringLiteral("--login-rate"), QStringLiteral("10")};
    QVERIFY2(m_hubA.start(m_pg.spec(), 0, hubArgs), qPrintable(m_hubA.output()));
    QVERIFY2(m_hubB.start(m_pg.spec(), 0, hubArgs), qPrintable(m_hubB.output()));
    QVERIFY2(startNginx(&error), qPrintable(error));
}

bool TestProxy::startNginx(QString *error)
{
    m_proxyPort = freePort();
    const QString dir = m_dir.filePath(QStringLiteral("nginx"));
    QDir().mkpath(dir + QStringLiteral("/tmp"));
    QString rendered;
    const QString render = QStringLiteral(HCP_SOURCE_DIR "/deploy/nginx/render.sh");
    if (!sh(QStringLiteral("'%1' --listen 127.0.0.1:%2 --cert '%3' --key '%4' --bind %5 --hub 127.0.0.1:%6 --hub 127.0.0.1:%7 > '%8/hcp-hub.conf'")
                .arg(render).arg(m_proxyPort).arg(m_dir.filePath(QStringLiteral("proxy.pem")),
                                                  m_dir.filePath(QStringLiteral("proxy.key")))
                .arg(QLatin1String(kProxyBind)).arg(m_hubA.port()).arg(m_hubB.port()).arg(dir),
            &rendered)) {
        *error = QStringLiteral("render.sh failed: ") + rendered;
        return false;
    }
    // The site file goes into a minimal nginx.conf, as /etc/nginx/nginx.conf includes conf.d.
    QFile conf(dir + QStringLiteral("/nginx.conf"));
    if (!conf.open(QIODevice::WriteOnly))
        return false;
    conf.write(QStringLiteral("%1daemon off;\nworker_processes 1;\npid %2/nginx.pid;\nerror_log stderr warn;\n"
                              "events { worker_connections 1024; }\n"
                              "http {\n  access_log off;\n  client_body_temp_path %2/tmp/body;\n  proxy_temp_path %2/tmp/proxy;\n"
                              "  fastcgi_temp_path %2/tmp/fcgi;\n  uwsgi_temp_path %2/tmp/uwsgi;\n  scgi_temp_path %2/tmp/scgi;\n"
                              "  include %2/hcp-hub.conf;\n}\n")
                   .arg(::geteuid() == 0 ? QStringLiteral("user root;\n") : QString(), dir)
                   .toUtf8());
    conf.close();
    m_nginx = std::make_unique<QProcess>();
    m_nginx->setProcessChannelMode(QProcess::MergedChannels);
    m_nginx->start(QStringLiteral("/usr/sbin/nginx"),
                   {QStringLiteral("-e"), QStringLiteral("stderr"), QStringLiteral("-p"), dir, QStringLiteral("-c"),
                    dir + QStringLiteral("/nginx.conf")});
    for (int i = 0; i < 100; ++i) {
        QTcpSocket probe;
        probe.connectToHost(QHostAddress::LocalHost, m_proxyPort);
        if (probe.waitForConnected(100))
            return true;
        if (m_nginx->state() == QProcess::NotRunning)
            break;
        QTest::qWait(50);
    }
    *error = QStringLiteral("nginx did not start: ") + QString::fromUtf8(m_nginx->readAll());
    return false;
}

void TestProxy::cleanupTestCase()
{
    if (m_nginx) {
        m_nginx->terminate();
        if (!m_nginx->waitForFinished(5000))
            m_nginx->kill();
    }
}

int TestProxy::rawTls(const QByteArray &request)
{
    QSslSocket s;
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setCaCertificates(QSslCertificate::fromData(m_caPem));
    s.setSslConfiguration(tls);
    s.connectToHostEncrypted(QStringLiteral("127.0.0.1"), m_proxyPort);
    if (!s.waitForEncrypted(5000))
        return 0;
    s.write(request);
    QByteArray answer;
    while (!answer.contains("\r\n") && s.waitForReadyRead(5000))
        answer += s.readAll();
    const QList<QByteArray> statusLine = answer.left(answer.indexOf("\r\n")).split(' ');
    return statusLine.size() >= 2 ? statusLine.at(1).toInt() : 0;
}

int TestProxy::viaProxy(const QByteArray &method, const QString &path, const QByteArray &body,
                        const QList<QPair<QByteArray, QByteArray>> &headers, QByteArray *answer)
{
    QNetworkAccessManager nam;
    QNetworkRequest request(proxyUrl().resolved(QUrl(path)));
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setCaCertificates(QSslCertificate::fromData(m_caPem));
    request.setSslConfiguration(tls);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    for (const auto &h : headers)
        request.setRawHeader(h.first, h.second);
    QNetworkReply *reply = nam.sendCustomRequest(request, method, body);
    QSignalSpy done(reply, &QNetworkReply::finished);
    if (!reply->isFinished())
        done.wait(15000);
    if (answer)
        *answer = reply->readAll();
    reply->deleteLater();
    return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
}

void TestProxy::kiosksOverTls_oneHubKilledMidDrain_noneLostNoneDuplicated_consoleStillAnswers()
{
    constexpr int kKiosks = 4;
    constexpr int kPerKiosk = 1500;
    struct Kiosk
    {
        QString id, db;
        trust::Key key;
        std::shared_ptr<trust::LedgerBuilder> ledger;
        std::unique_ptr<HubClient> client;
        std::unique_ptr<OutboxSender> sender;
    };
    std::vector<Kiosk> kiosks(kKiosks);
    for (int k = 0; k < kKiosks; ++k) {
        Kiosk &kiosk = kiosks[k];
        kiosk.id = QStringLiteral("KIOSK-PROXY-%1").arg(k + 1, 4, 10, QLatin1Char('0'));
        kiosk.key = trust::Key::generate(trust::KeyType::Sm2);
        kiosk.ledger = std::make_shared<trust::LedgerBuilder>(kiosk.key);
        kiosk.db = m_dir.filePath(kiosk.id + QStringLiteral(".sqlite"));
        QVERIFY(createKioskDb(kiosk.db));
        QVERIFY(enqueueRange(kiosk.db, 1, kPerKiosk, kiosk.id, kiosk.ledger.get()));
        // Enrolled through the proxy, over TLS pinned to the county CA, like a real kiosk.
        kiosk.client = std::make_unique<HubClient>();
        QVERIFY(kiosk.client->setTrustedCaPem(m_caPem));
        kiosk.client->setHubUrl(proxyUrl());
        kiosk.client->setDeviceKey(kiosk.key);
        bool enrolled = false;
        DeviceCredentials creds;
        QString why;
        kiosk.client->enroll(QLatin1String(kEnrollToken), kiosk.id, QLatin1String(kHall), QStringLiteral("terminal"),
                             QStringLiteral("1.0.0"), [&](bool ok, const DeviceCredentials &c, const QString &e) {
                                 enrolled = ok;
                                 creds = c;
                                 why = e.isEmpty() ? QStringLiteral("done") : e;
                             });
        QTRY_VERIFY_WITH_TIMEOUT(!why.isEmpty(), 15000);
        QVERIFY2(enrolled, qPrintable(why));
        creds.hubUrl = proxyUrl();
        kiosk.client->setCredentials(creds);
        kiosk.client->setRequestTimeoutMs(10000);
        kiosk.sender = std::make_unique<OutboxSender>(kiosk.client.get());
        kiosk.sender->setLedgerSigner(kiosk.ledger);
        OutboxSender::Options o;
        o.batchSize = 50;
        o.backoffBaseMs = 20;
        o.backoffCapMs = 500;
        kiosk.sender->setOptions(o);
        QString error;
        QVERIFY2(kiosk.sender->open(kiosk.db, &error), qPrintable(error));
    }
    for (Kiosk &kiosk : kiosks)
        kiosk.sender->start();
    auto acked = [&] {
        qint64 n = 0;
        for (const Kiosk &kiosk : kiosks)
            n += outboxSnapshot(kiosk.db).acked;
        return n;
    };
    constexpr qint64 kTotal = qint64(kKiosks) * kPerKiosk;
    // Mid-drain, hub B dies as in a power cut; nginx carries on with hub A.
    QTRY_VERIFY_WITH_TIMEOUT(acked() >= kTotal / 4, 60000);
    const qint64 atKill = acked();
    m_hubB.kill();
    QTRY_COMPARE_WITH_TIMEOUT(acked(), kTotal, 180000);
    qInfo().noquote() << QStringLiteral("proxy drain: kiosks=%1 evaluations=%2 acked_at_kill=%3").arg(kKiosks).arg(kTotal).arg(atKill);

    // Exactly once at the hubs' database (read through the surviving hub).
    QSet<QString> uuids;
    qint64 rows = 0;
    for (const Kiosk &kiosk : kiosks) {
        const QJsonArray stored = hubEvaluations(m_hubA.url(), kiosk.id);
        rows += stored.size();
        for (const QJsonValue &v : stored)
            uuids.insert(v.toObject().value(QLatin1String("uuid")).toString());
    }
    QCOMPARE(rows, kTotal);
    QCOMPARE(qint64(uuids.size()), kTotal);
    // Honest kiosks behind two hubs raise no tamper alert, whichever hub took which batch.
    QCOMPARE(tamperAlerts(m_hubA.url()), QJsonArray());

    // The console keeps working through the proxy with one hub gone.
    QByteArray page;
    QCOMPARE(viaProxy("GET", QStringLiteral("/console/"), {}, {}, &page), 200);
    QVERIFY(page.contains("<html") || page.contains("<!DOCTYPE") || page.contains("<!doctype"));
    QCOMPARE(viaProxy("GET", QStringLiteral("/v1/health"), {}, {}), 200);
    QVERIFY(m_hubB.restart());
}

void TestProxy::oversizedRequests_refusedByTheProxyBeforeTheBody()
{
    // Content-Length alone decides: no body is sent, the answer comes at once.
    QCOMPARE(rawTls("POST /v1/evaluations/batch HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    "Content-Length: 20000000\r\n\r\n"),
             413);
    QCOMPARE(rawTls("POST /v1/heartbeat HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n\r\n"), 413);
    QCOMPARE(rawTls("POST /console/api/login HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n"), 413);
    QCOMPARE(rawTls("GET /v1/health?" + QByteArray(16 * 1024, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n"), 414);
    QCOMPARE(rawTls("GET /v1/health HTTP/1.1\r\nHost: x\r\nX-Big: " + QByteArray(16 * 1024, 'b') + "\r\n\r\n"), 400);
    // An ordinary request still passes.
    QCOMPARE(rawTls("GET /v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), 200);
}

void TestProxy::forgedForwardedFor_cannotDodgeTheLoginThrottleAcrossHubs_hubsSeeTheRealClient()
{
    m_hubA.takeLog();
    m_hubB.takeLog();
    // Eleven failed logins, each naming another user and claiming another address: they still
    // count against the real client, across both hubs (the proxy limits logins per address and
    // replaces X-Forwarded-For, so each hub too sees the real client).
    // 10 a minute: 10 at once, then one more each 6 s (nginx's leaky bucket). The attempts go
    // out together (one after another, a loaded machine answered each so slowly that the bucket
    // refilled in between and no 429 came within 30 attempts).
    QElapsedTimer clock;
    clock.start();
    QNetworkAccessManager nam;
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setCaCertificates(QSslCertificate::fromData(m_caPem));
    constexpr int attempts = 24;
    QList<QNetworkReply *> replies;
    for (int i = 0; i < attempts; ++i) {
        QNetworkRequest request(proxyUrl().resolved(QUrl(QStringLiteral("/console/api/login"))));
        request.setSslConfiguration(tls);
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        request.setRawHeader("X-Forwarded-For", QByteArray("203.0.113.") + QByteArray::number(i + 1));
        const QByteArray body = QJsonDocument(QJsonObject{{QStringLiteral("user"), QStringLiteral("nobody%1").arg(i)},
                                                          {QStringLiteral("password"), QStringLiteral("wrong")}})
                                    .toJson(QJsonDocument::Compact);
        replies.append(nam.post(request, body));
    }
    QTRY_VERIFY_WITH_TIMEOUT(std::all_of(replies.cbegin(), replies.cend(), [](QNetworkReply *r) { return r->isFinished(); }),
                             120000);
    int failed = 0;
    int refused = 0;
    for (QNetworkReply *r : std::as_const(replies)) {
        const int status = r->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        QVERIFY2(status == 401 || status == 429, qPrintable(QStringLiteral("status %1").arg(status)));
        (status == 401 ? failed : refused) += 1;
        r->deleteLater();
    }
    const int allowed = 10 + int(clock.elapsed() / 6000) + 1;
    QVERIFY2(refused > 0 && failed >= 10 && failed <= allowed,
             qPrintable(QStringLiteral("%1 attempts got through, %2 allowed, %3 refused in %4 ms")
                            .arg(failed).arg(allowed).arg(refused).arg(clock.elapsed())));
    const QString log = m_hubA.takeLog() + m_hubB.takeLog();
    QVERIFY2(log.count(QLatin1String("console login failed")) == failed && log.contains(QLatin1String("from \"127.0.0.1\"")),
             qPrintable(log));
    QVERIFY2(!log.contains(QLatin1String("203.0.113.")), qPrintable(log)); // the forged hop was not believed
    QVERIFY2(!log.contains(QLatin1String(kProxyBind)), qPrintable(log));   // nor taken for the proxy itself
}

void TestProxy::wrongCa_kioskRefusesTheHub()
{
    // A kiosk pinned to another CA does not talk to this proxy (a man in the middle with a
    // certificate from any other CA is refused the same way).
    QFile other(m_dir.filePath(QStringLiteral("other.pem")));
    QVERIFY(other.open(QIODevice::ReadOnly));
    HubClient client;
    QVERIFY(client.setTrustedCaPem(other.readAll()));
    client.setHubUrl(proxyUrl());
    QString why;
    client.enroll(QLatin1String(kEnrollToken), QStringLiteral("KIOSK-PROXY-MITM"), QLatin1String(kHall),
                  QStringLiteral("terminal"), QStringLiteral("1.0.0"),
                  [&](bool ok, const DeviceCredentials &, const QString &e) { why = ok ? QStringLiteral("enrolled") : e; });
    QTRY_VERIFY_WITH_TIMEOUT(!why.isEmpty(), 15000);
    QVERIFY2(why != QLatin1String("enrolled"), qPrintable(why));
    QVERIFY(!client.setTrustedCaPem("not a certificate"));
}

QTEST_GUILESS_MAIN(TestProxy)
#include "tst_proxy.moc"

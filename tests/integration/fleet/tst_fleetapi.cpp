// SPDX-License-Identifier: Apache-2.0
// The hub's fleet management (PROTOCOL §7, §14–§17) through HTTP on loopback.
#include "bundle.h"
#include "bundledownloader.h"
#include "configpublisher.h"
#include "configvalidator.h"
#include "fleetstore.h"
#include "hubclient.h"
#include "hubprocess.h"
#include "hubserver.h"
#include "hubstore.h"
#include "wire.h"

#include "indicatorset.h"
#include "kioskconfig.h"
#include "questionnaire.h"

#include "canonicaljson.h"
#include "deviceidentity.h"
#include "pinvault.h"

#include <QCryptographicHash>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

using namespace hcp::sync;
using namespace hcp::sync::hub;
using namespace hcp::sync::test;

namespace {

struct Http
{
    int status = 0;
    QByteArray body;
    QList<QNetworkReply::RawHeaderPair> headers;
    QByteArray header(const QByteArray &name) const
    {
        for (const auto &h : headers)
            if (h.first.compare(name, Qt::CaseInsensitive) == 0)
                return h.second;
        return {};
    }
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
};

Http http(const QUrl &url, const QByteArray &method, const QByteArray &body = {},
          const QList<QPair<QByteArray, QByteArray>> &headers = {})
{
    QNetworkAccessManager nam;
    QNetworkRequest request(url);
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    for (const auto &h : headers)
        request.setRawHeader(h.first, h.second);
    QNetworkReply *reply = nam.sendCustomRequest(request, method, body);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(20000, &loop, [reply] { reply->abort(); });
    if (!reply->isFinished())
        loop.exec();
    Http out{reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), reply->readAll(),
             reply->rawHeaderPairs()};
    delete reply;
    return out;
}

QByteArray compact(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

// A signed device request (PROTOCOL §2), for the fields HubClient does not send yet.
Http deviceRequest(const QUrl &hub, const DeviceCredentials &creds, const QByteArray &method, const QString &path,
                   const QByteArray &body = {})
{
    const QUrl url = hub.resolved(QUrl(path));
    const qint64 t = QDateTime::currentMSecsSinceEpoch();
    const QByteArray target = url.toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority);
    return http(url, method, body,
                {{"X-HCP-Device", creds.deviceId.toUtf8()},
                 {"X-HCP-Time", QByteArray::number(t)},
                 {"X-HCP-Signature", wire::requestSignature(creds.secret, method, target, t, body)}});
}

// A heartbeat with an update report; returns the pending commands.
QJsonArray beat(const QUrl &hub, const DeviceCredentials &creds, const QString &state, const QString &version,
                const QString &error = {})
{
    const QJsonObject body{{QStringLiteral("version"), QStringLiteral("1.0.0")},
                           {QStringLiteral("kioskTimeMs"), QDateTime::currentMSecsSinceEpoch()},
                           {QStringLiteral("update"), QJsonObject{{QStringLiteral("state"), state},
                                                                  {QStringLiteral("version"), version},
                                                                  {QStringLiteral("slot"), QStringLiteral("b")},
                                                                  {QStringLiteral("error"), error}}}};
    const Http r = deviceRequest(hub, creds, "POST", QStringLiteral("/v1/heartbeat"), compact(body));
    return r.json().value(QLatin1String("commands")).toArray();
}

QJsonArray updateCommands(const QJsonArray &commands)
{
    QJsonArray out;
    for (const QJsonValue &c : commands)
        if (c.toObject().value(QLatin1String("type")).toString() == QLatin1String("update"))
            out.append(c);
    return out;
}

QJsonObject kioskDoc(int idle)
{
    return {{QStringLiteral("kiosk"), QJsonObject{{QStringLiteral("idleTimeoutSeconds"), idle}}}};
}

QJsonObject readJsonFile(const QString &path)
{
    QFile f(path);
    f.open(QIODevice::ReadOnly);
    return QJsonDocument::fromJson(f.readAll()).object();
}

// A TCP relay in front of the hub that cuts its first connection after cutAfter response
// bytes (a village link dropping mid-download); later connections pass. Records requests.
class CuttingRelay : public QObject
{
public:
    CuttingRelay(quint16 upstreamPort, qint64 cutAfter)
        : m_upstreamPort(upstreamPort)
        , m_cutAfter(cutAfter)
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *client = m_server.nextPendingConnection()) {
                const int index = m_connections++;
                auto *upstream = new QTcpSocket(client);
                auto *forwarded = new qint64(0);
                connect(client, &QObject::destroyed, [forwarded] { delete forwarded; });
                connect(client, &QTcpSocket::readyRead, upstream, [this, client, upstream] {
                    const QByteArray data = client->readAll();
                    m_requests.append(data);
                    upstream->write(data);
                });
                connect(upstream, &QTcpSocket::readyRead, client, [this, client, upstream, forwarded, index] {
                    QByteArray data = upstream->readAll();
                    if (index == 0 && *forwarded + data.size() >= m_cutAfter) {
                        client->write(data.left(m_cutAfter - *forwarded));
                        client->flush();
                        client->abort();
                        upstream->abort();
                        client->deleteLater();
                        return;
                    }
                    *forwarded += data.size();
                    client->write(data);
                });
                connect(upstream, &QTcpSocket::disconnected, client, &QTcpSocket::disconnectFromHost);
                connect(client, &QTcpSocket::disconnected, client, &QObject::deleteLater);
                upstream->connectToHost(QHostAddress::LocalHost, m_upstreamPort);
            }
        });
        m_server.listen(QHostAddress::LocalHost, 0);
    }
    quint16 port() const { return m_server.serverPort(); }
    int connections() const { return m_connections; }
    const QList<QByteArray> &requests() const { return m_requests; }

private:
    QTcpServer m_server;
    quint16 m_upstreamPort;
    qint64 m_cutAfter;
    int m_connections = 0;
    QList<QByteArray> m_requests;
};

} // namespace

class TestFleetApi : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();

    void validator_kioskDefaultsAccepted_andParsedByTheKiosk();
    void validator_badDocuments_refusedWithTheReason_data();
    void validator_badDocuments_refusedWithTheReason();
    void health_databaseUp200_databaseGone503();
    void config_signedEnvelope_verifiesWithHubKey_tamperedOrWrongKeyFails();
    void config_versionsRiseAcrossScopes_invalidPushRefusedWith422();
    void config_scopesLayered_devicePushKeepsHallAgents_classTargetsItsKiosks();
    void console_configPreview_listsEachKiosksChanges_invalidSaysWhy_publishesNothing();
    void bundles_onlyVerifiedBundlesRegistered_reasonsReturned();
    void bundles_rangeRequests_206_416_suffix();
    void bundles_cutDownload_bundleDownloaderResumesWithoutRefetching();
    void bundles_largeRangesAtOddOffsetsExact_concurrentAndKeptAliveDownloads();
    void rollout_nextStageOnlyAfterHealthy_rollbackHaltsWithAlert();
    void rollout_onlyKiosksOfTheBundlesClass_padsAndOtherUpdaterClassesExcluded();
    void console_sessionsRolesAndCsrfHeader_enforcedServerSide();
    void console_repeatedWrongPasswords_lockTheAccount();
    void console_upstreamWithoutProfile_reportedOff_writesNeedMaintainerAndHeader();
    void console_fraudMonitorFlags_shownOnTheKioskAndAsAlert_notFromHeartbeat();
    void console_ledgerFindings_flagTheKioskAndRaiseAnAlert();

private:
    bool addUser(const QString &name, const QString &role, const QString &password);
    QByteArray login(const QString &name, const QString &password, int *status = nullptr, QByteArray *setCookie = nullptr);
    Http console(const QByteArray &cookie, const QByteArray &method, const QString &path, const QByteArray &body = {},
                 bool consoleHeader = true);

    QTemporaryDir m_dir;
    HubProcess m_hub;
    hcp::trust::Key m_release;
    QString m_bundle; // a good bundle, ~6 MB
};

void TestFleetApi::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    m_release = hcp::trust::Key::generate(hcp::trust::KeyType::Sm2);
    QFile pub(m_dir.filePath(QStringLiteral("release.pub")));
    QVERIFY(pub.open(QIODevice::WriteOnly));
    pub.write(m_release.publicPem());
    pub.close();
    // A payload large enough that a download is cut half-way.
    QDir().mkpath(m_dir.filePath(QStringLiteral("tree/bin")));
    QFile exe(m_dir.filePath(QStringLiteral("tree/bin/hcp-kiosk")));
    QVERIFY(exe.open(QIODevice::WriteOnly));
    QByteArray blob(6 * 1024 * 1024, Qt::Uninitialized);
    for (qsizetype i = 0; i < blob.size(); ++i)
        blob[i] = char((i * 131) ^ (i >> 9));
    exe.write(blob);
    exe.close();
    m_bundle = m_dir.filePath(QStringLiteral("good.bundle"));
    QString error;
    QVERIFY2(hcp::updater::BundleFile::build(m_dir.filePath(QStringLiteral("tree")), m_release, QStringLiteral("1.1.0"),
                                             QStringLiteral("hcp-kiosk-amd64"), false, m_bundle, &error),
             qPrintable(error));
    QVERIFY2(m_hub.start(m_dir.filePath(QStringLiteral("hub.sqlite")), 0,
                         {QStringLiteral("--release-key"), pub.fileName(), QStringLiteral("--heartbeat-interval"),
                          QStringLiteral("60"),
                          // Many logins from loopback here; the throttle itself is tst_hubguard's.
                          QStringLiteral("--login-rate"), QStringLiteral("1000")}),
             qPrintable(m_hub.output()));
}

bool TestFleetApi::addUser(const QString &name, const QString &role, const QString &password)
{
    QProcess p;
    p.start(hubBinary(), {QStringLiteral("--db"), m_dir.filePath(QStringLiteral("hub.sqlite")), QStringLiteral("add-user"),
                          name, role});
    p.write(password.toUtf8() + '\n');
    p.closeWriteChannel();
    return p.waitForFinished(30000) && p.exitCode() == 0;
}

QByteArray TestFleetApi::login(const QString &name, const QString &password, int *status, QByteArray *setCookie)
{
    const Http r = http(m_hub.url().resolved(QUrl(QStringLiteral("/console/api/login"))), "POST",
                        compact(QJsonObject{{QStringLiteral("user"), name}, {QStringLiteral("password"), password}}));
    if (status)
        *status = r.status;
    if (setCookie)
        *setCookie = r.header("Set-Cookie");
    return r.header("Set-Cookie").split(';').value(0);
}

Http TestFleetApi::console(const QByteArray &cookie, const QByteArray &method, const QString &path, const QByteArray &body,
                           bool consoleHeader)
{
    QList<QPair<QByteArray, QByteArray>> h{{"Cookie", cookie}};
    if (consoleHeader)
        h.append(qMakePair(QByteArray("X-HCP-Console"), QByteArray("1")));
    return http(m_hub.url().resolved(QUrl(QStringLiteral("/console/api/") + path)), method, body, h);
}

void TestFleetApi::validator_kioskDefaultsAccepted_andParsedByTheKiosk()
{
    const QJsonObject doc{
        {QStringLiteral("kiosk"), QJsonObject{{QStringLiteral("hallName"), QStringLiteral("朝阳区政务服务中心")},
                                              {QStringLiteral("idleTimeoutSeconds"), 90},
                                              {QStringLiteral("countdownSeconds"), 10},
                                              {QStringLiteral("areaCode"), QStringLiteral("110105000000")},
                                              {QStringLiteral("pad"), QJsonObject{{QStringLiteral("triggerPort"), 8471},
                                                                                  {QStringLiteral("triggerToken"), QStringLiteral("window-A03-token-0001")},
                                                                                  {QStringLiteral("windowNo"), QStringLiteral("A03")}}},
                                              {QStringLiteral("phrases"), QJsonArray{QStringLiteral("办事效率高")}}}},
        {QStringLiteral("indicators"), readJsonFile(QStringLiteral(HCP_SOURCE_DIR "/kiosk/defaults/indicators.json"))},
        {QStringLiteral("questionnaires"), readJsonFile(QStringLiteral(HCP_SOURCE_DIR "/kiosk/defaults/questionnaires.json"))},
    };
    QCOMPARE(ConfigValidator::validate(doc), QString());
    // What the hub accepts, the kiosk's own parsers take without complaint.
    QString error;
    hcp::kiosk::KioskConfig::fromJson(doc.value(QLatin1String("kiosk")).toObject(), &error);
    QCOMPARE(error, QString());
    QVERIFY(hcp::kiosk::IndicatorSet::fromJson(doc.value(QLatin1String("indicators")).toObject(), &error).isValid());
    QVERIFY(!hcp::kiosk::QuestionnaireCatalog::fromJson(doc.value(QLatin1String("questionnaires")).toObject(), &error)
                 .version.isEmpty());
}

void TestFleetApi::validator_badDocuments_refusedWithTheReason_data()
{
    QTest::addColumn<QByteArray>("document");
    QTest::addColumn<QString>("reason");
    QTest::newRow("empty") << QByteArray("{}") << "empty document";
    QTest::newRow("unknown part") << QByteArray(R"({"weather":{}})") << "unknown key 'weather'";
    QTest::newRow("bad holidays part") << QByteArray(R"({"holidays":{}})") << "holidays must be";
    QTest::newRow("unknown kiosk key") << QByteArray(R"({"kiosk":{"idleTimeoutS":60}})") << "unknown key 'idleTimeoutS'";
    QTest::newRow("out of range") << QByteArray(R"({"kiosk":{"idleTimeoutSeconds":5}})") << "idleTimeoutSeconds must be";
    QTest::newRow("fraction") << QByteArray(R"({"kiosk":{"idleTimeoutSeconds":60.5}})") << "integer";
    QTest::newRow("wrong type") << QByteArray(R"({"kiosk":{"hallName":7}})") << "hallName must be a string";
    QTest::newRow("id hash key") << QByteArray(R"({"kiosk":{"idHashKey":"x"}})") << "only from enrollment";
    QTest::newRow("bad pin hash") << QByteArray(R"({"kiosk":{"maintenancePinHash":"1234"}})") << "PIN hash";
    QTest::newRow("area code") << QByteArray(R"({"kiosk":{"areaCode":"1101"}})") << "12 digits";
    QTest::newRow("countdown >= idle") << QByteArray(R"({"kiosk":{"idleTimeoutSeconds":20,"countdownSeconds":30}})")
                                       << "shorter than idleTimeoutSeconds";
    QTest::newRow("pad port") << QByteArray(R"({"kiosk":{"pad":{"triggerPort":70000}}})") << "triggerPort must be";
    QTest::newRow("pad key") << QByteArray(R"({"kiosk":{"pad":{"bind":"0.0.0.0"}}})") << "kiosk.pad: unknown key 'bind'";
    QTest::newRow("indicator code") << QByteArray(R"({"indicators":{"version":"v","indicators":[{"code":"5","text":"t","levels":[1]}]}})")
                                    << "not three digits";
    QTest::newRow("duplicate indicator") << QByteArray(R"({"indicators":{"version":"v","indicators":[{"code":"501","text":"t","levels":[1]},{"code":"501","text":"u","levels":[2]}]}})")
                                         << "duplicate code 501";
    QTest::newRow("no 差评 reason") << QByteArray(R"({"indicators":{"version":"v","indicators":[{"code":"508","text":"t","levels":[3]}]}})")
                                     << "no reason offered for levels 1-2";
    QTest::newRow("level 6") << QByteArray(R"({"indicators":{"version":"v","indicators":[{"code":"501","text":"t","levels":[6]}]}})")
                             << "outside 1..5";
    QTest::newRow("no version") << QByteArray(R"({"questionnaires":{"default":{"items":[]}}})") << "version";
    QTest::newRow("question kind") << QByteArray(R"({"questionnaires":{"version":"q","default":{"items":[{"id":"q1","text":"t","kind":"free"}]}}})")
                                   << "unknown kind 'free'";
    QTest::newRow("one option") << QByteArray(R"({"questionnaires":{"version":"q","default":{"items":[{"id":"q1","text":"t","kind":"single","options":[{"code":"1","text":"a"}]}]}}})")
                                << "at least two options";
}

void TestFleetApi::validator_badDocuments_refusedWithTheReason()
{
    QFETCH(QByteArray, document);
    QFETCH(QString, reason);
    const QString got = ConfigValidator::validate(QJsonDocument::fromJson(document).object());
    QVERIFY2(got.contains(reason), qPrintable(got));
}

void TestFleetApi::health_databaseUp200_databaseGone503()
{
    // In-process hub, so the test can take its database away.
    QTemporaryDir dir;
    HubStore store;
    QString error;
    QVERIFY2(store.open(dir.filePath(QStringLiteral("hub.sqlite")), &error), qPrintable(error));
    auto identity = hcp::trust::DeviceIdentity::create(dir.filePath(QStringLiteral("hub-identity.pem")));
    QVERIFY(identity);
    HubServer server(&store, *identity);
    hcp::sync::hub::FleetApi::Options options;
    options.version = QStringLiteral("9.8.7");
    server.fleet().setOptions(options);
    const quint16 port = server.listen(QHostAddress::LocalHost, 0);
    QVERIFY(port);
    const QUrl url(QStringLiteral("http://127.0.0.1:%1/v1/health").arg(port));
    Http r = http(url, "GET");
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json().value(QLatin1String("status")).toString(), QStringLiteral("ok"));
    QCOMPARE(r.json().value(QLatin1String("db")).toString(), QStringLiteral("ok"));
    QCOMPARE(r.json().value(QLatin1String("version")).toString(), QStringLiteral("9.8.7"));
    QVERIFY(r.json().value(QLatin1String("configSigning")).toBool());

    store.database().close();
    store.database().setDatabaseName(dir.filePath(QStringLiteral("gone/hub.sqlite")));
    r = http(url, "GET");
    QCOMPARE(r.status, 503);
    QCOMPARE(r.json().value(QLatin1String("status")).toString(), QStringLiteral("unavailable"));
    QVERIFY(r.json().value(QLatin1String("db")).toString().startsWith(QLatin1String("error")));
}

void TestFleetApi::config_signedEnvelope_verifiesWithHubKey_tamperedOrWrongKeyFails()
{
    const DeviceCredentials creds = enroll(m_hub.url(), QStringLiteral("KIOSK-FLEET-CFG"));
    QVERIFY(creds.isValid());
    const hcp::trust::Key hubKey = hcp::trust::Key::fromPem(creds.hubPublicKey);
    QVERIFY(!hubKey.isNull());
    QCOMPARE(adminSend(m_hub.url(), "PUT", QStringLiteral("/v1/admin/config/device:KIOSK-FLEET-CFG"), kioskDoc(75)), 200);
    const Http r = deviceRequest(m_hub.url(), creds, "GET", QStringLiteral("/v1/config"));
    QCOMPARE(r.status, 200);
    const QJsonObject envelope = r.json();
    QCOMPARE(envelope.value(QLatin1String("scope")).toString(), QStringLiteral("device:KIOSK-FLEET-CFG"));
    QCOMPARE(envelope.value(QLatin1String("document")).toObject(), kioskDoc(75));
    QString why;
    QVERIFY2(ConfigPublisher::verifyEnvelope(envelope, hubKey, &why), qPrintable(why));
    // The signature covers exactly 'HCP-CFG-V1\n' + version + '\n' + canonical JSON.
    const QByteArray input = "HCP-CFG-V1\n" + envelope.value(QLatin1String("version")).toString().toLatin1() + '\n'
        + *hcp::trust::CanonicalJson::serialize(kioskDoc(75));
    QVERIFY(hcp::trust::Crypto::verify(hubKey, input,
                                       QByteArray::fromBase64(envelope.value(QLatin1String("signature")).toString().toLatin1())));

    QJsonObject tampered = envelope;
    tampered.insert(QStringLiteral("document"), kioskDoc(3600));
    QVERIFY(!ConfigPublisher::verifyEnvelope(tampered, hubKey, &why));
    QCOMPARE(why, QStringLiteral("bad signature"));
    QJsonObject replayedVersion = envelope;
    replayedVersion.insert(QStringLiteral("version"), QString::number(envelope.value(QLatin1String("version")).toString().toLongLong() + 1));
    QVERIFY(!ConfigPublisher::verifyEnvelope(replayedVersion, hubKey, &why));
    QJsonObject unsignedEnvelope = envelope;
    unsignedEnvelope.remove(QStringLiteral("signature"));
    QVERIFY(!ConfigPublisher::verifyEnvelope(unsignedEnvelope, hubKey, &why));
    QCOMPARE(why, QStringLiteral("unsigned"));
    QVERIFY(!ConfigPublisher::verifyEnvelope(envelope, hcp::trust::Key::generate(hcp::trust::KeyType::Sm2).publicOnly(), &why));
}

void TestFleetApi::config_versionsRiseAcrossScopes_invalidPushRefusedWith422()
{
    const DeviceCredentials creds = enroll(m_hub.url(), QStringLiteral("KIOSK-FLEET-VER"), QStringLiteral("110105009000"));
    QVERIFY(creds.isValid());
    QJsonObject a, b, c;
    QCOMPARE(adminSend(m_hub.url(), "PUT", QStringLiteral("/v1/admin/config/default"), kioskDoc(60), &a), 200);
    QCOMPARE(adminSend(m_hub.url(), "PUT", QStringLiteral("/v1/admin/config/hall:110105009000"), kioskDoc(70), &b), 200);
    QCOMPARE(adminSend(m_hub.url(), "PUT", QStringLiteral("/v1/admin/config/default"), kioskDoc(80), &c), 200);
    const qint64 va = a.value(QLatin1String("version")).toString().toLongLong();
    const qint64 vb = b.value(QLatin1String("version")).toString().toLongLong();
    const qint64 vc = c.value(QLatin1String("version")).toString().toLongLong();
    QVERIFY(va > 0 && vb > va && vc > vb);
    // The kiosk runs default and hall layered: the hall's value wins, the newest layer's
    // version (the later default push) names the composition.
    Http r = deviceRequest(m_hub.url(), creds, "GET", QStringLiteral("/v1/config"));
    QCOMPARE(r.json().value(QLatin1String("version")).toString(), QString::number(vc));
    QCOMPARE(r.header("ETag"), QByteArray("\"cfg-") + QByteArray::number(vc) + '"');
    QCOMPARE(r.json().value(QLatin1String("scope")).toString(), QStringLiteral("hall:110105009000"));
    QCOMPARE(r.json().value(QLatin1String("document")).toObject().value(QLatin1String("kiosk")).toObject()
                 .value(QLatin1String("idleTimeoutSeconds")).toInt(), 70);

    QJsonObject refused;
    QCOMPARE(adminSend(m_hub.url(), "PUT", QStringLiteral("/v1/admin/config/hall:110105009000"),
                       QJsonObject{{QStringLiteral("kiosk"), QJsonObject{{QStringLiteral("pf"), 9}}}}, &refused),
             422);
    QCOMPARE(refused.value(QLatin1String("error")).toString(), QStringLiteral("invalid_config"));
    QVERIFY(refused.value(QLatin1String("message")).toString().contains(QLatin1String("kiosk.pf")));
    r = deviceRequest(m_hub.url(), creds, "GET", QStringLiteral("/v1/config"));
    QCOMPARE(r.json().value(QLatin1String("version")).toString(), QString::number(vc)); // nothing published
}

// The push that removed the 代办员 list: the hall's document names the agents and the hotline, a
// later push for one kiosk names one key. The kiosk receives all three (signed as one document),
// a push for its class applies to it under the hall's values, and a null in the device layer is
// passed on (the kiosk resets that setting to its built-in default).
void TestFleetApi::config_scopesLayered_devicePushKeepsHallAgents_classTargetsItsKiosks()
{
    const QString hall = QStringLiteral("110105009100");
    const DeviceCredentials creds = enroll(m_hub.url(), QStringLiteral("KIOSK-FLEET-LAYER"), hall);
    const DeviceCredentials other = enroll(m_hub.url(), QStringLiteral("KIOSK-FLEET-LAYER2"), hall);
    QVERIFY(creds.isValid() && other.isValid());
    const hcp::trust::Key hubKey = hcp::trust::Key::fromPem(creds.hubPublicKey);
    const QJsonArray agents{QJsonObject{{QStringLiteral("id"), QStringLiteral("A01")}, {QStringLiteral("name"), QStringLiteral("张代办")},
                                        {QStringLiteral("certKeyHash"), QStringLiteral("ab12")},
                                        {QStringLiteral("pinHash"), hcp::trust::PinVault::hashPin(QStringLiteral("1357"), 1000)}}};
    QCOMPARE(adminSend(m_hub.url(), "PUT", QStringLiteral("/v1/admin/config/hall:") + hall,
                       QJsonObject{{QStringLiteral("kiosk"), QJsonObject{{QStringLiteral("agents"), agents},
                                                                         {QStringLiteral("hotline"), QStringLiteral("0551-12345")}}}}),
             200);
    QCOMPARE(adminSend(m_hub.url(), "PUT", QStringLiteral("/v1/admin/config/device:KIOSK-FLEET-LAYER"), kioskDoc(240)), 200);
    QJsonObject classPush;
    QCOMPARE(adminSend(m_hub.url(), "PUT", QStringLiteral("/v1/admin/config/class:terminal"),
                       QJsonObject{{QStringLiteral("kiosk"), QJsonObject{{QStringLiteral("voiceVolume"), 55},
                                                                         {QStringLiteral("hotline"), QStringLiteral("12345")}}}},
                       &classPush),
             200);
    QCOMPARE(adminSend(m_hub.url(), "PUT", QStringLiteral("/v1/admin/config/class:window"), kioskDoc(100)), 400);

    Http r = deviceRequest(m_hub.url(), creds, "GET", QStringLiteral("/v1/config"));
    QCOMPARE(r.status, 200);
    QString why;
    QVERIFY2(ConfigPublisher::verifyEnvelope(r.json(), hubKey, &why), qPrintable(why));
    QCOMPARE(r.json().value(QLatin1String("scope")).toString(), QStringLiteral("device:KIOSK-FLEET-LAYER"));
    QCOMPARE(r.json().value(QLatin1String("version")).toString(), classPush.value(QLatin1String("version")).toString());
    QJsonObject kiosk = r.json().value(QLatin1String("document")).toObject().value(QLatin1String("kiosk")).toObject();
    QCOMPARE(kiosk.value(QLatin1String("agents")).toArray(), agents);
    QCOMPARE(kiosk.value(QLatin1String("idleTimeoutSeconds")).toInt(), 240);
    QCOMPARE(kiosk.value(QLatin1String("voiceVolume")).toInt(), 55);
    QCOMPARE(kiosk.value(QLatin1String("hotline")).toString(), QStringLiteral("0551-12345")); // hall over class
    // The same composition is served again (cached) with the same ETag; a 304 for it.
    const QByteArray etag = r.header("ETag");
    QCOMPARE(deviceRequest(m_hub.url(), creds, "GET", QStringLiteral("/v1/config")).header("ETag"), etag);

    // The other kiosk of the hall has no device layer.
    r = deviceRequest(m_hub.url(), other, "GET", QStringLiteral("/v1/config"));
    kiosk = r.json().value(QLatin1String("document")).toObject().value(QLatin1String("kiosk")).toObject();
    QCOMPARE(r.json().value(QLatin1String("scope")).toString(), QStringLiteral("hall:") + hall);
    QCOMPARE(kiosk.value(QLatin1String("agents")).toArray(), agents);
    QVERIFY(!kiosk.contains(QLatin1String("idleTimeoutSeconds")) || kiosk.value(QLatin1String("idleTimeoutSeconds")).toInt() != 240);

    // null in the device layer: that kiosk goes back to its built-in hotline, the others keep the hall's.
    QCOMPARE(adminSend(m_hub.url(), "PUT", QStringLiteral("/v1/admin/config/device:KIOSK-FLEET-LAYER"),
                       QJsonObject{{QStringLiteral("kiosk"), QJsonObject{{QStringLiteral("hotline"), QJsonValue::Null}}}}),
             200);
    r = deviceRequest(m_hub.url(), creds, "GET", QStringLiteral("/v1/config"));
    QVERIFY(r.header("ETag") != etag);
    QVERIFY2(ConfigPublisher::verifyEnvelope(r.json(), hubKey, &why), qPrintable(why));
    kiosk = r.json().value(QLatin1String("document")).toObject().value(QLatin1String("kiosk")).toObject();
    QVERIFY(kiosk.contains(QLatin1String("hotline")) && kiosk.value(QLatin1String("hotline")).isNull());
    QCOMPARE(kiosk.value(QLatin1String("agents")).toArray(), agents);
}

void TestFleetApi::bundles_onlyVerifiedBundlesRegistered_reasonsReturned()
{
    auto upload = [&](const QByteArray &bytes, const QString &name = {}) {
        QUrl url = m_hub.url().resolved(QUrl(QStringLiteral("/v1/admin/bundles")));
        if (!name.isEmpty())
            url.setQuery(QStringLiteral("name=") + name);
        return http(url, "POST", bytes, {{"Authorization", QByteArray("Bearer ") + kAdminToken}});
    };
    QFile f(m_bundle);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray good = f.readAll();

    // Signed by a key the hub does not trust.
    const QString otherPath = m_dir.filePath(QStringLiteral("other.bundle"));
    QString error;
    QVERIFY(hcp::updater::BundleFile::build(m_dir.filePath(QStringLiteral("tree")),
                                            hcp::trust::Key::generate(hcp::trust::KeyType::Sm2), QStringLiteral("1.1.0"),
                                            QStringLiteral("hcp-kiosk-amd64"), false, otherPath, &error));
    QFile other(otherPath);
    QVERIFY(other.open(QIODevice::ReadOnly));
    Http r = upload(other.readAll());
    QCOMPARE(r.status, 422);
    QVERIFY2(r.json().value(QLatin1String("message")).toString().startsWith(QLatin1String("unknown-key")), r.body.constData());
    r = upload(good.left(good.size() - 1000));
    QCOMPARE(r.status, 422);
    QVERIFY2(r.json().value(QLatin1String("message")).toString().startsWith(QLatin1String("truncated")), r.body.constData());
    QByteArray flipped = good;
    flipped[flipped.size() - 5] = char(flipped.at(flipped.size() - 5) ^ 0x20);
    r = upload(flipped);
    QCOMPARE(r.status, 422);
    QVERIFY2(r.json().value(QLatin1String("message")).toString().startsWith(QLatin1String("hash-mismatch")), r.body.constData());
    r = upload(QByteArray("not a bundle at all"));
    QCOMPARE(r.status, 422);
    r = upload(good, QStringLiteral("../escape"));
    QCOMPARE(r.status, 400);
    QCOMPARE(http(m_hub.url().resolved(QUrl(QStringLiteral("/v1/admin/bundles"))), "POST", good).status, 403);

    r = upload(good);
    QCOMPARE(r.status, 201);
    QCOMPARE(r.json().value(QLatin1String("name")).toString(), QStringLiteral("hcp-kiosk-1.1.0-hcp-kiosk-amd64.bundle"));
    QCOMPARE(r.json().value(QLatin1String("version")).toString(), QStringLiteral("1.1.0"));
    QCOMPARE(r.json().value(QLatin1String("size")).toInteger(), good.size());
    QCOMPARE(r.json().value(QLatin1String("sha256")).toString(),
             QString::fromLatin1(QCryptographicHash::hash(good, QCryptographicHash::Sha256).toHex()));
}

void TestFleetApi::bundles_rangeRequests_206_416_suffix()
{
    QFile f(m_bundle);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray good = f.readAll();
    const qint64 size = good.size();
    const QUrl url = m_hub.url().resolved(QUrl(QStringLiteral("/v1/bundles/hcp-kiosk-1.1.0-hcp-kiosk-amd64.bundle")));
    Http r = http(url, "GET");
    QCOMPARE(r.status, 200);
    QCOMPARE(r.header("Accept-Ranges"), QByteArray("bytes"));
    QVERIFY(r.body == good);
    r = http(url, "GET", {}, {{"Range", "bytes=100-199"}});
    QCOMPARE(r.status, 206);
    QCOMPARE(r.header("Content-Range"), QByteArray("bytes 100-199/") + QByteArray::number(size));
    QVERIFY(r.body == good.mid(100, 100));
    r = http(url, "GET", {}, {{"Range", "bytes=" + QByteArray::number(size - 10) + "-"}});
    QCOMPARE(r.status, 206);
    QVERIFY(r.body == good.right(10));
    r = http(url, "GET", {}, {{"Range", "bytes=-16"}});
    QCOMPARE(r.status, 206);
    QVERIFY(r.body == good.right(16));
    r = http(url, "GET", {}, {{"Range", "bytes=" + QByteArray::number(size) + "-"}});
    QCOMPARE(r.status, 416);
    QCOMPARE(r.header("Content-Range"), QByteArray("bytes */") + QByteArray::number(size));
    QCOMPARE(http(m_hub.url().resolved(QUrl(QStringLiteral("/v1/bundles/no-such.bundle"))), "GET").status, 404);
}

void TestFleetApi::bundles_cutDownload_bundleDownloaderResumesWithoutRefetching()
{
    QFile f(m_bundle);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray good = f.readAll();
    // The link drops after ~1 MB of the first response; the updater's downloader retries and
    // resumes with Range from what it wrote, so the payload crosses the network once.
    CuttingRelay relay(m_hub.port(), 1024 * 1024);
    QVERIFY(relay.port());
    QNetworkAccessManager nam;
    hcp::updater::TrustPolicy policy;
    policy.releaseKeys = {m_release.publicOnly()};
    policy.deviceClass = QStringLiteral("hcp-kiosk-amd64");
    hcp::updater::BundleDownloader downloader(&nam, policy);
    downloader.setRetry(5, 50, 200);
    QSignalSpy finished(&downloader, &hcp::updater::BundleDownloader::finished);
    QSignalSpy failed(&downloader, &hcp::updater::BundleDownloader::failed);
    const QString part = m_dir.filePath(QStringLiteral("download.part"));
    downloader.start(QUrl(QStringLiteral("http://127.0.0.1:%1/v1/bundles/hcp-kiosk-1.1.0-hcp-kiosk-amd64.bundle")
                              .arg(relay.port())),
                     part);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count() + failed.count(), 1, 30000);
    QCOMPARE(failed.count(), 0);
    QCOMPARE(relay.connections(), 2);
    QCOMPARE(downloader.requestCount(), 2);
    QVERIFY(relay.requests().size() >= 2);
    QVERIFY2(relay.requests().last().toLower().contains("range: bytes="), relay.requests().last().constData());
    QVERIFY(!relay.requests().last().toLower().contains("range: bytes=0-"));
    QCOMPARE(downloader.networkBytes(), good.size()); // resumed: no byte fetched twice
    QFile got(part);
    QVERIFY(got.open(QIODevice::ReadOnly));
    QVERIFY(got.readAll() == good);
    hcp::updater::UpdateError e;
    QVERIFY(hcp::updater::BundleFile::verify(part, policy, true, &e));
}

void TestFleetApi::rollout_nextStageOnlyAfterHealthy_rollbackHaltsWithAlert()
{
    QList<DeviceCredentials> kiosks;
    for (int i = 0; i < 10; ++i) {
        kiosks.append(enroll(m_hub.url(), QStringLiteral("KIOSK-ROLL-%1").arg(i, 2, 10, QLatin1Char('0')),
                             QStringLiteral("110105007000")));
        QVERIFY(kiosks.last().isValid());
    }
    const QString bundle = QStringLiteral("hcp-kiosk-1.1.0-hcp-kiosk-amd64.bundle");
    QJsonObject created;
    QCOMPARE(adminSend(m_hub.url(), "POST", QStringLiteral("/v1/admin/rollouts"),
                       QJsonObject{{QStringLiteral("bundle"), bundle},
                                   {QStringLiteral("devices"), QStringLiteral("hall:110105007000")},
                                   {QStringLiteral("stages"), QJsonArray{10, 50, 100}},
                                   {QStringLiteral("deadlineS"), 300}},
                       &created),
             201);
    const qint64 id = created.value(QLatin1String("id")).toInteger();
    QCOMPARE(created.value(QLatin1String("devices")).toArray().size(), 10);

    // Stage 0 = 10 % = the first kiosk only; it gets the contract's update command.
    QJsonArray cmds = updateCommands(beat(m_hub.url(), kiosks[0], QStringLiteral("idle"), QStringLiteral("1.0.0")));
    QCOMPARE(cmds.size(), 1);
    const QJsonObject args = cmds.at(0).toObject().value(QLatin1String("args")).toObject();
    QCOMPARE(args.value(QLatin1String("version")).toString(), QStringLiteral("1.1.0"));
    QVERIFY(args.value(QLatin1String("url")).toString().endsWith(QStringLiteral("/v1/bundles/") + bundle));
    QFile f(m_bundle);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray good = f.readAll();
    QCOMPARE(args.value(QLatin1String("size")).toInteger(), good.size());
    QCOMPARE(args.value(QLatin1String("sha256")).toString(),
             QString::fromLatin1(QCryptographicHash::hash(good, QCryptographicHash::Sha256).toHex()));
    QCOMPARE(args.value(QLatin1String("deadlineS")).toInt(), 300);
    // The URL works as given (the hub's own address).
    QCOMPARE(http(QUrl(args.value(QLatin1String("url")).toString()), "GET", {}, {{"Range", "bytes=0-7"}}).body,
             QByteArray("HCPBNDL1"));
    for (int i = 1; i < 10; ++i)
        QCOMPARE(updateCommands(beat(m_hub.url(), kiosks[i], QStringLiteral("idle"), QStringLiteral("1.0.0"))).size(), 0);

    // In trial: not yet healthy, nothing more is sent.
    beat(m_hub.url(), kiosks[0], QStringLiteral("trial"), QStringLiteral("1.1.0"));
    QCOMPARE(updateCommands(beat(m_hub.url(), kiosks[1], QStringLiteral("idle"), QStringLiteral("1.0.0"))).size(), 0);
    // Healthy: stage 1 (50 % = kiosks 1..4) gets the command, the rest still nothing.
    beat(m_hub.url(), kiosks[0], QStringLiteral("healthy"), QStringLiteral("1.1.0"));
    for (int i = 1; i < 10; ++i)
        QCOMPARE(updateCommands(beat(m_hub.url(), kiosks[i], QStringLiteral("idle"), QStringLiteral("1.0.0"))).size(),
                 i <= 4 ? 1 : 0);
    for (int i = 1; i <= 3; ++i)
        beat(m_hub.url(), kiosks[i], QStringLiteral("healthy"), QStringLiteral("1.1.0"));
    QCOMPARE(updateCommands(beat(m_hub.url(), kiosks[5], QStringLiteral("idle"), QStringLiteral("1.0.0"))).size(), 0);
    beat(m_hub.url(), kiosks[4], QStringLiteral("healthy"), QStringLiteral("1.1.0"));
    // Stage 2: everyone else.
    QCOMPARE(updateCommands(beat(m_hub.url(), kiosks[5], QStringLiteral("idle"), QStringLiteral("1.0.0"))).size(), 1);

    // A rollback halts the rollout, with the reason and an alert.
    beat(m_hub.url(), kiosks[7], QStringLiteral("rolled_back"), QStringLiteral("1.1.0"),
         QStringLiteral("not healthy within the trial deadline (300 s)"));
    for (int i = 5; i < 10; ++i)
        if (i != 7)
            beat(m_hub.url(), kiosks[i], QStringLiteral("healthy"), QStringLiteral("1.1.0"));
    const QJsonArray rollouts = adminGet(m_hub.url(), QStringLiteral("/v1/admin/rollouts")).value(QLatin1String("rollouts")).toArray();
    QJsonObject mine;
    for (const QJsonValue &r : rollouts)
        if (r.toObject().value(QLatin1String("id")).toInteger() == id)
            mine = r.toObject();
    QCOMPARE(mine.value(QLatin1String("state")).toString(), QStringLiteral("halted"));
    QVERIFY(mine.value(QLatin1String("reason")).toString().contains(QLatin1String("KIOSK-ROLL-07")));
    QCOMPARE(mine.value(QLatin1String("counts")).toObject().value(QLatin1String("healthy")).toInt(), 9);
    QCOMPARE(mine.value(QLatin1String("counts")).toObject().value(QLatin1String("rolled_back")).toInt(), 1);

    QVERIFY(addUser(QStringLiteral("ops.roll"), QStringLiteral("viewer"), QStringLiteral("roll-pass-2026")));
    const QByteArray cookie = login(QStringLiteral("ops.roll"), QStringLiteral("roll-pass-2026"));
    const QJsonArray alerts = console(cookie, "GET", QStringLiteral("alerts")).json().value(QLatin1String("alerts")).toArray();
    bool found = false;
    for (const QJsonValue &a : alerts)
        found |= a.toObject().value(QLatin1String("kind")).toString() == QLatin1String("rollout_halted")
            && a.toObject().value(QLatin1String("deviceId")).toString() == QLatin1String("KIOSK-ROLL-07");
    QVERIFY(found);

    // The operator resumes: the failed kiosk is skipped and the rollout completes; a viewer may not.
    QCOMPARE(console(cookie, "POST", QStringLiteral("rollouts/%1/resume").arg(id), "{}").status, 403);
    QVERIFY(addUser(QStringLiteral("ops.roll2"), QStringLiteral("maintainer"), QStringLiteral("roll-pass-2027")));
    const QByteArray ops = login(QStringLiteral("ops.roll2"), QStringLiteral("roll-pass-2027"));
    Http r = console(ops, "POST", QStringLiteral("rollouts/%1/resume").arg(id), "{}");
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json().value(QLatin1String("state")).toString(), QStringLiteral("done"));
    QCOMPARE(r.json().value(QLatin1String("counts")).toObject().value(QLatin1String("skipped")).toInt(), 1);
    QCOMPARE(console(ops, "POST", QStringLiteral("rollouts/%1/cancel").arg(id), "{}").status, 409); // done is final
}

void TestFleetApi::bundles_largeRangesAtOddOffsetsExact_concurrentAndKeptAliveDownloads()
{
    QFile f(m_bundle);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray good = f.readAll();
    const qint64 chunk = 64 * 1024; // arbitrary block size to place ranges at odd offsets
    QVERIFY2(good.size() > 20 * chunk, "the bundle must span many blocks");

    // Ranges that start and end at odd offsets and span megabytes, and the whole file.
    const QUrl url = m_hub.url().resolved(QUrl(QStringLiteral("/v1/bundles/hcp-kiosk-1.1.0-hcp-kiosk-amd64.bundle")));
    const qint64 a = 3 * chunk - 5;
    const qint64 b = 40 * chunk + 123;
    Http r = http(url, "GET", {}, {{"Range", "bytes=" + QByteArray::number(a) + '-' + QByteArray::number(b)}});
    QCOMPARE(r.status, 206);
    QCOMPARE(r.header("Content-Length"), QByteArray::number(b - a + 1));
    QCOMPARE(r.header("Content-Range"), "bytes " + QByteArray::number(a) + '-' + QByteArray::number(b) + '/'
                                            + QByteArray::number(good.size()));
    QVERIFY(r.body == good.mid(a, b - a + 1));
    r = http(url, "GET", {}, {{"Range", "bytes=" + QByteArray::number(chunk) + "-"}});
    QCOMPARE(r.status, 206);
    QVERIFY(r.body == good.mid(chunk));
    r = http(url, "GET");
    QCOMPARE(r.status, 200);
    QCOMPARE(r.header("Content-Length"), QByteArray::number(good.size()));
    QVERIFY(r.body == good);
    // Two downloads at once each get their own bytes (one device per response).
    QNetworkAccessManager nam;
    QNetworkRequest one(url), two(url);
    one.setRawHeader("Range", "bytes=0-" + QByteArray::number(10 * chunk));
    two.setRawHeader("Range", "bytes=" + QByteArray::number(20 * chunk) + '-');
    QNetworkReply *r1 = nam.get(one);
    QNetworkReply *r2 = nam.get(two);
    QTRY_VERIFY_WITH_TIMEOUT(r1->isFinished() && r2->isFinished(), 30000);
    QVERIFY(r1->readAll() == good.left(10 * chunk + 1));
    QVERIFY(r2->readAll() == good.mid(20 * chunk));
    delete r1;
    delete r2;
    // A kept-alive connection serves the next request after a streamed one (a JSON call, then
    // another range), in order.
    for (const QByteArray &range : {QByteArray("bytes=5-70000"), QByteArray("bytes=-70000")}) {
        QNetworkRequest next(url);
        next.setRawHeader("Range", range);
        QNetworkReply *reply = nam.get(next);
        QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 30000);
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 206);
        QVERIFY(reply->readAll() == (range.endsWith("-70000") && range.startsWith("bytes=-") ? good.right(70000) : good.mid(5, 69996)));
        delete reply;
        QNetworkReply *health = nam.get(QNetworkRequest(m_hub.url().resolved(QUrl(QStringLiteral("/v1/health")))));
        QTRY_VERIFY_WITH_TIMEOUT(health->isFinished(), 30000);
        QCOMPARE(health->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        delete health;
    }
}

void TestFleetApi::rollout_onlyKiosksOfTheBundlesClass_padsAndOtherUpdaterClassesExcluded()
{
    const QString hall = QStringLiteral("110105008000");
    auto enrollAs = [&](const QString &id, const QString &deviceClass) {
        const Http r = http(m_hub.url().resolved(QUrl(QStringLiteral("/v1/enroll"))), "POST",
                            compact(QJsonObject{{QStringLiteral("enrollToken"), QLatin1String(kEnrollToken)},
                                                {QStringLiteral("deviceId"), id},
                                                {QStringLiteral("hallCode"), hall},
                                                {QStringLiteral("deviceClass"), deviceClass},
                                                {QStringLiteral("version"), QStringLiteral("1.0.0")}}));
        DeviceCredentials c = DeviceCredentials::fromJson(r.json());
        c.hubUrl = m_hub.url();
        return c;
    };
    const DeviceCredentials t1 = enrollAs(QStringLiteral("KIOSK-CLS-T1"), QStringLiteral("terminal"));
    const DeviceCredentials t2 = enrollAs(QStringLiteral("KIOSK-CLS-T2"), QStringLiteral("terminal"));
    const DeviceCredentials t3 = enrollAs(QStringLiteral("KIOSK-CLS-T3"), QStringLiteral("terminal"));
    const DeviceCredentials p1 = enrollAs(QStringLiteral("KIOSK-CLS-P1"), QStringLiteral("pad"));
    const DeviceCredentials p2 = enrollAs(QStringLiteral("KIOSK-CLS-P2"), QStringLiteral("pad"));
    for (const auto *c : {&t1, &t2, &t3, &p1, &p2})
        QVERIFY(c->isValid());
    // T3's updater reports another class (an ARM terminal): its report wins over enrollment.
    const QJsonObject armBeat{{QStringLiteral("version"), QStringLiteral("1.0.0")},
                              {QStringLiteral("kioskTimeMs"), QDateTime::currentMSecsSinceEpoch()},
                              {QStringLiteral("update"), QJsonObject{{QStringLiteral("state"), QStringLiteral("idle")},
                                                                     {QStringLiteral("version"), QStringLiteral("1.0.0")},
                                                                     {QStringLiteral("deviceClass"), QStringLiteral("hcp-kiosk-arm64")}}}};
    QCOMPARE(deviceRequest(m_hub.url(), t3, "POST", QStringLiteral("/v1/heartbeat"), compact(armBeat)).status, 200);

    const QString bundle = QStringLiteral("hcp-kiosk-1.1.0-hcp-kiosk-amd64.bundle");
    QJsonObject created;
    QCOMPARE(adminSend(m_hub.url(), "POST", QStringLiteral("/v1/admin/rollouts"),
                       QJsonObject{{QStringLiteral("bundle"), bundle},
                                   {QStringLiteral("devices"), QStringLiteral("hall:") + hall},
                                   {QStringLiteral("stages"), QJsonArray{100}}},
                       &created),
             201);
    QStringList scheduled;
    for (const QJsonValue &d : created.value(QLatin1String("devices")).toArray())
        scheduled << d.toObject().value(QLatin1String("deviceId")).toString();
    scheduled.sort();
    QCOMPARE(scheduled, QStringList({QStringLiteral("KIOSK-CLS-T1"), QStringLiteral("KIOSK-CLS-T2")}));
    QStringList excluded;
    for (const QJsonValue &d : created.value(QLatin1String("excluded")).toArray())
        excluded << d.toObject().value(QLatin1String("deviceId")).toString() + QLatin1Char('=')
                + d.toObject().value(QLatin1String("deviceClass")).toString();
    excluded.sort();
    QCOMPARE(excluded, QStringList({QStringLiteral("KIOSK-CLS-P1=pad"), QStringLiteral("KIOSK-CLS-P2=pad"),
                                    QStringLiteral("KIOSK-CLS-T3=hcp-kiosk-arm64")}));

    // Pads never get the command, so they cannot reject it and halt the rollout; it completes.
    QCOMPARE(updateCommands(beat(m_hub.url(), p1, QStringLiteral("idle"), QStringLiteral("1.0.0"))).size(), 0);
    QCOMPARE(updateCommands(beat(m_hub.url(), p2, QStringLiteral("idle"), QStringLiteral("1.0.0"))).size(), 0);
    QCOMPARE(updateCommands(beat(m_hub.url(), t1, QStringLiteral("idle"), QStringLiteral("1.0.0"))).size(), 1);
    QCOMPARE(updateCommands(beat(m_hub.url(), t2, QStringLiteral("idle"), QStringLiteral("1.0.0"))).size(), 1);
    beat(m_hub.url(), t1, QStringLiteral("healthy"), QStringLiteral("1.1.0"));
    beat(m_hub.url(), t2, QStringLiteral("healthy"), QStringLiteral("1.1.0"));
    const qint64 id = created.value(QLatin1String("id")).toInteger();
    QJsonObject mine;
    for (const QJsonValue &r : adminGet(m_hub.url(), QStringLiteral("/v1/admin/rollouts")).value(QLatin1String("rollouts")).toArray())
        if (r.toObject().value(QLatin1String("id")).toInteger() == id)
            mine = r.toObject();
    QCOMPARE(mine.value(QLatin1String("state")).toString(), QStringLiteral("done"));

    // Naming only kiosks of another class is refused with the reason.
    QJsonObject refused;
    QCOMPARE(adminSend(m_hub.url(), "POST", QStringLiteral("/v1/admin/rollouts"),
                       QJsonObject{{QStringLiteral("bundle"), bundle},
                                   {QStringLiteral("devices"), QJsonArray{QStringLiteral("KIOSK-CLS-P1"), QStringLiteral("KIOSK-CLS-P2")}}},
                       &refused),
             400);
    QVERIFY2(refused.value(QLatin1String("message")).toString().contains(QLatin1String("hcp-kiosk-amd64")),
             qPrintable(refused.value(QLatin1String("message")).toString()));
}

void TestFleetApi::console_sessionsRolesAndCsrfHeader_enforcedServerSide()
{
    QVERIFY(addUser(QStringLiteral("viewer.a"), QStringLiteral("viewer"), QStringLiteral("viewer-pass-1")));
    QVERIFY(addUser(QStringLiteral("ops.a"), QStringLiteral("maintainer"), QStringLiteral("ops-pass-12")));
    QVERIFY(!addUser(QStringLiteral("weak"), QStringLiteral("admin"), QStringLiteral("short")));
    QVERIFY(!addUser(QStringLiteral("nobody"), QStringLiteral("root"), QStringLiteral("long-enough-1")));

    // The page itself is public (it holds no data) and locked down by headers.
    const Http page = http(m_hub.url().resolved(QUrl(QStringLiteral("/console/"))), "GET");
    QCOMPARE(page.status, 200);
    QVERIFY(page.body.contains("好差评终端运维平台"));
    QVERIFY(page.header("Content-Security-Policy").contains("default-src 'self'"));
    QCOMPARE(console("", "GET", QStringLiteral("kiosks")).status, 401);

    int status = 0;
    QByteArray setCookie;
    login(QStringLiteral("viewer.a"), QStringLiteral("wrong-pass"), &status);
    QCOMPARE(status, 401);
    const QByteArray viewer = login(QStringLiteral("viewer.a"), QStringLiteral("viewer-pass-1"), &status, &setCookie);
    QCOMPARE(status, 200);
    QVERIFY(setCookie.contains("HttpOnly"));
    QVERIFY(setCookie.contains("SameSite=Strict"));
    QVERIFY(setCookie.contains("Max-Age="));
    QCOMPARE(console(viewer, "GET", QStringLiteral("me")).json().value(QLatin1String("role")).toString(), QStringLiteral("viewer"));
    QCOMPARE(console(viewer, "GET", QStringLiteral("kiosks")).status, 200);
    const QByteArray push = compact(QJsonObject{{QStringLiteral("scope"), QStringLiteral("default")},
                                                {QStringLiteral("part"), QStringLiteral("kiosk")},
                                                {QStringLiteral("document"), QJsonObject{{QStringLiteral("idleTimeoutSeconds"), 120}}}});
    QCOMPARE(console(viewer, "POST", QStringLiteral("config"), push).status, 403);
    QCOMPARE(console(viewer, "POST", QStringLiteral("kiosks/KIOSK-FLEET-CFG/commands"), R"({"type":"restart"})").status, 403);
    QCOMPARE(console(viewer, "POST", QStringLiteral("rollouts"), R"({"bundle":"x","devices":"all"})").status, 403);

    const QByteArray ops = login(QStringLiteral("ops.a"), QStringLiteral("ops-pass-12"));
    QCOMPARE(console(ops, "POST", QStringLiteral("config"), push, false).status, 403); // no X-HCP-Console: CSRF
    Http r = console(ops, "POST", QStringLiteral("config"), push);
    QCOMPARE(r.status, 200);
    QVERIFY(r.json().value(QLatin1String("version")).toString().toLongLong() > 0);
    // The part was merged into the scope's current document.
    QCOMPARE(console(ops, "GET", QStringLiteral("config?scope=default")).json().value(QLatin1String("document")).toObject()
                 .value(QLatin1String("kiosk")).toObject().value(QLatin1String("idleTimeoutSeconds")).toInt(),
             120);
    r = console(ops, "POST", QStringLiteral("kiosks/KIOSK-FLEET-CFG/commands"), R"({"type":"test_print"})");
    QCOMPARE(r.status, 201);
    QCOMPARE(console(ops, "POST", QStringLiteral("kiosks/KIOSK-FLEET-CFG/commands"), R"({"type":"format_disk"})").status, 400);
    QCOMPARE(console(ops, "POST", QStringLiteral("bundles"), "x").status, 403); // admin only

    QCOMPARE(http(m_hub.url().resolved(QUrl(QStringLiteral("/console/api/logout"))), "POST", "{}", {{"Cookie", ops}}).status,
             200);
    QCOMPARE(console(ops, "GET", QStringLiteral("me")).status, 401);
    QCOMPARE(console(viewer, "GET", QStringLiteral("me")).status, 200); // other sessions live on
    QCOMPARE(console("hcp_session=" + QByteArray(64, 'a'), "GET", QStringLiteral("me")).status, 401);
}

void TestFleetApi::console_repeatedWrongPasswords_lockTheAccount()
{
    QVERIFY(addUser(QStringLiteral("ops.lock"), QStringLiteral("maintainer"), QStringLiteral("lock-pass-2026")));
    int status = 0;
    for (int i = 0; i < 5; ++i) {
        login(QStringLiteral("ops.lock"), QStringLiteral("guess-%1").arg(i), &status);
        QCOMPARE(status, 401);
    }
    // Locked now: even the right password is refused until the lockout ends.
    login(QStringLiteral("ops.lock"), QStringLiteral("lock-pass-2026"), &status);
    QCOMPARE(status, 401);
    // Resetting the password (hcp-hub add-user) clears the lockout.
    QVERIFY(addUser(QStringLiteral("ops.lock"), QStringLiteral("maintainer"), QStringLiteral("lock-pass-2027")));
    login(QStringLiteral("ops.lock"), QStringLiteral("lock-pass-2027"), &status);
    QCOMPARE(status, 200);
}

void TestFleetApi::console_upstreamWithoutProfile_reportedOff_writesNeedMaintainerAndHeader()
{
    QVERIFY(addUser(QStringLiteral("viewer.up"), QStringLiteral("viewer"), QStringLiteral("viewer-up-2026")));
    QVERIFY(addUser(QStringLiteral("ops.up"), QStringLiteral("maintainer"), QStringLiteral("ops-up-2026")));
    const QByteArray viewer = login(QStringLiteral("viewer.up"), QStringLiteral("viewer-up-2026"));
    const QByteArray ops = login(QStringLiteral("ops.up"), QStringLiteral("ops-up-2026"));
    QCOMPARE(http(m_hub.url().resolved(QUrl(QStringLiteral("/console/api/upstream"))), "GET").status, 401);
    Http r = console(viewer, "GET", QStringLiteral("upstream"));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json().value(QLatin1String("enabled")), QJsonValue(false));
    QCOMPARE(console(viewer, "POST", QStringLiteral("upstream/requeue"), R"({"all":true})").status, 403);
    QCOMPARE(console(ops, "POST", QStringLiteral("upstream/requeue"), R"({"all":true})", false).status, 403);
    // A maintainer passes the checks; this hub forwards nothing, which it says.
    r = console(ops, "POST", QStringLiteral("upstream/requeue"), R"({"all":true})");
    QCOMPARE(r.status, 404);
    QVERIFY(r.json().value(QLatin1String("message")).toString().contains(QStringLiteral("省平台")));
    // The kiosk page carries no upstream list when forwarding is off.
    const DeviceCredentials k = enroll(m_hub.url(), QStringLiteral("KIOSK-UP-OFF"));
    QVERIFY(k.isValid());
    r = console(viewer, "GET", QStringLiteral("kiosks/KIOSK-UP-OFF"));
    QCOMPARE(r.status, 200);
    QVERIFY(!r.json().contains(QLatin1String("upstream")));
}

void TestFleetApi::console_fraudMonitorFlags_shownOnTheKioskAndAsAlert_notFromHeartbeat()
{
    // 12 evaluations within one minute from one kiosk: the hub's burst rule (> 10/min) flags it.
    const DeviceCredentials busy = enroll(m_hub.url(), QStringLiteral("KIOSK-FRAUD-01"));
    const DeviceCredentials calm = enroll(m_hub.url(), QStringLiteral("KIOSK-FRAUD-02"));
    QVERIFY(busy.isValid() && calm.isValid());
    QJsonArray batch;
    for (int i = 1; i <= 12; ++i) {
        QJsonObject e = makeEvaluation(i, uuidFor(QStringLiteral("fraud-console"), i), 5);
        e.insert(QStringLiteral("projectNo"), QStringLiteral("FRAUDCON%1").arg(i, 4, 10, QLatin1Char('0')));
        batch.append(e);
    }
    QCOMPARE(deviceRequest(m_hub.url(), busy, "POST", QStringLiteral("/v1/evaluations/batch"),
                           compact(QJsonObject{{QStringLiteral("evaluations"), batch}}))
                 .status,
             200);
    // The calm kiosk claims fraud in its heartbeat: the console ignores that (server-side only).
    const QJsonObject claim{{QStringLiteral("version"), QStringLiteral("1.0.0")},
                            {QStringLiteral("kioskTimeMs"), QDateTime::currentMSecsSinceEpoch()},
                            {QStringLiteral("fraud"), QJsonObject{{QStringLiteral("burst"), 99}}}};
    QCOMPARE(deviceRequest(m_hub.url(), calm, "POST", QStringLiteral("/v1/heartbeat"), compact(claim)).status, 200);

    QVERIFY(addUser(QStringLiteral("viewer.fraud"), QStringLiteral("viewer"), QStringLiteral("viewer-fraud-2026")));
    const QByteArray viewer = login(QStringLiteral("viewer.fraud"), QStringLiteral("viewer-fraud-2026"));
    QJsonObject busyRow, calmRow;
    for (const QJsonValue &k : console(viewer, "GET", QStringLiteral("kiosks")).json().value(QLatin1String("kiosks")).toArray()) {
        if (k.toObject().value(QLatin1String("deviceId")).toString() == QLatin1String("KIOSK-FRAUD-01"))
            busyRow = k.toObject();
        if (k.toObject().value(QLatin1String("deviceId")).toString() == QLatin1String("KIOSK-FRAUD-02"))
            calmRow = k.toObject();
    }
    const QJsonArray busyFlags = busyRow.value(QLatin1String("fraudFlags")).toArray();
    QCOMPARE(busyFlags.size(), 1);
    QCOMPARE(busyFlags.at(0).toObject().value(QLatin1String("kind")).toString(), QStringLiteral("burst"));
    QCOMPARE(busyFlags.at(0).toObject().value(QLatin1String("count")).toInteger(), 12);
    QVERIFY(calmRow.contains(QLatin1String("fraudFlags")));
    QCOMPARE(calmRow.value(QLatin1String("fraudFlags")).toArray().size(), 0);

    const QJsonObject detail = console(viewer, "GET", QStringLiteral("kiosks/KIOSK-FRAUD-01")).json();
    QCOMPARE(detail.value(QLatin1String("kiosk")).toObject().value(QLatin1String("fraudFlags")).toArray().size(), 1);

    QJsonObject alert;
    int fraudAlerts = 0;
    for (const QJsonValue &a : console(viewer, "GET", QStringLiteral("alerts")).json().value(QLatin1String("alerts")).toArray()) {
        if (a.toObject().value(QLatin1String("kind")).toString() != QLatin1String("fraud"))
            continue;
        if (a.toObject().value(QLatin1String("deviceId")).toString() == QLatin1String("KIOSK-FRAUD-01"))
            alert = a.toObject();
        QVERIFY(a.toObject().value(QLatin1String("deviceId")).toString() != QLatin1String("KIOSK-FRAUD-02"));
        ++fraudAlerts;
    }
    QVERIFY(fraudAlerts >= 1);
    QCOMPARE(alert.value(QLatin1String("severity")).toString(), QStringLiteral("warning"));
    QVERIFY2(alert.value(QLatin1String("message")).toString().contains(QStringLiteral("短时集中评价")),
             qPrintable(alert.value(QLatin1String("message")).toString()));
}

void TestFleetApi::console_ledgerFindings_flagTheKioskAndRaiseAnAlert()
{
    const DeviceCredentials creds = enroll(m_hub.url(), QStringLiteral("KIOSK-FLEET-TAMPER"));
    QVERIFY(creds.isValid());
    QVERIFY(addUser(QStringLiteral("viewer.t"), QStringLiteral("viewer"), QStringLiteral("viewer-pass-t")));
    const QByteArray cookie = login(QStringLiteral("viewer.t"), QStringLiteral("viewer-pass-t"));
    auto kiosk = [&] {
        for (const QJsonValue &k : console(cookie, "GET", QStringLiteral("kiosks")).json().value(QLatin1String("kiosks")).toArray())
            if (k.toObject().value(QLatin1String("deviceId")).toString() == creds.deviceId)
                return k.toObject();
        return QJsonObject();
    };
    QCOMPARE(kiosk().value(QLatin1String("tamper")).toBool(), false);
    {
        // A finding as LedgerCheck records it (its own tests drive real tampered kiosks).
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("tamper-probe"));
        db.setDatabaseName(m_dir.filePath(QStringLiteral("hub.sqlite")));
        db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
        QVERIFY(db.open());
        QSqlQuery q(db);
        q.prepare(QStringLiteral("INSERT INTO tamper_alerts (device_id, kind, device_seq, uuid, evidence, received_at) "
                                 "VALUES (?, 'deleted', 7, 'u-7', 'entry 7 missing below the signed head', ?)"));
        q.addBindValue(creds.deviceId);
        q.addBindValue(QDateTime::currentMSecsSinceEpoch());
        QVERIFY(q.exec());
        q.finish();
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("tamper-probe"));
    const QJsonObject k = kiosk();
    QCOMPARE(k.value(QLatin1String("tamper")).toBool(), true);
    QCOMPARE(k.value(QLatin1String("tamperKinds")).toArray(), QJsonArray{QStringLiteral("deleted")});
    bool alerted = false;
    for (const QJsonValue &a : console(cookie, "GET", QStringLiteral("alerts")).json().value(QLatin1String("alerts")).toArray())
        alerted |= a.toObject().value(QLatin1String("kind")).toString() == QLatin1String("tamper")
            && a.toObject().value(QLatin1String("deviceId")).toString() == creds.deviceId
            && a.toObject().value(QLatin1String("severity")).toString() == QLatin1String("critical")
            && a.toObject().value(QLatin1String("message")).toString().contains(QLatin1String("deleted"));
    QVERIFY(alerted);
}

QTEST_GUILESS_MAIN(TestFleetApi)
// Before a push is signed the console shows, per kiosk it reaches, what would change there — so an
// operator sees that a one-key push for a hall touches one key, and that a bad value is refused.
void TestFleetApi::console_configPreview_listsEachKiosksChanges_invalidSaysWhy_publishesNothing()
{
    const QString hall = QStringLiteral("110105009200");
    QVERIFY(enroll(m_hub.url(), QStringLiteral("KIOSK-PREVIEW-1"), hall).isValid());
    QVERIFY(enroll(m_hub.url(), QStringLiteral("KIOSK-PREVIEW-2"), hall).isValid());
    QCOMPARE(adminSend(m_hub.url(), "PUT", QStringLiteral("/v1/admin/config/hall:") + hall,
                       QJsonObject{{QStringLiteral("kiosk"), QJsonObject{{QStringLiteral("hotline"), QStringLiteral("0551-1")},
                                                                         {QStringLiteral("voiceVolume"), 40}}}}),
             200);
    QCOMPARE(adminSend(m_hub.url(), "PUT", QStringLiteral("/v1/admin/config/device:KIOSK-PREVIEW-2"), kioskDoc(300)), 200);
    QVERIFY(addUser(QStringLiteral("ops.preview"), QStringLiteral("maintainer"), QStringLiteral("ops-pass-preview")));
    const QByteArray ops = login(QStringLiteral("ops.preview"), QStringLiteral("ops-pass-preview"));
    const QJsonArray versionsBefore = console(ops, "GET", QStringLiteral("configs")).json().value(QLatin1String("versions")).toArray();

    auto preview = [&](const QJsonObject &document) {
        return console(ops, "POST", QStringLiteral("config/preview"),
                       compact(QJsonObject{{QStringLiteral("scope"), QStringLiteral("hall:") + hall},
                                           {QStringLiteral("part"), QStringLiteral("kiosk")},
                                           {QStringLiteral("document"), document}}));
    };
    // The part replaces the hall's kiosk part: hotline changes, voiceVolume goes (inherited from
    // nothing), idleTimeoutSeconds 90 reaches KIOSK-PREVIEW-1 only (the device layer wins on 2).
    Http r = preview(QJsonObject{{QStringLiteral("hotline"), QStringLiteral("0551-2")}, {QStringLiteral("idleTimeoutSeconds"), 90}});
    QCOMPARE(r.status, 200);
    QJsonObject p = r.json();
    QVERIFY(p.value(QLatin1String("valid")).toBool());
    QCOMPARE(p.value(QLatin1String("affected")).toInt(), 2);
    QHash<QString, QStringList> paths;
    for (const QJsonValue &d : p.value(QLatin1String("devices")).toArray())
        for (const QJsonValue &c : d.toObject().value(QLatin1String("changes")).toArray())
            paths[d.toObject().value(QLatin1String("deviceId")).toString()] << c.toObject().value(QLatin1String("path")).toString();
    QCOMPARE(paths.value(QStringLiteral("KIOSK-PREVIEW-1")),
             QStringList({QStringLiteral("kiosk.hotline"), QStringLiteral("kiosk.idleTimeoutSeconds"), QStringLiteral("kiosk.voiceVolume")}));
    QCOMPARE(paths.value(QStringLiteral("KIOSK-PREVIEW-2")),
             QStringList({QStringLiteral("kiosk.hotline"), QStringLiteral("kiosk.voiceVolume")}));
    const QJsonObject firstChange = p.value(QLatin1String("devices")).toArray().at(0).toObject()
                                        .value(QLatin1String("changes")).toArray().at(0).toObject();
    QCOMPARE(firstChange.value(QLatin1String("before")).toString(), QStringLiteral("0551-1"));
    QCOMPARE(firstChange.value(QLatin1String("after")).toString(), QStringLiteral("0551-2"));

    r = preview(QJsonObject{{QStringLiteral("pf"), 9}});
    QCOMPARE(r.status, 200);
    QVERIFY(!r.json().value(QLatin1String("valid")).toBool());
    QVERIFY(r.json().value(QLatin1String("message")).toString().contains(QLatin1String("kiosk.pf")));
    // A viewer may not preview; nothing was published by previews.
    QVERIFY(addUser(QStringLiteral("viewer.preview"), QStringLiteral("viewer"), QStringLiteral("viewer-pass-preview")));
    const QByteArray viewer = login(QStringLiteral("viewer.preview"), QStringLiteral("viewer-pass-preview"));
    QCOMPARE(console(viewer, "POST", QStringLiteral("config/preview"),
                     compact(QJsonObject{{QStringLiteral("scope"), QStringLiteral("default")}, {QStringLiteral("document"), kioskDoc(90)}}))
                 .status,
             403);
    QCOMPARE(console(ops, "GET", QStringLiteral("configs")).json().value(QLatin1String("versions")).toArray(), versionsBefore);
}

#include "tst_fleetapi.moc"

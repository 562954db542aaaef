// SPDX-License-Identifier: Apache-2.0
// hcp-hub over PostgreSQL (same schema as SQLite) against a throwaway server this test starts
// itself (initdb in a temp dir + pg_ctl on a loopback port; as the "postgres" user when run as
// root, since PostgreSQL refuses to run as root). Two hubs share the database, as behind a
// load balancer.
#include "bundle.h"
#include "configpublisher.h"
#include "hubclient.h"
#include "hubprocess.h"
#include "outboxsender.h"
#include "wire.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QSet>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <pwd.h>
#include <unistd.h>

using namespace hcp::sync;
using namespace hcp::sync::test;

namespace {

QString pgBinary(const QString &name)
{
    const QDir root(QStringLiteral("/usr/lib/postgresql"));
    QStringList versions = root.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    for (auto it = versions.crbegin(); it != versions.crend(); ++it) {
        const QString path = root.filePath(*it + QStringLiteral("/bin/") + name);
        if (QFile::exists(path))
            return path;
    }
    return QStandardPaths::findExecutable(name);
}

HubReply await(const std::function<void(ReplyHandler)> &call)
{
    bool done = false;
    HubReply result;
    call([&](const HubReply &r) {
        result = r;
        done = true;
    });
    if (!QTest::qWaitFor([&] { return done; }, 15000))
        qWarning("no reply from the hub within 15 s"); // result stays status 0: the caller's check fails
    return result;
}

} // namespace

class TestHubPostgres : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();

    void senderDrain_replayAndConflict_exactlyOnceOnPostgres();
    void twoHubsOneDatabase_50ConcurrentIdenticalPosts_oneRow();
    void importLookupFeedConfigHeartbeat_workOnPostgres();
    void fleet_healthSignedConfigConsoleRollout_workOnPostgresAcrossHubs();

private:
    // Runs a PostgreSQL tool, as "postgres" when we are root.
    bool runPg(const QString &tool, const QStringList &args, QString *output = nullptr);

    QTemporaryDir m_dir;
    QString m_pgData;
    quint16 m_pgPort = 0;
    bool m_pgStarted = false;
    QString m_dbSpec;
    HubProcess m_hub;
    HubProcess m_hub2;
    DeviceCredentials m_creds;
};

bool TestHubPostgres::runPg(const QString &tool, const QStringList &args, QString *output)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    if (::geteuid() == 0)
        p.start(QStringLiteral("runuser"), QStringList{QStringLiteral("-u"), QStringLiteral("postgres"), QStringLiteral("--"),
                                                       pgBinary(tool)} + args);
    else
        p.start(pgBinary(tool), args);
    const bool finished = p.waitForFinished(60000);
    const QString out = QString::fromLocal8Bit(p.readAll());
    if (output)
        *output = out;
    if (!finished || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        qWarning().noquote() << tool << "failed:" << out;
        return false;
    }
    return true;
}

void TestHubPostgres::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY2(!pgBinary(QStringLiteral("initdb")).isEmpty() && !pgBinary(QStringLiteral("pg_ctl")).isEmpty(),
             "PostgreSQL server binaries (Debian package postgresql) are required");
    m_pgData = m_dir.filePath(QStringLiteral("pg"));
    QVERIFY(QDir().mkpath(m_pgData));
    if (::geteuid() == 0) {
        const passwd *pw = ::getpwnam("postgres");
        QVERIFY2(pw, "user postgres is missing");
        QVERIFY(::chown(m_pgData.toLocal8Bit().constData(), pw->pw_uid, pw->pw_gid) == 0);
        QFile::setPermissions(m_dir.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner
                                                | QFileDevice::ExeGroup | QFileDevice::ExeOther);
    }
    QFile::setPermissions(m_pgData, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    QVERIFY(runPg(QStringLiteral("initdb"), {QStringLiteral("-D"), m_pgData, QStringLiteral("-A"), QStringLiteral("trust"),
                                             QStringLiteral("-U"), QStringLiteral("hcp"), QStringLiteral("-E"),
                                             QStringLiteral("UTF8"), QStringLiteral("--no-sync")}));
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    m_pgPort = probe.serverPort();
    probe.close();
    QVERIFY(runPg(QStringLiteral("pg_ctl"),
                  {QStringLiteral("-D"), m_pgData, QStringLiteral("-w"), QStringLiteral("-l"),
                   m_pgData + QStringLiteral("/server.log"), QStringLiteral("-o"),
                   QStringLiteral("-p %1 -k %2 -c listen_addresses=127.0.0.1 -c fsync=off").arg(m_pgPort).arg(m_pgData),
                   QStringLiteral("start")}));
    m_pgStarted = true;
    m_dbSpec = QStringLiteral("postgres://hcp@127.0.0.1:%1/postgres").arg(m_pgPort);
    // Both hubs share the bundle directory (a shared volume behind a load balancer).
    const QStringList shared{QStringLiteral("--bundle-dir"), m_dir.filePath(QStringLiteral("bundles"))};
    QVERIFY2(m_hub.start(m_dbSpec, 0, shared), qPrintable(m_hub.output()));
    QVERIFY2(m_hub2.start(m_dbSpec, 0, shared), qPrintable(m_hub2.output()));
    m_creds = enroll(m_hub.url(), QStringLiteral("KIOSK-PG-0001"));
    QVERIFY(m_creds.isValid());
}

void TestHubPostgres::cleanupTestCase()
{
    m_hub.kill();
    m_hub2.kill();
    if (m_pgStarted)
        runPg(QStringLiteral("pg_ctl"), {QStringLiteral("-D"), m_pgData, QStringLiteral("-m"), QStringLiteral("immediate"),
                                         QStringLiteral("stop")});
}

void TestHubPostgres::senderDrain_replayAndConflict_exactlyOnceOnPostgres()
{
    const QString kioskDb = m_dir.filePath(QStringLiteral("kiosk.sqlite"));
    QVERIFY(createKioskDb(kioskDb));
    QVERIFY(enqueueRange(kioskDb, 1, 1200, QStringLiteral("pg")));
    HubClient client;
    client.setCredentials(m_creds);
    OutboxSender sender(&client);
    OutboxSender::Options o;
    o.backoffBaseMs = 10;
    o.backoffCapMs = 100;
    o.idlePollMs = 100;
    sender.setOptions(o);
    QString error;
    QVERIFY(sender.open(kioskDb, &error));
    sender.start();
    QTRY_COMPARE_WITH_TIMEOUT(outboxSnapshot(kioskDb).acked, 1200, 30000);
    sender.stop();
    QCOMPARE(hubEvaluations(m_hub2.url(), m_creds.deviceId).size(), 1200); // visible through the other hub

    // Replay of a batch and a conflicting edit, sent straight through the client.
    QJsonArray replay;
    for (int seq = 1; seq <= 3; ++seq)
        replay.append(queuedEvaluation(QStringLiteral("pg"), seq));
    QJsonObject edited = queuedEvaluation(QStringLiteral("pg"), 4);
    edited.insert(QStringLiteral("satisfaction"), 3);
    replay.append(edited);
    const HubReply r = await([&](ReplyHandler h) {
        client.uploadBatch(QJsonDocument(QJsonObject{{QStringLiteral("evaluations"), replay}}).toJson(), h);
    });
    QCOMPARE(r.status, 200);
    QStringList statuses;
    for (const QJsonValue &v : r.json().value(QLatin1String("results")).toArray())
        statuses.append(v.toObject().value(QLatin1String("status")).toString());
    QCOMPARE(statuses, (QStringList{QStringLiteral("duplicate"), QStringLiteral("duplicate"),
                                    QStringLiteral("duplicate"), QStringLiteral("conflict")}));
    const QJsonObject stats = adminGet(m_hub.url(), QStringLiteral("/v1/admin/stats"));
    QCOMPARE(stats.value(QLatin1String("conflicts")).toInt(), 1);
    QCOMPARE(stats.value(QLatin1String("duplicates")).toInt(), 3);
}

void TestHubPostgres::twoHubsOneDatabase_50ConcurrentIdenticalPosts_oneRow()
{
    const QString uuid = uuidFor(QStringLiteral("pg-concurrent"), 1);
    // Its own service event: makeEvaluation(900001) would name seq 1's, and a second rating of
    // a rated service event is evidence (PROTOCOL §18.9), not what this test races on.
    QJsonObject evaluation = makeEvaluation(900001, uuid);
    evaluation.insert(QStringLiteral("projectNo"), QStringLiteral("110105202612900001"));
    const QByteArray body = QJsonDocument(QJsonObject{
        {QStringLiteral("evaluations"), QJsonArray{evaluation}}}).toJson(QJsonDocument::Compact);
    std::vector<std::unique_ptr<HubClient>> clients;
    QList<HubReply> replies;
    for (int i = 0; i < 50; ++i) {
        DeviceCredentials c = m_creds;
        c.hubUrl = (i % 2 ? m_hub2 : m_hub).url(); // both hubs race on the same rows
        clients.push_back(std::make_unique<HubClient>());
        clients.back()->setCredentials(c);
    }
    for (auto &c : clients)
        c->uploadBatch(body, [&](const HubReply &r) { replies.append(r); });
    QTRY_COMPARE_WITH_TIMEOUT(replies.size(), 50, 30000);
    int accepted = 0;
    int duplicates = 0;
    for (const HubReply &r : replies) {
        QCOMPARE(r.status, 200);
        const QString status = r.json().value(QLatin1String("results")).toArray().at(0).toObject()
                                   .value(QLatin1String("status")).toString();
        accepted += status == QLatin1String("accepted");
        duplicates += status == QLatin1String("duplicate");
    }
    QCOMPARE(accepted, 1);
    QCOMPARE(duplicates, 49);
    int rows = 0;
    for (const QJsonValue &v : hubEvaluations(m_hub.url(), m_creds.deviceId))
        rows += v.toObject().value(QLatin1String("uuid")).toString() == uuid;
    QCOMPARE(rows, 1);
}

void TestHubPostgres::importLookupFeedConfigHeartbeat_workOnPostgres()
{
    QJsonObject c = protocolExample(QStringLiteral("case"));
    c.remove(QStringLiteral("certKeyHash"));
    c.insert(QStringLiteral("certNo"), QStringLiteral("11010519491231002X"));
    QJsonObject imported;
    QCOMPARE(adminSend(m_hub.url(), "POST", QStringLiteral("/v1/admin/cases"),
                       QJsonObject{{QStringLiteral("cases"), QJsonArray{c}}}, &imported), 200);
    QCOMPARE(imported.value(QLatin1String("imported")).toInt(), 1);

    HubClient client;
    client.setCredentials(m_creds);
    QUrlQuery byId;
    byId.addQueryItem(QStringLiteral("certKeyHash"),
                      hubIdHash(m_creds, QStringLiteral("11010519491231002X")));
    HubReply r = await([&](ReplyHandler h) { client.lookupCases(byId, h); });
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json().value(QLatin1String("cases")).toArray().at(0).toObject().value(QLatin1String("userName")).toString(),
             QStringLiteral("李华"));
    r = await([&](ReplyHandler h) { client.pullCaseFeed(0, 10, h); });
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json().value(QLatin1String("cases")).toArray().size(), 1);

    QCOMPARE(adminSend(m_hub.url(), "PUT", QStringLiteral("/v1/admin/config/default"),
                       QJsonObject{{QStringLiteral("kiosk"), QJsonObject{{QStringLiteral("idleTimeoutSeconds"), 45}}}}), 200);
    r = await([&](ReplyHandler h) { client.pullConfig({}, h); });
    QCOMPARE(r.status, 200);
    const QByteArray etag = r.etag;
    QCOMPARE(await([&](ReplyHandler h) { client.pullConfig(etag, h); }).status, 304);

    HeartbeatInfo info;
    info.version = QStringLiteral("0.1.0");
    info.queueDepth = 3;
    r = await([&](ReplyHandler h) { client.sendHeartbeat(info, h); });
    QCOMPARE(r.status, 200);
    const QJsonArray devices = adminGet(m_hub2.url(), QStringLiteral("/v1/admin/devices")).value(QLatin1String("devices")).toArray();
    QCOMPARE(devices.size(), 1);
    QCOMPARE(devices.at(0).toObject().value(QLatin1String("queueDepth")).toInt(), 3);
    QCOMPARE(devices.at(0).toObject().value(QLatin1String("seqGaps")).toInt(), 900001 - 1201);
}

void TestHubPostgres::fleet_healthSignedConfigConsoleRollout_workOnPostgresAcrossHubs()
{
    QJsonObject health;
    QByteArray body;
    QCOMPARE(httpRequest(m_hub2.url().resolved(QUrl(QStringLiteral("/v1/health"))), "GET", {}, &body), 200);
    health = QJsonDocument::fromJson(body).object();
    QCOMPARE(health.value(QLatin1String("dbKind")).toString(), QStringLiteral("postgresql"));
    QCOMPARE(health.value(QLatin1String("db")).toString(), QStringLiteral("ok"));

    // Versions come from the shared counter, whichever hub publishes.
    QJsonObject a, b;
    const QJsonObject doc{{QStringLiteral("kiosk"), QJsonObject{{QStringLiteral("idleTimeoutSeconds"), 50}}}};
    QCOMPARE(adminSend(m_hub.url(), "PUT", QStringLiteral("/v1/admin/config/device:KIOSK-PG-0001"), doc, &a), 200);
    QCOMPARE(adminSend(m_hub2.url(), "PUT", QStringLiteral("/v1/admin/config/device:KIOSK-PG-0001"), doc, &b), 200);
    QVERIFY(b.value(QLatin1String("version")).toString().toLongLong() > a.value(QLatin1String("version")).toString().toLongLong());
    HubClient client;
    client.setCredentials(m_creds);
    const HubReply r = await([&](ReplyHandler h) { client.pullConfig({}, h); });
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json().value(QLatin1String("version")).toString(), b.value(QLatin1String("version")).toString());
    QString why;
    QVERIFY2(hcp::sync::hub::ConfigPublisher::verifyEnvelope(r.json(), hcp::trust::Key::fromPem(m_creds.hubPublicKey), &why),
             qPrintable(why));

    // A bundle registered with the command line, rolled out through one hub, reported to the other.
    const hcp::trust::Key release = hcp::trust::Key::generate(hcp::trust::KeyType::Sm2);
    QFile pub(m_dir.filePath(QStringLiteral("release.pub")));
    QVERIFY(pub.open(QIODevice::WriteOnly));
    pub.write(release.publicPem());
    pub.close();
    QDir().mkpath(m_dir.filePath(QStringLiteral("tree/bin")));
    QFile exe(m_dir.filePath(QStringLiteral("tree/bin/hcp-kiosk")));
    QVERIFY(exe.open(QIODevice::WriteOnly));
    exe.write("#!/bin/sh\n");
    exe.close();
    QString error;
    const QString bundle = m_dir.filePath(QStringLiteral("pg.bundle"));
    QVERIFY(hcp::updater::BundleFile::build(m_dir.filePath(QStringLiteral("tree")), release, QStringLiteral("2.0.0"),
                                            QStringLiteral("hcp-kiosk-amd64"), false, bundle, &error));
    QProcess add;
    add.start(hubBinary(), {QStringLiteral("--db"), m_dbSpec, QStringLiteral("--release-key"), pub.fileName(),
                            QStringLiteral("--bundle-dir"), m_dir.filePath(QStringLiteral("bundles")),
                            QStringLiteral("add-bundle"), bundle});
    QVERIFY(add.waitForFinished(30000));
    QVERIFY2(add.exitCode() == 0, add.readAllStandardError().constData());
    QJsonObject rollout;
    QCOMPARE(adminSend(m_hub.url(), "POST", QStringLiteral("/v1/admin/rollouts"),
                       QJsonObject{{QStringLiteral("bundle"), QStringLiteral("hcp-kiosk-2.0.0-hcp-kiosk-amd64.bundle")},
                                   {QStringLiteral("devices"), QJsonArray{m_creds.deviceId}},
                                   {QStringLiteral("stages"), QJsonArray{100}}},
                       &rollout),
             201);
    QCOMPARE(rollout.value(QLatin1String("counts")).toObject().value(QLatin1String("sent")).toInt(), 1);
    const QByteArray beat = QJsonDocument(QJsonObject{
        {QStringLiteral("version"), QStringLiteral("2.0.0")},
        {QStringLiteral("kioskTimeMs"), QDateTime::currentMSecsSinceEpoch()},
        {QStringLiteral("update"), QJsonObject{{QStringLiteral("state"), QStringLiteral("healthy")},
                                               {QStringLiteral("version"), QStringLiteral("2.0.0")}}}}).toJson(QJsonDocument::Compact);
    const QUrl beatUrl = m_hub2.url().resolved(QUrl(QStringLiteral("/v1/heartbeat")));
    const qint64 t = QDateTime::currentMSecsSinceEpoch();
    QCOMPARE(httpRequest(beatUrl, "POST", beat, nullptr,
                         {{"X-HCP-Device", m_creds.deviceId.toUtf8()},
                          {"X-HCP-Time", QByteArray::number(t)},
                          {"X-HCP-Signature", wire::requestSignature(m_creds.secret, "POST", "/v1/heartbeat", t, beat)}}),
             200);
    const QJsonArray rollouts = adminGet(m_hub.url(), QStringLiteral("/v1/admin/rollouts")).value(QLatin1String("rollouts")).toArray();
    QCOMPARE(rollouts.at(0).toObject().value(QLatin1String("state")).toString(), QStringLiteral("done"));
    QByteArray range;
    QCOMPARE(httpRequest(m_hub2.url().resolved(QUrl(QStringLiteral("/v1/bundles/hcp-kiosk-2.0.0-hcp-kiosk-amd64.bundle"))),
                         "GET", {}, &range, {{"Range", "bytes=0-7"}}),
             206);
    QCOMPARE(range, QByteArray("HCPBNDL1"));

    // The console on the other hub sees the same fleet and the 通报 query runs on PostgreSQL.
    QProcess user;
    user.start(hubBinary(), {QStringLiteral("--db"), m_dbSpec, QStringLiteral("add-user"), QStringLiteral("pg.ops"),
                             QStringLiteral("maintainer")});
    user.write("pg-ops-pass-1\n");
    user.closeWriteChannel();
    QVERIFY(user.waitForFinished(30000) && user.exitCode() == 0);
    QByteArray loginBody;
    QNetworkAccessManager nam;
    QNetworkRequest login(m_hub2.url().resolved(QUrl(QStringLiteral("/console/api/login"))));
    login.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    QNetworkReply *reply = nam.post(login, R"({"user":"pg.ops","password":"pg-ops-pass-1"})");
    QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 15000);
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    const QByteArray cookie = reply->rawHeader("Set-Cookie").split(';').value(0);
    delete reply;
    for (const QString &path : {QStringLiteral("kiosks"), QStringLiteral("alerts"), QStringLiteral("satisfaction?days=30"),
                                QStringLiteral("configs"), QStringLiteral("rollouts")}) {
        QCOMPARE(httpRequest(m_hub.url().resolved(QUrl(QStringLiteral("/console/api/") + path)), "GET", {}, &body,
                             {{"Cookie", cookie}}),
                 200);
    }
    QCOMPARE(httpRequest(m_hub.url().resolved(QUrl(QStringLiteral("/console/api/kiosks"))), "GET", {}, &body,
                         {{"Cookie", cookie}}),
             200);
    const QJsonArray kiosks = QJsonDocument::fromJson(body).object().value(QLatin1String("kiosks")).toArray();
    QCOMPARE(kiosks.at(0).toObject().value(QLatin1String("updateState")).toString(), QStringLiteral("healthy"));
}

QTEST_GUILESS_MAIN(TestHubPostgres)
#include "tst_hubpostgres.moc"

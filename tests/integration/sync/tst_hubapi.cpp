// SPDX-License-Identifier: Apache-2.0
// hcp-hub's HTTP API (sync/PROTOCOL.md) exercised through the real client on loopback.
#include "casecache.h"
#include "crypto.h"
#include "deviceidentity.h"
#include "hubclient.h"
#include "hubprocess.h"
#include "wire.h"

#include <QFile>
#include <QJsonDocument>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace hcp::sync;
using namespace hcp::sync::test;

namespace {

// Runs one asynchronous client call to completion.
HubReply await(const std::function<void(ReplyHandler)> &call)
{
    bool done = false;
    HubReply result;
    call([&](const HubReply &r) {
        result = r;
        done = true;
    });
    QTest::qWaitFor([&] { return done; }, 15000);
    return result;
}

QJsonObject caseFor(const QString &projectNo, const QString &hall, const QString &name = QStringLiteral("李华"))
{
    QJsonObject c = protocolExample(QStringLiteral("case"));
    c.insert(QStringLiteral("projectNo"), projectNo);
    c.insert(QStringLiteral("hallCode"), hall);
    c.insert(QStringLiteral("userName"), name);
    c.remove(QStringLiteral("certKeyHash"));
    c.insert(QStringLiteral("certNo"), QStringLiteral("11010519491231002X"));
    return c;
}

} // namespace

class TestHubApi : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();

    void enroll_tokenChecked_secondEnrollmentRefused();
    void deviceRequests_unsignedOrWrongSecret_401();
    void batch_documentedExamples_acceptedAndInvalidAsDocumented();
    void batch_over500_413_malformed_400();
    void concurrentIdenticalPosts_50_storeExactlyOneRow();
    void importCases_csvCommandLine_plainIdNumberNeverStored();
    void lookup_byProjectNoNameQrAndIdHash_foundOr404();
    void enrollDeviceCommand_writesWorkingCredentials_secondTimeRefused();
    void enrollDeviceCommand_withDevicePublicKey_bindsKeySharedSecretRefused();
    void hubIdentity_madeAtFirstStartOwnerOnly_sameKeyAfterRestartAndInEveryEnrollment();
    void caseFeed_pagesByCursor_ownHallOnly_reimportMovesToHead();
    void config_etagThen304_mostSpecificScopeWins();
    void heartbeat_driftFlagged_commandsUntilAcked_overdueAfterTwoMissedBeats();

private:
    QTemporaryDir m_dir;
    HubProcess m_hub;
    DeviceCredentials m_creds;
    HubClient m_client;
};

void TestHubApi::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY2(m_hub.start(m_dir.filePath(QStringLiteral("hub.sqlite")), 0,
                         {QStringLiteral("--heartbeat-interval"), QStringLiteral("1")}),
             qPrintable(m_hub.output()));
    m_creds = enroll(m_hub.url(), QStringLiteral("KIOSK-API-0001"));
    QVERIFY(m_creds.isValid());
    QCOMPARE(m_creds.heartbeatIntervalS, 1);
    m_client.setCredentials(m_creds);
}

void TestHubApi::cleanupTestCase()
{
    m_hub.kill();
}

void TestHubApi::enroll_tokenChecked_secondEnrollmentRefused()
{
    HubClient client;
    client.setHubUrl(m_hub.url());
    bool done = false;
    bool ok = false;
    DeviceCredentials got;
    QString error;
    client.enroll(QStringLiteral("wrong-token"), QStringLiteral("KIOSK-API-0002"), QLatin1String(kHall),
                  QStringLiteral("pad"), QStringLiteral("0.1.0"),
                  [&](bool success, const DeviceCredentials &c, const QString &e) {
                      ok = success;
                      got = c;
                      error = e;
                      done = true;
                  });
    QTRY_VERIFY(done);
    QVERIFY(!ok);
    QVERIFY2(error.contains(QStringLiteral("403")), qPrintable(error));

    done = false;
    client.enroll(QLatin1String(kEnrollToken), QStringLiteral("KIOSK-API-0002"), QLatin1String(kHall),
                  QStringLiteral("pad"), QStringLiteral("0.1.0"),
                  [&](bool success, const DeviceCredentials &c, const QString &e) {
                      ok = success;
                      got = c;
                      error = e;
                      done = true;
                  });
    QTRY_VERIFY(done);
    QVERIFY2(ok, qPrintable(error));
    QCOMPARE(got.deviceId, QStringLiteral("KIOSK-API-0002"));
    QCOMPARE(got.secret.size(), 32);
    QVERIFY(!got.toJson().contains(QLatin1String("certKey"))); // the ID-hash key stays at the hub (§5a)
    QCOMPARE(got.hubUrl, m_hub.url());

    // Credentials survive a save/load round trip with owner-only permissions.
    const QString path = m_dir.filePath(QStringLiteral("creds.json"));
    QVERIFY(got.save(path, &error));
    QCOMPARE(QFile::permissions(path) & (QFileDevice::ReadOther | QFileDevice::ReadGroup), QFileDevice::Permissions());
    const DeviceCredentials loaded = DeviceCredentials::load(path, &error);
    QCOMPARE(loaded.secret, got.secret);
    QCOMPARE(loaded.hubUrl, got.hubUrl);

    QCOMPARE(enroll(m_hub.url(), QStringLiteral("KIOSK-API-0002")).isValid(), false); // 409
    QByteArray body;
    const QByteArray request = QJsonDocument(protocolExample(QStringLiteral("enroll-request"))).toJson();
    QCOMPARE(httpRequest(m_hub.url().resolved(QUrl(QStringLiteral("/v1/enroll"))), "POST", request, &body), 403);
    QCOMPARE(QJsonDocument::fromJson(body).object().value(QLatin1String("error")).toString(), QStringLiteral("forbidden"));
}

void TestHubApi::deviceRequests_unsignedOrWrongSecret_401()
{
    QByteArray body;
    QCOMPARE(httpRequest(m_hub.url().resolved(QUrl(QStringLiteral("/v1/evaluations/batch"))), "POST",
                         R"({"evaluations":[]})", &body),
             401);
    QCOMPARE(QJsonDocument::fromJson(body).object().value(QLatin1String("error")).toString(),
             QStringLiteral("unauthenticated"));
    QCOMPARE(httpRequest(m_hub.url().resolved(QUrl(QStringLiteral("/v1/no/such/thing"))), "GET", {}, &body), 404);
    QCOMPARE(QJsonDocument::fromJson(body).object().value(QLatin1String("error")).toString(), QStringLiteral("not_found"));
    HubClient forger;
    DeviceCredentials wrong = m_creds;
    wrong.secret[0] = static_cast<char>(wrong.secret[0] ^ 1);
    forger.setCredentials(wrong);
    QCOMPARE(await([&](ReplyHandler h) { forger.pullConfig({}, h); }).status, 401);
    QCOMPARE(await([&](ReplyHandler h) { forger.uploadBatch(R"({"evaluations":[]})", h); }).status, 401);
}

void TestHubApi::batch_documentedExamples_acceptedAndInvalidAsDocumented()
{
    const QJsonObject body{{QStringLiteral("evaluations"),
                            QJsonArray{protocolExample(QStringLiteral("evaluation-good")),
                                       protocolExample(QStringLiteral("evaluation-bad-no-reason"))}}};
    const HubReply r = await([&](ReplyHandler h) { m_client.uploadBatch(QJsonDocument(body).toJson(), h); });
    QCOMPARE(r.status, 200);
    const QJsonArray results = r.json().value(QLatin1String("results")).toArray();
    const QJsonArray documented = protocolExample(QStringLiteral("batch-response")).value(QLatin1String("results")).toArray();
    QCOMPARE(results, documented);
    QVERIFY(r.json().value(QLatin1String("receivedAtMs")).toInteger() > 0);

    // Replaying the same batch: the good record is a duplicate, the invalid one stays invalid.
    const HubReply again = await([&](ReplyHandler h) { m_client.uploadBatch(QJsonDocument(body).toJson(), h); });
    QCOMPARE(again.json().value(QLatin1String("results")).toArray().at(0).toObject().value(QLatin1String("status")).toString(),
             QStringLiteral("duplicate"));
    QCOMPARE(again.json().value(QLatin1String("results")).toArray().at(1).toObject().value(QLatin1String("status")).toString(),
             QStringLiteral("invalid"));

    // The same record with its keys in another order and other whitespace is still a replay.
    QByteArray reformatted = QJsonDocument(protocolExample(QStringLiteral("evaluation-good"))).toJson(QJsonDocument::Indented);
    reformatted.replace("\"uuid\"", "\"zz\": 0, \"uuid\"");
    QVERIFY(QJsonDocument::fromJson(reformatted).isObject());
    const QJsonObject withExtra = QJsonDocument::fromJson(reformatted).object();
    QJsonObject original = protocolExample(QStringLiteral("evaluation-good"));
    QVERIFY(withExtra != original); // the extra field makes it other content: a conflict
    const HubReply conflict = await([&](ReplyHandler h) {
        m_client.uploadBatch("{\"evaluations\": [\n" + reformatted + "\n]}", h);
    });
    QCOMPARE(conflict.json().value(QLatin1String("results")).toArray().at(0).toObject().value(QLatin1String("status")).toString(),
             QStringLiteral("conflict"));
    const QByteArray sameValue = "{ \"evaluations\" : [ " + QJsonDocument(original).toJson(QJsonDocument::Indented) + " ] }";
    const HubReply replay = await([&](ReplyHandler h) { m_client.uploadBatch(sameValue, h); });
    QCOMPARE(replay.json().value(QLatin1String("results")).toArray().at(0).toObject().value(QLatin1String("status")).toString(),
             QStringLiteral("duplicate"));
}

void TestHubApi::batch_over500_413_malformed_400()
{
    QJsonArray many;
    for (int i = 1; i <= 501; ++i)
        many.append(makeEvaluation(100000 + i, uuidFor(QStringLiteral("big"), i)));
    const HubReply big = await([&](ReplyHandler h) {
        m_client.uploadBatch(QJsonDocument(QJsonObject{{QStringLiteral("evaluations"), many}}).toJson(), h);
    });
    QCOMPARE(big.status, 413);
    QCOMPARE(big.json().value(QLatin1String("error")).toString(), QStringLiteral("batch_too_large"));
    QCOMPARE(await([&](ReplyHandler h) { m_client.uploadBatch("{\"evaluations\":[", h); }).status, 400);
    QCOMPARE(await([&](ReplyHandler h) { m_client.uploadBatch("[]", h); }).status, 400);
}

void TestHubApi::concurrentIdenticalPosts_50_storeExactlyOneRow()
{
    const QString uuid = uuidFor(QStringLiteral("concurrent"), 1);
    const QByteArray body = QJsonDocument(QJsonObject{
        {QStringLiteral("evaluations"), QJsonArray{makeEvaluation(200001, uuid)}}}).toJson(QJsonDocument::Compact);
    std::vector<std::unique_ptr<HubClient>> clients;
    QList<HubReply> replies;
    for (int i = 0; i < 50; ++i) {
        clients.push_back(std::make_unique<HubClient>()); // own connection pool each: 50 sockets
        clients.back()->setCredentials(m_creds);
    }
    for (auto &c : clients)
        c->uploadBatch(body, [&](const HubReply &r) { replies.append(r); });
    QTRY_COMPARE_WITH_TIMEOUT(replies.size(), 50, 20000);
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

void TestHubApi::importCases_csvCommandLine_plainIdNumberNeverStored()
{
    const QString csv = m_dir.filePath(QStringLiteral("cases.csv"));
    QFile f(csv);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("projectNo,serviceNumber,serviceName,deptName,windowNo,staffName,staffNo,resultDate,userName,userProp,"
            "areaCode,proStatus,hallCode,certNo\n"
            "110105202611280001,1,居民身份证换领,北京市朝阳区公安分局,A03,王芳,S0012,2026-11-28 09:20:00,李华,1,"
            "110105000000,3,110105000000,11010519491231002X\n"
            "110105202611280009,1,\"户口迁移, 市内\",北京市朝阳区公安分局,A04,王芳,S0012,2026-11-28 10:20:00,李华,1,"
            "110105000000,3,110105000000,11010519491231002X\n"
            "BROKEN,1,x,y,A1,s,S1,yesterday,李华,1,110105000000,3,110105000000,\n");
    f.close();
    QProcess import;
    import.start(hubBinary(), {QStringLiteral("import-cases"), csv, QStringLiteral("--db"),
                               m_dir.filePath(QStringLiteral("hub.sqlite"))});
    QVERIFY(import.waitForFinished(20000));
    const QString out = QString::fromUtf8(import.readAllStandardOutput());
    QVERIFY2(out.contains(QStringLiteral("imported=2 rejected=1")), qPrintable(out + import.readAllStandardError()));
    QVERIFY(out.contains(QStringLiteral("resultDate")));
    QCOMPARE(import.exitCode(), 0);
    QFile db(m_dir.filePath(QStringLiteral("hub.sqlite")));
    QVERIFY(db.open(QIODevice::ReadOnly));
    QVERIFY(!db.readAll().contains("11010519491231002X"));
    QFile wal(m_dir.filePath(QStringLiteral("hub.sqlite-wal")));
    if (wal.open(QIODevice::ReadOnly))
        QVERIFY(!wal.readAll().contains("11010519491231002X"));
}

void TestHubApi::enrollDeviceCommand_writesWorkingCredentials_secondTimeRefused()
{
    const QString credsPath = m_dir.filePath(QStringLiteral("demo-creds.json"));
    const QStringList args{QStringLiteral("enroll-device"), QStringLiteral("KIOSK-DEMO-0001"), QLatin1String(kHall),
                           credsPath, QStringLiteral("--db"), m_dir.filePath(QStringLiteral("hub.sqlite")),
                           QStringLiteral("--hub-url"), m_hub.url().toString()};
    QProcess enrollCmd;
    enrollCmd.start(hubBinary(), args);
    QVERIFY(enrollCmd.waitForFinished(20000));
    QCOMPARE(enrollCmd.exitCode(), 0);
    QString error;
    const DeviceCredentials creds = DeviceCredentials::load(credsPath, &error);
    QVERIFY2(creds.isValid(), qPrintable(error));
    {
        QFile written(credsPath); // the offline enrollment's file holds no ID-hash key either
        QVERIFY(written.open(QIODevice::ReadOnly));
        QVERIFY(!written.readAll().contains("certKey"));
    }
    HubClient client;
    client.setCredentials(creds);
    HeartbeatInfo info;
    info.version = QStringLiteral("0.1.0");
    QCOMPARE(await([&](ReplyHandler h) { client.sendHeartbeat(info, h); }).status, 200);

    QProcess again;
    again.start(hubBinary(), args);
    QVERIFY(again.waitForFinished(20000));
    QCOMPARE(again.exitCode(), 3);
}

void TestHubApi::enrollDeviceCommand_withDevicePublicKey_bindsKeySharedSecretRefused()
{
    // Offline provisioning with the kiosk's key: the credentials name the key, the hub holds it
    // (requests signed with it pass, the shared secret alone no longer does).
    const hcp::trust::Key deviceKey = hcp::trust::Key::generate(hcp::trust::KeyType::Sm2);
    const QString pubPath = m_dir.filePath(QStringLiteral("offline-device.pub.pem"));
    QFile pub(pubPath);
    QVERIFY(pub.open(QIODevice::WriteOnly));
    pub.write(deviceKey.publicPem());
    pub.close();
    const QString privPath = m_dir.filePath(QStringLiteral("offline-device.key.pem"));
    QFile priv(privPath);
    QVERIFY(priv.open(QIODevice::WriteOnly));
    priv.write(deviceKey.privatePem());
    priv.close();
    const QString credsPath = m_dir.filePath(QStringLiteral("offline-key-creds.json"));
    auto run = [&](const QString &deviceId, const QString &keyFile) {
        QProcess cmd;
        cmd.start(hubBinary(), {QStringLiteral("enroll-device"), deviceId, QLatin1String(kHall), credsPath,
                                QStringLiteral("--db"), m_dir.filePath(QStringLiteral("hub.sqlite")),
                                QStringLiteral("--hub-url"), m_hub.url().toString(),
                                QStringLiteral("--device-public-key"), keyFile});
        return cmd.waitForFinished(20000) ? cmd.exitCode() : -1;
    };
    // A private key file is refused before anything is enrolled.
    QCOMPARE(run(QStringLiteral("KIOSK-OFFLINE-KEY"), privPath), 2);
    QVERIFY(!QFile::exists(credsPath));
    QCOMPARE(run(QStringLiteral("KIOSK-OFFLINE-KEY"), pubPath), 0);

    QString error;
    const DeviceCredentials creds = DeviceCredentials::load(credsPath, &error);
    QVERIFY2(creds.isValid(), qPrintable(error));
    QCOMPARE(creds.deviceKeyFingerprint, hcp::trust::DeviceIdentity::fingerprintOf(deviceKey));
    HeartbeatInfo info;
    info.version = QStringLiteral("0.1.0");
    HubClient secretOnly;
    secretOnly.setCredentials(creds);
    QCOMPARE(await([&](ReplyHandler h) { secretOnly.sendHeartbeat(info, h); }).status, 401);
    HubClient signing;
    signing.setCredentials(creds);
    signing.setDeviceKey(deviceKey);
    QCOMPARE(await([&](ReplyHandler h) { signing.sendHeartbeat(info, h); }).status, 200);
}

void TestHubApi::hubIdentity_madeAtFirstStartOwnerOnly_sameKeyAfterRestartAndInEveryEnrollment()
{
    // The key file beside the database, owner-only, holding the key enrollment handed out.
    const QString pemPath = m_dir.filePath(QStringLiteral("hub-identity.pem"));
    QFile pem(pemPath);
    QVERIFY(pem.open(QIODevice::ReadOnly));
    QCOMPARE(QFile::permissions(pemPath) & ~(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadUser
                                             | QFileDevice::WriteUser),
             QFileDevice::Permissions());
    const hcp::trust::Key hubKey = hcp::trust::Key::fromPem(pem.readAll());
    QVERIFY(!hubKey.isNull());
    QVERIFY(hubKey.hasPrivate());
    QCOMPARE(hubKey.type(), hcp::trust::KeyType::Sm2);
    QCOMPARE(m_creds.hubPublicKey, hubKey.publicPem());

    // What the kiosk received encrypts for the hub: only the hub's private key opens it.
    const hcp::trust::Key received = hcp::trust::Key::fromPem(m_creds.hubPublicKey);
    QVERIFY(!received.isNull());
    QVERIFY(!received.hasPrivate());
    const auto sealed = hcp::trust::Crypto::sm2Encrypt(received, "11010519491231002X");
    QVERIFY(sealed);
    QCOMPARE(hcp::trust::Crypto::sm2Decrypt(hubKey, *sealed).value_or(QByteArray()), QByteArray("11010519491231002X"));

    // Credentials keep it across save/load.
    QString error;
    const QString path = m_dir.filePath(QStringLiteral("creds-hubkey.json"));
    QVERIFY(m_creds.save(path, &error));
    QCOMPARE(DeviceCredentials::load(path, &error).hubPublicKey, m_creds.hubPublicKey);

    // A restarted hub keeps its identity (loaded, not made again).
    m_hub.kill();
    QVERIFY2(m_hub.restart(), qPrintable(m_hub.output()));
    const DeviceCredentials later = enroll(m_hub.url(), QStringLiteral("KIOSK-API-HUBKEY"));
    QVERIFY(later.isValid());
    QCOMPARE(later.hubPublicKey, m_creds.hubPublicKey);

    // The offline enroll-device command hands out the same key.
    const QString credsPath = m_dir.filePath(QStringLiteral("hubkey-creds.json"));
    QProcess enrollCmd;
    enrollCmd.start(hubBinary(), {QStringLiteral("enroll-device"), QStringLiteral("KIOSK-HUBKEY-0002"),
                                  QLatin1String(kHall), credsPath, QStringLiteral("--db"),
                                  m_dir.filePath(QStringLiteral("hub.sqlite"))});
    QVERIFY(enrollCmd.waitForFinished(20000));
    QCOMPARE(enrollCmd.exitCode(), 0);
    QCOMPARE(DeviceCredentials::load(credsPath, &error).hubPublicKey, m_creds.hubPublicKey);

    // A key file others can read is refused: the hub does not start on it.
    HubProcess exposed;
    QTemporaryDir other;
    QVERIFY(QFile::copy(pemPath, other.filePath(QStringLiteral("hub-identity.pem"))));
    QVERIFY(QFile::setPermissions(other.filePath(QStringLiteral("hub-identity.pem")),
                                  QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadOther));
    QVERIFY(!exposed.start(other.filePath(QStringLiteral("hub.sqlite"))));
    QVERIFY2(exposed.output().contains(QStringLiteral("hub identity")), qPrintable(exposed.output()));
}

void TestHubApi::lookup_byProjectNoNameQrAndIdHash_foundOr404()
{
    auto lookup = [&](const QUrlQuery &q) { return await([&](ReplyHandler h) { m_client.lookupCases(q, h); }); };
    QUrlQuery byName;
    byName.addQueryItem(QStringLiteral("projectNo"), QStringLiteral("110105202611280001"));
    byName.addQueryItem(QStringLiteral("name"), QStringLiteral("李华"));
    HubReply r = lookup(byName);
    QCOMPARE(r.status, 200);
    QJsonArray cases = r.json().value(QLatin1String("cases")).toArray();
    QCOMPARE(cases.size(), 1);
    QCOMPARE(cases.at(0).toObject().value(QLatin1String("staffName")).toString(), QStringLiteral("王芳"));
    QCOMPARE(cases.at(0).toObject().value(QLatin1String("serviceNumber")).toInt(), 1);
    QVERIFY(!cases.at(0).toObject().contains(QLatin1String("certNo")));

    QUrlQuery wrongName;
    wrongName.addQueryItem(QStringLiteral("projectNo"), QStringLiteral("110105202611280001"));
    wrongName.addQueryItem(QStringLiteral("name"), QStringLiteral("张三"));
    r = lookup(wrongName);
    QCOMPARE(r.status, 404);
    QCOMPARE(r.json().value(QLatin1String("error")).toString(), QStringLiteral("not_found"));

    QUrlQuery byQr;
    byQr.addQueryItem(QStringLiteral("qr"), QStringLiteral("https://zwfw.example.gov.cn/hcp?projectNo=110105202611280009"));
    r = lookup(byQr);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json().value(QLatin1String("cases")).toArray().at(0).toObject().value(QLatin1String("serviceName")).toString(),
             QStringLiteral("户口迁移, 市内"));

    QUrlQuery badQr;
    badQr.addQueryItem(QStringLiteral("qr"), QStringLiteral("not a receipt"));
    r = lookup(badQr);
    QCOMPARE(r.status, 400);
    QCOMPARE(r.json().value(QLatin1String("error")).toString(), QStringLiteral("bad_qr"));

    QUrlQuery byId;
    byId.addQueryItem(QStringLiteral("certKeyHash"),
                      hubIdHash(m_creds, QStringLiteral("11010519491231002X")));
    r = lookup(byId);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json().value(QLatin1String("cases")).toArray().size(), 2);

    QCOMPARE(lookup(QUrlQuery()).status, 400);
}

void TestHubApi::caseFeed_pagesByCursor_ownHallOnly_reimportMovesToHead()
{
    // A second kiosk in its own hall, so the earlier imports do not count.
    const DeviceCredentials other = enroll(m_hub.url(), QStringLiteral("KIOSK-FEED-0001"), QStringLiteral("110105001000"));
    QVERIFY(other.isValid());
    HubClient client;
    client.setCredentials(other);
    QJsonArray cases;
    for (int i = 1; i <= 7; ++i)
        cases.append(caseFor(QStringLiteral("FEED-HALL-A-%1").arg(i), QStringLiteral("110105001000")));
    for (int i = 1; i <= 2; ++i)
        cases.append(caseFor(QStringLiteral("FEED-HALL-B-%1").arg(i), QStringLiteral("110105002000")));
    QJsonObject imported;
    QCOMPARE(adminSend(m_hub.url(), "POST", QStringLiteral("/v1/admin/cases"),
                       QJsonObject{{QStringLiteral("cases"), cases}}, &imported), 200);
    QCOMPARE(imported.value(QLatin1String("imported")).toInt(), 9);

    qint64 cursor = 0;
    QList<int> pageSizes;
    QList<bool> more;
    for (;;) {
        const HubReply r = await([&](ReplyHandler h) { client.pullCaseFeed(cursor, 3, h); });
        QCOMPARE(r.status, 200);
        const QJsonObject page = r.json();
        for (const QJsonValue &v : page.value(QLatin1String("cases")).toArray())
            QCOMPARE(v.toObject().value(QLatin1String("hallCode")).toString(), QStringLiteral("110105001000"));
        pageSizes.append(page.value(QLatin1String("cases")).toArray().size());
        more.append(page.value(QLatin1String("hasMore")).toBool());
        QVERIFY(page.value(QLatin1String("nextCursor")).toInteger() >= cursor);
        cursor = page.value(QLatin1String("nextCursor")).toInteger();
        if (!page.value(QLatin1String("hasMore")).toBool())
            break;
    }
    QCOMPARE(pageSizes, (QList<int>{3, 3, 1}));
    QCOMPARE(more, (QList<bool>{true, true, false}));

    // The kiosk's cache follows the feed and resumes from its stored cursor.
    CaseCache cache;
    QString error;
    QVERIFY(cache.open(m_dir.filePath(QStringLiteral("cache.sqlite")), &error));
    QSignalSpy pulled(&cache, &CaseCache::feedPulled);
    cache.pullFeed(&client, 2);
    QTRY_COMPARE(pulled.count(), 1);
    QCOMPARE(pulled.first().at(0).toInt(), 7);
    QCOMPARE(cache.count(), 7);
    QCOMPARE(cache.cursor(), cursor);

    QJsonObject changed = caseFor(QStringLiteral("FEED-HALL-A-2"), QStringLiteral("110105001000"));
    changed.insert(QStringLiteral("proStatus"), 4);
    QCOMPARE(adminSend(m_hub.url(), "POST", QStringLiteral("/v1/admin/cases"),
                       QJsonObject{{QStringLiteral("cases"), QJsonArray{changed}}}), 200);
    cache.pullFeed(&client, 2);
    QTRY_COMPARE(pulled.count(), 2);
    QCOMPARE(pulled.at(1).at(0).toInt(), 1);
    QCOMPARE(cache.count(), 7);
    QCOMPARE(cache.findByProjectNo(QStringLiteral("FEED-HALL-A-2"), QStringLiteral("李华")).at(0).toObject()
                 .value(QLatin1String("proStatus")).toInt(),
             4);
}

void TestHubApi::config_etagThen304_mostSpecificScopeWins()
{
    QCOMPARE(await([&](ReplyHandler h) { m_client.pullConfig({}, h); }).status, 404);
    auto kiosk = [](int idle) {
        return QJsonObject{{QStringLiteral("kiosk"), QJsonObject{{QStringLiteral("idleTimeoutSeconds"), idle}}}};
    };
    auto idleOf = [](const HubReply &r) {
        return r.json().value(QLatin1String("document")).toObject().value(QLatin1String("kiosk")).toObject()
            .value(QLatin1String("idleTimeoutSeconds")).toInt();
    };
    QJsonObject put;
    QCOMPARE(adminSend(m_hub.url(), "PUT", QStringLiteral("/v1/admin/config/default"), kiosk(60), &put), 200);
    HubReply r = await([&](ReplyHandler h) { m_client.pullConfig({}, h); });
    QCOMPARE(r.status, 200);
    QCOMPARE(idleOf(r), 60);
    QCOMPARE(r.json().value(QLatin1String("scope")).toString(), QStringLiteral("default"));
    QCOMPARE(r.json().value(QLatin1String("version")).toString(), put.value(QLatin1String("version")).toString());
    QCOMPARE(r.etag, '"' + put.value(QLatin1String("etag")).toString().toLatin1() + '"');
    const QByteArray etag = r.etag;
    r = await([&](ReplyHandler h) { m_client.pullConfig(etag, h); });
    QCOMPARE(r.status, 304);
    QVERIFY(r.body.isEmpty());

    QCOMPARE(adminSend(m_hub.url(), "PUT", QStringLiteral("/v1/admin/config/hall:%1").arg(QLatin1String(kHall)),
                       kiosk(90)), 200);
    r = await([&](ReplyHandler h) { m_client.pullConfig(etag, h); });
    QCOMPARE(r.status, 200);
    QCOMPARE(idleOf(r), 90);
    QCOMPARE(r.json().value(QLatin1String("scope")).toString(), QStringLiteral("hall:%1").arg(QLatin1String(kHall)));
    QVERIFY(r.etag != etag);
    QCOMPARE(adminSend(m_hub.url(), "PUT", QStringLiteral("/v1/admin/config/bogus"), kiosk(60)), 400);
    // Not the kiosk's schema: refused with the reason, nothing published.
    QJsonObject refused;
    QCOMPARE(adminSend(m_hub.url(), "PUT", QStringLiteral("/v1/admin/config/default"),
                       QJsonObject{{QStringLiteral("idleTimeoutS"), 60}}, &refused), 422);
    QVERIFY(refused.value(QLatin1String("message")).toString().contains(QLatin1String("idleTimeoutS")));
}

void TestHubApi::heartbeat_driftFlagged_commandsUntilAcked_overdueAfterTwoMissedBeats()
{
    QJsonObject created;
    QCOMPARE(adminSend(m_hub.url(), "POST", QStringLiteral("/v1/admin/devices/%1/commands").arg(m_creds.deviceId),
                       QJsonObject{{QStringLiteral("type"), QStringLiteral("test_print")}}, &created), 201);
    const qint64 commandId = created.value(QLatin1String("id")).toInteger();

    HeartbeatInfo info;
    info.version = QStringLiteral("0.1.0");
    info.queueDepth = 12;
    info.oldestUnsentAgeS = 3600;
    info.quarantined = 1;
    info.diskLow = true;
    info.deviceStatus = QJsonObject{{QStringLiteral("printer"), QStringLiteral("paper_near_end")}};
    info.kioskTimeMs = QDateTime::currentMSecsSinceEpoch() + 10 * 60 * 1000; // kiosk clock 10 min fast
    HubReply r = await([&](ReplyHandler h) { m_client.sendHeartbeat(info, h); });
    QCOMPARE(r.status, 200);
    QVERIFY(r.json().value(QLatin1String("driftFlagged")).toBool());
    QVERIFY(qAbs(r.json().value(QLatin1String("driftS")).toDouble() - 600) < 5);
    QJsonArray commands = r.json().value(QLatin1String("commands")).toArray();
    QCOMPARE(commands.size(), 1);
    QCOMPARE(commands.at(0).toObject().value(QLatin1String("type")).toString(), QStringLiteral("test_print"));

    auto device = [&] {
        for (const QJsonValue &v : adminGet(m_hub.url(), QStringLiteral("/v1/admin/devices")).value(QLatin1String("devices")).toArray())
            if (v.toObject().value(QLatin1String("deviceId")).toString() == m_creds.deviceId)
                return v.toObject();
        return QJsonObject();
    };
    QJsonObject d = device();
    QCOMPARE(d.value(QLatin1String("queueDepth")).toInt(), 12);
    QCOMPARE(d.value(QLatin1String("oldestUnsentAgeS")).toInt(), 3600);
    QCOMPARE(d.value(QLatin1String("quarantined")).toInt(), 1);
    QVERIFY(d.value(QLatin1String("driftFlagged")).toBool());
    QVERIFY(d.value(QLatin1String("diskLow")).toBool());
    QCOMPARE(d.value(QLatin1String("deviceStatus")).toObject().value(QLatin1String("printer")).toString(),
             QStringLiteral("paper_near_end"));
    QCOMPARE(d.value(QLatin1String("overdue")).toBool(), false);

    // Not acknowledged: delivered again. Acknowledged: gone. Clock fixed: no flag.
    info.kioskTimeMs = 0;
    r = await([&](ReplyHandler h) { m_client.sendHeartbeat(info, h); });
    QCOMPARE(r.json().value(QLatin1String("commands")).toArray().size(), 1);
    QVERIFY(!r.json().value(QLatin1String("driftFlagged")).toBool());
    info.ackedCommands = {commandId};
    r = await([&](ReplyHandler h) { m_client.sendHeartbeat(info, h); });
    QCOMPARE(r.json().value(QLatin1String("commands")).toArray().size(), 0);
    QVERIFY(!device().value(QLatin1String("driftFlagged")).toBool());

    // Interval is 1 s: after two missed beats the device is overdue.
    QTRY_VERIFY_WITH_TIMEOUT(device().value(QLatin1String("overdue")).toBool(), 5000);
    r = await([&](ReplyHandler h) { m_client.sendHeartbeat(info, h); });
    QCOMPARE(device().value(QLatin1String("overdue")).toBool(), false);
}

QTEST_GUILESS_MAIN(TestHubApi)
#include "tst_hubapi.moc"

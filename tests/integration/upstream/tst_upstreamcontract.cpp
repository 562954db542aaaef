// SPDX-License-Identifier: Apache-2.0
// Contract of the hub's forwarding to the provincial platform (sync/UPSTREAM.md): every national
// field mapped and checked, the profile's signature and payload encryption verified by the mock
// province with the standard algorithms, the province's rejections surfacing with its message,
// the duplicate answer counting as delivered, and the pull of indicator sets and rectifications.
#include "configpublisher.h"
#include "deviceidentity.h"
#include "hubserver.h"
#include "mockprovince.h"
#include "provinceclient.h"
#include "rectificationstore.h"
#include "upstreamfixture.h"
#include "upstreammapper.h"
#include "upstreamoutbox.h"
#include "upstreamservice.h"

#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTest>

using namespace hcp::sync::hub;
using namespace hcp::sync::hub::upstream;
using namespace hcp::sync::hub::upstream::test;
using SignMode = ProvinceProfile::SignMode;
using Cipher = ProvinceProfile::Cipher;

class TestUpstreamContract : public QObject
{
    Q_OBJECT

private:
    static ProvinceProfile profileFor(const MockProvince::App &app, quint16 port, const hcp::trust::Key &appKey = {})
    {
        QString error;
        const auto p = ProvinceProfile::fromJson(profileJson(app, port, appKey), QString(), &error);
        if (!p)
            qFatal("profile: %s", qPrintable(error));
        return *p;
    }
    static QJsonObject mapped(const QJsonObject &e, const QJsonObject &c, const ProvinceProfile &p)
    {
        QJsonObject r;
        QString error;
        if (!UpstreamMapper::map(e, c, p, {}, &r, &error))
            qFatal("map: %s", qPrintable(error));
        return r;
    }
    // Ingests evaluations, runs one service until nothing is due, returns the outbox counts.
    static QJsonObject deliver(HubFixture &hub, UpstreamService &service)
    {
        QSignalSpy idle(&service, &UpstreamService::idle);
        service.start();
        if (!idle.wait(20000))
            qWarning() << "service never became idle";
        service.stop();
        return service.status().value(QLatin1String("counts")).toObject();
    }
    static QByteArray envelope(const ProvinceProfile &p, const QList<QJsonObject> &records,
                               const ProvinceProfile *recordProfile = nullptr)
    {
        const QString time = ProvinceClient::timeStamp(QDateTime::currentDateTimeUtc());
        QJsonArray enc;
        for (const QJsonObject &r : records)
            enc.append(*ProvinceClient::encryptRecord(recordProfile ? *recordProfile : p, r, nullptr));
        return QJsonDocument(QJsonObject{
                                 {QStringLiteral("txnBodyCom"),
                                  QJsonObject{{QStringLiteral("appMark"), p.appMark},
                                              {QStringLiteral("time"), time},
                                              {QStringLiteral("sign"), *ProvinceClient::signature(p, time, nullptr)},
                                              {QStringLiteral("params"), QJsonObject{{QStringLiteral("evaluate"), enc}}}}},
                                 {QStringLiteral("txnCommCom"), QJsonObject{}}})
            .toJson(QJsonDocument::Compact);
    }

private slots:
    void profile_missingCredentialsOrKeys_isRefusedWithReason_data()
    {
        QTest::addColumn<QString>("member");
        QTest::addColumn<QString>("reasonPart");
        QTest::newRow("no appWord") << "appWord" << "appWord";
        QTest::newRow("no platform key") << "platformPublicKey" << "platformPublicKey";
        QTest::newRow("no endpoint") << "endpoint" << "endpoint";
    }
    void profile_missingCredentialsOrKeys_isRefusedWithReason()
    {
        QFETCH(QString, member);
        QFETCH(QString, reasonPart);
        const auto app = mockApp(SignMode::Sm2Encrypt, Cipher::Sm2);
        QJsonObject o = profileJson(app, 1);
        QString error;
        QVERIFY(ProvinceProfile::fromJson(o, QString(), &error).has_value());
        o.remove(member);
        QVERIFY(!ProvinceProfile::fromJson(o, QString(), &error).has_value());
        QVERIFY2(error.contains(reasonPart), qPrintable(error));
    }

    void map_evaluationAndCase_fillEveryNationalField()
    {
        const auto app = mockApp(SignMode::Sm2Encrypt, Cipher::Sm2);
        const ProvinceProfile p = profileFor(app, 1);
        QJsonObject e = evaluationObject(7, QStringLiteral("110105202611280001"), 2, 1);
        e.insert(QStringLiteral("publicFlag"), 2);
        QJsonObject c = caseObject(QStringLiteral("110105202611280001"), 2);
        c.insert(QStringLiteral("userProp"), 4); // 社会组织法人 → evaluation userProp 2 法人
        c.insert(QStringLiteral("userName"), QStringLiteral("朝阳区某某协会"));
        const QJsonObject r = mapped(e, c, p);
        const QJsonObject expected{
            {QStringLiteral("projectNo"), QStringLiteral("110105202611280001")},
            {QStringLiteral("serviceNumber"), 2},
            {QStringLiteral("assessNumber"), 1},
            {QStringLiteral("evaluateType"), QStringLiteral("1")},
            {QStringLiteral("pf"), QStringLiteral("5")},
            {QStringLiteral("satisfaction"), QStringLiteral("1")},
            {QStringLiteral("evalDetail"), QStringLiteral("501,502")},
            {QStringLiteral("writingEvaluation"), QStringLiteral("等候时间太长")},
            {QStringLiteral("assessTime"), QStringLiteral("2026-11-28 09:30:07")},
            {QStringLiteral("publicFlag"), QStringLiteral("2")},
            {QStringLiteral("anonymityFlag"), QStringLiteral("2")},
            {QStringLiteral("appStatus"), QStringLiteral("1")},
            {QStringLiteral("isdefault"), QStringLiteral("0")},
            {QStringLiteral("dataSource"), QStringLiteral("165")},
            {QStringLiteral("evaVersion"), QStringLiteral("2026.1")},
            {QStringLiteral("userProp"), QStringLiteral("2")},
            {QStringLiteral("userName"), QStringLiteral("朝阳区某某协会")},
            {QStringLiteral("userPageType"), QStringLiteral("001")},
            {QStringLiteral("areaCode"), QStringLiteral("110105000000")},
            {QStringLiteral("taskCode"), QStringLiteral("11110105000000000X4000111001001")},
            {QStringLiteral("taskHandleItem"), QStringLiteral("11110105000000000X4000111001001")},
            {QStringLiteral("taskName"), QStringLiteral("居民身份证换领")},
            {QStringLiteral("deptCode"), QStringLiteral("11110105000000000X")},
            {QStringLiteral("proDepart"), QStringLiteral("北京市朝阳区公安分局")},
            {QStringLiteral("proManager"), QStringLiteral("王芳")},
            {QStringLiteral("proStatus"), QStringLiteral("3")},
            {QStringLiteral("projectType"), QStringLiteral("1")},
            {QStringLiteral("acceptDate"), QStringLiteral("2026-11-27 10:00:00")},
            {QStringLiteral("resultDate"), QStringLiteral("2026-11-28 09:20:00")},
        };
        for (auto it = expected.begin(); it != expected.end(); ++it)
            QVERIFY2(r.value(it.key()) == it.value(),
                     qPrintable(QStringLiteral("%1: got %2").arg(it.key(), r.value(it.key()).toVariant().toString())));
        QCOMPARE(r.size(), expected.size()); // nothing else leaves the hub (no answers, staff numbers, masks)
        QCOMPARE(UpstreamMapper::validate(r), QString());
    }

    void map_handleItemCodeSixDigitAreaPrefixAndCertKey_followProvincePractice()
    {
        const auto app = mockApp(SignMode::Sm2Encrypt, Cipher::Sm2);
        QJsonObject json = profileJson(app, 1);
        json.insert(QStringLiteral("projectNoPrefix"), QStringLiteral("37"));
        ProvinceProfile p = *ProvinceProfile::fromJson(json, QString(), nullptr);
        QJsonObject e = evaluationObject(1, QStringLiteral("370102202611280009"), 1);
        e.insert(QStringLiteral("taskCode"), QStringLiteral("11370102000000000X400011100100101")); // 33: 办理项
        e.insert(QStringLiteral("areaCode"), QStringLiteral("370102"));
        e.insert(QStringLiteral("certKeyEnc"), QStringLiteral("opaque"));
        QJsonObject r;
        QString error;
        const CertKeyResolver resolver = [](const QJsonObject &ev, QString *certNo, QString *) {
            *certNo = ev.value(QLatin1String("certKeyEnc")).toString() == QLatin1String("opaque")
                ? QStringLiteral("11010519491231002X") : QString();
            return true;
        };
        QVERIFY(UpstreamMapper::map(e, {}, p, resolver, &r, &error));
        QCOMPARE(r.value(QLatin1String("projectNo")).toString(), QStringLiteral("37370102202611280009"));
        QCOMPARE(r.value(QLatin1String("taskCode")).toString(), QStringLiteral("11370102000000000X4000111001001"));
        QCOMPARE(r.value(QLatin1String("taskHandleItem")).toString(), QStringLiteral("11370102000000000X400011100100101"));
        QCOMPARE(r.value(QLatin1String("areaCode")).toString(), QStringLiteral("370102000000"));
        QCOMPARE(r.value(QLatin1String("certKeyGOV")).toString(), QStringLiteral("11010519491231002X"));
        QCOMPARE(r.value(QLatin1String("userName")).toString(), QStringLiteral("李*")); // no case at the hub
        QCOMPARE(r.value(QLatin1String("userPageType")).toString(), QStringLiteral("111"));
        QCOMPARE(UpstreamMapper::validate(r), QString());

        const CertKeyResolver failing = [](const QJsonObject &, QString *, QString *err) {
            *err = QStringLiteral("not for this hub's key");
            return false;
        };
        QVERIFY(!UpstreamMapper::map(e, {}, p, failing, &r, &error));
        QCOMPARE(error, QStringLiteral("certKey: not for this hub's key"));
    }

    void certKeyEnc_forTheHubKey_resolvesToCertKeyGov_otherKeyOrGarbageIsAnError()
    {
        const hcp::trust::Key hubKey = hcp::trust::Key::generate(hcp::trust::KeyType::Sm2);
        const CertKeyResolver resolve = UpstreamMapper::hubKeyResolver(hubKey);
        const ProvinceProfile p = profileFor(mockApp(SignMode::Sm2Encrypt, Cipher::Sm2), 1);
        QJsonObject e = evaluationObject(1, projectNoOf(1), 1);
        QJsonObject r;
        QString error;
        QVERIFY(UpstreamMapper::map(e, {}, p, resolve, &r, &error)); // no certKeyEnc: no certKey
        QVERIFY(!r.contains(QLatin1String("certKeyGOV")));
        const auto cipher = hcp::trust::Crypto::sm2Encrypt(hubKey.publicOnly(), "11010519491231002x");
        QVERIFY(cipher.has_value());
        e.insert(QStringLiteral("certKeyEnc"), QString::fromLatin1(cipher->toBase64()));
        QVERIFY(UpstreamMapper::map(e, {}, p, resolve, &r, &error));
        QCOMPARE(r.value(QLatin1String("certKeyGOV")).toString(), QStringLiteral("11010519491231002X"));
        QCOMPARE(UpstreamMapper::validate(r), QString());

        const auto otherKey = hcp::trust::Crypto::sm2Encrypt(hcp::trust::Key::generate(hcp::trust::KeyType::Sm2), "11010519491231002X");
        e.insert(QStringLiteral("certKeyEnc"), QString::fromLatin1(otherKey->toBase64()));
        QVERIFY(!UpstreamMapper::map(e, {}, p, resolve, &r, &error));
        QVERIFY(error.startsWith(QStringLiteral("certKey: ")));
        e.insert(QStringLiteral("certKeyEnc"), QStringLiteral("***"));
        QVERIFY(!UpstreamMapper::map(e, {}, p, resolve, &r, &error));
        QCOMPARE(error, QStringLiteral("certKey: certKeyEnc is not base64"));
        e.insert(QStringLiteral("certKeyEnc"),
                 QString::fromLatin1(hcp::trust::Crypto::sm2Encrypt(hubKey.publicOnly(), "not an id")->toBase64()));
        QVERIFY(!UpstreamMapper::map(e, {}, p, resolve, &r, &error));
        QVERIFY2(error.contains(QStringLiteral("ID number")), qPrintable(error));
    }

    void validate_brokenRecord_isRejectedWithReason_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QJsonValue>("value");
        QTest::addColumn<QString>("reasonPart");
        QTest::newRow("projectNo missing") << "projectNo" << QJsonValue(QString()) << "projectNo";
        QTest::newRow("projectNo too long") << "projectNo" << QJsonValue(QString(51, QLatin1Char('1'))) << "projectNo";
        QTest::newRow("serviceNumber 0") << "serviceNumber" << QJsonValue(0) << "serviceNumber";
        QTest::newRow("assessNumber 3") << "assessNumber" << QJsonValue(3) << "assessNumber";
        QTest::newRow("追评 type without assessNumber 2") << "evaluateType" << QJsonValue(QStringLiteral("2")) << "追评";
        QTest::newRow("pf 8") << "pf" << QJsonValue(QStringLiteral("8")) << "pf";
        QTest::newRow("satisfaction 6") << "satisfaction" << QJsonValue(QStringLiteral("6")) << "satisfaction";
        QTest::newRow("evalDetail words") << "evalDetail" << QJsonValue(QStringLiteral("态度差")) << "evalDetail";
        QTest::newRow("assessTime ISO") << "assessTime" << QJsonValue(QStringLiteral("2026-11-28T09:30:00")) << "assessTime";
        QTest::newRow("userProp 3") << "userProp" << QJsonValue(QStringLiteral("3")) << "userProp";
        QTest::newRow("userName empty") << "userName" << QJsonValue(QString()) << "userName";
        QTest::newRow("userName 31") << "userName" << QJsonValue(QString(31, QChar(0x674E))) << "userName";
        QTest::newRow("userPageType") << "userPageType" << QJsonValue(QStringLiteral("ID")) << "userPageType";
        QTest::newRow("areaCode 9 digits") << "areaCode" << QJsonValue(QStringLiteral("110105000")) << "areaCode";
        QTest::newRow("taskCode missing") << "taskCode" << QJsonValue(QString()) << "taskCode";
        QTest::newRow("taskName missing") << "taskName" << QJsonValue(QString()) << "taskName";
        QTest::newRow("deptCode short") << "deptCode" << QJsonValue(QStringLiteral("11110105")) << "deptCode";
        QTest::newRow("publicFlag 0") << "publicFlag" << QJsonValue(QStringLiteral("0")) << "publicFlag";
        QTest::newRow("proStatus 4") << "proStatus" << QJsonValue(QStringLiteral("4")) << "proStatus";
        QTest::newRow("dataSource 2 digits") << "dataSource" << QJsonValue(QStringLiteral("11")) << "dataSource";
        QTest::newRow("certKeyGOV 15") << "certKeyGOV" << QJsonValue(QStringLiteral("110105491231002")) << "certKeyGOV";
    }
    void validate_brokenRecord_isRejectedWithReason()
    {
        QFETCH(QString, field);
        QFETCH(QJsonValue, value);
        QFETCH(QString, reasonPart);
        const ProvinceProfile p = profileFor(mockApp(SignMode::Sm2Encrypt, Cipher::Sm2), 1);
        QJsonObject r = mapped(evaluationObject(1, QStringLiteral("110105202611280001"), 1),
                               caseObject(QStringLiteral("110105202611280001"), 1), p);
        QCOMPARE(UpstreamMapper::validate(r), QString());
        r.insert(field, value);
        const QString reason = UpstreamMapper::validate(r);
        QVERIFY2(reason.contains(reasonPart), qPrintable(reason));
    }

    void validate_badRatingWithoutReasonOrText_isRejected()
    {
        const ProvinceProfile p = profileFor(mockApp(SignMode::Sm2Encrypt, Cipher::Sm2), 1);
        QJsonObject e = evaluationObject(1, QStringLiteral("110105202611280001"), 1, 2);
        e.insert(QStringLiteral("evalDetail"), QString());
        e.insert(QStringLiteral("writingEvaluation"), QStringLiteral("   "));
        QCOMPARE(UpstreamMapper::validate(mapped(e, {}, p)), QStringLiteral("差评 requires evalDetail or writingEvaluation"));
        e.insert(QStringLiteral("writingEvaluation"), QStringLiteral("材料反复要求补正"));
        QCOMPARE(UpstreamMapper::validate(mapped(e, {}, p)), QString());
    }

    void deliver_sm2SignByEncryptionAndSm2Payload_storedByProvinceAsMapped()
    {
        const auto app = mockApp(SignMode::Sm2Encrypt, Cipher::Sm2);
        MockProvince province(app);
        const quint16 port = province.start();
        QVERIFY(port != 0);
        HubFixture hub;
        QVERIFY(hub.open());
        QJsonArray cases, evaluations;
        for (int i = 1; i <= 3; ++i) {
            cases.append(caseObject(projectNoOf(i), 1));
            evaluations.append(evaluationObject(i, projectNoOf(i), 1, i == 2 ? 1 : 5));
        }
        QVERIFY(hub.importCases(cases));
        QVERIFY(hub.ingest(evaluations));
        const ProvinceProfile p = profileFor(app, port);
        UpstreamService service(hub.store.get(), p);
        const QJsonObject counts = deliver(hub, service);
        QCOMPARE(counts.value(QLatin1String("delivered")).toInt(), 3);
        QCOMPARE(province.stats().badSignature, 0);
        QCOMPARE(province.stats().recordsStored, 3);
        const auto stored = province.stored();
        for (int i = 1; i <= 3; ++i) {
            const QJsonObject expected = mapped(evaluations.at(i - 1).toObject(), cases.at(i - 1).toObject(), p);
            QCOMPARE(stored.value(projectNoOf(i) + QStringLiteral("|1|1")), expected);
        }
    }

    void deliver_sm2SignatureAndSm4Payload_storedByProvince()
    {
        auto app = mockApp(SignMode::Sm2Sign, Cipher::Sm4);
        const hcp::trust::Key appKey = hcp::trust::Key::generate(hcp::trust::KeyType::Sm2);
        app.appPublicKey = appKey.publicOnly();
        MockProvince province(app);
        const quint16 port = province.start();
        HubFixture hub;
        QVERIFY(hub.open());
        QVERIFY(hub.ingest({evaluationObject(1, projectNoOf(1), 1)}));
        UpstreamService service(hub.store.get(), profileFor(app, port, appKey));
        QCOMPARE(deliver(hub, service).value(QLatin1String("delivered")).toInt(), 1);
        QCOMPARE(province.stats().recordsStored, 1);
        QCOMPARE(province.stored().value(projectNoOf(1) + QStringLiteral("|1|1")).value(QLatin1String("satisfaction")).toString(),
                 QStringLiteral("5"));
    }

    void deliver_wrongAppWord_provinceRefusesSignature_recordStaysPendingWithMessage()
    {
        const auto app = mockApp(SignMode::Sm2Encrypt, Cipher::Sm2);
        MockProvince province(app);
        const quint16 port = province.start();
        HubFixture hub;
        QVERIFY(hub.open());
        QVERIFY(hub.ingest({evaluationObject(1, projectNoOf(1), 1)}));
        QJsonObject json = profileJson(app, port);
        json.insert(QStringLiteral("appWord"), QStringLiteral("not-the-registered-word"));
        UpstreamService service(hub.store.get(), *ProvinceProfile::fromJson(json, QString(), nullptr));
        QSignalSpy batches(&service, &UpstreamService::batchFinished);
        service.start();
        QTRY_VERIFY_WITH_TIMEOUT(batches.size() >= 2, 10000);
        service.stop();
        QVERIFY(province.stats().badSignature >= 2);
        QCOMPARE(province.stats().recordsStored, 0);
        const QJsonObject status = service.status();
        QVERIFY2(status.value(QLatin1String("lastError")).toString().contains(QStringLiteral("签名校验失败")),
                 qPrintable(status.value(QLatin1String("lastError")).toString()));
        const QJsonObject counts = status.value(QLatin1String("counts")).toObject();
        QCOMPARE(counts.value(QLatin1String("dead")).toInt(), 0);
        QCOMPARE(counts.value(QLatin1String("delivered")).toInt(), 0);
    }

    void provinceRejection_unknownTaskCode_deadLetterWithProvinceMessageInAdminApi_thenRequeued()
    {
        const auto app = mockApp(SignMode::Sm2Encrypt, Cipher::Sm4);
        MockProvince province(app);
        const quint16 port = province.start();
        province.setRejectedTaskCodes({QStringLiteral("11110105000000000X4000111001001")});
        HubFixture hub;
        QVERIFY(hub.open());
        QVERIFY(hub.ingest({evaluationObject(1, projectNoOf(1), 1), evaluationObject(2, projectNoOf(2), 1)}));
        UpstreamService service(hub.store.get(), profileFor(app, port));
        auto identity = hcp::trust::DeviceIdentity::create(hub.dir.filePath(QStringLiteral("hub-identity.pem")));
        QVERIFY(identity.has_value());
        HubServer server(hub.store.get(), std::move(*identity));
        service.registerAdmin(&server);
        server.setAdminToken(QStringLiteral("contract-admin"));
        const quint16 hubPort = server.listen(QHostAddress::LocalHost, 0);
        QVERIFY(hubPort != 0);
        QCOMPARE(deliver(hub, service).value(QLatin1String("dead")).toInt(), 2);

        QNetworkAccessManager nam;
        auto call = [&](const QByteArray &method, const QString &path, const QByteArray &body = {}) {
            QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(hubPort).arg(path)));
            request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
            request.setRawHeader("Authorization", "Bearer contract-admin");
            QNetworkReply *reply = nam.sendCustomRequest(request, method, body);
            QSignalSpy done(reply, &QNetworkReply::finished);
            if (!reply->isFinished())
                done.wait(10000);
            reply->deleteLater();
            return QJsonDocument::fromJson(reply->readAll()).object();
        };
        const QJsonObject admin = call("GET", QStringLiteral("/v1/admin/upstream?afterId=0"));
        const QJsonArray dead = admin.value(QLatin1String("deadLetters")).toArray();
        QCOMPARE(dead.size(), 2);
        QCOMPARE(dead.at(0).toObject().value(QLatin1String("reason")).toString(),
                 QStringLiteral("事项编码不存在：11110105000000000X4000111001001"));
        QCOMPARE(dead.at(0).toObject().value(QLatin1String("code")).toString(), QStringLiteral("3"));
        QCOMPARE(dead.at(0).toObject().value(QLatin1String("uuid")).toString(),
                 evaluationObject(1, QString(), 1).value(QLatin1String("uuid")).toString());
        const QJsonArray records = admin.value(QLatin1String("records")).toArray();
        QCOMPARE(records.size(), 2);
        QCOMPARE(records.at(1).toObject().value(QLatin1String("state")).toString(), QStringLiteral("dead"));

        // The province registers the 事项; the operator requeues one dead letter through the API.
        province.setRejectedTaskCodes({});
        const qint64 first = dead.at(0).toObject().value(QLatin1String("evaluationId")).toInteger();
        QCOMPARE(call("POST", QStringLiteral("/v1/admin/upstream"),
                      QJsonDocument(QJsonObject{{QStringLiteral("requeue"), QJsonArray{first}}}).toJson())
                     .value(QLatin1String("requeued")).toInt(), 1);
        const QJsonObject counts = deliver(hub, service);
        QCOMPARE(counts.value(QLatin1String("delivered")).toInt(), 1);
        QCOMPARE(counts.value(QLatin1String("dead")).toInt(), 1);
        QCOMPARE(call("POST", QStringLiteral("/v1/admin/upstream"), "{\"requeue\":7}").value(QLatin1String("error")).toString(),
                 QStringLiteral("bad_request"));
    }

    void hubCheck_recordTheProvinceWouldRefuse_isDeadLetteredWithoutSending()
    {
        const auto app = mockApp(SignMode::Sm2Encrypt, Cipher::Sm4);
        MockProvince province(app);
        const quint16 port = province.start();
        HubFixture hub;
        QVERIFY(hub.open());
        QJsonObject e = evaluationObject(1, projectNoOf(1), 1);
        e.insert(QStringLiteral("deptCode"), QStringLiteral("unknown"));
        QVERIFY(hub.ingest({e, evaluationObject(2, projectNoOf(2), 1)}));
        UpstreamService service(hub.store.get(), profileFor(app, port));
        const QJsonObject counts = deliver(hub, service);
        QCOMPARE(counts.value(QLatin1String("dead")).toInt(), 1);
        QCOMPARE(counts.value(QLatin1String("delivered")).toInt(), 1);
        QCOMPARE(province.stats().recordsStored, 1);
        QCOMPARE(province.stats().rejected, 0);
        const QJsonObject dead = service.status().value(QLatin1String("deadLetters")).toArray().at(0).toObject();
        QCOMPARE(dead.value(QLatin1String("code")).toString(), QStringLiteral("HUB"));
        QVERIFY2(dead.value(QLatin1String("reason")).toString().contains(QStringLiteral("deptCode")),
                 qPrintable(dead.value(QLatin1String("reason")).toString()));
    }

    void duplicateAnswer_recordAlreadyAtProvince_countsAsDelivered()
    {
        const auto app = mockApp(SignMode::Sm2Encrypt, Cipher::Sm4);
        MockProvince province(app);
        const quint16 port = province.start();
        HubFixture hub;
        QVERIFY(hub.open());
        QVERIFY(hub.ingest({evaluationObject(1, projectNoOf(1), 1)}));
        const ProvinceProfile p = profileFor(app, port);
        province.preload(mapped(evaluationObject(1, projectNoOf(1), 1), {}, p));
        UpstreamService service(hub.store.get(), p);
        const QJsonObject counts = deliver(hub, service);
        QCOMPARE(counts.value(QLatin1String("delivered")).toInt(), 1);
        QCOMPARE(counts.value(QLatin1String("deliveredAsDuplicate")).toInt(), 1);
        QCOMPARE(province.stats().duplicateAnswers, 1);
        QCOMPARE(province.stats().recordsStored, 0);
    }

    void mockProvince_malformedRecords_rejectedWithTheProvincesMessages()
    {
        const auto app = mockApp(SignMode::Sm2Encrypt, Cipher::Sm2);
        MockProvince province(app);
        const ProvinceProfile p = profileFor(app, 1);
        const QJsonObject good = mapped(evaluationObject(1, projectNoOf(1), 1), caseObject(projectNoOf(1), 1), p);
        QJsonObject noName = good;
        noName.remove(QStringLiteral("userName"));
        noName.insert(QStringLiteral("projectNo"), projectNoOf(2));
        QJsonObject badNoReason = good;
        badNoReason.insert(QStringLiteral("projectNo"), projectNoOf(3));
        badNoReason.insert(QStringLiteral("satisfaction"), QStringLiteral("1"));
        badNoReason.insert(QStringLiteral("evalDetail"), QString());
        QJsonObject area9 = good;
        area9.insert(QStringLiteral("projectNo"), projectNoOf(4));
        area9.insert(QStringLiteral("areaCode"), QStringLiteral("110105000"));
        const auto answer = province.handle(QStringLiteral("/hcp/evaluate"),
                                            envelope(p, {good, noName, badNoReason, area9, good}));
        QCOMPARE(answer.httpStatus, 200);
        const QJsonArray data = answer.body.value(QLatin1String("data")).toArray();
        QCOMPARE(data.size(), 5);
        QCOMPARE(data.at(0).toObject().value(QLatin1String("code")).toString(), QStringLiteral("0"));
        QCOMPARE(data.at(1).toObject().value(QLatin1String("msg")).toString(), QStringLiteral("缺少必填字段：userName"));
        QCOMPARE(data.at(2).toObject().value(QLatin1String("msg")).toString(), QStringLiteral("差评必须勾选详情或填写文字评价"));
        QCOMPARE(data.at(3).toObject().value(QLatin1String("msg")).toString(), QStringLiteral("行政区划代码错误"));
        QCOMPARE(data.at(4).toObject().value(QLatin1String("msg")).toString(), QStringLiteral("本次服务已存在评价，请勿重复评价"));

        // A record encrypted for another platform key does not decrypt; a stale time fails the signature.
        MockProvince::App other = app;
        other.platformKey = hcp::trust::Key::generate(hcp::trust::KeyType::Sm2);
        const ProvinceProfile wrongKey = profileFor(other, 1);
        const auto undecryptable = province.handle(QStringLiteral("/hcp/evaluate"), envelope(p, {good}, &wrongKey));
        QCOMPARE(undecryptable.body.value(QLatin1String("data")).toArray().at(0).toObject().value(QLatin1String("msg")).toString(),
                 QStringLiteral("数据解密失败"));
        const auto wrongSign = province.handle(QStringLiteral("/hcp/evaluate"), envelope(wrongKey, {good}, &p));
        QCOMPARE(wrongSign.body.value(QLatin1String("msg")).toString(), QStringLiteral("签名校验失败"));
        QJsonObject stale = QJsonDocument::fromJson(envelope(p, {good})).object();
        QJsonObject txn = stale.value(QLatin1String("txnBodyCom")).toObject();
        txn.insert(QStringLiteral("time"), QStringLiteral("20200101000000"));
        stale.insert(QStringLiteral("txnBodyCom"), txn);
        QCOMPARE(province.handle(QStringLiteral("/hcp/evaluate"), QJsonDocument(stale).toJson())
                     .body.value(QLatin1String("msg")).toString(),
                 QStringLiteral("签名校验失败"));
    }

    void pull_indicatorSet_publishedIntoDefaultConfigOnceAndKeepsOtherMembers()
    {
        const auto app = mockApp(SignMode::Sm2Encrypt, Cipher::Sm2);
        MockProvince province(app);
        const quint16 port = province.start();
        province.setNorms(QJsonObject{
            {QStringLiteral("evaVersion"), QStringLiteral("2026.2")},
            {QStringLiteral("norms"), QJsonArray{QJsonObject{{QStringLiteral("normCode"), QStringLiteral("501")},
                                                             {QStringLiteral("normName"), QStringLiteral("窗口服务态度差")},
                                                             {QStringLiteral("levels"), QStringLiteral("1,2")}},
                                                 QJsonObject{{QStringLiteral("normCode"), QStringLiteral("301")},
                                                             {QStringLiteral("normName"), QStringLiteral("办事效率高")},
                                                             {QStringLiteral("levels"), QStringLiteral("4,5")}}}}});
        HubFixture hub;
        QVERIFY(hub.open());
        // Configuration goes through the hub's ConfigPublisher (validated, versioned, signed).
        ConfigPublisher publisher(hub.store.get(), hcp::trust::Key::generate(hcp::trust::KeyType::Sm2));
        QString reason;
        QCOMPARE(publisher.publish(QStringLiteral("default"),
                                   QJsonObject{{QStringLiteral("kiosk"), QJsonObject{{QStringLiteral("idleTimeoutSeconds"), 60}}}},
                                   QStringLiteral("test"), nullptr, &reason),
                 ConfigPublisher::Outcome::Published);
        UpstreamService service(hub.store.get(), profileFor(app, port));
        int writes = 0;
        service.setConfigWriter([&](const QString &scope, const QJsonObject &doc, QString *error) {
            ++writes;
            return publisher.publish(scope, doc, QStringLiteral("upstream"), nullptr, error)
                == ConfigPublisher::Outcome::Published;
        });
        QSignalSpy pulled(&service, &UpstreamService::pullFinished);
        service.pullNow();
        QVERIFY(pulled.wait(10000));
        QCOMPARE(pulled.at(0).at(0).toBool(), true);
        const auto published = publisher.forDevice(hub.device);
        QVERIFY(published);
        const QJsonObject doc = published->document;
        QCOMPARE(doc.value(QLatin1String("kiosk")).toObject().value(QLatin1String("idleTimeoutSeconds")).toInt(), 60);
        const QJsonObject set = doc.value(QLatin1String("indicators")).toObject();
        QCOMPARE(set.value(QLatin1String("version")).toString(), QStringLiteral("2026.2"));
        const QJsonObject first = set.value(QLatin1String("indicators")).toArray().at(0).toObject();
        QCOMPARE(first.value(QLatin1String("code")).toString(), QStringLiteral("501"));
        QCOMPARE(first.value(QLatin1String("text")).toString(), QStringLiteral("窗口服务态度差"));
        QCOMPARE(first.value(QLatin1String("levels")).toArray(), (QJsonArray{1, 2}));
        QCOMPARE(writes, 1);
        service.pullNow(); // same version: nothing written
        QVERIFY(pulled.wait(10000));
        QCOMPARE(writes, 1);

        QString error;
        QVERIFY(UpstreamService::indicatorSetFromNorms(
                    QJsonObject{{QStringLiteral("evaVersion"), QStringLiteral("x")},
                                {QStringLiteral("norms"), QJsonArray{QJsonObject{{QStringLiteral("normCode"), QStringLiteral("5011")},
                                                                                 {QStringLiteral("normName"), QStringLiteral("a")},
                                                                                 {QStringLiteral("levels"), QStringLiteral("1")}}}}},
                    &error).isEmpty());
        QVERIFY(!error.isEmpty());
    }

    void pull_rectifications_reachTheSinkMappedAndTheCursorAdvances()
    {
        const auto app = mockApp(SignMode::Sm2Encrypt, Cipher::Sm2);
        MockProvince province(app);
        const quint16 port = province.start();
        province.setRectifications(QJsonArray{
            QJsonObject{{QStringLiteral("projectNo"), projectNoOf(1)}, {QStringLiteral("serviceNumber"), QStringLiteral("1")},
                        {QStringLiteral("assessNumber"), QStringLiteral("1")}, {QStringLiteral("rectifyStatus"), QStringLiteral("2")},
                        {QStringLiteral("reformContent"), QStringLiteral("已增设取号引导员")},
                        {QStringLiteral("reformDept"), QStringLiteral("朝阳区政务服务中心")},
                        {QStringLiteral("reformDate"), QStringLiteral("2026-12-01 10:00:00")}},
            QJsonObject{{QStringLiteral("projectNo"), projectNoOf(2)}, {QStringLiteral("serviceNumber"), 1},
                        {QStringLiteral("assessNumber"), 1}, {QStringLiteral("rectifyStatus"), QStringLiteral("1")},
                        {QStringLiteral("reformDate"), QStringLiteral("2026-11-30 16:00:00")}},
            // Acted on but undated: the rectification store would refuse it, so it is skipped.
            QJsonObject{{QStringLiteral("projectNo"), projectNoOf(3)}, {QStringLiteral("serviceNumber"), 1},
                        {QStringLiteral("assessNumber"), 1}, {QStringLiteral("rectifyStatus"), QStringLiteral("2")}}});
        HubFixture hub;
        QVERIFY(hub.open());
        UpstreamService service(hub.store.get(), profileFor(app, port));
        QList<QJsonObject> upserts;
        service.setRectificationSink([&](const QJsonObject &r, QString *error) {
            upserts.append(r);
            return RectificationStore(hub.store->database()).upsert(r, error);
        });
        QSignalSpy pulled(&service, &UpstreamService::pullFinished);
        service.pullNow();
        QVERIFY(pulled.wait(10000));
        QCOMPARE(upserts.size(), 2);
        QCOMPARE(upserts.at(0), (QJsonObject{{QStringLiteral("projectNo"), projectNoOf(1)},
                                             {QStringLiteral("serviceNumber"), 1},
                                             {QStringLiteral("assessNumber"), 1},
                                             {QStringLiteral("status"), QStringLiteral("done")},
                                             {QStringLiteral("reply"), QStringLiteral("已增设取号引导员")},
                                             {QStringLiteral("replyDept"), QStringLiteral("朝阳区政务服务中心")},
                                             {QStringLiteral("replyTime"), QStringLiteral("2026-12-01T10:00:00+08:00")}}));
        QCOMPARE(upserts.at(1).value(QLatin1String("status")).toString(), QStringLiteral("in_progress"));
        QJsonArray listed;
        QVERIFY(RectificationStore(hub.store->database()).list(projectNoOf(1), &listed));
        QCOMPARE(listed.size(), 1);
        QCOMPARE(listed.at(0).toObject().value(QLatin1String("reply")).toString(), QStringLiteral("已增设取号引导员"));
        QCOMPARE(listed.at(0).toObject().value(QLatin1String("status")).toString(), QStringLiteral("done"));
        service.pullNow(); // the cursor moved past both
        QVERIFY(pulled.wait(10000));
        QCOMPARE(upserts.size(), 2);
        QCOMPARE(service.status().value(QLatin1String("pull")).toObject().value(QLatin1String("rectificationCursor")).toString(),
                 QStringLiteral("3"));
    }

    void outbox_enqueueTwiceAndInDoubtRow_oneRowPerEvaluationAndLeaseReturnsIt()
    {
        HubFixture hub;
        QVERIFY(hub.open());
        QVERIFY(hub.ingest({evaluationObject(1, projectNoOf(1), 1), evaluationObject(2, projectNoOf(2), 1)}));
        UpstreamOutbox outbox(hub.store->database());
        QCOMPARE(outbox.enqueueNew(1000), 2);
        QCOMPARE(outbox.enqueueNew(1001), 0);
        const auto claimed = outbox.claim(10, 2000);
        QCOMPARE(claimed.size(), 2);
        QCOMPARE(claimed.at(0).caseObject, QJsonObject()); // no case imported
        QCOMPARE(outbox.claim(10, 2000).size(), 0);        // claimed rows are not claimed again
        QCOMPARE(outbox.recoverExpired(2000, 2500), 0);     // still inside the lease
        QCOMPARE(outbox.recoverExpired(2001, 2500), 2);     // the "hub" died while sending
        const auto again = outbox.claim(10, 3000);
        QCOMPARE(again.size(), 2);
        QCOMPARE(again.at(0).attempts, 2);
        QVERIFY(outbox.apply({{again.at(0).evaluationId, UpstreamOutbox::Result::Kind::Delivered, QStringLiteral("0"), {}, 0}}, 3100));
        // A late answer for a row that is no longer 'sending' changes nothing.
        QVERIFY(outbox.apply({{again.at(0).evaluationId, UpstreamOutbox::Result::Kind::Dead, QStringLiteral("3"), {}, 0}}, 3200));
        QCOMPARE(outbox.counts().value(QLatin1String("delivered")).toInt(), 1);
        QCOMPARE(outbox.counts().value(QLatin1String("sending")).toInt(), 1);
    }
};

QTEST_GUILESS_MAIN(TestUpstreamContract)
#include "tst_upstreamcontract.moc"

// SPDX-License-Identifier: Apache-2.0
// Pure wire-protocol rules (sync/wire.h) checked against the examples in sync/PROTOCOL.md, and
// the hub's case-file parser.
#include "caseimport.h"
#include "hubprocess.h"
#include "wire.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QStandardPaths>
#include <QTest>

using namespace hcp::sync;

class TestProtocol : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void documentedExamples_parseAndValidateAsDocumented();
    void validateEvaluation_rejectsEachBrokenField_data();
    void validateEvaluation_rejectsEachBrokenField();
    void badRatingWithWrittenReason_isValid();
    void projectNoFromQr_acceptsDocumentedForms_rejectsOthers_data();
    void projectNoFromQr_acceptsDocumentedForms_rejectsOthers();
    void fingerprint_ignoresKeyOrder_changesWithContent();
    void requestSignature_coversMethodTargetTimeAndBody();
    void certKeyHash_isKeyedAndCaseInsensitive();
    void splitArrayMember_slicesMatchParsedElements();
    void splitArrayMember_duplicateOrNonArrayMember_refused();
    void csvImport_quotedFieldsAndIntegers_parsed();
    void csvImport_unterminatedQuote_fails();
};

void TestProtocol::documentedExamples_parseAndValidateAsDocumented()
{
    const QJsonObject good = test::protocolExample(QStringLiteral("evaluation-good"));
    QVERIFY(!good.isEmpty());
    QCOMPARE(wire::validateEvaluation(good), QString());
    const QJsonObject bad = test::protocolExample(QStringLiteral("evaluation-bad-no-reason"));
    QVERIFY(!bad.isEmpty());
    QCOMPARE(wire::validateEvaluation(bad), QStringLiteral("差评 requires evalDetail or writingEvaluation"));
    // The documented batch response names exactly that reason.
    const QJsonArray results = test::protocolExample(QStringLiteral("batch-response"))
                                   .value(QLatin1String("results")).toArray();
    QCOMPARE(results.size(), 2);
    QCOMPARE(results.at(1).toObject().value(QLatin1String("reason")).toString(), wire::validateEvaluation(bad));
    const QJsonObject caseObject = test::protocolExample(QStringLiteral("case"));
    QCOMPARE(wire::validateCase(caseObject), QString());
    QVERIFY(!test::protocolExample(QStringLiteral("enroll-request")).isEmpty());
    QVERIFY(test::protocolExample(QStringLiteral("heartbeat-request")).value(QLatin1String("kioskTimeMs")).isDouble());
}

void TestProtocol::validateEvaluation_rejectsEachBrokenField_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QJsonValue>("value");
    QTest::newRow("uuid missing") << "uuid" << QJsonValue(QJsonValue::Undefined);
    QTest::newRow("uuid too long") << "uuid" << QJsonValue(QString(65, QLatin1Char('a')));
    QTest::newRow("deviceSeq zero") << "deviceSeq" << QJsonValue(0);
    QTest::newRow("deviceSeq fraction") << "deviceSeq" << QJsonValue(1.5);
    QTest::newRow("projectNo empty") << "projectNo" << QJsonValue(QString());
    QTest::newRow("assessNumber 3") << "assessNumber" << QJsonValue(3);
    QTest::newRow("pf 0") << "pf" << QJsonValue(0);
    QTest::newRow("satisfaction 6") << "satisfaction" << QJsonValue(6);
    QTest::newRow("satisfaction string") << "satisfaction" << QJsonValue(QStringLiteral("5"));
    QTest::newRow("assessTime iso") << "assessTime" << QJsonValue(QStringLiteral("2026-11-28T09:30:00"));
    QTest::newRow("assessTime no such day") << "assessTime" << QJsonValue(QStringLiteral("2026-02-30 09:30:00"));
    QTest::newRow("assessTime 24h") << "assessTime" << QJsonValue(QStringLiteral("2026-11-28 24:00:00"));
    QTest::newRow("publicFlag 0") << "publicFlag" << QJsonValue(0);
    QTest::newRow("evalDetail words") << "evalDetail" << QJsonValue(QStringLiteral("slow"));
}

void TestProtocol::validateEvaluation_rejectsEachBrokenField()
{
    QFETCH(QString, field);
    QFETCH(QJsonValue, value);
    QJsonObject e = test::protocolExample(QStringLiteral("evaluation-good"));
    QCOMPARE(wire::validateEvaluation(e), QString());
    if (value.isUndefined())
        e.remove(field);
    else
        e.insert(field, value);
    const QString reason = wire::validateEvaluation(e);
    QVERIFY2(reason.contains(field), qPrintable(reason));
}

void TestProtocol::badRatingWithWrittenReason_isValid()
{
    QJsonObject e = test::protocolExample(QStringLiteral("evaluation-bad-no-reason"));
    e.insert(QStringLiteral("writingEvaluation"), QStringLiteral("等候时间太长"));
    QCOMPARE(wire::validateEvaluation(e), QString());
    e.insert(QStringLiteral("writingEvaluation"), QStringLiteral("   "));
    QVERIFY(!wire::validateEvaluation(e).isEmpty());
    e.insert(QStringLiteral("evalDetail"), QStringLiteral("501,502"));
    QCOMPARE(wire::validateEvaluation(e), QString());
}

void TestProtocol::projectNoFromQr_acceptsDocumentedForms_rejectsOthers_data()
{
    QTest::addColumn<QString>("payload");
    QTest::addColumn<QString>("projectNo");
    QTest::newRow("url") << "https://zwfw.example.gov.cn/hcp?projectNo=110105202611280001" << "110105202611280001";
    QTest::newRow("url other params") << "https://x.example/q?a=1&projectNo=AB-123456&b=2" << "AB-123456";
    QTest::newRow("json") << "{\"projectNo\":\"110105202611280001\"}" << "110105202611280001";
    QTest::newRow("bare") << "  110105202611280001 " << "110105202611280001";
    QTest::newRow("bare underscore") << "BJ_2026_000123" << "BJ_2026_000123";
    QTest::newRow("url lower-case key") << "http://x.example/q?projectno=AB-123456" << "AB-123456";
    QTest::newRow("url without projectNo") << "https://x.example/q?id=5" << "";
    QTest::newRow("too short") << "12345" << "";
    QTest::newRow("50 characters") << QString(50, QLatin1Char('7')) << QString(50, QLatin1Char('7'));
    QTest::newRow("51 characters") << QString(51, QLatin1Char('7')) << "";
    QTest::newRow("garbage") << "DROP TABLE cases;" << "";
    QTest::newRow("json injection") << "{\"projectNo\":\"1' OR 1=1\"}" << "";
}

void TestProtocol::projectNoFromQr_acceptsDocumentedForms_rejectsOthers()
{
    QFETCH(QString, payload);
    QFETCH(QString, projectNo);
    QCOMPARE(wire::projectNoFromQr(payload), projectNo);
}

void TestProtocol::fingerprint_ignoresKeyOrder_changesWithContent()
{
    const QJsonObject a = QJsonDocument::fromJson(R"({"uuid":"u","satisfaction":5,"deviceSeq":1})").object();
    const QJsonObject b = QJsonDocument::fromJson(R"({"deviceSeq":1,"uuid":"u","satisfaction":5})").object();
    const QJsonObject c = QJsonDocument::fromJson(R"({"deviceSeq":1,"uuid":"u","satisfaction":4})").object();
    QCOMPARE(wire::fingerprint(a), wire::fingerprint(b));
    QVERIFY(wire::fingerprint(a) != wire::fingerprint(c));
    QCOMPARE(wire::fingerprint(a).size(), 64);
}

void TestProtocol::requestSignature_coversMethodTargetTimeAndBody()
{
    const QByteArray key("0123456789abcdef0123456789abcdef");
    const QByteArray base = wire::requestSignature(key, "POST", "/v1/heartbeat", 1000, "{}");
    QCOMPARE(base.size(), 64);
    QCOMPARE(wire::requestSignature(key, "POST", "/v1/heartbeat", 1000, "{}"), base);
    QVERIFY(wire::requestSignature(key, "GET", "/v1/heartbeat", 1000, "{}") != base);
    QVERIFY(wire::requestSignature(key, "POST", "/v1/heartbeaT", 1000, "{}") != base);
    QVERIFY(wire::requestSignature(key, "POST", "/v1/heartbeat", 1001, "{}") != base);
    QVERIFY(wire::requestSignature(key, "POST", "/v1/heartbeat", 1000, "{ }") != base);
    QVERIFY(wire::requestSignature(key + 'x', "POST", "/v1/heartbeat", 1000, "{}") != base);
    QVERIFY(wire::constantTimeEquals(base, base));
    QVERIFY(!wire::constantTimeEquals(base, base.left(63) + 'x'));
    QVERIFY(!wire::constantTimeEquals(base, base.left(10)));
}

void TestProtocol::certKeyHash_isKeyedAndCaseInsensitive()
{
    const QString id = QStringLiteral("11010519491231002X");
    const QByteArray h = wire::certKeyHash("key-1", id);
    QCOMPARE(h.size(), 64);
    QCOMPARE(wire::certKeyHash("key-1", QStringLiteral("11010519491231002x")), h);
    QVERIFY(wire::certKeyHash("key-2", id) != h);
    QVERIFY(!h.contains("11010519491231002X"));
}

void TestProtocol::splitArrayMember_slicesMatchParsedElements()
{
    const QByteArray body = R"( { "before": {"x":[1,{"evaluations":[9]}]}, "evaluations" : [ {"a":"]}\"[{","b":[1,2]} ,)"
                            R"( {"uuid":"u2","n":-1.5e3} , 7, "s", null ] , "after": "]" } )";
    const QJsonArray parsed = QJsonDocument::fromJson(body).object().value(QLatin1String("evaluations")).toArray();
    QCOMPARE(parsed.size(), 5);
    QList<QByteArray> raw;
    QVERIFY(wire::splitArrayMember(body, "evaluations", &raw));
    QCOMPARE(raw.size(), 5);
    for (int i = 0; i < raw.size(); ++i)
        QCOMPARE(QJsonDocument::fromJson("[" + raw.at(i) + "]").array().at(0), parsed.at(i));
    QCOMPARE(raw.at(0), QByteArray(R"({"a":"]}\"[{","b":[1,2]})"));
    QVERIFY(wire::splitArrayMember(R"({"evaluations":[]})", "evaluations", &raw));
    QVERIFY(raw.isEmpty());
}

void TestProtocol::splitArrayMember_duplicateOrNonArrayMember_refused()
{
    QList<QByteArray> raw;
    QVERIFY(!wire::splitArrayMember(R"({"evaluations":[{"a":1}],"evaluations":[{"a":2}]})", "evaluations", &raw));
    QVERIFY(!wire::splitArrayMember(R"({"evaluations":{"a":1}})", "evaluations", &raw));
    QVERIFY(!wire::splitArrayMember(R"({"other":[1]})", "evaluations", &raw));
    QVERIFY(!wire::splitArrayMember(R"([{"evaluations":[1]}])", "evaluations", &raw));
    QVERIFY(!wire::splitArrayMember(R"({"evaluations":[{"a":"unterminated}])", "evaluations", &raw));
}

void TestProtocol::csvImport_quotedFieldsAndIntegers_parsed()
{
    const QByteArray csv = "\xEF\xBB\xBFprojectNo,serviceNumber,serviceName,userName,hallCode,resultDate,userProp\r\n"
                           "110105202611280001,1,\"居民身份证换领, 补领\",李华,110105000000,2026-11-28 09:20:00,1\r\n"
                           "110105202611280002,2,\"说 \"\"加急\"\"\",李华,110105000000,2026-11-28 10:00:00,x\n";
    QJsonArray cases;
    QString error;
    QVERIFY2(hub::CaseImport::parseCsv(csv, &cases, &error), qPrintable(error));
    QCOMPARE(cases.size(), 2);
    const QJsonObject first = cases.at(0).toObject();
    QCOMPARE(first.value(QLatin1String("projectNo")).toString(), QStringLiteral("110105202611280001"));
    QCOMPARE(first.value(QLatin1String("serviceName")).toString(), QStringLiteral("居民身份证换领, 补领"));
    QVERIFY(first.value(QLatin1String("serviceNumber")).isDouble());
    QCOMPARE(wire::validateCase(first), QString());
    const QJsonObject second = cases.at(1).toObject();
    QCOMPARE(second.value(QLatin1String("serviceName")).toString(), QStringLiteral("说 \"加急\""));
    QVERIFY(wire::validateCase(second).contains(QStringLiteral("userProp")));
}

void TestProtocol::csvImport_unterminatedQuote_fails()
{
    QJsonArray cases;
    QString error;
    QVERIFY(!hub::CaseImport::parseCsv("projectNo,userName\n\"abc,李华\n", &cases, &error));
    QVERIFY(!error.isEmpty());
}

QTEST_GUILESS_MAIN(TestProtocol)
#include "tst_protocol.moc"

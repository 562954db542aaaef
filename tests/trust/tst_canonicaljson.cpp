// SPDX-License-Identifier: Apache-2.0
#include "canonicaljson.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QStandardPaths>
#include <QTest>

using namespace hcp::trust;

class TestCanonicalJson : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void serialize_evaluation_sortsKeysWithoutWhitespace()
    {
        const QByteArray text = R"({ "uuid": "6f1c2a4e-8c1b-4f7e-9d55-0b7a3d1e2f01",
            "satisfaction": 5, "answers": {"q2": 3, "q1": 5}, "pf": 5,
            "assessTime": "2026-11-28 09:30:00", "userNameMasked": "李*", "publicFlag": 1 })";
        const auto out = CanonicalJson::fromJsonText(text);
        QVERIFY(out);
        QCOMPARE(*out, QByteArray(R"({"answers":{"q1":5,"q2":3},"assessTime":"2026-11-28 09:30:00",)"
                                  R"("pf":5,"publicFlag":1,"satisfaction":5,)"
                                  R"("userNameMasked":"李*","uuid":"6f1c2a4e-8c1b-4f7e-9d55-0b7a3d1e2f01"})"));
    }

    void serialize_sameValueDifferentText_givesSameBytes()
    {
        const auto a = CanonicalJson::fromJsonText(R"({"b":[1, 2.0, -0],"a":{"y":null,"x":true}})");
        const auto b = CanonicalJson::fromJsonText("{\n \"a\" : {\"x\":true,\"y\":null},\n\"b\":[1e0,2,0]}");
        QVERIFY(a);
        QVERIFY(b);
        QCOMPARE(*a, *b);
        QCOMPARE(*a, QByteArray(R"({"a":{"x":true,"y":null},"b":[1,2,0]})"));
    }

    void serialize_strings_escapeOnlyQuoteBackslashAndControls()
    {
        QJsonObject o;
        o.insert(QStringLiteral("s"), QStringLiteral("a\"b\\c/d\b\f\n\r\t") + QChar(0x01) + QChar(0x1f)
                                          + QChar(0x7f) + QStringLiteral("评价"));
        const auto out = CanonicalJson::serialize(o);
        QVERIFY(out);
        QCOMPARE(*out, QByteArray("{\"s\":\"a\\\"b\\\\c/d\\b\\f\\n\\r\\t\\u0001\\u001f\x7f") + QStringLiteral("评价").toUtf8()
                           + QByteArray("\"}"));
    }

    void serialize_keysSortByUtf16CodeUnits()
    {
        QJsonObject o;
        o.insert(QStringLiteral("b"), 1);
        o.insert(QStringLiteral("B"), 2);
        o.insert(QStringLiteral("满意"), 3);
        o.insert(QStringLiteral("a1"), 4);
        o.insert(QStringLiteral("a"), 5);
        const auto out = CanonicalJson::serialize(o);
        QVERIFY(out);
        QCOMPARE(*out, QByteArray(R"({"B":2,"a":5,"a1":4,"b":1,)") + QStringLiteral("\"满意\":3}").toUtf8());
    }

    void serialize_integersAtTheSafeLimit_areExact()
    {
        const auto out = CanonicalJson::fromJsonText(R"({"max":9007199254740991,"min":-9007199254740991})");
        QVERIFY(out);
        QCOMPARE(*out, QByteArray(R"({"max":9007199254740991,"min":-9007199254740991})"));
    }

    void serialize_fractionOrHugeNumber_isRefused_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::newRow("fraction") << QByteArray(R"({"x":1.5})");
        QTest::newRow("beyond 2^53") << QByteArray(R"({"x":9007199254740993})");
        QTest::newRow("exponent") << QByteArray(R"({"x":1e300})");
        QTest::newRow("nested fraction") << QByteArray(R"({"a":[{"b":0.1}]})");
    }

    void serialize_fractionOrHugeNumber_isRefused()
    {
        QFETCH(QByteArray, json);
        QString error;
        QVERIFY(!CanonicalJson::fromJsonText(json, &error));
        QVERIFY(!error.isEmpty());
    }

    void serialize_loneSurrogate_isRefused()
    {
        QJsonObject o;
        o.insert(QStringLiteral("s"), QString(QChar(0xd800)));
        QVERIFY(!CanonicalJson::serialize(o));
    }

    void fromJsonText_notAnObject_isRefused()
    {
        QVERIFY(!CanonicalJson::fromJsonText("[1,2]"));
        QVERIFY(!CanonicalJson::fromJsonText("{broken"));
    }

    void serialize_deepNesting_isRefused()
    {
        QJsonValue v = QJsonObject{{QStringLiteral("leaf"), 1}};
        for (int i = 0; i < 80; ++i)
            v = QJsonArray{v};
        QVERIFY(!CanonicalJson::serialize(QJsonObject{{QStringLiteral("deep"), v}}));
    }
};

QTEST_GUILESS_MAIN(TestCanonicalJson)
#include "tst_canonicaljson.moc"

// SPDX-License-Identifier: Apache-2.0
// The pad's "rate now" trigger over real HTTP on loopback: token, loopback-only binding,
// malformed bodies with their reason, and the event that reaches the pad.
#include "padtrigger.h"

#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkInterface>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>

using hcp::kiosk::PadTrigger;
using hcp::sync::RateNowEvent;

class TestPadTrigger : public QObject {
    Q_OBJECT
    QNetworkAccessManager m_nam;

    struct Answer { int status = 0; QJsonObject body; };
    Answer post(quint16 port, const QByteArray &body, const QByteArray &auth, const QString &path = QStringLiteral("/rate-now"))
    {
        QNetworkRequest req(QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(port).arg(path)));
        req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        if (!auth.isNull())
            req.setRawHeader("Authorization", auth);
        QNetworkReply *r = m_nam.post(req, body);
        QSignalSpy done(r, &QNetworkReply::finished);
        if (!r->isFinished())
            done.wait(5000);
        Answer a;
        a.status = r->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        a.body = QJsonDocument::fromJson(r->readAll()).object();
        r->deleteLater();
        return a;
    }
    static QByteArray event()
    {
        return R"({"projectNo":"110105202611280001","serviceNumber":1,"staffNo":"S0012","staffName":"王芳","windowNo":"A03"})";
    }

private Q_SLOTS:
    void initTestCase() { qRegisterMetaType<RateNowEvent>(); }

    void validTokenAndEvent_202_eventEmitted()
    {
        PadTrigger trigger;
        trigger.setToken("tok-A03");
        const quint16 port = trigger.listen(0);
        QVERIFY(port > 0);
        QSignalSpy spy(&trigger, &PadTrigger::rateNowRequested);
        const Answer a = post(port, event(), "Bearer tok-A03");
        QCOMPARE(a.status, 202);
        QCOMPARE(a.body.value(QLatin1String("accepted")).toBool(), true);
        QCOMPARE(spy.size(), 1);
        const auto e = spy.at(0).at(0).value<RateNowEvent>();
        QCOMPARE(e.projectNo, QStringLiteral("110105202611280001"));
        QCOMPARE(e.serviceNumber, 1);
        QCOMPARE(e.staffName, QStringLiteral("王芳"));
        QCOMPARE(e.windowNo, QStringLiteral("A03"));
    }

    void wrongMissingOrPrefixToken_401_nothingEmitted_data()
    {
        QTest::addColumn<QByteArray>("auth");
        QTest::newRow("missing") << QByteArray();
        QTest::newRow("wrong") << QByteArray("Bearer tok-A04");
        QTest::newRow("prefix of the token") << QByteArray("Bearer tok-A0");
        QTest::newRow("longer") << QByteArray("Bearer tok-A03x");
        QTest::newRow("no scheme") << QByteArray("tok-A03");
    }
    void wrongMissingOrPrefixToken_401_nothingEmitted()
    {
        QFETCH(QByteArray, auth);
        PadTrigger trigger;
        trigger.setToken("tok-A03");
        const quint16 port = trigger.listen(0);
        QSignalSpy spy(&trigger, &PadTrigger::rateNowRequested);
        const Answer a = post(port, event(), auth);
        QCOMPARE(a.status, 401);
        QCOMPARE(a.body.value(QLatin1String("error")).toString(), QStringLiteral("unauthenticated"));
        QCOMPARE(spy.size(), 0);
    }

    void malformedBodies_400_withReason_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("reason");
        QTest::newRow("not JSON") << QByteArray("{\"projectNo\":") << "JSON";
        QTest::newRow("array") << QByteArray("[]") << "JSON";
        QTest::newRow("short projectNo") << QByteArray(R"({"projectNo":"12","serviceNumber":1,"staffNo":"S1","staffName":"王芳","windowNo":"A03"})") << "projectNo";
        QTest::newRow("serviceNumber text") << QByteArray(R"({"projectNo":"110105202611280001","serviceNumber":"1","staffNo":"S1","staffName":"王芳","windowNo":"A03"})") << "serviceNumber";
        QTest::newRow("serviceNumber 0") << QByteArray(R"({"projectNo":"110105202611280001","serviceNumber":0,"staffNo":"S1","staffName":"王芳","windowNo":"A03"})") << "serviceNumber";
        QTest::newRow("no staffName") << QByteArray(R"({"projectNo":"110105202611280001","serviceNumber":1,"staffNo":"S1","windowNo":"A03"})") << "staffName";
        QTest::newRow("blank windowNo") << QByteArray(R"({"projectNo":"110105202611280001","serviceNumber":1,"staffNo":"S1","staffName":"王芳","windowNo":"  "})") << "windowNo";
        QTest::newRow("control char") << QByteArray("{\"projectNo\":\"110105202611280001\",\"serviceNumber\":1,\"staffNo\":\"S1\",\"staffName\":\"王\\u0007芳\",\"windowNo\":\"A03\"}") << "control";
    }
    void malformedBodies_400_withReason()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, reason);
        PadTrigger trigger;
        trigger.setToken("tok-A03");
        const quint16 port = trigger.listen(0);
        QSignalSpy spy(&trigger, &PadTrigger::rateNowRequested);
        const Answer a = post(port, body, "Bearer tok-A03");
        QCOMPARE(a.status, 400);
        QCOMPARE(a.body.value(QLatin1String("error")).toString(), QStringLiteral("bad_request"));
        QVERIFY2(a.body.value(QLatin1String("message")).toString().contains(reason), qPrintable(a.body.value(QLatin1String("message")).toString()));
        QCOMPARE(spy.size(), 0);
    }

    void boundToLoopbackOnly_otherAddressesRefuseConnections()
    {
        PadTrigger trigger;
        trigger.setToken("tok-A03");
        const quint16 port = trigger.listen(0);
        QVERIFY(port > 0);
        const QList<QHostAddress> bound = trigger.boundAddresses();
        QVERIFY(!bound.isEmpty());
        for (const QHostAddress &a : bound)
            QCOMPARE(a, QHostAddress(QHostAddress::LocalHost));
        // Every non-loopback address of this machine: nothing listens there.
        for (const QHostAddress &a : QNetworkInterface::allAddresses()) {
            if (a.isLoopback() || a.protocol() != QAbstractSocket::IPv4Protocol)
                continue;
            QTcpSocket s;
            s.connectToHost(a, port);
            QVERIFY2(!s.waitForConnected(2000), qPrintable(a.toString()));
        }
        QCOMPARE(post(port, event(), "Bearer tok-A03", QStringLiteral("/other")).status, 404);
    }

    void noToken_triggerStaysClosed()
    {
        PadTrigger trigger;
        QCOMPARE(trigger.listen(0), quint16(0));
        QVERIFY(trigger.boundAddresses().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestPadTrigger)
#include "tst_padtrigger.moc"

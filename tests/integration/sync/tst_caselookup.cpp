// SPDX-License-Identifier: Apache-2.0
// Case lookup: online at the real hub, from the cache when the hub is slow or down, and the
// messages when a case is found nowhere.
#include "casecache.h"
#include "caselookup.h"
#include "hubclient.h"
#include "hubprocess.h"
#include "wire.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace hcp::sync;
using namespace hcp::sync::test;

Q_DECLARE_METATYPE(hcp::sync::CaseLookup::Source)

class TestCaseLookup : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void init();

    void online_byProjectNoAndName_foundAtHubAndCached();
    void online_unknownCase_notFoundWithMessage();
    void slowHub_timesOut_answersFromCacheWithinDeadline();
    void hubDown_qrFromCache_idNumberNotLookedUp();
    void hubDown_caseNowhere_notFoundWithOfflineMessage();
    void unreadableQr_notFoundWithoutAskingHub();

private:
    QTemporaryDir m_dir;
    HubProcess m_hub;
    DeviceCredentials m_creds;
    std::unique_ptr<CaseCache> m_cache;
    int m_cacheNo = 0;
};

void TestCaseLookup::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    qRegisterMetaType<CaseLookup::Source>();
    QVERIFY2(m_hub.start(m_dir.filePath(QStringLiteral("hub.sqlite"))), qPrintable(m_hub.output()));
    m_creds = enroll(m_hub.url(), QStringLiteral("KIOSK-LOOKUP-0001"));
    QVERIFY(m_creds.isValid());
    QJsonObject c = protocolExample(QStringLiteral("case"));
    c.remove(QStringLiteral("certKeyHash"));
    c.insert(QStringLiteral("certNo"), QStringLiteral("11010519491231002X"));
    QCOMPARE(adminSend(m_hub.url(), "POST", QStringLiteral("/v1/admin/cases"),
                       QJsonObject{{QStringLiteral("cases"), QJsonArray{c}}}), 200);
}

void TestCaseLookup::cleanupTestCase()
{
    m_hub.kill();
}

void TestCaseLookup::init()
{
    m_cache = std::make_unique<CaseCache>();
    QString error;
    QVERIFY(m_cache->open(m_dir.filePath(QStringLiteral("cache%1.sqlite").arg(++m_cacheNo)), &error));
}

void TestCaseLookup::online_byProjectNoAndName_foundAtHubAndCached()
{
    HubClient client;
    client.setCredentials(m_creds);
    CaseLookup lookup(&client, m_cache.get());
    QSignalSpy found(&lookup, &CaseLookup::casesFound);
    const int ticket = lookup.lookupByProjectNo(QStringLiteral(" 110105202611280001 "), QStringLiteral("李华"));
    QTRY_COMPARE(found.count(), 1);
    QCOMPARE(found.first().at(0).toInt(), ticket);
    const QJsonArray cases = found.first().at(1).toJsonArray();
    QCOMPARE(cases.size(), 1);
    QCOMPARE(cases.at(0).toObject().value(QLatin1String("serviceName")).toString(), QStringLiteral("居民身份证换领"));
    QCOMPARE(found.first().at(2).value<CaseLookup::Source>(), CaseLookup::Source::Hub);
    // Cached, with the keyed hash and never the plain number.
    QCOMPARE(m_cache->count(), 1);
    const QByteArray hash = hubIdHash(m_creds, QStringLiteral("11010519491231002X")).toLatin1();
    QCOMPARE(hash.size(), 64);
    QCOMPARE(m_cache->findByCertKeyHash(hash).size(), 1);
}

void TestCaseLookup::online_unknownCase_notFoundWithMessage()
{
    HubClient client;
    client.setCredentials(m_creds);
    CaseLookup lookup(&client, m_cache.get());
    QSignalSpy notFound(&lookup, &CaseLookup::notFound);
    QSignalSpy found(&lookup, &CaseLookup::casesFound);
    const int ticket = lookup.lookupByProjectNo(QStringLiteral("110105202611280001"), QStringLiteral("张三"));
    QTRY_COMPARE(notFound.count(), 1);
    QCOMPARE(notFound.first().at(0).toInt(), ticket);
    QVERIFY(notFound.first().at(1).toString().contains(QStringLiteral("未找到")));
    QCOMPARE(found.count(), 0);
}

void TestCaseLookup::slowHub_timesOut_answersFromCacheWithinDeadline()
{
    QJsonObject cached = protocolExample(QStringLiteral("case"));
    QVERIFY(m_cache->upsert(QJsonArray{cached}));

    // A "hub" that accepts connections and never answers.
    QTcpServer slow;
    QVERIFY(slow.listen(QHostAddress::LocalHost));
    QList<QTcpSocket *> held;
    connect(&slow, &QTcpServer::newConnection, this, [&] { held.append(slow.nextPendingConnection()); });
    DeviceCredentials creds = m_creds;
    creds.hubUrl = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(slow.serverPort()));
    HubClient client;
    client.setCredentials(creds);
    client.setLookupTimeoutMs(300);
    CaseLookup lookup(&client, m_cache.get());
    QSignalSpy found(&lookup, &CaseLookup::casesFound);
    QElapsedTimer timer;
    timer.start();
    lookup.lookupByProjectNo(QStringLiteral("110105202611280001"), QStringLiteral("李华"));
    QTRY_COMPARE_WITH_TIMEOUT(found.count(), 1, 3000);
    const qint64 elapsed = timer.elapsed();
    QVERIFY2(elapsed >= 290 && elapsed < 1500, qPrintable(QString::number(elapsed)));
    QCOMPARE(found.first().at(2).value<CaseLookup::Source>(), CaseLookup::Source::Cache);
    QVERIFY(!held.isEmpty()); // the request really reached the slow hub
    QVERIFY(!client.isOnline());
}

void TestCaseLookup::hubDown_qrFromCache_idNumberNotLookedUp()
{
    // The kiosk holds no ID-hash key (PROTOCOL §5a): offline, a card finds nothing, even a case
    // the cache holds with its hash; the QR still finds it in the cache.
    QJsonObject cached = protocolExample(QStringLiteral("case"));
    cached.insert(QStringLiteral("certKeyHash"), hubIdHash(m_creds, QStringLiteral("11010519491231002X")));
    QVERIFY(m_cache->upsert(QJsonArray{cached}));
    QTcpServer probe; // a port nobody listens on
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    const quint16 deadPort = probe.serverPort();
    probe.close();
    DeviceCredentials creds = m_creds;
    creds.hubUrl = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(deadPort));
    HubClient client;
    client.setCredentials(creds);
    CaseLookup lookup(&client, m_cache.get());
    QSignalSpy found(&lookup, &CaseLookup::casesFound);
    QSignalSpy notFound(&lookup, &CaseLookup::notFound);
    lookup.lookupByQr(QStringLiteral("https://zwfw.example.gov.cn/hcp?projectNo=110105202611280001"));
    const int byCard = lookup.lookupByIdNumber(QStringLiteral("11010519491231002x"));
    QTRY_COMPARE(found.count() + notFound.count(), 2);
    QCOMPARE(found.count(), 1);
    QCOMPARE(found.first().at(2).value<CaseLookup::Source>(), CaseLookup::Source::Cache);
    QCOMPARE(found.first().at(1).toJsonArray().at(0).toObject().value(QLatin1String("projectNo")).toString(),
             QStringLiteral("110105202611280001"));
    QCOMPARE(notFound.first().at(0).toInt(), byCard);
    QVERIFY(notFound.first().at(1).toString().contains(QStringLiteral("办件编号")));
}

void TestCaseLookup::hubDown_caseNowhere_notFoundWithOfflineMessage()
{
    DeviceCredentials creds = m_creds;
    creds.hubUrl = QUrl(QStringLiteral("http://127.0.0.1:1"));
    HubClient client;
    client.setCredentials(creds);
    CaseLookup lookup(&client, m_cache.get());
    QSignalSpy notFound(&lookup, &CaseLookup::notFound);
    lookup.lookupByProjectNo(QStringLiteral("110105209999999999"), QStringLiteral("李华"));
    QTRY_COMPARE(notFound.count(), 1);
    QVERIFY(notFound.first().at(1).toString().contains(QStringLiteral("暂时无法连接")));
}

void TestCaseLookup::unreadableQr_notFoundWithoutAskingHub()
{
    HubClient client;
    client.setCredentials(m_creds);
    CaseLookup lookup(&client, m_cache.get());
    QSignalSpy notFound(&lookup, &CaseLookup::notFound);
    lookup.lookupByQr(QStringLiteral("WIFI:S:hall;T:WPA;P:secret;;"));
    QTRY_COMPARE(notFound.count(), 1);
    QVERIFY(notFound.first().at(1).toString().contains(QStringLiteral("二维码")));
    QVERIFY(!client.isOnline()); // nothing was sent
}

QTEST_GUILESS_MAIN(TestCaseLookup)
#include "tst_caselookup.moc"

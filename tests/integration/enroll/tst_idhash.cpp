// SPDX-License-Identifier: Apache-2.0
// Issue 13, found item 4: with `certKey` a cached hash was reversed to the ID number in 4.3 s.
// The key now never leaves the hub (PROTOCOL §5a): no kiosk-facing answer carries it, and the
// kiosk asks the hub to hash through a signed, replay-protected, throttled POST /v1/idhash.
// Against a real hcp-hub process, as a kiosk and as an attacker replaying or flooding it.
#include "crypto.h"
#include "deviceidentity.h"
#include "hubprocess.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace hcp;
using namespace hcp::sync;
using namespace hcp::sync::test;

namespace {

QByteArray idBody(const QString &id)
{
    return QJsonDocument(QJsonObject{{QStringLiteral("idNumber"), id}}).toJson(QJsonDocument::Compact);
}

} // namespace

class TestIdHash : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void kioskFacingAnswers_carryNoCertKey();
    void signedHash_findsTheCaseImportedWithItsIdNumber();
    void unsignedOrStaleOrReplayed_refused401();
    void malformedIdNumber_refused400();
    void burst_throttled429WithRetryAfter_oneAlert();
    void hubRestart_keepsTheSpentAllowance_configuredLimitApplies();

private:
    // One signed POST /v1/idhash for id; the status.
    int askHash(const QString &id, qint64 t, QByteArray *answer, QList<QPair<QByteArray, QByteArray>> *headers = nullptr);

    QTemporaryDir m_dir;
    HubProcess m_hub;
    trust::Key m_key = trust::Key::generate(trust::KeyType::Sm2);
    DeviceCredentials m_creds;
    QByteArray m_enrollAnswer;
    QByteArray m_certKeyHex; // read from the hub's database: what must never leave it
};

void TestIdHash::initTestCase()
{
    QVERIFY(m_dir.isValid());
    const QString db = m_dir.filePath(QStringLiteral("hub.sqlite"));
    QVERIFY2(m_hub.start(db), qPrintable(m_hub.output()));
    const QJsonObject request{{QStringLiteral("enrollToken"), QLatin1String(kEnrollToken)},
                              {QStringLiteral("deviceId"), QStringLiteral("KIOSK-IDH-0001")},
                              {QStringLiteral("hallCode"), QLatin1String(kHall)},
                              {QStringLiteral("deviceClass"), QStringLiteral("terminal")},
                              {QStringLiteral("devicePublicKey"), QString::fromLatin1(m_key.publicPem())}};
    QCOMPARE(httpRequest(m_hub.url().resolved(QUrl(QStringLiteral("/v1/enroll"))), "POST",
                         QJsonDocument(request).toJson(QJsonDocument::Compact), &m_enrollAnswer),
             201);
    m_creds = DeviceCredentials::fromJson(QJsonDocument::fromJson(m_enrollAnswer).object());
    m_creds.hubUrl = m_hub.url();
    m_creds.deviceKeyFingerprint = trust::DeviceIdentity::fingerprintOf(m_key);
    QVERIFY(m_creds.isValid());
    {
        QSqlDatabase hubDb = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("peek"));
        hubDb.setDatabaseName(db);
        QVERIFY(hubDb.open());
        QSqlQuery q(hubDb);
        QVERIFY(q.exec(QStringLiteral("SELECT value FROM hub_meta WHERE key = 'cert_key'")) && q.next());
        m_certKeyHex = q.value(0).toString().toLatin1().toLower();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("peek"));
    QCOMPARE(m_certKeyHex.size(), 64);
    QJsonObject c = protocolExample(QStringLiteral("case"));
    c.remove(QStringLiteral("certKeyHash"));
    c.insert(QStringLiteral("certNo"), QStringLiteral("11010519491231002X"));
    c.insert(QStringLiteral("hallCode"), QLatin1String(kHall));
    QCOMPARE(adminSend(m_hub.url(), "POST", QStringLiteral("/v1/admin/cases"),
                       QJsonObject{{QStringLiteral("cases"), QJsonArray{c}}}),
             200);
}

void TestIdHash::kioskFacingAnswers_carryNoCertKey()
{
    QVERIFY2(!m_enrollAnswer.contains("\"certKey\""), m_enrollAnswer.constData());
    QVERIFY(!m_enrollAnswer.toLower().contains(m_certKeyHex));
    QVERIFY(!m_creds.toJson().contains(QLatin1String("certKey")));
    // Every answer a kiosk gets: feed, lookups, heartbeat, config, the hash itself.
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const QList<std::tuple<QByteArray, QString, QByteArray>> requests{
        {"GET", QStringLiteral("/v1/cases/feed?cursor=0&limit=100"), {}},
        {"GET", QStringLiteral("/v1/cases/lookup?qr=110105202611280001"), {}},
        {"GET", QStringLiteral("/v1/config"), {}},
        {"POST", QStringLiteral("/v1/heartbeat"),
         QJsonDocument(QJsonObject{{QStringLiteral("kioskTimeMs"), now}}).toJson(QJsonDocument::Compact)},
        {"POST", QStringLiteral("/v1/idhash"), idBody(QStringLiteral("11010519491231002X"))},
    };
    qint64 t = now;
    int answered = 0;
    for (const auto &[method, target, body] : requests) {
        QByteArray answer;
        const int status = signedRequest(m_hub.url(), m_creds, m_key, method, target, ++t, body, &answer);
        QVERIFY2(status > 0 && status < 500, qPrintable(target));
        answered += status == 200;
        QVERIFY2(!answer.contains("\"certKey\"") && !answer.toLower().contains(m_certKeyHex),
                 qPrintable(target + QLatin1Char(' ') + QString::fromUtf8(answer)));
    }
    QVERIFY(answered >= 4); // config may be 404 (none published)
}

void TestIdHash::signedHash_findsTheCaseImportedWithItsIdNumber()
{
    // Lower-case x, spaces: the hub normalises as the import did.
    const QString hash = hubIdHash(m_creds, QStringLiteral(" 11010519491231002x "), m_key);
    QCOMPARE(hash.size(), 64);
    QByteArray answer;
    QCOMPARE(signedRequest(m_hub.url(), m_creds, m_key, "GET", QStringLiteral("/v1/cases/lookup?certKeyHash=") + hash,
                           QDateTime::currentMSecsSinceEpoch(), {}, &answer),
             200);
    QCOMPARE(QJsonDocument::fromJson(answer).object().value(QLatin1String("cases")).toArray().size(), 1);
    QVERIFY(hubIdHash(m_creds, QStringLiteral("440524188001010014"), m_key) != hash);
}

void TestIdHash::unsignedOrStaleOrReplayed_refused401()
{
    const QUrl url = m_hub.url().resolved(QUrl(QStringLiteral("/v1/idhash")));
    QByteArray answer;
    QCOMPARE(httpRequest(url, "POST", idBody(QStringLiteral("11010519491231002X")), &answer), 401);
    QVERIFY(!answer.contains("certKeyHash"));
    // Signed by another key under this device's id.
    const trust::Key stranger = trust::Key::generate(trust::KeyType::Sm2);
    QCOMPARE(signedRequest(m_hub.url(), m_creds, stranger, "POST", QStringLiteral("/v1/idhash"),
                           QDateTime::currentMSecsSinceEpoch(), idBody(QStringLiteral("11010519491231002X")), &answer),
             401);
    // Signed an hour ago.
    QCOMPARE(signedRequest(m_hub.url(), m_creds, m_key, "POST", QStringLiteral("/v1/idhash"),
                           QDateTime::currentMSecsSinceEpoch() - 3600 * 1000, idBody(QStringLiteral("11010519491231002X")),
                           &answer),
             401);
    QCOMPARE(QJsonDocument::fromJson(answer).object().value(QLatin1String("error")).toString(),
             QStringLiteral("stale_request"));
    // A captured request sent again (same time, same body, same signature): answered once.
    const qint64 t = QDateTime::currentMSecsSinceEpoch();
    QByteArray signature;
    QCOMPARE(signedRequest(m_hub.url(), m_creds, m_key, "POST", QStringLiteral("/v1/idhash"), t,
                           idBody(QStringLiteral("330102195803120047")), &answer, &signature),
             200);
    QCOMPARE(httpRequest(url, "POST", idBody(QStringLiteral("330102195803120047")), &answer,
                         {{"X-HCP-Device", m_creds.deviceId.toUtf8()},
                          {"X-HCP-Time", QByteArray::number(t)},
                          {"X-HCP-Key", trust::DeviceIdentity::fingerprintOf(m_key).toLatin1()},
                          {"X-HCP-Signature", signature}}),
             401);
    QCOMPARE(QJsonDocument::fromJson(answer).object().value(QLatin1String("error")).toString(), QStringLiteral("replayed"));
}

void TestIdHash::malformedIdNumber_refused400()
{
    QByteArray answer;
    for (const QString &bad : {QStringLiteral(""), QStringLiteral("1101051949"), QStringLiteral("11010519491231002Y"),
                               QStringLiteral("李华")}) {
        QCOMPARE(signedRequest(m_hub.url(), m_creds, m_key, "POST", QStringLiteral("/v1/idhash"),
                               QDateTime::currentMSecsSinceEpoch(), idBody(bad), &answer),
                 400);
        QVERIFY(!answer.contains("certKeyHash"));
    }
}

void TestIdHash::burst_throttled429WithRetryAfter_oneAlert()
{
    // A kiosk reads a card every few seconds; an oracle sweep asks for thousands. The default
    // allowance (30 per minute, already partly used above) runs out within this burst.
    int ok = 0, throttled = 0;
    QList<QPair<QByteArray, QByteArray>> lastHeaders;
    for (int i = 0; i < 60; ++i) {
        const QString id = QStringLiteral("1101051949%1").arg(10000000 + i).left(17) + QLatin1Char('X');
        QByteArray answer;
        QList<QPair<QByteArray, QByteArray>> headers;
        const int status = askHash(id, QDateTime::currentMSecsSinceEpoch() + i, &answer, &headers);
        if (status == 200) {
            QCOMPARE(throttled, 0); // once throttled, it stays throttled within the window
            ++ok;
        } else {
            QCOMPARE(status, 429);
            QCOMPARE(QJsonDocument::fromJson(answer).object().value(QLatin1String("error")).toString(),
                     QStringLiteral("rate_limited"));
            QVERIFY(!answer.contains("certKeyHash"));
            lastHeaders = headers;
            ++throttled;
        }
    }
    QVERIFY2(ok < 30 && throttled > 30, qPrintable(QStringLiteral("%1 answered, %2 throttled").arg(ok).arg(throttled)));
    bool retryAfter = false;
    for (const auto &h : lastHeaders)
        retryAfter = retryAfter || (h.first.compare("Retry-After", Qt::CaseInsensitive) == 0 && h.second.toInt() >= 1);
    QVERIFY(retryAfter);
    int floods = 0;
    for (const QJsonValue &a : tamperAlerts(m_hub.url()))
        floods += a.toObject().value(QLatin1String("kind")).toString() == QLatin1String("idhash-flood");
    QCOMPARE(floods, 1);
    qInfo("burst of 60: %d answered, %d refused with 429", ok, throttled);
}

void TestIdHash::hubRestart_keepsTheSpentAllowance_configuredLimitApplies()
{
    // Found: the answer times lived in the hub's memory, so restarting it (or asking a second
    // hub) refilled a sweeping device's allowance. Spent above, still spent after a restart.
    QVERIFY2(m_hub.restart(), qPrintable(m_hub.output()));
    QByteArray answer;
    QCOMPARE(askHash(QStringLiteral("11010519800101123X"), QDateTime::currentMSecsSinceEpoch(), &answer), 429);
    QVERIFY(!answer.contains("certKeyHash"));
    // A hub configured for a larger allowance answers again within the same window.
    QVERIFY2(m_hub.start(m_dir.filePath(QStringLiteral("hub.sqlite")), 0, {QStringLiteral("--idhash-limit"), QStringLiteral("200")}),
             qPrintable(m_hub.output()));
    m_creds.hubUrl = m_hub.url();
    QCOMPARE(askHash(QStringLiteral("11010519800101124X"), QDateTime::currentMSecsSinceEpoch(), &answer), 200);
    QVERIFY(answer.contains("certKeyHash"));
    // And one configured for a smaller one refuses at once.
    QVERIFY2(m_hub.start(m_dir.filePath(QStringLiteral("hub.sqlite")), 0, {QStringLiteral("--idhash-limit"), QStringLiteral("5")}),
             qPrintable(m_hub.output()));
    m_creds.hubUrl = m_hub.url();
    QCOMPARE(askHash(QStringLiteral("11010519800101125X"), QDateTime::currentMSecsSinceEpoch(), &answer), 429);
    QVERIFY(QJsonDocument::fromJson(answer).object().value(QLatin1String("message")).toString().contains(QLatin1String("at most 5")));
}

int TestIdHash::askHash(const QString &id, qint64 t, QByteArray *answer, QList<QPair<QByteArray, QByteArray>> *headers)
{
    const QByteArray body = idBody(id);
    const QByteArray signature =
        trust::Crypto::sign(m_key, trust::DeviceIdentity::requestSigningInput("POST", "/v1/idhash", t, body))
            .value_or(QByteArray())
            .toBase64();
    QList<QPair<QByteArray, QByteArray>> got;
    const int status = httpRequest(m_hub.url().resolved(QUrl(QStringLiteral("/v1/idhash"))), "POST", body, answer,
                                   {{"X-HCP-Device", m_creds.deviceId.toUtf8()},
                                    {"X-HCP-Time", QByteArray::number(t)},
                                    {"X-HCP-Key", trust::DeviceIdentity::fingerprintOf(m_key).toLatin1()},
                                    {"X-HCP-Signature", signature}},
                                   10000, &got);
    if (headers)
        *headers = got;
    return status;
}

QTEST_GUILESS_MAIN(TestIdHash)
#include "tst_idhash.moc"

// SPDX-License-Identifier: Apache-2.0
// Issue 13, found item 4 (wipe and re-enroll): an enrolled device id offered with a new key gets
// no credentials until an admin approved it in the console (PROTOCOL §3b). Against a real
// hcp-hub process, as the attacker (a wiped kiosk, or anyone who knows a device id and holds an
// enrollment token) and as console users of each role.
#include "crypto.h"
#include "deviceidentity.h"
#include "grievancesupport.h"
#include "hubprocess.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace hcp;
using namespace hcp::sync;
using namespace hcp::sync::test;
namespace g = hcp::sync::test::grievance;

namespace {

// POST /v1/enroll for deviceId with key's public key and the test token; status, body in *out.
int enrollKey(const QUrl &hub, const QString &deviceId, const trust::Key &key, QJsonObject *out)
{
    const QJsonObject request{{QStringLiteral("enrollToken"), QLatin1String(kEnrollToken)},
                              {QStringLiteral("deviceId"), deviceId},
                              {QStringLiteral("hallCode"), QLatin1String(kHall)},
                              {QStringLiteral("deviceClass"), QStringLiteral("terminal")},
                              {QStringLiteral("devicePublicKey"), QString::fromLatin1(key.publicPem())}};
    QByteArray body;
    const int status = httpRequest(hub.resolved(QUrl(QStringLiteral("/v1/enroll"))), "POST",
                                   QJsonDocument(request).toJson(QJsonDocument::Compact), &body);
    *out = QJsonDocument::fromJson(body).object();
    return status;
}

// A signed heartbeat as deviceId with key: 200 while the hub holds that key.
int heartbeatWith(const QUrl &hub, const QString &deviceId, const trust::Key &key)
{
    DeviceCredentials c;
    c.deviceId = deviceId;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    return signedRequest(hub, c, key, "POST", QStringLiteral("/v1/heartbeat"), now,
                         QJsonDocument(QJsonObject{{QStringLiteral("kioskTimeMs"), now}}).toJson(QJsonDocument::Compact));
}

QStringList alertKinds(const QUrl &hub, const QString &deviceId)
{
    QStringList kinds;
    for (const QJsonValue &a : tamperAlerts(hub))
        if (a.toObject().value(QLatin1String("deviceId")).toString() == deviceId)
            kinds << a.toObject().value(QLatin1String("kind")).toString();
    return kinds;
}

} // namespace

class TestReEnroll : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void newKeyForKnownId_pending202WithoutCredentials_alertRaised_oldKeyStillWorks();
    void viewer_cannotApprove403_pendingStays();
    void adminApproves_nextEnrollGetsCredentials_oldKeyRefused_decisionAudited();
    void rejected_staysRefused403_neverCredentials();
    void adminToken_listsAndDecides_asAdminToken();

private:
    QTemporaryDir m_dir;
    HubProcess m_hub;
    QByteArray m_admin;
    QByteArray m_viewer;
    trust::Key m_honest = trust::Key::generate(trust::KeyType::Sm2);
    trust::Key m_wiped = trust::Key::generate(trust::KeyType::Sm2);
    qint64 m_requestId = 0;
};

void TestReEnroll::initTestCase()
{
    QVERIFY(m_dir.isValid());
    const QString db = m_dir.filePath(QStringLiteral("hub.sqlite"));
    QVERIFY(g::addUser(db, QStringLiteral("ops"), QStringLiteral("admin"), QStringLiteral("ops-password")));
    QVERIFY(g::addUser(db, QStringLiteral("look"), QStringLiteral("viewer"), QStringLiteral("look-password")));
    QVERIFY2(m_hub.start(db), qPrintable(m_hub.output()));
    m_admin = g::login(m_hub.url(), QStringLiteral("ops"), QStringLiteral("ops-password"));
    m_viewer = g::login(m_hub.url(), QStringLiteral("look"), QStringLiteral("look-password"));
    QVERIFY(!m_admin.isEmpty() && !m_viewer.isEmpty());
    QVERIFY(enrollWithKey(m_hub.url(), QStringLiteral("KIOSK-RE-0001"), m_honest).isValid());
    QVERIFY(enrollWithKey(m_hub.url(), QStringLiteral("KIOSK-RE-0002"), m_honest).isValid());
}

void TestReEnroll::newKeyForKnownId_pending202WithoutCredentials_alertRaised_oldKeyStillWorks()
{
    QJsonObject answer;
    for (int attempt = 0; attempt < 3; ++attempt) {
        const int status = enrollKey(m_hub.url(), QStringLiteral("KIOSK-RE-0001"), m_wiped, &answer);
        QVERIFY2(status == 202, QJsonDocument(answer).toJson().constData());
        QCOMPARE(answer.value(QLatin1String("status")).toString(), QStringLiteral("pending"));
        QVERIFY2(!answer.contains(QLatin1String("deviceSecret")) && !answer.contains(QLatin1String("hubPublicKey")),
                 QJsonDocument(answer).toJson().constData());
    }
    m_requestId = answer.value(QLatin1String("requestId")).toInteger();
    QVERIFY(m_requestId > 0);
    const QStringList kinds = alertKinds(m_hub.url(), QStringLiteral("KIOSK-RE-0001"));
    QCOMPARE(kinds.count(QStringLiteral("reenroll-requested")), 1); // one per offered key, not per attempt
    QVERIFY(kinds.contains(QStringLiteral("new-identity")));
    QCOMPARE(heartbeatWith(m_hub.url(), QStringLiteral("KIOSK-RE-0001"), m_honest), 200);
    QCOMPARE(heartbeatWith(m_hub.url(), QStringLiteral("KIOSK-RE-0001"), m_wiped), 401);
    // The console lists it.
    const g::Http list = g::console(m_hub.url(), m_admin, "GET", QStringLiteral("reenrollments?state=pending"));
    QCOMPARE(list.status, 200);
    const QJsonArray pending = list.json().value(QLatin1String("reenrollments")).toArray();
    QCOMPARE(pending.size(), 1);
    QCOMPARE(pending.first().toObject().value(QLatin1String("deviceId")).toString(), QStringLiteral("KIOSK-RE-0001"));
    QCOMPARE(pending.first().toObject().value(QLatin1String("fingerprint")).toString(),
             trust::DeviceIdentity::fingerprintOf(m_wiped));
    QCOMPARE(pending.first().toObject().value(QLatin1String("attempts")).toInteger(), 3);
}

void TestReEnroll::viewer_cannotApprove403_pendingStays()
{
    QVERIFY(m_requestId > 0);
    QCOMPARE(g::console(m_hub.url(), m_viewer, "GET", QStringLiteral("reenrollments")).status, 200);
    const g::Http refused = g::console(m_hub.url(), m_viewer, "POST",
                                       QStringLiteral("reenrollments/%1/approve").arg(m_requestId), QJsonObject{});
    QCOMPARE(refused.status, 403);
    // Without the console's CSRF header even an admin's cookie decides nothing.
    QCOMPARE(g::http(m_hub.url().resolved(QUrl(QStringLiteral("/console/api/reenrollments/%1/approve").arg(m_requestId))),
                     "POST", "{}", {{"Cookie", m_admin}})
                 .status,
             403);
    QJsonObject answer;
    QCOMPARE(enrollKey(m_hub.url(), QStringLiteral("KIOSK-RE-0001"), m_wiped, &answer), 202);
}

void TestReEnroll::adminApproves_nextEnrollGetsCredentials_oldKeyRefused_decisionAudited()
{
    QVERIFY(m_requestId > 0);
    const g::Http approved = g::console(m_hub.url(), m_admin, "POST",
                                        QStringLiteral("reenrollments/%1/approve").arg(m_requestId), QJsonObject{});
    QCOMPARE(approved.status, 200);
    QCOMPARE(approved.json().value(QLatin1String("decidedBy")).toString(), QStringLiteral("ops"));
    // Deciding twice is refused.
    QCOMPARE(g::console(m_hub.url(), m_admin, "POST", QStringLiteral("reenrollments/%1/reject").arg(m_requestId),
                        QJsonObject{})
                 .status,
             409);
    QJsonObject answer;
    QCOMPARE(enrollKey(m_hub.url(), QStringLiteral("KIOSK-RE-0001"), m_wiped, &answer), 201);
    QCOMPARE(answer.value(QLatin1String("deviceSecret")).toString().size(), 64);
    QCOMPARE(answer.value(QLatin1String("hallCode")).toString(), QLatin1String(kHall));
    QCOMPARE(heartbeatWith(m_hub.url(), QStringLiteral("KIOSK-RE-0001"), m_wiped), 200);
    QCOMPARE(heartbeatWith(m_hub.url(), QStringLiteral("KIOSK-RE-0001"), m_honest), 401);
    // Credentials are handed out once: the same call again is an ordinary "already enrolled".
    QCOMPARE(enrollKey(m_hub.url(), QStringLiteral("KIOSK-RE-0001"), m_wiped, &answer), 409);
    // The old key now is the stranger: it would need an approval of its own.
    QCOMPARE(enrollKey(m_hub.url(), QStringLiteral("KIOSK-RE-0001"), m_honest, &answer), 202);
    // Audit: who approved, when, and that it was completed; the tamper list says so too.
    const QJsonArray all = g::console(m_hub.url(), m_admin, "GET", QStringLiteral("reenrollments"))
                               .json()
                               .value(QLatin1String("reenrollments"))
                               .toArray();
    bool found = false;
    for (const QJsonValue &v : all) {
        const QJsonObject r = v.toObject();
        if (r.value(QLatin1String("id")).toInteger() != m_requestId)
            continue;
        found = true;
        QCOMPARE(r.value(QLatin1String("state")).toString(), QStringLiteral("completed"));
        QCOMPARE(r.value(QLatin1String("decidedBy")).toString(), QStringLiteral("ops"));
        QVERIFY(r.value(QLatin1String("decidedAtMs")).toInteger() > 0);
        QVERIFY(r.value(QLatin1String("completedAtMs")).toInteger() >= r.value(QLatin1String("decidedAtMs")).toInteger());
    }
    QVERIFY(found);
    QVERIFY(alertKinds(m_hub.url(), QStringLiteral("KIOSK-RE-0001")).contains(QStringLiteral("reenrolled")));
}

void TestReEnroll::rejected_staysRefused403_neverCredentials()
{
    const trust::Key attacker = trust::Key::generate(trust::KeyType::Sm2);
    QJsonObject answer;
    QCOMPARE(enrollKey(m_hub.url(), QStringLiteral("KIOSK-RE-0002"), attacker, &answer), 202);
    const qint64 id = answer.value(QLatin1String("requestId")).toInteger();
    QCOMPARE(g::console(m_hub.url(), m_admin, "POST", QStringLiteral("reenrollments/%1/reject").arg(id), QJsonObject{})
                 .status,
             200);
    for (int attempt = 0; attempt < 3; ++attempt) {
        QCOMPARE(enrollKey(m_hub.url(), QStringLiteral("KIOSK-RE-0002"), attacker, &answer), 403);
        QCOMPARE(answer.value(QLatin1String("error")).toString(), QStringLiteral("reenroll_rejected"));
        QVERIFY(!answer.contains(QLatin1String("deviceSecret")));
    }
    QCOMPARE(g::console(m_hub.url(), m_admin, "POST", QStringLiteral("reenrollments/%1/approve").arg(id), QJsonObject{})
                 .status,
             409);
    QCOMPARE(heartbeatWith(m_hub.url(), QStringLiteral("KIOSK-RE-0002"), attacker), 401);
    QCOMPARE(heartbeatWith(m_hub.url(), QStringLiteral("KIOSK-RE-0002"), m_honest), 200);
}

void TestReEnroll::adminToken_listsAndDecides_asAdminToken()
{
    const trust::Key other = trust::Key::generate(trust::KeyType::Sm2);
    QJsonObject answer;
    QCOMPARE(enrollKey(m_hub.url(), QStringLiteral("KIOSK-RE-0002"), other, &answer), 202);
    const qint64 id = answer.value(QLatin1String("requestId")).toInteger();
    // Anonymous: nothing.
    QCOMPARE(httpRequest(m_hub.url().resolved(QUrl(QStringLiteral("/v1/admin/reenrollments"))), "GET"), 403);
    const QJsonArray pending = adminGet(m_hub.url(), QStringLiteral("/v1/admin/reenrollments?state=pending"))
                                   .value(QLatin1String("reenrollments"))
                                   .toArray();
    QVERIFY(std::any_of(pending.begin(), pending.end(),
                        [&](const QJsonValue &v) { return v.toObject().value(QLatin1String("id")).toInteger() == id; }));
    QJsonObject decided;
    QCOMPARE(adminSend(m_hub.url(), "POST", QStringLiteral("/v1/admin/reenrollments"),
                       QJsonObject{{QStringLiteral("id"), id}, {QStringLiteral("decision"), QStringLiteral("reject")}},
                       &decided),
             200);
    QCOMPARE(decided.value(QLatin1String("decidedBy")).toString(), QStringLiteral("admin-token"));
    QCOMPARE(enrollKey(m_hub.url(), QStringLiteral("KIOSK-RE-0002"), other, &answer), 403);
}

QTEST_GUILESS_MAIN(TestReEnroll)
#include "tst_reenroll.moc"

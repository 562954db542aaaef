// SPDX-License-Identifier: Apache-2.0
// The hub's worker pool (PROTOCOL §1b): device requests handled on several threads, each with its
// own PostgreSQL connection and its own key cache. Against a real hcp-hub (--workers 4) over a
// PostgreSQL server started here, driven by the kiosk's own HubClient, as many kiosks at once.
#include "crypto.h"
#include "hubclient.h"
#include "hubprocess.h"
#include "pgserver.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

#include <functional>
#include <memory>
#include <vector>

using namespace hcp;
using namespace hcp::sync;
using namespace hcp::sync::test;

namespace {

constexpr int kWorkers = 4;
constexpr int kClients = 12; // more connections than workers: every worker gets requests

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

struct Kiosk
{
    QString id;
    DeviceCredentials creds;
    QByteArray batch; // {"evaluations":[…]} of its first perBatch evaluations
};

// n kiosks enrolled at hub (shared secret), each with one batch ready; empty on failure.
QList<Kiosk> enrollKiosks(const QUrl &hub, const QString &prefix, int n, int perBatch)
{
    QList<Kiosk> kiosks;
    for (int k = 0; k < n; ++k) {
        Kiosk kiosk;
        kiosk.id = QStringLiteral("%1-%2").arg(prefix).arg(k, 2, 10, QLatin1Char('0'));
        kiosk.creds = enroll(hub, kiosk.id);
        if (!kiosk.creds.isValid())
            return {};
        QJsonArray evaluations;
        static int kiosksMade = 0; // unique across the tests' fleets
        const int serial = ++kiosksMade;
        for (int seq = 1; seq <= perBatch; ++seq) {
            // Each kiosk rates its own service events: the same event from two kiosks is a
            // second rating the hub keeps as evidence (PROTOCOL §4d), not what this measures.
            QJsonObject e = makeEvaluation(seq, uuidFor(kiosk.id, seq));
            e.insert(QStringLiteral("projectNo"), QStringLiteral("1101052%1%2").arg(serial, 3, 10, QLatin1Char('0')).arg(seq, 8, 10, QLatin1Char('0')));
            evaluations.append(e);
        }
        kiosk.batch = QJsonDocument(QJsonObject{{QStringLiteral("evaluations"), evaluations}}).toJson(QJsonDocument::Compact);
        kiosks.append(kiosk);
    }
    return kiosks;
}

} // namespace

class TestHubServing : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void replacedKey_cachedOnEveryWorker_refusedOnAllAfterReEnrollment();
    void manyKiosksAtOnce_sameBatchesTwice_eachRecordStoredOnce();
    void workersBusy_queueFull_503OverloadedAtOnce_resentBatchesStoredOnce();
    void cleanupTestCase();

private:
    // kClients HubClients as this device (each its own connection) send `rounds` heartbeats
    // each, all at once; returns the statuses.
    QList<int> heartbeatsAtOnce(const DeviceCredentials &creds, const trust::Key &key, int rounds);

    QTemporaryDir m_dir;
    PgServer m_pg;
    HubProcess m_hub;
};

void TestHubServing::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QString why;
    QVERIFY2(m_pg.start(m_dir.path(), &why), qPrintable(why));
    QVERIFY2(m_hub.start(m_pg.spec(), 0,
                         {QStringLiteral("--workers"), QString::number(kWorkers), QStringLiteral("--identity"),
                          m_dir.filePath(QStringLiteral("hub-identity.pem"))}),
             qPrintable(m_hub.output() + m_hub.takeLog()));
}

void TestHubServing::cleanupTestCase()
{
    m_hub.kill();
    m_pg.stop();
}

QList<int> TestHubServing::heartbeatsAtOnce(const DeviceCredentials &creds, const trust::Key &key, int rounds)
{
    std::vector<std::unique_ptr<HubClient>> clients;
    QList<int> statuses;
    for (int c = 0; c < kClients; ++c) {
        clients.push_back(std::make_unique<HubClient>());
        clients.back()->setCredentials(creds);
        clients.back()->setDeviceKey(key);
    }
    for (int r = 0; r < rounds; ++r) {
        for (auto &client : clients) {
            HeartbeatInfo info;
            info.version = QStringLiteral("1.0.0");
            client->sendHeartbeat(info, [&statuses](const HubReply &reply) { statuses.append(reply.status); });
        }
    }
    const int expected = kClients * rounds;
    [&] { QTRY_COMPARE_WITH_TIMEOUT(statuses.size(), expected, 60000); }();
    return statuses;
}

void TestHubServing::replacedKey_cachedOnEveryWorker_refusedOnAllAfterReEnrollment()
{
    // The attacker holds the kiosk's old key (a stolen disk image). The kiosk is re-enrolled with
    // a new key; every worker had the old key cached from the kiosk's earlier requests.
    const trust::Key oldKey = trust::Key::generate(trust::KeyType::Sm2);
    const trust::Key newKey = trust::Key::generate(trust::KeyType::Sm2);
    const QString id = QStringLiteral("KIOSK-SERVE-KEY");
    const DeviceCredentials creds = enrollWithKey(m_hub.url(), id, oldKey);
    QVERIFY(creds.isValid());
    for (int status : heartbeatsAtOnce(creds, oldKey, 4))
        QCOMPARE(status, 200);

    QJsonObject answer;
    QCOMPARE(enrollKey(m_hub.url(), id, newKey, &answer), 202);
    QCOMPARE(adminSend(m_hub.url(), "POST", QStringLiteral("/v1/admin/reenrollments"),
                       QJsonObject{{QStringLiteral("id"), answer.value(QLatin1String("requestId")).toInteger()},
                                   {QStringLiteral("decision"), QStringLiteral("approve")}}),
             200);
    QCOMPARE(enrollKey(m_hub.url(), id, newKey, &answer), 201);

    for (int status : heartbeatsAtOnce(creds, oldKey, 4))
        QCOMPARE(status, 401);
    for (int status : heartbeatsAtOnce(creds, newKey, 2))
        QCOMPARE(status, 200);
}

void TestHubServing::manyKiosksAtOnce_sameBatchesTwice_eachRecordStoredOnce()
{
    // 20 kiosks upload 5 evaluations each, all at once, and every batch again at once (a lost
    // answer makes a kiosk resend): the workers commit them in parallel, nothing twice.
    constexpr int kKiosks = 20;
    constexpr int kPerBatch = 5;
    const QList<Kiosk> kiosks = enrollKiosks(m_hub.url(), QStringLiteral("KIOSK-SERVE"), kKiosks, kPerBatch);
    QCOMPARE(kiosks.size(), kKiosks);
    std::vector<std::unique_ptr<HubClient>> clients;
    for (int c = 0; c < 2 * kKiosks; ++c) {
        clients.push_back(std::make_unique<HubClient>());
        clients.back()->setCredentials(kiosks.at(c / 2).creds);
    }
    int answered = 0;
    int accepted = 0;
    int duplicates = 0;
    QList<int> statuses;
    for (size_t c = 0; c < clients.size(); ++c) {
        clients[c]->uploadBatch(kiosks.at(int(c / 2)).batch, [&](const HubReply &reply) {
            ++answered;
            statuses.append(reply.status);
            for (const QJsonValue &v : reply.json().value(QLatin1String("results")).toArray()) {
                const QString status = v.toObject().value(QLatin1String("status")).toString();
                accepted += status == QLatin1String("accepted");
                duplicates += status == QLatin1String("duplicate");
            }
        });
    }
    QTRY_COMPARE_WITH_TIMEOUT(answered, 2 * kKiosks, 60000);
    for (int status : statuses)
        QCOMPARE(status, 200);
    QCOMPARE(accepted, kKiosks * kPerBatch);
    QCOMPARE(duplicates, kKiosks * kPerBatch);
    for (const Kiosk &kiosk : kiosks)
        QCOMPARE(hubEvaluations(m_hub.url(), kiosk.id).size(), kPerBatch);
}

void TestHubServing::workersBusy_queueFull_503OverloadedAtOnce_resentBatchesStoredOnce()
{
    // A second hub on the same database with one worker and room for one waiting request: a
    // burst of kiosks is refused with 503 overloaded (not queued without bound, not half
    // stored); what the kiosks send again is stored once.
    HubProcess small;
    QVERIFY2(small.start(m_pg.spec(), 0,
                         {QStringLiteral("--workers"), QStringLiteral("1"), QStringLiteral("--worker-queue"),
                          QStringLiteral("1"), QStringLiteral("--identity"), m_dir.filePath(QStringLiteral("hub-identity.pem"))}),
             qPrintable(small.output() + small.takeLog()));
    constexpr int kKiosks = 30;
    const QList<Kiosk> kiosks = enrollKiosks(small.url(), QStringLiteral("KIOSK-BURST"), kKiosks, 3);
    QCOMPARE(kiosks.size(), kKiosks);
    std::vector<std::unique_ptr<HubClient>> clients;
    for (const Kiosk &kiosk : kiosks) {
        clients.push_back(std::make_unique<HubClient>());
        clients.back()->setCredentials(kiosk.creds);
    }
    QList<int> refused;
    int answered = 0;
    std::function<void(int)> send = [&](int k) {
        clients[size_t(k)]->uploadBatch(kiosks.at(k).batch, [&, k](const HubReply &reply) {
            if (reply.status == 503) {
                QCOMPARE(reply.json().value(QLatin1String("error")).toString(), QStringLiteral("overloaded"));
                refused.append(k);
                send(k); // the kiosk's outbox sends it again
                return;
            }
            QCOMPARE(reply.status, 200);
            ++answered;
        });
    };
    for (int k = 0; k < kKiosks; ++k)
        send(k);
    QTRY_COMPARE_WITH_TIMEOUT(answered, kKiosks, 60000);
    QVERIFY2(!refused.isEmpty(), "30 batches at once fit one worker and a queue of one");
    for (const Kiosk &kiosk : kiosks)
        QCOMPARE(hubEvaluations(m_hub.url(), kiosk.id).size(), 3);
    small.kill();
}

QTEST_GUILESS_MAIN(TestHubServing)
#include "tst_hubserving.moc"

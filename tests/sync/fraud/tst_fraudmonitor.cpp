// SPDX-License-Identifier: Apache-2.0
// Anti-fraud rules at the hub (FraudMonitor) over a real HubStore: crafted batches that must flag
// (with their evidence) and near misses that must not; the admin API; certKeyEnc decryption.
#include "fraudmonitor.h"
#include "hubprocess.h"
#include "hubserver.h"
#include "hubstore.h"
#include "personaldata.h"

#include "deviceidentity.h"
#include "wire.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QSet>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace hcp::sync;
using namespace hcp::sync::hub;

namespace {

constexpr char kHallA[] = "110105000000";
constexpr char kHallB[] = "110106000000";

QJsonObject evaluation(qint64 seq, const QString &uuid, const QString &projectNo, const QString &assessTime,
                       const QString &assistedBy = {})
{
    QJsonObject e{{QStringLiteral("uuid"), uuid},
                  {QStringLiteral("deviceSeq"), seq},
                  {QStringLiteral("projectNo"), projectNo},
                  {QStringLiteral("serviceNumber"), 1},
                  {QStringLiteral("assessNumber"), 1},
                  {QStringLiteral("pf"), 5},
                  {QStringLiteral("satisfaction"), 5},
                  {QStringLiteral("evalDetail"), QString()},
                  {QStringLiteral("writingEvaluation"), QString()},
                  {QStringLiteral("publicFlag"), 1},
                  {QStringLiteral("assessTime"), assessTime},
                  {QStringLiteral("evaluateType"), 1}};
    if (!assistedBy.isEmpty())
        e.insert(QStringLiteral("assistedBy"), assistedBy);
    return e;
}

QSet<QString> uuidsOf(const QJsonObject &flag)
{
    QSet<QString> out;
    for (const QJsonValue &v : flag.value(QLatin1String("evidence")).toArray())
        out.insert(v.toObject().value(QLatin1String("uuid")).toString());
    return out;
}

} // namespace

class TestFraudMonitor : public QObject
{
    Q_OBJECT

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<HubStore> m_store;
    std::unique_ptr<FraudMonitor> m_monitor;
    QHash<QString, qint64> m_seq;

    HubStore::Device device(const QString &id, const QString &hall = QLatin1String(kHallA))
    {
        if (!m_store->device(id)) {
            QByteArray secret;
            if (m_store->enroll(id, hall, QStringLiteral("terminal"), QStringLiteral("test"), &secret)
                != HubStore::EnrollResult::Enrolled)
                qFatal("enroll failed");
        }
        return *m_store->device(id);
    }
    // Ingests evaluations {projectNo, assessTime, assistedBy} from one kiosk; returns their uuids.
    QStringList send(const QString &deviceId, const QList<QStringList> &rows, const QString &hall = QLatin1String(kHallA))
    {
        const HubStore::Device d = device(deviceId, hall);
        QJsonArray batch;
        QStringList uuids;
        for (const QStringList &r : rows) {
            const qint64 seq = ++m_seq[deviceId];
            const QString uuid = QStringLiteral("%1-%2").arg(deviceId).arg(seq);
            uuids.append(uuid);
            batch.append(evaluation(seq, uuid, r.value(0), r.value(1), r.value(2)));
        }
        QJsonArray results;
        if (!m_store->ingest(d, batch, {}, QDateTime::currentMSecsSinceEpoch(), 0, &results))
            qFatal("ingest failed");
        for (const QJsonValue &v : results)
            if (v.toObject().value(QLatin1String("status")).toString() != QLatin1String("accepted"))
                qFatal("not accepted: %s", QJsonDocument(v.toObject()).toJson().constData());
        return uuids;
    }
    QJsonArray flags(const QString &kind)
    {
        QString error;
        if (m_monitor->scan(&error) < 0)
            qFatal("scan failed: %s", qPrintable(error));
        return m_monitor->flags(kind);
    }

private slots:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        m_store = std::make_unique<HubStore>();
        QString error;
        QVERIFY2(m_store->open(m_dir->filePath(QStringLiteral("hub.sqlite")), &error), qPrintable(error));
        m_monitor = std::make_unique<FraudMonitor>(m_store.get());
        m_seq.clear();
    }
    void cleanup()
    {
        m_monitor.reset();
        m_store.reset();
        m_dir.reset();
    }

    void burst_moreThanNInOneMinute_flagsOnlyThatKiosk()
    {
        FraudSettings s;
        s.burstPerMinute = 5;
        QVERIFY(m_monitor->setSettings(s));
        // Kiosk A: 6 ratings within 50 s (a clerk tapping) — one more than allowed.
        QList<QStringList> burst;
        for (int i = 0; i < 6; ++i)
            burst.append({QStringLiteral("PA%1").arg(i, 8, 10, QLatin1Char('0')),
                          QStringLiteral("2026-11-25 10:00:%1").arg(i * 10, 2, 10, QLatin1Char('0'))});
        const QStringList burstUuids = send(QStringLiteral("KIOSK-A"), burst);
        // Kiosk B: exactly 5 within a minute, then 6 more spread 15 s apart (never 6 in 60 s).
        QList<QStringList> calm;
        for (int i = 0; i < 5; ++i)
            calm.append({QStringLiteral("PB%1").arg(i, 8, 10, QLatin1Char('0')),
                         QStringLiteral("2026-11-25 10:00:%1").arg(i * 10, 2, 10, QLatin1Char('0'))});
        for (int i = 0; i < 6; ++i)
            calm.append({QStringLiteral("PC%1").arg(i, 8, 10, QLatin1Char('0')),
                         QTime(11, 0).addSecs(i * 15).toString(QStringLiteral("'2026-11-25 'HH:mm:ss"))});
        send(QStringLiteral("KIOSK-B"), calm);

        const QJsonArray found = flags(QStringLiteral("burst"));
        QCOMPARE(found.size(), 1);
        const QJsonObject f = found.first().toObject();
        QCOMPARE(f.value(QLatin1String("subject")).toString(), QStringLiteral("KIOSK-A"));
        QCOMPARE(uuidsOf(f), QSet<QString>(burstUuids.begin(), burstUuids.end()));
        QCOMPARE(f.value(QLatin1String("detail")).toObject().value(QLatin1String("maxPerMinute")).toInt(), 6);
        QCOMPARE(f.value(QLatin1String("firstAt")).toString(), QStringLiteral("2026-11-25 10:00:00"));
        QCOMPARE(f.value(QLatin1String("lastAt")).toString(), QStringLiteral("2026-11-25 10:00:50"));

        // The same episode growing (a 7th rating, arriving in a later batch) extends the flag.
        send(QStringLiteral("KIOSK-A"), {{QStringLiteral("PA00000099"), QStringLiteral("2026-11-25 10:00:55")}});
        const QJsonArray again = flags(QStringLiteral("burst"));
        QCOMPARE(again.size(), 1);
        QCOMPARE(again.first().toObject().value(QLatin1String("count")).toInt(), 7);
    }

    void applicant_manyEvaluationsAcrossKiosks_flagsWithEvidence()
    {
        FraudSettings s;
        s.applicantMax = 3;
        s.applicantWindowDays = 30;
        QVERIFY(m_monitor->setSettings(s));
        // Cases of two applicants, imported with their (synthetic) ID numbers.
        QJsonArray cases;
        auto addCase = [&](const QString &projectNo, const QString &certNo) {
            cases.append(QJsonObject{{QStringLiteral("projectNo"), projectNo}, {QStringLiteral("serviceNumber"), 1},
                                     {QStringLiteral("userName"), QStringLiteral("李华")},
                                     {QStringLiteral("hallCode"), QLatin1String(kHallA)},
                                     {QStringLiteral("resultDate"), QStringLiteral("2026-11-20 09:00:00")},
                                     {QStringLiteral("certNo"), certNo}});
        };
        for (int i = 0; i < 4; ++i)
            addCase(QStringLiteral("APPX%1").arg(i, 6, 10, QLatin1Char('0')), QStringLiteral("11010519491231002X"));
        for (int i = 0; i < 3; ++i)
            addCase(QStringLiteral("APPY%1").arg(i, 6, 10, QLatin1Char('0')), QStringLiteral("440524188001010014"));
        int imported = 0;
        QJsonArray rejected;
        QString error;
        QVERIFY(m_store->importCases(cases, &imported, &rejected, &error));
        QCOMPARE(imported, 7);

        QStringList x = send(QStringLiteral("KIOSK-A"), {{QStringLiteral("APPX000000"), QStringLiteral("2026-11-21 09:00:00")},
                                                          {QStringLiteral("APPX000001"), QStringLiteral("2026-11-22 09:00:00")}});
        x += send(QStringLiteral("KIOSK-B"), {{QStringLiteral("APPX000002"), QStringLiteral("2026-11-23 09:00:00")},
                                              {QStringLiteral("APPX000003"), QStringLiteral("2026-11-24 09:00:00")}});
        // Y: exactly applicantMax evaluations — not flagged.
        send(QStringLiteral("KIOSK-A"), {{QStringLiteral("APPY000000"), QStringLiteral("2026-11-21 10:00:00")},
                                         {QStringLiteral("APPY000001"), QStringLiteral("2026-11-22 10:00:00")},
                                         {QStringLiteral("APPY000002"), QStringLiteral("2026-11-23 10:00:00")}});

        const QJsonArray found = flags(QStringLiteral("applicant"));
        QCOMPARE(found.size(), 1);
        const QJsonObject f = found.first().toObject();
        QCOMPARE(f.value(QLatin1String("subject")).toString(),
                 QString::fromLatin1(wire::certKeyHash(m_store->certKey(), QStringLiteral("11010519491231002X"))));
        QCOMPARE(uuidsOf(f), QSet<QString>(x.begin(), x.end()));
        QCOMPARE(f.value(QLatin1String("detail")).toObject().value(QLatin1String("devices")).toInt(), 2);
        // The flag names the person by the keyed hash only.
        QVERIFY(!QJsonDocument(found).toJson().contains("11010519491231002X"));
    }

    void applicant_fromCertKeyEnc_whenTheHubDoesNotKnowTheCase()
    {
        QString error;
        auto hubId = hcp::trust::DeviceIdentity::create(m_dir->filePath(QStringLiteral("hub-identity.pem")),
                                                        hcp::trust::KeyType::Sm2, {}, &error);
        QVERIFY2(hubId, qPrintable(error));
        m_monitor->setHubIdentity(&*hubId);
        FraudSettings s;
        s.applicantMax = 2;
        QVERIFY(m_monitor->setSettings(s));
        const HubStore::Device d = device(QStringLiteral("KIOSK-A"));
        QJsonArray batch;
        for (int i = 1; i <= 3; ++i) {
            QJsonObject e = evaluation(i, QStringLiteral("enc-%1").arg(i), QStringLiteral("UNKNOWN%1").arg(i, 4, 10, QLatin1Char('0')),
                                       QStringLiteral("2026-11-2%1 09:00:00").arg(i));
            const auto enc = wire::encryptCertKey(hubId->publicKeyPem(), QStringLiteral("330102195803120047"), &error);
            QVERIFY2(enc, qPrintable(error));
            e.insert(QStringLiteral("certKeyEnc"), *enc);
            batch.append(e);
        }
        QJsonArray results;
        QVERIFY(m_store->ingest(d, batch, {}, QDateTime::currentMSecsSinceEpoch(), 0, &results));
        const QJsonArray found = flags(QStringLiteral("applicant"));
        QCOMPARE(found.size(), 1);
        QCOMPARE(found.first().toObject().value(QLatin1String("count")).toInt(), 3);
        QCOMPARE(found.first().toObject().value(QLatin1String("subject")).toString(),
                 QString::fromLatin1(wire::certKeyHash(m_store->certKey(), QStringLiteral("330102195803120047"))));
    }

    void sameCase_ratedOnTwoKiosks_secondKeptAsEvidenceAtIngest_otherServiceStored()
    {
        // Since ingest keeps a second rating of a service event as evidence (PROTOCOL §18.9),
        // the second kiosk's rating is refused there and never stored: nothing for same_case.
        send(QStringLiteral("KIOSK-A"), {{QStringLiteral("SAME000001"), QStringLiteral("2026-11-25 09:00:00")}});
        const HubStore::Device b = device(QStringLiteral("KIOSK-B"));
        QJsonArray results;
        QVERIFY(m_store->ingest(b, QJsonArray{evaluation(++m_seq[QStringLiteral("KIOSK-B")], QStringLiteral("KIOSK-B-same"),
                                                         QStringLiteral("SAME000001"), QStringLiteral("2026-11-25 09:05:00"))},
                                {}, QDateTime::currentMSecsSinceEpoch(), 0, &results));
        QCOMPARE(results.at(0).toObject().value(QLatin1String("status")).toString(), QStringLiteral("refused"));
        QCOMPARE(results.at(0).toObject().value(QLatin1String("reason")).toString(), QStringLiteral("already_rated"));
        bool kept = false;
        for (const QJsonValue &v : m_store->problems({QStringLiteral("second_rating")}))
            kept = kept || v.toObject().value(QLatin1String("uuid")).toString() == QLatin1String("KIOSK-B-same");
        QVERIFY(kept);
        send(QStringLiteral("KIOSK-C"), {{QStringLiteral("OTHER00001"), QStringLiteral("2026-11-25 09:00:00")}});
        // The same projectNo's second service step is another service event: stored.
        const HubStore::Device d = device(QStringLiteral("KIOSK-C"));
        QJsonObject step2 = evaluation(++m_seq[QStringLiteral("KIOSK-C")], QStringLiteral("KIOSK-C-step2"),
                                       QStringLiteral("OTHER00001"), QStringLiteral("2026-11-26 09:00:00"));
        step2.insert(QStringLiteral("serviceNumber"), 2);
        QVERIFY(m_store->ingest(d, QJsonArray{step2}, {}, QDateTime::currentMSecsSinceEpoch(), 0, &results));
        QCOMPARE(results.at(0).toObject().value(QLatin1String("status")).toString(), QStringLiteral("accepted"));
        QCOMPARE(flags(QStringLiteral("same_case")).size(), 0);
    }

    void outsideHours_perHallSchedule_flagsOnlyOutside()
    {
        QString error;
        const auto s = FraudSettings::fromJson(
            QJsonDocument::fromJson(R"({"openingHours":{"110105000000":[
                {"days":[1,2,3,4,5],"from":"08:30","to":"12:00"},
                {"days":[1,2,3,4,5],"from":"13:30","to":"17:30"}]}})").object(), &error);
        QVERIFY2(s, qPrintable(error));
        QVERIFY(m_monitor->setSettings(*s));
        // 2026-11-25 is a Wednesday, 2026-11-28 a Saturday.
        const QStringList inside = send(QStringLiteral("KIOSK-A"), {{QStringLiteral("HRS0000001"), QStringLiteral("2026-11-25 08:30:00")},
                                                                    {QStringLiteral("HRS0000002"), QStringLiteral("2026-11-25 17:29:59")}});
        const QStringList outside = send(QStringLiteral("KIOSK-A"), {{QStringLiteral("HRS0000003"), QStringLiteral("2026-11-25 12:30:00")},
                                                                     {QStringLiteral("HRS0000004"), QStringLiteral("2026-11-25 20:15:00")},
                                                                     {QStringLiteral("HRS0000005"), QStringLiteral("2026-11-28 10:00:00")}});
        // A hall without a schedule (and no "default") is not checked.
        send(QStringLiteral("KIOSK-B"), {{QStringLiteral("HRS0000006"), QStringLiteral("2026-11-25 23:00:00")}}, QLatin1String(kHallB));

        const QJsonArray found = flags(QStringLiteral("outside_hours"));
        QCOMPARE(found.size(), 2); // one per kiosk and day
        QSet<QString> flagged;
        for (const QJsonValue &v : found) {
            QCOMPARE(v.toObject().value(QLatin1String("subject")).toString(), QStringLiteral("KIOSK-A"));
            flagged += uuidsOf(v.toObject());
        }
        QCOMPARE(flagged, QSet<QString>(outside.begin(), outside.end()));
    }

    void assistedShare_agentAboveThreshold_flags_otherAgentDoesNot()
    {
        FraudSettings s;
        s.assistedShareMax = 0.5;
        s.assistedMinCount = 5;
        QVERIFY(m_monitor->setSettings(s));
        // Hall A, one day: 2 unassisted, agent-2 assists 2, agent-1 assists 6 (6/10 > 0.5).
        QList<QStringList> rows;
        int n = 0;
        auto add = [&](const QString &agent) {
            rows.append({QStringLiteral("AST%1").arg(++n, 7, 10, QLatin1Char('0')),
                         QTime(9, 0).addSecs(n * 600).toString(QStringLiteral("'2026-11-25 'HH:mm:ss")), agent});
        };
        for (int i = 0; i < 2; ++i)
            add({});
        for (int i = 0; i < 2; ++i)
            add(QStringLiteral("agent-2"));
        for (int i = 0; i < 6; ++i)
            add(QStringLiteral("agent-1"));
        const QStringList uuids = send(QStringLiteral("KIOSK-A"), rows);
        // Hall B: agent-3 assists exactly half (5 of 10) — at the threshold, not above it.
        rows.clear();
        for (int i = 0; i < 5; ++i)
            add({});
        for (int i = 0; i < 5; ++i)
            add(QStringLiteral("agent-3"));
        send(QStringLiteral("KIOSK-B"), rows, QLatin1String(kHallB));

        const QJsonArray found = flags(QStringLiteral("assisted_share"));
        QCOMPARE(found.size(), 1);
        const QJsonObject f = found.first().toObject();
        QCOMPARE(f.value(QLatin1String("subject")).toString(), QStringLiteral("agent-1"));
        QCOMPARE(uuidsOf(f), QSet<QString>(uuids.end() - 6, uuids.end()));
        const QJsonObject detail = f.value(QLatin1String("detail")).toObject();
        QCOMPARE(detail.value(QLatin1String("assisted")).toInt(), 6);
        QCOMPARE(detail.value(QLatin1String("total")).toInt(), 10);
    }

    void honestTraffic_raisesNoFlag_andRescanIsIdempotent()
    {
        QString error;
        const auto s = FraudSettings::fromJson(QJsonDocument::fromJson(
            R"({"openingHours":{"default":[{"days":[1,2,3,4,5,6],"from":"08:00","to":"18:00"}]}})").object(), &error);
        QVERIFY(s);
        QVERIFY(m_monitor->setSettings(*s));
        // 40 ratings over a working day from two kiosks, one every ~12 minutes, each case once.
        for (int k = 0; k < 2; ++k) {
            QList<QStringList> rows;
            for (int i = 0; i < 20; ++i)
                rows.append({QStringLiteral("HON%1%2").arg(k).arg(i, 6, 10, QLatin1Char('0')),
                             QTime(9, k).addSecs(i * 1440).toString(QStringLiteral("'2026-11-25 'HH:mm:ss"))});
            send(QStringLiteral("KIOSK-%1").arg(k), rows);
        }
        QCOMPARE(flags({}).size(), 0);
        // A flagging batch, then scans by a second monitor over the same database (a restarted
        // or second hub): no duplicates.
        send(QStringLiteral("KIOSK-0"), {{QStringLiteral("LATE000001"), QStringLiteral("2026-11-25 22:00:00")}});
        QCOMPARE(flags(QStringLiteral("outside_hours")).size(), 1);
        FraudMonitor second(m_store.get());
        QCOMPARE(second.scan(), 0);
        QCOMPARE(second.flags({}).size(), 1);
        QCOMPARE(second.settings().openingHours.size(), 1); // settings persist in the database
    }

    void backlogWithOneTimestamp_scansInBoundedTime_oneFlagCountsAll()
    {
        // A backlog drain of records stamped in the same second (what the sync benchmark sends):
        // the cost per record must not grow with the episode.
        const int n = 3000;
        const HubStore::Device d = device(QStringLiteral("KIOSK-BENCH"));
        QJsonArray batch;
        for (int i = 1; i <= n; ++i) {
            batch.append(evaluation(i, QStringLiteral("bench-%1").arg(i), QStringLiteral("BENCH%1").arg(i, 6, 10, QLatin1Char('0')),
                                    QStringLiteral("2026-11-25 10:00:00")));
            if (batch.size() == 500) {
                QJsonArray results;
                QVERIFY(m_store->ingest(d, batch, {}, QDateTime::currentMSecsSinceEpoch(), 0, &results));
                batch = {};
            }
        }
        QElapsedTimer clock;
        clock.start();
        QCOMPARE(m_monitor->scan(), qint64(n));
        const qint64 ms = clock.elapsed();
        qInfo("fraud scan: %d evaluations in %lld ms (%.0f per second)", n, ms, n * 1000.0 / std::max<qint64>(ms, 1));
        QVERIFY2(ms < 20000, qPrintable(QString::number(ms)));
        const QJsonArray found = m_monitor->flags(QStringLiteral("burst"));
        QCOMPARE(found.size(), 1);
        QCOMPARE(found.first().toObject().value(QLatin1String("count")).toInt(), n);
        QCOMPARE(found.first().toObject().value(QLatin1String("evidence")).toArray().size(), 500); // listed, capped
    }

    void settings_invalid_areRefused()
    {
        QString error;
        QVERIFY(!FraudSettings::fromJson(QJsonObject{{QStringLiteral("burstPerMinute"), 0}}, &error));
        QVERIFY(!FraudSettings::fromJson(QJsonObject{{QStringLiteral("assistedShareMax"), 1.5}}, &error));
        QVERIFY(!FraudSettings::fromJson(QJsonDocument::fromJson(
            R"({"openingHours":{"default":[{"days":[8],"from":"08:00","to":"18:00"}]}})").object(), &error));
        QVERIFY(!FraudSettings::fromJson(QJsonDocument::fromJson(
            R"({"openingHours":{"default":[{"days":[1],"from":"18:00","to":"08:00"}]}})").object(), &error));
        const auto ok = FraudSettings::fromJson(QJsonObject{{QStringLiteral("burstPerMinute"), 20}}, &error);
        QVERIFY(ok);
        QCOMPARE(ok->burstPerMinute, 20);
        QCOMPARE(FraudSettings::fromJson(ok->toJson(), &error)->toJson(), ok->toJson());
    }

    void adminApi_listsFlags_andNeedsTheAdminToken()
    {
        QString error;
        auto identity = hcp::trust::DeviceIdentity::create(m_dir->filePath(QStringLiteral("hub-identity.pem")),
                                                           hcp::trust::KeyType::Sm2, {}, &error);
        QVERIFY2(identity, qPrintable(error));
        HubServer server(m_store.get(), *identity);
        server.setAdminToken(QStringLiteral("fraud-admin"));
        const quint16 port = server.listen(QHostAddress::LocalHost, 0);
        QVERIFY(port != 0);
        const QUrl base(QStringLiteral("http://127.0.0.1:%1").arg(port));
        const QList<QPair<QByteArray, QByteArray>> auth{{"Authorization", "Bearer fraud-admin"}};
        QByteArray body;
        QCOMPARE(test::httpRequest(base.resolved(QUrl(QStringLiteral("/v1/admin/fraud"))), "GET", {}, &body, {}, 5000), 403);
        QCOMPARE(test::httpRequest(base.resolved(QUrl(QStringLiteral("/v1/admin/fraud/settings"))), "PUT",
                                   R"({"burstPerMinute":0})", &body, auth, 5000), 400);
        QCOMPARE(test::httpRequest(base.resolved(QUrl(QStringLiteral("/v1/admin/fraud/settings"))), "PUT",
                                   R"({"burstPerMinute":2})", &body, auth, 5000), 200);
        const QStringList uuids = send(QStringLiteral("KIOSK-A"), {{QStringLiteral("API0000001"), QStringLiteral("2026-11-25 10:00:00")},
                                                                   {QStringLiteral("API0000002"), QStringLiteral("2026-11-25 10:00:05")},
                                                                   {QStringLiteral("API0000003"), QStringLiteral("2026-11-25 10:00:09")}});
        QCOMPARE(test::httpRequest(base.resolved(QUrl(QStringLiteral("/v1/admin/fraud?kind=burst"))), "GET", {}, &body, auth, 5000), 200);
        const QJsonObject reply = QJsonDocument::fromJson(body).object();
        QCOMPARE(reply.value(QLatin1String("settings")).toObject().value(QLatin1String("burstPerMinute")).toInt(), 2);
        const QJsonArray list = reply.value(QLatin1String("flags")).toArray();
        QCOMPARE(list.size(), 1);
        QCOMPARE(uuidsOf(list.first().toObject()), QSet<QString>(uuids.begin(), uuids.end()));
        // The other admin requests still reach the server's own handler.
        QCOMPARE(test::httpRequest(base.resolved(QUrl(QStringLiteral("/v1/admin/stats"))), "GET", {}, &body, auth, 5000), 200);
    }

    void decryptCertKey_roundTrips_andRefusesForeignOrBrokenCiphertext()
    {
        QString error;
        auto hub = hcp::trust::DeviceIdentity::create(m_dir->filePath(QStringLiteral("hub.pem")), hcp::trust::KeyType::Sm2, {}, &error);
        auto other = hcp::trust::DeviceIdentity::create(m_dir->filePath(QStringLiteral("other.pem")), hcp::trust::KeyType::Sm2, {}, &error);
        QVERIFY(hub && other);
        const auto enc = wire::encryptCertKey(hub->publicKeyPem(), QStringLiteral(" 11010519491231002x "), &error);
        QVERIFY2(enc, qPrintable(error));
        QVERIFY(!enc->contains(QStringLiteral("11010519491231002")));
        // SM2 encryption is randomised: the same number never gives the same ciphertext.
        QVERIFY(*wire::encryptCertKey(hub->publicKeyPem(), QStringLiteral("11010519491231002X")) != *enc);
        QCOMPARE(decryptCertKey(*hub, *enc), std::optional<QString>(QStringLiteral("11010519491231002X")));
        QVERIFY(!decryptCertKey(*other, *enc));
        QString broken = *enc;
        broken[20] = broken[20] == QLatin1Char('A') ? QLatin1Char('B') : QLatin1Char('A');
        QVERIFY(!decryptCertKey(*hub, broken));
        QVERIFY(!decryptCertKey(*hub, QStringLiteral("not base64 !!")));
        // Not an SM2 key: nothing is encrypted.
        auto ed = hcp::trust::DeviceIdentity::create(m_dir->filePath(QStringLiteral("ed.pem")), hcp::trust::KeyType::Ed25519, {}, &error);
        QVERIFY(ed);
        QVERIFY(!wire::encryptCertKey(ed->publicKeyPem(), QStringLiteral("11010519491231002X")));
    }

    void certKeyHashScheme_oldHashesAreDroppedOnce()
    {
        // A hub database from before HMAC-SM3: a case with an HMAC-SHA256 hash and no scheme mark.
        const QString path = m_dir->filePath(QStringLiteral("old.sqlite"));
        {
            HubStore old;
            QString error;
            QVERIFY(old.open(path, &error));
            int imported = 0;
            QJsonArray rejected;
            QVERIFY(old.importCases(QJsonArray{QJsonObject{{QStringLiteral("projectNo"), QStringLiteral("OLD0000001")},
                                                           {QStringLiteral("serviceNumber"), 1},
                                                           {QStringLiteral("userName"), QStringLiteral("王建国")},
                                                           {QStringLiteral("hallCode"), QLatin1String(kHallA)},
                                                           {QStringLiteral("resultDate"), QStringLiteral("2026-11-20 09:00:00")},
                                                           {QStringLiteral("certKeyHash"), QStringLiteral("00ff")}}},
                                    &imported, &rejected, &error));
            QSqlQuery q(old.database());
            QVERIFY(q.exec(QStringLiteral("DELETE FROM hub_meta WHERE key = 'cert_key_hash_scheme'")));
        }
        HubStore reopened;
        QString error;
        QVERIFY(reopened.open(path, &error));
        QJsonArray out;
        QVERIFY(reopened.lookupByCertKeyHash(QStringLiteral("00ff"), &out));
        QCOMPARE(out.size(), 0);
        QVERIFY(reopened.lookupByProjectNoOnly(QStringLiteral("OLD0000001"), &out));
        QCOMPARE(out.size(), 1);
        QVERIFY(!out.first().toObject().contains(QLatin1String("certKeyHash")));
        // New imports hash with HMAC-SM3 and are found by the kiosk's hash.
        int imported = 0;
        QJsonArray rejected;
        QVERIFY(reopened.importCases(QJsonArray{QJsonObject{{QStringLiteral("projectNo"), QStringLiteral("NEW0000001")},
                                                            {QStringLiteral("serviceNumber"), 1},
                                                            {QStringLiteral("userName"), QStringLiteral("王建国")},
                                                            {QStringLiteral("hallCode"), QLatin1String(kHallA)},
                                                            {QStringLiteral("resultDate"), QStringLiteral("2026-11-20 09:00:00")},
                                                            {QStringLiteral("certNo"), QStringLiteral("440524188001010014")}}},
                                     &imported, &rejected, &error));
        out = {};
        const QByteArray sm3 = hcp::trust::Crypto::hmacSm3(reopened.certKey(), "440524188001010014").toHex();
        QVERIFY(reopened.lookupByCertKeyHash(QString::fromLatin1(sm3), &out));
        QCOMPARE(out.size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestFraudMonitor)
#include "tst_fraudmonitor.moc"

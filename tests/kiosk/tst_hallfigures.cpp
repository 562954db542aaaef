// SPDX-License-Identifier: Apache-2.0
// The idle screen's hall figures (kiosk.idle.showHallFigures) against the real hcp-hub's
// 评价结果公开 (GET /public/figures, PROTOCOL §18.9): off by default; on, the hall's month 好评率 and
// rating count as the hub computes them; never fetched more often than every 10 minutes; a hub
// that stops answering keeps the last figures for less than a day and then hides them; a hall
// without ratings shows nothing; the hub refuses a malformed option, and an enrolled KioskServices
// that receives the pushed option shows the figures.
#include "grievancesupport.h"
#include "hallfigures.h"
#include "hubclient.h"
#include "kioskconfig.h"
#include "kioskservices.h"
#include "syncagent.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace hcp::kiosk;
using namespace hcp::sync;
using namespace hcp::sync::test;
using namespace hcp::sync::test::grievance;

namespace {
const QString kHallCode = QStringLiteral("110105002000");
const QString kDept = QStringLiteral("11110105000000000P");
}

class TstHallFigures : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    HubProcess m_hub;
    DeviceCredentials m_creds;
    std::unique_ptr<HubClient> m_client;
    qint64 m_nowMs = QDateTime::currentMSecsSinceEpoch();

    void wire(HallFigures &f)
    {
        f.setClock([this] { return m_nowMs; });
        f.setFetcher([this](const QString &hall, std::function<void(bool, const QJsonObject &)> done) {
            m_client->fetchPublicFigures(hall, [done = std::move(done)](const HubReply &r) { done(r.isHttp(200), r.json()); });
        });
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_hub.start(m_dir.filePath(QStringLiteral("hub.sqlite"))), qPrintable(m_hub.output()));
        // Five ratings this month in the hall: 5 4 3 2 5 → 好评率 4/5.
        QJsonArray cases;
        QList<QJsonObject> ratings;
        const int levels[5] = {5, 4, 3, 2, 5};
        for (int i = 0; i < 5; ++i) {
            const QString projectNo = QStringLiteral("FIG2026%1").arg(i, 6, 10, QLatin1Char('0'));
            cases.append(QJsonObject{{QStringLiteral("projectNo"), projectNo}, {QStringLiteral("serviceNumber"), 1},
                                     {QStringLiteral("taskName"), QStringLiteral("不动产登记")},
                                     {QStringLiteral("deptName"), QStringLiteral("县自然资源局")},
                                     {QStringLiteral("deptCode"), kDept},
                                     {QStringLiteral("resultDate"), todayCst(-1) + QStringLiteral(" 09:00:00")},
                                     {QStringLiteral("userName"), QStringLiteral("欧阳振华")}, {QStringLiteral("userProp"), 1},
                                     {QStringLiteral("hallCode"), kHallCode}});
            ratings << rating(projectNo, levels[i], nowCst(300 - i), kDept);
        }
        QCOMPARE(adminSend(m_hub.url(), "POST", QStringLiteral("/v1/admin/cases"), QJsonObject{{QStringLiteral("cases"), cases}}), 200);
        m_creds = enroll(m_hub.url(), QStringLiteral("kiosk-fig0"), kHallCode);
        QVERIFY(m_creds.isValid());
        Kiosk kiosk(m_dir.filePath(QStringLiteral("kiosk.sqlite")), m_creds);
        QCOMPARE(kiosk.rateAll(ratings).count(2), ratings.size());
        m_client = std::make_unique<HubClient>();
        m_client->setCredentials(m_creds);
    }

    void option_offByDefault_nothingFetched()
    {
        QCOMPARE(KioskConfig().idleShowHallFigures, false);
        KioskConfig pushed = KioskConfig::fromJson(QJsonObject{{QStringLiteral("idle"), QJsonObject{{QStringLiteral("showHallFigures"), true}}}});
        QVERIFY(pushed.idleShowHallFigures);
        QVERIFY(KioskConfig::fromJson(pushed.toJson()).idleShowHallFigures);
        HallFigures f;
        wire(f);
        f.setEnabled(false, kHallCode);
        QCOMPARE(f.fetchCount(), 0);
        QVERIFY(!f.available());
    }

    void on_hubFigures_shownAsTheHubComputesThem()
    {
        HallFigures f;
        wire(f);
        QSignalSpy changed(&f, &HallFigures::changed);
        f.setEnabled(true, kHallCode);
        QVERIFY(!changed.isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(f.available(), 10000);
        QCOMPARE(f.ratings(), 5);
        QCOMPARE(f.goodRateText(), QStringLiteral("80.0%"));
        QCOMPARE(f.month(), QDateTime::currentDateTimeUtc().toOffsetFromUtc(8 * 3600).toString(QStringLiteral("yyyy-MM")));
    }

    void refresh_notMoreOftenThanEveryTenMinutes()
    {
        HallFigures f;
        wire(f);
        f.setIntervalMs(1000); // asked for every second: clamped
        QCOMPARE(f.intervalMs(), HallFigures::kMinIntervalMs);
        f.setEnabled(true, kHallCode);
        QTRY_VERIFY_WITH_TIMEOUT(f.available(), 10000);
        QCOMPARE(f.fetchCount(), 1);
        m_nowMs += 9 * 60 * 1000;
        f.refresh();
        QCOMPARE(f.fetchCount(), 1);
        m_nowMs += 61 * 1000;
        f.refresh();
        QCOMPARE(f.fetchCount(), 2);
        QTRY_VERIFY_WITH_TIMEOUT(f.available(), 10000);
    }

    void hubGone_lastFiguresKeptUnderADay_thenHidden()
    {
        HallFigures f;
        wire(f);
        f.setEnabled(true, kHallCode);
        QTRY_VERIFY_WITH_TIMEOUT(f.available(), 10000);
        // The hub stops answering (a port nobody listens on).
        DeviceCredentials gone = m_creds;
        QUrl dead = m_hub.url();
        dead.setPort(1);
        gone.hubUrl = dead;
        m_client->setCredentials(gone);
        const int before = f.fetchCount();
        m_nowMs += 11 * 60 * 1000;
        f.refresh();
        QCOMPARE(f.fetchCount(), before + 1);
        QTRY_COMPARE_WITH_TIMEOUT(f.answerCount(), before + 1, 5000);
        QVERIFY(f.available()); // 11 minutes old: still shown
        m_nowMs += 24LL * 3600 * 1000;
        f.refresh();
        QTRY_COMPARE_WITH_TIMEOUT(f.answerCount(), before + 2, 5000);
        QVERIFY(!f.available()); // a day old: hidden, no error shown
        m_client->setCredentials(m_creds);
    }

    void pushedOption_enrolledKiosk_startScreenFiguresFromTheHub()
    {
        // The hub checks the option: a non-boolean or an unknown key is refused.
        QCOMPARE(adminSend(m_hub.url(), "PUT", QStringLiteral("/v1/admin/config/default"),
                           QJsonObject{{QStringLiteral("kiosk"), QJsonObject{{QStringLiteral("idle"),
                                                                               QJsonObject{{QStringLiteral("showHallFigures"), QStringLiteral("yes")}}}}}}),
                 422);
        QCOMPARE(adminSend(m_hub.url(), "PUT", QStringLiteral("/v1/admin/config/default"),
                           QJsonObject{{QStringLiteral("kiosk"), QJsonObject{{QStringLiteral("idle"),
                                                                               QJsonObject{{QStringLiteral("everySecond"), true}}}}}}),
                 422);
        KioskServices::Options o;
        o.dataDir = m_dir.filePath(QStringLiteral("services"));
        o.tpmTcti = QStringLiteral("none");
        o.senderIdlePollMs = 10 * 60 * 1000;
        KioskServices s(o);
        QString error;
        QVERIFY2(s.init(&error), qPrintable(error));
        QVERIFY2(s.enroll(m_hub.url(), QLatin1String(kEnrollToken), &error), qPrintable(error));
        QVERIFY(!s.config().idleShowHallFigures);
        QVERIFY2(s.startSync(&error), qPrintable(error));
        QSignalSpy beats(s.agent(), &SyncAgent::heartbeatDone);
        QTRY_VERIFY_WITH_TIMEOUT(!beats.isEmpty(), 10000);
        QCOMPARE(s.hallFigures()->fetchCount(), 0); // off by default: nothing asked
        QCOMPARE(adminSend(m_hub.url(), "PUT", QStringLiteral("/v1/admin/config/default"),
                           QJsonObject{{QStringLiteral("kiosk"), QJsonObject{{QStringLiteral("hallCode"), kHallCode},
                                                                              {QStringLiteral("idle"), QJsonObject{{QStringLiteral("showHallFigures"), true}}}}}}),
                 200);
        s.agent()->pullConfigNow();
        QTRY_VERIFY_WITH_TIMEOUT(s.config().idleShowHallFigures, 15000);
        QTRY_VERIFY_WITH_TIMEOUT(s.hallFigures()->available(), 15000);
        QCOMPARE(s.hallFigures()->ratings(), 5);
        QCOMPARE(s.hallFigures()->goodRateText(), QStringLiteral("80.0%"));
    }

    void hallWithoutRatings_hidden()
    {
        HallFigures f;
        wire(f);
        f.setEnabled(true, QStringLiteral("110105009999"));
        QTRY_COMPARE_WITH_TIMEOUT(f.answerCount(), 1, 5000);
        QVERIFY(!f.available());
        QCOMPARE(f.ratings(), 0);
    }
};

QTEST_MAIN(TstHallFigures)
#include "tst_hallfigures.moc"

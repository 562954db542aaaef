// SPDX-License-Identifier: Apache-2.0
// Default ratings at the real hcp-hub (PROTOCOL §18.6): exactly one 基本满意 (isdefault 1) for a
// known case left unrated past its window — across a hub restart (SQLite) and with two hubs
// racing on one PostgreSQL — none for a case rated in time or still in its window, and a late
// kiosk rating refused with window_closed, which the kiosk keeps as 已超过评价期限.
#include "grievancesupport.h"

#include "hubprocess.h"
#include "pgserver.h"
#include "upstream/provinceprofile.h"
#include "upstream/upstreammapper.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTemporaryDir>
#include <QTest>

using namespace hcp::sync;
using namespace hcp::sync::test;
using namespace hcp::sync::test::grievance;

namespace {
const QString kDept = QStringLiteral("11110105000000000F");

QList<QJsonObject> defaultsOf(const QUrl &hub)
{
    QList<QJsonObject> out;
    for (const QJsonValue &v : hubEvaluations(hub, QStringLiteral("hub")))
        out.append(v.toObject());
    return out;
}

int countFor(const QList<QJsonObject> &defaults, const QString &projectNo)
{
    int n = 0;
    for (const QJsonObject &d : defaults)
        n += d.value(QLatin1String("payload")).toObject().value(QLatin1String("projectNo")).toString() == projectNo ? 1 : 0;
    return n;
}
} // namespace

class TestDefaultRatings : public QObject
{
    Q_OBJECT

private slots:
    void unratedPastWindow_oneDefault_acrossRestartAndReruns_noneWhenRatedOrStillOpen();
    void lateKioskRating_afterDefault_refusedWindowClosed_shownAsPastDeadline();
    void defaultRecord_mapsUpstreamWithIsdefault1();
    void twoHubsOnOnePostgres_racingSweeps_eachCaseDefaultedExactlyOnce();
};

void TestDefaultRatings::unratedPastWindow_oneDefault_acrossRestartAndReruns_noneWhenRatedOrStillOpen()
{
    QTemporaryDir dir;
    HubProcess hub;
    const QString db = dir.filePath(QStringLiteral("hub.sqlite"));
    // Started without defaults first: the cases and a rating in time arrive before any sweep.
    QVERIFY2(hub.start(db, 0, {QStringLiteral("--default-rating-days"), QStringLiteral("0")}), qPrintable(hub.output()));
    QVERIFY(importCase(hub.url(), QStringLiteral("D-OLD"), QStringLiteral("2026-11-02 10:00:00"), kDept, 3));
    QVERIFY(importCase(hub.url(), QStringLiteral("D-RATED"), QStringLiteral("2026-11-02 10:00:00"), kDept));
    QVERIFY(importCase(hub.url(), QStringLiteral("D-OPEN"), nowCst(3600), kDept));
    const DeviceCredentials creds = enroll(hub.url(), QStringLiteral("kiosk-d1"));
    Kiosk kiosk(dir.filePath(QStringLiteral("kiosk.sqlite")), creds);
    QCOMPARE(kiosk.rate(rating(QStringLiteral("D-RATED"), 4, QStringLiteral("2026-11-03 09:00:00"), kDept)), 2);
    QCOMPARE(adminSend(hub.url(), "POST", QStringLiteral("/v1/admin/grievance-defaults"), {}), 200);
    QVERIFY(defaultsOf(hub.url()).isEmpty()); // off with --default-rating-days 0
    hub.kill();

    const QStringList on{QStringLiteral("--default-rating-days"), QStringLiteral("5")};
    QVERIFY2(hub.start(db, 0, on), qPrintable(hub.output()));
    QTRY_COMPARE_WITH_TIMEOUT(defaultsOf(hub.url()).size(), 1, 10000); // the sweep at start
    const QJsonObject d = defaultsOf(hub.url()).first();
    const QJsonObject p = d.value(QLatin1String("payload")).toObject();
    QCOMPARE(p.value(QLatin1String("projectNo")).toString(), QStringLiteral("D-OLD"));
    QCOMPARE(p.value(QLatin1String("satisfaction")).toInt(), 3);
    QCOMPARE(p.value(QLatin1String("isdefault")).toInt(), 1);
    QCOMPARE(p.value(QLatin1String("pf")).toInt(), 3); // the case's channel
    QCOMPARE(p.value(QLatin1String("evalDetail")).toString(), QString());
    // 5 working days after Monday 2026-11-02, through 24:00.
    QCOMPARE(p.value(QLatin1String("assessTime")).toString(), QStringLiteral("2026-11-09 23:59:59"));
    QJsonObject run;
    QCOMPARE(adminSend(hub.url(), "POST", QStringLiteral("/v1/admin/grievance-defaults"), {}, &run), 200);
    QCOMPARE(run.value(QLatin1String("made")).toInt(), 0);
    hub.kill(); // a crash; the restarted hub sweeps again
    QVERIFY2(hub.start(db, 0, on), qPrintable(hub.output()));
    QCOMPARE(adminSend(hub.url(), "POST", QStringLiteral("/v1/admin/grievance-defaults"), {}, &run), 200);
    QCOMPARE(run.value(QLatin1String("made")).toInt(), 0);
    const QList<QJsonObject> after = defaultsOf(hub.url());
    QCOMPARE(after.size(), 1);
    QCOMPARE(countFor(after, QStringLiteral("D-RATED")), 0);
    QCOMPARE(countFor(after, QStringLiteral("D-OPEN")), 0);
}

void TestDefaultRatings::lateKioskRating_afterDefault_refusedWindowClosed_shownAsPastDeadline()
{
    QTemporaryDir dir;
    HubProcess hub;
    QVERIFY2(hub.start(dir.filePath(QStringLiteral("hub.sqlite")), 0,
                       {QStringLiteral("--default-rating-days"), QStringLiteral("5")}),
             qPrintable(hub.output()));
    QVERIFY(importCase(hub.url(), QStringLiteral("D-LATE"), QStringLiteral("2026-10-12 10:00:00"), kDept));
    QJsonObject run;
    QCOMPARE(adminSend(hub.url(), "POST", QStringLiteral("/v1/admin/grievance-defaults"), {}, &run), 200);
    QCOMPARE(run.value(QLatin1String("made")).toInt(), 1);
    const DeviceCredentials creds = enroll(hub.url(), QStringLiteral("kiosk-d2"));
    Kiosk kiosk(dir.filePath(QStringLiteral("kiosk.sqlite")), creds);
    QString why;
    QCOMPARE(kiosk.rate(rating(QStringLiteral("D-LATE"), 1, nowCst(0), kDept), &why), 3); // quarantined: final
    QVERIFY2(why.contains(QStringLiteral("已超过评价期限")), qPrintable(why));
    // Kept at the hub as evidence, not stored as a rating, no case file opened.
    bool evidence = false;
    for (const QJsonValue &v : adminGet(hub.url(), QStringLiteral("/v1/admin/problems")).value(QLatin1String("problems")).toArray())
        evidence = evidence || (v.toObject().value(QLatin1String("kind")).toString() == QLatin1String("late")
                                && v.toObject().value(QLatin1String("reason")).toString() == QLatin1String("window_closed"));
    QVERIFY(evidence);
    QCOMPARE(hubEvaluations(hub.url(), QStringLiteral("kiosk-d2")).size(), 0);
    // A 追评 is not a first rating; and other cases are rated as before.
    QVERIFY(importCase(hub.url(), QStringLiteral("D-FRESH"), nowCst(600), kDept));
    QCOMPARE(kiosk.rate(rating(QStringLiteral("D-FRESH"), 5, nowCst(0), kDept)), 2);
}

void TestDefaultRatings::defaultRecord_mapsUpstreamWithIsdefault1()
{
    QJsonObject e = rating(QStringLiteral("D-MAP"), 3, QStringLiteral("2026-11-09 23:59:59"), kDept);
    e.insert(QStringLiteral("uuid"), QStringLiteral("default-D-MAP-1"));
    e.insert(QStringLiteral("deviceSeq"), 1);
    const hcp::sync::hub::upstream::ProvinceProfile profile;
    const auto noKey = [](const QJsonObject &, QString *, QString *) { return true; };
    QJsonObject record;
    QString error;
    QVERIFY(hcp::sync::hub::upstream::UpstreamMapper::map(e, {}, profile, noKey, &record, &error));
    QCOMPARE(record.value(QLatin1String("isdefault")).toString(), QStringLiteral("0"));
    e.insert(QStringLiteral("isdefault"), 1);
    QVERIFY(hcp::sync::hub::upstream::UpstreamMapper::map(e, {}, profile, noKey, &record, &error));
    QCOMPARE(record.value(QLatin1String("isdefault")).toString(), QStringLiteral("1"));
}

void TestDefaultRatings::twoHubsOnOnePostgres_racingSweeps_eachCaseDefaultedExactlyOnce()
{
    QTemporaryDir dir;
    PgServer pg;
    QString error;
    QVERIFY2(pg.start(dir.path(), &error), qPrintable(error));
    HubProcess seed;
    QVERIFY2(seed.start(pg.spec()), qPrintable(seed.output()));
    constexpr int kCases = 40;
    QJsonArray cases;
    for (int i = 0; i < kCases; ++i)
        cases.append(QJsonObject{{QStringLiteral("projectNo"), QStringLiteral("D-PG-%1").arg(i, 3, 10, QLatin1Char('0'))},
                                 {QStringLiteral("serviceNumber"), 1},
                                 {QStringLiteral("userName"), QStringLiteral("李华")},
                                 {QStringLiteral("hallCode"), QLatin1String(kHall)},
                                 {QStringLiteral("deptCode"), kDept},
                                 {QStringLiteral("resultDate"), QStringLiteral("2026-11-0%1 10:00:00").arg(2 + i % 5)}});
    QJsonObject imported;
    QCOMPARE(adminSend(seed.url(), "POST", QStringLiteral("/v1/admin/cases"), QJsonObject{{QStringLiteral("cases"), cases}}, &imported), 200);
    QCOMPARE(imported.value(QLatin1String("imported")).toInt(), kCases);
    seed.kill();
    // Two hubs with defaults on, sweeping at start and then asked again at the same moment.
    const QStringList on{QStringLiteral("--default-rating-days"), QStringLiteral("5")};
    HubProcess a, b;
    QVERIFY2(a.start(pg.spec(), 0, on), qPrintable(a.output()));
    QVERIFY2(b.start(pg.spec(), 0, on), qPrintable(b.output()));
    QNetworkAccessManager nam;
    QList<QNetworkReply *> replies;
    for (int round = 0; round < 3; ++round)
        for (HubProcess *h : {&a, &b}) {
            QNetworkRequest r(h->url().resolved(QUrl(QStringLiteral("/v1/admin/grievance-defaults"))));
            r.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
            r.setRawHeader("Authorization", QByteArray("Bearer ") + kAdminToken);
            replies.append(nam.post(r, QByteArray("{}")));
        }
    for (QNetworkReply *r : std::as_const(replies)) {
        QTRY_VERIFY_WITH_TIMEOUT(r->isFinished(), 30000);
        QCOMPARE(r->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        r->deleteLater();
    }
    QTRY_COMPARE_WITH_TIMEOUT(defaultsOf(a.url()).size(), kCases, 15000);
    b.kill();
    QVERIFY2(b.start(pg.spec(), 0, on), qPrintable(b.output()));
    QCOMPARE(adminSend(b.url(), "POST", QStringLiteral("/v1/admin/grievance-defaults"), {}), 200);
    const QList<QJsonObject> all = defaultsOf(b.url());
    QCOMPARE(all.size(), kCases);
    QSet<QString> projects;
    for (const QJsonObject &d : all)
        projects.insert(d.value(QLatin1String("payload")).toObject().value(QLatin1String("projectNo")).toString());
    QCOMPARE(projects.size(), kCases);
}

QTEST_GUILESS_MAIN(TestDefaultRatings)
#include "tst_defaultratings.moc"

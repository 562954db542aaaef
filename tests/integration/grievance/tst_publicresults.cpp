// SPDX-License-Identifier: Apache-2.0
// 评价结果公开 at the real hcp-hub (PROTOCOL §18.9), attacked by an anonymous client: the page
// and the kiosk figures carry the month's 好评率 and the rectified 差评, but none of the seeded
// names, 办件编号 or phone numbers, no comment of a rating not made public, nothing of another
// month whatever the query asks; POST is refused; a flood from one address is throttled.
#include "grievancesupport.h"

#include "hubprocess.h"

#include <QTemporaryDir>
#include <QTest>

using namespace hcp::sync;
using namespace hcp::sync::test;
using namespace hcp::sync::test::grievance;

namespace {
const QString kPublicHall = QStringLiteral("110105001000");
const QString kDept = QStringLiteral("11110105000000000P");
const QString kName = QStringLiteral("欧阳振华");
const QString kPhone = QStringLiteral("13912345678");
}

class TestPublicResults : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void anonymous_page_showsMonthFigures_noPersonalData();
    void anonymous_otherPeriodQuery_sameMonthOnly();
    void anonymous_figures_forKiosk_matchTheMonth();
    void anonymous_post_refused();

private:
    Http get(const QString &path) { return http(m_hub.url().resolved(QUrl(path)), "GET"); }

    QTemporaryDir m_dir;
    HubProcess m_hub;
    QStringList m_projectNos;
    int m_ratings = 0, m_good = 0;
};

void TestPublicResults::initTestCase()
{
    const QString db = m_dir.filePath(QStringLiteral("hub.sqlite"));
    QVERIFY2(m_hub.start(db), qPrintable(m_hub.output()));
    QVERIFY(addUser(db, QStringLiteral("ops.p"), QStringLiteral("maintainer"), QStringLiteral("ops-pass-2026")));
    const QByteArray ops = login(m_hub.url(), QStringLiteral("ops.p"), QStringLiteral("ops-pass-2026"));
    QVERIFY(!ops.isEmpty());
    QJsonArray cases;
    QList<QJsonObject> ratings;
    // Ten this month: 5 5 4 3 2 1 5 4 2 5; the three 差评 comments: public, not public, public.
    static const int levels[10] = {5, 5, 4, 3, 2, 1, 5, 4, 2, 5};
    int bad = 0;
    for (int i = 0; i < 11; ++i) {
        const QString projectNo = QStringLiteral("PUB2026%1").arg(i, 6, 10, QLatin1Char('0'));
        m_projectNos << projectNo;
        cases.append(QJsonObject{{QStringLiteral("projectNo"), projectNo}, {QStringLiteral("serviceNumber"), 1},
                                 {QStringLiteral("taskName"), QStringLiteral("不动产登记")}, {QStringLiteral("deptName"), QStringLiteral("县自然资源局")},
                                 {QStringLiteral("deptCode"), kDept}, {QStringLiteral("resultDate"), todayCst(i == 10 ? -71 : -1) + QStringLiteral(" 09:00:00")},
                                 {QStringLiteral("userName"), kName}, {QStringLiteral("mobile"), kPhone}, {QStringLiteral("userProp"), 1},
                                 {QStringLiteral("staffName"), QStringLiteral("司马工作")}, {QStringLiteral("hallCode"), kPublicHall}});
        // The eleventh is of an earlier month: never public now.
        const bool old = i == 10;
        const int s = old ? 1 : levels[i];
        QJsonObject e = rating(projectNo, s, old ? todayCst(-70) + QStringLiteral(" 10:00:00") : nowCst(300 - i), kDept);
        e.insert(QStringLiteral("userNameMasked"), QStringLiteral("欧*"));
        if (s <= 2) {
            const bool open = old || bad % 2 == 0;
            e.insert(QStringLiteral("publicFlag"), open ? 1 : 2);
            e.insert(QStringLiteral("writingEvaluation"),
                     (open ? QStringLiteral("公开意见") : QStringLiteral("保密意见")) + QString::number(i) + QStringLiteral("，电话") + kPhone);
            bad += old ? 0 : 1;
        }
        if (!old) {
            ++m_ratings;
            m_good += s >= 3;
        }
        ratings << e;
    }
    QJsonObject response;
    QCOMPARE(adminSend(m_hub.url(), "POST", QStringLiteral("/v1/admin/cases"), QJsonObject{{QStringLiteral("cases"), cases}},
                       &response), 200);
    const DeviceCredentials creds = enroll(m_hub.url(), QStringLiteral("kiosk-p0"), kPublicHall);
    QVERIFY(creds.isValid());
    Kiosk kiosk(m_dir.filePath(QStringLiteral("kiosk.sqlite")), creds);
    QCOMPARE(kiosk.rateAll(ratings).count(2), ratings.size());
    // Every 差评 file is rectified (the old one too).
    for (const QJsonValue &v : console(m_hub.url(), ops, "GET", QStringLiteral("grievance/files")).json().value(QLatin1String("files")).toArray()) {
        const qint64 id = v.toObject().value(QLatin1String("id")).toInteger();
        for (const char *a : {"verify", "rectify", "answer"}) {
            const Http r = console(m_hub.url(), ops, "POST", QStringLiteral("grievance/files/%1/%2").arg(id).arg(QLatin1String(a)),
                                   QJsonObject{{QStringLiteral("text"), QStringLiteral("窗口增设导办员")}});
            if (r.status == 409) // the old one is past its deadline: 书面说明 first
                QCOMPARE(console(m_hub.url(), ops, "POST", QStringLiteral("grievance/files/%1/extend").arg(id),
                                 QJsonObject{{QStringLiteral("text"), QStringLiteral("延误说明")}, {QStringLiteral("newDueDate"), todayCst(3)}}).status, 200);
            if (r.status == 409)
                QCOMPARE(console(m_hub.url(), ops, "POST", QStringLiteral("grievance/files/%1/%2").arg(id).arg(QLatin1String(a)),
                                 QJsonObject{{QStringLiteral("text"), QStringLiteral("窗口增设导办员")}}).status, 200);
            else
                QCOMPARE(r.status, 200);
        }
    }
}

void TestPublicResults::anonymous_page_showsMonthFigures_noPersonalData()
{
    const Http r = get(QStringLiteral("/public"));
    QCOMPARE(r.status, 200);
    QVERIFY(r.header("Content-Type").startsWith("text/html"));
    const QString body = QString::fromUtf8(r.body);
    QVERIFY(body.contains(QStringLiteral("评价结果公开")));
    QVERIFY(body.contains(QStringLiteral("@page{size:A4")));
    const QString rate = QString::number(100.0 * m_good / m_ratings, 'f', 1) + QLatin1Char('%');
    QVERIFY2(body.contains(rate), qPrintable(rate));
    QCOMPARE(body.count(QStringLiteral("窗口增设导办员")), 3); // the month's three rectified 差评
    QVERIFY(body.contains(QStringLiteral("公开意见4")) && body.contains(QStringLiteral("公开意见8")));
    QVERIFY(!body.contains(QStringLiteral("保密意见"))); // publicFlag 2: never shown
    QVERIFY(!body.contains(QStringLiteral("公开意见10"))); // another month
    for (const QString &p : std::as_const(m_projectNos))
        QVERIFY2(!r.body.contains(p.toUtf8()) && !r.body.contains(p.right(6).toUtf8()), qPrintable(p));
    for (const QString &s : {kName, QStringLiteral("司马工作"), QStringLiteral("欧*")})
        QVERIFY2(!body.contains(s), qPrintable(s));
    // The phone number only inside a citizen's own public comment would leak: it must not appear
    // outside comments — the seeded public comments carry it, so the page shows only what the
    // citizen published. The case's mobile field never appears on its own.
    QCOMPARE(body.count(kPhone), body.count(QStringLiteral("公开意见")));
}

void TestPublicResults::anonymous_otherPeriodQuery_sameMonthOnly()
{
    const QByteArray month = get(QStringLiteral("/public")).body;
    for (const QString &q : {QStringLiteral("/public?period=year&from=2020-01-01"),
                             QStringLiteral("/public?period=custom&from=2000-01-01&to=2030-12-31"),
                             QStringLiteral("/public/figures?period=year&from=") + todayCst(-70)}) {
        const Http r = get(q);
        QCOMPARE(r.status, 200);
        QVERIFY(!r.body.contains("公开意见10"));
        if (q.startsWith(QLatin1String("/public?")))
            QCOMPARE(r.body, month);
    }
}

void TestPublicResults::anonymous_figures_forKiosk_matchTheMonth()
{
    const Http r = get(QStringLiteral("/public/figures?hall=") + kPublicHall);
    QCOMPARE(r.status, 200);
    const QJsonObject hall = r.json().value(QLatin1String("hall")).toObject();
    QCOMPARE(hall.value(QLatin1String("ratings")).toInt(), m_ratings);
    QVERIFY(qAbs(hall.value(QLatin1String("goodRate")).toDouble() - double(m_good) / m_ratings) < 1e-9);
    QCOMPARE(hall.value(QLatin1String("rectified")).toInt(), 3);
    const Http other = get(QStringLiteral("/public/figures?hall=110105999000"));
    QCOMPARE(other.json().value(QLatin1String("hall")).toObject().value(QLatin1String("ratings")).toInt(), 0);
}

void TestPublicResults::anonymous_post_refused()
{
    for (const char *path : {"/public", "/public/figures"}) {
        const Http r = http(m_hub.url().resolved(QUrl(QLatin1String(path))), "POST", "{}");
        QCOMPARE(r.status, 405);
        QVERIFY(!r.body.contains("窗口增设导办员"));
    }
    // A flood from one address: throttled after 60 a minute.
    int throttled = 0;
    for (int i = 0; i < 70 && !throttled; ++i)
        throttled += get(QStringLiteral("/public/figures")).status == 429;
    QCOMPARE(throttled, 1);
}

QTEST_GUILESS_MAIN(TestPublicResults)
#include "tst_publicresults.moc"

// SPDX-License-Identifier: Apache-2.0
// The holiday calendar as signed configuration (PROTOCOL §19) against the real hcp-hub: an admin's
// malformed year is refused with the offending dates and audited, only an admin may upload, a good
// year is stored, listed and published signed; a kiosk (its real Store and ConfigApplier) verifies
// the envelope and its window then uses the published year, and refuses an unsigned, wrongly
// signed or malformed calendar keeping the old one. Alerts are checked with injected dates.
#include "calendarservice.h"
#include "configapplier.h"
#include "configenvelope.h"
#include "crypto.h"
#include "grievancesupport.h"
#include "store.h"
#include "workcalendar.h"

#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

using namespace hcp::sync::test;
using namespace hcp::sync::test::grievance;
using hcp::sync::hub::calendar::CalendarService;
using hcp::sync::hub::calendar::HolidayStore;

class TestHubCalendar : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    HubProcess m_hub;
    QString m_hubDb;
    QByteArray m_admin, m_ops;
    hcp::sync::DeviceCredentials m_creds;
    hcp::trust::Key m_key = hcp::trust::Key::generate(hcp::trust::KeyType::Sm2);

private slots:
    void initTestCase()
    {
        m_hubDb = m_dir.filePath(QStringLiteral("hub.sqlite"));
        QVERIFY2(m_hub.start(m_hubDb), qPrintable(m_hub.output()));
        m_creds = enrollWithKey(m_hub.url(), QStringLiteral("kiosk-cal1"), m_key);
        QVERIFY(m_creds.isValid());
        QVERIFY(addUser(m_hubDb, QStringLiteral("admin.c"), QStringLiteral("admin"), QStringLiteral("admin-pass-2026")));
        QVERIFY(addUser(m_hubDb, QStringLiteral("ops.c"), QStringLiteral("maintainer"), QStringLiteral("ops-pass-2026")));
        m_admin = login(m_hub.url(), QStringLiteral("admin.c"), QStringLiteral("admin-pass-2026"));
        m_ops = login(m_hub.url(), QStringLiteral("ops.c"), QStringLiteral("ops-pass-2026"));
        QVERIFY(!m_admin.isEmpty() && !m_ops.isEmpty());
    }

    void calendar_shippedFiles_seededAtFirstStart()
    {
        const QJsonObject s = console(m_hub.url(), m_ops, "GET", QStringLiteral("calendar")).json();
        QHash<int, QJsonObject> years;
        for (const QJsonValue &v : s.value(QLatin1String("years")).toArray())
            years.insert(v.toObject().value(QLatin1String("year")).toInt(), v.toObject());
        QVERIFY(years.contains(2026) && years.contains(2023));
        QCOMPARE(years.value(2026).value(QLatin1String("source")).toString(), QStringLiteral("shipped"));
        QCOMPARE(years.value(2026).value(QLatin1String("makeUpDays")).toInt(), 6); // domain.md §e
        QCOMPARE(s.value(QLatin1String("canUpload")).toBool(), false);           // a maintainer
    }

    void calendar_malformedYear_refusedWithOffendingDates()
    {
        QJsonObject bad = holidayNotice2027();
        QJsonArray days = bad.value(QLatin1String("days")).toArray();
        days.append(holidayDay(QStringLiteral("2027-01-01"), true));  // duplicate
        days.append(holidayDay(QStringLiteral("2026-05-05"), true));  // outside 2027
        days.append(holidayDay(QStringLiteral("2027-04-07"), false)); // make-up on a Wednesday
        bad.insert(QStringLiteral("days"), days);
        Http r = console(m_hub.url(), m_admin, "POST", QStringLiteral("calendar/2027"), bad);
        QCOMPARE(r.status, 400);
        const QString message = r.json().value(QLatin1String("message")).toString();
        QVERIFY2(message.contains(QStringLiteral("2027-01-01")) && message.contains(QStringLiteral("2026-05-05"))
                     && message.contains(QStringLiteral("2027-04-07（周三）")),
                 qPrintable(message));
        QCOMPARE(r.json().value(QLatin1String("problems")).toArray().size(), 3);
        // A key twice in one object is refused (strict parsing), and so is a wrong year.
        r = console(m_hub.url(), m_admin, "POST", QStringLiteral("calendar/2027"),
                    QByteArray(R"({"year":2027,"year":2028,"days":[]})"));
        QCOMPARE(r.status, 400);
        QCOMPARE(console(m_hub.url(), m_admin, "POST", QStringLiteral("calendar/2028"), holidayNotice2027()).status, 400);
        // An empty year is not an upload.
        QCOMPARE(console(m_hub.url(), m_admin, "POST", QStringLiteral("calendar/2027"),
                         QJsonObject{{QStringLiteral("year"), 2027}, {QStringLiteral("days"), QJsonArray{}}}).status, 400);
        // Only an admin uploads.
        QCOMPARE(console(m_hub.url(), m_ops, "POST", QStringLiteral("calendar/2027"), holidayNotice2027()).status, 403);
        // Nothing was stored; every refusal is in the audit.
        const QJsonObject s = console(m_hub.url(), m_admin, "GET", QStringLiteral("calendar")).json();
        for (const QJsonValue &v : s.value(QLatin1String("years")).toArray())
            if (v.toObject().value(QLatin1String("year")).toInt() == 2027)
                QCOMPARE(v.toObject().value(QLatin1String("holidays")).toInt(), 0);
        int refused = 0;
        for (const QJsonValue &v : s.value(QLatin1String("audit")).toArray())
            refused += v.toObject().value(QLatin1String("action")).toString() == QLatin1String("refused") ? 1 : 0;
        QCOMPARE(refused, 4);
    }

    void calendar_published_kioskAppliesItToTheWindow()
    {
        Http r = console(m_hub.url(), m_admin, "POST", QStringLiteral("calendar/2027"), holidayNotice2027());
        QCOMPARE(r.status, 200);
        QVERIFY(r.json().value(QLatin1String("version")).toString().toLongLong() > 0);
        bool listed = false;
        for (const QJsonValue &v : r.json().value(QLatin1String("years")).toArray())
            if (v.toObject().value(QLatin1String("year")).toInt() == 2027) {
                listed = true;
                QCOMPARE(v.toObject().value(QLatin1String("holidays")).toInt(), 8);
                QCOMPARE(v.toObject().value(QLatin1String("makeUpDays")).toInt(), 1);
                QCOMPARE(v.toObject().value(QLatin1String("source")).toString(), QStringLiteral("upload"));
                QVERIFY(v.toObject().value(QLatin1String("published")).toBool());
            }
        QVERIFY(listed);
        // The signed envelope of the calendar layer, as a device gets it.
        const QJsonObject envelope = console(m_hub.url(), m_admin, "GET", QStringLiteral("config?scope=calendar")).json();
        const QByteArray body = compact(envelope);
        hcp::sync::ConfigEnvelope verified;
        QString reason;
        QVERIFY2(hcp::sync::ConfigEnvelope::verify(body, m_creds.hubPublicKey, 0, &verified, &reason), qPrintable(reason));

        // The kiosk: shipped calendar (2027 empty) → the published one through its ConfigApplier.
        hcp::kiosk::Store store;
        QVERIFY(store.open(m_dir.filePath(QStringLiteral("kiosk.sqlite"))));
        hcp::kiosk::ConfigApplier applier(&store);
        hcp::kiosk::WorkCalendar shipped;
        QVERIFY(shipped.loadDirectory(QStringLiteral(":/hcp/holidays")) > 0);
        const QDateTime completion(QDate(2027, 3, 5), QTime(10, 0)); // Friday before the holiday
        QCOMPARE(shipped.windowEnd(completion, 2), QDateTime(QDate(2027, 3, 10), QTime(0, 0)));
        const auto result = applier.apply(verified.document, verified.version, "etag-1", hcp::kiosk::KioskConfig());
        QVERIFY2(result.ok, qPrintable(result.reason));
        QVERIFY(result.holidays);
        hcp::kiosk::WorkCalendar applied = shipped;
        for (const auto &n : *result.holidays)
            applied.loadNotice(n);
        // Sat 6 March is a make-up day, 8–12 March are off: the 2nd working day is Mon 15 March.
        QCOMPARE(applied.windowEnd(completion, 2), QDateTime(QDate(2027, 3, 16), QTime(0, 0)));
        QVERIFY(!store.config(QStringLiteral("holidays")).isEmpty());

        // Adversary: a forged signature, an unsigned copy, a malformed calendar: refused, the
        // applied version stays.
        QJsonObject forged = envelope;
        QJsonObject doc = forged.value(QLatin1String("document")).toObject();
        doc.insert(QStringLiteral("holidays"), QJsonObject{{QStringLiteral("notices"), QJsonArray{}}});
        forged.insert(QStringLiteral("document"), doc);
        QVERIFY(!hcp::sync::ConfigEnvelope::verify(compact(forged), m_creds.hubPublicKey, 0, nullptr, &reason));
        QVERIFY(reason.startsWith(QLatin1String("bad-signature")));
        forged.remove(QStringLiteral("signature"));
        QVERIFY(!hcp::sync::ConfigEnvelope::verify(compact(forged), m_creds.hubPublicKey, 0, nullptr, &reason));
        QVERIFY(reason.startsWith(QLatin1String("unsigned")));
        const QByteArray otherKey = hcp::trust::Key::generate(hcp::trust::KeyType::Sm2).publicPem();
        QVERIFY(!hcp::sync::ConfigEnvelope::verify(body, otherKey, 0, nullptr, &reason));
        QJsonObject malformed = holidayNotice2027();
        malformed.insert(QStringLiteral("days"), QJsonArray{holidayDay(QStringLiteral("2027-03-10"), false)}); // a Wednesday
        const auto refused = applier.apply(QJsonObject{{QStringLiteral("holidays"),
                                                        QJsonObject{{QStringLiteral("notices"), QJsonArray{malformed}}}}},
                                           verified.version + 1, "etag-2", hcp::kiosk::KioskConfig());
        QVERIFY(!refused.ok);
        QVERIFY2(refused.reason.contains(QStringLiteral("2027-03-10")), qPrintable(refused.reason));
        QCOMPARE(applier.activeVersion(), verified.version);

        // A push of the holidays part outside the calendar page is refused by the hub (422 invalid).
        QCOMPARE(adminSend(m_hub.url(), "PUT", QStringLiteral("/v1/admin/config/default"),
                           QJsonObject{{QStringLiteral("holidays"), verified.document.value(QLatin1String("holidays"))}}), 422);
        // Replacing the default document keeps the calendar layer in what a device runs.
        QCOMPARE(adminSend(m_hub.url(), "PUT", QStringLiteral("/v1/admin/config/default"),
                           QJsonObject{{QStringLiteral("kiosk"), QJsonObject{{QStringLiteral("idleTimeoutSeconds"), 60}}}}), 200);
        QByteArray raw;
        QCOMPARE(signedRequest(m_hub.url(), m_creds, m_key, "GET", QStringLiteral("/v1/config"), QDateTime::currentMSecsSinceEpoch(),
                               {}, &raw), 200);
        const QJsonObject deviceConfig = QJsonDocument::fromJson(raw).object();
        QVERIFY(deviceConfig.value(QLatin1String("document")).toObject().contains(QLatin1String("holidays")));
        QVERIFY(deviceConfig.value(QLatin1String("document")).toObject().contains(QLatin1String("kiosk")));
    }

    void calendar_nextYearMissingAfterFirstNovember_alerts()
    {
        auto notice = [](int year, bool withDays) {
            HolidayStore::Held h;
            h.notice.year = year;
            if (withDays)
                h.notice.days.append({QStringLiteral("元旦"), QDate(year, 1, 1), true});
            return h;
        };
        auto kinds = [](const QJsonArray &alerts) {
            QStringList k;
            for (const QJsonValue &a : alerts)
                k << a.toObject().value(QLatin1String("kind")).toString() + QLatin1Char('@')
                        + QString::number(a.toObject().value(QLatin1String("year")).toInt());
            return k;
        };
        const QList<HolidayStore::Held> held{notice(2026, true), notice(2027, false)};
        QCOMPARE(kinds(CalendarService::alerts(held, QDate(2026, 10, 31), 0)), QStringList());
        QCOMPARE(kinds(CalendarService::alerts(held, QDate(2026, 11, 1), 0)), QStringList{QStringLiteral("calendar_next_missing@2027")});
        QCOMPARE(kinds(CalendarService::alerts({notice(2026, true)}, QDate(2026, 12, 31), 0)),
                 QStringList{QStringLiteral("calendar_next_missing@2027")});
        QCOMPARE(kinds(CalendarService::alerts({notice(2026, true), notice(2027, true)}, QDate(2026, 11, 2), 0)), QStringList());
        // The current year missing or empty: at once, any day of the year.
        QCOMPARE(kinds(CalendarService::alerts(held, QDate(2027, 1, 1), 0)), QStringList{QStringLiteral("calendar_missing@2027")});
        QCOMPARE(kinds(CalendarService::alerts({}, QDate(2027, 11, 5), 0)),
                 (QStringList{QStringLiteral("calendar_missing@2027"), QStringLiteral("calendar_next_missing@2028")}));
    }
};

QTEST_GUILESS_MAIN(TestHubCalendar)
#include "tst_hubcalendar.moc"

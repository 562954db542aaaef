// SPDX-License-Identifier: Apache-2.0
// The kiosk's working-day calendar comes only from the hub's signed configuration (PROTOCOL §7,
// §19), checked again at every start — KioskServices as hcp-kiosk runs it, against the real
// hcp-hub: a notice an admin publishes while the kiosk runs moves the rating window of the next
// visit; root on the kiosk editing the stored calendar or settings (to move the window) is refused
// at the next start — the shipped calendar and built-in settings, a warning — until the hub's
// signed document arrives again; files dropped into the data directory change nothing.
#include "configenvelope.h"
#include "crypto.h"
#include "evaluationsession.h"
#include "grievancesupport.h"
#include "kioskservices.h"
#include "store.h"
#include "syncagent.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace hcp::kiosk;
using namespace hcp::sync::test;
using namespace hcp::sync::test::grievance;
using S = EvaluationSession::State;

namespace {
// Completed on Friday 5 March 2027; the kiosk's window is 5 working days.
const QDateTime kCompletion(QDate(2027, 3, 5), QTime(10, 0));
// Shipped calendar (2027 all weekdays): 8–12 March, the window ends at 24:00 on Friday 12 March.
const QDateTime kShippedEnd(QDate(2027, 3, 13), QTime(0, 0));
// Published: Sat 6 March, then 15–18 March: it ends at 24:00 on Thursday 18 March.
const QDateTime kPublishedEnd(QDate(2027, 3, 19), QTime(0, 0));
const QRegularExpression kRefused(QStringLiteral("stored configuration version .* refused"));
} // namespace

class TstKioskCalendar : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    HubProcess m_hub;
    QString m_hubDb;
    QByteArray m_admin;
    QString m_kioskDir;
    qint64 m_publishedVersion = 0;

    KioskServices::Options options() const
    {
        KioskServices::Options o;
        o.dataDir = m_kioskDir;
        o.tpmTcti = QStringLiteral("none");
        o.senderIdlePollMs = 10 * 60 * 1000;
        return o;
    }
    QString dbPath() const { return QDir(m_kioskDir).filePath(QStringLiteral("kiosk.sqlite")); }

    // Root on the kiosk: writes a config row with the kiosk's own Store while hcp-kiosk is down.
    void tamper(const QString &key, const QByteArray &value)
    {
        Store store;
        QVERIFY(store.open(dbPath()));
        QString error;
        QVERIFY2(store.setConfig(key, value, store.configVersion(key), &error), qPrintable(error));
    }
    QByteArray storedRow(const QString &key)
    {
        Store store;
        if (!store.open(dbPath()))
            return {};
        return store.config(key);
    }
    // The stored envelope with its 2027 notice replaced by one whose holiday runs on through
    // 19 March (the window would then end on 26 March).
    QJsonObject widenedEnvelope()
    {
        QJsonObject envelope = QJsonDocument::fromJson(storedRow(QStringLiteral("hub-envelope"))).object();
        QJsonObject doc = envelope.value(QLatin1String("document")).toObject();
        QJsonObject notice = holidayNotice2027();
        QJsonArray days = notice.value(QLatin1String("days")).toArray();
        for (int d = 15; d <= 19; ++d)
            days.append(holidayDay(QStringLiteral("2027-03-%1").arg(d), true));
        notice.insert(QStringLiteral("days"), days);
        QJsonArray notices;
        for (const QJsonValue &v : doc.value(QLatin1String("holidays")).toObject().value(QLatin1String("notices")).toArray())
            if (v.toObject().value(QLatin1String("year")).toInt() != 2027)
                notices.append(v);
        notices.append(notice);
        doc.insert(QStringLiteral("holidays"), QJsonObject{{QStringLiteral("notices"), notices}});
        envelope.insert(QStringLiteral("document"), doc);
        return envelope;
    }

    // A start after tampering: refused with a warning, the shipped calendar and the built-in
    // window; the hub's signed document, fetched again, restores the published calendar.
    void expectRefusedThenRestored()
    {
        {
            KioskServices s(options());
            QString error;
            QTest::ignoreMessage(QtWarningMsg, kRefused);
            QVERIFY2(s.init(&error), qPrintable(error));
            QCOMPARE(s.config().ratingWindowWorkingDays, 5);
            QCOMPARE(s.calendar().windowEnd(kCompletion, 5), kShippedEnd);
            QVERIFY(!s.calendar().covers(2027));
            QVERIFY2(s.startSync(&error), qPrintable(error));
            QTRY_COMPARE_WITH_TIMEOUT(s.calendar().windowEnd(kCompletion, 5), kPublishedEnd, 15000);
            QCOMPARE(s.agent()->activeConfigVersion(), m_publishedVersion);
        }
        // The next start verifies again, without a warning.
        KioskServices again(options());
        QString error;
        QTest::failOnWarning(kRefused);
        QVERIFY2(again.init(&error), qPrintable(error));
        QCOMPARE(again.calendar().windowEnd(kCompletion, 5), kPublishedEnd);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        m_hubDb = m_dir.filePath(QStringLiteral("hub.sqlite"));
        QVERIFY2(m_hub.start(m_hubDb), qPrintable(m_hub.output()));
        QVERIFY(addUser(m_hubDb, QStringLiteral("admin.k"), QStringLiteral("admin"), QStringLiteral("admin-pass-2026")));
        m_admin = login(m_hub.url(), QStringLiteral("admin.k"), QStringLiteral("admin-pass-2026"));
        QVERIFY(!m_admin.isEmpty());
        m_kioskDir = m_dir.filePath(QStringLiteral("kiosk"));
        KioskServices s(options());
        QString error;
        QVERIFY2(s.init(&error), qPrintable(error));
        QVERIFY2(s.enroll(m_hub.url(), QLatin1String(kEnrollToken), &error), qPrintable(error));
        QVERIFY(s.credentials().isValid());
    }

    void publishedNotice_whileTheKioskRuns_movesTheWindowOfTheNextVisit()
    {
        KioskServices s(options());
        QString error;
        QVERIFY2(s.init(&error), qPrintable(error));
        QVERIFY2(s.startSync(&error), qPrintable(error));
        Case c;
        c.projectNo = QStringLiteral("CAL2027030501");
        c.taskCode = QStringLiteral("T-001");
        c.taskName = QStringLiteral("社会保障卡申领");
        c.deptName = QStringLiteral("人力资源和社会保障局");
        c.resultDate = kCompletion;
        c.userName = QStringLiteral("王建国");
        QVERIFY(s.store().upsertCases({c}));
        s.session()->setClock([] { return QDateTime(QDate(2027, 3, 15), QTime(10, 0)); }); // Monday
        auto visit = [&] {
            s.session()->finish();
            s.session()->beginTypedLookup();
            s.session()->submitTypedLookup(c.projectNo, QStringLiteral("王建国"));
            return s.session()->state();
        };
        // The shipped calendar: the window closed on Friday 12 March.
        QCOMPARE(visit(), S::NothingToRate);
        QVERIFY2(s.session()->message().contains(QStringLiteral("已超过评价期限")), qPrintable(s.session()->message()));

        const Http r = console(m_hub.url(), m_admin, "POST", QStringLiteral("calendar/2027"), holidayNotice2027());
        QCOMPARE(r.status, 200);
        m_publishedVersion = r.json().value(QLatin1String("version")).toString().toLongLong();
        QVERIFY(m_publishedVersion > 0);
        s.agent()->pullConfigNow();
        QTRY_COMPARE_WITH_TIMEOUT(s.agent()->activeConfigVersion(), m_publishedVersion, 15000);
        QCOMPARE(s.calendar().windowEnd(kCompletion, 5), kPublishedEnd);
        // The same kiosk, the next visit: inside the window that the published notice moved.
        QCOMPARE(visit(), S::Rate);
        s.session()->cancel();
        QVERIFY(!storedRow(QStringLiteral("hub-envelope")).isEmpty());
    }

    void restart_storedSignedCalendar_verifiedAndUsed()
    {
        KioskServices s(options());
        QString error;
        QTest::failOnWarning(kRefused);
        QVERIFY2(s.init(&error), qPrintable(error));
        QCOMPARE(s.calendar().windowEnd(kCompletion, 5), kPublishedEnd);
    }

    void editedEnvelopeDocument_refusedAtNextStart_shippedCalendarUntilTheHubsDocument()
    {
        tamper(QStringLiteral("hub-envelope"), compact(widenedEnvelope()));
        expectRefusedThenRestored();
    }

    void editedStoredDocumentAndCalendar_refusedAtNextStart()
    {
        // The attacker rewrites every copy consistently: the envelope, the stored document and
        // the calendar row; only the hub's signature is missing.
        const QJsonObject envelope = widenedEnvelope();
        const QJsonObject doc = envelope.value(QLatin1String("document")).toObject();
        tamper(QStringLiteral("hub-envelope"), compact(envelope));
        tamper(QStringLiteral("hub"), compact(doc));
        tamper(QStringLiteral("holidays"), compact(doc.value(QLatin1String("holidays")).toObject()));
        expectRefusedThenRestored();
    }

    void envelopeSignedWithAnotherKey_refusedAtNextStart()
    {
        const QJsonObject envelope = widenedEnvelope();
        const hcp::trust::Key attacker = hcp::trust::Key::generate(hcp::trust::KeyType::Sm2);
        const QByteArray forged = hcp::sync::ConfigEnvelope::sign(envelope.value(QLatin1String("document")).toObject(),
                                                                  envelope.value(QLatin1String("version")).toString().toLongLong(),
                                                                  envelope.value(QLatin1String("scope")).toString(),
                                                                  attacker.privatePem());
        QVERIFY(!forged.isEmpty());
        tamper(QStringLiteral("hub-envelope"), forged);
        expectRefusedThenRestored();
    }

    void envelopeRemoved_refusedAtNextStart()
    {
        tamper(QStringLiteral("hub-envelope"), QByteArrayLiteral(""));
        expectRefusedThenRestored();
    }

    void storedWindowLengthEdited_refusedAtNextStart()
    {
        // The settings row, or a new one where the hub's document has no kiosk part.
        const QByteArray row = storedRow(QStringLiteral("kiosk"));
        QJsonObject kiosk = row.isEmpty() ? KioskConfig().toJson() : QJsonDocument::fromJson(row).object();
        kiosk.insert(QStringLiteral("ratingWindowWorkingDays"), 30);
        tamper(QStringLiteral("kiosk"), compact(kiosk));
        expectRefusedThenRestored();
    }

    void filesDroppedIntoTheDataDirectory_changeNothing()
    {
        QVERIFY(QDir().mkpath(QDir(m_kioskDir).filePath(QStringLiteral("holidays"))));
        QJsonObject notice = holidayNotice2027();
        QJsonArray days = notice.value(QLatin1String("days")).toArray();
        for (int d = 15; d <= 19; ++d)
            days.append(holidayDay(QStringLiteral("2027-03-%1").arg(d), true));
        notice.insert(QStringLiteral("days"), days);
        QFile f(QDir(m_kioskDir).filePath(QStringLiteral("holidays/2027.json")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(compact(notice));
        f.close();
        QJsonObject notice2028{{QStringLiteral("year"), 2028}, {QStringLiteral("papers"), QJsonArray{}},
                               {QStringLiteral("days"), QJsonArray{holidayDay(QStringLiteral("2028-03-06"), true)}}};
        QFile f2(QDir(m_kioskDir).filePath(QStringLiteral("holidays/2028.json")));
        QVERIFY(f2.open(QIODevice::WriteOnly));
        f2.write(compact(notice2028));
        f2.close();

        KioskServices s(options());
        QString error;
        QTest::failOnWarning(kRefused);
        QVERIFY2(s.init(&error), qPrintable(error));
        QCOMPARE(s.calendar().windowEnd(kCompletion, 5), kPublishedEnd);
        QVERIFY(s.calendar().isWorkingDay(QDate(2028, 3, 6)));
    }
};

QTEST_MAIN(TstKioskCalendar)
#include "tst_kioskcalendar.moc"

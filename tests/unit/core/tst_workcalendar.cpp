// SPDX-License-Identifier: Apache-2.0
#include "holidaynotice.h"
#include "workcalendar.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <QTest>

using namespace hcp::kiosk;

class TestWorkCalendar : public QObject {
    Q_OBJECT
    WorkCalendar m_cal;
private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY(m_cal.loadDirectory(QStringLiteral(HCP_HOLIDAY_DIR), &error) >= 4);
        QVERIFY(m_cal.covers(2026));
        QVERIFY(m_cal.covers(2025));
    }
    void ordinaryWeek_countsWeekdaysOnly()
    {
        // Mon 2026-03-16 + 5 working days = Mon 2026-03-23 (weekend skipped).
        QCOMPARE(m_cal.addWorkingDays(QDate(2026, 3, 16), 5), QDate(2026, 3, 23));
        QVERIFY(!m_cal.isWorkingDay(QDate(2026, 3, 21)));
    }
    void makeUpSaturday_isWorkingDay()
    {
        // 2026-02-14 (Sat) and 2026-02-28 (Sat) are 调休 working days around 春节.
        QVERIFY(m_cal.isMakeUpWorkday(QDate(2026, 2, 14)));
        QVERIFY(m_cal.isWorkingDay(QDate(2026, 2, 14)));
        QVERIFY(m_cal.isWorkingDay(QDate(2026, 2, 28)));
        // Completion Thu 2026-02-12: Fri 13, Sat 14 (调休), then 春节 holiday until the 23rd.
        QCOMPARE(m_cal.addWorkingDays(QDate(2026, 2, 12), 2), QDate(2026, 2, 14));
    }
    void springFestival_holidayWeekdaysSkipped()
    {
        QVERIFY(m_cal.isHoliday(QDate(2026, 2, 16)));
        QVERIFY(!m_cal.isWorkingDay(QDate(2026, 2, 16))); // a Monday off
    }
    void nationalDayWeek_windowSpansTheHoliday()
    {
        // Completion Tue 2026-09-29: Wed 30 is a working day, 1–7 Oct off, Sat 10 Oct is 调休.
        QVERIFY(!m_cal.isWorkingDay(QDate(2026, 10, 1)));
        QVERIFY(!m_cal.isWorkingDay(QDate(2026, 10, 7)));
        QVERIFY(m_cal.isWorkingDay(QDate(2026, 10, 10)));
        const QDate fifth = m_cal.addWorkingDays(QDate(2026, 9, 29), 5);
        // 30 Sep (1), 8 Oct Thu (2), 9 Oct Fri (3), 10 Oct Sat 调休 (4), 12 Oct Mon (5).
        QCOMPARE(fifth, QDate(2026, 10, 12));
        const QDateTime done(QDate(2026, 9, 29), QTime(16, 0));
        QVERIFY(m_cal.isWithinWindow(done, QDateTime(QDate(2026, 10, 5), QTime(10, 0)), 5));
        QVERIFY(m_cal.isWithinWindow(done, QDateTime(QDate(2026, 10, 12), QTime(23, 59, 59)), 5));
        QVERIFY(!m_cal.isWithinWindow(done, QDateTime(QDate(2026, 10, 13), QTime(0, 0)), 5));
    }
    void tiaoxiuWeekend_2025_makeUpSundayCounts()
    {
        // 2025-09-28 (Sun) is a 调休 working day before National Day 2025.
        QVERIFY(m_cal.isWorkingDay(QDate(2025, 9, 28)));
        // Completion Fri 2025-09-26: Sun 28 (1), Mon 29 (2), Tue 30 (3), then 1–8 Oct off,
        // Thu 9 (4), Fri 10 (5); Sat 11 Oct 2025 is also 调休 but comes after.
        QCOMPARE(m_cal.addWorkingDays(QDate(2025, 9, 26), 5), QDate(2025, 10, 10));
    }
    void yearBoundary_usesBothFiles()
    {
        // 2026-01-01/02 are 元旦 holidays in the 2026 notice; 2026-01-04 (Sun) is 调休.
        QVERIFY(!m_cal.isWorkingDay(QDate(2026, 1, 2)));
        QVERIFY(m_cal.isWorkingDay(QDate(2026, 1, 4)));
        QCOMPARE(m_cal.addWorkingDays(QDate(2025, 12, 31), 1), QDate(2026, 1, 4));
    }
    void window_beforeCompletionOrInvalid_isClosed()
    {
        const QDateTime done(QDate(2026, 3, 16), QTime(10, 0));
        QVERIFY(!m_cal.isWithinWindow(done, done.addSecs(-3600), 5));
        QVERIFY(m_cal.isWithinWindow(done, done.addSecs(-60), 5)); // small clock skew tolerated
        QVERIFY(!m_cal.isWithinWindow(QDateTime(), done, 5));
        QVERIFY(!m_cal.isWithinWindow(done, done, 0));
    }
    void badJson_isRejected()
    {
        WorkCalendar c;
        QString e;
        QVERIFY(!c.loadJson("{not json", &e));
        QVERIFY(!e.isEmpty());
        QVERIFY(!c.loadJson(R"({"year":2030,"days":[{"name":"x","date":"bad","isOffDay":true}]})", &e));
        QVERIFY(!c.covers(2030));
    }
    // The hub's upload check and the kiosk's check of a signed "holidays" part (HolidayNotice).
    void calendar_malformedYear_refusedWithOffendingDates()
    {
        auto day = [](const char *date, bool off) {
            return QJsonObject{{QStringLiteral("name"), QStringLiteral("测试")}, {QStringLiteral("date"), QLatin1String(date)},
                               {QStringLiteral("isOffDay"), off}};
        };
        const QJsonObject bad{{QStringLiteral("year"), 2027},
                              {QStringLiteral("days"),
                               QJsonArray{day("2027-01-01", true), day("2027-01-01", true),  // duplicate
                                          day("2026-06-01", true), day("2028-03-03", true),  // outside the year
                                          day("2027-05-01", true), day("2027-05-01", false), // both
                                          day("2027-02-10", false),                          // make-up on a Wednesday
                                          day("2027-02-20", false)}}};                       // Saturday: fine
        QStringList errors;
        QVERIFY(!HolidayNotice::fromJson(bad, &errors));
        const QString all = errors.join(QLatin1Char('\n'));
        QVERIFY2(all.contains(QStringLiteral("重复出现：2027-01-01")), qPrintable(all));
        QVERIFY2(all.contains(QStringLiteral("不在 2027 年内")) && all.contains(QStringLiteral("2026-06-01、2028-03-03")), qPrintable(all));
        QVERIFY2(all.contains(QStringLiteral("既是节假日又是调休上班日：2027-05-01")), qPrintable(all));
        QVERIFY2(all.contains(QStringLiteral("2027-02-10（周三）")) && !all.contains(QStringLiteral("2027-02-20")), qPrintable(all));
        QVERIFY(!all.contains(QStringLiteral("重复出现：2027-05-01"))); // reported once, as a conflict
        // The wrong year for the upload, an unknown key, a bad entry, too many days.
        QVERIFY(!HolidayNotice::fromJson(QJsonObject{{QStringLiteral("year"), 2027}, {QStringLiteral("days"), QJsonArray{}}}, &errors, 2028));
        QVERIFY(errors.join(QString()).contains(QStringLiteral("不一致")));
        QVERIFY(!HolidayNotice::fromJson(QJsonObject{{QStringLiteral("year"), 2027}, {QStringLiteral("days"), QJsonArray{}},
                                                     {QStringLiteral("extra"), 1}}, &errors));
        QVERIFY(!HolidayNotice::fromJson(QJsonObject{{QStringLiteral("year"), 2027},
                                                     {QStringLiteral("days"), QJsonArray{QJsonObject{{QStringLiteral("date"), QStringLiteral("2027-13-01")},
                                                                                                     {QStringLiteral("isOffDay"), true}}}}}, &errors));
        QVERIFY(errors.join(QString()).contains(QStringLiteral("第 1 项")));
        QJsonArray many;
        for (int i = 0; i <= HolidayNotice::kMaxDays; ++i)
            many.append(day(qPrintable(QDate(2027, 1, 1).addDays(i).toString(Qt::ISODate)), true));
        QVERIFY(!HolidayNotice::fromJson(QJsonObject{{QStringLiteral("year"), 2027}, {QStringLiteral("days"), many}}, &errors));
        // Empty: allowed only where a placeholder is (the shipped 2027.json), not for an upload.
        const QJsonObject empty{{QStringLiteral("year"), 2027}, {QStringLiteral("days"), QJsonArray{}}};
        QVERIFY(HolidayNotice::fromJson(empty, &errors));
        QVERIFY(!HolidayNotice::fromJson(empty, &errors, 2027, false));
        QVERIFY(errors.join(QString()).contains(QStringLiteral("没有任何日期")));
        // A refused notice changes nothing in a calendar.
        WorkCalendar c;
        QVERIFY(!c.loadJson(QJsonDocument(bad).toJson()));
        QVERIFY(!c.covers(2027));
    }
    void calendar_shippedNotices_passTheCheck()
    {
        const QDir dir(QStringLiteral(HCP_HOLIDAY_DIR));
        const QStringList files = dir.entryList({QStringLiteral("20??.json")});
        QVERIFY(files.size() >= 5);
        for (const QString &name : files) {
            QFile f(dir.filePath(name));
            QVERIFY(f.open(QIODevice::ReadOnly));
            QStringList errors;
            const auto n = HolidayNotice::fromJson(QJsonDocument::fromJson(f.readAll()).object(), &errors, name.left(4).toInt());
            QVERIFY2(n, qPrintable(name + QLatin1Char(' ') + errors.join(QLatin1Char(';'))));
        }
    }
    void calendar_newNoticeForAYear_replacesTheOldOne()
    {
        WorkCalendar c = m_cal;
        QVERIFY(!c.isWorkingDay(QDate(2026, 10, 1)));
        // A corrected 2026 notice without National Day: only what it lists counts for 2026.
        const QJsonObject corrected{{QStringLiteral("year"), 2026},
                                    {QStringLiteral("days"), QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("元旦")},
                                                                                    {QStringLiteral("date"), QStringLiteral("2026-01-01")},
                                                                                    {QStringLiteral("isOffDay"), true}}}}};
        QVERIFY(c.loadJson(QJsonDocument(corrected).toJson()));
        QVERIFY(c.isWorkingDay(QDate(2026, 10, 1)));
        QVERIFY(!c.isWorkingDay(QDate(2026, 1, 1)));
        QVERIFY(!c.isWorkingDay(QDate(2025, 10, 1))); // other years untouched
        // An empty notice does not erase a held one.
        QVERIFY(c.loadJson(R"({"year":2026,"days":[]})"));
        QVERIFY(c.covers(2026));
    }
};

QTEST_GUILESS_MAIN(TestWorkCalendar)
#include "tst_workcalendar.moc"

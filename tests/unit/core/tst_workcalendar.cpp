// SPDX-License-Identifier: Apache-2.0
#include "workcalendar.h"

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
};

QTEST_GUILESS_MAIN(TestWorkCalendar)
#include "tst_workcalendar.moc"

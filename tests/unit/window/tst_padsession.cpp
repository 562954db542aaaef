// SPDX-License-Identifier: Apache-2.0
// The window pad's rules without screens: one tap commits a good rating with pf=4, 差评 needs a
// reason, 一次一评 per service, events only in pad mode, idle back to the staff card.
#include "indicatorset.h"
#include "casedirectory.h"
#include "evaluationsession.h"
#include "padsession.h"
#include "serviceavailability.h"
#include "store.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace hcp::kiosk;
using St = PadSession::State;

class TestPadSession : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    int m_n = 0;

    hcp::sync::RateNowEvent event(const QString &projectNo, int serviceNumber = 1)
    {
        hcp::sync::RateNowEvent e;
        e.projectNo = projectNo;
        e.serviceNumber = serviceNumber;
        e.staffNo = QStringLiteral("S0012");
        e.staffName = QStringLiteral("王芳");
        e.windowNo = QStringLiteral("A03");
        return e;
    }
    std::unique_ptr<Store> openStore()
    {
        auto s = std::make_unique<Store>();
        s->open(m_dir.filePath(QStringLiteral("pad%1.sqlite").arg(++m_n)));
        return s;
    }
    // A database file capped at its current size stands in for a full disk.
    static bool capAtCurrentSize(Store &store)
    {
        QSqlQuery q(store.database());
        return q.exec(QStringLiteral("PRAGMA page_count")) && q.next()
            && QSqlQuery(store.database()).exec(QStringLiteral("PRAGMA max_page_count = %1").arg(q.value(0).toInt()));
    }

private Q_SLOTS:
    void goodLevel_oneCall_commitsPf4()
    {
        for (int level : {3, 4, 5}) {
            auto store = openStore();
            PadSession pad(store.get());
            pad.setIndicatorSet(IndicatorSet::builtin());
            pad.setEnabled(true);
            QSignalSpy committed(&pad, &PadSession::committed);
            pad.rateNow(event(QStringLiteral("PADUNIT0001")));
            QCOMPARE(pad.state(), St::Rate);
            QCOMPARE(pad.staffName(), QStringLiteral("王芳"));
            pad.rate(level);
            QCOMPARE(pad.state(), St::Thanks);
            QCOMPARE(committed.size(), 1);
            const QList<Evaluation> all = store->evaluations();
            QCOMPARE(all.size(), 1);
            QCOMPARE(all.at(0).pf, 4);
            QCOMPARE(all.at(0).satisfaction, level);
            QCOMPARE(all.at(0).staffNo, QStringLiteral("S0012"));
            QCOMPARE(all.at(0).windowNo, QStringLiteral("A03"));
        }
    }

    void badLevel_needsReason_thenCommits()
    {
        auto store = openStore();
        PadSession pad(store.get());
        QAbstractItemModelTester reasonsChecked(pad.reasons(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        pad.setIndicatorSet(IndicatorSet::builtin());
        pad.setEnabled(true);
        pad.rateNow(event(QStringLiteral("PADUNIT0002")));
        pad.rate(2);
        QCOMPARE(pad.state(), St::Reasons);
        pad.submit();
        QCOMPARE(pad.state(), St::Reasons);
        QVERIFY(!pad.message().isEmpty());
        QCOMPARE(store->evaluationCount(), 0);
        pad.toggleReason(QStringLiteral("502"));
        pad.submit();
        QCOMPARE(pad.state(), St::Thanks);
        QCOMPARE(store->evaluations().at(0).evalDetail, QStringList{QStringLiteral("502")});
    }

    void sameServiceAgain_alreadyRated_noSecondRow_otherServiceRateable()
    {
        auto store = openStore();
        PadSession pad(store.get());
        pad.setIndicatorSet(IndicatorSet::builtin());
        pad.setEnabled(true);
        pad.rateNow(event(QStringLiteral("PADUNIT0003")));
        pad.rate(5);
        pad.finish();
        pad.rateNow(event(QStringLiteral("PADUNIT0003")));
        QCOMPARE(pad.state(), St::AlreadyRated);
        QVERIFY(!pad.ratedTime().isEmpty());
        pad.rate(5);
        QCOMPARE(store->evaluationCount(), 1);
        pad.rateNow(event(QStringLiteral("PADUNIT0003"), 2)); // the next service step of the case
        QCOMPARE(pad.state(), St::Rate);
    }

    void repeatedEventWhileChoosingReasons_keepsProgress_newEventReplaces()
    {
        auto store = openStore();
        PadSession pad(store.get());
        QAbstractItemModelTester reasonsChecked(pad.reasons(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        pad.setIndicatorSet(IndicatorSet::builtin());
        pad.setEnabled(true);
        pad.rateNow(event(QStringLiteral("PADUNIT0004")));
        pad.rate(1);
        pad.toggleReason(QStringLiteral("501"));
        pad.rateNow(event(QStringLiteral("PADUNIT0004"))); // the hub resends until acknowledged
        QCOMPARE(pad.state(), St::Reasons);
        QCOMPARE(pad.reasons()->selectedCount(), 1);
        pad.rateNow(event(QStringLiteral("PADUNIT0005"))); // the next citizen: the unrated one is dropped
        QCOMPARE(pad.state(), St::Rate);
        QCOMPARE(pad.projectNo(), QStringLiteral("PADUNIT0005"));
        QCOMPARE(pad.reasons()->selectedCount(), 0);
        QCOMPARE(store->evaluationCount(), 0);
    }

    void notPadMode_eventsIgnored()
    {
        auto store = openStore();
        PadSession pad(store.get());
        pad.rateNow(event(QStringLiteral("PADUNIT0006")));
        QCOMPARE(pad.state(), St::Idle);
        pad.rate(5);
        QCOMPARE(store->evaluationCount(), 0);
    }

    void idleTimeout_backToStaffCard_eventForgotten()
    {
        auto store = openStore();
        PadSession pad(store.get());
        QAbstractItemModelTester reasonsChecked(pad.reasons(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        KioskConfig c;
        c.padStaffName = QStringLiteral("赵敏");
        c.padStaffNo = QStringLiteral("S0099");
        pad.setConfig(c);
        QCOMPARE(pad.staffName(), QStringLiteral("赵敏"));
        pad.setEnabled(true);
        pad.setIdleTimeoutMs(100);
        pad.rateNow(event(QStringLiteral("PADUNIT0007")));
        QCOMPARE(pad.staffName(), QStringLiteral("王芳"));
        QTRY_COMPARE_WITH_TIMEOUT(pad.state(), St::Idle, 3000);
        QVERIFY(pad.projectNo().isEmpty());
        QCOMPARE(pad.staffName(), QStringLiteral("王芳")); // the person at the window stays on the card
        QCOMPARE(store->evaluationCount(), 0);
    }

    void diskFull_commitFails_switchesTheWholeKioskOutOfService()
    {
        auto store = openStore();
        ServiceAvailability availability;
        CaseDirectory directory(store.get());
        EvaluationSession terminal(store.get(), &directory); // the same kiosk's terminal journey
        terminal.setAvailability(&availability);
        PadSession pad(store.get());
        pad.setIndicatorSet(IndicatorSet::builtin());
        pad.setAvailability(&availability);
        pad.setEnabled(true);
        QVERIFY(capAtCurrentSize(*store));
        int committed = 0;
        for (int i = 0; i < 2000 && pad.state() != St::Error; ++i) {
            pad.rateNow(event(QStringLiteral("PADFULL%1").arg(i, 5, 10, QLatin1Char('0'))));
            pad.rate(5);
            if (pad.state() == St::Thanks)
                ++committed;
        }
        QCOMPARE(pad.state(), St::Error);
        QVERIFY(!availability.storageAvailable());
        QVERIFY(!terminal.acceptingSessions());
        QCOMPARE(terminal.state(), EvaluationSession::State::Unavailable);
        QCOMPARE(store->evaluationCount(), committed); // nothing half-made was stored
    }

    void otherStorageError_commitFails_kioskStaysInService()
    {
        auto store = openStore();
        ServiceAvailability availability;
        PadSession pad(store.get());
        pad.setIndicatorSet(IndicatorSet::builtin());
        pad.setAvailability(&availability);
        pad.setEnabled(true);
        QVERIFY(QSqlQuery(store->database()).exec(QStringLiteral("PRAGMA query_only = 1")));
        pad.rateNow(event(QStringLiteral("PADRO00001")));
        pad.rate(5);
        QCOMPARE(pad.state(), St::Error);
        QVERIFY(availability.storageAvailable()); // a read-only database is not a full disk
    }
};

QTEST_GUILESS_MAIN(TestPadSession)
#include "tst_padsession.moc"

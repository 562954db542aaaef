// SPDX-License-Identifier: Apache-2.0
// The one commit path of a rating (terminal, pad, 追评): the Evaluation gets the case's fields
// and the kiosk's channel the same way for all three, a case the kiosk never cached leaves only
// the keys, and the store's answers map to one outcome — a full disk switches the kiosk off.
#include "ratingcommit.h"
#include "serviceavailability.h"
#include "store.h"

#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace hcp::kiosk;
using Kind = ratingcommit::Outcome::Kind;

class TestRatingCommit : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    int m_n = 0;

    static Case cached(const QString &projectNo, int serviceNumber)
    {
        Case c;
        c.projectNo = projectNo;
        c.serviceNumber = serviceNumber;
        c.taskCode = QStringLiteral("T-001");
        c.taskName = QStringLiteral("社会保障卡申领");
        c.deptCode = QStringLiteral("11110105MB00000001");
        c.deptName = QStringLiteral("人力资源和社会保障局");
        c.windowNo = QStringLiteral("A03");
        c.staffName = QStringLiteral("马丽");
        c.staffNo = QStringLiteral("RS0312");
        c.resultDate = QDateTime(QDate(2026, 11, 27), QTime(9, 0));
        c.userName = QStringLiteral("王建国");
        c.userProp = 2;
        return c;
    }
    static Evaluation rated(Evaluation e)
    {
        e.satisfaction = 5;
        e.assessTime = QDateTime(QDate(2026, 11, 27), QTime(10, 0));
        return e;
    }

private Q_SLOTS:
    void fromCase_first_copiesTheCaseAndTheKiosksChannel_areaFallsBackToTheKiosk()
    {
        KioskConfig config;
        config.pf = 5;
        config.areaCode = QStringLiteral("110105000000");
        const Evaluation e = ratingcommit::fromCase(cached(QStringLiteral("RC00000001"), 2), ratingcommit::Assessment::First, config);
        QCOMPARE(e.projectNo, QStringLiteral("RC00000001"));
        QCOMPARE(e.serviceNumber, 2);
        QCOMPARE(e.assessNumber, 1);
        QCOMPARE(e.evaluateType, 1);
        QCOMPARE(e.pf, 5);
        QCOMPARE(e.taskCode, QStringLiteral("T-001"));
        QCOMPARE(e.taskName, QStringLiteral("社会保障卡申领"));
        QCOMPARE(e.deptCode, QStringLiteral("11110105MB00000001"));
        QCOMPARE(e.deptName, QStringLiteral("人力资源和社会保障局"));
        QCOMPARE(e.staffNo, QStringLiteral("RS0312"));
        QCOMPARE(e.staffName, QStringLiteral("马丽"));
        QCOMPARE(e.windowNo, QStringLiteral("A03"));
        QCOMPARE(e.userProp, 2);
        QCOMPARE(e.userNameMasked, QStringLiteral("王*国")); // never the full name
        QCOMPARE(e.areaCode, QStringLiteral("110105000000"));
        Case own = cached(QStringLiteral("RC00000001"), 2);
        own.areaCode = QStringLiteral("110105001000");
        QCOMPARE(ratingcommit::fromCase(own, ratingcommit::Assessment::First, config).areaCode, QStringLiteral("110105001000"));
    }

    void fromCase_followUp_isTheSecondAppendedAssessment()
    {
        const Evaluation e = ratingcommit::fromCase(cached(QStringLiteral("RC00000002"), 1), ratingcommit::Assessment::FollowUp, KioskConfig());
        QCOMPARE(e.assessNumber, 2);
        QCOMPARE(e.evaluateType, 2);
    }

    void storedCase_cachedService_isTheCachedOne_otherwiseOnlyTheKeys()
    {
        Store store;
        QVERIFY(store.open(m_dir.filePath(QStringLiteral("s%1.sqlite").arg(++m_n))));
        QVERIFY(store.upsertCases({cached(QStringLiteral("RC00000003"), 1), cached(QStringLiteral("RC00000003"), 2)}));
        const Case two = ratingcommit::storedCase(store, QStringLiteral("RC00000003"), 2);
        QCOMPARE(two.serviceNumber, 2);
        QCOMPARE(two.staffNo, QStringLiteral("RS0312"));
        const Case none = ratingcommit::storedCase(store, QStringLiteral("RC00000003"), 3);
        QCOMPARE(none.projectNo, QStringLiteral("RC00000003"));
        QCOMPARE(none.serviceNumber, 3);
        QVERIFY(none.taskName.isEmpty() && none.staffNo.isEmpty() && none.userName.isEmpty());
    }

    void commit_committedThenAlreadyRated_oneRecord()
    {
        Store store;
        QVERIFY(store.open(m_dir.filePath(QStringLiteral("s%1.sqlite").arg(++m_n))));
        ServiceAvailability availability;
        Evaluation e = rated(ratingcommit::fromCase(cached(QStringLiteral("RC00000004"), 1), ratingcommit::Assessment::First, KioskConfig()));
        QCOMPARE(ratingcommit::commit(store, e, &availability).kind, Kind::Committed);
        QVERIFY(e.deviceSeq > 0);
        Evaluation again = rated(ratingcommit::fromCase(cached(QStringLiteral("RC00000004"), 1), ratingcommit::Assessment::First, KioskConfig()));
        const ratingcommit::Outcome o = ratingcommit::commit(store, again, &availability);
        QCOMPARE(o.kind, Kind::AlreadyRated);
        QCOMPARE(o.ratedTime, QStringLiteral("2026-11-27 10:00"));
        QCOMPARE(store.evaluationCount(), 1);
        QVERIFY(availability.storageAvailable());
    }

    void commit_diskFull_failsAndSwitchesTheKioskOff()
    {
        Store store;
        QVERIFY(store.open(m_dir.filePath(QStringLiteral("s%1.sqlite").arg(++m_n))));
        QSqlQuery q(store.database());
        QVERIFY(q.exec(QStringLiteral("PRAGMA page_count")) && q.next());
        QVERIFY(QSqlQuery(store.database()).exec(QStringLiteral("PRAGMA max_page_count = %1").arg(q.value(0).toInt())));
        ServiceAvailability availability;
        ratingcommit::Outcome o;
        o.kind = Kind::Committed;
        for (int i = 0; i < 2000 && o.kind != Kind::Failed; ++i) {
            Evaluation e = rated(ratingcommit::fromCase(cached(QStringLiteral("RCFULL%1").arg(i, 5, 10, QLatin1Char('0')), 1),
                                                        ratingcommit::Assessment::First, KioskConfig()));
            e.writingEvaluation = QString(400, QChar(0x597d));
            o = ratingcommit::commit(store, e, &availability);
            QCOMPARE(availability.storageAvailable(), o.kind != Kind::Failed);
        }
        QCOMPARE(o.kind, Kind::Failed);
        QVERIFY2(o.storageFull, qPrintable(o.error));
        QVERIFY(!o.error.isEmpty());
        QVERIFY(!availability.storageAvailable());
    }
};

QTEST_GUILESS_MAIN(TestRatingCommit)
#include "tst_ratingcommit.moc"

// SPDX-License-Identifier: Apache-2.0
#include "casedirectory.h"
#include "evaluationsession.h"
#include "identity.h"
#include "serviceavailability.h"
#include "store.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace hcp::kiosk;
using S = EvaluationSession::State;

namespace {
// A hub stand-in: answers after `delayMs` with the configured outcome.
class FakeOnline : public OnlineCaseSource {
public:
    Outcome outcome = Outcome::NotFound;
    QList<Case> cases;
    int delayMs = 10;
    int calls = 0;
    int answered = 0; // answers delivered to the directory so far
    void lookup(const CaseQuery &, std::function<void(Outcome, const QList<Case> &)> done) override
    {
        ++calls;
        const Outcome o = outcome;
        const QList<Case> c = cases;
        QTimer::singleShot(delayMs, [this, done, o, c] {
            done(o, c);
            ++answered;
        });
    }
};
} // namespace

class TestSession : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::unique_ptr<Store> m_store;
    std::unique_ptr<CaseDirectory> m_directory;
    std::unique_ptr<EvaluationSession> m_session;
    // Every test drives the session's list models through lookups, choices, reasons and wipes
    // under Qt's model checker: a wrong reset or row signal fails the test where it happens.
    std::vector<std::unique_ptr<QAbstractItemModelTester>> m_modelTesters;
    FakeOnline m_online;
    int m_n = 0;
    const QDateTime m_now{QDate(2026, 11, 30), QTime(10, 0)}; // a Monday
    const QString m_liHuaId = QStringLiteral("11010519491231002X");

    Case makeCase(const QString &no, const QString &user, QDateTime done, int proStatus = 3)
    {
        Case c;
        c.projectNo = no;
        c.taskCode = QStringLiteral("T-001");
        c.taskName = QStringLiteral("社会保障卡申领 ") + no;
        c.deptName = QStringLiteral("人力资源和社会保障局");
        c.windowNo = QStringLiteral("A03");
        c.staffName = QStringLiteral("马丽");
        c.staffNo = QStringLiteral("RS0312");
        c.resultDate = done;
        c.userName = user;
        c.proStatus = proStatus;
        c.certKeyHash = certKeyHash(KioskConfig().idHashKey, user == QStringLiteral("李华") ? m_liHuaId : QStringLiteral("440524188001010014"));
        return c;
    }
    void driveTo(S target, const QString &projectNo = QStringLiteral("SINGLE0001"), const QString &name = QStringLiteral("王建国"))
    {
        m_session->beginTypedLookup();
        m_session->submitTypedLookup(projectNo, name);
        QCOMPARE(m_session->state(), S::Rate);
        if (target == S::Rate)
            return;
        m_session->rate(2);
        if (target == S::Reasons)
            return;
        m_session->toggleReason(QStringLiteral("501"));
        m_session->next();
        if (target == S::Questions)
            return;
        m_session->next();
        if (target == S::Comment)
            return;
        m_session->next();
        QCOMPARE(m_session->state(), S::Confirm);
    }
private Q_SLOTS:
    void init()
    {
        m_store = std::make_unique<Store>();
        QVERIFY(m_store->open(m_dir.filePath(QStringLiteral("s%1.sqlite").arg(++m_n))));
        const QDateTime fri(QDate(2026, 11, 27), QTime(9, 0));
        QVERIFY(m_store->upsertCases({
            makeCase(QStringLiteral("LIHUA00001"), QStringLiteral("李华"), fri),
            makeCase(QStringLiteral("LIHUA00002"), QStringLiteral("李华"), QDateTime(QDate(2026, 11, 2), QTime(9, 0))),
            makeCase(QStringLiteral("LIHUA00003"), QStringLiteral("李华"), fri, 2),
            makeCase(QStringLiteral("LIHUA00004"), QStringLiteral("李华"), fri.addDays(-1)),
            makeCase(QStringLiteral("SINGLE0001"), QStringLiteral("王建国"), fri),
            makeCase(QStringLiteral("OLD0000001"), QStringLiteral("王建国"), QDateTime(QDate(2026, 10, 9), QTime(9, 0))),
        }));
        m_directory = std::make_unique<CaseDirectory>(m_store.get());
        m_session = std::make_unique<EvaluationSession>(m_store.get(), m_directory.get());
        WorkCalendar cal;
        QVERIFY(cal.loadDirectory(QStringLiteral(HCP_HOLIDAY_DIR)) > 0);
        m_session->setCalendar(cal);
        m_session->setIndicatorSet(IndicatorSet::builtin());
        m_session->setQuestionnaires(QuestionnaireCatalog::builtin());
        m_session->setClock([this] { return m_now; });
        m_online = FakeOnline();
        for (QAbstractItemModel *model : std::initializer_list<QAbstractItemModel *>{m_session->cases(), m_session->reasons(), m_session->questions()})
            m_modelTesters.push_back(std::make_unique<QAbstractItemModelTester>(model, QAbstractItemModelTester::FailureReportingMode::QtTest));
    }
    void cleanup()
    {
        m_modelTesters.clear();
        m_session.reset();
        m_directory.reset();
        m_store.reset();
    }

    void typedLookup_singleCase_skipsListAndGoodRatingFinishesAtOnce()
    {
        QSignalSpy committed(m_session.get(), &EvaluationSession::committed);
        m_session->beginTypedLookup();
        QCOMPARE(m_session->state(), S::TypeCaseNumber);
        m_session->submitTypedLookup(QStringLiteral("single0001"), QStringLiteral(" 王建国 "));
        QCOMPARE(m_session->state(), S::Rate);
        QCOMPARE(m_session->caseStaffName(), QStringLiteral("马丽"));
        QCOMPARE(m_session->citizenName(), QStringLiteral("王*国"));
        m_session->rate(5);
        QCOMPARE(m_session->state(), S::Confirm);
        m_session->submit();
        QCOMPARE(m_session->state(), S::Thanks);
        QCOMPARE(committed.size(), 1);
        QVERIFY(!m_session->evaluationNumber().isEmpty());
        const auto e = m_store->evaluation(m_session->lastCommitted().uuid);
        QVERIFY(e.has_value());
        QCOMPARE(e->satisfaction, 5);
        QCOMPARE(e->projectNo, QStringLiteral("SINGLE0001"));
        QCOMPARE(e->assessTime, m_now);
        QCOMPARE(e->staffNo, QStringLiteral("RS0312"));
        QCOMPARE(e->userNameMasked, QStringLiteral("王*国"));
        QVERIFY(!m_session->receiptQr().isEmpty());
    }
    void typedLookup_wrongName_findsNothing()
    {
        m_session->beginTypedLookup();
        m_session->submitTypedLookup(QStringLiteral("SINGLE0001"), QStringLiteral("张三"));
        QCOMPARE(m_session->state(), S::NothingToRate);
        QVERIFY(m_session->message().contains(QStringLiteral("办件编号和姓名")));
        m_session->finish();
        QCOMPARE(m_session->state(), S::Start);
    }
    // The text names what the citizen did (card, typed number, QR) and leaves the window and the
    // hotline to the screen's one closing line (they were said twice).
    void nothingToRate_textNamesHowTheCitizenAsked_andNotTheWindowOrHotline()
    {
        const auto plain = [this] {
            const QString m = m_session->message();
            QVERIFY2(!m.contains(QStringLiteral("窗口")) && !m.contains(QStringLiteral("12345")), qPrintable(m));
        };
        m_session->identifyByCard(QStringLiteral("赵敏"), QStringLiteral("110105198001011234"), QStringLiteral("resident"));
        QTRY_COMPARE(m_session->state(), S::NothingToRate);
        QVERIFY2(m_session->message().contains(QStringLiteral("您名下")), qPrintable(m_session->message()));
        QVERIFY(!m_session->message().contains(QStringLiteral("办件编号")));
        plain();
        m_session->finish();
        m_session->submitQrPayload("NOWHERE001");
        QCOMPARE(m_session->state(), S::NothingToRate);
        QVERIFY2(m_session->message().contains(QStringLiteral("二维码")), qPrintable(m_session->message()));
        plain();
        m_session->finish();
        m_session->beginTypedLookup();
        m_session->submitTypedLookup(QStringLiteral("SINGLE0001"), QStringLiteral("张三"));
        plain();
        m_session->finish();
        m_session->beginTypedLookup();
        m_session->submitTypedLookup(QStringLiteral("OLD0000001"), QStringLiteral("王建国"));
        QCOMPARE(m_session->state(), S::NothingToRate);
        QVERIFY(m_session->message().contains(QStringLiteral("期限")));
        plain();
    }
    void typedLookup_badInput_staysWithMessage()
    {
        m_session->beginTypedLookup();
        m_session->submitTypedLookup(QStringLiteral("12"), QStringLiteral("王建国"));
        QCOMPARE(m_session->state(), S::TypeCaseNumber);
        QVERIFY(m_session->message().contains(QStringLiteral("格式")));
        m_session->submitTypedLookup(QStringLiteral("SINGLE0001"), QString());
        QCOMPARE(m_session->state(), S::TypeCaseNumber);
    }
    void card_listsCasesWithStatus_onlyRateableCanBeChosen()
    {
        m_session->identifyByCard(QStringLiteral("李华"), m_liHuaId, QStringLiteral("resident"));
        QCOMPARE(m_session->state(), S::ChooseCase);
        QCOMPARE(m_session->citizenIdMasked(), QStringLiteral("1101**********002X"));
        QCOMPARE(m_session->cases()->rowCount(), 4);
        int rateable = 0;
        for (const auto &r : m_session->cases()->rows())
            rateable += r.rateable;
        QCOMPARE(rateable, 2);
        // The case outside the window is shown but refused with its reason.
        for (int i = 0; i < m_session->cases()->rowCount(); ++i) {
            if (m_session->cases()->row(i)->c.projectNo == QLatin1String("LIHUA00002")) {
                m_session->chooseCase(i);
                QCOMPARE(m_session->state(), S::ChooseCase);
                QVERIFY(m_session->message().contains(QStringLiteral("期限")));
            }
        }
        for (int i = 0; i < m_session->cases()->rowCount(); ++i)
            if (m_session->cases()->row(i)->c.projectNo == QLatin1String("LIHUA00001"))
                m_session->chooseCase(i);
        QCOMPARE(m_session->state(), S::Rate);
        QCOMPARE(m_session->caseProjectNo(), QStringLiteral("LIHUA00001"));
    }
    void badRating_needsReasonOrText_beforeConfirm()
    {
        m_session->beginTypedLookup();
        m_session->submitTypedLookup(QStringLiteral("SINGLE0001"), QStringLiteral("王建国"));
        m_session->rate(1);
        QCOMPARE(m_session->state(), S::Reasons);
        QCOMPARE(m_session->reasons()->rowCount(), 10);
        m_session->next();
        QCOMPARE(m_session->state(), S::Reasons); // the rule where the choice is made
        m_session->writeComment();                 // 我来写意见
        QCOMPARE(m_session->state(), S::Comment);
        m_session->next();
        QCOMPARE(m_session->state(), S::Comment); // refused: no reason, no text
        QVERIFY(m_session->message().contains(QStringLiteral("差评")));
        m_session->appendPhrase(QStringLiteral("等候时间太长"));
        m_session->next();
        QCOMPARE(m_session->state(), S::Confirm);
        m_session->back();
        m_session->setComment(QString());
        m_session->back();
        m_session->back();
        QCOMPARE(m_session->state(), S::Reasons);
        m_session->toggleReason(QStringLiteral("502"));
        m_session->toggleReason(QStringLiteral("501"));
        m_session->next();
        m_session->next();
        m_session->next();
        QCOMPARE(m_session->state(), S::Confirm);
        m_session->setPublicRating(false);
        m_session->submit();
        QCOMPARE(m_session->state(), S::Thanks);
        const auto e = m_store->evaluation(m_session->lastCommitted().uuid);
        QCOMPARE(e->evalDetail, QStringList({QStringLiteral("501"), QStringLiteral("502")}));
        QCOMPARE(e->publicFlag, 2);
        QCOMPARE(e->indicatorVersion, IndicatorSet::builtin().version);
    }
    void goodRating_optionalDetails_storeAnswersAndComment()
    {
        driveTo(S::Rate);
        m_session->rate(4);
        m_session->addDetails();
        QCOMPARE(m_session->state(), S::Questions);
        m_session->answerQuestion(QStringLiteral("q1"), QStringLiteral("1"));
        m_session->answerQuestion(QStringLiteral("q4"), QStringLiteral("2"));
        m_session->answerQuestion(QStringLiteral("q4"), QStringLiteral("9")); // not an option: ignored
        m_session->next();
        m_session->appendPhrase(QStringLiteral("工作人员很耐心"));
        m_session->appendPhrase(QStringLiteral("办事效率高"));
        QCOMPARE(m_session->comment(), QStringLiteral("工作人员很耐心，办事效率高"));
        m_session->next();
        m_session->submit();
        QCOMPARE(m_session->state(), S::Thanks);
        const auto e = m_store->evaluation(m_session->lastCommitted().uuid);
        QCOMPARE(e->answers.value(QStringLiteral("q1")), QStringLiteral("1"));
        QCOMPARE(e->answers.value(QStringLiteral("q4")), QStringLiteral("2"));
        QCOMPARE(e->writingEvaluation, QStringLiteral("工作人员很耐心，办事效率高"));
    }
    void comment_overLimitIsCutWithMessage()
    {
        driveTo(S::Comment);
        m_session->setComment(QString(520, QChar(0x597d)) + QChar(0x0007));
        QCOMPARE(m_session->comment().size(), 500);
        QVERIFY(m_session->message().contains(QStringLiteral("500")));
    }
    void secondAttempt_showsAlreadyRatedWithTime()
    {
        driveTo(S::Confirm);
        m_session->submit();
        m_session->finish();
        m_session->beginTypedLookup();
        m_session->submitTypedLookup(QStringLiteral("SINGLE0001"), QStringLiteral("王建国"));
        QCOMPARE(m_session->state(), S::AlreadyRated);
        QCOMPARE(m_session->alreadyRatedTime(), QStringLiteral("2026-11-30 10:00"));
        QCOMPARE(m_store->evaluationCount(), 1);
    }
    void caseOutsideWindow_alone_isNothingToRate()
    {
        m_session->submitQrPayload("OLD0000001");
        QCOMPARE(m_session->state(), S::NothingToRate);
        QVERIFY(m_session->message().contains(QStringLiteral("期限")));
    }
    void qr_validUrlFindsCase_garbageShowsError()
    {
        m_session->submitQrPayload("https://zwfw.example.gov.cn/bjcx?projectNo=SINGLE0001&serviceNumber=1\r");
        QCOMPARE(m_session->state(), S::Rate);
        m_session->cancel();
        m_session->submitQrPayload(QByteArray("\x00\xff\x10garbage", 10));
        QCOMPARE(m_session->state(), S::Error);
        QVERIFY(m_session->message().contains(QStringLiteral("无法识别")));
        m_session->submitQrPayload(QByteArray(5000, 'x'));
        QCOMPARE(m_session->state(), S::Error);
        m_session->cancel();
        QCOMPARE(m_session->state(), S::Start);
    }
    void idleTimeout_returnsToStartAndWipesPersonalData()
    {
        QSignalSpy wiped(m_session.get(), &EvaluationSession::sessionWiped);
        m_session->setIdleTimeoutMs(400);
        m_session->identifyByCard(QStringLiteral("李华"), m_liHuaId, QStringLiteral("resident"));
        m_session->chooseCase(0);
        m_session->rate(2);
        m_session->toggleReason(QStringLiteral("501"));
        m_session->next();
        m_session->next();
        m_session->setComment(QStringLiteral("私人意见"));
        QCOMPARE(m_session->state(), S::Comment);
        QVERIFY(m_session->countdownVisible()); // 0.4 s is inside the 10 s countdown
        QTRY_COMPARE_WITH_TIMEOUT(m_session->state(), S::Start, 3000);
        QVERIFY(wiped.size() >= 1);
        QVERIFY(m_session->citizenName().isEmpty());
        QVERIFY(m_session->citizenIdMasked().isEmpty());
        QVERIFY(m_session->comment().isEmpty());
        QVERIFY(m_session->caseTaskName().isEmpty());
        QCOMPARE(m_session->cases()->rowCount(), 0);
        QCOMPARE(m_session->reasons()->selectedCount(), 0);
        QCOMPARE(m_session->satisfaction(), 0);
        QVERIFY(!m_session->countdownVisible());
        QCOMPARE(m_store->evaluationCount(), 0); // nothing half-made was stored
    }
    void activity_postponesTheIdleReset()
    {
        m_session->setIdleTimeoutMs(600);
        driveTo(S::Rate);
        for (int i = 0; i < 5; ++i) {
            // Fixed on purpose: real time must pass (2/3 of the timeout each) for activity to postpone anything.
            QTest::qWait(200);
            m_session->userActivity();
        }
        QCOMPARE(m_session->state(), S::Rate);
        QTRY_COMPARE_WITH_TIMEOUT(m_session->state(), S::Start, 3000);
    }
    void storageFull_refusesNewSessionsWithNotice()
    {
        m_session->setStorageAvailable(false);
        QCOMPARE(m_session->state(), S::Unavailable);
        // Citizens are not told about the disk: the terminal is paused and maintenance knows.
        QVERIFY(m_session->message().contains(QStringLiteral("通知维护人员")));
        QVERIFY(!m_session->message().contains(QStringLiteral("存储")));
        m_session->beginTypedLookup();
        m_session->submitQrPayload("SINGLE0001");
        m_session->identifyByCard(QStringLiteral("李华"), m_liHuaId, QString());
        QCOMPARE(m_session->state(), S::Unavailable);
        m_session->setStorageAvailable(true);
        QCOMPARE(m_session->state(), S::Start);
    }
    void diskFull_refusesTheCommitAndFurtherSessions_switchesTheKioskOff_keepsEverythingQueued()
    {
        ServiceAvailability availability; // the kiosk's switch, shared with the pad and the 追评
        m_session->setAvailability(&availability);
        // A size-capped database file stands in for a full disk.
        QList<Case> many;
        for (int i = 0; i < 200; ++i)
            many.append(makeCase(QStringLiteral("FULL%1").arg(i, 6, 10, QLatin1Char('0')), QStringLiteral("王建国"),
                                 QDateTime(QDate(2026, 11, 27), QTime(9, 0))));
        QVERIFY(m_store->upsertCases(many));
        QSqlQuery q(m_store->database());
        QVERIFY(q.exec(QStringLiteral("PRAGMA page_count")) && q.next());
        QVERIFY(QSqlQuery(m_store->database()).exec(QStringLiteral("PRAGMA max_page_count = %1").arg(q.value(0).toInt() + 2)));
        int committed = 0;
        for (const Case &c : many) {
            m_session->submitQrPayload(c.projectNo.toLatin1());
            QCOMPARE(m_session->state(), S::Rate);
            m_session->rate(2);
            m_session->toggleReason(QStringLiteral("501"));
            m_session->next();
            m_session->next();
            m_session->setComment(QString(450, QChar(0x597d)));
            m_session->next();
            m_session->submit();
            if (m_session->state() != S::Thanks)
                break;
            ++committed;
            m_session->finish();
        }
        QCOMPARE(m_session->state(), S::Error);
        QVERIFY(committed > 0);
        QVERIFY2(m_session->message().contains(QStringLiteral("未能保存")) && m_session->message().contains(QStringLiteral("维护人员"))
                     && !m_session->message().contains(QStringLiteral("存储")),
                 qPrintable(m_session->message()));
        QVERIFY(!m_session->acceptingSessions());
        m_session->cancel();
        QCOMPARE(m_session->state(), S::Unavailable); // the notice stays until space is freed
        m_session->submitQrPayload("SINGLE0001");
        QCOMPARE(m_session->state(), S::Unavailable);
        QSqlQuery out(m_store->database());
        QVERIFY(out.exec(QStringLiteral("SELECT COUNT(*) FROM outbox")) && out.next());
        QCOMPARE(out.value(0).toInt(), committed); // nothing queued was lost
        QCOMPARE(m_store->evaluationCount(), committed);
        QSqlQuery check(m_store->database());
        QVERIFY(check.exec(QStringLiteral("PRAGMA integrity_check")) && check.next());
        QCOMPARE(check.value(0).toString(), QStringLiteral("ok"));
        QVERIFY(!availability.storageAvailable());
        // Space freed (the disk check): visits again.
        availability.setStorageAvailable(true);
        QCOMPARE(m_session->state(), S::Start);
    }
    void commitFailure_showsErrorAndKeepsDraftForRetry()
    {
        bool failOnce = true;
        m_store->setCommitHook([&failOnce](QSqlDatabase &, const Evaluation &, QString *err) {
            if (!failOnce)
                return true;
            failOnce = false;
            *err = QStringLiteral("disk I/O error");
            return false;
        });
        driveTo(S::Confirm);
        m_session->submit();
        QCOMPARE(m_session->state(), S::Error);
        QCOMPARE(m_store->evaluationCount(), 0);
        m_session->back();
        QCOMPARE(m_session->state(), S::Confirm);
        QCOMPARE(m_session->satisfaction(), 2);
        m_session->submit();
        QCOMPARE(m_session->state(), S::Thanks);
        QCOMPARE(m_store->evaluationCount(), 1);
    }
    void onlineLookup_cacheMissAsksHubAndCachesTheAnswer()
    {
        m_online.outcome = OnlineCaseSource::Outcome::Found;
        m_online.cases = {makeCase(QStringLiteral("ONLINE0001"), QStringLiteral("王建国"), QDateTime(QDate(2026, 11, 30), QTime(9, 0)))};
        m_directory->setOnlineSource(&m_online);
        m_session->submitQrPayload("ONLINE0001");
        QCOMPARE(m_session->state(), S::Searching);
        QTRY_COMPARE(m_session->state(), S::Rate);
        QCOMPARE(m_store->casesByProjectNo(QStringLiteral("ONLINE0001")).size(), 1);
        m_session->cancel();
        m_session->submitQrPayload("SINGLE0001"); // cached: the hub is not asked
        QCOMPARE(m_online.calls, 1);
    }
    void onlineLookup_hubUnreachable_saysSo()
    {
        m_online.outcome = OnlineCaseSource::Outcome::Unreachable;
        m_directory->setOnlineSource(&m_online);
        m_session->submitQrPayload("NOWHERE001");
        QTRY_COMPARE(m_session->state(), S::NothingToRate);
        QVERIFY(m_session->message().contains(QStringLiteral("网络")));
    }
    void lateHubAnswer_afterCancel_isIgnored()
    {
        m_online.outcome = OnlineCaseSource::Outcome::Found;
        m_online.delayMs = 100;
        m_online.cases = {makeCase(QStringLiteral("LATE000001"), QStringLiteral("王建国"), m_now.addSecs(-3600))};
        m_directory->setOnlineSource(&m_online);
        m_session->submitQrPayload("LATE000001");
        m_session->cancel();
        QTRY_COMPARE(m_online.answered, 1); // the late answer has reached the directory
        QCOMPARE(m_session->state(), S::Start);
        QCOMPARE(m_session->caseProjectNo(), QString());
    }
    void receipt_paperOut_keepsEvaluationAndShowsQr()
    {
        driveTo(S::Confirm);
        m_session->submit();
        QSignalSpy requested(m_session.get(), &EvaluationSession::receiptRequested);
        m_session->requestReceipt();
        QCOMPARE(requested.size(), 1);
        QCOMPARE(m_session->receiptState(), EvaluationSession::ReceiptState::Printing);
        m_session->requestReceipt(); // no double print
        QCOMPARE(requested.size(), 1);
        m_session->setReceiptResult(false, QStringLiteral("打印机缺纸。"));
        QCOMPARE(m_session->receiptState(), EvaluationSession::ReceiptState::Failed);
        QVERIFY(m_session->receiptMessage().contains(QStringLiteral("缺纸")));
        QCOMPARE(m_store->evaluationCount(), 1);
    }
};

QTEST_GUILESS_MAIN(TestSession)
#include "tst_session.moc"

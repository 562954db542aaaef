// SPDX-License-Identifier: Apache-2.0
#include "case.h"
#include "evaluation.h"
#include "indicatorset.h"
#include "kioskconfig.h"
#include "questionnaire.h"
#include "satisfaction.h"

#include <QJsonDocument>
#include <QTest>

using namespace hcp::kiosk;

class TestRules : public QObject {
    Q_OBJECT
    IndicatorSet m_ind;
    Questionnaire m_q;

    Evaluation valid(int level) const
    {
        Evaluation e;
        e.projectNo = QStringLiteral("1101052611120037");
        e.serviceNumber = 1;
        e.satisfaction = level;
        return e;
    }
private Q_SLOTS:
    void initTestCase()
    {
        m_ind = IndicatorSet::builtin();
        QVERIFY(m_ind.isValid());
        m_q = QuestionnaireCatalog::builtin().forTask(QStringLiteral("unknown-task"));
        QVERIFY(!m_q.isEmpty());
    }
    void levels_badRatingsAreOneAndTwo()
    {
        QVERIFY(isBadRating(1));
        QVERIFY(isBadRating(2));
        QVERIFY(!isBadRating(3));
        QVERIFY(!isValidSatisfaction(0));
        QVERIFY(!isValidSatisfaction(6));
        QCOMPARE(satisfactionText(5), QStringLiteral("非常满意"));
        QCOMPARE(satisfactionText(1), QStringLiteral("非常不满意"));
    }
    void goodRating_needsNoReason()
    {
        for (int level : {3, 4, 5})
            QCOMPARE(validateEvaluation(valid(level), m_ind, m_q), RuleViolation::None);
    }
    void badRating_withoutReasonOrText_isRejected()
    {
        for (int level : {1, 2}) {
            Evaluation e = valid(level);
            QCOMPARE(validateEvaluation(e, m_ind, m_q), RuleViolation::BadRatingNeedsReason);
            e.evalDetail = {QStringLiteral("501")};
            QCOMPARE(validateEvaluation(e, m_ind, m_q), RuleViolation::None);
            e.evalDetail.clear();
            e.writingEvaluation = QStringLiteral("等候时间太长");
            QCOMPARE(validateEvaluation(e, m_ind, m_q), RuleViolation::None);
        }
        QVERIFY(!ruleViolationText(RuleViolation::BadRatingNeedsReason).isEmpty());
    }
    void reasonCode_mustBeOfferedForTheLevel()
    {
        Evaluation e = valid(4);
        e.evalDetail = {QStringLiteral("501")}; // a 差评 reason on a good rating
        QCOMPARE(validateEvaluation(e, m_ind, m_q), RuleViolation::UnknownReasonCode);
        e = valid(2);
        e.evalDetail = {QStringLiteral("999")};
        QCOMPARE(validateEvaluation(e, m_ind, m_q), RuleViolation::UnknownReasonCode);
        QCOMPARE(m_ind.forLevel(1).size(), 10);
        QCOMPARE(m_ind.forLevel(3).size(), 2);
        QVERIFY(m_ind.forLevel(5).isEmpty());
    }
    void comment_controlCharactersRemoved()
    {
        QCOMPARE(sanitizeComment(QStringLiteral("很好\u0007\u0000！\n\n谢谢\u200b")), QStringLiteral("很好！ 谢谢"));
        QCOMPARE(sanitizeComment(QStringLiteral("  \t a \r\n b  ")), QStringLiteral("a b"));
        QCOMPARE(sanitizeComment(QStringLiteral("\u0085x\u009f")), QStringLiteral("x"));
    }
    void comment_cutAt500Characters_countingCodePoints()
    {
        QCOMPARE(sanitizeComment(QString(600, QChar(0x597d))).size(), 500);
        QString emoji;
        for (int i = 0; i < 600; ++i)
            emoji += QString::fromUcs4(U"\U0001F600");
        QCOMPARE(sanitizeComment(emoji).toUcs4().size(), 500);
        Evaluation e = valid(5);
        e.writingEvaluation = QString(501, QLatin1Char('a'));
        QCOMPARE(validateEvaluation(e, m_ind, m_q), RuleViolation::CommentTooLong);
        e.writingEvaluation = QString(500, QLatin1Char('a'));
        QCOMPARE(validateEvaluation(e, m_ind, m_q), RuleViolation::None);
        e.writingEvaluation = QStringLiteral("a\u0001b");
        QCOMPARE(validateEvaluation(e, m_ind, m_q), RuleViolation::CommentTooLong);
    }
    void answers_mustFitTheQuestionnaire()
    {
        Evaluation e = valid(5);
        e.answers.insert(QStringLiteral("q1"), QStringLiteral("1"));
        e.answers.insert(QStringLiteral("q4"), QStringLiteral("3"));
        QCOMPARE(validateEvaluation(e, m_ind, m_q), RuleViolation::None);
        e.answers.insert(QStringLiteral("q4"), QStringLiteral("7"));
        QCOMPARE(validateEvaluation(e, m_ind, m_q), RuleViolation::InvalidAnswer);
        e.answers.clear();
        e.answers.insert(QStringLiteral("nope"), QStringLiteral("1"));
        QCOMPARE(validateEvaluation(e, m_ind, m_q), RuleViolation::InvalidAnswer);
    }
    void questionnaire_perTaskCodeOrDefault()
    {
        const QuestionnaireCatalog cat = QuestionnaireCatalog::builtin();
        const Questionnaire special = cat.forTask(QStringLiteral("11500000MB1234567A3000117001"));
        QCOMPARE(special.taskCode, QStringLiteral("11500000MB1234567A3000117001"));
        bool hasMulti = false;
        for (const QuestionItem &i : special.items)
            hasMulti = hasMulti || i.kind == QuestionItem::Kind::Multi;
        QVERIFY(hasMulti);
        QVERIFY(cat.forTask(QStringLiteral("x")).taskCode.isEmpty());
        QuestionItem multi = special.items.last();
        QVERIFY(multi.acceptsAnswer(QStringLiteral("1,3")));
        QVERIFY(!multi.acceptsAnswer(QStringLiteral("1,1")));
        QVERIFY(!multi.acceptsAnswer(QString()));
        QString err;
        QVERIFY(QuestionnaireCatalog::fromJson(QJsonDocument::fromJson(R"({"version":"v","default":{"items":[{"id":"a","text":"t","kind":"bogus"}]}})").object(), &err).version.isEmpty());
        QVERIFY(err.contains(QLatin1String("bogus")));
    }
    void indicatorSet_invalidDocumentRejected()
    {
        QString err;
        QVERIFY(!IndicatorSet::fromJson(QJsonDocument::fromJson(R"({"version":"1","indicators":[{"code":"501"}]})").object(), &err).isValid());
        QVERIFY(!err.isEmpty());
        const IndicatorSet round = IndicatorSet::fromJson(m_ind.toJson());
        QCOMPARE(round.indicators.size(), m_ind.indicators.size());
        QCOMPARE(round.version, m_ind.version);
    }
    void evaluationJson_roundTripsWithNationalNames()
    {
        Evaluation e = valid(2);
        e.uuid = QStringLiteral("5f0c8a4e-8f7e-4d1e-9a55-0a2b7c9d1e11");
        e.deviceSeq = 42;
        e.evalDetail = {QStringLiteral("501"), QStringLiteral("502")};
        e.writingEvaluation = QStringLiteral("态度差");
        e.publicFlag = 2;
        e.assessTime = QDateTime(QDate(2026, 11, 28), QTime(9, 30, 5));
        e.answers.insert(QStringLiteral("q1"), QStringLiteral("0"));
        const QJsonObject o = e.toJson();
        QCOMPARE(o.value(QLatin1String("evalDetail")).toString(), QStringLiteral("501,502"));
        QCOMPARE(o.value(QLatin1String("satisfaction")).toInt(), 2);
        QCOMPARE(o.value(QLatin1String("assessTime")).toString(), QStringLiteral("2026-11-28 09:30:05"));
        QCOMPARE(o.value(QLatin1String("publicFlag")).toInt(), 2);
        const Evaluation back = Evaluation::fromJson(o);
        QCOMPARE(back.toJson(), o);
    }
    void masking_namesAndIdNumbers()
    {
        QCOMPARE(maskName(QStringLiteral("张三华")), QStringLiteral("张*华"));
        QCOMPARE(maskName(QStringLiteral("李华")), QStringLiteral("李*"));
        QCOMPARE(maskName(QStringLiteral("欧阳娜娜")), QStringLiteral("欧**娜"));
        QCOMPARE(maskIdNumber(QStringLiteral("11010519491231002X")), QStringLiteral("1101**********002X"));
    }
    void config_outOfRangeValuesKeepDefaults()
    {
        QString err;
        const KioskConfig c = KioskConfig::fromJson(QJsonDocument::fromJson(R"({"ratingWindowWorkingDays":0,"idleTimeoutSeconds":90})").object(), &err);
        QCOMPARE(c.ratingWindowWorkingDays, 5);
        QCOMPARE(c.idleTimeoutSeconds, 90);
        QVERIFY(err.contains(QLatin1String("ratingWindowWorkingDays")));
    }
};

QTEST_GUILESS_MAIN(TestRules)
#include "tst_rules.moc"

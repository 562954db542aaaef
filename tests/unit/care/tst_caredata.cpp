// SPDX-License-Identifier: Apache-2.0
// English for the data texts: every shipped indicator, question and option has "text_en";
// the kiosk's agent and voice settings survive the configuration round trip.
#include "indicatorset.h"
#include "kioskconfig.h"
#include "questionnaire.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QTest>

using namespace hcp::kiosk;

namespace {
bool hasHan(const QString &s)
{
    static const QRegularExpression han(QStringLiteral("\\p{Han}"));
    return han.match(s).hasMatch();
}
QString checkQuestionnaire(const Questionnaire &q)
{
    for (const QuestionItem &i : q.items) {
        if (i.textEn.isEmpty() || hasHan(i.displayText(true)))
            return QStringLiteral("question %1 (%2) has no English text").arg(i.id, i.text);
        for (const QuestionOption &o : i.options)
            if (o.textEn.isEmpty() || hasHan(o.displayText(true)))
                return QStringLiteral("option %1 of %2 (%3) has no English text").arg(o.code, i.id, o.text);
    }
    return {};
}
} // namespace

class TestCareData : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void builtinIndicators_everyTextHasEnglish()
    {
        const IndicatorSet set = IndicatorSet::builtin();
        QVERIFY(set.isValid());
        for (const Indicator &i : set.indicators) {
            QVERIFY2(!i.textEn.isEmpty() && !hasHan(i.textEn), qPrintable(QStringLiteral("indicator %1 (%2) has no English text").arg(i.code, i.text)));
            QCOMPARE(i.displayText(false), i.text);
            QCOMPARE(i.displayText(true), i.textEn);
        }
        // The English text survives the hub's round trip (toJson → fromJson).
        const IndicatorSet again = IndicatorSet::fromJson(set.toJson());
        QCOMPARE(again.indicators.first().textEn, set.indicators.first().textEn);
    }

    void builtinQuestionnaires_everyTextHasEnglish()
    {
        const QuestionnaireCatalog cat = QuestionnaireCatalog::builtin();
        QVERIFY(!cat.version.isEmpty());
        QVERIFY(!cat.defaultQuestionnaire.isEmpty());
        QString problem = checkQuestionnaire(cat.defaultQuestionnaire);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        for (const Questionnaire &q : cat.byTaskCode) {
            problem = checkQuestionnaire(q);
            QVERIFY2(problem.isEmpty(), qPrintable(problem));
        }
    }

    // A hub set without English falls back to the Chinese text rather than showing nothing.
    void missingEnglish_fallsBackToChinese()
    {
        QString err;
        const IndicatorSet set = IndicatorSet::fromJson(QJsonObject{
            {QStringLiteral("version"), QStringLiteral("t1")},
            {QStringLiteral("indicators"), QJsonArray{QJsonObject{{QStringLiteral("code"), QStringLiteral("501")},
                                                                  {QStringLiteral("text"), QStringLiteral("态度不好")},
                                                                  {QStringLiteral("levels"), QJsonArray{1, 2}}}}}}, &err);
        QVERIFY2(set.isValid(), qPrintable(err));
        QCOMPARE(set.indicators.first().displayText(true), QStringLiteral("态度不好"));
    }

    void config_agentsAndVoice_roundTrip()
    {
        KioskConfig c;
        c.voiceVolume = 35;
        c.voiceEngine = QStringLiteral("speechd");
        c.voiceEnabled = false;
        c.elderlyByDefault = true;
        c.agents.append({QStringLiteral("AGENT-7"), QStringLiteral("钱代办"), QStringLiteral("abc123"),
                         QStringLiteral("pbkdf2-sha256$1000$c2FsdA==$aGFzaA==")});
        QString err;
        const KioskConfig d = KioskConfig::fromJson(c.toJson(), &err);
        QVERIFY2(err.isEmpty(), qPrintable(err));
        QCOMPARE(d.voiceVolume, 35);
        QCOMPARE(d.voiceEnabled, false);
        QCOMPARE(d.elderlyByDefault, true);
        QCOMPARE(d.agents.size(), 1);
        QCOMPARE(d.agents.first().id, QStringLiteral("AGENT-7"));
        QCOMPARE(d.agents.first().certKeyHash, QStringLiteral("abc123"));
    }

    void config_badAgentOrVolume_isReported()
    {
        QString err;
        KioskConfig::fromJson(QJsonObject{{QStringLiteral("voiceVolume"), 150}}, &err);
        QVERIFY(!err.isEmpty());
        err.clear();
        const KioskConfig c = KioskConfig::fromJson(
            QJsonObject{{QStringLiteral("agents"), QJsonArray{QJsonObject{{QStringLiteral("id"), QStringLiteral("A")}}}}}, &err);
        QVERIFY(!err.isEmpty());
        QVERIFY(c.agents.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestCareData)
#include "tst_caredata.moc"

// SPDX-License-Identifier: Apache-2.0
#include "pinyinengine.h"

#include <QSignalSpy>
#include <QTest>

using namespace hcp::kiosk;

class TestPinyin : public QObject {
    Q_OBJECT
    PinyinEngine m_engine;
    QStringList typed(const char *letters)
    {
        m_engine.clear();
        for (const char *p = letters; *p; ++p)
            m_engine.typeLetter(QString(QLatin1Char(*p)));
        return m_engine.candidates();
    }
    // Taps to enter a name on the keyboard: per character, letters of its pinyin until it shows
    // among the first `visible` candidates of the strip, then one tap on it (when it never shows
    // there: all letters, a swipe per further row of the strip, and the tap).
    int tapsFor(const QString &name, const QStringList &pinyin, bool nameMode)
    {
        constexpr int visible = 8; // what the strip shows at 1080 px without swiping
        int taps = 0;
        for (qsizetype k = 0; k < name.size(); ++k) {
            m_engine.setNameContext(nameMode ? int(k) : -1);
            m_engine.clear();
            const QString syllable = pinyin.at(k);
            int letters = 0;
            qsizetype at = -1;
            for (const QChar l : syllable) {
                m_engine.typeLetter(QString(l));
                ++letters;
                at = m_engine.candidates().indexOf(name.at(k));
                if (at >= 0 && at < visible)
                    break;
            }
            if (at < 0)
                return -1; // not offered at all
            taps += letters + 1 + int(at / visible);
        }
        m_engine.setNameContext(-1);
        m_engine.clear();
        return taps;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_engine.open()); }
    // The case: 王 before 网 for a surname, no 贱 in the first row of a given name.
    void nameContext_surnameFirst_andNoUnsuitableCharacterInTheFirstRow()
    {
        m_engine.setNameContext(0);
        QCOMPARE(typed("wang").value(0), QStringLiteral("王"));
        QCOMPARE(typed("w").value(0), QStringLiteral("王")); // one letter is enough
        QCOMPARE(typed("l").value(0), QStringLiteral("李"));
        m_engine.setNameContext(1);
        const QStringList jian = typed("jian");
        QVERIFY2(jian.indexOf(QStringLiteral("建")) >= 0 && jian.indexOf(QStringLiteral("建")) < 3, qPrintable(jian.mid(0, 8).join(' ')));
        QVERIFY2(jian.indexOf(QStringLiteral("贱")) < 0 || jian.indexOf(QStringLiteral("贱")) >= 8, qPrintable(jian.mid(0, 8).join(' ')));
        m_engine.setNameContext(-1); // comments keep the engine's word order
        QCOMPARE(typed("fuwu").value(0), QStringLiteral("服务"));
    }
    // Taps for the demo people's names, before (engine order) and after (name ranking); printed
    // as name=value for the issue note.
    void nameContext_reducesTapsForCommonNames()
    {
        const QList<std::pair<QString, QStringList>> people{
            {QStringLiteral("王建国"), {QStringLiteral("wang"), QStringLiteral("jian"), QStringLiteral("guo")}},
            {QStringLiteral("李华"), {QStringLiteral("li"), QStringLiteral("hua")}},
            {QStringLiteral("张伟"), {QStringLiteral("zhang"), QStringLiteral("wei")}},
            {QStringLiteral("刘洋"), {QStringLiteral("liu"), QStringLiteral("yang")}},
            {QStringLiteral("陈静"), {QStringLiteral("chen"), QStringLiteral("jing")}},
            {QStringLiteral("赵丽"), {QStringLiteral("zhao"), QStringLiteral("li")}},
            {QStringLiteral("吴敏"), {QStringLiteral("wu"), QStringLiteral("min")}},
        };
        int before = 0, after = 0;
        for (const auto &[name, pinyin] : people) {
            const int b = tapsFor(name, pinyin, false);
            const int a = tapsFor(name, pinyin, true);
            QVERIFY2(a > 0 && b > 0, qPrintable(name));
            QVERIFY2(a <= b, qPrintable(QStringLiteral("%1: %2 taps in a name, %3 as text").arg(name).arg(a).arg(b)));
            before += b;
            after += a;
        }
        qInfo().noquote() << QStringLiteral("name_taps_before=%1").arg(before);
        qInfo().noquote() << QStringLiteral("name_taps_after=%1").arg(after);
        QVERIFY(after < before);
    }
    void commonWords_comeFirst()
    {
        QCOMPARE(typed("fuwu").value(0), QStringLiteral("服务"));
        QCOMPARE(typed("manyi").value(0), QStringLiteral("满意"));
        QCOMPARE(typed("pingjia").value(0), QStringLiteral("评价"));
    }
    void name_isAmongCandidates()
    {
        QVERIFY(typed("lihua").contains(QStringLiteral("李华")));
    }
    void choose_returnsTextAndClears()
    {
        typed("manyi");
        QCOMPARE(m_engine.choose(0), QStringLiteral("满意"));
        QVERIFY(m_engine.preedit().isEmpty());
        QVERIFY(m_engine.candidates().isEmpty());
        QVERIFY(m_engine.choose(3).isEmpty());
    }
    void nonLetters_areIgnored_backspaceEdits()
    {
        m_engine.clear();
        m_engine.typeLetter(QStringLiteral("1"));
        m_engine.typeLetter(QStringLiteral("中"));
        QVERIFY(m_engine.preedit().isEmpty());
        typed("fuwuu");
        m_engine.backspace();
        QCOMPARE(m_engine.preedit(), QStringLiteral("fuwu"));
        QCOMPARE(m_engine.candidates().value(0), QStringLiteral("服务"));
    }
};

QTEST_GUILESS_MAIN(TestPinyin)
#include "tst_pinyin.moc"

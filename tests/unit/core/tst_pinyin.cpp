// SPDX-License-Identifier: Apache-2.0
#include <pinyinengine.h>

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
private Q_SLOTS:
    void initTestCase() { QVERIFY(m_engine.open()); }
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

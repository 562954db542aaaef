// SPDX-License-Identifier: Apache-2.0
// The README's windowed demo, used as a person would: real mouse clicks on the window at each
// control's position (no handler is called directly); the demo panel drives the device
// simulators, so the card goes through the real reader protocol.
#include "kioskfixture.h"
#include "layoutcheck.h"

#include "sessionmodels.h"

#include <QQuickItem>
#include <QSqlQuery>
#include <QStyleHints>
#include <QtQuickTest/quicktest.h>
#include <QtTest>

using namespace hcp::kiosk;
using St = EvaluationSession::State;

namespace {

int evaluationRows(Store *store)
{
    QSqlQuery q(store->database());
    return q.exec(QStringLiteral("SELECT COUNT(*) FROM evaluation")) && q.next() ? q.value(0).toInt() : -1;
}

} // namespace

class DemoWindowTest : public QObject {
    Q_OBJECT
    std::unique_ptr<KioskFixture> m_kiosk;

    // Waits for the item to be shown and laid out, then clicks the window at its centre.
    bool click(const QString &name)
    {
        QQuickWindow *w = m_kiosk->window();
        QQuickItem *item = nullptr;
        if (!QTest::qWaitFor([&] { item = findItem(w->contentItem(), name); return item && item->isVisible(); }, 5000)) {
            qWarning() << "not shown:" << name;
            return false;
        }
        QQuickTest::qWaitForPolish(w);
        const QPointF centre = item->mapToScene(QPointF(item->width() / 2, item->height() / 2));
        QTest::mouseClick(w, Qt::LeftButton, {}, centre.toPoint());
        QTest::qWait(QGuiApplication::styleHints()->mouseDoubleClickInterval() + 10); // each tap a single tap
        return true;
    }

private Q_SLOTS:
    void init()
    {
        m_kiosk = std::make_unique<KioskFixture>(QSize(1080, 1920), true);
        QVERIFY2(m_kiosk->ok(), qPrintable(m_kiosk->error()));
        QVERIFY(QTest::qWaitForWindowExposed(m_kiosk->window()));
        m_kiosk->session()->setIdleTimeoutMs(3600 * 1000);
        QCOMPARE(m_kiosk->session()->state(), St::Start);
    }
    void cleanup() { m_kiosk.reset(); }

    void demoButton_clickedWithMouse_opensPanelAndCardJourneyCommits()
    {
        EvaluationSession *ses = m_kiosk->session();
        QQuickItem *panel = findItem(m_kiosk->window()->contentItem(), QStringLiteral("demoPanel"));
        QVERIFY(panel);
        QVERIFY(!panel->property("open").toBool());
        const int before = evaluationRows(m_kiosk->store());

        QVERIFY(click(QStringLiteral("demoPanel")));
        QTRY_VERIFY(panel->property("open").toBool());
        QCOMPARE(ses->state(), St::Start); // the click did not reach the start screen below
        QVERIFY(click(QStringLiteral("demoCard0"))); // 李华's card, read through the reader simulator
        QTRY_COMPARE_WITH_TIMEOUT(ses->state(), St::ChooseCase, 8000);
        QVERIFY(click(QStringLiteral("demoClose")));
        QTRY_VERIFY(!panel->property("open").toBool());
        QCOMPARE(ses->state(), St::ChooseCase);

        int row = -1;
        for (int r = 0; r < ses->cases()->rowCount() && row < 0; ++r)
            if (ses->cases()->row(r)->rateable)
                row = r;
        QVERIFY(row >= 0);
        QVERIFY(click(QStringLiteral("caseRow%1").arg(row)));
        QTRY_COMPARE(ses->state(), St::Rate);
        QVERIFY(click(QStringLiteral("rate5")));
        QTRY_COMPARE(ses->state(), St::Confirm);
        QVERIFY(click(QStringLiteral("submit")));
        QTRY_COMPARE(ses->state(), St::Thanks);
        QCOMPARE(evaluationRows(m_kiosk->store()), before + 1);
        QVERIFY(click(QStringLiteral("finish")));
        QTRY_COMPARE(ses->state(), St::Start);
    }

    void demoButton_tappedOnRatingScreen_opensPanelAndRatesNothing()
    {
        // A rating screen under the closed 演示 button: the tap opens the panel and rates nothing.
        EvaluationSession *ses = m_kiosk->session();
        QVERIFY(click(QStringLiteral("demoPanel")));
        QQuickItem *panel = findItem(m_kiosk->window()->contentItem(), QStringLiteral("demoPanel"));
        QTRY_VERIFY(panel->property("open").toBool());
        QVERIFY(click(QStringLiteral("demoCode1"))); // a bare 办件编号 through the scanner simulator
        QTRY_COMPARE_WITH_TIMEOUT(ses->state(), St::Rate, 8000);
        QVERIFY(click(QStringLiteral("demoClose")));
        QTRY_VERIFY(!panel->property("open").toBool());
        QCOMPARE(ses->state(), St::Rate);
        QCOMPARE(ses->satisfaction(), 0);
        QVERIFY(click(QStringLiteral("demoPanel")));
        QTRY_VERIFY(panel->property("open").toBool());
        QCOMPARE(ses->state(), St::Rate);
        QCOMPARE(ses->satisfaction(), 0);
    }
};

QTEST_MAIN(DemoWindowTest)
#include "tst_kiosk_demowindow.moc"

// SPDX-License-Identifier: Apache-2.0
// Every screen tells the truth (issue 14): the 差评 rule where the choice is made, 其他 only with
// a comment step, phrases that match the level, a confirm screen that names the reasons and
// the 公开 choice (关怀模式 too), check boxes for multi-select, the card tile that points at the
// reader, the paper-out notice with the QR on screen. The real session and Main.qml.
#include "kioskfixture.h"
#include "layoutcheck.h"

#include "sessionmodels.h"
#include "qrpayload.h"
#include "hardware/printer/printersimulator.h"
#include "hardware/printer/receiptprinter.h"

#include <QQuickItem>
#include <QStyleHints>
#include <QtQuickTest/quicktest.h>
#include <QtTest>

using namespace hcp::kiosk;
using St = EvaluationSession::State;

namespace {

QStringList codesOf(ReasonListModel *m)
{
    QStringList out;
    for (int r = 0; r < m->rowCount(); ++r)
        out.append(m->data(m->index(r), ReasonListModel::CodeRole).toString());
    return out;
}

} // namespace

class ScreenTruthTest : public QObject {
    Q_OBJECT
    std::unique_ptr<KioskFixture> m_kiosk;

    QQuickItem *shown(const QString &name)
    {
        QQuickItem *item = nullptr;
        QTest::qWaitFor([&] { item = findItem(m_kiosk->window()->contentItem(), name); return item && item->isVisible(); }, 3000);
        QQuickTest::qWaitForPolish(m_kiosk->window());
        return item && item->isVisible() ? item : nullptr;
    }
    QString textOf(const QString &name)
    {
        QQuickItem *i = shown(name);
        return i ? i->property("text").toString() : QStringLiteral("<%1 not shown>").arg(name);
    }
    // 李华's card, the first case not rated yet, a rating.
    bool rateFirstCase(int level)
    {
        EvaluationSession *ses = m_kiosk->session();
        m_kiosk->app()->demoSwipeCard(0);
        if (!QTest::qWaitFor([&] { return ses->state() == St::ChooseCase || ses->state() == St::Rate; }, 5000))
            return false;
        for (int row = 0; row < ses->cases()->rowCount() && ses->state() == St::ChooseCase; ++row)
            if (ses->cases()->row(row)->rateable)
                ses->chooseCase(row);
        if (ses->state() != St::Rate)
            return false;
        ses->rate(level);
        return true;
    }

    // A real tap on the centre of a shown item.
    bool tap(const QString &name)
    {
        QQuickItem *item = shown(name);
        if (!item)
            return false;
        const QPointF centre = item->mapToScene(QPointF(item->width() / 2, item->height() / 2));
        QTest::mouseClick(m_kiosk->window(), Qt::LeftButton, {}, centre.toPoint());
        return true;
    }

private Q_SLOTS:
    // Issue 14: the pad and the 追评 forced 公开; now 不公开 is offered before the committing tap,
    // and each new rating starts from 公开 again.
    void padAndFollowUp_notPublicTapped_committedWithPublicFlag2_nextStartsPublic()
    {
        PadSession *pad = m_kiosk->tourContext().pad;
        QList<int> padFlags;
        connect(pad, &PadSession::committed, this, [&](const Evaluation &e) { padFlags.append(e.publicFlag); });
        pad->setEnabled(true);
        hcp::sync::RateNowEvent event;
        event.projectNo = QStringLiteral("1101052026112800001");
        event.serviceNumber = 3;
        event.staffNo = QStringLiteral("S0012");
        event.staffName = QStringLiteral("王芳");
        event.windowNo = QStringLiteral("A03");
        pad->rateNow(event);
        QVERIFY(shown(QStringLiteral("padPublicYes")) && shown(QStringLiteral("padPublicYes"))->property("checked").toBool());
        QVERIFY(tap(QStringLiteral("padPublicNo")));
        QTRY_VERIFY(!pad->publicRating());
        QVERIFY(shown(QStringLiteral("padPublicNo"))->property("checked").toBool());
        QVERIFY(tap(QStringLiteral("padRate5")));
        QTRY_COMPARE(padFlags, QList<int>{2});
        QCOMPARE(pad->state(), PadSession::State::Thanks);
        QVERIFY(tap(QStringLiteral("padDone")));
        event.serviceNumber = 2;
        pad->rateNow(event);
        QTRY_COMPARE(pad->state(), PadSession::State::Rate);
        QVERIFY(pad->publicRating());
        QVERIFY(tap(QStringLiteral("padRate4")));
        QTRY_COMPARE(padFlags, (QList<int>{2, 1}));
        pad->setEnabled(false);

        // The 追评 of a rectified 差评, by the receipt QR.
        FollowUpSession *followUp = m_kiosk->tourContext().followUp;
        QList<int> followFlags;
        connect(followUp, &FollowUpSession::committed, this, [&](const Evaluation &e) { followFlags.append(e.publicFlag); });
        followUp->setFetcher([](const QString &projectNo, std::function<void(bool, const QJsonArray &)> done) {
            done(true, QJsonArray{QJsonObject{{QStringLiteral("projectNo"), projectNo}, {QStringLiteral("serviceNumber"), 1},
                                              {QStringLiteral("assessNumber"), 1}, {QStringLiteral("status"), QStringLiteral("done")},
                                              {QStringLiteral("reply"), QStringLiteral("已增设午间窗口。")},
                                              {QStringLiteral("replyDept"), QStringLiteral("示例县政务服务中心")},
                                              {QStringLiteral("replyTime"), QStringLiteral("2026-11-28T16:20:00+08:00")},
                                              {QStringLiteral("followUpRated"), false}}});
        });
        m_kiosk->session()->submitQrPayload(receiptQrUrl(m_kiosk->tourContext().config.followUpBase,
                                                         QStringLiteral("6f1c2a4e-8c1b-4f7e-9d55-0b7a3d1e2f01"),
                                                         QStringLiteral("11010520261128019001"), 1).toUtf8());
        QVERIFY(shown(QStringLiteral("followUpPublicNo")));
        QVERIFY(followUp->publicRating());
        QVERIFY(tap(QStringLiteral("followUpPublicNo")));
        QTRY_VERIFY(!followUp->publicRating());
        QVERIFY(tap(QStringLiteral("followUpRate2")));
        QTRY_COMPARE(followUp->state(), FollowUpSession::State::Reasons);
        QVERIFY(tap(QStringLiteral("followUpReason502")));
        QVERIFY(tap(QStringLiteral("followUpSubmit")));
        QTRY_COMPARE(followFlags, QList<int>{2});
    }

    void init()
    {
        m_kiosk = std::make_unique<KioskFixture>(QSize(1080, 1920), false);
        QVERIFY2(m_kiosk->ok(), qPrintable(m_kiosk->error()));
        QVERIFY(QTest::qWaitForWindowExposed(m_kiosk->window()));
        m_kiosk->session()->setIdleTimeoutMs(3600 * 1000);
    }
    void cleanup() { m_kiosk.reset(); }

    void badRatingReasons_nextWithoutReason_staysAndOffersWritingInstead()
    {
        EvaluationSession *ses = m_kiosk->session();
        QVERIFY(rateFirstCase(2));
        QCOMPARE(ses->state(), St::Reasons);
        ses->next();
        QCOMPARE(ses->state(), St::Reasons); // the rule fires here, not two screens later
        QVERIFY2(ses->message().contains(QStringLiteral("我来写意见")), qPrintable(ses->message()));
        QVERIFY(shown(QStringLiteral("writeComment")));
        ses->writeComment();
        QCOMPARE(ses->state(), St::Comment);
        ses->next();
        QCOMPARE(ses->state(), St::Comment); // nothing chosen and nothing written: still required
        ses->setComment(QStringLiteral("窗口一直没人"));
        ses->next();
        QCOMPARE(ses->state(), St::Confirm);
    }

    void reasonsWithoutCommentStep_careFollowUpPad_offerNoOther()
    {
        EvaluationSession *ses = m_kiosk->session();
        QVERIFY(rateFirstCase(2));
        QVERIFY(codesOf(ses->reasons()).contains(QStringLiteral("599"))); // normal flow: a comment step follows
        ses->cancel();
        m_kiosk->app()->setElderlyMode(true);
        QVERIFY(rateFirstCase(2));
        QCOMPARE(ses->state(), St::Reasons);
        QVERIFY(!codesOf(ses->reasons()).isEmpty());
        QVERIFY2(!codesOf(ses->reasons()).contains(QStringLiteral("599")), qPrintable(codesOf(ses->reasons()).join(',')));
        ses->cancel();

        PadSession *pad = m_kiosk->tourContext().pad;
        pad->setEnabled(true);
        hcp::sync::RateNowEvent event;
        event.projectNo = QStringLiteral("1101052026112800001");
        event.serviceNumber = 3;
        event.staffNo = QStringLiteral("S0012");
        pad->rateNow(event);
        pad->rate(1);
        QVERIFY(!codesOf(pad->reasons()).isEmpty());
        QVERIFY(!codesOf(pad->reasons()).contains(QStringLiteral("599")));
        pad->setEnabled(false);
        const IndicatorSet set = IndicatorSet::builtin();
        QVERIFY(!set.forLevel(1, false).isEmpty());
        for (const Indicator &i : set.forLevel(1, false))
            QVERIFY2(!i.needsComment(), qPrintable(i.code)); // what the 追评 offers
    }

    void commentPhrases_afterBadRating_areComplaintsNotPraise()
    {
        EvaluationSession *ses = m_kiosk->session();
        QVERIFY(rateFirstCase(1));
        QVERIFY(!ses->phrases().isEmpty());
        QVERIFY(!ses->phrases().contains(QStringLiteral("工作人员很耐心")));
        QVERIFY(!ses->phrases().contains(QStringLiteral("办事效率高")));
        ses->back();
        ses->rate(5);
        QVERIFY(ses->phrases().contains(QStringLiteral("工作人员很耐心")));
        QVERIFY(!ses->phrases().contains(QStringLiteral("等候时间太长")));
    }

    void confirm_afterReasons_namesThemAndShowsThePublicChoice_inCareModeToo()
    {
        EvaluationSession *ses = m_kiosk->session();
        for (bool care : {false, true}) {
            m_kiosk->app()->setElderlyMode(care);
            QVERIFY(rateFirstCase(2));
            ses->toggleReason(QStringLiteral("502"));
            ses->toggleReason(QStringLiteral("504"));
            // The chosen reasons show as check boxes (several may be chosen).
            QVERIFY(shown(QStringLiteral("reason502")));
            QVERIFY(findItem(findItem(m_kiosk->window()->contentItem(), QStringLiteral("reason502")), QStringLiteral("checkBoxMark")));
            while (ses->state() != St::Confirm) {
                if (ses->state() == St::Comment)
                    ses->setComment(QString());
                const St before = ses->state();
                ses->next();
                QVERIFY2(ses->state() != before, "the walk to confirm is stuck");
            }
            const QString reasons = textOf(care ? QStringLiteral("careConfirmReasons") : QStringLiteral("confirmReasons"));
            QVERIFY2(reasons.contains(QStringLiteral("等候时间长")) && reasons.contains(QStringLiteral("多次跑动")), qPrintable(reasons));
            QVERIFY(!reasons.contains(QStringLiteral("已选")));
            if (care)
                QVERIFY(textOf(QStringLiteral("careConfirmCase")).contains(ses->caseTaskName()));
            QQuickItem *no = shown(QStringLiteral("publicNo"));
            QVERIFY(no);
            QVERIFY(findItem(no, QStringLiteral("radioMark"))); // one of two: a round mark
            ses->setPublicRating(false);
            QTRY_VERIFY(no->property("checked").toBool());
            QVERIFY(!ses->publicRating());
            ses->cancel();
        }
    }

    void startCardTile_tapped_pointsAtTheReader()
    {
        QQuickItem *tile = shown(QStringLiteral("startCard"));
        QVERIFY(tile);
        const QString before = textOf(QStringLiteral("cardHint"));
        const QPointF centre = tile->mapToScene(QPointF(tile->width() / 2, tile->height() / 2));
        QTest::mouseClick(m_kiosk->window(), Qt::LeftButton, {}, centre.toPoint());
        QTRY_VERIFY(textOf(QStringLiteral("cardHint")) != before);
        QVERIFY(textOf(QStringLiteral("cardHint")).contains(QStringLiteral("请把身份证放在读卡区")));
        QCOMPARE(m_kiosk->session()->state(), St::Start);
    }

    // The footer's device strip from the first frame: the printer's status is read at start (it
    // said «✗ 打印机 未连接» until the first receipt) and a kiosk without a camera lists none.
    void startScreen_deviceStrip_printerReadBeforeAnyPrint_noCameraListed()
    {
        QQuickItem *strip = shown(QStringLiteral("deviceStrip"));
        QVERIFY(strip);
        const auto texts = [strip] {
            QStringList out;
            for (QQuickItem *child : strip->childItems())
                if (child->isVisible() && !child->property("text").toString().isEmpty())
                    out << child->property("text").toString();
            return out;
        };
        QTRY_VERIFY2(texts().contains(QStringLiteral("✓ 打印机")), qPrintable(texts().join(QLatin1Char('|'))));
        QVERIFY2(texts().filter(QStringLiteral("摄像头")).isEmpty(), qPrintable(texts().join(QLatin1Char('|'))));
        QCOMPARE(texts().size(), 3); // reader, printer, scanner
        // The footer follows the English UI too (device texts came from hardware/, which the
        // .ts did not cover).
        m_kiosk->app()->setLanguage(QStringLiteral("en"));
        QTRY_VERIFY2(texts().contains(QStringLiteral("✓ Printer")), qPrintable(texts().join(QLatin1Char('|'))));
        QVERIFY2(texts().contains(QStringLiteral("✓ ID card reader")), qPrintable(texts().join(QLatin1Char('|'))));
        m_kiosk->app()->setLanguage(QStringLiteral("zh_CN"));
    }

    void thanks_paperOut_saysSoAndShowsTheQrOnScreen()
    {
        EvaluationSession *ses = m_kiosk->session();
        QVERIFY(rateFirstCase(5));
        ses->submit();
        QCOMPARE(ses->state(), St::Thanks);
        // The printer runs out of paper on this receipt.
        m_kiosk->devices()->printerSimulator()->setMode(hcp::hardware::PrinterSimulator::Mode::PaperOut);
        m_kiosk->devices()->printer()->refreshStatus();
        ses->requestReceipt();
        QTRY_COMPARE_WITH_TIMEOUT(ses->receiptState(), EvaluationSession::ReceiptState::Failed, 5000);
        QVERIFY(shown(QStringLiteral("receiptQrOnScreen")));
        const QString msg = textOf(QStringLiteral("receiptMessage"));
        QVERIFY2(msg.contains(QStringLiteral("凭条未能打印（打印纸已用完）。")) && msg.contains(QStringLiteral("屏幕上的二维码")), qPrintable(msg));
    }
};

QTEST_MAIN(ScreenTruthTest)
#include "tst_kiosk_screentruth.moc"

// SPDX-License-Identifier: Apache-2.0
#include "screentour.h"

#include "agentdesk.h"
#include "devices.h"
#include "diagnostics.h"

#include "appcontroller.h"
#include "casedirectory.h"
#include "demodata.h"
#include "evaluationsession.h"
#include "followupsession.h"
#include "hallfigures.h"
#include "padsession.h"
#include "qrpayload.h"
#include "sessionmodels.h"
#include "hardware/printer/printersimulator.h"
#include "hardware/printer/receiptprinter.h"
#include "hardware/scanner/scannersimulator.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcTour, "hcp.kiosk.tour")

namespace hcp::kiosk::screentour {

namespace {

// A hub that never answers in time: the searching screen stays up.
struct SilentHub : OnlineCaseSource {
    void lookup(const CaseQuery &, std::function<void(Outcome, const QList<Case> &)>) override {}
};

// 差评 follow-up without a hub: synthetic rectifications by the case number's last digit.
void installFollowUpFetcher(FollowUpSession *followUp)
{
    followUp->setFetcher([](const QString &projectNo, std::function<void(bool, const QJsonArray &)> done) {
        const QString status = projectNo.endsWith(QLatin1String("9001")) ? QStringLiteral("done")
            : projectNo.endsWith(QLatin1String("9002"))                  ? QStringLiteral("in_progress")
                                                                         : QString();
        QJsonArray items;
        if (!status.isEmpty())
            items.append(QJsonObject{
                {QStringLiteral("projectNo"), projectNo}, {QStringLiteral("serviceNumber"), 1},
                {QStringLiteral("assessNumber"), 1}, {QStringLiteral("status"), status},
                {QStringLiteral("reply"), status == QLatin1String("done")
                     ? QStringLiteral("经核实，窗口当日因系统升级等候较长。已增设午间窗口并实行材料一次告知，感谢您的监督。")
                     : QString()},
                {QStringLiteral("replyDept"), QStringLiteral("示例县政务服务中心")},
                {QStringLiteral("replyTime"), QStringLiteral("2026-11-28T16:20:00+08:00")},
                {QStringLiteral("followUpRated"), false}});
        done(true, items);
    });
}

} // namespace

QString Variant::name() const
{
    return QStringLiteral("%1-%2").arg(elderly ? QStringLiteral("care") : QStringLiteral("normal"),
                                       english ? QStringLiteral("en") : QStringLiteral("zh"));
}

QList<Variant> variants()
{
    return {{false, false}, {true, false}, {false, true}, {true, true}};
}

bool waitUntil(const std::function<bool()> &done, int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    while (!done()) {
        if (t.elapsed() >= timeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    }
    return true;
}

void run(const Context &ctx, const Variant &variant, const std::function<void(const QString &)> &visit)
{
    using St = EvaluationSession::State;
    EvaluationSession *ses = ctx.session;
    auto waitForState = [&](std::initializer_list<St> states) {
        if (!waitUntil([&] { return std::find(states.begin(), states.end(), ses->state()) != states.end(); }))
            qCWarning(lcTour) << variant.name() << "still in state" << ses->state();
    };
    auto applyVariant = [&] {
        ctx.app->setLanguage(variant.english ? QStringLiteral("en") : QStringLiteral("zh_CN"));
        ctx.app->setElderlyMode(variant.elderly);
    };
    applyVariant();
    ses->setIdleTimeoutMs(3600 * 1000);
    visit(QStringLiteral("01-start"));
    ses->beginTypedLookup();
    visit(QStringLiteral("02-type-case-number"));
    ses->back();
    ses->beginScan();
    visit(QStringLiteral("03-scan"));
    ses->back();

    // A card with several cases: list, rating, 差评 reasons, questions, comment, confirm. Each
    // variant rates a case of its own (李华, 王建国, 张秀英, then 李华's next).
    const int variantNo = int(variants().indexOf(variant));
    const int citizen = variantNo % 3;
    ctx.swipeCard(citizen);
    waitForState({St::ChooseCase});
    visit(QStringLiteral("04-case-list"));
    // The first case not rated yet.
    for (int row = 0; row < ses->cases()->rowCount() && ses->state() == St::ChooseCase; ++row)
        if (ses->cases()->row(row)->rateable)
            ses->chooseCase(row);
    visit(QStringLiteral("05-rate"));
    ses->rate(2);
    visit(QStringLiteral("06-reasons-empty"));
    ses->toggleReason(QStringLiteral("502"));
    ses->toggleReason(QStringLiteral("504"));
    visit(QStringLiteral("07-reasons"));
    ses->next();
    if (ses->state() == St::Questions) {
        ses->answerQuestion(QStringLiteral("q1"), QStringLiteral("0"));
        visit(QStringLiteral("08-questions"));
        ses->next();
    }
    if (ses->state() == St::Comment) {
        ses->appendPhrase(ses->phrases().value(0));
        visit(QStringLiteral("09-comment"));
        ses->next();
    }
    visit(QStringLiteral("10-confirm"));
    ses->submit();
    // The printer runs out of paper on the receipt.
    auto *printerSim = ctx.devices->printerSimulator();
    printerSim->setMode(hcp::hardware::PrinterSimulator::Mode::PaperOut);
    ctx.devices->printer()->refreshStatus();
    ses->requestReceipt();
    waitUntil([&] { return ses->receiptState() != EvaluationSession::ReceiptState::Printing; }, 5000);
    visit(QStringLiteral("11-thanks-paper-out"));
    printerSim->setMode(hcp::hardware::PrinterSimulator::Mode::Ready);
    ctx.devices->printer()->refreshStatus();
    ses->finish();

    // The same card again: the case just rated.
    ctx.swipeCard(citizen);
    waitForState({St::ChooseCase});
    for (int row = 0; row < ses->cases()->rowCount(); ++row)
        if (ses->cases()->row(row)->statusText.startsWith(QStringLiteral("已评价"))) {
            ses->chooseCase(row);
            break;
        }
    visit(QStringLiteral("12-already-rated"));
    ses->finish();
    {
        SilentHub silent;
        ctx.directory->setOnlineSource(&silent);
        ses->submitQrPayload("1101052699999998");
        visit(QStringLiteral("13-searching"));
        ses->cancel();
        ctx.directory->setOnlineSource(nullptr);
    }
    ses->beginTypedLookup();
    ses->submitTypedLookup(QStringLiteral("1101052699999999"), QStringLiteral("李华"));
    waitForState({St::NothingToRate, St::Error});
    visit(QStringLiteral("14-nothing-to-rate"));
    ses->finish();
    ses->submitQrPayload("WIFI:S:hall-guest;T:WPA;P:12345678;;");
    waitForState({St::Error});
    visit(QStringLiteral("15-error-bad-qr"));
    ses->finish();

    // The last seconds before the idle reset.
    ses->submitQrPayload("1101052611120407");
    waitForState({St::Rate});
    ses->setIdleTimeoutMs(8000);
    ses->userActivity();
    waitUntil([&] { return ses->countdownVisible(); }, 5000);
    visit(QStringLiteral("16-idle-countdown"));
    ses->cancel();
    ses->setIdleTimeoutMs(3600 * 1000);

    // 代办员: card, PIN, signed in, the citizen's own card, rating screen.
    ctx.agentDesk->beginSignIn();
    visit(QStringLiteral("17-agent-card"));
    ctx.swipeCard(4);
    waitUntil([&] { return ctx.agentDesk->phase() == AgentDesk::Phase::EnterPin; });
    visit(QStringLiteral("18-agent-pin"));
    ctx.agentDesk->enterPin(QStringLiteral("135790"));
    applyVariant(); // the sign-in may reset the display mode
    visit(QStringLiteral("19-agent-start"));
    ctx.swipeCard(3);
    waitForState({St::ChooseCase, St::Rate});
    visit(QStringLiteral("20-agent-case-list"));
    for (int row = 0; row < ses->cases()->rowCount() && ses->state() == St::ChooseCase; ++row)
        if (ses->cases()->row(row)->rateable)
            ses->chooseCase(row);
    visit(QStringLiteral("21-agent-rate"));
    ses->cancel();
    ctx.agentDesk->signOut();
    applyVariant();

    // Maintenance: PIN, device tests, the status tab.
    Diagnostics *diag = ctx.diagnostics;
    diag->requestOpen();
    visit(QStringLiteral("22-maintenance-pin"));
    diag->enterPin(QStringLiteral("2468"));
    const QString print0 = diag->printerText(), scan0 = diag->scanText();
    diag->testRead();
    printerSim->setMode(hcp::hardware::PrinterSimulator::Mode::PaperNearEnd);
    diag->testPrint();
    ctx.devices->scannerSimulator()->scan("https://zwfw.example.gov.cn/bjcx?projectNo=1101052611120037");
    waitUntil([&] { return diag->printerText() != print0 && diag->scanText() != scan0; }, 3000);
    visit(QStringLiteral("23-diagnostics"));
    diag->setPage(1);
    visit(QStringLiteral("24-diagnostics-status"));
    diag->setPage(0);
    diag->close();
    printerSim->setMode(hcp::hardware::PrinterSimulator::Mode::Ready);
    ctx.devices->printer()->refreshStatus();
    ses->setStorageAvailable(false);
    visit(QStringLiteral("25-unavailable"));
    ses->setStorageAvailable(true);
    applyVariant();

    // 差评 follow-up by the receipt QR; the 追评 is once per service: a case of its own per variant.
    installFollowUpFetcher(ctx.followUp);
    const QString followCase = QStringLiteral("11010520261128%1").arg(variantNo);
    auto scanReceipt = [&](const QString &projectNo) {
        ses->submitQrPayload(receiptQrUrl(ctx.config.followUpBase, QStringLiteral("6f1c2a4e-8c1b-4f7e-9d55-0b7a3d1e2f01"),
                                          projectNo, 1).toUtf8());
        waitForState({St::FollowUp});
        waitUntil([&] { return ctx.followUp->state() != FollowUpSession::State::Loading; }, 3000);
    };
    scanReceipt(followCase + QStringLiteral("9001"));
    visit(QStringLiteral("26-followup-done"));
    ctx.followUp->rate(2);
    ctx.followUp->toggleReason(QStringLiteral("502"));
    visit(QStringLiteral("27-followup-reasons"));
    ctx.followUp->submit();
    visit(QStringLiteral("28-followup-thanks"));
    ses->finish();
    scanReceipt(followCase + QStringLiteral("9001"));
    visit(QStringLiteral("29-followup-already-rated"));
    ses->finish();
    scanReceipt(followCase + QStringLiteral("9002"));
    visit(QStringLiteral("30-followup-in-progress"));
    ses->finish();
    scanReceipt(followCase + QStringLiteral("9003"));
    visit(QStringLiteral("31-followup-no-record"));
    ses->finish();
    ctx.followUp->setFetcher([](const QString &, std::function<void(bool, const QJsonArray &)> done) { done(false, {}); });
    scanReceipt(followCase + QStringLiteral("9001"));
    visit(QStringLiteral("32-followup-offline"));
    ses->finish();

    // Window rating pad (评价器).
    const DemoData demo = builtinDemoData(*ctx.calendar, QDateTime::currentDateTime(), ctx.config.idHashKey);
    KioskConfig padConfig = ctx.config;
    padConfig.padStaffName = QStringLiteral("王芳");
    padConfig.padStaffNo = QStringLiteral("S0012");
    padConfig.padWindowNo = QStringLiteral("A03");
    ctx.pad->setConfig(padConfig);
    ctx.pad->setEnabled(true);
    ctx.pad->setIdleTimeoutMs(3600 * 1000);
    visit(QStringLiteral("33-pad-idle"));
    hcp::sync::RateNowEvent padEvent;
    // A service step of its own per variant: the pad rates this step, once.
    padEvent.projectNo = demo.cases.value(0).projectNo.isEmpty() ? QStringLiteral("1101052026112800001")
                                                                 : demo.cases.value(0).projectNo;
    padEvent.serviceNumber = 7 + variantNo;
    padEvent.staffNo = QStringLiteral("S0012");
    padEvent.staffName = QStringLiteral("王芳");
    padEvent.windowNo = QStringLiteral("A03");
    ctx.pad->rateNow(padEvent);
    visit(QStringLiteral("34-pad-rate"));
    ctx.pad->rate(1);
    ctx.pad->toggleReason(QStringLiteral("501"));
    visit(QStringLiteral("35-pad-reasons"));
    ctx.pad->submit();
    visit(QStringLiteral("36-pad-thanks"));
    ctx.pad->finish();
    ctx.pad->rateNow(padEvent);
    visit(QStringLiteral("37-pad-already-rated"));
    ctx.pad->finish();
    ctx.pad->setEnabled(false);
    ctx.pad->setConfig(ctx.config);

    // The start screen with the hall's month figures (kiosk.idle.showHallFigures).
    if (ctx.hallFigures) {
        ctx.hallFigures->setFetcher([](const QString &hall, std::function<void(bool, const QJsonObject &)> done) {
            done(true, QJsonObject{{QStringLiteral("month"), QDateTime::currentDateTimeUtc().toOffsetFromUtc(8 * 3600)
                                                                  .toString(QStringLiteral("yyyy-MM"))},
                                   {QStringLiteral("hall"), QJsonObject{{QStringLiteral("hallCode"), hall},
                                                                       {QStringLiteral("name"), QStringLiteral("示例县政务服务中心")},
                                                                       {QStringLiteral("ratings"), 1286},
                                                                       {QStringLiteral("goodRate"), 0.9852},
                                                                       {QStringLiteral("rectified"), 7}}}});
        });
        ctx.hallFigures->setEnabled(true, ctx.config.hallCode);
        ctx.app->setLanguage(variant.english ? QStringLiteral("en") : QStringLiteral("zh_CN"));
        ctx.app->setElderlyMode(variant.elderly);
        visit(QStringLiteral("38-start-hall-figures"));
        ctx.hallFigures->setEnabled(false, ctx.config.hallCode);
    }
    ctx.app->setLanguage(QStringLiteral("zh_CN"));
    ctx.app->setElderlyMode(false);
}

} // namespace hcp::kiosk::screentour

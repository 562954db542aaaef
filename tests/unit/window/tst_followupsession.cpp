// SPDX-License-Identifier: Apache-2.0
// The 差评 follow-up's rules with an injected rectification source: a receipt QR enters
// FollowUp, the 追评 is assessNumber 2 / evaluateType 2 and only once, nothing is offered before
// the rectification is done, offline is its own state, and the visit's idle timeout wipes it.
#include "casedirectory.h"
#include "evaluationsession.h"
#include "followupsession.h"
#include "indicatorset.h"
#include "qrpayload.h"
#include "serviceavailability.h"
#include "store.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace hcp::kiosk;
using F = FollowUpSession::State;

class TestFollowUpSession : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    int m_n = 0;

    struct Rig {
        Store store;
        std::unique_ptr<CaseDirectory> directory;
        std::unique_ptr<EvaluationSession> session;
        std::unique_ptr<FollowUpSession> followUp;
        QString status = QStringLiteral("done");
        bool reachable = true;
    };
    std::unique_ptr<Rig> rig()
    {
        auto r = std::make_unique<Rig>();
        r->store.open(m_dir.filePath(QStringLiteral("f%1.sqlite").arg(++m_n)));
        r->directory = std::make_unique<CaseDirectory>(&r->store);
        r->session = std::make_unique<EvaluationSession>(&r->store, r->directory.get());
        r->followUp = std::make_unique<FollowUpSession>(&r->store);
        r->followUp->setIndicatorSet(IndicatorSet::builtin());
        Rig *raw = r.get();
        r->followUp->setFetcher([raw](const QString &projectNo, std::function<void(bool, const QJsonArray &)> done) {
            QJsonArray items;
            if (!raw->status.isEmpty())
                items.append(QJsonObject{{QStringLiteral("projectNo"), projectNo}, {QStringLiteral("serviceNumber"), 1},
                                         {QStringLiteral("assessNumber"), 1}, {QStringLiteral("status"), raw->status},
                                         {QStringLiteral("reply"), QStringLiteral("已整改。")},
                                         {QStringLiteral("replyDept"), QStringLiteral("示例县公安局")},
                                         {QStringLiteral("replyTime"), QStringLiteral("2026-11-29T10:00:00+08:00")}});
            done(raw->reachable, items);
        });
        r->session->setFollowUpEnabled(true);
        connect(r->session.get(), &EvaluationSession::followUpRequested, r->followUp.get(), &FollowUpSession::begin);
        connect(r->session.get(), &EvaluationSession::sessionWiped, r->followUp.get(), &FollowUpSession::reset);
        return r;
    }
    static QByteArray receipt(const QString &projectNo)
    {
        return receiptQrUrl(QStringLiteral("https://hcp.example.gov.cn/f"), QStringLiteral("6f1c2a4e-8c1b-4f7e-9d55-0b7a3d1e2f01"),
                            projectNo, 1).toUtf8();
    }

private Q_SLOTS:
    void receiptQr_done_goodLevelCommitsSecondAssessmentOnce()
    {
        auto r = rig();
        r->session->submitQrPayload(receipt(QStringLiteral("FU0000000001")));
        QCOMPARE(r->session->state(), EvaluationSession::State::FollowUp);
        QCOMPARE(r->followUp->state(), F::Status);
        QVERIFY(r->followUp->canRate());
        QCOMPARE(r->followUp->reply(), QStringLiteral("已整改。"));
        r->followUp->rate(5);
        QCOMPARE(r->followUp->state(), F::Thanks);
        const QList<Evaluation> all = r->store.evaluations();
        QCOMPARE(all.size(), 1);
        QCOMPARE(all.at(0).assessNumber, 2);
        QCOMPARE(all.at(0).evaluateType, 2);
        QCOMPARE(all.at(0).satisfaction, 5);
        r->session->finish();
        QCOMPARE(r->followUp->state(), F::Idle);
        r->session->submitQrPayload(receipt(QStringLiteral("FU0000000001")));
        QCOMPARE(r->followUp->state(), F::AlreadyRated);
        r->followUp->rate(4);
        QCOMPARE(r->store.evaluationCount(), 1);
    }

    void notDoneYet_noRatingOffered()
    {
        auto r = rig();
        r->status = QStringLiteral("in_progress");
        r->session->submitQrPayload(receipt(QStringLiteral("FU0000000002")));
        QCOMPARE(r->followUp->state(), F::Status);
        QVERIFY(!r->followUp->canRate());
        r->followUp->rate(5);
        QCOMPARE(r->store.evaluationCount(), 0);
    }

    void unreachable_offline_noRecord_saysSo()
    {
        auto r = rig();
        r->reachable = false;
        r->session->submitQrPayload(receipt(QStringLiteral("FU0000000003")));
        QCOMPARE(r->followUp->state(), F::Offline);
        QVERIFY(r->followUp->message().contains(QStringLiteral("网络")));
        r->session->finish();
        r->reachable = true;
        r->status.clear();
        r->session->submitQrPayload(receipt(QStringLiteral("FU0000000003")));
        QCOMPARE(r->followUp->state(), F::NoRecord);
    }

    void noSource_notEnrolled_offline()
    {
        auto r = rig();
        r->followUp->setHubClient(nullptr);
        r->session->submitQrPayload(receipt(QStringLiteral("FU0000000004")));
        QCOMPARE(r->followUp->state(), F::Offline);
        QVERIFY(!r->followUp->message().isEmpty());
    }

    void idleTimeout_wipesFollowUp()
    {
        auto r = rig();
        r->session->setIdleTimeoutMs(200);
        r->session->submitQrPayload(receipt(QStringLiteral("FU0000000005")));
        QCOMPARE(r->followUp->state(), F::Status);
        QTRY_COMPARE_WITH_TIMEOUT(r->session->state(), EvaluationSession::State::Start, 3000);
        QCOMPARE(r->followUp->state(), F::Idle);
        QVERIFY(r->followUp->reply().isEmpty());
    }

    void followUpDisabled_receiptLooksUpTheCase()
    {
        auto r = rig();
        r->session->setFollowUpEnabled(false);
        r->session->submitQrPayload(receipt(QStringLiteral("FU0000000006")));
        QVERIFY(r->session->state() != EvaluationSession::State::FollowUp);
        QCOMPARE(r->followUp->state(), F::Idle);
    }

    void diskFull_followUpCommitFails_switchesTheWholeKioskOutOfService()
    {
        auto r = rig();
        ServiceAvailability availability;
        r->session->setAvailability(&availability);
        r->followUp->setAvailability(&availability);
        // A database file capped at its current size stands in for a full disk.
        QSqlQuery pages(r->store.database());
        QVERIFY(pages.exec(QStringLiteral("PRAGMA page_count")) && pages.next());
        QVERIFY(QSqlQuery(r->store.database()).exec(QStringLiteral("PRAGMA max_page_count = %1").arg(pages.value(0).toInt())));
        int committed = 0;
        for (int i = 0; i < 2000 && r->followUp->state() != F::Error; ++i) {
            r->session->finish();
            r->session->submitQrPayload(receipt(QStringLiteral("FUFULL%1").arg(i, 6, 10, QLatin1Char('0'))));
            QCOMPARE(r->followUp->state(), F::Status);
            r->followUp->rate(5);
            if (r->followUp->state() == F::Thanks)
                ++committed;
        }
        QCOMPARE(r->followUp->state(), F::Error);
        QVERIFY(!availability.storageAvailable());
        QVERIFY(!r->session->acceptingSessions());
        r->session->finish();
        QCOMPARE(r->session->state(), EvaluationSession::State::Unavailable); // no new visits
        QCOMPARE(r->store.evaluationCount(), committed);
    }
};

QTEST_GUILESS_MAIN(TestFollowUpSession)
#include "tst_followupsession.moc"

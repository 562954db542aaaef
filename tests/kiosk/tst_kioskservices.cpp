// SPDX-License-Identifier: Apache-2.0
// KioskServices as hcp-kiosk runs it, against the real hcp-hub on loopback: a fresh data
// directory gets its device key outside it and runs stand-alone; once enrolled, a commit is sent
// at once (the sender's own poll is ten minutes here, so only the commit's kick can send it), the
// hub's ack starts the personal-data eraser, and the hub's commands reach their handlers — an
// unhandled one is refused into the audit chain.
#include "auditlog.h"
#include "casecache.h"
#include "evaluationsession.h"
#include "hubclient.h"
#include "hubprocess.h"
#include "kioskservices.h"
#include "outboxsender.h"
#include "padsession.h"
#include "serviceavailability.h"
#include "personaldataeraser.h"
#include "syncagent.h"
#include "syncstatus.h"

#include <QSignalSpy>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

using namespace hcp::kiosk;
using namespace hcp::sync::test;
using S = EvaluationSession::State;

class TstKioskServices : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    HubProcess m_hub;
    QString m_enrolledDir;

    KioskServices::Options standAloneOptions(const QString &name) const
    {
        KioskServices::Options o;
        o.dataDir = m_dir.filePath(name);
        o.tpmTcti = QStringLiteral("none");
        return o;
    }
    KioskServices::Options enrolledOptions() const
    {
        KioskServices::Options o;
        o.dataDir = m_enrolledDir;
        o.tpmTcti = QStringLiteral("none");
        o.senderIdlePollMs = 10 * 60 * 1000;
        return o;
    }

    static Case rateableCase(const QString &projectNo)
    {
        Case c;
        c.projectNo = projectNo;
        c.taskCode = QStringLiteral("T-001");
        c.taskName = QStringLiteral("社会保障卡申领");
        c.deptName = QStringLiteral("人力资源和社会保障局");
        c.windowNo = QStringLiteral("A03");
        c.staffName = QStringLiteral("马丽");
        c.staffNo = QStringLiteral("RS0312");
        c.resultDate = QDateTime::currentDateTime().addSecs(-600);
        c.userName = QStringLiteral("王建国");
        return c;
    }

    static QList<QJsonObject> auditRecords(KioskServices &s, const QString &action)
    {
        QList<QJsonObject> found;
        for (const QJsonValue &v : s.audit()->records())
            if (v.toObject().value(QLatin1String("action")).toString() == action)
                found.append(v.toObject());
        return found;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY2(m_hub.start(m_dir.filePath(QStringLiteral("hub.sqlite"))), qPrintable(m_hub.output()));
        m_enrolledDir = m_dir.filePath(QStringLiteral("enrolled"));
        KioskServices s(enrolledOptions());
        QString error;
        QVERIFY2(s.init(&error), qPrintable(error));
        QVERIFY2(s.enroll(m_hub.url(), QLatin1String(kEnrollToken), &error), qPrintable(error));
        QVERIFY(s.credentials().isValid());
        QCOMPARE(s.credentials().deviceKeyFingerprint, s.identity()->fingerprint());
        const QFileDevice::Permissions others = QFileDevice::ReadGroup | QFileDevice::WriteGroup | QFileDevice::ExeGroup
            | QFileDevice::ReadOther | QFileDevice::WriteOther | QFileDevice::ExeOther;
        QCOMPARE(QFile::permissions(s.credentialsPath()) & others, QFileDevice::Permissions()); // 0600
    }

    void freshDataDir_init_keyOutsideTheDataDir_standAloneWithoutSync()
    {
        const KioskServices::Options o = standAloneOptions(QStringLiteral("standalone"));
        KioskServices s(o);
        QString error;
        QVERIFY2(s.init(&error), qPrintable(error));
        QCOMPARE(s.deviceKeyPath(), o.dataDir + QStringLiteral("-identity/device-key.pem"));
        QVERIFY(QFile::exists(s.deviceKeyPath()));
        QVERIFY(s.identity() && s.ledger() && s.audit());
        QVERIFY(s.session() && s.pad() && s.followUp() && s.directory());
        QVERIFY(!s.syncStatus()->syncEnabled());
        QVERIFY2(s.startSync(&error), qPrintable(error));
        QVERIFY(!s.hub() && !s.sender() && !s.agent() && !s.eraser()); // nothing leaves the kiosk
        QCOMPARE(s.tpmStatus(), QStringLiteral("none: disabled (--tpm none)"));
    }

    static void rateCase(EvaluationSession *session, const QString &projectNo)
    {
        session->finish();
        session->beginTypedLookup();
        session->submitTypedLookup(projectNo, QStringLiteral("王建国"));
        QCOMPARE(session->state(), S::Rate);
        session->rate(5);
        for (int i = 0; i < 5 && session->state() != S::Confirm; ++i)
            session->next();
        QCOMPARE(session->state(), S::Confirm);
        session->submit();
        QCOMPARE(session->state(), S::Thanks);
    }

    void diskFullInThePad_switchesTheTerminalOutOfService()
    {
        const KioskServices::Options o = standAloneOptions(QStringLiteral("padfull"));
        KioskServices s(o);
        QString error;
        QVERIFY2(s.init(&error), qPrintable(error));
        QCOMPARE(s.session()->availability(), s.availability());
        s.pad()->setEnabled(true);
        // A database file capped at its current size stands in for a full disk.
        QSqlQuery pages(s.store().database());
        QVERIFY(pages.exec(QStringLiteral("PRAGMA page_count")) && pages.next());
        QVERIFY(QSqlQuery(s.store().database()).exec(QStringLiteral("PRAGMA max_page_count = %1").arg(pages.value(0).toInt())));
        for (int i = 0; i < 2000 && s.pad()->state() != PadSession::State::Error; ++i) {
            hcp::sync::RateNowEvent e;
            e.projectNo = QStringLiteral("PADFULL%1").arg(i, 5, 10, QLatin1Char('0'));
            e.serviceNumber = 1;
            e.staffNo = QStringLiteral("S0012");
            e.staffName = QStringLiteral("王芳");
            e.windowNo = QStringLiteral("A03");
            s.pad()->rateNow(e);
            s.pad()->rate(5);
        }
        QCOMPARE(s.pad()->state(), PadSession::State::Error);
        QVERIFY(!s.session()->acceptingSessions()); // the heartbeat's diskLow
        QCOMPARE(s.session()->state(), S::Unavailable);
    }

    void enrolled_commitKicksTheSender_hubAckStartsTheEraser()
    {
        KioskServices s(enrolledOptions());
        QString error;
        QVERIFY2(s.init(&error), qPrintable(error));
        QVERIFY(s.syncStatus()->syncEnabled());
        QVERIFY2(s.startSync(&error), qPrintable(error));
        QVERIFY(s.sender() && s.eraser() && s.agent());
        QVERIFY(s.store().upsertCases({rateableCase(QStringLiteral("SERVICES01")), rateableCase(QStringLiteral("SERVICES02"))}));
        // The sender's first look at the outbox (at start) and the first heartbeat are over
        // before the citizen rates: from here only a kick sends.
        QSignalSpy beats(s.agent(), &hcp::sync::SyncAgent::heartbeatDone);
        QTRY_VERIFY_WITH_TIMEOUT(!beats.isEmpty(), 10000);
        QSignalSpy erased(s.eraser(), &PersonalDataEraser::erased);
        QSignalSpy acked(s.sender(), &hcp::sync::OutboxSender::batchAcked);
        // Two visits, each waiting for the erase of the one before: the eraser's own pass at
        // start is long over for the second, so only its ack can erase it.
        for (const QString &projectNo : {QStringLiteral("SERVICES01"), QStringLiteral("SERVICES02")}) {
            acked.clear();
            erased.clear();
            rateCase(s.session(), projectNo);
            QTRY_VERIFY_WITH_TIMEOUT(!acked.isEmpty(), 15000);
            QTRY_VERIFY_WITH_TIMEOUT(!erased.isEmpty(), 10000);
            QCOMPARE(erased.last().at(0).toLongLong(), 1);
        }
        QCOMPARE(hubEvaluations(m_hub.url()).size(), 2);
        QSqlQuery q(s.store().database());
        QVERIFY(q.exec(QStringLiteral("SELECT COUNT(*) FROM evaluation WHERE personal_erased_at IS NULL")) && q.next());
        QCOMPARE(q.value(0).toInt(), 0);
    }

    void hubCommands_reachTheirHandlers_unhandledOnesAreRefusedIntoTheAudit()
    {
        KioskServices s(enrolledOptions());
        QList<int> restarts;
        s.setRestartHandler([&restarts](int delayMs) { restarts.append(delayMs); });
        QString error;
        QVERIFY2(s.init(&error), qPrintable(error));
        QVERIFY2(s.startSync(&error), qPrintable(error));
        QSignalSpy feeds(s.feedCache(), &hcp::sync::CaseCache::feedPulled);
        QTRY_COMPARE_WITH_TIMEOUT(feeds.size(), 1, 10000); // the pull at start

        const QString commands = QStringLiteral("/v1/admin/devices/%1/commands").arg(s.credentials().deviceId);
        for (const char *type : {"resync", "test_print", "update", "restart"})
            QCOMPARE(adminSend(m_hub.url(), "POST", commands,
                               QJsonObject{{QStringLiteral("type"), QLatin1String(type)},
                                           {QStringLiteral("args"), QJsonObject{{QStringLiteral("version"), QStringLiteral("9.9.9")}}}}),
                     201);
        // heartbeatNow() does nothing while the start's heartbeat is still in flight.
        QTRY_VERIFY_WITH_TIMEOUT((s.agent()->heartbeatNow(), !restarts.isEmpty()), 10000);
        QCOMPARE(restarts, QList<int>{2000});
        QTRY_COMPARE_WITH_TIMEOUT(feeds.size(), 2, 10000); // resync pulled the feed again

        const QList<QJsonObject> refused = auditRecords(s, QStringLiteral("command_refused"));
        QCOMPARE(refused.size(), 2);
        QStringList types;
        for (const QJsonObject &r : refused)
            types << r.value(QLatin1String("detail")).toObject().value(QLatin1String("type")).toString();
        types.sort();
        QCOMPARE(types, (QStringList{QStringLiteral("test_print"), QStringLiteral("update")}));
        const QList<QJsonObject> update = auditRecords(s, QStringLiteral("update_command"));
        QCOMPARE(update.size(), 1);
        QCOMPARE(update.at(0).value(QLatin1String("detail")).toObject().value(QLatin1String("started")).toBool(true), false);
    }
};

QTEST_MAIN(TstKioskServices)
#include "tst_kioskservices.moc"

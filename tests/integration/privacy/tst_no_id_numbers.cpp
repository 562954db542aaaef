// SPDX-License-Identifier: Apache-2.0
// After demo traffic — ID cards read over the SAM protocol, lookups, ratings, receipts — no ID
// number that was used appears anywhere in the kiosk's database file, its WAL, or the log output
// (searched as raw bytes, in UTF-8 and UTF-16).
#include "devices.h"

#include <appcontroller.h>
#include <casedirectory.h>
#include <demodata.h>
#include <evaluationsession.h>
#include <store.h>

#include <hardware/idcard/idcardsimulator.h>

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QLoggingCategory>
#include <QMutex>
#include <QTemporaryDir>
#include <QTest>

using namespace hcp::kiosk;
using S = EvaluationSession::State;

namespace {
QMutex s_logMutex;
QByteArray s_log;
QtMessageHandler s_previous = nullptr;
void captureLog(QtMsgType type, const QMessageLogContext &ctx, const QString &msg)
{
    {
        QMutexLocker lock(&s_logMutex);
        s_log += qFormatLogMessage(type, ctx, msg).toUtf8() + '\n';
    }
    if (s_previous)
        s_previous(type, ctx, msg);
}
} // namespace

class TestNoIdNumbers : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void demoTraffic_leavesNoIdNumberInDatabaseWalOrLogs()
    {
        QLoggingCategory::setFilterRules(QStringLiteral("hcp.*.debug=true"));
        s_previous = qInstallMessageHandler(captureLog);
        QTemporaryDir dir;
        const QStringList people{QStringLiteral("李华"), QStringLiteral("王建国"), QStringLiteral("张秀英"), QStringLiteral("吴敏")};
        const QStringList ids{QStringLiteral("11010519491231002X"), QStringLiteral("440524188001010014"),
                              QStringLiteral("330102195803120047"), QStringLiteral("450103199211110074")};
        {
            Store store;
            QVERIFY(store.open(dir.filePath(QStringLiteral("kiosk.sqlite"))));
            WorkCalendar cal;
            cal.loadDirectory(QStringLiteral(":/hcp/holidays"));
            KioskConfig config;
            const DemoData demo = builtinDemoData(cal, QDateTime::currentDateTime(), config.idHashKey);
            QVERIFY(installDemoData(store, demo));
            CaseDirectory directory(&store);
            EvaluationSession session(&store, &directory);
            session.setCalendar(cal);
            session.setIndicatorSet(IndicatorSet::builtin());
            session.setQuestionnaires(QuestionnaireCatalog::builtin());
            AppController app(&session);
            app.setDemoMode(true);
            Devices::Options o;
            o.simulate = true;
            Devices devices(o, &session, &app, config);

            int rated = 0;
            for (int i = 0; i < people.size(); ++i) {
                hcp::hardware::IdCardData card = hcp::hardware::IdCardSimulator::sampleResident();
                card.name = people.at(i);
                card.idNumber = ids.at(i);
                devices.idCardSimulator()->insertCard(card);
                QTRY_VERIFY_WITH_TIMEOUT(session.state() == S::ChooseCase || session.state() == S::Rate
                                             || session.state() == S::NothingToRate, 5000);
                if (session.state() == S::ChooseCase) {
                    for (int row = 0; row < session.cases()->rowCount(); ++row)
                        if (session.cases()->row(row)->rateable) {
                            session.chooseCase(row);
                            break;
                        }
                }
                if (session.state() == S::Rate) {
                    session.rate(i % 2 ? 5 : 2);
                    if (session.badRating()) {
                        session.toggleReason(QStringLiteral("501"));
                        session.next();
                        session.next();
                        session.next();
                    }
                    session.submit();
                    QCOMPARE(session.state(), S::Thanks);
                    session.requestReceipt();
                    QTRY_VERIFY(session.receiptState() != EvaluationSession::ReceiptState::Printing);
                    ++rated;
                }
                session.finish();
                devices.idCardSimulator()->removeCard();
                QTest::qWait(700); // the reader notices the card has gone
            }
            QVERIFY(rated >= 3);
            QVERIFY(QFile::exists(dir.filePath(QStringLiteral("kiosk.sqlite-wal"))));
            // Searched while the WAL is still there (open connection), and again after close.
            QByteArray bytes = s_log;
            for (const QString &f : QDir(dir.path()).entryList(QDir::Files)) {
                QFile file(dir.filePath(f));
                QVERIFY(file.open(QIODevice::ReadOnly));
                bytes += file.readAll();
            }
            for (const QString &id : ids) {
                QVERIFY2(!bytes.contains(id.toUtf8()), qPrintable(QStringLiteral("plain ID number found: ") + id));
                QVERIFY2(!bytes.contains(QByteArray(reinterpret_cast<const char *>(id.utf16()), id.size() * 2)),
                         qPrintable(QStringLiteral("UTF-16 ID number found: ") + id));
            }
            qInfo("searched %lld bytes of database, WAL and log for %lld ID numbers: none found",
                  qint64(bytes.size()), qint64(ids.size()));
        }
        qInstallMessageHandler(s_previous);
        // The same search must be able to fail: the names do appear (masked on screen, full in the
        // case cache), which proves the search reads the real bytes.
        QFile db(dir.filePath(QStringLiteral("kiosk.sqlite")));
        QVERIFY(db.open(QIODevice::ReadOnly));
        QVERIFY(db.readAll().contains(QStringLiteral("人力资源和社会保障局").toUtf8()));
    }
};

QTEST_MAIN(TestNoIdNumbers)
#include "tst_no_id_numbers.moc"

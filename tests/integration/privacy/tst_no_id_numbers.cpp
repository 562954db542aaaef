// SPDX-License-Identifier: Apache-2.0
// After demo traffic — ID cards read over the SAM protocol, lookups, ratings, receipts — no ID
// number that was used appears anywhere in the kiosk's database file, its WAL, or the log output
// (searched as raw bytes, in UTF-8 and UTF-16). With a real hub: card identifications travel only
// as certKeyEnc (readable by the hub's key), and once the hub has acknowledged them the kiosk's
// database, WAL, credentials directory and logs hold neither the numbers nor the ciphertexts nor
// the comments. The idle wipe overwrites the session's buffers in memory.
#include "devices.h"

#include "appcontroller.h"
#include "casedirectory.h"
#include "demodata.h"
#include "evaluationsession.h"
#include "ledger.h"
#include "personaldataeraser.h"
#include "store.h"

#include "devicecredentials.h"
#include "deviceidentity.h"
#include "hubclient.h"
#include "hubserver.h"
#include "hubstore.h"
#include "outbox.h"
#include "outboxsender.h"
#include "personaldata.h"

#include "hardware/idcard/idcardservice.h"
#include "hardware/idcard/idcardsimulator.h"

#include <QJsonDocument>
#include <QSignalSpy>
#include <QSqlQuery>

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
const QStringList kPeople{QStringLiteral("李华"), QStringLiteral("王建国"), QStringLiteral("张秀英"), QStringLiteral("吴敏")};
const QStringList kIds{QStringLiteral("11010519491231002X"), QStringLiteral("440524188001010014"),
                       QStringLiteral("330102195803120047"), QStringLiteral("450103199211110074")};

// Every file under dir (recursively), concatenated.
QByteArray allBytes(const QString &dir)
{
    QByteArray out;
    QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile f(it.next());
        if (f.open(QIODevice::ReadOnly))
            out += f.readAll();
    }
    return out;
}

QByteArray utf16(const QString &s)
{
    return QByteArray(reinterpret_cast<const char *>(s.utf16()), s.size() * 2);
}

bool allZero(const QString &s)
{
    for (QChar c : s)
        if (c.unicode() != 0)
            return false;
    return true;
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
                QSignalSpy removed(devices.idCard(), &hcp::hardware::IdCardService::cardRemoved);
                devices.idCardSimulator()->removeCard();
                QTRY_VERIFY_WITH_TIMEOUT(!removed.isEmpty(), 5000); // the reader notices the card has gone
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

    void cardTrafficSyncedToHub_carriesOnlyCiphertext_andIsErasedAfterAck()
    {
        QLoggingCategory::setFilterRules(QStringLiteral("hcp.*.debug=true"));
        {
            QMutexLocker lock(&s_logMutex);
            s_log.clear();
        }
        s_previous = qInstallMessageHandler(captureLog);
        QTemporaryDir root;
        const QString kioskDir = root.filePath(QStringLiteral("kiosk"));
        const QString hubDir = root.filePath(QStringLiteral("hub"));
        QVERIFY(QDir().mkpath(kioskDir) && QDir().mkpath(hubDir));

        // The hub, in process on loopback, with its own SM2 identity (made here: the hub key of
        // the shared enrollment contract).
        hcp::sync::hub::HubStore hubStore;
        QString err;
        QVERIFY2(hubStore.open(QDir(hubDir).filePath(QStringLiteral("hub.sqlite")), &err), qPrintable(err));
        auto hubIdentity = hcp::trust::DeviceIdentity::create(QDir(hubDir).filePath(QStringLiteral("hub-identity.pem")),
                                                              hcp::trust::KeyType::Sm2, {}, &err);
        QVERIFY2(hubIdentity, qPrintable(err));
        hcp::sync::hub::HubServer server(&hubStore, *hubIdentity);
        const quint16 port = server.listen(QHostAddress::LocalHost, 0);
        QVERIFY(port != 0);
        QByteArray secret;
        QCOMPARE(hubStore.enroll(QStringLiteral("KIOSK-PRIV-0001"), QStringLiteral("110105000000"),
                                 QStringLiteral("terminal"), QStringLiteral("test"), &secret),
                 hcp::sync::hub::HubStore::EnrollResult::Enrolled);
        hcp::sync::DeviceCredentials creds;
        creds.hubUrl = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port));
        creds.deviceId = QStringLiteral("KIOSK-PRIV-0001");
        creds.secret = secret;
        creds.hallCode = QStringLiteral("110105000000");
        creds.hubPublicKey = server.hubIdentity().publicKeyPem();
        QVERIFY2(creds.save(QDir(kioskDir).filePath(QStringLiteral("credentials.json")), &err), qPrintable(err));

        QStringList ciphertexts;
        QStringList comments;
        {
            Store store;
            const QString dbPath = QDir(kioskDir).filePath(QStringLiteral("kiosk.sqlite"));
            QVERIFY(store.open(dbPath));
            // The device key and ledger as an enrolled kiosk has them (erasure waits for the entry).
            auto deviceKey = hcp::trust::DeviceIdentity::create(root.filePath(QStringLiteral("device-key.pem")),
                                                                hcp::trust::KeyType::Sm2, {}, &err);
            QVERIFY2(deviceKey, qPrintable(err));
            Ledger ledger(deviceKey->key());
            ledger.attach(store);
            WorkCalendar cal;
            cal.loadDirectory(QStringLiteral(":/hcp/holidays"));
            KioskConfig config;
            // The demo cases hashed as the hub hashes (the kiosk itself holds no key, §5a).
            config.idHashKey = hubStore.certKey();
            const DemoData demo = builtinDemoData(cal, QDateTime::currentDateTime(), config.idHashKey);
            QVERIFY(installDemoData(store, demo));
            CaseDirectory directory(&store);
            EvaluationSession session(&store, &directory);
            session.setConfig(config);
            session.setCalendar(cal);
            session.setIndicatorSet(IndicatorSet::builtin());
            session.setQuestionnaires(QuestionnaireCatalog::builtin());
            session.setHubPublicKey(creds.hubPublicKey);
            AppController app(&session);
            app.setDemoMode(true);
            Devices::Options o;
            o.simulate = true;
            Devices devices(o, &session, &app, config);

            int rated = 0;
            for (int i = 0; i < kPeople.size(); ++i) {
                hcp::hardware::IdCardData card = hcp::hardware::IdCardSimulator::sampleResident();
                card.name = kPeople.at(i);
                card.idNumber = kIds.at(i);
                devices.idCardSimulator()->insertCard(card);
                QTRY_VERIFY_WITH_TIMEOUT(session.state() == S::ChooseCase || session.state() == S::Rate
                                             || session.state() == S::NothingToRate, 5000);
                // Screens get masked values only.
                QVERIFY(!session.citizenIdMasked().contains(kIds.at(i).mid(6, 8)));
                QVERIFY(session.citizenIdMasked().startsWith(kIds.at(i).left(4)));
                if (session.state() == S::ChooseCase) {
                    for (int row = 0; row < session.cases()->rowCount(); ++row)
                        if (session.cases()->row(row)->rateable) {
                            session.chooseCase(row);
                            break;
                        }
                }
                if (session.state() == S::Rate) {
                    session.rate(2);
                    session.toggleReason(QStringLiteral("501"));
                    session.next();
                    if (session.state() == S::Questions)
                        session.next();
                    const QString comment = QStringLiteral("留言标记%1号窗口等待太久").arg(7100 + i);
                    session.setComment(comment);
                    session.next();
                    session.submit();
                    QCOMPARE(session.state(), S::Thanks);
                    comments.append(comment);
                    ++rated;
                }
                session.finish();
                QSignalSpy removed(devices.idCard(), &hcp::hardware::IdCardService::cardRemoved);
                devices.idCardSimulator()->removeCard();
                QTRY_VERIFY_WITH_TIMEOUT(!removed.isEmpty(), 5000); // the reader notices the card has gone
            }
            QVERIFY(rated >= 3);

            // Committed records carry the ciphertext, never the number.
            for (const Evaluation &e : store.evaluations()) {
                if (e.writingEvaluation.startsWith(QStringLiteral("留言标记"))) {
                    QVERIFY(!e.certKeyEnc.isEmpty());
                    ciphertexts.append(e.certKeyEnc);
                }
            }
            QCOMPARE(ciphertexts.size(), rated);

            // Sync to the hub; erase after the acks.
            hcp::sync::HubClient client;
            client.setCredentials(creds);
            hcp::sync::OutboxSender sender(&client);
            QVERIFY2(sender.open(dbPath, &err), qPrintable(err));
            hcp::sync::OutboxSender::Options so;
            so.backoffBaseMs = 100;
            so.backoffCapMs = 500;
            so.idlePollMs = 200;
            sender.setOptions(so);
            PersonalDataEraser eraser(&store);
            eraser.setDelayMs(0);
            QSignalSpy erased(&eraser, &PersonalDataEraser::erased);
            connect(&sender, &hcp::sync::OutboxSender::batchAcked, &eraser, [&eraser] { eraser.scheduleErase(); });
            sender.start();
            const qint64 total = store.evaluationCount();
            QTRY_COMPARE_WITH_TIMEOUT(hubStore.stats().value(QLatin1String("evaluations")).toInteger(), total, 20000);
            QTRY_VERIFY_WITH_TIMEOUT(!erased.isEmpty(), 10000);
            sender.stop();
            QSqlQuery q(store.database());
            QVERIFY(q.exec(QStringLiteral("SELECT COUNT(*) FROM evaluation WHERE personal_erased_at IS NULL")) && q.next());
            QCOMPARE(q.value(0).toInt(), 0);
            q.finish();

            // The hub holds the ciphertext as sent and can read it; the kiosk's copy lost it.
            qint64 next = 0;
            QSet<QString> decrypted;
            for (const QJsonValue &v : hubStore.evaluations(creds.deviceId, 0, 1000, &next)) {
                const QString enc = v.toObject().value(QLatin1String("payload")).toObject().value(QLatin1String("certKeyEnc")).toString();
                if (!enc.isEmpty())
                    decrypted.insert(hcp::sync::hub::decryptCertKey(*hubIdentity, enc).value_or(QString()));
            }
            QCOMPARE(decrypted.size(), rated);
            for (const QString &id : std::as_const(decrypted))
                QVERIFY(kIds.contains(id));
            for (const Evaluation &e : store.evaluations()) {
                QVERIFY(e.certKeyEnc.isEmpty());
                QVERIFY(e.userNameMasked.isEmpty());
                QVERIFY(e.writingEvaluation.isEmpty());
                QVERIFY(e.satisfaction >= 1); // the non-personal fields stay
                QVERIFY(!e.projectNo.isEmpty());
            }
            // Still "one rating per case" after erasure.
            QVERIFY(store.ratedAt(store.evaluations().constLast().projectNo, store.evaluations().constLast().serviceNumber));

            // Raw bytes of the kiosk directory (database, WAL, shm, credentials) while the
            // connections are still open, plus the log.
            QByteArray bytes = allBytes(kioskDir);
            {
                QMutexLocker lock(&s_logMutex);
                bytes += s_log;
            }
            for (const QString &id : kIds) {
                QVERIFY2(!bytes.contains(id.toUtf8()), qPrintable(QStringLiteral("plain ID number found: ") + id));
                QVERIFY2(!bytes.contains(utf16(id)), qPrintable(QStringLiteral("UTF-16 ID number found: ") + id));
            }
            for (const QString &enc : std::as_const(ciphertexts))
                QVERIFY2(!bytes.contains(enc.toLatin1()), "certKeyEnc still in the kiosk's files after the ack");
            for (const QString &c : std::as_const(comments))
                QVERIFY2(!bytes.contains(c.toUtf8()), qPrintable(QStringLiteral("comment still on the kiosk: ") + c));
            qInfo("searched %lld bytes of kiosk files and log: no ID number, certKeyEnc or comment after the ack",
                  qint64(bytes.size()));
        }
        qInstallMessageHandler(s_previous);
        // The search can fail: the case cache (not personal-erased) still holds the demo's
        // department names, so the bytes searched are the real ones.
        QVERIFY(allBytes(kioskDir).contains(QStringLiteral("人力资源和社会保障局").toUtf8()));
    }

    void idleWipe_overwritesTheSessionsBuffersInMemory()
    {
        QTemporaryDir dir;
        Store store;
        QVERIFY(store.open(dir.filePath(QStringLiteral("kiosk.sqlite"))));
        WorkCalendar cal;
        cal.loadDirectory(QStringLiteral(":/hcp/holidays"));
        KioskConfig config;
        QVERIFY(installDemoData(store, builtinDemoData(cal, QDateTime::currentDateTime(), config.idHashKey)));
        CaseDirectory directory(&store);
        EvaluationSession session(&store, &directory);
        session.setConfig(config);
        session.setCalendar(cal);
        session.setIndicatorSet(IndicatorSet::builtin());
        session.setQuestionnaires(QuestionnaireCatalog::builtin());
        session.setIdleTimeoutMs(1500);
        session.identifyByCard(kPeople.at(0), kIds.at(0), QStringLiteral("resident"));
        QTRY_VERIFY_WITH_TIMEOUT(session.state() == S::ChooseCase || session.state() == S::Rate, 5000);
        if (session.state() == S::ChooseCase)
            session.chooseCase(0);
        QCOMPARE(session.state(), S::Rate);
        session.rate(2);
        session.next();
        if (session.state() == S::Questions)
            session.next();
        session.setComment(QStringLiteral("请回电话13800000000"));
        // What QML holds: copies of the property values (they share the session's buffers).
        const QString name = session.citizenName();
        const QString idMasked = session.citizenIdMasked();
        const QString comment = session.comment();
        const QString fullName = session.cases()->row(0)->c.userName;
        QVERIFY(!name.isEmpty() && !idMasked.isEmpty() && !comment.isEmpty());
        QCOMPARE(fullName, kPeople.at(0));
        QSignalSpy wiped(&session, &EvaluationSession::sessionWiped);
        QTRY_COMPARE_WITH_TIMEOUT(session.state(), S::Start, 10000);
        QVERIFY(!wiped.isEmpty());
        QVERIFY(session.citizenName().isEmpty() && session.comment().isEmpty());
        // The bytes themselves were overwritten, not just released.
        QVERIFY2(allZero(name), qPrintable(name));
        QVERIFY2(allZero(idMasked), qPrintable(idMasked));
        QVERIFY2(allZero(comment), qPrintable(comment));
        QVERIFY2(allZero(fullName), qPrintable(fullName));
        QCOMPARE(fullName.size(), kPeople.at(0).size());
    }
};

QTEST_MAIN(TestNoIdNumbers)
#include "tst_no_id_numbers.moc"

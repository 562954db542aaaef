// SPDX-License-Identifier: Apache-2.0
// The kiosk core against the real hcp-hub on loopback: cases looked up through the hub, the
// evaluation delivered by the outbox sender, and the kiosk working on while the hub is down.
#include "casedirectory.h"
#include "evaluationsession.h"
#include "hubcasesource.h"
#include "hubclient.h"
#include "outboxsender.h"
#include "store.h"

#include <QFileInfo>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace hcp::kiosk;
using S = EvaluationSession::State;

class TestKioskHub : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QProcess m_hub;
    quint16 m_port = 0;
    QNetworkAccessManager m_nam;

    // The kiosk's evaluations at the hub (the hub adds its own default ratings of the demo cases
    // whose window has closed, PROTOCOL §18.6).
    int kioskEvaluations()
    {
        return int(admin(QStringLiteral("/v1/admin/evaluations?deviceId=KIOSK-TEST-1")).value(QLatin1String("evaluations")).toArray().size());
    }

    bool startHub(quint16 port)
    {
        QStringList args{QStringLiteral("--db"), m_dir.filePath(QStringLiteral("hub.sqlite")),
                         QStringLiteral("--listen"), QStringLiteral("127.0.0.1:%1").arg(port),
                         QStringLiteral("--enroll-token"), QStringLiteral("t0ken"),
                         QStringLiteral("--admin-token"), QStringLiteral("adm1n")};
        if (port == 0)
            args << QStringLiteral("--import-cases") << m_dir.filePath(QStringLiteral("cases.json"));
        m_hub.setProcessChannelMode(QProcess::MergedChannels);
        m_hub.start(QStringLiteral(HCP_HUB_BIN), args);
        if (!m_hub.waitForStarted())
            return false;
        static const QRegularExpression re(QStringLiteral("listening on [0-9.]+:(\\d+)"));
        QByteArray out;
        for (int i = 0; i < 100; ++i) {
            m_hub.waitForReadyRead(100);
            out += m_hub.readAll();
            const auto m = re.match(QString::fromUtf8(out));
            if (m.hasMatch()) {
                m_port = quint16(m.captured(1).toUInt());
                return true;
            }
        }
        qWarning() << out;
        return false;
    }
    void stopHub()
    {
        m_hub.kill();
        m_hub.waitForFinished();
    }
    QJsonObject admin(const QString &path)
    {
        // The admin API trusts no address, loopback included: the token.
        QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_port).arg(path)));
        request.setRawHeader("Authorization", "Bearer adm1n");
        QNetworkReply *r = m_nam.get(request);
        QSignalSpy done(r, &QNetworkReply::finished);
        done.wait(5000);
        const QJsonObject o = QJsonDocument::fromJson(r->readAll()).object();
        r->deleteLater();
        return o;
    }

private Q_SLOTS:
    void headlessModes_withoutAnyDisplay_helpVersionAndDemoCasesExitZero()
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const char *v : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"})
            env.remove(QLatin1String(v));
        auto run = [&](const QStringList &args, QByteArray *out) {
            QProcess p;
            p.setProcessEnvironment(env);
            p.start(QStringLiteral(HCP_KIOSK_BIN), args);
            const bool ok = p.waitForFinished(30000) && p.exitStatus() == QProcess::NormalExit;
            *out = p.readAllStandardOutput() + p.readAllStandardError();
            return ok ? p.exitCode() : -1;
        };
        QByteArray out;
        QCOMPARE(run({QStringLiteral("--help")}, &out), 0);
        QVERIFY2(out.contains("--enroll-token") && out.contains("--data-dir"), out.constData());
        QCOMPARE(run({QStringLiteral("--version")}, &out), 0);
        QVERIFY2(out.contains("hcp-kiosk"), out.constData());
        QCOMPARE(run({QStringLiteral("--data-dir"), m_dir.filePath(QStringLiteral("nodisplay")), QStringLiteral("--write-demo-cases"),
                      m_dir.filePath(QStringLiteral("nodisplay-cases.json"))},
                     &out),
                 0);
        QVERIFY(QFileInfo(m_dir.filePath(QStringLiteral("nodisplay-cases.json"))).size() > 0);
    }

    void cardLookupThroughHubHash_deliveredOnce_offlineCardRefusedTypedWorks_queuedUntilHubReturns()
    {
        // The demo cases as a county business system would feed them.
        QProcess writer;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        writer.setProcessEnvironment(env);
        writer.start(QStringLiteral(HCP_KIOSK_BIN), {QStringLiteral("--data-dir"), m_dir.filePath(QStringLiteral("w")),
                                                     QStringLiteral("--write-demo-cases"), m_dir.filePath(QStringLiteral("cases.json"))});
        QVERIFY(writer.waitForFinished(30000));
        QCOMPARE(writer.exitCode(), 0);
        QVERIFY(startHub(0));

        hcp::sync::HubClient client;
        client.setHubUrl(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_port)));
        hcp::sync::DeviceCredentials creds;
        bool enrolled = false;
        client.enroll(QStringLiteral("t0ken"), QStringLiteral("KIOSK-TEST-1"), QStringLiteral("HALL-001"),
                      QStringLiteral("terminal"), QStringLiteral("0.1.0"),
                      [&](bool ok, const hcp::sync::DeviceCredentials &c, const QString &) { enrolled = ok; creds = c; });
        QTRY_VERIFY(enrolled);
        client.setCredentials(creds);

        Store store;
        QVERIFY(store.open(m_dir.filePath(QStringLiteral("kiosk.sqlite"))));
        CaseDirectory directory(&store);
        HubCaseSource hubSource(&client);
        directory.setOnlineSource(&hubSource);
        EvaluationSession session(&store, &directory);
        WorkCalendar cal;
        cal.loadDirectory(QStringLiteral(":/hcp/holidays"));
        session.setCalendar(cal);
        session.setIndicatorSet(IndicatorSet::builtin());
        session.setQuestionnaires(QuestionnaireCatalog::builtin());
        KioskConfig config;
        session.setConfig(config);
        // The kiosk holds no ID-hash key: the hub hashes the card's number (PROTOCOL §5a).
        QVERIFY(!creds.toJson().contains(QLatin1String("certKey")));
        session.setIdHasher([&client](const QString &id, std::function<void(const QString &)> done) {
            client.hashIdNumber(id, [done = std::move(done)](const QString &hash, int) { done(hash); });
        });
        hcp::sync::OutboxSender sender(&client);
        QString err;
        QVERIFY2(sender.open(store.path(), &err), qPrintable(err));
        hcp::sync::OutboxSender::Options opt;
        opt.backoffBaseMs = 100;
        opt.backoffCapMs = 500;
        opt.idlePollMs = 200;
        sender.setOptions(opt);
        sender.start();

        // Nothing cached: the card lookup goes to the hub and comes back with 李华's five cases.
        QCOMPARE(store.caseCount(), 0);
        session.identifyByCard(QStringLiteral("李华"), QStringLiteral("11010519491231002X"), QStringLiteral("resident"));
        QTRY_COMPARE(session.state(), S::ChooseCase);
        QCOMPARE(session.cases()->rowCount(), 5);
        QCOMPARE(store.caseCount(), 5); // and now they are cached
        int row = 0;
        while (!session.cases()->row(row)->rateable)
            ++row;
        QString laterCase; // another rateable case, for the offline visit below
        for (int i = row + 1; i < session.cases()->rowCount() && laterCase.isEmpty(); ++i)
            if (session.cases()->row(i)->rateable)
                laterCase = session.cases()->row(i)->c.projectNo;
        QVERIFY(!laterCase.isEmpty());
        session.chooseCase(row);
        session.rate(5);
        session.submit();
        QCOMPARE(session.state(), S::Thanks);
        sender.kick();
        QTRY_COMPARE_WITH_TIMEOUT(kioskEvaluations(), 1, 10000);
        session.finish();

        // Hub down: the village link drops. Without the hub no ID number can be hashed, so the
        // card finds nothing (not even the cached cases) and says to type the 办件编号 instead;
        // typed, the cached case still works and the evaluation waits.
        stopHub();
        session.identifyByCard(QStringLiteral("李华"), QStringLiteral("11010519491231002X"), QString());
        QTRY_COMPARE_WITH_TIMEOUT(session.state(), S::Error, 5000);
        QVERIFY2(session.message().contains(QStringLiteral("办件编号")), qPrintable(session.message()));
        session.finish();
        session.beginTypedLookup();
        session.submitTypedLookup(laterCase, QStringLiteral("李华"));
        QTRY_COMPARE(session.state(), S::Rate); // the one typed case, from the cache, straight to rating
        session.rate(2);
        session.toggleReason(QStringLiteral("502"));
        session.next();
        session.next();
        session.next();
        session.submit();
        QCOMPARE(session.state(), S::Thanks);
        session.finish();
        // Someone whose cases were never cached, typed: a clear "network" message, no hang.
        session.beginTypedLookup();
        session.submitTypedLookup(QStringLiteral("110105209999999999"), QStringLiteral("王建国"));
        QTRY_COMPARE_WITH_TIMEOUT(session.state(), S::NothingToRate, 5000);
        QVERIFY(session.message().contains(QStringLiteral("网络")));
        session.finish();
        // The sender tries the dead hub and keeps the evaluation.
        QSignalSpy sendFailed(&sender, &hcp::sync::OutboxSender::sendFailed);
        sender.kick();
        QTRY_VERIFY_WITH_TIMEOUT(!sendFailed.isEmpty(), 10000);
        QCOMPARE(sender.counts().queued, 1);

        // Hub back on the same port: the queued evaluation arrives, exactly once.
        const quint16 port = m_port;
        QVERIFY(startHub(port));
        sender.kick();
        QTRY_COMPARE_WITH_TIMEOUT(kioskEvaluations(), 2, 15000);
        QTRY_COMPARE_WITH_TIMEOUT(sender.counts().queued, 0, 5000);
        const QJsonObject stats = admin(QStringLiteral("/v1/admin/stats"));
        QCOMPARE(stats.value(QLatin1String("conflicts")).toInt(), 0);
        QCOMPARE(stats.value(QLatin1String("invalid")).toInt(), 0);
        stopHub();
    }
};

QTEST_GUILESS_MAIN(TestKioskHub)
#include "tst_kiosk_hub.moc"

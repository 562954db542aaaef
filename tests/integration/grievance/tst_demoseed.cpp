// SPDX-License-Identifier: Apache-2.0
// hcp-hub seed-demo (deploy/demo.sh): a month of marked synthetic history, seen through the real
// hub's console API — files in every state, overdue ones alerted, an appeal decided and others
// pending, a 通报 over the month; a second run adds nothing.
#include "grievancesupport.h"

#include "hubprocess.h"

#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace hcp::sync;
using namespace hcp::sync::test;
using namespace hcp::sync::test::grievance;

class TestDemoSeed : public QObject
{
    Q_OBJECT

private slots:
    void seedDemo_monthOfHistory_everyStateOverdueAndAppeal_onceOnly();

private:
    static int seed(const QString &db, QByteArray *output)
    {
        QProcess p;
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(hubBinary(), {QStringLiteral("--db"), db, QStringLiteral("seed-demo")});
        if (!p.waitForFinished(60000) || p.exitStatus() != QProcess::NormalExit)
            return -1;
        *output = p.readAll();
        return p.exitCode();
    }
};

void TestDemoSeed::seedDemo_monthOfHistory_everyStateOverdueAndAppeal_onceOnly()
{
    QTemporaryDir dir;
    const QString db = dir.filePath(QStringLiteral("hub.sqlite"));
    QByteArray output;
    QCOMPARE(seed(db, &output), 0);
    QVERIFY2(output.contains("demo history: 310 ratings"), output.constData());
    // Once only: the second run refuses and stores nothing.
    QCOMPARE(seed(db, &output), 3);
    QVERIFY2(output.contains("already holds the demo history"), output.constData());

    QVERIFY(addUser(db, QStringLiteral("ops.demo"), QStringLiteral("maintainer"), QStringLiteral("ops-pass-2026")));
    HubProcess hub;
    QVERIFY2(hub.start(db), qPrintable(hub.output()));
    const QByteArray ops = login(hub.url(), QStringLiteral("ops.demo"), QStringLiteral("ops-pass-2026"));
    QVERIFY(!ops.isEmpty());

    const QJsonArray files = console(hub.url(), ops, "GET", QStringLiteral("grievance/files")).json()
                                 .value(QLatin1String("files")).toArray();
    QSet<QString> states;
    int overdue = 0;
    for (const QJsonValue &v : files) {
        const QJsonObject f = v.toObject();
        QVERIFY2(f.value(QLatin1String("projectNo")).toString().startsWith(QLatin1String("DEMO-")), "marked as demo data");
        states.insert(f.value(QLatin1String("state")).toString());
        overdue += f.value(QLatin1String("overdue")).toBool() ? 1 : 0;
    }
    for (const char *s : {"待核实", "核实中", "整改中", "已整改", "已回访", "办结", "不予采纳", "转办"})
        QVERIFY2(states.contains(QString::fromUtf8(s)), s);
    QVERIFY(overdue > 0);
    int overdueAlerts = 0;
    for (const QJsonValue &a : console(hub.url(), ops, "GET", QStringLiteral("alerts")).json().value(QLatin1String("alerts")).toArray())
        overdueAlerts += a.toObject().value(QLatin1String("kind")).toString() == QLatin1String("grievance_overdue") ? 1 : 0;
    QCOMPARE(overdueAlerts, overdue);
    QVERIFY(!console(hub.url(), ops, "GET", QStringLiteral("grievance/appeals")).json().value(QLatin1String("appeals")).toArray().isEmpty());

    const Http report = console(hub.url(), ops, "GET", QStringLiteral("grievance/report?period=custom&from=%1&to=%2")
                                                         .arg(todayCst(-31), todayCst()));
    QCOMPARE(report.status, 200);
    const QJsonObject overall = report.json().value(QLatin1String("overall")).toObject();
    QCOMPARE(overall.value(QLatin1String("ratings")).toInt() + overall.value(QLatin1String("excluded")).toInt(), 310);
    QCOMPARE(overall.value(QLatin1String("excluded")).toInt(), 1);
    QVERIFY(overall.value(QLatin1String("rectified")).toInt() > 0 && overall.value(QLatin1String("visited")).toInt() > 0);
    QCOMPARE(report.json().value(QLatin1String("departments")).toArray().size(), 4);
    for (const QJsonValue &d : report.json().value(QLatin1String("departments")).toArray())
        QVERIFY(d.toObject().value(QLatin1String("name")).toString().startsWith(QStringLiteral("县")));
}

QTEST_GUILESS_MAIN(TestDemoSeed)
#include "tst_demoseed.moc"

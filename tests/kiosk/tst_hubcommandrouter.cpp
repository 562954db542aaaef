// SPDX-License-Identifier: Apache-2.0
// The hub command table: each type reaches its own handler with its args, every command is
// acknowledged once, and a type without a handler or a handler's refusal is reported with a
// reason instead of disappearing.
#include "hubcommandrouter.h"

#include <QtTest>

using namespace hcp::kiosk;
using Outcome = HubCommandRouter::Outcome;

class TstHubCommandRouter : public QObject {
    Q_OBJECT

    struct Refusal {
        qint64 id;
        QString type, reason;
    };
    HubCommandRouter m_router;
    QList<qint64> m_acked;
    QList<Refusal> m_refusals;
    QStringList m_ran;

private Q_SLOTS:
    void init()
    {
        m_router = HubCommandRouter();
        m_acked.clear();
        m_refusals.clear();
        m_ran.clear();
        m_router.setAcknowledge([this](qint64 id) { m_acked.append(id); });
        m_router.setRefusalSink([this](qint64 id, const QString &type, const QString &reason) { m_refusals.append({id, type, reason}); });
        for (const QString type : {QStringLiteral("resync"), QStringLiteral("restart")})
            m_router.add(type, [this, type](const QJsonObject &args) {
                m_ran.append(type + QLatin1Char(':') + args.value(QLatin1String("x")).toString());
                return Outcome::done();
            });
    }

    void knownCommand_reachesOnlyItsHandlerWithArgs_andIsAcknowledged()
    {
        m_router.dispatch(7, QStringLiteral("restart"), QJsonObject{{QStringLiteral("x"), QStringLiteral("now")}});
        QCOMPARE(m_ran, QStringList{QStringLiteral("restart:now")});
        QCOMPARE(m_acked, QList<qint64>{7});
        QVERIFY(m_refusals.isEmpty());
    }

    void unknownCommand_isRefusedWithTheKnownTypes_andStillAcknowledged()
    {
        m_router.dispatch(9, QStringLiteral("format_disk"), {});
        QVERIFY(m_ran.isEmpty());
        QCOMPARE(m_acked, QList<qint64>{9}); // otherwise the hub resends it for ever
        QCOMPARE(m_refusals.size(), 1);
        QCOMPARE(m_refusals.at(0).id, 9);
        QCOMPARE(m_refusals.at(0).type, QStringLiteral("format_disk"));
        QVERIFY2(m_refusals.at(0).reason.contains(QLatin1String("restart, resync")), qPrintable(m_refusals.at(0).reason));
    }

    void handlerRefusal_isReportedWithItsReason()
    {
        m_router.add(QStringLiteral("rate_now"), [](const QJsonObject &) { return Outcome::refused(QStringLiteral("no staffNo")); });
        m_router.dispatch(3, QStringLiteral("rate_now"), {});
        QCOMPARE(m_refusals.size(), 1);
        QCOMPARE(m_refusals.at(0).reason, QStringLiteral("no staffNo"));
        QCOMPARE(m_acked, QList<qint64>{3});
    }

    void typeMatch_isExact_caseAndSpellingMatter()
    {
        m_router.dispatch(1, QStringLiteral("RESTART"), {});
        m_router.dispatch(2, QStringLiteral("restart "), {});
        QVERIFY(m_ran.isEmpty());
        QCOMPARE(m_refusals.size(), 2);
        QCOMPARE(m_acked, (QList<qint64>{1, 2}));
    }

    void handlerAddedAgain_replacesTheFirst()
    {
        m_router.add(QStringLiteral("resync"), [this](const QJsonObject &) {
            m_ran.append(QStringLiteral("second"));
            return Outcome::done();
        });
        m_router.dispatch(4, QStringLiteral("resync"), {});
        QCOMPARE(m_ran, QStringList{QStringLiteral("second")});
        QCOMPARE(m_router.types(), (QStringList{QStringLiteral("restart"), QStringLiteral("resync")}));
    }
};

QTEST_GUILESS_MAIN(TstHubCommandRouter)
#include "tst_hubcommandrouter.moc"

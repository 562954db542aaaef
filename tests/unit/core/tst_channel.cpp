// SPDX-License-Identifier: Apache-2.0
#include "channel.h"
#include "evaluation.h"
#include "kioskconfig.h"

#include <QTest>

using hcp::kiosk::Channel;
using hcp::kiosk::Evaluation;
using hcp::kiosk::KioskConfig;

class TestChannel : public QObject {
    Q_OBJECT
private slots:
    void pad_isTheNationalHallTabletCode4()
    {
        QCOMPARE(Channel::pad().pf(), 4);
        QVERIFY(Channel::pad().isPad());
        QCOMPARE(Channel::pad().code(), Channel::Code::HallTablet);
    }

    void terminal_isTheNationalHallTerminalCode5AndNoPad()
    {
        QCOMPARE(Channel::terminal().pf(), 5);
        QVERIFY(!Channel::terminal().isPad());
        QVERIFY(Channel::terminal() != Channel::pad());
    }

    void fromPf_everyNationalCode_roundTrips()
    {
        for (int pf = 1; pf <= 7; ++pf) {
            const auto c = Channel::fromPf(pf);
            QVERIFY2(c.has_value(), qPrintable(QString::number(pf)));
            QCOMPARE(c->pf(), pf);
            QCOMPARE(c->isPad(), pf == 4);
        }
    }

    void fromPf_outsideTheNationalList_isNone()
    {
        QVERIFY(!Channel::fromPf(0).has_value());
        QVERIFY(!Channel::fromPf(8).has_value());
        QVERIFY(!Channel::fromPf(-4).has_value());
    }

    void deviceClass_padAndTerminal_areTheEnrollmentWords()
    {
        QCOMPARE(Channel::pad().deviceClass(), QStringLiteral("pad"));
        QCOMPARE(Channel::terminal().deviceClass(), QStringLiteral("terminal"));
        QCOMPARE(Channel::fromPf(1)->deviceClass(), QStringLiteral("terminal"));
    }

    void config_defaultChannel_isTheTerminal()
    {
        const KioskConfig c;
        QCOMPARE(c.pf, 5);
        QCOMPARE(c.channel(), Channel::terminal());
        QCOMPARE(Evaluation().pf, 5);
    }

    void config_pf4FromJson_isThePad()
    {
        QJsonObject o = KioskConfig().toJson();
        o.insert(QStringLiteral("pf"), 4);
        QString err;
        const KioskConfig c = KioskConfig::fromJson(o, &err);
        QVERIFY2(err.isEmpty(), qPrintable(err));
        QVERIFY(c.channel().isPad());
        QCOMPARE(c.channel().deviceClass(), QStringLiteral("pad"));
    }

    void config_pfOutsideTheList_countsAsTheTerminal()
    {
        KioskConfig c;
        c.pf = 9;
        QCOMPARE(c.channel(), Channel::terminal());
    }
};

QTEST_MAIN(TestChannel)
#include "tst_channel.moc"

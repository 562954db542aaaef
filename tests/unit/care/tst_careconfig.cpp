// SPDX-License-Identifier: Apache-2.0
// The hub's configuration validator accepts what the kiosk reads for 关怀模式, voice, 代办员 and
// English data texts (the shipped defaults included), and refuses malformed values of them.
#include "configvalidator.h"
#include "indicatorset.h"
#include "kioskconfig.h"
#include "pinvault.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using hcp::sync::hub::ConfigValidator;
using namespace hcp::kiosk;

namespace {
QJsonObject resource(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(f.readAll()).object() : QJsonObject();
}
QJsonObject agent(const QString &pinHash)
{
    return {{QStringLiteral("id"), QStringLiteral("AGENT-1")}, {QStringLiteral("name"), QStringLiteral("赵代办")},
            {QStringLiteral("certKeyHash"), QStringLiteral("9f2c")}, {QStringLiteral("pinHash"), pinHash}};
}
} // namespace

class TestCareConfig : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void shippedDefaults_withEnglishTexts_areAccepted()
    {
        const QJsonObject ind = resource(QStringLiteral(":/hcp/defaults/indicators.json"));
        const QJsonObject qs = resource(QStringLiteral(":/hcp/defaults/questionnaires.json"));
        QVERIFY(!ind.isEmpty() && !qs.isEmpty());
        QCOMPARE(ConfigValidator::validateIndicators(ind), QString());
        QCOMPARE(ConfigValidator::validateQuestionnaires(qs), QString());
        QCOMPARE(ConfigValidator::validateIndicators(IndicatorSet::builtin().toJson()), QString());
    }

    void careSettings_roundTripOfTheKiosk_areAccepted()
    {
        KioskConfig c;
        c.voiceVolume = 40;
        c.elderlyByDefault = true;
        c.agents.append({QStringLiteral("AGENT-1"), QStringLiteral("赵代办"), QStringLiteral("9f2c"),
                         hcp::trust::PinVault::hashPin(QStringLiteral("135790"), 1000)});
        QJsonObject k = c.toJson();
        k.remove(QStringLiteral("idHashKey")); // never pushed
        QCOMPARE(ConfigValidator::validateKiosk(k), QString());
    }

    void malformedCareSettings_areRefused_data()
    {
        QTest::addColumn<QJsonObject>("kiosk");
        QTest::newRow("volume") << QJsonObject{{QStringLiteral("voiceVolume"), 120}};
        QTest::newRow("enabled not bool") << QJsonObject{{QStringLiteral("voiceEnabled"), QStringLiteral("yes")}};
        QTest::newRow("engine not string") << QJsonObject{{QStringLiteral("voiceEngine"), 3}};
        QTest::newRow("agent bad pin hash") << QJsonObject{{QStringLiteral("agents"), QJsonArray{agent(QStringLiteral("1234"))}}};
        QJsonObject withIdNumber = agent(hcp::trust::PinVault::hashPin(QStringLiteral("1"), 1000));
        withIdNumber.insert(QStringLiteral("idNumber"), QStringLiteral("11010519491231002X"));
        QTest::newRow("agent with a plain ID number") << QJsonObject{{QStringLiteral("agents"), QJsonArray{withIdNumber}}};
        QTest::newRow("agents not array") << QJsonObject{{QStringLiteral("agents"), QStringLiteral("AGENT-1")}};
    }
    void malformedCareSettings_areRefused()
    {
        QFETCH(QJsonObject, kiosk);
        QVERIFY(!ConfigValidator::validateKiosk(kiosk).isEmpty());
    }

    void englishTextNotAString_isRefused()
    {
        QJsonObject ind = resource(QStringLiteral(":/hcp/defaults/indicators.json"));
        QJsonArray list = ind.value(QStringLiteral("indicators")).toArray();
        QJsonObject first = list.first().toObject();
        first.insert(QStringLiteral("text_en"), 5);
        list.replace(0, first);
        ind.insert(QStringLiteral("indicators"), list);
        QVERIFY(!ConfigValidator::validateIndicators(ind).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestCareConfig)
#include "tst_careconfig.moc"

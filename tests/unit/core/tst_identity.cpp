// SPDX-License-Identifier: Apache-2.0
#include "identity.h"

#include <QTest>

using hcp::kiosk::CaseQuery;
using hcp::kiosk::Identity;

class TestIdentity : public QObject {
    Q_OBJECT
private slots:
    void typedProjectNoAndName_leadsToTheProjectNoAndNameQuery()
    {
        Identity i;
        i.source = Identity::Source::Typed;
        QCOMPARE(i.queryKind(), CaseQuery::Kind::ByProjectNoAndName);
    }

    void receiptQr_leadsToTheProjectNoQuery()
    {
        Identity i;
        i.source = Identity::Source::Receipt;
        QCOMPARE(i.queryKind(), CaseQuery::Kind::ByProjectNo);
    }

    void idCard_leadsToTheCertKeyHashQuery()
    {
        Identity i;
        i.source = Identity::Source::Card;
        QCOMPARE(i.queryKind(), CaseQuery::Kind::ByCertKeyHash);
    }

    void fresh_isTheReceiptWithNoNameAndNoNumber()
    {
        const Identity i;
        QCOMPARE(i.source, Identity::Source::Receipt);
        QCOMPARE(i.queryKind(), CaseQuery::Kind::ByProjectNo);
        QVERIFY(i.maskedName.isEmpty());
        QVERIFY(i.maskedIdNumber.isEmpty());
    }

    void certKeyHash_sameNumberAnyCaseOfX_sameHashAndNeverThePlainNumber()
    {
        const QByteArray key = QByteArrayLiteral("hub-key");
        const QString upper = hcp::kiosk::certKeyHash(key, QStringLiteral("11010519491231002X"));
        QCOMPARE(hcp::kiosk::certKeyHash(key, QStringLiteral(" 11010519491231002x ")), upper);
        QVERIFY(!upper.contains(QStringLiteral("110105")));
        QVERIFY(hcp::kiosk::certKeyHash(QByteArrayLiteral("other-key"), QStringLiteral("11010519491231002X")) != upper);
    }
};

QTEST_MAIN(TestIdentity)
#include "tst_identity.moc"

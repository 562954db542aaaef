// SPDX-License-Identifier: Apache-2.0
#include "hardware/idcard/idcardsimulator.h"
#include "hardware/idcard/idcardtextcodec.h"
#include "hardware/idcard/idnumber.h"

#include <QTest>

using namespace hcp::hardware;

class TestIdCardText : public QObject {
    Q_OBJECT
private slots:
    void checkDigit_referenceVectors_data();
    void checkDigit_referenceVectors();
    void checkCharacter_nonDigits_returnsNull();
    void masked_idNumber_keepsFourAndFour();
    void parse_residentSample_givesAllFields();
    void parse_badCheckDigit_isReportedNotTrusted();
    void parse_foreignerCardI_usesForeignerLayout();
    void parse_hkMacaoTaiwanCardJ_readsPassAndIssueCount();
    void parse_wrongSizeOrEmptyName_isRejected();
    void nationName_table_coversAllCodes();
    void parse_junkIdNumber_onlyCheckCharacterUppercased();
};

void TestIdCardText::checkDigit_referenceVectors_data()
{
    QTest::addColumn<QString>("number");
    QTest::addColumn<bool>("valid");
    QTest::newRow("GB 11643 sample") << QStringLiteral("11010519491231002X") << true;
    QTest::newRow("lower-case x") << QStringLiteral("11010519491231002x") << true;
    QTest::newRow("440524188001010014") << QStringLiteral("440524188001010014") << true;
    QTest::newRow("wrong check digit") << QStringLiteral("110105194912310021") << false;
    QTest::newRow("2023 foreigner 1") << QStringLiteral("932682198501010017") << true;
    QTest::newRow("2023 foreigner 2") << QStringLiteral("911124198108030024") << true;
    QTest::newRow("17 chars") << QStringLiteral("11010519491231002") << false;
    QTest::newRow("letter inside") << QStringLiteral("1101051949123A002X") << false;
    QTest::newRow("empty") << QString() << false;
}

void TestIdCardText::checkDigit_referenceVectors()
{
    QFETCH(QString, number);
    QFETCH(bool, valid);
    QCOMPARE(IdNumber::isValid(number), valid);
}

void TestIdCardText::checkCharacter_nonDigits_returnsNull()
{
    QCOMPARE(IdNumber::checkCharacter(u"11010519491231002"), QLatin1Char('X'));
    QCOMPARE(IdNumber::checkCharacter(u"44052418800101001"), QLatin1Char('4'));
    QVERIFY(IdNumber::checkCharacter(u"4405241880010100A").isNull());
    QVERIFY(IdNumber::checkCharacter(u"4405").isNull());
}

void TestIdCardText::masked_idNumber_keepsFourAndFour()
{
    QCOMPARE(IdNumber::masked(u"11010519491231002X"), QStringLiteral("1101**********002X"));
    QCOMPARE(IdNumber::masked(u"1234"), QStringLiteral("****"));
}

void TestIdCardText::parse_residentSample_givesAllFields()
{
    const QByteArray block = IdCardTextCodec::encode(IdCardSimulator::sampleResident());
    QCOMPARE(block.size(), 256);
    const auto d = IdCardTextCodec::parse(block);
    QVERIFY(d);
    QCOMPARE(d->name, QStringLiteral("李华"));
    QCOMPARE(d->sex, QStringLiteral("女"));
    QCOMPARE(d->sexCode, QStringLiteral("2"));
    QCOMPARE(d->nation, QStringLiteral("汉"));
    QCOMPARE(d->birth, QStringLiteral("19491231"));
    QCOMPARE(d->address, QStringLiteral("北京市西城区示例路1号"));
    QCOMPARE(d->idNumber, QStringLiteral("11010519491231002X"));
    QCOMPARE(d->authority, QStringLiteral("北京市公安局西城分局"));
    QCOMPARE(d->validFrom, QStringLiteral("20150101"));
    QCOMPARE(d->validTo, QStringLiteral("20350101"));
    QCOMPARE(d->cardType, IdCardType::Resident);
    QVERIFY(d->checkDigitValid);
    QCOMPARE(*d, IdCardSimulator::sampleResident());
}

void TestIdCardText::parse_badCheckDigit_isReportedNotTrusted()
{
    IdCardData in = IdCardSimulator::sampleResident();
    in.idNumber = QStringLiteral("110105194912310021");
    const auto d = IdCardTextCodec::parse(IdCardTextCodec::encode(in));
    QVERIFY(d);
    QCOMPARE(d->idNumber, QStringLiteral("110105194912310021"));
    QVERIFY(!d->checkDigitValid);
}

void TestIdCardText::parse_foreignerCardI_usesForeignerLayout()
{
    IdCardData in;
    in.cardType = IdCardType::ForeignPermanentResident;
    in.englishName = QStringLiteral("SMITH, JOHN");
    in.name = QStringLiteral("史密斯");
    in.sexCode = QStringLiteral("1");
    in.idNumber = QStringLiteral("USA310075010101");
    in.nationCode = QStringLiteral("USA");
    in.validFrom = QStringLiteral("20200101");
    in.validTo = QStringLiteral("20300101");
    in.birth = QStringLiteral("19750101");
    in.authority = QStringLiteral("1500");
    const QByteArray block = IdCardTextCodec::encode(in);
    QCOMPARE(block.mid(248, 2), QByteArray("I\0", 2));
    const auto d = IdCardTextCodec::parse(block);
    QVERIFY(d);
    QCOMPARE(d->cardType, IdCardType::ForeignPermanentResident);
    QCOMPARE(d->englishName, in.englishName);
    QCOMPARE(d->name, in.name);
    QCOMPARE(d->sex, QStringLiteral("男"));
    QCOMPARE(d->idNumber, in.idNumber);
    QCOMPARE(d->nationCode, QStringLiteral("USA"));
    QVERIFY(d->nation.isEmpty());
    QCOMPARE(d->birth, in.birth);
    QCOMPARE(d->validTo, in.validTo);
    QCOMPARE(d->authority, in.authority);
    // A 15-character number has no GB 11643 check character: never marked as verified.
    QVERIFY(!d->checkDigitValid);
}

void TestIdCardText::parse_hkMacaoTaiwanCardJ_readsPassAndIssueCount()
{
    IdCardData in = IdCardSimulator::sampleResident();
    in.cardType = IdCardType::HkMacaoTaiwanResident;
    in.name = QStringLiteral("陈大文");
    in.sexCode = QStringLiteral("1");
    in.nationCode.clear();
    in.idNumber = QStringLiteral("810000199001010002");
    in.idNumber[17] = IdNumber::checkCharacter(QStringView(in.idNumber).first(17));
    in.passNumber = QStringLiteral("H12345678");
    in.issueCount = 3;
    const QByteArray block = IdCardTextCodec::encode(in);
    QCOMPARE(block.mid(248, 2), QByteArray("J\0", 2));
    const auto d = IdCardTextCodec::parse(block);
    QVERIFY(d);
    QCOMPARE(d->cardType, IdCardType::HkMacaoTaiwanResident);
    QCOMPARE(d->name, in.name);
    QCOMPARE(d->idNumber, in.idNumber);
    QCOMPARE(d->passNumber, QStringLiteral("H12345678"));
    QCOMPARE(d->issueCount, 3);
    QVERIFY(d->checkDigitValid);
    QCOMPARE(idCardTypeText(d->cardType), QStringLiteral("港澳台居民居住证"));
}

void TestIdCardText::parse_wrongSizeOrEmptyName_isRejected()
{
    QString why;
    QVERIFY(!IdCardTextCodec::parse(QByteArray(255, ' '), &why));
    QVERIFY(why.contains(QStringLiteral("255")));
    IdCardData in = IdCardSimulator::sampleResident();
    in.name.clear();
    QVERIFY(!IdCardTextCodec::parse(IdCardTextCodec::encode(in), &why));
    QVERIFY(why.contains(QStringLiteral("name")));
    in = IdCardSimulator::sampleResident();
    in.idNumber.clear();
    QVERIFY(!IdCardTextCodec::parse(IdCardTextCodec::encode(in), &why));
    // NUL padding (some readers) is trimmed like spaces.
    QByteArray block = IdCardTextCodec::encode(IdCardSimulator::sampleResident());
    for (int i = 4; i < 30; ++i)
        block[i] = '\0';
    const auto d = IdCardTextCodec::parse(block);
    QVERIFY(d);
    QCOMPARE(d->name, QStringLiteral("李华"));
}

void TestIdCardText::nationName_table_coversAllCodes()
{
    QCOMPARE(IdCardTextCodec::nationName(QStringLiteral("01")), QStringLiteral("汉"));
    QCOMPARE(IdCardTextCodec::nationName(QStringLiteral("05")), QStringLiteral("维吾尔"));
    QCOMPARE(IdCardTextCodec::nationName(QStringLiteral("46")), QStringLiteral("德昂"));
    QCOMPARE(IdCardTextCodec::nationName(QStringLiteral("56")), QStringLiteral("基诺"));
    QCOMPARE(IdCardTextCodec::nationName(QStringLiteral("97")), QStringLiteral("其他"));
    QCOMPARE(IdCardTextCodec::nationName(QStringLiteral("98")), QStringLiteral("外国血统中国籍人士"));
    for (int n = 1; n <= 56; ++n)
        QVERIFY(!IdCardTextCodec::nationName(QStringLiteral("%1").arg(n, 2, 10, QLatin1Char('0'))).isEmpty());
    QVERIFY(IdCardTextCodec::nationName(QStringLiteral("57")).isEmpty());
    QVERIFY(IdCardTextCodec::nationName(QStringLiteral("00")).isEmpty());
    QVERIFY(IdCardTextCodec::nationName(QStringLiteral("1")).isEmpty());
}

void TestIdCardText::parse_junkIdNumber_onlyCheckCharacterUppercased()
{
    // Regression from fuzz_sam: toUpper() turned ß into SS, so re-encoding lost a character.
    IdCardData in = IdCardSimulator::sampleResident();
    in.idNumber = QStringLiteral("11010519491231ßßßß");
    const auto d = IdCardTextCodec::parse(IdCardTextCodec::encode(in));
    QVERIFY(d);
    QCOMPARE(d->idNumber, in.idNumber);
    QVERIFY(!d->checkDigitValid);
    QCOMPARE(*IdCardTextCodec::parse(IdCardTextCodec::encode(*d)), *d);
    in.idNumber = QStringLiteral("11010519491231002x");
    QCOMPARE(IdCardTextCodec::parse(IdCardTextCodec::encode(in))->idNumber, QStringLiteral("11010519491231002X"));
}

QTEST_GUILESS_MAIN(TestIdCardText)
#include "tst_idcardtext.moc"

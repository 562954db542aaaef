// SPDX-License-Identifier: Apache-2.0
#include "idcardtextcodec.h"

#include "idnumber.h"

#include <QCoreApplication>

namespace hcp::hardware {

namespace {

struct Field {
    int offset;
    int bytes;
};

// Resident card (and the first 220 bytes of the HK/Macao/Taiwan permit), §1.7.
constexpr Field rName{0, 30}, rSex{30, 2}, rNation{32, 4}, rBirth{36, 16}, rAddress{52, 70},
    rId{122, 36}, rAuthority{158, 30}, rFrom{188, 16}, rTo{204, 16};
// HK/Macao/Taiwan tail, §1.8 (vendor SDK layout, unverified on a real card).
constexpr Field jPass{220, 18}, jIssueCount{238, 4};
// Foreigner permanent residence card, 2017 edition, §1.8.
constexpr Field fEnglishName{0, 120}, fSex{120, 2}, fCardNo{122, 30}, fNationality{152, 6},
    fChineseName{158, 30}, fFrom{188, 16}, fTo{204, 16}, fBirth{220, 16}, fVersion{236, 4},
    fAuthority{240, 8};
constexpr Field typeFlag{IdCardTextCodec::TypeFlagOffset, 2};

QString readField(const QByteArray &block, Field f)
{
    QString s;
    s.reserve(f.bytes / 2);
    for (int i = 0; i + 1 < f.bytes; i += 2) {
        const char16_t u = char16_t(quint8(block[f.offset + i]) | (quint8(block[f.offset + i + 1]) << 8));
        s.append(QChar(u));
    }
    // Padding is spaces; some readers pad with NUL. Both ends are stripped of whitespace and NUL
    // together, so parse(encode(parse(x))) == parse(x) (fuzz_sam checks this).
    auto blank = [](QChar c) { return c.isNull() || c.isSpace(); };
    qsizetype end = s.size();
    while (end > 0 && blank(s[end - 1]))
        --end;
    qsizetype begin = 0;
    while (begin < end && blank(s[begin]))
        ++begin;
    return s.mid(begin, end - begin);
}

void writeField(QByteArray &block, Field f, const QString &value)
{
    const int chars = f.bytes / 2;
    for (int i = 0; i < chars; ++i) {
        const char16_t u = i < value.size() ? value[i].unicode() : u' ';
        block[f.offset + 2 * i] = char(u & 0xFF);
        block[f.offset + 2 * i + 1] = char(u >> 8);
    }
}

QString tx(const char *text)
{
    return QCoreApplication::translate("hcp::hardware::IdCardTextCodec", text);
}

} // namespace

QString idCardTypeText(IdCardType t)
{
    switch (t) {
    case IdCardType::Resident: return tx(QT_TRANSLATE_NOOP("hcp::hardware::IdCardTextCodec", "居民身份证"));
    case IdCardType::ForeignPermanentResident: return tx(QT_TRANSLATE_NOOP("hcp::hardware::IdCardTextCodec", "外国人永久居留身份证"));
    case IdCardType::HkMacaoTaiwanResident: return tx(QT_TRANSLATE_NOOP("hcp::hardware::IdCardTextCodec", "港澳台居民居住证"));
    }
    return {};
}

IdCardType IdCardTextCodec::cardTypeOf(const QByteArray &block)
{
    if (block.size() < BlockSize)
        return IdCardType::Resident;
    const QString flag = readField(block, typeFlag);
    if (flag == QLatin1String("I"))
        return IdCardType::ForeignPermanentResident;
    if (flag == QLatin1String("J"))
        return IdCardType::HkMacaoTaiwanResident;
    return IdCardType::Resident;
}

QString IdCardTextCodec::nationName(const QString &code)
{
    // QT_TRANSLATE_NOOP so lupdate extracts the names; tx() translates them at run time.
    static const char *const names[] = {
        QT_TRANSLATE_NOOP("hcp::hardware::IdCardTextCodec", "汉"), QT_TRANSLATE_NOOP("hcp::hardware::IdCardTextCodec", "蒙古"),
        QT_TRANSLATE_NOOP("hcp::hardware::IdCardTextCodec", "回"), QT_TRANSLATE_NOOP("hcp::hardware::IdCardTextCodec", "藏"),
        QT_TRANSLATE_NOOP("hcp::hardware::IdCardTextCodec", "维吾尔"), QT_TRANSLATE_NOOP("hcp::hardware::IdCardTextCodec", "苗"),
        QT_TRANSLATE_NOOP("hcp::hardware::IdCardTextCodec", "彝"), QT_TRANSLATE_NOOP("hcp::hardware::IdCardTextCodec", "壮"),
        QT_TRANSLATE_NOOP("hcp::hardware::IdCardTextCodec", "布依"), QT_TRANSLATE_NOOP("hcp::hardware::IdCardTextCodec", "朝鲜"),
        QT_TRANSLATE_NOOP("hcp::hardware::IdCardTextCodec", "满"), QT_TRANSLATE_NOOP("hcp::hardware::IdCardTextCodec", "侗"),
        QT_TRANSLATE_NOOP("hcp::hardware::IdCardTextCodec", "瑶"), QT_TRANSLATE_NOOP("hcp::hardware::IdCardTextCodec", "白"),
        QT_TRANSLATE_NOOP("hcp::hardware::IdCardTextCodec", "土家"), QT_TRANSLATE_NOOP("hcp::hardware::IdCardTextCodec", "哈尼"),
        QT_TRANSLATE_NOOP("hcp::hardware::IdCardTextCodec", "哈萨克"), QT_TRANSLATE_NOOP("hcp::hardware::IdCardTextCodec", "傣"),
        QT_TRANSLATE_NOOP("hcp::hardware::IdCardTextCodec", "黎"), QT_TRANSLATE_NOOP("hcp::hardware::IdCardTextCodec", "傈僳"),
        QT_TRANSLATE_NOOP("hcp::hardware::IdCardTextCodec", "佤"), QT_TRANSLATE_NOOP("hcp::hardware::IdCardTextCodec", "畲"),
        QT_TRANSLATE_NOOP("hcp::hardware::IdCardTextCodec", "高山"), QT_TRANSLATE_NOOP("hcp::hardware::IdCardTextCodec", "拉祜"),
        QT_TRANSLATE_NOOP("hcp::hardware::IdCardTextCodec", "水"), QT_TRANSLATE_NOOP("hcp::hardware::IdCardTextCodec", "东乡"),
        QT_TRANSLATE_NOOP("hcp::hardware::IdCardTextCodec", "纳西"), QT_TRANSLATE_NOOP("hcp::hardware::IdCardTextCodec", "景颇"),
        QT_TRANSLATE_NOOP("hcp::hardware::IdCardTextCodec", "柯尔克孜"), QT_TRANSLATE_NOOP("hcp::hardware::IdCardTextCodec", "土"),
        QT_TRANSLATE_NOOP("hcp::hardware::IdCardTextCodec", "达斡尔"), QT_TRANSLATE_NOOP("hcp::hardware::IdCardTextCodec", "仫佬"),
        QT_TRANSLATE_NOOP("hcp::hardware::IdCardTextCodec", "羌"), QT_TRANSLATE_NOOP("hcp::hardware::IdCardTextCodec", "布朗"),
        QT_TRANSLATE_NOOP("hcp::hardware::IdCardTextCodec", "撒拉"), QT_TRANSLATE_NOOP("hcp::hardware::IdCardTextCodec", "毛南"),
        QT_TRANSLATE_NOOP("hcp::hardware::IdCardTextCodec", "仡佬"), QT_TRANSLATE_NOOP("hcp::hardware::IdCardTextCodec", "锡伯"),
        QT_TRANSLATE_NOOP("hcp::hardware::IdCardTextCodec", "阿昌"), QT_TRANSLATE_NOOP("hcp::hardware::IdCardTextCodec", "普米"),
        QT_TRANSLATE_NOOP("hcp::hardware::IdCardTextCodec", "塔吉克"), QT_TRANSLATE_NOOP("hcp::hardware::IdCardTextCodec", "怒"),
        QT_TRANSLATE_NOOP("hcp::hardware::IdCardTextCodec", "乌孜别克"), QT_TRANSLATE_NOOP("hcp::hardware::IdCardTextCodec", "俄罗斯"),
        QT_TRANSLATE_NOOP("hcp::hardware::IdCardTextCodec", "鄂温克"), QT_TRANSLATE_NOOP("hcp::hardware::IdCardTextCodec", "德昂"),
        QT_TRANSLATE_NOOP("hcp::hardware::IdCardTextCodec", "保安"), QT_TRANSLATE_NOOP("hcp::hardware::IdCardTextCodec", "裕固"),
        QT_TRANSLATE_NOOP("hcp::hardware::IdCardTextCodec", "京"), QT_TRANSLATE_NOOP("hcp::hardware::IdCardTextCodec", "塔塔尔"),
        QT_TRANSLATE_NOOP("hcp::hardware::IdCardTextCodec", "独龙"), QT_TRANSLATE_NOOP("hcp::hardware::IdCardTextCodec", "鄂伦春"),
        QT_TRANSLATE_NOOP("hcp::hardware::IdCardTextCodec", "赫哲"), QT_TRANSLATE_NOOP("hcp::hardware::IdCardTextCodec", "门巴"),
        QT_TRANSLATE_NOOP("hcp::hardware::IdCardTextCodec", "珞巴"), QT_TRANSLATE_NOOP("hcp::hardware::IdCardTextCodec", "基诺"),
    };
    static_assert(std::size(names) == 56);
    if (code.size() != 2 || !code[0].isDigit() || !code[1].isDigit())
        return {};
    const int n = code.toInt();
    if (n >= 1 && n <= 56)
        return tx(names[n - 1]);
    if (n == 97)
        return tx(QT_TRANSLATE_NOOP("hcp::hardware::IdCardTextCodec", "其他"));
    if (n == 98)
        return tx(QT_TRANSLATE_NOOP("hcp::hardware::IdCardTextCodec", "外国血统中国籍人士"));
    return {};
}

QString IdCardTextCodec::sexName(const QString &code)
{
    if (code == QLatin1String("1"))
        return tx(QT_TRANSLATE_NOOP("hcp::hardware::IdCardTextCodec", "男"));
    if (code == QLatin1String("2"))
        return tx(QT_TRANSLATE_NOOP("hcp::hardware::IdCardTextCodec", "女"));
    if (code == QLatin1String("0"))
        return tx(QT_TRANSLATE_NOOP("hcp::hardware::IdCardTextCodec", "未知"));
    if (code == QLatin1String("9"))
        return tx(QT_TRANSLATE_NOOP("hcp::hardware::IdCardTextCodec", "未说明"));
    return {};
}

std::optional<IdCardData> IdCardTextCodec::parse(const QByteArray &block, QString *error)
{
    auto fail = [&](const QString &why) -> std::optional<IdCardData> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    if (block.size() != BlockSize)
        return fail(QStringLiteral("text block has %1 bytes, expected %2").arg(block.size()).arg(BlockSize));

    IdCardData d;
    d.cardType = cardTypeOf(block);
    if (d.cardType == IdCardType::ForeignPermanentResident) {
        d.englishName = readField(block, fEnglishName);
        d.sexCode = readField(block, fSex);
        d.idNumber = readField(block, fCardNo);
        d.nationCode = readField(block, fNationality);
        const QString chinese = readField(block, fChineseName);
        d.name = chinese.isEmpty() ? d.englishName : chinese;
        d.validFrom = readField(block, fFrom);
        d.validTo = readField(block, fTo);
        d.birth = readField(block, fBirth);
        d.authority = readField(block, fAuthority);
        Q_UNUSED(fVersion);
    } else {
        d.name = readField(block, rName);
        d.sexCode = readField(block, rSex);
        d.nationCode = readField(block, rNation);
        d.nation = nationName(d.nationCode);
        d.birth = readField(block, rBirth);
        d.address = readField(block, rAddress);
        d.idNumber = readField(block, rId);
        d.authority = readField(block, rAuthority);
        d.validFrom = readField(block, rFrom);
        d.validTo = readField(block, rTo);
        if (d.cardType == IdCardType::HkMacaoTaiwanResident) {
            d.passNumber = readField(block, jPass);
            d.issueCount = readField(block, jIssueCount).toInt();
        }
    }
    d.sex = sexName(d.sexCode);
    // Only the check character may be written in lower case; a full toUpper() would also
    // change the length of non-ASCII junk (ß → SS), found by fuzz_sam.
    if (d.idNumber.endsWith(QLatin1Char('x')))
        d.idNumber.back() = QLatin1Char('X');
    // 15-character (2017 foreigner) numbers have no GB 11643 check character: reported as not valid.
    d.checkDigitValid = IdNumber::isValid(d.idNumber);
    if (d.name.isEmpty())
        return fail(QStringLiteral("name field is empty"));
    if (d.idNumber.isEmpty())
        return fail(QStringLiteral("ID number field is empty"));
    return d;
}

QByteArray IdCardTextCodec::encode(const IdCardData &d)
{
    QByteArray block(BlockSize, '\0');
    writeField(block, {0, BlockSize}, QString());   // all spaces
    if (d.cardType == IdCardType::ForeignPermanentResident) {
        writeField(block, fEnglishName, d.englishName);
        writeField(block, fSex, d.sexCode);
        writeField(block, fCardNo, d.idNumber);
        writeField(block, fNationality, d.nationCode);
        // parse() falls back to the English name when the card has no Chinese name.
        writeField(block, fChineseName, d.name == d.englishName ? QString() : d.name);
        writeField(block, fFrom, d.validFrom);
        writeField(block, fTo, d.validTo);
        writeField(block, fBirth, d.birth);
        writeField(block, fAuthority, d.authority);
        writeField(block, typeFlag, QStringLiteral("I"));
        return block;
    }
    writeField(block, rName, d.name);
    writeField(block, rSex, d.sexCode);
    writeField(block, rNation, d.nationCode);
    writeField(block, rBirth, d.birth);
    writeField(block, rAddress, d.address);
    writeField(block, rId, d.idNumber);
    writeField(block, rAuthority, d.authority);
    writeField(block, rFrom, d.validFrom);
    writeField(block, rTo, d.validTo);
    if (d.cardType == IdCardType::HkMacaoTaiwanResident) {
        writeField(block, jPass, d.passNumber);
        writeField(block, jIssueCount, QStringLiteral("%1").arg(d.issueCount, 2, 10, QLatin1Char('0')));
        writeField(block, typeFlag, QStringLiteral("J"));
    }
    return block;
}

} // namespace hcp::hardware

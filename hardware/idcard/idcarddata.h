// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QMetaType>
#include <QString>

namespace hcp::hardware {

// Card family, from the type flag at offset 248 of the text block (§1.8).
enum class IdCardType {
    Resident,                   // 居民身份证
    ForeignPermanentResident,   // 外国人永久居留身份证 ('I')
    HkMacaoTaiwanResident,      // 港澳台居民居住证 ('J')
};

// What the kiosk learns from one card read. Contains personal data: hold it only as long as the
// visit needs it and never log it. The photo is deliberately absent (it never leaves the service).
struct IdCardData {
    QString name;           // Chinese name (for foreigners: Chinese name if any, else English)
    QString englishName;    // foreigner cards only
    QString sex;            // 男 / 女 / 未知 / 未说明
    QString sexCode;        // raw GB/T 2261.1 code
    QString nation;         // 民族 (resident, HK/Macao/Taiwan); empty for foreigners
    QString nationCode;     // two digits, or the GB/T 2659 3-letter nationality for foreigners
    QString birth;          // YYYYMMDD
    QString address;
    QString idNumber;       // 18 characters (foreigner 2017 edition: 15)
    QString authority;      // 签发机关 (foreigners: authority code)
    QString validFrom;      // YYYYMMDD
    QString validTo;        // YYYYMMDD or 长期
    QString passNumber;     // HK/Macao/Taiwan: 通行证号码
    int issueCount = 0;     // HK/Macao/Taiwan: 签发次数
    IdCardType cardType = IdCardType::Resident;
    bool checkDigitValid = false;   // GB 11643 MOD 11-2 over idNumber; false means: do not trust

    bool operator==(const IdCardData &) const = default;
};

QString idCardTypeText(IdCardType t);

} // namespace hcp::hardware

Q_DECLARE_METATYPE(hcp::hardware::IdCardData)

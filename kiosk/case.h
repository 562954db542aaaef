// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QString>

namespace hcp::kiosk {

// One 办件 service event the citizen may rate, keyed by (projectNo, serviceNumber).
// Field names follow the national 好差评 service-record names (reference/domain.md §a.2).
// `userName` is the applicant's full name as the hub holds it; screens only ever show
// maskedUserName(). The kiosk never holds the plain ID number: `certKeyHash` is a keyed hash.
struct Case {
    QString projectNo;     // 办件编号
    int serviceNumber = 1; // which service event of the case
    QString serviceName;   // 办结, 受理 …
    QString taskCode;      // 事项编码
    QString taskName;      // 事项名称
    QString deptName;      // 部门
    QString deptCode;      // 18-digit 统一社会信用代码
    QString windowNo;      // 窗口
    QString staffName;     // 经办人
    QString staffNo;       // 工号
    QDateTime resultDate;  // 办结时间 (completion), local time
    QString userName;      // applicant (full; masked on screen)
    int userProp = 1;      // 1 自然人 …
    QString areaCode;      // 12 digits
    int proStatus = 3;     // 1 待受理, 2 办理中, 3 已办结
    QString hallCode;
    QString certKeyHash;   // hex keyed hash of the applicant's ID number

    bool isValid() const { return !projectNo.isEmpty() && serviceNumber > 0; }
    QString maskedUserName() const;
    QJsonObject toJson() const;
    static Case fromJson(const QJsonObject &o);
};

// 张*华, 李*, 欧**娜: first and last character kept; a single character stays as it is.
QString maskName(const QString &name);
// 1101**********002X: first 4 and last 4 kept.
QString maskIdNumber(const QString &id);

inline constexpr auto kDateTimeFormat = "yyyy-MM-dd HH:mm:ss";

} // namespace hcp::kiosk

// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QJsonObject>
#include <QMetaType>
#include <QString>

namespace hcp::sync {

// "Rate now" for a window rating pad (评价器, pf=4): the business system tells the pad that
// case projectNo / serviceNumber was just handled by staff staffNo at window windowNo. Sent by
// the hub as command "rate_now" (PROTOCOL §13) or posted to the pad's loopback trigger.
struct RateNowEvent
{
    QString projectNo;     // 6–64 of [A-Za-z0-9_-]
    int serviceNumber = 0; // ≥ 1
    QString staffNo;       // 1–32 characters
    QString staffName;     // 1–30 characters
    QString windowNo;      // 1–16 characters

    // Parses and validates; on failure returns an event with an empty projectNo and sets *reason
    // (English, for the HTTP 400 body and the log).
    static RateNowEvent fromJson(const QJsonObject &o, QString *reason);
    QJsonObject toJson() const;
    bool isValid() const { return !projectNo.isEmpty(); }
};

} // namespace hcp::sync

Q_DECLARE_METATYPE(hcp::sync::RateNowEvent)

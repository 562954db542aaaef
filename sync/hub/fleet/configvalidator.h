// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QJsonObject>
#include <QString>

namespace hcp::sync::hub {

// The hub-side schema of a kiosk configuration document, the same rules the kiosk applies
// (kiosk/kioskconfig.cpp, indicatorset.cpp, questionnaire.cpp), but strict: unknown keys,
// wrong types and out-of-range values are refused instead of ignored, so that what the
// console accepts is exactly what a kiosk will apply. A document is
//   {"kiosk":{…settings…}, "indicators":{"version","indicators":[…]},
//    "questionnaires":{"version","default":{"items":[…]},"byTaskCode":{…}},
//    "holidays":{"notices":[…]}}
// with at least one part. "holidays" (the working-day calendar, kiosk/holidaynotice.h) is
// published only by the calendar service, in scope "calendar" (ConfigPublisher::publish). Pure functions; thread-safe.
class ConfigValidator
{
public:
    // Empty when valid, else the first reason (English, shown to the operator and returned
    // by the API).
    static QString validate(const QJsonObject &document);
    static QString validateKiosk(const QJsonObject &kiosk);
    static QString validateIndicators(const QJsonObject &indicators);
    static QString validateQuestionnaires(const QJsonObject &questionnaires);
    static QString validateHolidays(const QJsonObject &holidays);
};

} // namespace hcp::sync::hub

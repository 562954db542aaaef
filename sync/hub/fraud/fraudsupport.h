// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QLoggingCategory>
#include <QString>
#include <QTimeZone>

// What the fraud monitor (fraudmonitor.cpp) and its rules (fraudrules.cpp) share.
Q_DECLARE_LOGGING_CATEGORY(lcFraud)

namespace hcp::sync::hub::fraud {

inline constexpr qint64 kMinuteMs = 60'000;
inline constexpr qint64 kDayMs = 86'400'000;

// Domain times are China Standard Time wall clock (PROTOCOL: national format), whatever the
// hub's own time zone is.
inline QDateTime parseAssessTime(const QString &text)
{
    const QDateTime local = QDateTime::fromString(text, QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    if (!local.isValid())
        return {};
    return QDateTime(local.date(), local.time(), QTimeZone(8 * 3600));
}

inline QString compact(const QJsonValue &v)
{
    return QString::fromUtf8(v.isArray() ? QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact)
                                         : QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
}

} // namespace hcp::sync::hub::fraud

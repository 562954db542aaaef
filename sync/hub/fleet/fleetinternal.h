// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QVariant>

// What FleetStore's parts (fleetstore.cpp and the files it names) share.
Q_DECLARE_LOGGING_CATEGORY(lcFleetStore)

namespace hcp::sync::hub::fleetinternal {

// A JSON object stored as TEXT (heartbeats, evaluation payloads, cases).
inline QJsonObject parse(const QVariant &v)
{
    return QJsonDocument::fromJson(v.toString().toUtf8()).object();
}

} // namespace hcp::sync::hub::fleetinternal

// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>

// What HubStore's files (hubstore.cpp, ingest.cpp) share.
Q_DECLARE_LOGGING_CATEGORY(lcHubStore)

namespace hcp::sync::hub::storeinternal {

inline QByteArray compact(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

} // namespace hcp::sync::hub::storeinternal

// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QSqlDatabase>
#include <QString>

namespace hcp::sync::hub::grievance {

// The 差评 reasons of a rating in words: evalDetail holds indicator codes ("501,503"); a handler
// reads «501 窗口服务态度不好；503 办事指南不清楚…». Texts come from every indicator set the hub
// has published (config_versions, newest wins) over the kiosk's built-in set, so a code from an
// older set is still named. An unknown code stays as it is.
QString reasonTexts(const QSqlDatabase &db, const QString &evalDetail);

} // namespace hcp::sync::hub::grievance

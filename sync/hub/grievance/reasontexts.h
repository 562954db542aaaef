// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QHash>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QString>

namespace hcp::sync::hub::grievance {

// The 差评 reasons of a rating in words: evalDetail holds indicator codes ("501,503"); a handler
// reads «501 窗口服务态度不好；503 办事指南不清楚…». Texts come from every indicator set the hub
// has published (config_versions, newest wins) over the kiosk's built-in set, so a code from an
// older set is still named. An unknown code stays as it is.
QString reasonTexts(const QSqlDatabase &db, const QString &evalDetail);
// code → text of every indicator known that way.
QHash<QString, QString> reasonTextMap(const QSqlDatabase &db);
// Questionnaire items by id ({"id","text","kind","options"}), from the kiosk's built-in
// questionnaires and every published one (newest wins), default and per-taskCode sets alike.
QHash<QString, QJsonObject> questionTexts(const QSqlDatabase &db);

} // namespace hcp::sync::hub::grievance

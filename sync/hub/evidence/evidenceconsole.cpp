// SPDX-License-Identifier: Apache-2.0
#include "evidenceconsole.h"

#include "fleetapi.h"
#include "grievance/casefiles.h"
#include "http/http.h"
#include "hubserver.h"
#include "hubstore.h"

#include <QHash>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QSqlQuery>
#include <QUrlQuery>

namespace hcp::sync::hub::evidence {

using Role = FleetStore::Role;
using Status = QHttpServerResponse::StatusCode;

const QStringList &EvidenceConsole::kinds()
{
    // second_rating / out_of_window: RatingEvidence; late: after a default (§18.6).
    static const QStringList k{QStringLiteral("second_rating"), QStringLiteral("out_of_window"),
                               QStringLiteral("late")};
    return k;
}

void EvidenceConsole::install(HubServer *server, HubStore *store)
{
    server->fleet().addConsoleHandler(QStringLiteral("evidence"),
                                      [store](const FleetStore::Session &s, const QStringList &parts,
                                              const QHttpServerRequest &r) { return console(store, s, parts, r); });
}

QJsonArray EvidenceConsole::list(HubStore *store, Role role, const QStringList &kinds, int limit)
{
    QHash<QString, QString> hallOf;
    QSqlQuery d(store->database());
    if (d.exec(QStringLiteral("SELECT device_id, hall_code FROM devices")))
        while (d.next())
            hallOf.insert(d.value(0).toString(), d.value(1).toString());
    const QJsonArray rows = store->problems(kinds, limit);
    QJsonArray out;
    for (qsizetype i = rows.size() - 1; i >= 0; --i) {
        const QJsonObject p = rows.at(i).toObject();
        const QJsonObject e = p.value(QLatin1String("payload")).toObject();
        const QString deviceId = p.value(QLatin1String("deviceId")).toString();
        const QString projectNo = e.value(QLatin1String("projectNo")).toString();
        QJsonObject o{{QStringLiteral("id"), p.value(QLatin1String("id"))},
                      {QStringLiteral("kind"), p.value(QLatin1String("kind"))},
                      {QStringLiteral("deviceId"), deviceId},
                      {QStringLiteral("hallCode"), hallOf.value(deviceId)},
                      {QStringLiteral("uuid"), p.value(QLatin1String("uuid"))},
                      {QStringLiteral("serviceNumber"), e.value(QLatin1String("serviceNumber")).toInt()},
                      {QStringLiteral("assessNumber"), e.value(QLatin1String("assessNumber")).toInt()},
                      {QStringLiteral("satisfaction"), e.value(QLatin1String("satisfaction")).toInt()},
                      {QStringLiteral("assessTime"), e.value(QLatin1String("assessTime")).toString()},
                      {QStringLiteral("deptCode"), e.value(QLatin1String("deptCode")).toString()},
                      {QStringLiteral("reason"), p.value(QLatin1String("reason"))},
                      {QStringLiteral("receivedAtMs"), p.value(QLatin1String("receivedAtMs"))}};
        o.insert(QStringLiteral("projectNo"), role == Role::Viewer ? grievance::CaseFiles::masked(projectNo) : projectNo);
        out.append(o);
    }
    return out;
}

QHttpServerResponse EvidenceConsole::console(HubStore *store, const FleetStore::Session &session,
                                             const QStringList &parts, const QHttpServerRequest &request)
{
    if (session.role == Role::Handler)
        return http::error(Status::Forbidden, QStringLiteral("forbidden"), QStringLiteral("需要查看权限"));
    if (http::isPost(request) || parts.size() != 1)
        return http::error(Status::NotFound, QStringLiteral("not_found"), QStringLiteral("GET evidence[?kind=…&limit=…]"));
    const QUrlQuery query = request.query();
    const QString kind = query.queryItemValue(QStringLiteral("kind"));
    if (!kind.isEmpty() && !kinds().contains(kind))
        return http::error(Status::BadRequest, QStringLiteral("bad_request"),
                           QStringLiteral("kind 须为 %1 之一").arg(kinds().join(QStringLiteral("、"))));
    const int limit = query.hasQueryItem(QStringLiteral("limit"))
        ? qBound(1, query.queryItemValue(QStringLiteral("limit")).toInt(), 5000) : 500;
    return http::json(QJsonObject{{QStringLiteral("evidence"), list(store, session.role, kind.isEmpty() ? kinds() : QStringList{kind}, limit)},
                                  {QStringLiteral("kinds"), QJsonArray::fromStringList(kinds())}});
}

} // namespace hcp::sync::hub::evidence

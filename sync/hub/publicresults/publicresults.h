// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "guard/loginthrottle.h"

#include <QDate>
#include <QJsonObject>
#include <QObject>

class QHttpServer;
class QHttpServerRequest;
class QHttpServerResponse;

namespace hcp::sync::hub {
class FleetApi;
class HubStore;
}

namespace hcp::sync::hub::publicresults {

// 评价结果公开 (PROTOCOL §18.9): what the county publishes of its 好差评 results, served without
// login and read-only. Only the current calendar month (CST) — no request picks another period —
// per hall and per department: ratings, 好评率, rectified 差评; and the list of the month's
// rectified 差评 with the service item, the rating and rectification dates and the 整改措施
// text, plus the citizen's comment only when the rating was made public (publicFlag 1). No
// names, 办件编号, phone numbers or staff numbers leave this way.
//   GET /public                     the page (HTML, print-friendly)
//   GET /public/figures[?hall=CODE] JSON for the kiosk's idle screen (one hall's month figures)
// Any other method is 405. Every request counts against its client address (guard::LoginThrottle,
// like console logins): more than perAddressPerMinute is 429 with Retry-After.
class PublicResults : public QObject
{
    Q_OBJECT
public:
    static PublicResults *install(QHttpServer &http, HubStore *store, FleetApi *fleet, QObject *parent);

    // The month's public figures: {"month","from","to","halls":[{"hallCode","name","ratings",
    // "goodRate","rectified"}],"departments":[{"deptCode","name","ratings","goodRate","rectified"}],
    // "rectifiedList":[{"hallCode","hallName","deptName","taskName","assessDate","rectifiedDate",
    // "summary","comment"?}]}.
    QJsonObject figures(const QDate &today);
    static QByteArray page(const QJsonObject &figures);

private:
    PublicResults(HubStore *store, FleetApi *fleet, QObject *parent);
    QHttpServerResponse serve(const QHttpServerRequest &request, bool json);

    HubStore *m_store;
    FleetApi *m_fleet;
    guard::LoginThrottle m_throttle;
};

} // namespace hcp::sync::hub::publicresults

// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "casefiles.h"
#include "fleetstore.h"

#include <QObject>
#include <QSqlDatabase>
#include <QTimer>
#include <QUrlQuery>

class QHttpServerRequest;
class QHttpServerResponse;

namespace hcp::kiosk {
class WorkCalendar;
}

namespace hcp::sync::hub {
class HubServer;
class HubStore;
}

namespace hcp::sync::hub::grievance {

// The hub's 差评 loop (PROTOCOL §18): installs the console part /console/api/grievance/…
// (session roles: handler of one department, viewer, maintainer, admin), the overdue alerts of
// the console's alert list, the admin trigger POST /v1/admin/grievance-defaults and the periodic
// default-rating sweep. HubServer makes one with install(); same thread as the server.
class GrievanceService : public QObject
{
    Q_OBJECT
public:
    static GrievanceService *install(HubServer *server, HubStore *store);

    // The working-day calendar shared with the kiosk: the notices the hub holds and publishes
    // (calendar::CalendarService::current(), a newly uploaded year without a restart).
    static const kiosk::WorkCalendar &calendar();

    // Binds a handler console user to its department (hcp-hub add-user NAME handler DEPTCODE).
    static bool bindHandler(QSqlDatabase &db, const QString &user, const QString &deptCode, QString *error);

    // Default ratings after windowDays working days (0 = off, the default). Runs at once and then
    // every sweepIntervalMs.
    void setDefaultWindowDays(int days, int sweepIntervalMs = 60000);
    int runDefaults();

private:
    GrievanceService(HubStore *store, QObject *parent);
    QHttpServerResponse console(const FleetStore::Session &session, const QStringList &parts,
                                const QHttpServerRequest &request);
    // GET grievance/report (PROTOCOL §18.8): JSON, or format=csv|xlsx as a download.
    QHttpServerResponse report(const QUrlQuery &query, const CaseFiles::Actor &actor, const QDate &today);

    HubStore *m_store;
    QTimer m_sweep;
    int m_windowDays = 0;
};

} // namespace hcp::sync::hub::grievance

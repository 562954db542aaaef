// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "fleetstore.h"

#include <QJsonArray>
#include <QStringList>

class QHttpServerRequest;
class QHttpServerResponse;

namespace hcp::sync::hub {
class HubServer;
class HubStore;
}

namespace hcp::sync::hub::evidence {

// The evidence kept at ingest instead of evaluations (PROTOCOL §4d), for the console:
// GET /console/api/evidence[?kind=…&limit=…] lists the refused ratings (kinds()) newest first with
// the kiosk, its hall, the record's uuid, 办件编号, service event, level, rating time, the reason
// and when the hub received it. Viewers, maintainers and admins read it; a viewer gets the 办件编号
// masked (issue 12: no 办件编号 with a level); a handler (department staff) gets 403.
class EvidenceConsole
{
public:
    // evaluation_problems kinds that are rating evidence (the others are protocol problems).
    static const QStringList &kinds();

    static void install(HubServer *server, HubStore *store);

    // The list as the session's role may see it.
    static QJsonArray list(HubStore *store, FleetStore::Role role, const QStringList &kinds, int limit);

private:
    static QHttpServerResponse console(HubStore *store, const FleetStore::Session &session, const QStringList &parts,
                                       const QHttpServerRequest &request);
};

} // namespace hcp::sync::hub::evidence

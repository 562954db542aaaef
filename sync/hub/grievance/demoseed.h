// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>

namespace hcp::sync::hub {
class HubStore;
}

namespace hcp::sync::hub::grievance {

// hcp-hub seed-demo (deploy/demo.sh): a month of synthetic history so that a new user sees a
// living 通报 and 差评工单 list — three demo kiosks in two halls, their cases (four departments,
// six staff members) and about ten first ratings a day for the last 30 days, stored through the
// hub's own ingest (files open as for a real kiosk); the 差评 files are then taken by demo users
// to every state (待核实 … 办结, 转办, 不予采纳 after an appeal, one appeal pending) and the old
// untouched ones are overdue. Everything is marked as demo data: devices DEMO-KIOSK-*, 办件编号
// DEMO-*, cases with "demo": true, actors demo.*. Refuses (returns 0 with *error) when the
// database already holds demo devices. Returns the number of ratings stored, -1 on failure.
int seedDemo(HubStore &store, QString *error);

} // namespace hcp::sync::hub::grievance

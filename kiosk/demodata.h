// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "case.h"

#include <QDateTime>
#include <QList>
#include <QStringList>

namespace hcp::kiosk {

class Store;
class WorkCalendar;

// The demo's synthetic cases (data/demo/cases.json, compiled in as :/hcp/demo/cases.json).
// Completion times are given in working days before `now` (0 = the latest working day, never in
// the future), so the demo shows cases inside and outside the rating window whatever day it
// runs; certKey is replaced by its keyed hash.
struct DemoData {
    QList<Case> cases;
    QStringList alreadyRated; // projectNos the demo pre-rates
};

DemoData loadDemoData(const QByteArray &json, const WorkCalendar &calendar, const QDateTime &now,
                      const QByteArray &idHashKey, QString *error = nullptr);
DemoData builtinDemoData(const WorkCalendar &calendar, const QDateTime &now, const QByteArray &idHashKey,
                         QString *error = nullptr);
// Caches the cases (unless cacheCases is false: a kiosk enrolled with a hub looks them up there)
// and commits the pre-rated evaluation once (idempotent across restarts).
bool installDemoData(Store &store, const DemoData &demo, QString *error = nullptr, bool cacheCases = true);
// The demo cases as a hub import file (hcp-kiosk --write-demo-cases): absolute completion times,
// and the synthetic ID number as `certNo`, which the hub replaces by its keyed hash at import
// (PROTOCOL.md).
bool writeDemoCasesForHub(const WorkCalendar &calendar, const QString &file, QString *error);

} // namespace hcp::kiosk

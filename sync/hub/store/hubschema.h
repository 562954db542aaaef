// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QList>
#include <QSqlDatabase>
#include <QString>

#include <functional>

namespace hcp::sync::hub {

// Versioned migrations of the hub database (SQLite and PostgreSQL), like the kiosk store's
// (kiosk/store.cpp): the table schema_version holds one row per applied step, a step takes the
// schema from version k to k + 1 in one transaction (a crash leaves the old or the new
// version), and a database newer than the build is refused. HubStore::open migrates to
// the latest version before anything else touches the database.
//
// Steps 1 and 2 adopt the hubs made before versioning: they run the table owners' DDL as it
// stood then (CREATE … IF NOT EXISTS, so such a database keeps its data and only gains what
// it lacked), step 1 what HubStore::open created, step 2 what the fraud monitor and the receipt
// witnesses created when the server started. Never edit a released step (or the DDL it runs):
// add a step. tst_hubschema upgrades a database made by the pre-versioning hub (fixtures in
// tests/integration/sync/fixtures) and checks it ends with the same schema as a fresh one.
//
// Several hubs may migrate one PostgreSQL at once: each step takes a transaction-scoped
// advisory lock and re-reads the version under it, so a step runs once.
class HubSchema
{
public:
    using Apply = std::function<bool(QSqlDatabase &db, bool postgres, QString *error)>;
    struct Step
    {
        QString summary; // logged when applied
        Apply apply;
    };

    // Step k + 1 at index k; the latest version is steps().size().
    static const QList<Step> &steps();

    // The version recorded in schema_version; 0 for a database without one (new, or made
    // before versioning); -1 on a database error.
    static int version(QSqlDatabase &db);

    // Applies the steps from version() up to target (default: all). False with *error when a
    // step fails (that step is rolled back; earlier ones stay), or the database is newer than
    // the steps know.
    static bool migrate(QSqlDatabase &db, bool postgres, QString *error);
    static bool migrate(QSqlDatabase &db, bool postgres, const QList<Step> &steps, int target, QString *error);
};

} // namespace hcp::sync::hub

// SPDX-License-Identifier: Apache-2.0
#include "hubschema.h"

#include "alerts/alertwebhook.h"
#include "calendar/holidaystore.h"
#include "configpublisher.h"
#include "enroll/idhashoracle.h"
#include "enroll/reenrollments.h"
#include "fleetstore.h"
#include "fraudmonitor.h"
#include "grievance/casefiles.h"
#include "guard/enrolltokens.h"
#include "hubstore.h"
#include "ledgercheck.h"
#include "receiptwitnesses.h"
#include "rectificationstore.h"
#include "trust/tpmcheck.h"
#include "upstream/grievanceoutbox.h"
#include "upstream/upstreamoutbox.h"

#include <QDateTime>
#include <QLoggingCategory>
#include <QSqlError>
#include <QSqlQuery>

Q_LOGGING_CATEGORY(lcHubSchema, "hcp.sync.hub.schema")

namespace hcp::sync::hub {

namespace {

// Any constant: the key of the PostgreSQL advisory lock that serializes migrating hubs.
constexpr qint64 kMigrationLock = 0x68637073636d; // "hcpscm"

bool fail(QString *error, const QString &why)
{
    if (error)
        *error = why;
    return false;
}

} // namespace

const QList<HubSchema::Step> &HubSchema::steps()
{
    static const QList<Step> list{
        {QStringLiteral("the tables of a hub before versioning (devices, evaluations, cases, ledger, fleet, "
                        "grievances, upstream, enrollment)"),
         [](QSqlDatabase &db, bool pg, QString *error) {
             return HubStore::createTables(db, pg, error) && upstream::UpstreamOutbox::ensureSchema(db, pg, error)
                 && LedgerCheck::ensureSchema(db, pg, error) && RectificationStore(db).ensureSchema(error)
                 && ConfigPublisher::ensureSchema(db, pg, error) && FleetStore::ensureSchema(db, pg, error)
                 && grievance::CaseFiles::ensureSchema(db, pg, error) && TpmCheck::ensureSchema(db, error)
                 && guard::EnrollTokens(db).ensureSchema(error) && AlertWebhook::ensureSchema(db, pg, error)
                 && enrollment::ReEnrollments::ensureSchema(db, pg, error);
         }},
        {QStringLiteral("the fraud monitor's and the receipt witnesses' tables (made when the server started)"),
         [](QSqlDatabase &db, bool pg, QString *error) {
             return FraudMonitor::createTables(db, pg, error) && ReceiptWitnesses::createTables(db, error);
         }},
        {QStringLiteral("the delivery state of the 差评 records for the province (grievance_upstream)"),
         [](QSqlDatabase &db, bool pg, QString *error) { return upstream::GrievanceOutbox::ensureSchema(db, pg, error); }},
        {QStringLiteral("the holiday calendars the hub holds and publishes, and their upload audit (PROTOCOL §19)"),
         [](QSqlDatabase &db, bool pg, QString *error) { return calendar::HolidayStore::ensureSchema(db, pg, error); }},
        {QStringLiteral("the ID-hash oracle's answer log, so its allowance outlives a restart (PROTOCOL §5a)"),
         [](QSqlDatabase &db, bool pg, QString *error) { return enrollment::IdHashOracle::ensureSchema(db, pg, error); }},
        {QStringLiteral("evaluations by 办件编号 (the 一事一评 check at ingest, PROTOCOL §4d)"),
         [](QSqlDatabase &db, bool, QString *error) {
             return HubStore::execStatements(
                 db, {QStringLiteral("CREATE INDEX IF NOT EXISTS evaluations_project ON evaluations(project_no)")}, error);
         }},
    };
    return list;
}

int HubSchema::version(QSqlDatabase &db)
{
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, "
                               "summary TEXT NOT NULL, applied_at BIGINT NOT NULL)")))
        return -1;
    if (!q.exec(QStringLiteral("SELECT MAX(version) FROM schema_version")) || !q.next())
        return -1;
    return q.value(0).isNull() ? 0 : q.value(0).toInt();
}

bool HubSchema::migrate(QSqlDatabase &db, bool postgres, QString *error)
{
    return migrate(db, postgres, steps(), int(steps().size()), error);
}

bool HubSchema::migrate(QSqlDatabase &db, bool postgres, const QList<Step> &steps, int target, QString *error)
{
    for (;;) {
        if (!db.transaction())
            return fail(error, db.lastError().text());
        auto abort = [&](const QString &why) {
            db.rollback();
            return fail(error, why);
        };
        QSqlQuery q(db);
        if (postgres && !q.exec(QStringLiteral("SELECT pg_advisory_xact_lock(%1)").arg(kMigrationLock)))
            return abort(q.lastError().text());
        const int current = version(db);
        if (current < 0)
            return abort(QStringLiteral("cannot read schema_version: ") + db.lastError().text());
        if (current > steps.size())
            return abort(QStringLiteral("database schema %1 is newer than this build (%2)").arg(current).arg(steps.size()));
        if (current >= target) {
            if (!db.commit())
                return abort(db.lastError().text());
            return true;
        }
        const Step &step = steps.at(current);
        QString why;
        if (!step.apply(db, postgres, &why))
            return abort(QStringLiteral("migration %1→%2 failed: %3").arg(current).arg(current + 1).arg(why));
        q.prepare(QStringLiteral("INSERT INTO schema_version (version, summary, applied_at) VALUES (?, ?, ?)"));
        q.addBindValue(current + 1);
        q.addBindValue(step.summary);
        q.addBindValue(QDateTime::currentMSecsSinceEpoch());
        if (!q.exec())
            return abort(q.lastError().text());
        if (!db.commit())
            return abort(db.lastError().text());
        qCInfo(lcHubSchema) << "schema migrated" << current << "→" << current + 1 << step.summary;
    }
}

} // namespace hcp::sync::hub

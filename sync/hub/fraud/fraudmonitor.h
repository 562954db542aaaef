// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QElapsedTimer>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QSqlQuery>
#include <QString>
#include <QTime>
#include <QTimer>

#include <functional>
#include <optional>

class QHttpServer;
class QHttpServerRequest;

namespace hcp::trust {
class DeviceIdentity;
}

namespace hcp::sync::hub {

class HubStore;

// Thresholds of the anti-fraud rules; stored in the hub database (fraud_state 'settings'),
// changed with PUT /v1/admin/fraud/settings (PROTOCOL §9a).
struct FraudSettings
{
    struct Period
    {
        QList<int> days; // ISO weekdays, 1 = Monday … 7 = Sunday
        QTime from, to;  // local (China Standard Time), from inclusive, to exclusive
    };

    int burstPerMinute = 10;        // more than this many evaluations from one kiosk within 60 s
    int applicantMax = 3;           // more than this many evaluations of one applicant …
    int applicantWindowDays = 30;   // … within this many days
    double assistedShareMax = 0.5;  // share of a hall's evaluations assisted by one agent …
    int assistedMinCount = 5;       // … once the agent has assisted at least this many …
    int assistedWindowDays = 7;     // … within this many days
    // Opening hours per hall code; the key "default" applies to halls not listed. A hall with
    // neither is not checked.
    QHash<QString, QList<Period>> openingHours;

    QJsonObject toJson() const;
    static std::optional<FraudSettings> fromJson(const QJsonObject &o, QString *error);
};

// Anti-fraud signals at the hub (issue 5 scope 4; reference/sync-and-updates.md §5 "UI-level
// forgery … becomes attributable … for server-side anomaly rules"). Rules (the table in
// fraudrules.cpp, one entry and one check function each):
//   burst         more than burstPerMinute evaluations from one kiosk in any 60 s (assessTime)
//   applicant     more than applicantMax evaluations of one applicant (certKeyHash of the case,
//                 or of the decrypted certKeyEnc) within applicantWindowDays
//   same_case     one case (projectNo, serviceNumber, assessNumber) rated more than once —
//                 across kiosks, since each kiosk refuses a second rating itself
//   outside_hours an evaluation outside its hall's opening hours
//   assisted_share one agent (assistedBy) assisted more than assistedShareMax of the hall's
//                 evaluations in assistedWindowDays (after assistedMinCount assisted ones)
// Each flag carries its evidence: {"uuid","deviceId","assessTime"} of the evaluations involved.
//
// How: a scan reads evaluations stored since the last scan (by row id, cursor in fraud_state),
// indexes them in fraud_index (a narrow table with the fields the rules need) and applies the
// rules to each new row with indexed queries that stop counting at the threshold, so the cost
// per evaluation stays bounded; an evaluation inside an episode already flagged is only added
// to it. The scan runs on a timer (every scanIntervalMs, in ~50 ms slices, deferred up to 60 s
// while more than 1,000 evaluations arrive between checks) and completely before
// every GET /v1/admin/fraud; flags are upserted by a stable key and evidence rows by (flag,
// kiosk, uuid), so a rescan never duplicates either. Flags are signals for a human, not verdicts.
// Limitation: with several hubs on one PostgreSQL, a row committed with a lower id after a
// scan passed it is not seen (SQLite and a single hub are exact).
//
// Threading: the HubStore's thread (the hub's main thread).
class FraudMonitor : public QObject
{
    Q_OBJECT
public:
    explicit FraudMonitor(HubStore *store, QObject *parent = nullptr);

    // Creates the monitor's tables (idempotent). Called by the constructor; returns false on a
    // database error. The schema migrations (hubschema.cpp, step 2) run createTables.
    bool ensureSchema(QString *error = nullptr);
    static bool createTables(QSqlDatabase &db, bool postgres, QString *error);

    // With the hub identity, evaluations carrying certKeyEnc are attributed to their applicant
    // even when the hub does not know the case. Borrowed; must outlive the monitor.
    void setHubIdentity(const trust::DeviceIdentity *identity) { m_identity = identity; }

    FraudSettings settings() const { return m_settings; }
    bool setSettings(const FraudSettings &settings, QString *error = nullptr);

    // Processes every evaluation stored since the last scan. Returns how many, or -1 on error.
    qint64 scan(QString *error = nullptr);
    void setScanIntervalMs(int ms);

    // Flags, newest first; kind empty = all.
    QJsonArray flags(const QString &kind = {});

    // GET /v1/admin/fraud[?kind=] and PUT /v1/admin/fraud/settings. Must be registered before a
    // catch-all "/v1/admin/<arg>" route (QHttpServer takes the first matching rule).
    void registerRoutes(QHttpServer &http, std::function<bool(const QHttpServerRequest &)> adminAllowed);

private:
    struct Row
    {
        qint64 evalId = 0;
        QString deviceId, hallCode, uuid, assessTime, applicant, caseKey, assistedBy;
        qint64 assessMs = 0;
    };
    // One anti-fraud rule (fraudrules.cpp): the flag kind it raises (fraud_flags.kind, the
    // "kind" of GET /v1/admin/fraud), what it looks for, and its check, called for every newly
    // indexed evaluation; a check returns false on a database error (m_error).
    struct Rule
    {
        QString kind;
        QString summary;
        bool (FraudMonitor::*check)(const QString &kind, const Row &row);
    };
    static const QList<Rule> &rules();
    bool applyRules(const Row &row); // every rule in table order
    bool checkBurst(const QString &kind, const Row &row);
    bool checkApplicant(const QString &kind, const Row &row);
    bool checkSameCase(const QString &kind, const Row &row);
    bool checkOutsideHours(const QString &kind, const Row &row);
    bool checkAssistedShare(const QString &kind, const Row &row);
    static QJsonObject evidenceOf(const Row &row);
    bool upsertFlag(const QString &kind, const QString &key, const QString &subject,
                    const QJsonArray &evidence, const QJsonObject &detail, qint64 firstMs, qint64 lastMs);
    bool evidenceWhere(const QString &where, const QVariantList &binds, QJsonArray *out, int limit = 200);
    bool outsideOpeningHours(const Row &row) const;
    qint64 scanFor(qint64 budgetMs, QString *error = nullptr);
    void onTimer();
    qint64 countUpTo(const QString &where, const QVariantList &binds, qint64 cap);
    QString flagCovering(const QString &kind, const QString &subject, qint64 atMs);
    // Prepared once per statement text and reused (the rules run several statements per
    // evaluation); callers bind by position and finish() what they read.
    QSqlQuery &query(const QString &sql);
    QString applicantOf(const QJsonObject &payload);
    bool loadSettings();

    HubStore *m_store;
    const trust::DeviceIdentity *m_identity = nullptr;
    FraudSettings m_settings;
    QTimer m_timer;
    int m_intervalMs = 10'000;
    qint64 m_lastMaxId = 0;
    QElapsedTimer m_deferredSince;
    QString m_error;
    QHash<QString, QSqlQuery> m_queries;
};

} // namespace hcp::sync::hub

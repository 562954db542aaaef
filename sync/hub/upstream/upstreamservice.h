// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "grievanceoutbox.h"
#include "provinceclient.h"
#include "provinceprofile.h"
#include "upstreammapper.h"
#include "upstreamoutbox.h"

#include <QJsonObject>
#include <QObject>
#include <QTimer>

#include <functional>

class QHttpServerRequest;
class QHttpServerResponse;

namespace hcp::sync::hub {
class HubServer;
class HubStore;
}

namespace hcp::sync::hub::upstream {

// Forwards the hub's evaluations to the provincial platform and pulls back what the province
// knows (sync/UPSTREAM.md). One sender: at most one evaluate request in flight per hub; several
// hubs on one database share the outbox safely (claims are guarded by state).
//
// Delivery: oldest first, profile.batchSize records per request; the hub's checks run before
// sending (a record failing them goes to the dead-letter list with the reason); the province's
// per-record answers: stored or "本次服务已存在评价" → delivered, other errors → dead letter with
// its message; any request-level failure → the batch back to pending after full-jitter
// exponential backoff, retried forever.
//
// 差评 records (UPSTREAM.md §9): replies and appeal decisions from grievance_upstream, one per
// request to replyPath/appealPath, taking turns with the evaluation batches; a record waits until
// its evaluation was delivered. A permanent HTTP 4xx (400, 413, 415, 422: the record is refused as
// such) dead-letters the record; everything else transient is retried as for evaluations.
//
// Pull (every pullIntervalS): the indicator set (getnorm) into the "default" configuration
// through the config writer, and rectification replies into the rectification sink.
//
// Threading: lives on the HubStore's thread (the hub's main thread) and uses its database.
class UpstreamService : public QObject
{
    Q_OBJECT
public:
    // Writes one configuration document (scope "default"); the hub's ConfigPublisher (validated,
    // versioned, signed) plugs in here. Unset: every write fails ("no configuration publisher").
    using ConfigWriter = std::function<bool(const QString &scope, const QJsonObject &document, QString *error)>;
    // Upserts one rectification {projectNo, serviceNumber, assessNumber, status, reply, replyDept,
    // replyTime}; the hub's RectificationStore::upsert plugs in here. Unset: rectifications are not pulled.
    using RectificationSink = std::function<bool(const QJsonObject &rectification, QString *error)>;

    UpstreamService(HubStore *store, const ProvinceProfile &profile, QObject *parent = nullptr);
    ~UpstreamService() override;

    void setCertKeyResolver(CertKeyResolver resolver) { m_resolver = std::move(resolver); }
    void setConfigWriter(ConfigWriter writer) { m_configWriter = std::move(writer); }
    void setRectificationSink(RectificationSink sink) { m_rectificationSink = std::move(sink); }

    // Serves GET/POST /v1/admin/upstream on the hub's admin API (PROTOCOL §9).
    void registerAdmin(HubServer *server);

    void start();
    void stop();
    // Looks for work now (e.g. right after a batch was ingested).
    void kick();
    // Pulls the indicator set and rectifications now; pullFinished() reports the outcome.
    void pullNow();

    // {"profile","counts","deadLetters","lastError","lastSuccessAtMs","consecutiveFailures",
    //  "backoffUntilMs","pull":{…}}
    QJsonObject status(int deadLetterLimit = 200);
    // The console's per-record view of one kiosk (UpstreamOutbox::deviceRecords).
    QJsonArray deviceRecords(const QString &deviceId, int limit) { return m_outbox.deviceRecords(deviceId, limit); }
    // Dead letters back to pending (all when ids is empty) and a send attempt soon; the number
    // requeued, -1 on a database error (*error says which).
    int requeue(const QList<qint64> &ids, QString *error);
    // The same for the 差评 records (ids of grievance_upstream).
    int requeueGrievance(const QList<qint64> &ids, QString *error);
    QHttpServerResponse adminRequest(const QHttpServerRequest &request);

    // The province's getnorm answer → the kiosk's indicator set {"version","indicators":[…]}.
    // Empty with *error when the answer is not a usable set.
    static QJsonObject indicatorSetFromNorms(const QJsonObject &data, QString *error);
    // One province rectification item → the RectificationStore contract object; empty with
    // *error when the item is unusable.
    static QJsonObject rectificationFromProvince(const QJsonObject &item, const ProvinceProfile &profile,
                                                 QString *error);

signals:
    void batchFinished(int delivered, int dead, int retried);
    void grievanceRecordFinished(qint64 id, const QString &state); // delivered | dead | pending
    void idle(); // nothing due right now
    void pullFinished(bool ok, const QString &error);

private:
    void tick();
    bool sendEvaluationBatch(qint64 now); // false: nothing to send
    bool sendGrievanceRecord(qint64 now); // false: nothing to send
    void onGrievanceSent(const GrievanceOutbox::Row &row, const ProvinceClient::Outcome &outcome);
    void backOff(qint64 now, const QString &error);
    void schedule(int ms);
    void onSent(const QList<qint64> &ids, const ProvinceClient::Outcome &outcome);
    void pullIndicators();
    void pullRectifications();
    void finishPull(const QString &error);

    HubStore *m_store;
    ProvinceProfile m_profile;
    UpstreamOutbox m_outbox;
    GrievanceOutbox m_grievance;
    bool m_grievanceTurn = false;
    ProvinceClient *m_client;
    QTimer m_timer;
    QTimer m_pullTimer;
    CertKeyResolver m_resolver;
    ConfigWriter m_configWriter;
    RectificationSink m_rectificationSink;
    bool m_running = false;
    bool m_inFlight = false;
    bool m_pulling = false;
    int m_failures = 0;
    qint64 m_backoffUntilMs = 0;
    qint64 m_lastSuccessAtMs = 0;
    QString m_lastError;
    QString m_lastPullError;
    qint64 m_lastPullAtMs = 0;
};

} // namespace hcp::sync::hub::upstream

// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "fleetapi.h"
#include "guard/replaycache.h"
#include "guard/requestguard.h"
#include "hubstore.h"
#include "ledgercheck.h"
#include "serving/request.h"
#include "serving/workerpool.h"
#include "serving/workerstores.h"
#include "trust/tpmcheck.h"

#include "deviceidentity.h"

#include <QHostAddress>
#include <QHttpServer>
#include <QHttpServerResponse>
#include <QJsonObject>
#include <QHash>
#include <QObject>
#include <QMutex>
#include <QThreadStorage>

#include <functional>
#include <memory>
#include <optional>

class QHttpServerRequest;
class QHttpServerResponse;

namespace hcp::sync::hub {

class FraudMonitor;
namespace grievance {
class GrievanceService;
}
class ReceiptWitnesses;
namespace enrollment {
class IdHashOracle;
class ReEnrollments;
}

// The hub's HTTP front (PROTOCOL.md) over one HubStore. Runs on the thread that created it,
// where Qt 6.4's QHttpServer reads and routes every request; the device routes that carry the
// load (batches, heartbeats, command polls, case lookups, the feed) run on a bounded worker pool,
// each worker with its own database connection (serving/, PROTOCOL §1b). The database indexes
// keep ingest idempotent across workers as across several hubs.
class HubServer : public QObject
{
    Q_OBJECT
public:
    // X-HCP-Time may be this far from the hub's clock (PROTOCOL §2).
    static constexpr qint64 kReplayWindowMs = 5 * 60 * 1000;

    // hubIdentity: the hub's own SM2 key (hub-identity.pem in the hub's data directory, made at
    // first start, see main.cpp). Enrollment hands its public key to kiosks, which verify
    // hub-signed documents with it and encrypt for the hub; it signs configuration documents.
    HubServer(HubStore *store, trust::DeviceIdentity hubIdentity, QObject *parent = nullptr);
    ~HubServer() override;

    const trust::DeviceIdentity &hubIdentity() const { return m_hubIdentity; }

    void setEnrollToken(const QString &token) { m_enrollToken = token; }
    void setAdminToken(const QString &token) { m_adminToken = token; }
    // Request-line, header and body limits and timeouts; before listen().
    void setLimits(const guard::Limits &limits) { m_limits = limits; }
    // The ID-hash oracle's allowance per device (PROTOCOL §5a): at most limit answers in windowMs.
    void setIdHashLimits(int limit, qint64 windowMs);

    // The anti-fraud monitor (GET /v1/admin/fraud); owned by the server.
    FraudMonitor *fraudMonitor() const { return m_fraud; }

    // The 差评 loop (case files, 回访, appeals, default ratings); owned by the server.
    grievance::GrievanceService *grievance() const { return m_grievance; }

    // Serves GET/POST /v1/admin/<what> (after the admin check) for a component that owns that
    // part of the admin API, e.g. "upstream". Same thread as the server.
    using AdminHandler = std::function<QHttpServerResponse(const QHttpServerRequest &)>;
    void addAdminHandler(const QString &what, AdminHandler handler) { m_adminHandlers.insert(what, std::move(handler)); }

    // Worker threads for the device routes (0: all on the serving thread) and how many
    // requests may wait for one; before listen(). Default WorkerPool::defaultThreads().
    void setWorkers(int threads, int maxQueued = 1024);
    int workers() const { return m_workers ? m_workers->threads() : 0; }

    // Returns the bound port, or 0 on failure.
    quint16 listen(const QHostAddress &address, quint16 port);

    // Health, signed configuration, bundles, rollouts and the fleet console.
    FleetApi &fleet() { return *m_fleet; }

private:
    QHttpServerResponse enroll(const QHttpServerRequest &request);
    QHttpServerResponse config(const QHttpServerRequest &request);
    QHttpServerResponse audit(const QHttpServerRequest &request);
    QHttpServerResponse admin(const QString &what, const QHttpServerRequest &request);
    // The device routes of the worker pool: any thread, over the stores given, for a device
    // withDevice() has already authenticated (PROTOCOL §2).
    struct DeviceCall {
        const serving::Request &request;
        const serving::Stores &stores;
        const HubStore::Device &device;
        qint64 deviceTimeMs;
    };
    using DeviceRoute = serving::Outcome (HubServer::*)(const DeviceCall &);
    serving::Outcome batch(const DeviceCall &call);
    serving::Outcome lookup(const DeviceCall &call);
    serving::Outcome feed(const DeviceCall &call);
    serving::Outcome heartbeat(const DeviceCall &call);
    serving::Outcome poll(const DeviceCall &call); // POST /v1/commands/poll
    // Authenticates the request over those stores and runs route for its device, or answers 401.
    serving::Outcome withDevice(const serving::Request &request, const serving::Stores &stores, DeviceRoute route);
    // Copies the request and runs route on a worker (its own stores), answering from there.
    void serveOnWorker(const QHttpServerRequest &request, QHttpServerResponder &&responder, DeviceRoute route);
    serving::Stores servingStores() { return {m_store, &m_ledger, &m_tpm}; }

    // Verifies the device headers (PROTOCOL §2) on the serving thread; the reason of a
    // failure is kept for unauthenticated().
    std::optional<HubStore::Device> authenticate(const QHttpServerRequest &request, qint64 *deviceTimeMs);
    // Same, on any thread over those stores; *failure: unauthenticated, stale_request or replayed.
    std::optional<HubStore::Device> authenticate(const serving::Request &request, const serving::Stores &stores,
                                                 qint64 *deviceTimeMs, QString *failure);
    // The common start of the device's array uploads (batch, audit): parses {"<member>":[…]} and
    // checks its size. Returns the refusal to send, or nothing when all is well.
    static std::optional<QHttpServerResponse> readDeviceBatch(const QByteArray &requestBody, const QString &member,
                                                              const QString &unit, QJsonObject *body);
    bool adminAllowed(const QHttpServerRequest &request) const;
    // The 401 for the last failed authenticate() (unauthenticated, stale_request, replayed).
    QHttpServerResponse unauthenticated() const { return unauthenticated(m_authFailure); }
    static QHttpServerResponse unauthenticated(const QString &failure);

    HubStore *m_store;
    trust::DeviceIdentity m_hubIdentity;
    LedgerCheck m_ledger;
    TpmCheck m_tpm; // after m_ledger: raises its alerts through it
    std::unique_ptr<ReceiptWitnesses> m_witnesses; // printed receipts as witnesses (PROTOCOL §4c)
    QHttpServer m_http;
    std::unique_ptr<FleetApi> m_fleet;
    std::unique_ptr<enrollment::ReEnrollments> m_reenroll; // after m_ledger and m_fleet
    std::unique_ptr<enrollment::IdHashOracle> m_idHash;
    QString m_enrollToken;
    QString m_adminToken;
    guard::Limits m_limits = guard::Limits::hubDefaults();
    guard::ReplayCache m_replays{kReplayWindowMs};
    QMutex m_replayLock; // m_replays is asked from the workers too
    QString m_authFailure;
    FraudMonitor *m_fraud = nullptr;
    grievance::GrievanceService *m_grievance = nullptr;
    QHash<QString, AdminHandler> m_adminHandlers;
    // Each worker thread's own stores; destroyed by the thread's end, so after m_workers.
    QThreadStorage<serving::WorkerStores *> m_workerStores;
    std::unique_ptr<serving::WorkerPool> m_workers;
};

} // namespace hcp::sync::hub

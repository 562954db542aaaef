// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "bundlestore.h"
#include "configpublisher.h"
#include "fleetstore.h"
#include "guard/loginthrottle.h"

#include <QHash>
#include <QHostAddress>
#include <QHttpServerResponder>
#include <QHttpServerResponse>
#include <QObject>
#include <QUrl>

#include <functional>
#include <memory>
#include <optional>

class QHttpServer;
class QHttpServerRequest;

namespace hcp::sync::hub {

class FraudMonitor;

namespace upstream {
class UpstreamService;
}

// The hub's fleet management front (PROTOCOL §7, §14–§17): health, signed configuration,
// update bundles with HTTP Range, staged rollouts and the fleet console (static page +
// session-authenticated JSON API with roles). HubServer creates one and lets it register its
// routes before its own. Runs on the HubServer's thread.
class FleetApi
{
public:
    struct Options
    {
        QString bundleDirectory;
        QList<hcp::trust::Key> releaseKeys; // updater trust keys bundles must verify against
        QUrl publicUrl;                     // base of bundle URLs in update commands; empty = request Host
        qint64 sessionTtlMs = 8LL * 3600 * 1000;
        QString version;                    // reported by /v1/health
        // Peers whose X-Forwarded-For names the client (--trusted-proxy): the address console
        // logins are throttled by. Any other peer is the client itself.
        QList<QHostAddress> trustedProxies;
        guard::LoginThrottle::Limits loginLimits;
    };

    // adminAllowed: HubServer's check of the admin bearer token.
    FleetApi(HubStore *store, std::function<bool(const QHttpServerRequest &)> adminAllowed);
    ~FleetApi();

    void registerRoutes(QHttpServer *http);
    void setOptions(const Options &options);
    const Options &options() const { return m_options; }
    // The hub identity's key; until it is set, configuration cannot be published.
    void setSigningKey(const hcp::trust::Key &key);

    // The forwarder to the provincial platform behind the console's 上报省平台 view (not owned;
    // must outlive this object's use, or be reset to nullptr). Unset: the view says it is off.
    void setUpstream(upstream::UpstreamService *service) { m_upstream = service; }

    // The hub's anti-fraud monitor (not owned): its flags appear per kiosk in the console's
    // list, detail and alerts ("fraudFlags"). Unset: no flags are shown.
    void setFraudMonitor(FraudMonitor *monitor) { m_fraud = monitor; }

    // A part of the console API owned elsewhere: /console/api/<head>/… after the session and
    // CSRF checks, with the raw request (the handler parses its body). E.g. "grievance".
    using ConsoleHandler = std::function<QHttpServerResponse(const FleetStore::Session &, const QStringList &parts,
                                                             const QHttpServerRequest &)>;
    void addConsoleHandler(const QString &head, ConsoleHandler handler) { m_consoleHandlers.insert(head, std::move(handler)); }
    // More entries for the console's alert list (current conditions, id 0), e.g. overdue 差评工单.
    using AlertSource = std::function<QJsonArray(qint64 nowMs)>;
    void addAlertSource(AlertSource source) { m_alertSources.append(std::move(source)); }
    // Every alert the console shows now: stored ones, the fleet's conditions, fraud flags and
    // the added sources (GET /console/api/alerts; the alert webhook sends the same list).
    QJsonArray currentAlerts(qint64 nowMs);

    FleetStore &fleet() { return m_fleet; }
    BundleStore &bundles() { return m_bundles; }
    ConfigPublisher *publisher() { return m_publisher.get(); }

    // GET /v1/config for an authenticated device.
    QHttpServerResponse deviceConfig(const HubStore::Device &device, const QHttpServerRequest &request);
    // PUT /v1/admin/config/<scope> (admin token already checked).
    QJsonObject previewConfig(const QString &scope, const QJsonObject &document);
    QHttpServerResponse adminPutConfig(const QString &scope, const QHttpServerRequest &request);
    // Called by HubServer after a heartbeat was stored.
    void onHeartbeat(const HubStore::Device &device, const QJsonObject &beat, qint64 receivedAtMs);

private:
    QHttpServerResponse health();
    QHttpServerResponse bundle(const QString &name, const QHttpServerRequest &request);
    QHttpServerResponse adminBundles(const QHttpServerRequest &request);
    QHttpServerResponse adminRollouts(const QHttpServerRequest &request);
    QHttpServerResponse staticFile(const QString &name);
    // Answers when the password hash, checked on a worker thread, is known (PROTOCOL §17).
    void login(const QHttpServerRequest &request, QHttpServerResponder &&responder);
    QHttpServerResponse loggedIn(const QString &user, FleetStore::Role role, bool https);
    QHttpServerResponse logout(const QHttpServerRequest &request);
    QHttpServerResponse consoleApi(const QString &path, const QHttpServerRequest &request);

    std::optional<FleetStore::Session> sessionOf(const QHttpServerRequest &request);
    QHttpServerResponse publish(const QString &scope, const QJsonObject &document, const QString &actor);
    QHttpServerResponse uploadBundle(const QHttpServerRequest &request);
    QHttpServerResponse startRollout(const QJsonObject &body, const QHttpServerRequest &request, const QString &actor);
    QUrl baseUrl(const QHttpServerRequest &request) const;

    HubStore *m_store;
    std::function<bool(const QHttpServerRequest &)> m_adminAllowed;
    FleetStore m_fleet;
    BundleStore m_bundles;
    std::unique_ptr<ConfigPublisher> m_publisher;
    Options m_options;
    upstream::UpstreamService *m_upstream = nullptr;
    FraudMonitor *m_fraud = nullptr;
    QHash<QString, ConsoleHandler> m_consoleHandlers;
    QList<AlertSource> m_alertSources;
    std::unique_ptr<guard::LoginThrottle> m_logins = std::make_unique<guard::LoginThrottle>();
    QObject m_context; // login continuations run on the serving thread through it

    // deviceId → [{"id","kind","count","lastAt"}] from the monitor's flags (scanned first).
    QHash<QString, QJsonArray> fraudByKiosk();
    QJsonArray kiosksWithFraud(qint64 nowMs);
};

} // namespace hcp::sync::hub

// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "receiptwitness.h"

#include "crypto.h"
#include "devicecredentials.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QObject>
#include <QSslCertificate>
#include <QUrlQuery>

#include <functional>

class QNetworkAccessManager;
class QNetworkReply;

namespace hcp::sync {

// Outcome of one request. status == 0 means no HTTP response (refused, reset, timeout, or a
// response cut short); the caller treats that like 503.
struct HubReply
{
    int status = 0;
    bool timedOut = false;
    QString errorString;
    QByteArray body;
    QByteArray etag;

    bool isHttp(int code) const { return status == code; }
    bool reachedHub() const { return status > 0; }
    QJsonObject json() const;
};

using ReplyHandler = std::function<void(const HubReply &)>;

// Heartbeat content (PROTOCOL §8), filled by the kiosk core.
struct HeartbeatInfo
{
    QString version;
    qint64 queueDepth = 0;
    qint64 oldestUnsentAgeS = 0;
    qint64 quarantined = 0;
    qint64 kioskTimeMs = 0;       // 0 = now
    qint64 clockOffsetMs = 0;     // hub clock − kiosk clock as HubClient measured it (it fills this in)
    qint64 diskFreeBytes = 0;
    qint64 diskTotalBytes = 0;
    bool diskLow = false;         // the kiosk refuses new sessions while true
    QJsonObject deviceStatus;     // {"idcard":"ok","printer":"paper_end",...}
    QList<qint64> ackedCommands;
    QJsonObject config;           // {"version","rejected"} of the signed configuration (omitted if empty)
    QJsonObject update;           // {"state","version","slot","error"} of the update agent (omitted if empty)
    QJsonObject ledgerHead;       // SignedHead::toJson() of the ledger's current head; empty = none
    QJsonObject tpm;              // TPM attestation of counter and head (PROTOCOL §4c); empty = none

    QJsonObject toJson() const;
};

// The kiosk side of the wire protocol: signs every request as the device (PROTOCOL §2) and
// runs it with a deadline. Lives on one thread (the one that created it); handlers run on that
// thread. Never blocks.
class HubClient : public QObject
{
    Q_OBJECT
public:
    explicit HubClient(QObject *parent = nullptr);
    ~HubClient() override;

    void setCredentials(const DeviceCredentials &credentials);
    // The device key (private): with it, enroll() sends the public key and every request is
    // signed with it (PROTOCOL §2) instead of the shared secret. Set before enrolling.
    void setDeviceKey(const trust::Key &key);
    const trust::Key &deviceKey() const { return m_deviceKey; }
    DeviceCredentials credentials() const { return m_credentials; }
    // Hub address used before enrollment (enroll()).
    void setHubUrl(const QUrl &url) { m_credentials.hubUrl = url; }

    // The CA certificates (PEM) that an https hub's certificate must chain to, instead of the
    // system's: a county pins its own CA (deploy/nginx). False when pem holds no certificate.
    bool setTrustedCaPem(const QByteArray &pem);

    // Deadline of online case lookups; short, because the citizen is waiting (default 1500 ms).
    void setLookupTimeoutMs(int ms) { m_lookupTimeoutMs = ms; }
    int lookupTimeoutMs() const { return m_lookupTimeoutMs; }
    // Deadline of every other request (default 30000 ms).
    void setRequestTimeoutMs(int ms) { m_requestTimeoutMs = ms; }

    // POST /v1/enroll. On success the handler receives complete credentials (hub URL included);
    // the caller saves them and calls setCredentials().
    void enroll(const QString &enrollToken, const QString &deviceId, const QString &hallCode,
                const QString &deviceClass, const QString &version,
                std::function<void(bool ok, const DeviceCredentials &, const QString &error)> handler);

    // POST /v1/evaluations/batch with a ready body {"evaluations":[...]}.
    void uploadBatch(const QByteArray &body, ReplyHandler handler);
    // POST /v1/audit with a ready body {"records":[...],"ledger":[...],"head":{...}}.
    void uploadAudit(const QByteArray &body, ReplyHandler handler);
    // GET /v1/cases/lookup with exactly one of the query forms of PROTOCOL §5.
    void lookupCases(const QUrlQuery &query, ReplyHandler handler);
    // POST /v1/idhash (PROTOCOL §5a) with the lookup deadline: the hub's keyed hash of an ID
    // number, so the key never reaches the kiosk. handler(hash) gets the lowercase hex hash, or
    // an empty one when the hub is unreachable or refused (429 when asked too often).
    void hashIdNumber(const QString &idNumber, std::function<void(const QString &certKeyHash, int status)> handler);
    // GET /v1/cases/feed.
    void pullCaseFeed(qint64 cursor, int limit, ReplyHandler handler);
    // GET /v1/config; etag = the last one received (empty: unconditional). 304 = unchanged.
    void pullConfig(const QByteArray &etag, ReplyHandler handler);
    // POST /v1/heartbeat.
    void sendHeartbeat(const HeartbeatInfo &info, ReplyHandler handler);
    // GET /v1/rectifications?projectNo= (PROTOCOL §12), with the lookup deadline: a citizen waits.
    void fetchRectifications(const QString &projectNo, ReplyHandler handler);
    // GET /public/figures?hall= (PROTOCOL §18.9): the hall's month figures for the idle screen.
    void fetchPublicFigures(const QString &hallCode, ReplyHandler handler);
    // POST /v1/receipts/witness (PROTOCOL §4c): a receipt scanned here names an evaluation of
    // its issuing device (any kiosk), signed by that device.
    void reportWitness(const trust::ReceiptWitness &witness, ReplyHandler handler);
    // POST /v1/commands/poll (PROTOCOL §13): acknowledges `acked`, answers the pending commands.
    void pollCommands(const QList<qint64> &acked, ReplyHandler handler);

    // True after the last request got an HTTP answer below 500.
    bool isOnline() const { return m_online; }
    // Hub clock − kiosk clock, from the X-HCP-Hub-Time of the hub's answers; added to the time
    // every request is signed with, so a kiosk with a wrong clock stays inside the hub's replay
    // window (PROTOCOL §2). Reported in the heartbeat.
    qint64 clockOffsetMs() const { return m_clockOffsetMs; }
    // Starts from a known offset (e.g. the last one measured).
    void setClockOffsetMs(qint64 offsetMs) { m_clockOffsetMs = offsetMs; }

signals:
    void onlineChanged(bool online);

private:
    // retried: this is the one new attempt after a stale_request refusal (clock corrected).
    void send(const QByteArray &method, const QString &pathAndQuery, const QByteArray &body,
              int timeoutMs, bool sign, const QByteArray &ifNoneMatch, ReplyHandler handler, bool retried = false);
    void setOnline(bool online);
    // Takes the hub's clock from an answer that left at sentAtMs and arrived now (kiosk clock).
    void observeHubTime(const QByteArray &hubTime, qint64 sentAtMs);
    // The time to sign the next request with: corrected, and strictly increasing.
    qint64 signingTime();

    QNetworkAccessManager *m_network;
    QList<QSslCertificate> m_trustedCa; // empty: the system CAs
    DeviceCredentials m_credentials;
    trust::Key m_deviceKey;
    QByteArray m_deviceKeyFingerprint;
    int m_lookupTimeoutMs = 1500;
    int m_requestTimeoutMs = 30000;
    bool m_online = false;
    qint64 m_clockOffsetMs = 0;
    qint64 m_lastSignedMs = 0;
};

} // namespace hcp::sync

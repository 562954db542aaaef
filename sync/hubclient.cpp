// SPDX-License-Identifier: Apache-2.0
#include "hubclient.h"

#include "deviceidentity.h"
#include "wire.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <QSslConfiguration>
#include <QTimer>

Q_LOGGING_CATEGORY(lcHubClient, "hcp.sync.hubclient")

namespace hcp::sync {

QJsonObject HubReply::json() const
{
    return QJsonDocument::fromJson(body).object();
}

QJsonObject HeartbeatInfo::toJson() const
{
    QJsonArray acked;
    for (qint64 id : ackedCommands)
        acked.append(id);
    QJsonObject o{
        {QStringLiteral("version"), version},
        {QStringLiteral("queueDepth"), queueDepth},
        {QStringLiteral("oldestUnsentAgeS"), oldestUnsentAgeS},
        {QStringLiteral("quarantined"), quarantined},
        {QStringLiteral("kioskTimeMs"), kioskTimeMs ? kioskTimeMs : QDateTime::currentMSecsSinceEpoch()},
        {QStringLiteral("clockOffsetMs"), clockOffsetMs},
        {QStringLiteral("disk"), QJsonObject{{QStringLiteral("freeBytes"), diskFreeBytes},
                                             {QStringLiteral("totalBytes"), diskTotalBytes},
                                             {QStringLiteral("low"), diskLow}}},
        {QStringLiteral("deviceStatus"), deviceStatus},
        {QStringLiteral("ackedCommands"), acked},
    };
    if (!config.isEmpty())
        o.insert(QStringLiteral("config"), config);
    if (!update.isEmpty())
        o.insert(QStringLiteral("update"), update);
    if (!ledgerHead.isEmpty())
        o.insert(QStringLiteral("ledgerHead"), ledgerHead);
    if (!tpm.isEmpty())
        o.insert(QStringLiteral("tpm"), tpm);
    return o;
}

HubClient::HubClient(QObject *parent)
    : QObject(parent)
    , m_network(new QNetworkAccessManager(this))
{
}

HubClient::~HubClient() = default;

void HubClient::setCredentials(const DeviceCredentials &credentials)
{
    m_credentials = credentials;
}

bool HubClient::setTrustedCaPem(const QByteArray &pem)
{
    const QList<QSslCertificate> certificates = QSslCertificate::fromData(pem, QSsl::Pem);
    if (certificates.isEmpty())
        return false;
    m_trustedCa = certificates;
    return true;
}

void HubClient::setDeviceKey(const trust::Key &key)
{
    m_deviceKey = key;
    m_deviceKeyFingerprint = trust::DeviceIdentity::fingerprintOf(key).toLatin1();
}

void HubClient::setOnline(bool online)
{
    if (m_online == online)
        return;
    m_online = online;
    emit onlineChanged(online);
}

qint64 HubClient::signingTime()
{
    m_lastSignedMs = qMax(QDateTime::currentMSecsSinceEpoch() + m_clockOffsetMs, m_lastSignedMs + 1);
    return m_lastSignedMs;
}

void HubClient::observeHubTime(const QByteArray &hubTime, qint64 sentAtMs)
{
    bool ok = false;
    const qint64 hub = hubTime.toLongLong(&ok);
    if (!ok || hub <= 0)
        return;
    const qint64 arrived = QDateTime::currentMSecsSinceEpoch();
    // The hub read its clock about halfway through the exchange.
    const qint64 offset = hub - (sentAtMs + (arrived - sentAtMs) / 2);
    // Round trips jitter; follow only a real difference.
    if (qAbs(offset - m_clockOffsetMs) < 2000)
        return;
    qCWarning(lcHubClient) << "kiosk clock is" << -offset / 1000.0 << "s off the hub's; signing with the hub's time";
    m_clockOffsetMs = offset;
}

void HubClient::send(const QByteArray &method, const QString &pathAndQuery, const QByteArray &body,
                     int timeoutMs, bool sign, const QByteArray &ifNoneMatch, ReplyHandler handler, bool retried)
{
    QUrl base = m_credentials.hubUrl;
    const QUrl url = base.resolved(QUrl(pathAndQuery));
    QNetworkRequest request(url);
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    if (!m_trustedCa.isEmpty() && url.scheme() == QLatin1String("https")) {
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setCaCertificates(m_trustedCa);
        tls.setProtocol(QSsl::TlsV1_2OrLater);
        request.setSslConfiguration(tls);
    }
    if (!body.isEmpty() || method == "POST" || method == "PUT")
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    if (!ifNoneMatch.isEmpty())
        request.setRawHeader("If-None-Match", ifNoneMatch);
    if (sign) {
        const qint64 now = signingTime();
        const QByteArray target = url.toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority);
        request.setRawHeader("X-HCP-Device", m_credentials.deviceId.toUtf8());
        request.setRawHeader("X-HCP-Time", QByteArray::number(now));
        if (!m_deviceKey.isNull()) {
            const auto signature = trust::Crypto::sign(
                m_deviceKey, trust::DeviceIdentity::requestSigningInput(method, target, now, body));
            request.setRawHeader("X-HCP-Key", m_deviceKeyFingerprint);
            request.setRawHeader("X-HCP-Signature", signature.value_or(QByteArray()).toBase64());
        } else {
            request.setRawHeader("X-HCP-Signature",
                                 wire::requestSignature(m_credentials.secret, method, target, now, body));
        }
    }
    const qint64 sentAt = QDateTime::currentMSecsSinceEpoch();
    QNetworkReply *reply = m_network->sendCustomRequest(request, method, body);
    auto timedOut = std::make_shared<bool>(false);
    auto *timer = new QTimer(reply);
    timer->setSingleShot(true);
    connect(timer, &QTimer::timeout, reply, [reply, timedOut] {
        *timedOut = true;
        reply->abort();
    });
    timer->start(timeoutMs);
    connect(reply, &QNetworkReply::finished, this, [=, this] {
        reply->deleteLater();
        observeHubTime(reply->rawHeader("X-HCP-Hub-Time"), sentAt);
        HubReply r;
        r.timedOut = *timedOut;
        const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
        const bool transportError = reply->error() != QNetworkReply::NoError && !status.isValid();
        // A response cut short (Content-Length not reached) or aborted counts as no response.
        const bool cutShort = reply->error() == QNetworkReply::RemoteHostClosedError
            || reply->error() == QNetworkReply::OperationCanceledError
            || reply->error() == QNetworkReply::ProtocolFailure;
        if (transportError || cutShort || r.timedOut) {
            r.status = 0;
            r.errorString = r.timedOut ? QStringLiteral("timeout") : reply->errorString();
        } else {
            r.status = status.toInt();
            r.body = reply->readAll();
            r.etag = reply->rawHeader("ETag");
            r.errorString = reply->error() == QNetworkReply::NoError ? QString() : reply->errorString();
        }
        // Signed outside the hub's replay window: the clock is corrected now, so once more.
        if (sign && !retried && r.status == 401
            && r.json().value(QLatin1String("error")).toString() == QLatin1String("stale_request")) {
            send(method, pathAndQuery, body, timeoutMs, sign, ifNoneMatch, handler, true);
            return;
        }
        setOnline(r.status > 0 && r.status < 500);
        qCDebug(lcHubClient) << reply->url().path() << "->" << r.status << r.errorString;
        handler(r);
    });
}

void HubClient::enroll(const QString &enrollToken, const QString &deviceId, const QString &hallCode,
                       const QString &deviceClass, const QString &version,
                       std::function<void(bool, const DeviceCredentials &, const QString &)> handler)
{
    const QJsonObject request{
        {QStringLiteral("enrollToken"), enrollToken},
        {QStringLiteral("deviceId"), deviceId},
        {QStringLiteral("hallCode"), hallCode},
        {QStringLiteral("deviceClass"), deviceClass},
        {QStringLiteral("version"), version},
    };
    QJsonObject withKey = request;
    if (!m_deviceKey.isNull())
        withKey.insert(QStringLiteral("devicePublicKey"), QString::fromLatin1(m_deviceKey.publicPem()));
    const QUrl hub = m_credentials.hubUrl;
    const QString fingerprint = QString::fromLatin1(m_deviceKeyFingerprint);
    send("POST", QStringLiteral("/v1/enroll"), QJsonDocument(withKey).toJson(QJsonDocument::Compact),
         m_requestTimeoutMs, false, {}, [handler, hub, fingerprint](const HubReply &r) {
             if (r.status != 201) {
                 // 202 "pending": a re-enrollment waiting for an admin's approval (PROTOCOL §3b);
                 // the same call with the same key completes it once approved.
                 const QString reason = r.status == 0 ? r.errorString
                     : r.status == 202
                     ? QStringLiteral("202 pending: re-enrollment waits for an admin's approval")
                     : QStringLiteral("%1 %2").arg(r.status).arg(r.json().value(QLatin1String("error")).toString());
                 handler(false, {}, reason);
                 return;
             }
             DeviceCredentials c = DeviceCredentials::fromJson(r.json());
             c.hubUrl = hub;
             c.deviceKeyFingerprint = fingerprint;
             handler(c.isValid(), c, c.isValid() ? QString() : QStringLiteral("incomplete enrollment response"));
         });
}

void HubClient::uploadBatch(const QByteArray &body, ReplyHandler handler)
{
    send("POST", QStringLiteral("/v1/evaluations/batch"), body, m_requestTimeoutMs, true, {},
         std::move(handler));
}

void HubClient::uploadAudit(const QByteArray &body, ReplyHandler handler)
{
    send("POST", QStringLiteral("/v1/audit"), body, m_requestTimeoutMs, true, {}, std::move(handler));
}

void HubClient::lookupCases(const QUrlQuery &query, ReplyHandler handler)
{
    send("GET", QStringLiteral("/v1/cases/lookup?") + query.toString(QUrl::FullyEncoded), {},
         m_lookupTimeoutMs, true, {}, std::move(handler));
}

void HubClient::hashIdNumber(const QString &idNumber, std::function<void(const QString &, int)> handler)
{
    const QByteArray body = QJsonDocument(QJsonObject{{QStringLiteral("idNumber"), idNumber.trimmed().toUpper()}})
                                .toJson(QJsonDocument::Compact);
    send("POST", QStringLiteral("/v1/idhash"), body, m_lookupTimeoutMs, true, {},
         [handler = std::move(handler)](const HubReply &r) {
             const QString hash = r.status == 200 ? r.json().value(QLatin1String("certKeyHash")).toString() : QString();
             handler(hash, r.status);
         });
}

void HubClient::pullCaseFeed(qint64 cursor, int limit, ReplyHandler handler)
{
    send("GET", QStringLiteral("/v1/cases/feed?cursor=%1&limit=%2").arg(cursor).arg(limit), {},
         m_requestTimeoutMs, true, {}, std::move(handler));
}

void HubClient::pullConfig(const QByteArray &etag, ReplyHandler handler)
{
    send("GET", QStringLiteral("/v1/config"), {}, m_requestTimeoutMs, true, etag, std::move(handler));
}

void HubClient::sendHeartbeat(const HeartbeatInfo &info, ReplyHandler handler)
{
    HeartbeatInfo withOffset = info;
    withOffset.clockOffsetMs = m_clockOffsetMs;
    send("POST", QStringLiteral("/v1/heartbeat"),
         QJsonDocument(withOffset.toJson()).toJson(QJsonDocument::Compact), m_requestTimeoutMs, true, {},
         std::move(handler));
}

void HubClient::fetchRectifications(const QString &projectNo, ReplyHandler handler)
{
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("projectNo"), projectNo);
    send("GET", QStringLiteral("/v1/rectifications?") + q.toString(QUrl::FullyEncoded), {}, m_lookupTimeoutMs, true,
         {}, std::move(handler));
}

void HubClient::fetchPublicFigures(const QString &hallCode, ReplyHandler handler)
{
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("hall"), hallCode);
    send("GET", QStringLiteral("/public/figures?") + q.toString(QUrl::FullyEncoded), {}, m_lookupTimeoutMs, true,
         {}, std::move(handler));
}

void HubClient::reportWitness(const trust::ReceiptWitness &witness, ReplyHandler handler)
{
    const QJsonObject body{{QStringLiteral("deviceId"), witness.deviceId},
                           {QStringLiteral("deviceSeq"), qint64(witness.deviceSeq)},
                           {QStringLiteral("uuid"), witness.uuid},
                           {QStringLiteral("signature"), witness.signatureText()}};
    send("POST", QStringLiteral("/v1/receipts/witness"), QJsonDocument(body).toJson(QJsonDocument::Compact),
         m_lookupTimeoutMs, true, {}, std::move(handler));
}

void HubClient::pollCommands(const QList<qint64> &acked, ReplyHandler handler)
{
    QJsonArray ids;
    for (qint64 id : acked)
        ids.append(id);
    send("POST", QStringLiteral("/v1/commands/poll"),
         QJsonDocument(QJsonObject{{QStringLiteral("ackedCommands"), ids}}).toJson(QJsonDocument::Compact),
         m_requestTimeoutMs, true, {}, std::move(handler));
}

} // namespace hcp::sync

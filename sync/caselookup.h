// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QJsonArray>
#include <QObject>

namespace hcp::sync {

class CaseCache;
class HubClient;

// Finds a citizen's cases: online at the hub with a short deadline (HubClient::lookupTimeoutMs),
// falling back to the local CaseCache when the hub is slow, unreachable or failing. The hub's
// "not found" is authoritative. Every call returns a ticket that the result signal repeats.
// Plain ID numbers are hashed by the hub at once (POST /v1/idhash, PROTOCOL §5a; the kiosk holds
// no key) and never kept; without the hub there is no card lookup.
class CaseLookup : public QObject
{
    Q_OBJECT
public:
    enum class Source { Hub, Cache };
    Q_ENUM(Source)

    CaseLookup(HubClient *client, CaseCache *cache, QObject *parent = nullptr);

    int lookupByProjectNo(const QString &projectNo, const QString &userName);
    int lookupByQr(const QString &qrPayload);
    int lookupByIdNumber(const QString &idNumber);

signals:
    void casesFound(int ticket, const QJsonArray &cases, hcp::sync::CaseLookup::Source source);
    // message is user-visible (Chinese, through tr()).
    void notFound(int ticket, const QString &message);

private:
    enum class Kind { ProjectNo, Qr, CertKeyHash };
    // ticket < 0: a new one.
    int start(Kind kind, const QString &a, const QString &b, int ticket = -1);
    void fromCache(int ticket, Kind kind, const QString &a, const QString &b);

    HubClient *m_client;
    CaseCache *m_cache;
    int m_nextTicket = 1;
};

} // namespace hcp::sync

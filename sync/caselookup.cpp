// SPDX-License-Identifier: Apache-2.0
#include "caselookup.h"

#include "casecache.h"
#include "hubclient.h"
#include "wire.h"

#include <QLoggingCategory>
#include <QPointer>
#include <QTimer>
#include <QUrlQuery>

Q_LOGGING_CATEGORY(lcCaseLookup, "hcp.sync.caselookup")

namespace hcp::sync {

CaseLookup::CaseLookup(HubClient *client, CaseCache *cache, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_cache(cache)
{
}

int CaseLookup::lookupByProjectNo(const QString &projectNo, const QString &userName)
{
    return start(Kind::ProjectNo, projectNo.trimmed(), userName.trimmed());
}

int CaseLookup::lookupByQr(const QString &qrPayload)
{
    return start(Kind::Qr, qrPayload, {});
}

int CaseLookup::lookupByIdNumber(const QString &idNumber)
{
    // The hub hashes (PROTOCOL §5a): the kiosk holds no key. Without an answer there is no
    // hash, and no card lookup (neither at the hub nor in the cache).
    const int ticket = m_nextTicket++;
    m_client->hashIdNumber(idNumber, [self = QPointer<CaseLookup>(this), ticket](const QString &hash, int) {
        if (!self)
            return;
        if (hash.isEmpty()) {
            emit self->notFound(ticket, tr("暂时无法按身份证查询，请输入办件编号和姓名，或扫描回执上的二维码"));
            return;
        }
        self->start(Kind::CertKeyHash, hash, {}, ticket);
    });
    return ticket;
}

int CaseLookup::start(Kind kind, const QString &a, const QString &b, int ticket)
{
    if (ticket < 0)
        ticket = m_nextTicket++;
    if (kind == Kind::Qr && wire::projectNoFromQr(a).isEmpty()) {
        QTimer::singleShot(0, this, [this, ticket] {
            emit notFound(ticket, tr("无法识别该二维码，请出示办件回执上的二维码"));
        });
        return ticket;
    }
    if (!m_client->credentials().isValid()) {
        QTimer::singleShot(0, this, [this, ticket, kind, a, b] { fromCache(ticket, kind, a, b); });
        return ticket;
    }
    QUrlQuery query;
    switch (kind) {
    case Kind::ProjectNo:
        query.addQueryItem(QStringLiteral("projectNo"), a);
        query.addQueryItem(QStringLiteral("name"), b);
        break;
    case Kind::Qr:
        query.addQueryItem(QStringLiteral("qr"), a);
        break;
    case Kind::CertKeyHash:
        query.addQueryItem(QStringLiteral("certKeyHash"), a);
        break;
    }
    QPointer<CaseLookup> self(this);
    m_client->lookupCases(query, [self, ticket, kind, a, b](const HubReply &r) {
        if (!self)
            return;
        if (r.isHttp(200)) {
            const QJsonArray cases = r.json().value(QLatin1String("cases")).toArray();
            if (!cases.isEmpty()) {
                self->m_cache->upsert(cases);
                emit self->casesFound(ticket, cases, Source::Hub);
                return;
            }
        }
        if (r.isHttp(404)) {
            emit self->notFound(ticket, self->tr("未找到您的办件，请核对办件编号和姓名，或咨询窗口工作人员"));
            return;
        }
        qCInfo(lcCaseLookup) << "hub lookup unavailable (" << r.status << r.errorString
                             << "), using the case cache";
        self->fromCache(ticket, kind, a, b);
    });
    return ticket;
}

void CaseLookup::fromCache(int ticket, Kind kind, const QString &a, const QString &b)
{
    QJsonArray cases;
    switch (kind) {
    case Kind::ProjectNo:
        cases = m_cache->findByProjectNo(a, b);
        break;
    case Kind::Qr:
        // A QR proves possession of the receipt, so the name is not asked for.
        cases = m_cache->findByProjectNoOnly(wire::projectNoFromQr(a));
        break;
    case Kind::CertKeyHash:
        cases = m_cache->findByCertKeyHash(a.toLatin1());
        break;
    }
    if (cases.isEmpty())
        emit notFound(ticket, tr("暂时无法连接服务中心，本机也未找到您的办件，请稍后再试或咨询窗口工作人员"));
    else
        emit casesFound(ticket, cases, Source::Cache);
}

} // namespace hcp::sync

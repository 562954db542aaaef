// SPDX-License-Identifier: Apache-2.0
#include "syncstatus.h"

#include "hubclient.h"
#include "outboxsender.h"

namespace hcp::sync {

SyncStatus::SyncStatus(QObject *parent)
    : QObject(parent)
{
}

void SyncStatus::bind(OutboxSender *sender, HubClient *client)
{
    if (sender) {
        connect(sender, &OutboxSender::queueChanged, this, &SyncStatus::setQueue);
        connect(sender, &OutboxSender::lastSuccessChanged, this, &SyncStatus::setLastSuccess);
        connect(sender, &OutboxSender::enabledChanged, this, &SyncStatus::setSyncEnabled);
        setSyncEnabled(sender->isEnabled());
    }
    if (client) {
        connect(client, &HubClient::onlineChanged, this, &SyncStatus::setOnline);
        setOnline(client->isOnline());
    }
}

void SyncStatus::setOnline(bool online)
{
    if (m_online == online)
        return;
    m_online = online;
    emit onlineChanged();
}

void SyncStatus::setQueue(qint64 queued, qint64 oldestUnsentAgeS, qint64 quarantined)
{
    if (m_queued == queued && m_oldestAgeS == oldestUnsentAgeS && m_quarantined == quarantined)
        return;
    m_queued = queued;
    m_oldestAgeS = oldestUnsentAgeS;
    m_quarantined = quarantined;
    emit queueChanged();
}

void SyncStatus::setLastSuccess(const QDateTime &when)
{
    if (m_lastSuccess == when)
        return;
    m_lastSuccess = when;
    emit lastSuccessChanged();
}

void SyncStatus::setSyncEnabled(bool enabled)
{
    if (m_enabled == enabled)
        return;
    m_enabled = enabled;
    emit syncEnabledChanged();
}

} // namespace hcp::sync

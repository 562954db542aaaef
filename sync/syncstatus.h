// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <climits>

#include <QDateTime>
#include <QObject>

namespace hcp::sync {

class HubClient;
class OutboxSender;

// Read-only sync state for QML (registered as a singleton by the kiosk, not here: this library
// knows nothing of QML). Updated from the sender's and the client's signals on their thread;
// lives on the GUI thread (queued connections when the sender runs on a worker).
class SyncStatus : public QObject
{
    Q_OBJECT
    Q_PROPERTY(bool online READ online NOTIFY onlineChanged)
    Q_PROPERTY(int queuedCount READ queuedCountForQml NOTIFY queueChanged)
    Q_PROPERTY(int oldestUnsentAgeS READ oldestUnsentAgeSForQml NOTIFY queueChanged)
    Q_PROPERTY(int quarantinedCount READ quarantinedCountForQml NOTIFY queueChanged)
    Q_PROPERTY(QDateTime lastSuccess READ lastSuccess NOTIFY lastSuccessChanged)
    Q_PROPERTY(bool syncEnabled READ syncEnabled NOTIFY syncEnabledChanged)
public:
    explicit SyncStatus(QObject *parent = nullptr);

    // Follows the sender's queue/acks and the client's reachability. Either may be null.
    void bind(OutboxSender *sender, HubClient *client);

    bool online() const { return m_online; }
    qint64 queuedCount() const { return m_queued; }
    qint64 oldestUnsentAgeS() const { return m_oldestAgeS; }
    qint64 quarantinedCount() const { return m_quarantined; }
    // QML sees ints (Qt 6.4's QML type system has no qlonglong); counts beyond 2^31 saturate.
    int queuedCountForQml() const { return int(qMin<qint64>(m_queued, INT_MAX)); }
    int oldestUnsentAgeSForQml() const { return int(qMin<qint64>(m_oldestAgeS, INT_MAX)); }
    int quarantinedCountForQml() const { return int(qMin<qint64>(m_quarantined, INT_MAX)); }
    QDateTime lastSuccess() const { return m_lastSuccess; }
    bool syncEnabled() const { return m_enabled; }

public slots:
    void setOnline(bool online);
    void setQueue(qint64 queued, qint64 oldestUnsentAgeS, qint64 quarantined);
    void setLastSuccess(const QDateTime &when);
    void setSyncEnabled(bool enabled);

signals:
    void onlineChanged();
    void queueChanged();
    void lastSuccessChanged();
    void syncEnabledChanged();

private:
    bool m_online = false;
    qint64 m_queued = 0;
    qint64 m_oldestAgeS = 0;
    qint64 m_quarantined = 0;
    QDateTime m_lastSuccess;
    bool m_enabled = true;
};

} // namespace hcp::sync

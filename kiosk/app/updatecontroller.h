// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QJsonObject>
#include <QObject>
#include <QString>
#include <QUrl>

namespace hcp::updater {
class UpdateAgent;
}

namespace hcp::kiosk {

// The kiosk's side of remote software updates: turns the hub's "update" command into an
// UpdateAgent download/install, decides when the running version is healthy, and reports the
// update state for the heartbeat and the maintenance screen.
//
// Command (PROTOCOL §8): {"type":"update","args":{"version","url","size","sha256","deadlineS"}}.
// url may be absolute or a path on the hub (GET /v1/bundles/<name>); it is resolved against
// hubUrl. The signed bundle manifest is what is trusted; "version" must equal the manifest's
// version (checked once the install is done: a mismatch is reported), "deadlineS" becomes the
// trial deadline of the new version.
//
// Health: the running version is marked healthy (UpdateAgent::markHealthy, committing a trial)
// only after BOTH readySent() (systemd READY, first frame) and syncSucceeded() (the first
// successful exchange with the hub) in this process; otherwise the agent rolls back at the
// deadline or on a crash loop.
//
// Heartbeat "update": {"state","version","active","slot","error"} with state one of
// idle|downloading|installing|trial|healthy|rolled_back|rejected; "version" is the version the
// state is about (being downloaded/installed, refused, rolled back from, or the active one),
// "active"/"slot" what runs now.
// Same thread as the agent. The agent is not owned.
class UpdateController : public QObject
{
    Q_OBJECT
    Q_PROPERTY(QString state READ state NOTIFY changed)
    Q_PROPERTY(QString summary READ summary NOTIFY changed)
public:
    UpdateController(hcp::updater::UpdateAgent *agent, const QUrl &hubUrl, QObject *parent = nullptr);

    // Returns false with *error for a malformed command (nothing started).
    bool handleCommand(const QJsonObject &args, QString *error = nullptr);

    void readySent();
    void syncSucceeded();

    QString state() const;
    QJsonObject heartbeatStatus() const;
    // One line for the maintenance screen.
    QString summary() const;

signals:
    void changed();
    // The active slot changed (installed or rolled back): the process must exit so systemd
    // starts `current` again.
    void restartRequested();

private:
    void maybeHealthy();

    hcp::updater::UpdateAgent *m_agent;
    QUrl m_hubUrl;
    QString m_expectedVersion;
    QString m_error;           // last failure of this process (download/refusal), "code: message"
    bool m_failedNow = false;  // m_error belongs to the latest command
    bool m_ready = false;
    bool m_synced = false;
};

} // namespace hcp::kiosk

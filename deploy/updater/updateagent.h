// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "bundledownloader.h"
#include "slotstore.h"
#include "updateconfig.h"

#include <QJsonObject>
#include <QObject>
#include <QTimer>
#include <QUrl>

#include <functional>
#include <memory>

class QNetworkAccessManager;
class QThread;

namespace hcp::updater {

// The kiosk's update agent: download (resumable) → verify → install into the inactive slot →
// switch → trial → commit on markHealthy(), or automatic rollback on deadline / crash loop.
// Composition (kiosk/main.cpp):
//   agent.open(); agent.boot();              // once per process start, before the UI
//   on READY + first successful sync:        agent.markHealthy();
//   heartbeat body:                          "update": agent.status()
//   hub command {"type":"update","args":{"url":…}}: agent.installFromUrl(url)
//   on restartRequested():                   exit so systemd (Restart=always) starts `current`
// Lives on one thread (the one of its QNetworkAccessManager). Not thread-safe. A downloaded
// bundle is installed on a short-lived worker thread with its own SlotStore; meanwhile
// isBusy() is true and markHealthy()/rollback() refuse (there is no trial while installing).
class UpdateAgent : public QObject
{
    Q_OBJECT
public:
    explicit UpdateAgent(const UpdateConfig &config, QNetworkAccessManager *nam = nullptr,
                         QObject *parent = nullptr);
    ~UpdateAgent() override;

    // Test seam: milliseconds since the epoch (default: QDateTime::currentMSecsSinceEpoch).
    void setClock(std::function<qint64()> nowMs);

    // Trial length of the next install (the hub's "deadlineS"); default from UpdateConfig.
    void setTrialSeconds(qint64 seconds) { m_config.trialSeconds = seconds; }

    bool open(QString *error = nullptr);
    // Counts this start in a trial and rolls back on a crash loop or an expired deadline;
    // arms the deadline timer. Returns true if it rolled back (restartRequested is emitted).
    bool boot();
    // Application healthy (READY sent and one sync succeeded): commits a trial. Idempotent.
    void markHealthy();
    UpdateError rollback(const QString &reason);
    // Synchronous install of a local bundle file. Emits installed + restartRequested on success.
    UpdateError installFile(const QString &bundlePath);
    // Asynchronous: download into root/download/, then verify and install on a worker thread
    // (hashing and fsync-ing a large bundle would otherwise stall the UI past the systemd
    // watchdog). Result via installed/failed. The .part file is removed afterwards.
    void installFromUrl(const QUrl &url);
    bool isBusy() const;

    // For the heartbeat: SlotStore::status() plus "download": {url, bytes, total} while one runs.
    QJsonObject status() const;
    const SlotStore &store() const { return m_store; }
    const BundleDownloader *downloader() const { return m_downloader.get(); }

signals:
    void downloadProgress(qint64 bytes, qint64 total);
    void installed(const QString &version);  // switched; trial running
    void failed(const QString &code, const QString &message);
    void committed(const QString &version);
    void rolledBack(const QString &fromVersion, const QString &reason);
    void restartRequested(); // `current` changed: the running binaries are not the active slot
    void statusChanged();

private:
    void armDeadline();
    void onDeadline();
    void afterRollback(const QString &fromVersion);
    void installInBackground(const QString &bundlePath);
    qint64 now() const { return m_clock(); }

    UpdateConfig m_config;
    QNetworkAccessManager *m_nam;
    std::unique_ptr<QNetworkAccessManager> m_ownNam;
    SlotStore m_store;
    std::unique_ptr<BundleDownloader> m_downloader;
    std::function<qint64()> m_clock;
    QTimer m_deadlineTimer;
    QUrl m_downloadUrl;
    QThread *m_installThread = nullptr; // owns nothing of ours; joined in the destructor
};

} // namespace hcp::updater

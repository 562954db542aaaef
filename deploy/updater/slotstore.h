// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "bundle.h"

#include <QJsonObject>
#include <QString>

#include <optional>

namespace hcp::updater {

// The A/B layout under one root directory and its persisted state:
//
//   root/slots/a/, root/slots/b/      complete installs; each holds .hcp-slot (the signed header)
//   root/current  -> slots/<x>        what the service runs (ExecStart=root/current/bin/...)
//   root/previous -> slots/<y>        the slot a rollback returns to (absent when none)
//   root/state.json                   SlotState, replaced atomically (tmp, fsync, rename, fsync dir)
//
// Every mutation is ordered so that a power cut or SIGKILL at any instant leaves `current`
// pointing at a complete, verified slot; open() finishes or abandons whatever was interrupted.
// Synchronous; use one thread per SlotStore. Processes (the kiosk's agent, the CLI) serialise
// on an flock of root/.lock held for the duration of each mutating call; each call first
// re-reads the state and repairs what a killed holder left behind.
class SlotStore
{
public:
    struct State
    {
        QString phase = QStringLiteral("empty"); // empty | committed | trial | switching
        QString slot;                            // "a" / "b" (what current should point to)
        QString version;
        QString floor;            // highest version ever committed (anti-downgrade)
        QString previousSlot;     // rollback target, empty when none
        QString previousVersion;
        qint64 trialStartedMs = 0;
        qint64 trialDeadlineMs = 0;
        int bootCount = 0;        // starts counted during the trial
        QString switchTarget;     // phase "switching" only
        QString switchVersion;
        QJsonObject lastResult;   // {action, version, result, reason, atMs}

        QJsonObject toJson() const;
        static State fromJson(const QJsonObject &o);
    };

    SlotStore(const QString &root, const TrustPolicy &policy);

    // Creates the layout if missing, loads state.json, and resolves any interrupted install,
    // switch or rollback. Must succeed before any other call.
    bool open(qint64 nowMs, QString *error);

    // Verifies the bundle completely (signature, class, size, every SHA-256, version policy),
    // writes it into the inactive slot with fsyncs, switches `current` and starts a trial that
    // ends at nowMs + trialMs. On a fresh layout the first install is committed at once.
    UpdateError install(const QString &bundlePath, qint64 nowMs, qint64 trialMs);

    // Trial → committed; raises the floor. No-op (true) when not in a trial.
    bool markHealthy(qint64 nowMs, QString *error = nullptr);
    // Switches back to the previous slot; state records "rolled back from V: reason".
    UpdateError rollback(const QString &reason, qint64 nowMs);
    // Once per service start: counts the start during a trial and rolls back when the count
    // exceeds maxTrialBoots (crash loop) or the deadline has passed. Returns true if it rolled
    // back (the caller must then run the other slot: restart).
    bool boot(qint64 nowMs, int maxTrialBoots, QString *error = nullptr);
    // Rolls back when a trial's deadline has passed. Returns true if it rolled back.
    bool checkDeadline(qint64 nowMs, QString *error = nullptr);

    // Re-verifies a slot from its own .hcp-slot header: signature, and every file's size and
    // SHA-256, no extra or missing files, no symlinks.
    std::optional<Manifest> verifySlot(const QString &slot, UpdateError *error) const;

    QString currentSlot() const;  // from the symlink; empty if none
    const State &state() const { return m_state; }
    QString root() const { return m_root; }
    QString slotPath(const QString &slot) const;
    // Status for the heartbeat (see common/update/BUNDLE.md "Status").
    QJsonObject status() const;

    static constexpr const char *kMarkerName = ".hcp-slot";

private:
    class Locker;
    friend class Locker;
    bool recoverLocked(qint64 nowMs, QString *error);
    bool saveState(QString *error);
    bool finishSwitch(qint64 nowMs, QString *error);
    bool finishRollback(const QString &fromVersion, const QString &reason, qint64 nowMs,
                        QString *error);
    bool extract(const QString &bundlePath, const BundleHeader &header, const QString &dir,
                 UpdateError *error);
    void setResult(const QString &action, const QString &version, const QString &result,
                   const QString &reason, qint64 nowMs);

    QString m_root;
    TrustPolicy m_policy;
    State m_state;
    int m_lockFd = -1;
    int m_lockDepth = 0;
};

} // namespace hcp::updater

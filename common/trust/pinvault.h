// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>

#include <functional>

namespace hcp::trust {

// Lockout policy of PinVault (namespace scope so it can be a default argument).
struct PinPolicy
{
    int freeAttempts = 3;           // failures allowed before any delay
    qint64 baseDelayMs = 30'000;    // delay after failure freeAttempts + 1
    qint64 maxDelayMs = 3'600'000;  // the delay doubles per further failure up to this
};

// The maintenance PIN. The PIN itself is never stored: the signed configuration carries
// its encoded hash ("pbkdf2-sha256$<iterations>$<salt base64>$<hash base64>", 16-byte salt,
// 32-byte hash) and PinVault checks attempts against it with growing delays after
// failures. Failure state survives restarts in a 0600 state file, so power-cycling the
// kiosk does not reset the lockout.
//
// Timing: Clock returns Unix epoch milliseconds (wall clock by default; tests inject one).
// A wall clock set backwards lengthens a lockout, but never beyond Policy::maxDelayMs from
// the time it is noticed; set forwards it shortens it.
// Not thread-safe: use from one thread (the GUI thread).
class PinVault
{
public:
    using Clock = std::function<qint64()>;

    using Policy = PinPolicy;

    enum class Outcome {
        Accepted,      // PIN correct; failure count reset
        Rejected,      // PIN wrong; see retryAfterMs for the lockout that now applies
        LockedOut,     // not checked at all: a lockout is running
        NotConfigured, // no PIN hash set: maintenance access is closed
    };

    struct Attempt
    {
        Outcome outcome = Outcome::NotConfigured;
        qint64 retryAfterMs = 0;     // 0 = may try again now
        int consecutiveFailures = 0;
    };

    static constexpr int kDefaultIterations = 200'000;

    // Encodes a new PIN hash with a fresh random salt (used by the hub/provisioning tools).
    static QString hashPin(const QString &pin, int iterations = kDefaultIterations);
    static bool isValidEncoding(const QString &encoded);
    // Delay that applies after `failures` consecutive failures under policy.
    static qint64 delayAfterFailures(int failures, const Policy &policy);

    // statePath empty = failure state lives in memory only.
    explicit PinVault(QString statePath = {}, Clock clock = {}, Policy policy = {});

    // From the signed configuration. A malformed encoding is refused and leaves the
    // vault closed (NotConfigured).
    bool setPinHash(const QString &encoded);
    bool isConfigured() const { return !m_hash.isEmpty(); }

    Attempt tryPin(const QString &pin);
    qint64 remainingLockoutMs() const;
    int consecutiveFailures() const { return m_failures; }

private:
    void loadState();
    void saveState() const;

    QString m_statePath;
    Clock m_clock;
    Policy m_policy;
    int m_iterations = 0;
    QByteArray m_salt;
    QByteArray m_hash;
    int m_failures = 0;
    qint64 m_lockedUntilMs = 0;
};

} // namespace hcp::trust

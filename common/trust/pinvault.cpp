// SPDX-License-Identifier: Apache-2.0
#include "pinvault.h"

#include "crypto.h"

#include <QDateTime>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QStringList>

Q_LOGGING_CATEGORY(lcPin, "hcp.trust.pin")

namespace hcp::trust {

namespace {

constexpr int kMinIterations = 1'000;
constexpr int kMaxIterations = 10'000'000;

struct Decoded
{
    int iterations = 0;
    QByteArray salt;
    QByteArray hash;
};

std::optional<Decoded> decode(const QString &encoded)
{
    const QStringList parts = encoded.split(QLatin1Char('$'));
    if (parts.size() != 4 || parts[0] != QLatin1String("pbkdf2-sha256"))
        return std::nullopt;
    bool ok = false;
    const int iterations = parts[1].toInt(&ok);
    if (!ok || iterations < kMinIterations || iterations > kMaxIterations)
        return std::nullopt;
    auto salt = QByteArray::fromBase64Encoding(parts[2].toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    auto hash = QByteArray::fromBase64Encoding(parts[3].toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    if (!salt || !hash || salt.decoded.size() < 16 || hash.decoded.size() != 32)
        return std::nullopt;
    return Decoded{iterations, salt.decoded, hash.decoded};
}

} // namespace

QString PinVault::hashPin(const QString &pin, int iterations)
{
    iterations = qBound(kMinIterations, iterations, kMaxIterations);
    const QByteArray salt = Crypto::randomBytes(16);
    const QByteArray hash = Crypto::pbkdf2Sha256(pin.toUtf8(), salt, iterations, 32);
    if (salt.size() != 16 || hash.size() != 32)
        return {};
    return QStringLiteral("pbkdf2-sha256$%1$%2$%3")
        .arg(iterations)
        .arg(QString::fromLatin1(salt.toBase64()), QString::fromLatin1(hash.toBase64()));
}

bool PinVault::isValidEncoding(const QString &encoded)
{
    return decode(encoded).has_value();
}

qint64 PinVault::delayAfterFailures(int failures, const Policy &policy)
{
    if (failures <= policy.freeAttempts)
        return 0;
    qint64 delay = policy.baseDelayMs;
    for (int i = policy.freeAttempts + 1; i < failures && delay < policy.maxDelayMs; ++i)
        delay *= 2;
    return qMin(delay, policy.maxDelayMs);
}

PinVault::PinVault(QString statePath, Clock clock, Policy policy)
    : m_statePath(std::move(statePath))
    , m_clock(clock ? std::move(clock) : Clock([] { return QDateTime::currentMSecsSinceEpoch(); }))
    , m_policy(policy)
{
    loadState();
}

bool PinVault::setPinHash(const QString &encoded)
{
    const auto d = decode(encoded);
    if (!d) {
        qCWarning(lcPin) << "refusing malformed PIN hash; maintenance access stays closed";
        m_iterations = 0;
        m_salt.clear();
        m_hash.clear();
        return false;
    }
    m_iterations = d->iterations;
    m_salt = d->salt;
    m_hash = d->hash;
    return true;
}

qint64 PinVault::remainingLockoutMs() const
{
    // Never more than the longest delay: a clock set far backwards (dead RTC battery) must
    // not lock maintenance staff out for years.
    return qBound<qint64>(0, m_lockedUntilMs - m_clock(), m_policy.maxDelayMs);
}

PinVault::Attempt PinVault::tryPin(const QString &pin)
{
    if (!isConfigured())
        return {Outcome::NotConfigured, 0, m_failures};
    if (const qint64 now = m_clock(); m_lockedUntilMs - now > m_policy.maxDelayMs) {
        // The clock went backwards: re-anchor the running lockout at the current time.
        m_lockedUntilMs = now + delayAfterFailures(m_failures, m_policy);
        saveState();
    }
    if (const qint64 wait = remainingLockoutMs(); wait > 0)
        return {Outcome::LockedOut, wait, m_failures};

    const QByteArray candidate = Crypto::pbkdf2Sha256(pin.toUtf8(), m_salt, m_iterations, 32);
    if (candidate.size() == 32 && Crypto::constantTimeEquals(candidate, m_hash)) {
        m_failures = 0;
        m_lockedUntilMs = 0;
        saveState();
        qCInfo(lcPin) << "maintenance PIN accepted";
        return {Outcome::Accepted, 0, 0};
    }
    ++m_failures;
    const qint64 delay = delayAfterFailures(m_failures, m_policy);
    m_lockedUntilMs = delay > 0 ? m_clock() + delay : 0;
    saveState();
    qCWarning(lcPin) << "maintenance PIN rejected; consecutive failures" << m_failures
                     << "lockout ms" << delay;
    return {Outcome::Rejected, delay, m_failures};
}

void PinVault::loadState()
{
    if (m_statePath.isEmpty())
        return;
    QFile file(m_statePath);
    if (!file.exists())
        return;
    if (!file.open(QIODevice::ReadOnly)) {
        // Unreadable state must not reopen brute force: assume the free attempts are used.
        m_failures = m_policy.freeAttempts;
        return;
    }
    const QJsonObject o = QJsonDocument::fromJson(file.read(4096)).object();
    const QJsonValue failures = o.value(QLatin1String("failures"));
    const QJsonValue until = o.value(QLatin1String("lockedUntilMs"));
    if (!failures.isDouble() || !until.isDouble() || failures.toInt(-1) < 0) {
        qCWarning(lcPin) << "PIN state file is corrupt; assuming the free attempts are used";
        m_failures = m_policy.freeAttempts;
        return;
    }
    m_failures = failures.toInt();
    m_lockedUntilMs = qint64(until.toDouble());
}

void PinVault::saveState() const
{
    if (m_statePath.isEmpty())
        return;
    const QJsonObject o{{QStringLiteral("failures"), m_failures},
                        {QStringLiteral("lockedUntilMs"), double(m_lockedUntilMs)}};
    QString error;
    if (!Crypto::writePrivateFile(m_statePath, QJsonDocument(o).toJson(QJsonDocument::Compact), true, &error))
        qCWarning(lcPin).noquote() << "cannot persist PIN lockout state:" << error;
}

} // namespace hcp::trust

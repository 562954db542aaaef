// SPDX-License-Identifier: Apache-2.0
// FleetStore: fleet console users (PBKDF2 passwords, lockout) and sessions.
#include "fleetstore.h"

#include "crypto.h"
#include "pinvault.h"

#include <QDateTime>
#include <QSqlQuery>

namespace hcp::sync::hub {

namespace {

using hcp::trust::Crypto;

constexpr int kPasswordIterations = 200'000;

// "pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>" (the PinVault encoding).
bool hashMatches(const QString &encoded, const QString &password)
{
    const QStringList parts = encoded.split(QLatin1Char('$'));
    if (parts.size() != 4 || parts.at(0) != QLatin1String("pbkdf2-sha256"))
        return false;
    const int iterations = parts.at(1).toInt();
    const QByteArray salt = QByteArray::fromBase64(parts.at(2).toLatin1());
    const QByteArray hash = QByteArray::fromBase64(parts.at(3).toLatin1());
    if (iterations < 1 || salt.isEmpty() || hash.isEmpty())
        return false;
    const QByteArray got = Crypto::pbkdf2Sha256(password.toUtf8(), salt, iterations, int(hash.size()));
    return Crypto::constantTimeEquals(got, hash);
}

QString tokenHash(const QByteArray &token)
{
    return QString::fromLatin1(Crypto::sha256(token).toHex());
}

} // namespace

// ---- users and sessions ----

bool FleetStore::setUser(const QString &name, Role role, const QString &password, QString *error)
{
    QSqlQuery q(m_store->database());
    q.prepare(QStringLiteral("INSERT INTO console_users (name, password_hash, role, created_at) VALUES (?, ?, ?, ?) "
                             "ON CONFLICT (name) DO UPDATE SET password_hash = excluded.password_hash, "
                             "role = excluded.role, failures = 0, locked_until = 0"));
    q.addBindValue(name);
    q.addBindValue(hcp::trust::PinVault::hashPin(password, kPasswordIterations));
    q.addBindValue(roleName(role));
    q.addBindValue(QDateTime::currentMSecsSinceEpoch());
    if (!exec(q, error))
        return false;
    // A changed password or role ends the user's sessions.
    QSqlQuery d(m_store->database());
    d.prepare(QStringLiteral("DELETE FROM console_sessions WHERE user_name = ?"));
    d.addBindValue(name);
    return exec(d, error);
}

FleetStore::Credential FleetStore::credential(const QString &name)
{
    Credential c;
    QSqlQuery q(m_store->database());
    q.prepare(QStringLiteral("SELECT password_hash, role, failures, locked_until FROM console_users WHERE name = ?"));
    q.addBindValue(name);
    if (!exec(q) || !q.next())
        return c;
    c.exists = true;
    c.encoded = q.value(0).toString();
    c.role = roleFromString(q.value(1).toString());
    c.failures = q.value(2).toInt();
    c.lockedUntil = q.value(3).toLongLong();
    return c;
}

bool FleetStore::passwordMatches(const Credential &credential, const QString &password)
{
    if (!credential.exists) {
        // Same work as a real check, so response time does not tell which names exist.
        hashMatches(
            QStringLiteral("pbkdf2-sha256$%1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")
                .arg(kPasswordIterations),
            password);
        return false;
    }
    return hashMatches(credential.encoded, password);
}

std::optional<FleetStore::Role> FleetStore::checkPassword(const QString &name, const QString &password)
{
    const Credential c = credential(name);
    if (c.exists && c.lockedUntil > QDateTime::currentMSecsSinceEpoch())
        return std::nullopt;
    return recordLogin(name, c, passwordMatches(c, password));
}

std::optional<FleetStore::Role> FleetStore::recordLogin(const QString &name, const Credential &c, bool matched)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (!c.exists)
        return std::nullopt;
    const auto role = c.role;
    const int failures = c.failures;
    QSqlQuery u(m_store->database());
    if (matched && role) {
        u.prepare(QStringLiteral("UPDATE console_users SET failures = 0, locked_until = 0 WHERE name = ?"));
        u.addBindValue(name);
        exec(u);
        return role;
    }
    // Five free attempts, then a lockout of 1 min doubling per further failure, at most 1 h.
    const int next = failures + 1;
    const qint64 lock = next < 5 ? 0 : now + qMin<qint64>(3'600'000, 60'000LL << qMin(next - 5, 6));
    u.prepare(QStringLiteral("UPDATE console_users SET failures = ?, locked_until = ? WHERE name = ?"));
    u.addBindValue(next);
    u.addBindValue(lock);
    u.addBindValue(name);
    exec(u);
    return std::nullopt;
}

QByteArray FleetStore::createSession(const QString &user, Role role, qint64 ttlMs)
{
    const QByteArray token = Crypto::randomBytes(32).toHex();
    if (token.size() != 64)
        return {};
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QSqlQuery q(m_store->database());
    q.prepare(QStringLiteral("DELETE FROM console_sessions WHERE expires_at < ?"));
    q.addBindValue(now);
    exec(q);
    q.prepare(QStringLiteral("INSERT INTO console_sessions (token_hash, user_name, role, created_at, expires_at) "
                             "VALUES (?, ?, ?, ?, ?)"));
    q.addBindValue(tokenHash(token));
    q.addBindValue(user);
    q.addBindValue(roleName(role));
    q.addBindValue(now);
    q.addBindValue(now + ttlMs);
    return exec(q) ? token : QByteArray();
}

std::optional<FleetStore::Session> FleetStore::session(const QByteArray &token, qint64 nowMs)
{
    if (token.size() != 64)
        return std::nullopt;
    QSqlQuery q(m_store->database());
    q.prepare(QStringLiteral("SELECT user_name, role, expires_at FROM console_sessions WHERE token_hash = ?"));
    q.addBindValue(tokenHash(token));
    if (!exec(q) || !q.next() || q.value(2).toLongLong() < nowMs)
        return std::nullopt;
    const auto role = roleFromString(q.value(1).toString());
    if (!role)
        return std::nullopt;
    return Session{q.value(0).toString(), *role, q.value(2).toLongLong()};
}

void FleetStore::deleteSession(const QByteArray &token)
{
    QSqlQuery q(m_store->database());
    q.prepare(QStringLiteral("DELETE FROM console_sessions WHERE token_hash = ?"));
    q.addBindValue(tokenHash(token));
    exec(q);
}

} // namespace hcp::sync::hub

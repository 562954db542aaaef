// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QSqlDatabase>
#include <QString>

namespace hcp::sync::hub::guard {

// One-time enrollment tokens (PROTOCOL §3): made by `hcp-hub add-enroll-token HALL --ttl 24h`
// for a hall the hub knows, stored as SHA-256 only, good for one enrollment into that hall
// until they expire.
class EnrollTokens
{
public:
    enum class Claim { Claimed, Unknown, Expired, Used, WrongHall, Failed };

    explicit EnrollTokens(QSqlDatabase db) : m_db(std::move(db)) {}
    bool ensureSchema(QString *error);

    // A hall the hub knows: one its cases, configuration scopes ("hall:<code>") or devices name.
    bool hallKnown(const QString &hallCode);
    // The new token (48 hex characters), empty on failure (*error).
    QString create(const QString &hallCode, qint64 ttlMs, QString *error);
    // Uses the token for deviceId; *hallCode is the token's hall (the body's hallCode must match
    // it when given). Atomic: a token is claimed once.
    Claim claim(const QString &token, const QString &requestedHall, const QString &deviceId, QString *hallCode);
    // Gives a claimed token back (the enrollment it was claimed for failed).
    void release(const QString &token);

private:
    QSqlDatabase m_db;
};

} // namespace hcp::sync::hub::guard

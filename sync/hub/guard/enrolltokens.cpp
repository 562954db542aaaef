// SPDX-License-Identifier: Apache-2.0
#include "enrolltokens.h"

#include "crypto.h"

#include <QDateTime>
#include <QSqlError>
#include <QSqlQuery>

namespace hcp::sync::hub::guard {

namespace {

QString hashOf(const QString &token)
{
    return QString::fromLatin1(trust::Crypto::sha256(token.trimmed().toUtf8()).toHex());
}

} // namespace

bool EnrollTokens::ensureSchema(QString *error)
{
    QSqlQuery q(m_db);
    if (q.exec(QStringLiteral("CREATE TABLE IF NOT EXISTS enroll_tokens (token_hash TEXT PRIMARY KEY, "
                              "hall_code TEXT NOT NULL, created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL, "
                              "used_at BIGINT, used_by TEXT)")))
        return true;
    if (error)
        *error = q.lastError().text();
    return false;
}

bool EnrollTokens::hallKnown(const QString &hallCode)
{
    if (hallCode.isEmpty())
        return false;
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT 1 FROM cases WHERE hall_code = ? UNION ALL "
                             "SELECT 1 FROM config_versions WHERE scope = ? UNION ALL "
                             "SELECT 1 FROM devices WHERE hall_code = ? LIMIT 1"));
    q.addBindValue(hallCode);
    q.addBindValue(QStringLiteral("hall:") + hallCode);
    q.addBindValue(hallCode);
    return q.exec() && q.next();
}

QString EnrollTokens::create(const QString &hallCode, qint64 ttlMs, QString *error)
{
    if (!hallKnown(hallCode)) {
        *error = QStringLiteral("hall %1 is unknown here: import its cases or publish its configuration first").arg(hallCode);
        return {};
    }
    const QByteArray random = trust::Crypto::randomBytes(24);
    if (random.size() != 24) {
        *error = QStringLiteral("no random bytes");
        return {};
    }
    const QString token = QString::fromLatin1(random.toHex());
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("INSERT INTO enroll_tokens (token_hash, hall_code, created_at, expires_at) VALUES (?, ?, ?, ?)"));
    q.addBindValue(hashOf(token));
    q.addBindValue(hallCode);
    q.addBindValue(now);
    q.addBindValue(now + ttlMs);
    if (!q.exec()) {
        *error = q.lastError().text();
        return {};
    }
    return token;
}

EnrollTokens::Claim EnrollTokens::claim(const QString &token, const QString &requestedHall, const QString &deviceId,
                                        QString *hallCode)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT hall_code, expires_at, used_at FROM enroll_tokens WHERE token_hash = ?"));
    q.addBindValue(hashOf(token));
    if (!q.exec())
        return Claim::Failed;
    if (!q.next())
        return Claim::Unknown;
    *hallCode = q.value(0).toString();
    const qint64 expiresAt = q.value(1).toLongLong();
    const bool used = !q.value(2).isNull();
    q.finish();
    if (used)
        return Claim::Used;
    if (expiresAt <= now)
        return Claim::Expired;
    if (!requestedHall.isEmpty() && requestedHall != *hallCode)
        return Claim::WrongHall;
    QSqlQuery u(m_db);
    u.prepare(QStringLiteral("UPDATE enroll_tokens SET used_at = ?, used_by = ? WHERE token_hash = ? AND used_at IS NULL"));
    u.addBindValue(now);
    u.addBindValue(deviceId);
    u.addBindValue(hashOf(token));
    if (!u.exec())
        return Claim::Failed;
    return u.numRowsAffected() == 1 ? Claim::Claimed : Claim::Used;
}

void EnrollTokens::release(const QString &token)
{
    QSqlQuery u(m_db);
    u.prepare(QStringLiteral("UPDATE enroll_tokens SET used_at = NULL, used_by = NULL WHERE token_hash = ?"));
    u.addBindValue(hashOf(token));
    u.exec();
}

} // namespace hcp::sync::hub::guard

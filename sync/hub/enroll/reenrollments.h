// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QString>

#include <optional>

class QHttpServerRequest;
class QHttpServerResponse;

namespace hcp::sync::hub {

class HubServer;
class HubStore;
class LedgerCheck;

namespace enrollment {

// Re-enrollment of a known device id with a new key needs an admin's approval (PROTOCOL §3b).
// The first /v1/enroll with the new key files a pending request (202, alert
// `reenroll-requested`); the console (admin role) or the admin API approves or rejects it,
// recorded with who decided and when; the next /v1/enroll with the approved key completes it:
// the key and the shared secret are replaced, the old key's ledger chains are archived under
// "reenrolled:<requestId>:<chain>" and the device starts a new chain. The old key is refused from
// then on. Uses the HubStore's connection and thread.
class ReEnrollments
{
public:
    ReEnrollments(HubStore *store, LedgerCheck *ledger);

    static bool ensureSchema(QSqlDatabase &db, bool postgres, QString *error);

    // Registers GET/POST /console/api/reenrollments[/<id>/approve|reject] and GET/POST
    // /v1/admin/reenrollments on the server.
    void install(HubServer &server);

    enum class Outcome {
        Pending,   // filed now or earlier, waiting for a decision (202)
        Rejected,  // an admin refused this key (403)
        Completed, // approved: key and secret replaced now, *secret holds the new one (201)
        Failed,    // database error
    };
    // A /v1/enroll of an enrolled device with a key other than its enrolled one.
    Outcome request(const QString &deviceId, const QByteArray &publicKeyPem, const QString &fingerprint,
                    const QString &hallCode, QByteArray *secret, qint64 *requestId);

    // pending → approved | rejected by user. Returns the HTTP status: 200, 404 (no such
    // request), 409 (already decided), 500.
    int decide(qint64 id, bool approve, const QString &user, QString *message);
    // Requests, newest first; state empty = all.
    QJsonArray list(const QString &state);

    QString lastError() const { return m_lastError; }

private:
    QHttpServerResponse console(const QString &user, bool admin, bool viewer, const QStringList &parts,
                                const QHttpServerRequest &request);
    bool complete(qint64 id, const QString &deviceId, const QByteArray &publicKeyPem, const QString &fingerprint,
                  QByteArray *secret);

    HubStore *m_store;
    LedgerCheck *m_ledger;
    QString m_lastError;
};

} // namespace enrollment
} // namespace hcp::sync::hub

// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "crypto.h"
#include "devicecredentials.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QSqlDatabase>
#include <QString>
#include <QUrl>

#include <memory>

// Test support for the sync tests: the real hcp-hub as a child process on loopback, plus
// synthetic evaluations and kiosk outbox databases. Blocking helpers spin a local event loop;
// they are for tests only.
namespace hcp::trust {
class LedgerBuilder;
}

namespace hcp::sync::test {

inline constexpr char kEnrollToken[] = "test-enroll-token";
inline constexpr char kAdminToken[] = "test-admin-token";
inline constexpr char kHall[] = "110105000000";

class HubProcess
{
public:
    HubProcess() = default;
    ~HubProcess();

    // Starts hcp-hub on 127.0.0.1:port (0 = any free port) over dbSpec; waits until it listens.
    bool start(const QString &dbSpec, quint16 port = 0, const QStringList &extraArgs = {});
    // SIGKILL, like a crash or a power cut of the hub machine.
    void kill();
    bool restart() { return start(m_dbSpec, m_port, m_extraArgs); }
    bool isRunning() const { return m_process && m_process->state() == QProcess::Running; }

    quint16 port() const { return m_port; }
    qint64 pid() const { return m_process ? m_process->processId() : 0; }
    QUrl url() const { return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_port)); }
    QString output() const { return m_output; }
    // What the hub wrote to stderr since the last call (its log).
    QString takeLog() { return m_process ? QString::fromUtf8(m_process->readAllStandardError()) : QString(); }

private:
    std::unique_ptr<QProcess> m_process;
    QString m_dbSpec;
    quint16 m_port = 0;
    QStringList m_extraArgs;
    QString m_output;
};

QString hubBinary();

// Blocking HTTP for tests. Returns the HTTP status (0 = no response); body in *body.
// *responseHeaders, when given, receives the response's raw headers.
int httpRequest(const QUrl &url, const QByteArray &method, const QByteArray &body = {},
                QByteArray *responseBody = nullptr,
                const QList<QPair<QByteArray, QByteArray>> &headers = {}, int timeoutMs = 10000,
                QList<QPair<QByteArray, QByteArray>> *responseHeaders = nullptr);
QJsonObject adminGet(const QUrl &hub, const QString &pathAndQuery);
int adminSend(const QUrl &hub, const QByteArray &method, const QString &path, const QJsonObject &body,
              QJsonObject *response = nullptr);

// Enrolls deviceId at the hub with kEnrollToken; returns invalid credentials on failure.
DeviceCredentials enroll(const QUrl &hub, const QString &deviceId, const QString &hallCode = QLatin1String(kHall));
// Same, registering deviceKey's public key: the device must then sign with that key
// (HubClient::setDeviceKey) and its batches are ledger-checked.
DeviceCredentials enrollWithKey(const QUrl &hub, const QString &deviceId, const trust::Key &deviceKey,
                                const QString &hallCode = QLatin1String(kHall));

// A valid evaluation wire object (PROTOCOL §4); satisfaction 5 unless given.
QJsonObject makeEvaluation(qint64 seq, const QString &uuid, int satisfaction = 5);
QString uuidFor(const QString &tag, qint64 seq);

// Creates the outbox schema in a fresh SQLite file (WAL) and enqueues seqs [from, to] in one
// transaction, like the kiosk Store does (one transaction per evaluation there; batched here
// only to save time).
bool createKioskDb(const QString &path);
// With a ledger builder, each evaluation's signed ledger entry is written in the same
// transaction, as the kiosk's commit hook does (signatures on).
// The record enqueueRange() queues for tag and seq (a service event of that tag's own).
QJsonObject queuedEvaluation(const QString &tag, qint64 seq);
bool enqueueRange(const QString &path, qint64 from, qint64 to, const QString &tag,
                  const trust::LedgerBuilder *ledger = nullptr);
// Every tamper alert the hub holds (GET /v1/admin/tamper).
QJsonArray tamperAlerts(const QUrl &hub);

struct OutboxSnapshot
{
    qint64 queued = 0, sending = 0, acked = 0, quarantined = 0;
};
OutboxSnapshot outboxSnapshot(const QString &path);

// The JSON example marked "<!-- example: NAME -->" in sync/PROTOCOL.md (empty if missing), so
// the documented examples are the tested ones.
QJsonObject protocolExample(const QString &name);

// All evaluations stored at the hub (admin API, paged).
QJsonArray hubEvaluations(const QUrl &hub, const QString &deviceId = {});

// A request signed as the device with its key (PROTOCOL §2) at timeMs; status, body in *out,
// the base64 signature sent in *signatureOut.
int signedRequest(const QUrl &hub, const DeviceCredentials &creds, const trust::Key &key, const QByteArray &method,
                  const QString &target, qint64 timeMs, const QByteArray &body = {}, QByteArray *out = nullptr,
                  QByteArray *signatureOut = nullptr);

// The hub's keyed hash of idNumber (POST /v1/idhash, PROTOCOL §5a) asked as the device of creds
// (with key when given) through the real HubClient; empty when refused.
QString hubIdHash(const DeviceCredentials &creds, const QString &idNumber, const trust::Key &key = {});

// CPU seconds (user + system) a process (or, with tid, one of its threads) has used so far, from
// /proc (the benchmarks' meter).
double processCpuSeconds(qint64 pid, qint64 tid = 0);

} // namespace hcp::sync::test

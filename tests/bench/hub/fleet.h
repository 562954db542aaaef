// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "httpload.h"

#include "crypto.h"
#include "ledgerentry.h"

#include <QElapsedTimer>
#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QStringList>
#include <QTimer>

#include <memory>
#include <queue>
#include <vector>

// Simulated kiosks for hcp-bench-hub: each has its own SM2 device key, enrolls at the real hub
// and signs every request the way HubClient does (DeviceIdentity::requestSigningInput +
// Crypto::sign, PROTOCOL §2); batches carry a real ledger entry and signed head (LedgerBuilder)
// and a certKeyEnc for the hub's key, heartbeats the signed head, as a kiosk sends them.
namespace hcp::bench {

enum Kind { Heartbeat, Batch, Poll, Lookup, Config, Feed, Command, KindCount };
const char *kindName(Kind kind);

struct Device
{
    QString id;
    bool pad = false;
    trust::Key key;
    QByteArray fingerprint;
    trust::LedgerHead head;
    qint64 seq = 0;
    QJsonObject signedHead;
    QList<qint64> acked;
    QByteArray configEtag;
    bool busy = false;
};

// Latencies (ms) and failures of one kind in one measurement window.
struct Stats
{
    std::vector<double> ms;
    qint64 failed = 0;
    double quantile(double q) const;
    qint64 ok() const { return qint64(ms.size()); }
};

// The resident set (or its peak) of a process in kB, from /proc; this process's CPU seconds.
qint64 processRssKb(qint64 pid, bool peak = false);
double selfCpuS();

class Fleet : public QObject
{
public:
    Fleet(QString host, quint16 port, QString hall, QString lookupProjectNo, QString lookupName, QObject *parent = nullptr);

    // Enrolls devices until there are n (every 5th a terminal, the others pads), `parallel` at a time.
    bool enrollUpTo(int n, QString *error);
    // Distinct applicants (encrypted ID numbers) the ratings cycle through; before the first batch.
    void setApplicants(int count) { m_applicantCount = count; }
    int size() const { return int(m_devices.size()); }

    // Every device in [from, to) sends one batch and one heartbeat (not measured), `parallel`
    // at a time: a fleet in service is known to the hub (key parsed, ledger under way).
    bool prime(int from, int to, int parallel, QString *error);

    // Closed loop: devices [0, n) each on its own connection send `kind` back to back for
    // durationMs; answers arriving after warmupMs count.
    Stats closedLoop(Kind kind, int n, int durationMs, int warmupMs);

    // Open loop: the fleet mix of devices [0, k) at their per-device rates over `connections`
    // connections for durationMs; samples after warmupMs count; a command is posted to a pad
    // every commandEveryMs and its delivery (the poll answer naming it) timed.
    std::vector<Stats> openLoop(int k, int connections, int durationMs, int warmupMs, int commandEveryMs);

    // The signed heartbeat request of device i as bytes (for the floor's same-size request).
    QByteArray heartbeatRequest(int i);

private:
    struct Pending
    {
        int device;
        Kind kind;
        qint64 dueMs; // when the device meant to send (open loop: latency counts from here)
    };
    QByteArray buildRequest(Device &d, Kind kind, std::function<void(const HttpAnswer &)> *onOk);
    QByteArray sign(Device &d, const QByteArray &method, const QByteArray &target, const QByteArray &body,
                    const QList<QPair<QByteArray, QByteArray>> &extra = {});
    HttpConnection *connection(int i);
    void noteDelivered(const QJsonObject &answer, Device &d);
    static bool answerOk(Kind kind, int status);
    QString applicantCipher();

    QString m_host;
    quint16 m_port;
    QByteArray m_hostHeader;
    QString m_hall;
    QString m_lookupProjectNo;
    QString m_lookupName;
    QByteArray m_hubPublicKey;
    QStringList m_applicants;
    int m_applicantCount = 2000;
    int m_nextApplicant = 0;
    std::vector<std::unique_ptr<Device>> m_devices;
    std::vector<HttpConnection *> m_connections;
    QElapsedTimer m_clock;
    // Commands posted and not yet seen in a poll answer: id -> posted at (m_clock ms).
    QHash<qint64, qint64> m_commandsInFlight;
    Stats *m_commandStats = nullptr;
    qint64 m_measureFromMs = 0;
};

} // namespace hcp::bench

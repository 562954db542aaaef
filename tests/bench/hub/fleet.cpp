// SPDX-License-Identifier: Apache-2.0
#include "fleet.h"

#include "hubclient.h"
#include "hubprocess.h"
#include "wire.h"

#include "deviceidentity.h"
#include "ledgerbuilder.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QUrl>
#include <QUrlQuery>

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>

namespace hcp::bench {

namespace {

// A synthetic 18-character 公民身份号码 (valid check digit), one per applicant.
QString idNumber(int applicant)
{
    QString id = QStringLiteral("11010519%1%2").arg(60 + applicant / 100000 % 40, 2, 10, QLatin1Char('0'))
                     .arg(applicant % 100000 + 101000, 6, 10, QLatin1Char('0')).left(17);
    static const int weights[] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    int sum = 0;
    for (int i = 0; i < 17; ++i)
        sum += (id.at(i).unicode() - '0') * weights[i];
    return id + QLatin1Char("10X98765432"[sum % 11]);
}

// Per-device periods of the fleet mix (hub-load.md): heartbeat and config every 900 s, case
// feed every 300 s, pad poll every 2 s, 50 ratings an hour at peak (a terminal looks the case
// up before each rating).
constexpr qint64 kHeartbeatPeriodMs = 900'000;
constexpr qint64 kConfigPeriodMs = 900'000;
constexpr qint64 kFeedPeriodMs = 300'000;
constexpr qint64 kPollPeriodMs = 2'000;
constexpr qint64 kRatingPeriodMs = 72'000;

QByteArray compact(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

} // namespace

const char *kindName(Kind kind)
{
    static const char *const names[] = {"heartbeat", "batch", "poll", "lookup", "config", "feed", "command"};
    return names[kind];
}

double Stats::quantile(double q) const
{
    if (ms.empty())
        return 0;
    std::vector<double> sorted = ms;
    const size_t k = std::min(sorted.size() - 1, size_t(std::ceil(q * double(sorted.size())) - 1));
    std::nth_element(sorted.begin(), sorted.begin() + qsizetype(k), sorted.end());
    return sorted[k];
}

qint64 processRssKb(qint64 pid, bool peak)
{
    QFile f(QStringLiteral("/proc/%1/status").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray key = peak ? "VmHWM:" : "VmRSS:";
    for (const QByteArray &line : f.readAll().split('\n'))
        if (line.startsWith(key))
            return line.mid(key.size()).trimmed().split(' ').value(0).toLongLong();
    return 0;
}

double selfCpuS()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

Fleet::Fleet(QString host, quint16 port, QString hall, QString lookupProjectNo, QString lookupName, QObject *parent)
    : QObject(parent)
    , m_host(std::move(host))
    , m_port(port)
    , m_hostHeader((m_host + QLatin1Char(':') + QString::number(port)).toLatin1())
    , m_hall(std::move(hall))
    , m_lookupProjectNo(std::move(lookupProjectNo))
    , m_lookupName(std::move(lookupName))
{
    m_clock.start();
}

HttpConnection *Fleet::connection(int i)
{
    while (int(m_connections.size()) <= i)
        m_connections.push_back(new HttpConnection(m_host, m_port, this));
    return m_connections[size_t(i)];
}

bool Fleet::enrollUpTo(int n, QString *error)
{
    constexpr int parallel = 16;
    int next = int(m_devices.size());
    int running = 0;
    bool failed = false;
    QEventLoop loop;
    std::function<void(int)> start = [&](int slot) {
        if (failed || next >= n) {
            if (running == 0)
                loop.quit();
            return;
        }
        auto d = std::make_unique<Device>();
        const int index = next++;
        d->id = QStringLiteral("BENCH-%1").arg(index + 1, 5, 10, QLatin1Char('0'));
        d->pad = index % 5 != 0;
        d->key = trust::Key::generate(trust::KeyType::Sm2);
        d->fingerprint = trust::DeviceIdentity::fingerprintOf(d->key).toLatin1();
        const QJsonObject body{{QStringLiteral("enrollToken"), QLatin1String(sync::test::kEnrollToken)},
                               {QStringLiteral("deviceId"), d->id},
                               {QStringLiteral("hallCode"), m_hall},
                               {QStringLiteral("deviceClass"), d->pad ? QStringLiteral("pad") : QStringLiteral("terminal")},
                               {QStringLiteral("version"), QStringLiteral("1.0.0")},
                               {QStringLiteral("devicePublicKey"), QString::fromLatin1(d->key.publicPem())}};
        Device *raw = d.get();
        m_devices.push_back(std::move(d));
        ++running;
        connection(slot)->send(httpRequest("POST", "/v1/enroll", m_hostHeader, {}, compact(body)),
                               [&, raw, slot](const HttpAnswer &a) {
                                   --running;
                                   const QJsonObject o = QJsonDocument::fromJson(a.body).object();
                                   if (a.status != 201) {
                                       *error = QStringLiteral("enroll %1: HTTP %2 %3").arg(raw->id).arg(a.status)
                                                    .arg(QString::fromUtf8(a.body));
                                       failed = true;
                                   } else {
                                       if (m_hubPublicKey.isEmpty())
                                           m_hubPublicKey = o.value(QLatin1String("hubPublicKey")).toString().toLatin1();
                                   }
                                   start(slot);
                               });
    };
    for (int slot = 0; slot < parallel; ++slot)
        start(slot);
    if (running > 0)
        loop.exec();
    return !failed;
}

QString Fleet::applicantCipher()
{
    // A pool of encrypted ID numbers made once (an SM2 encryption per rating would make the
    // load generator the bottleneck), used round robin: each applicant comes back rarely.
    if (m_applicants.isEmpty()) {
        for (int i = 0; i < m_applicantCount; ++i)
            m_applicants.append(sync::wire::encryptCertKey(m_hubPublicKey, idNumber(i)).value_or(QString()));
    }
    return m_applicants.at(m_nextApplicant++ % m_applicants.size());
}

bool Fleet::prime(int from, int to, int parallel, QString *error)
{
    int next = from;
    int running = 0;
    bool failed = false;
    QEventLoop loop;
    std::function<void(int, int, Kind)> start = [&](int slot, int index, Kind kind) {
        if (index < 0) {
            if (failed || next >= to) {
                if (running == 0)
                    loop.quit();
                return;
            }
            index = next++;
        }
        Device &d = *m_devices[size_t(index)];
        std::function<void(const HttpAnswer &)> onOk;
        const QByteArray request = buildRequest(d, kind, &onOk);
        ++running;
        connection(slot)->send(request, [&, slot, index, kind, onOk](const HttpAnswer &a) {
            --running;
            if (!answerOk(kind, a.status)) {
                *error = QStringLiteral("%1 of %2: HTTP %3 %4").arg(QLatin1String(kindName(kind)), m_devices[size_t(index)]->id)
                             .arg(a.status).arg(QString::fromUtf8(a.body));
                failed = true;
            } else {
                onOk(a);
            }
            if (kind == Batch && !failed)
                start(slot, index, Heartbeat);
            else
                start(slot, -1, Batch);
        });
    };
    for (int slot = 0; slot < parallel && next < to; ++slot)
        start(slot, -1, Batch);
    if (running > 0)
        loop.exec();
    return !failed;
}

QByteArray Fleet::sign(Device &d, const QByteArray &method, const QByteArray &target, const QByteArray &body,
                       const QList<QPair<QByteArray, QByteArray>> &extra)
{
    // Exactly what HubClient::send does for a device with a key (PROTOCOL §2).
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const auto signature = trust::Crypto::sign(d.key, trust::DeviceIdentity::requestSigningInput(method, target, now, body));
    QList<QPair<QByteArray, QByteArray>> headers{{"X-HCP-Device", d.id.toUtf8()},
                                                 {"X-HCP-Time", QByteArray::number(now)},
                                                 {"X-HCP-Key", d.fingerprint},
                                                 {"X-HCP-Signature", signature.value_or(QByteArray()).toBase64()}};
    headers += extra;
    return httpRequest(method, target, m_hostHeader, headers, body);
}

QByteArray Fleet::heartbeatRequest(int i)
{
    std::function<void(const HttpAnswer &)> ignored;
    return buildRequest(*m_devices[size_t(i)], Heartbeat, &ignored);
}

void Fleet::noteDelivered(const QJsonObject &answer, Device &d)
{
    for (const QJsonValue &v : answer.value(QLatin1String("commands")).toArray()) {
        const qint64 id = v.toObject().value(QLatin1String("id")).toInteger();
        if (!d.acked.contains(id))
            d.acked.append(id);
        const auto it = m_commandsInFlight.find(id);
        if (it != m_commandsInFlight.end()) {
            if (m_commandStats && it.value() >= m_measureFromMs)
                m_commandStats->ms.push_back(double(m_clock.elapsed() - it.value()));
            m_commandsInFlight.erase(it);
        }
    }
}

QByteArray Fleet::buildRequest(Device &d, Kind kind, std::function<void(const HttpAnswer &)> *onOk)
{
    Device *dev = &d;
    switch (kind) {
    case Heartbeat: {
        sync::HeartbeatInfo info;
        info.version = QStringLiteral("1.0.0");
        info.diskFreeBytes = qint64(9) << 30;
        info.diskTotalBytes = qint64(16) << 30;
        info.deviceStatus = QJsonObject{{QStringLiteral("idcard"), QStringLiteral("ok")},
                                        {QStringLiteral("printer"), QStringLiteral("ok")}};
        info.ackedCommands = d.acked;
        info.ledgerHead = d.signedHead;
        const int acked = int(d.acked.size());
        *onOk = [this, dev, acked](const HttpAnswer &a) {
            dev->acked.remove(0, qMin(acked, int(dev->acked.size())));
            noteDelivered(QJsonDocument::fromJson(a.body).object(), *dev);
        };
        return sign(d, "POST", "/v1/heartbeat", compact(info.toJson()));
    }
    case Batch: {
        const qint64 seq = d.seq + 1;
        QJsonObject e = sync::test::makeEvaluation(seq, sync::test::uuidFor(d.id, seq));
        // Each rating its own case, applicant and time, as in a hall (the anti-fraud rules
        // look for repeats; a fleet rating one case over and over is another benchmark).
        e.insert(QStringLiteral("projectNo"), QStringLiteral("%1-%2").arg(d.id).arg(seq));
        e.insert(QStringLiteral("assessTime"), QDateTime::currentDateTime().toString(QLatin1String(sync::wire::kTimeFormat)));
        e.insert(QStringLiteral("certKeyEnc"), applicantCipher());
        const trust::LedgerBuilder builder(d.key);
        const auto entry = builder.append(d.head, e.value(QLatin1String("uuid")).toString(),
                                          e.value(QLatin1String("assessTime")).toString(), e);
        const auto head = entry ? builder.signHead(entry->head()) : std::nullopt;
        if (!head)
            qFatal("hcp-bench-hub: cannot build a ledger entry");
        const QJsonObject body{{QStringLiteral("evaluations"), QJsonArray{e}},
                               {QStringLiteral("ledger"), QJsonArray{entry->toJson()}},
                               {QStringLiteral("head"), head->toJson()}};
        const trust::LedgerHead next = entry->head();
        const QJsonObject signedHead = head->toJson();
        *onOk = [dev, seq, next, signedHead](const HttpAnswer &) {
            dev->seq = seq;
            dev->head = next;
            dev->signedHead = signedHead;
        };
        return sign(d, "POST", "/v1/evaluations/batch", compact(body));
    }
    case Poll: {
        QJsonArray ids;
        for (qint64 id : d.acked)
            ids.append(id);
        const int acked = int(d.acked.size());
        *onOk = [this, dev, acked](const HttpAnswer &a) {
            dev->acked.remove(0, qMin(acked, int(dev->acked.size())));
            noteDelivered(QJsonDocument::fromJson(a.body).object(), *dev);
        };
        return sign(d, "POST", "/v1/commands/poll", compact(QJsonObject{{QStringLiteral("ackedCommands"), ids}}));
    }
    case Lookup: {
        QUrlQuery q;
        q.addQueryItem(QStringLiteral("projectNo"), m_lookupProjectNo);
        q.addQueryItem(QStringLiteral("name"), m_lookupName);
        *onOk = [](const HttpAnswer &) {};
        return sign(d, "GET", "/v1/cases/lookup?" + q.toString(QUrl::FullyEncoded).toLatin1(), {});
    }
    case Config: {
        *onOk = [dev](const HttpAnswer &a) {
            if (!a.etag.isEmpty())
                dev->configEtag = a.etag;
        };
        QList<QPair<QByteArray, QByteArray>> extra;
        if (!d.configEtag.isEmpty())
            extra.append({"If-None-Match", d.configEtag});
        return sign(d, "GET", "/v1/config", {}, extra);
    }
    case Feed:
        *onOk = [](const HttpAnswer &) {};
        return sign(d, "GET", "/v1/cases/feed?cursor=0&limit=100", {});
    case Command:
    case KindCount:
        break;
    }
    return {};
}

bool Fleet::answerOk(Kind kind, int status)
{
    switch (kind) {
    case Lookup:
        return status == 200 || status == 404;
    case Config:
        return status == 200 || status == 304;
    default:
        return status == 200;
    }
}

Stats Fleet::closedLoop(Kind kind, int n, int durationMs, int warmupMs)
{
    Stats stats;
    const qint64 start = m_clock.elapsed();
    const qint64 from = start + warmupMs;
    const qint64 end = start + durationMs;
    int running = 0;
    QEventLoop loop;
    std::function<void(int)> issue = [&](int i) {
        if (m_clock.elapsed() >= end) {
            if (--running == 0)
                loop.quit();
            return;
        }
        Device &d = *m_devices[size_t(i)];
        std::function<void(const HttpAnswer &)> onOk;
        const QByteArray request = buildRequest(d, kind, &onOk);
        const qint64 sent = m_clock.elapsed();
        connection(i)->send(request, [&, i, sent, onOk](const HttpAnswer &a) {
            const qint64 now = m_clock.elapsed();
            const bool ok = answerOk(kind, a.status);
            if (ok)
                onOk(a);
            // Answers that arrive in the window count, however long they waited: at N
            // connections a closed loop's latency is N / throughput.
            if (now >= from && now <= end) {
                if (ok)
                    stats.ms.push_back(double(now - sent));
                else
                    ++stats.failed;
            }
            issue(i);
        });
    };
    running = n;
    for (int i = 0; i < n; ++i)
        issue(i);
    loop.exec();
    return stats;
}

std::vector<Stats> Fleet::openLoop(int k, int connections, int durationMs, int warmupMs, int commandEveryMs)
{
    std::vector<Stats> stats(KindCount);
    const qint64 start = m_clock.elapsed();
    const qint64 end = start + durationMs;
    m_measureFromMs = start + warmupMs;
    m_commandStats = &stats[Command];
    m_commandsInFlight.clear();
    struct Event
    {
        qint64 due;
        qint64 origDue;
        int device;
        Kind kind;
        bool operator>(const Event &o) const { return due > o.due; }
    };
    std::priority_queue<Event, std::vector<Event>, std::greater<Event>> events;
    auto *rng = QRandomGenerator::global();
    auto periodOf = [](Kind kind) {
        switch (kind) {
        case Heartbeat: return kHeartbeatPeriodMs;
        case Config: return kConfigPeriodMs;
        case Feed: return kFeedPeriodMs;
        case Poll: return kPollPeriodMs;
        default: return kRatingPeriodMs;
        }
    };
    for (int i = 0; i < k; ++i) {
        const bool pad = m_devices[size_t(i)]->pad;
        for (Kind kind : {Heartbeat, Config, Feed, Batch, Poll}) {
            if (kind == Poll && !pad)
                continue;
            // Terminals look the case up before each rating (the lookup leads to the batch).
            const Kind first = (kind == Batch && !pad) ? Lookup : kind;
            const qint64 due = start + qint64(rng->bounded(quint32(periodOf(kind))));
            events.push({due, due, i, first});
        }
    }
    std::vector<int> idle;
    for (int c = connections - 1; c >= 0; --c)
        idle.push_back(c);
    std::deque<Event> waiting;
    bool stopping = false;
    int inFlight = 0;
    QEventLoop loop;
    std::function<void(const Event &)> dispatch = [&](const Event &ev) {
        if (idle.empty()) {
            waiting.push_back(ev);
            return;
        }
        const int c = idle.back();
        idle.pop_back();
        Device &d = *m_devices[size_t(ev.device)];
        d.busy = true;
        ++inFlight;
        std::function<void(const HttpAnswer &)> onOk;
        const QByteArray request = buildRequest(d, ev.kind, &onOk);
        connection(c)->send(request, [&, ev, c, onOk](const HttpAnswer &a) {
            --inFlight;
            Device &dev = *m_devices[size_t(ev.device)];
            dev.busy = false;
            const qint64 now = m_clock.elapsed();
            const bool ok = answerOk(ev.kind, a.status);
            if (ok)
                onOk(a);
            if (ev.origDue >= m_measureFromMs && now <= end) {
                if (ok)
                    stats[ev.kind].ms.push_back(double(now - ev.origDue));
                else
                    ++stats[ev.kind].failed;
            }
            idle.push_back(c);
            if (!stopping) {
                if (ev.kind == Lookup) // the rating follows the lookup at once
                    events.push({now, now, ev.device, Batch});
                else {
                    const qint64 period = periodOf(ev.kind);
                    const Kind again = (ev.kind == Batch && !dev.pad) ? Lookup : ev.kind;
                    events.push({ev.origDue + period, ev.origDue + period, ev.device, again});
                }
            }
            if (!waiting.empty()) {
                const Event next = waiting.front();
                waiting.pop_front();
                dispatch(next);
            }
            if (stopping && inFlight == 0)
                loop.quit();
        });
    };
    // Commands for pads, posted through the admin API on a connection of their own.
    HttpConnection admin(m_host, m_port);
    QTimer commandTimer;
    commandTimer.setInterval(commandEveryMs);
    connect(&commandTimer, &QTimer::timeout, this, [&] {
        if (admin.busy() || k < 2)
            return;
        int i = int(rng->bounded(quint32(k)));
        if (!m_devices[size_t(i)]->pad)
            i = (i + 1) % k;
        const QByteArray target = "/v1/admin/devices/" + m_devices[size_t(i)]->id.toUtf8() + "/commands";
        const qint64 postedAt = m_clock.elapsed();
        admin.send(httpRequest("POST", target, m_hostHeader,
                               {{"Authorization", QByteArray("Bearer ") + sync::test::kAdminToken}},
                               compact(QJsonObject{{QStringLiteral("type"), QStringLiteral("test_print")}})),
                   [this, postedAt](const HttpAnswer &a) {
                       if (a.status == 201)
                           m_commandsInFlight.insert(QJsonDocument::fromJson(a.body).object().value(QLatin1String("id")).toInteger(),
                                                     postedAt);
                   });
    });
    QTimer tick;
    tick.setInterval(2);
    connect(&tick, &QTimer::timeout, this, [&] {
        const qint64 now = m_clock.elapsed();
        if (now >= end) {
            stopping = true;
            tick.stop();
            commandTimer.stop();
            if (inFlight == 0)
                loop.quit();
            return;
        }
        while (!events.empty() && events.top().due <= now) {
            Event ev = events.top();
            events.pop();
            if (m_devices[size_t(ev.device)]->busy) { // one request per device at a time
                ev.due = now + 20;
                events.push(ev);
                continue;
            }
            dispatch(ev);
        }
    });
    tick.start();
    commandTimer.start();
    loop.exec();
    // Commands posted in the window and never delivered count as failures.
    for (auto it = m_commandsInFlight.cbegin(); it != m_commandsInFlight.cend(); ++it)
        if (it.value() >= m_measureFromMs && it.value() < end - 2 * kPollPeriodMs)
            ++stats[Command].failed;
    m_commandStats = nullptr;
    return stats;
}

} // namespace hcp::bench

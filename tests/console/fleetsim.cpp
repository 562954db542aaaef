// SPDX-License-Identifier: Apache-2.0
// hcp-fleet-sim: simulates a fleet of kiosks against a real hcp-hub for the console test.
// Each kiosk enrolls (POST /v1/enroll), uploads a few evaluations, then sends a signed
// heartbeat every --interval-ms with version/slot, queue, disk, peripherals, clock and the
// update and config reports of the shared contract; it pulls GET /v1/config, verifies the
// hub's signature with the hubPublicKey from enrollment (the kiosk's rule) and reports the
// accepted version or the rejection reason; "update" commands walk downloading -> installing
// -> trial -> healthy (or rolled_back for --fail-device) on successive beats, after fetching
// the first bytes of the bundle with a Range request. Prints "fleet-sim: ready N" once every
// kiosk has enrolled, beaten and uploaded; runs until killed. Synthetic data only.
#include "configpublisher.h"
#include "hubprocess.h"
#include "wire.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTextStream>
#include <QTimer>
#include <QUuid>

#include <functional>
#include <memory>

using namespace hcp::sync;

namespace {

struct Kiosk
{
    QString id;
    QString hall;
    QByteArray secret;
    hcp::trust::Key hubKey;
    QString version = QStringLiteral("1.0.0");
    QString slot = QStringLiteral("a");
    qint64 driftMs = 0; // the kiosk clock's error
    qint64 offsetMs = 0; // its correction, learned from X-HCP-Hub-Time like HubClient does
    QString printer = QStringLiteral("ok");
    QList<qint64> acked;
    QString updateState = QStringLiteral("idle");
    QString updateVersion;
    QString updateError;
    int updateStep = 0;
    qint64 configVersion = 0;
    QString configRejected;
    QByteArray configEtag;
    int beats = 0;
    bool uploaded = false;
    bool counted = false;
};

class Fleet : public QObject
{
public:
    QNetworkAccessManager nam;
    QUrl hub;
    QString failDevice;
    int evaluationsPerKiosk = 3;
    std::vector<std::unique_ptr<Kiosk>> kiosks;
    int readyCount = 0;
    bool announced = false;

    void request(Kiosk *k, const QByteArray &method, const QString &path, const QByteArray &body,
                 const QList<QPair<QByteArray, QByteArray>> &extra,
                 std::function<void(int, const QByteArray &, QNetworkReply *)> done)
    {
        QNetworkRequest req(hub.resolved(QUrl(path)));
        req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        if (k) {
            const qint64 t = QDateTime::currentMSecsSinceEpoch() + k->driftMs + k->offsetMs;
            req.setRawHeader("X-HCP-Device", k->id.toUtf8());
            req.setRawHeader("X-HCP-Time", QByteArray::number(t));
            req.setRawHeader("X-HCP-Signature",
                             wire::requestSignature(k->secret, method, req.url().toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority),
                                                    t, method == "GET" ? QByteArray() : body));
        }
        for (const auto &h : extra)
            req.setRawHeader(h.first, h.second);
        QNetworkReply *reply = nam.sendCustomRequest(req, method, method == "GET" ? QByteArray() : body);
        connect(reply, &QNetworkReply::finished, this, [this, k, method, path, body, extra, reply, done] {
            // A wrong clock: signed with the hub's time from now on and asked once more (PROTOCOL §2).
            if (k && reply->hasRawHeader("X-HCP-Hub-Time")) {
                const qint64 offset = reply->rawHeader("X-HCP-Hub-Time").toLongLong()
                    - (QDateTime::currentMSecsSinceEpoch() + k->driftMs);
                const bool stale = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 401
                    && qAbs(offset - k->offsetMs) >= 2000;
                if (qAbs(offset - k->offsetMs) >= 2000)
                    k->offsetMs = offset;
                if (stale) {
                    reply->deleteLater();
                    request(k, method, path, body, extra, done);
                    return;
                }
            }
            done(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), reply->readAll(), reply);
            reply->deleteLater();
        });
    }

    void enroll(Kiosk *k, const QString &token, std::function<void()> next)
    {
        const QJsonObject body{{QStringLiteral("enrollToken"), token}, {QStringLiteral("deviceId"), k->id},
                               {QStringLiteral("hallCode"), k->hall}, {QStringLiteral("deviceClass"), QStringLiteral("terminal")},
                               {QStringLiteral("version"), k->version}};
        request(nullptr, "POST", QStringLiteral("/v1/enroll"), QJsonDocument(body).toJson(QJsonDocument::Compact), {},
                [this, k, next](int status, const QByteArray &data, QNetworkReply *) {
                    const QJsonObject o = QJsonDocument::fromJson(data).object();
                    if (status != 201) {
                        QTextStream(stderr) << "fleet-sim: enroll " << k->id << " failed: " << status << ' ' << data << Qt::endl;
                        QCoreApplication::exit(1);
                        return;
                    }
                    k->secret = QByteArray::fromHex(o.value(QLatin1String("deviceSecret")).toString().toLatin1());
                    k->hubKey = hcp::trust::Key::fromPem(o.value(QLatin1String("hubPublicKey")).toString().toLatin1());
                    next();
                });
    }

    void upload(Kiosk *k)
    {
        QJsonArray evaluations;
        const int index = int(std::find_if(kiosks.begin(), kiosks.end(), [k](const auto &p) { return p.get() == k; }) - kiosks.begin());
        for (int i = 1; i <= evaluationsPerKiosk; ++i) {
            // Mostly good ratings; every 7th kiosk's third rating is a 差评 with a reason.
            const int satisfaction = (index % 7 == 0 && i == 3) ? 2 : (index + i) % 5 == 0 ? 3 : (index + i) % 3 == 0 ? 4 : 5;
            QJsonObject e = test::makeEvaluation(i, QUuid::createUuid().toString(QUuid::WithoutBraces), satisfaction);
            e.insert(QStringLiteral("projectNo"), QStringLiteral("SIM%1%2").arg(index, 4, 10, QLatin1Char('0')).arg(i));
            e.insert(QStringLiteral("staffNo"), QStringLiteral("S%1").arg(index % 6 + 1, 3, 10, QLatin1Char('0')));
            // 18-character 统一社会信用代码 (synthetic), as the province requires.
            e.insert(QStringLiteral("deptCode"), QStringLiteral("11110105MB0000000%1").arg(index % 4 + 1));
            evaluations.append(e);
        }
        request(k, "POST", QStringLiteral("/v1/evaluations/batch"),
                QJsonDocument(QJsonObject{{QStringLiteral("evaluations"), evaluations}}).toJson(QJsonDocument::Compact), {},
                [this, k](int status, const QByteArray &data, QNetworkReply *) {
                    if (status != 200) {
                        QTextStream(stderr) << "fleet-sim: upload " << k->id << ": " << status << ' ' << data << Qt::endl;
                        return;
                    }
                    k->uploaded = true;
                    maybeReady(k);
                });
    }

    void pullConfig(Kiosk *k)
    {
        QList<QPair<QByteArray, QByteArray>> h;
        if (!k->configEtag.isEmpty())
            h.append({"If-None-Match", k->configEtag});
        request(k, "GET", QStringLiteral("/v1/config"), {}, h, [k](int status, const QByteArray &data, QNetworkReply *reply) {
            if (status != 200)
                return;
            const QJsonObject envelope = QJsonDocument::fromJson(data).object();
            QString why;
            const qint64 version = envelope.value(QLatin1String("version")).toString().toLongLong();
            if (k->hubKey.isNull())
                why = QStringLiteral("no hub key from enrollment");
            else if (!hcp::sync::hub::ConfigPublisher::verifyEnvelope(envelope, k->hubKey, &why))
                ;
            else if (version == k->configVersion)
                return; // already active (two polls crossed)
            else if (version < k->configVersion)
                why = QStringLiteral("version %1 is older than the active %2").arg(version).arg(k->configVersion);
            if (why.isEmpty()) {
                k->configVersion = version;
                k->configRejected.clear();
            } else {
                k->configRejected = why;
            }
            k->configEtag = reply->rawHeader("ETag");
        });
    }

    void startUpdate(Kiosk *k, const QJsonObject &args)
    {
        k->updateVersion = args.value(QLatin1String("version")).toString();
        k->updateState = QStringLiteral("downloading");
        k->updateError.clear();
        k->updateStep = 0;
        // The first bytes of the bundle, as a resuming kiosk would ask for them.
        request(nullptr, "GET", QUrl(args.value(QLatin1String("url")).toString()).path(), {}, {{"Range", "bytes=0-15"}},
                [k](int status, const QByteArray &data, QNetworkReply *) {
                    if (status != 206 || !data.startsWith("HCPBNDL1")) {
                        k->updateState = QStringLiteral("rejected");
                        k->updateError = QStringLiteral("bundle download failed: HTTP %1").arg(status);
                    }
                });
    }

    void stepUpdate(Kiosk *k)
    {
        static const QStringList steps{QStringLiteral("downloading"), QStringLiteral("installing"), QStringLiteral("trial")};
        if (!steps.contains(k->updateState))
            return;
        ++k->updateStep;
        if (k->updateStep < steps.size()) {
            k->updateState = steps.at(k->updateStep);
            if (k->updateState == QLatin1String("trial")) {
                k->slot = k->slot == QLatin1String("a") ? QStringLiteral("b") : QStringLiteral("a");
                k->version = k->updateVersion;
            }
            return;
        }
        if (k->id == failDevice) {
            k->updateState = QStringLiteral("rolled_back");
            k->updateError = QStringLiteral("not healthy within the trial deadline (600 s)");
            k->slot = k->slot == QLatin1String("a") ? QStringLiteral("b") : QStringLiteral("a");
            k->version = QStringLiteral("1.0.0");
        } else {
            k->updateState = QStringLiteral("healthy");
        }
    }

    void beat(Kiosk *k)
    {
        stepUpdate(k);
        const QJsonObject body{
            {QStringLiteral("version"), k->version},
            {QStringLiteral("queueDepth"), k->uploaded ? (k->beats % 5) : evaluationsPerKiosk},
            {QStringLiteral("oldestUnsentAgeS"), k->uploaded ? (k->beats % 5) * 30 : 60},
            {QStringLiteral("quarantined"), 0},
            {QStringLiteral("kioskTimeMs"), QDateTime::currentMSecsSinceEpoch() + k->driftMs},
            {QStringLiteral("clockOffsetMs"), k->offsetMs},
            {QStringLiteral("disk"), QJsonObject{{QStringLiteral("freeBytes"), qint64(9) * 1024 * 1024 * 1024},
                                                 {QStringLiteral("totalBytes"), qint64(16) * 1024 * 1024 * 1024},
                                                 {QStringLiteral("low"), false}}},
            {QStringLiteral("deviceStatus"), QJsonObject{{QStringLiteral("idcard"), QStringLiteral("ok")},
                                                         {QStringLiteral("printer"), k->printer},
                                                         {QStringLiteral("camera"), QStringLiteral("ok")},
                                                         {QStringLiteral("scanner"), QStringLiteral("absent")}}},
            {QStringLiteral("ackedCommands"), [k] { QJsonArray a; for (qint64 id : k->acked) a.append(id); return a; }()},
            {QStringLiteral("update"), QJsonObject{{QStringLiteral("state"), k->updateState},
                                                   {QStringLiteral("version"), k->updateVersion.isEmpty() ? k->version : k->updateVersion},
                                                   {QStringLiteral("slot"), k->slot},
                                                   {QStringLiteral("error"), k->updateError}}},
            {QStringLiteral("config"), QJsonObject{{QStringLiteral("version"), k->configVersion ? QString::number(k->configVersion) : QString()},
                                                   {QStringLiteral("rejected"), k->configRejected}}},
        };
        request(k, "POST", QStringLiteral("/v1/heartbeat"), QJsonDocument(body).toJson(QJsonDocument::Compact), {},
                [this, k](int status, const QByteArray &data, QNetworkReply *) {
                    if (status != 200)
                        return;
                    ++k->beats;
                    k->acked.clear();
                    for (const QJsonValue &v : QJsonDocument::fromJson(data).object().value(QLatin1String("commands")).toArray()) {
                        const QJsonObject c = v.toObject();
                        const QString type = c.value(QLatin1String("type")).toString();
                        if (type == QLatin1String("update") && k->updateVersion != c.value(QLatin1String("args")).toObject().value(QLatin1String("version")).toString())
                            startUpdate(k, c.value(QLatin1String("args")).toObject());
                        k->acked.append(c.value(QLatin1String("id")).toInteger());
                    }
                    // Kiosks poll their configuration with the ETag every beat; 304 costs nothing.
                    pullConfig(k);
                    // An update in progress is reported promptly (the agent sends a beat on
                    // every state change), not only at the next period.
                    static const QStringList busy{QStringLiteral("downloading"), QStringLiteral("installing"),
                                                  QStringLiteral("trial")};
                    if (busy.contains(k->updateState))
                        QTimer::singleShot(150, this, [this, k] { beat(k); });
                    maybeReady(k);
                });
    }

    void maybeReady(Kiosk *k)
    {
        if (k->uploaded && k->beats > 0 && !k->counted) {
            k->counted = true;
            countReady();
        }
    }

    void countReady()
    {
        if (++readyCount == int(kiosks.size()) && !announced) {
            announced = true;
            QTextStream(stdout) << "fleet-sim: ready " << readyCount << Qt::endl;
        }
    }
};

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser p;
    p.addHelpOption();
    const QCommandLineOption hub(QStringLiteral("hub"), QStringLiteral("hub URL"), QStringLiteral("url"));
    const QCommandLineOption count(QStringLiteral("count"), QStringLiteral("kiosks"), QStringLiteral("n"), QStringLiteral("55"));
    const QCommandLineOption token(QStringLiteral("enroll-token"), QStringLiteral("token"), QStringLiteral("t"));
    const QCommandLineOption interval(QStringLiteral("interval-ms"), QStringLiteral("heartbeat period"), QStringLiteral("ms"),
                                      QStringLiteral("2000"));
    const QCommandLineOption fail(QStringLiteral("fail-device"), QStringLiteral("this kiosk rolls updates back"),
                                  QStringLiteral("id"));
    const QCommandLineOption silent(QStringLiteral("silent"), QStringLiteral("kiosks that enroll but never beat (overdue)"),
                                    QStringLiteral("n"), QStringLiteral("2"));
    p.addOptions({hub, count, token, interval, fail, silent});
    p.process(app);

    Fleet fleet;
    fleet.hub = QUrl(p.value(hub));
    fleet.failDevice = p.value(fail);
    const int n = p.value(count).toInt();
    const int silentCount = p.value(silent).toInt();
    static const char *const halls[] = {"110105000000", "110105001000", "110105002000"};
    for (int i = 0; i < n; ++i) {
        auto k = std::make_unique<Kiosk>();
        k->id = QStringLiteral("KIOSK-SIM-%1").arg(i + 1, 3, 10, QLatin1Char('0'));
        k->hall = QString::fromLatin1(halls[i % 3]);
        if (i % 17 == 5)
            k->driftMs = 420'000; // a kiosk with a wrong clock (flagged above 300 s)
        if (i % 11 == 3)
            k->printer = QStringLiteral("paper_near_end");
        if (i % 23 == 9)
            k->printer = QStringLiteral("paper_end");
        fleet.kiosks.push_back(std::move(k));
    }
    const int intervalMs = p.value(interval).toInt();
    // The last silentCount kiosks enroll but never beat: they show as overdue/未上报.
    const int active = n - silentCount;
    for (int i = 0; i < n; ++i) {
        Kiosk *k = fleet.kiosks[i].get();
        QTimer::singleShot(i * 20, &fleet, [&fleet, k, i, active, intervalMs, &p, &token] {
            fleet.enroll(k, p.value(token), [&fleet, k, i, active, intervalMs] {
                if (i >= active) {
                    fleet.countReady();
                    return;
                }
                fleet.upload(k);
                fleet.beat(k);
                auto *timer = new QTimer(&fleet);
                timer->setInterval(intervalMs);
                QObject::connect(timer, &QTimer::timeout, &fleet, [&fleet, k] { fleet.beat(k); });
                // Stagger the fleet over the interval, like real kiosks.
                QTimer::singleShot((i * 37) % qMax(1, intervalMs), timer, [timer] { timer->start(); });
            });
        });
    }
    return app.exec();
}

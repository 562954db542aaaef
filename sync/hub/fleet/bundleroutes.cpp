// SPDX-License-Identifier: Apache-2.0
// FleetApi: update bundles (download with HTTP Range, upload) and staged rollouts (PROTOCOL §16).
#include "fleetapi.h"

#include "../wire.h"
#include "http/http.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonDocument>
#include <QTemporaryFile>
#include <QUrlQuery>

namespace hcp::sync::hub {

namespace {

using Status = QHttpServerResponse::StatusCode;

using http::error;
using http::header;
using http::isPost;
using http::json;
using http::parseObject;

} // namespace

// ---- bundles and rollouts ----

QHttpServerResponse FleetApi::bundle(const QString &name, const QHttpServerRequest &request)
{
    const QString path = m_bundles.pathOf(name);
    QFile file(path);
    if (path.isEmpty() || !file.open(QIODevice::ReadOnly))
        return error(Status::NotFound, QStringLiteral("not_found"), QStringLiteral("no such bundle"));
    const qint64 size = file.size();
    qint64 first = 0;
    qint64 last = size - 1;
    const auto range = BundleStore::parseRange(header(request, "Range"), size, &first, &last);
    if (range == BundleStore::Range::Unsatisfiable) {
        QHttpServerResponse r(QByteArrayLiteral("application/json"),
                              QJsonDocument(wire::errorBody(QStringLiteral("range_not_satisfiable"),
                                                            QStringLiteral("the bundle has %1 bytes").arg(size)))
                                  .toJson(QJsonDocument::Compact),
                              Status::RequestRangeNotSatisfiable);
        r.setHeader("Content-Range", "bytes */" + QByteArray::number(size));
        return r;
    }
    // Only the requested range is read. Qt 6.4 cannot stream a response with flow control:
    // QHttpServerResponder::write(QIODevice *) copies the whole device into the socket's write
    // buffer at once (measured: a 100 MB bundle to a 2 MB/s client put ~100 MB in the hub's RSS
    // within 3 s), so streaming from a device would save nothing; bundles are tens of MB.
    file.seek(first);
    const QByteArray bytes = file.read(last - first + 1);
    if (bytes.size() != last - first + 1)
        return error(Status::InternalServerError, QStringLiteral("internal"), QStringLiteral("short read"));
    QHttpServerResponse r(QByteArrayLiteral("application/octet-stream"), bytes,
                          range == BundleStore::Range::Partial ? Status::PartialContent : Status::Ok);
    r.setHeader("Accept-Ranges", "bytes");
    if (range == BundleStore::Range::Partial)
        r.setHeader("Content-Range", "bytes " + QByteArray::number(first) + '-' + QByteArray::number(last) + '/'
                                         + QByteArray::number(size));
    return r;
}

QHttpServerResponse FleetApi::uploadBundle(const QHttpServerRequest &request)
{
    const QString name = request.query().queryItemValue(QStringLiteral("name"), QUrl::FullyDecoded);
    if (!name.isEmpty() && !BundleStore::isValidName(name))
        return error(Status::BadRequest, QStringLiteral("bad_request"), QStringLiteral("bad bundle name"));
    if (m_options.bundleDirectory.isEmpty() || !QDir().mkpath(m_options.bundleDirectory))
        return error(Status::InternalServerError, QStringLiteral("internal"), QStringLiteral("no bundle directory"));
    QTemporaryFile tmp(QDir(m_options.bundleDirectory).filePath(QStringLiteral(".upload-XXXXXX.part")));
    if (!tmp.open() || tmp.write(request.body()) != request.body().size() || !tmp.flush())
        return error(Status::InternalServerError, QStringLiteral("internal"), QStringLiteral("cannot store the upload"));
    QString why;
    const auto b = m_bundles.add(tmp.fileName(), name, false, &why);
    if (!b)
        return error(Status::UnprocessableEntity, QStringLiteral("invalid_bundle"), why);
    return json(b->toJson(), Status::Created);
}

QHttpServerResponse FleetApi::adminBundles(const QHttpServerRequest &request)
{
    if (!m_adminAllowed(request))
        return error(Status::Forbidden, QStringLiteral("forbidden"), QStringLiteral("admin token required"));
    return uploadBundle(request);
}

QHttpServerResponse FleetApi::adminRollouts(const QHttpServerRequest &request)
{
    if (!m_adminAllowed(request))
        return error(Status::Forbidden, QStringLiteral("forbidden"), QStringLiteral("admin token required"));
    if (!isPost(request))
        return json(QJsonObject{{QStringLiteral("rollouts"), m_fleet.rollouts()}});
    QJsonObject body;
    if (!parseObject(request.body(), &body))
        return error(Status::BadRequest, QStringLiteral("bad_request"), QStringLiteral("body is not a JSON object"));
    return startRollout(body, request, QStringLiteral("admin-token"));
}

QUrl FleetApi::baseUrl(const QHttpServerRequest &request) const
{
    if (m_options.publicUrl.isValid() && !m_options.publicUrl.isEmpty())
        return m_options.publicUrl;
    const QByteArray host = header(request, "Host");
    return QUrl(QStringLiteral("http://") + QString::fromLatin1(host.isEmpty() ? QByteArrayLiteral("127.0.0.1") : host));
}

QHttpServerResponse FleetApi::startRollout(const QJsonObject &body, const QHttpServerRequest &request,
                                           const QString &actor)
{
    const auto b = m_fleet.bundle(body.value(QLatin1String("bundle")).toString());
    if (!b || m_bundles.pathOf(b->name).isEmpty())
        return error(Status::BadRequest, QStringLiteral("bad_request"), QStringLiteral("unknown bundle"));
    QStringList devices;
    const QJsonValue wanted = body.value(QLatin1String("devices"));
    const QJsonArray all = m_fleet.kiosks(QDateTime::currentMSecsSinceEpoch(), m_store->heartbeatIntervalS());
    QStringList known;
    for (const QJsonValue &k : all)
        known << k.toObject().value(QLatin1String("deviceId")).toString();
    if (wanted.isString() && wanted.toString() == QLatin1String("all")) {
        devices = known;
    } else if (wanted.isString() && wanted.toString().startsWith(QLatin1String("hall:"))) {
        for (const QJsonValue &k : all)
            if (k.toObject().value(QLatin1String("hallCode")).toString() == wanted.toString().mid(5))
                devices << k.toObject().value(QLatin1String("deviceId")).toString();
    } else {
        for (const QJsonValue &d : wanted.toArray()) {
            if (!known.contains(d.toString()))
                return error(Status::BadRequest, QStringLiteral("bad_request"),
                             QStringLiteral("unknown kiosk %1").arg(d.toString()));
            devices << d.toString();
        }
    }
    // Only kiosks of the bundle's device class are scheduled: a kiosk of another class would
    // refuse the bundle (wrong-device-class) and halt the rollout. The others are listed back.
    QJsonArray excluded;
    {
        QHash<QString, QJsonObject> byId;
        for (const QJsonValue &k : all)
            byId.insert(k.toObject().value(QLatin1String("deviceId")).toString(), k.toObject());
        QStringList fitting;
        for (const QString &d : std::as_const(devices)) {
            const QJsonObject k = byId.value(d);
            if (FleetStore::bundleFitsKiosk(b->deviceClass, k)) {
                fitting << d;
                continue;
            }
            const QString reported = k.value(QLatin1String("updateDeviceClass")).toString();
            excluded.append(QJsonObject{{QStringLiteral("deviceId"), d},
                                        {QStringLiteral("deviceClass"),
                                         reported.isEmpty() ? k.value(QLatin1String("deviceClass")).toString() : reported}});
        }
        if (fitting.isEmpty() && !devices.isEmpty())
            return error(Status::BadRequest, QStringLiteral("bad_request"),
                         QStringLiteral("所选终端中没有设备类型为 %1 的终端（%2 台类型不符）")
                             .arg(b->deviceClass).arg(excluded.size()));
        devices = fitting;
    }
    QList<int> stages;
    for (const QJsonValue &s : body.value(QLatin1String("stages")).toArray())
        stages << s.toInt();
    if (stages.isEmpty())
        stages = {10, 50, 100};
    const int deadlineS = body.contains(QLatin1String("deadlineS")) ? body.value(QLatin1String("deadlineS")).toInt() : 600;
    if (deadlineS < 30 || deadlineS > 86400)
        return error(Status::BadRequest, QStringLiteral("bad_request"), QStringLiteral("deadlineS must be 30..86400"));
    QUrl url = baseUrl(request);
    url.setPath(QStringLiteral("/v1/bundles/") + b->name);
    QString why;
    const qint64 id = m_fleet.createRollout(*b, url.toString(), deadlineS, devices, stages, actor, &why);
    if (id < 0)
        return error(Status::BadRequest, QStringLiteral("bad_request"), why);
    QJsonObject created = m_fleet.rollout(id);
    created.insert(QStringLiteral("excluded"), excluded);
    return json(created, Status::Created);
}

} // namespace hcp::sync::hub

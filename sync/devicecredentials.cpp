// SPDX-License-Identifier: Apache-2.0
#include "devicecredentials.h"

#include <QFile>
#include <QJsonDocument>
#include <QSaveFile>

namespace hcp::sync {

QJsonObject DeviceCredentials::toJson() const
{
    return QJsonObject{
        {QStringLiteral("hubUrl"), hubUrl.toString()},
        {QStringLiteral("deviceId"), deviceId},
        {QStringLiteral("deviceSecret"), QString::fromLatin1(secret.toHex())},
        {QStringLiteral("hallCode"), hallCode},
        {QStringLiteral("heartbeatIntervalS"), heartbeatIntervalS},
        {QStringLiteral("hubPublicKey"), QString::fromLatin1(hubPublicKey)},
        {QStringLiteral("deviceKeyFingerprint"), deviceKeyFingerprint},
    };
}

DeviceCredentials DeviceCredentials::fromJson(const QJsonObject &o)
{
    DeviceCredentials c;
    c.hubUrl = QUrl(o.value(QLatin1String("hubUrl")).toString());
    c.deviceId = o.value(QLatin1String("deviceId")).toString();
    c.secret = QByteArray::fromHex(o.value(QLatin1String("deviceSecret")).toString().toLatin1());
    c.hallCode = o.value(QLatin1String("hallCode")).toString();
    c.heartbeatIntervalS = o.value(QLatin1String("heartbeatIntervalS")).toInt(900);
    c.hubPublicKey = o.value(QLatin1String("hubPublicKey")).toString().toLatin1();
    c.deviceKeyFingerprint = o.value(QLatin1String("deviceKeyFingerprint")).toString();
    return c;
}

bool DeviceCredentials::save(const QString &path, QString *error) const
{
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly)) {
        if (error)
            *error = f.errorString();
        return false;
    }
    f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    f.write(QJsonDocument(toJson()).toJson());
    if (!f.commit()) {
        if (error)
            *error = f.errorString();
        return false;
    }
    return true;
}

DeviceCredentials DeviceCredentials::load(const QString &path, QString *error)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        if (error)
            *error = f.errorString();
        return {};
    }
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &pe);
    if (!doc.isObject()) {
        if (error)
            *error = pe.errorString();
        return {};
    }
    const DeviceCredentials c = fromJson(doc.object());
    // Files from before PROTOCOL §5a held the hub's ID-hash key: it is dropped from the disk
    // at the first load (the kiosk asks the hub to hash instead).
    if (doc.object().contains(QLatin1String("certKey"))) {
        f.close();
        c.save(path, nullptr);
    }
    return c;
}

} // namespace hcp::sync

// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QUrl>

namespace hcp::sync {

// What a kiosk holds after enrollment (PROTOCOL §3). Stored as a JSON file readable by the
// kiosk user only (0600); the secret never appears in logs.
struct DeviceCredentials
{
    QUrl hubUrl;          // e.g. http://127.0.0.1:8470
    QString deviceId;
    QByteArray secret;    // raw bytes (hex on the wire and on disk)
    QByteArray certKey;   // raw bytes: key of the ID-number hash
    QString hallCode;
    int heartbeatIntervalS = 900;
    QByteArray hubPublicKey; // PEM of the hub's SM2 key ("hubPublicKey" at enrollment): verifies hub-signed documents

    bool isValid() const { return hubUrl.isValid() && !deviceId.isEmpty() && !secret.isEmpty(); }

    QJsonObject toJson() const;
    static DeviceCredentials fromJson(const QJsonObject &o);

    bool save(const QString &path, QString *error) const;
    static DeviceCredentials load(const QString &path, QString *error);
};

} // namespace hcp::sync

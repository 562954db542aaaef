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
    QString hallCode;
    int heartbeatIntervalS = 900;
    // The hub's SM2 public key (SubjectPublicKeyInfo PEM) from enrollment: verifies hub-signed
    // documents and encrypts for the hub. Empty for credentials made before the hub had one.
    QByteArray hubPublicKey;
    // Fingerprint (DeviceIdentity::fingerprint) of the device key registered at enrollment;
    // empty when enrolled without one (then requests use the shared secret, PROTOCOL §2).
    QString deviceKeyFingerprint;

    bool isValid() const { return hubUrl.isValid() && !deviceId.isEmpty() && !secret.isEmpty(); }

    QJsonObject toJson() const;
    static DeviceCredentials fromJson(const QJsonObject &o);

    bool save(const QString &path, QString *error) const;
    static DeviceCredentials load(const QString &path, QString *error);
};

} // namespace hcp::sync

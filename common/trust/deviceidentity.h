// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "crypto.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace hcp::trust {

// The kiosk's own key pair, made once at provisioning and kept in a PKCS#8 PEM file that
// only the kiosk user can read (mode 0600, same owner, regular file, not a symlink). The
// file must live outside the data directory, so that a copied or restored database never
// carries the key and a replaced key shows as a new identity at the hub.
class DeviceIdentity
{
public:
    // Loads the key; refuses a file that is group/world accessible, owned by another user,
    // not a regular file, inside dataDirectory (when given), or not an SM2/Ed25519 private key.
    static std::optional<DeviceIdentity> load(const QString &keyPath,
                                              const QString &dataDirectory = {},
                                              QString *error = nullptr);
    // Generates a new key and writes it with mode 0600; refuses to replace an existing file.
    static std::optional<DeviceIdentity> create(const QString &keyPath, KeyType type = KeyType::Sm2,
                                                const QString &dataDirectory = {},
                                                QString *error = nullptr);
    // load() if the file exists, else create().
    static std::optional<DeviceIdentity> loadOrCreate(const QString &keyPath,
                                                      KeyType typeIfNew = KeyType::Sm2,
                                                      const QString &dataDirectory = {},
                                                      QString *error = nullptr);

    const Key &key() const { return m_key; }
    KeyType type() const { return m_key.type(); }
    QString keyPath() const { return m_path; }
    QByteArray publicKeyPem() const { return m_key.publicPem(); }
    // Lowercase hex SM3 of the public key's SubjectPublicKeyInfo DER (64 characters).
    QString fingerprint() const { return fingerprintOf(m_key); }
    static QString fingerprintOf(const Key &key);

    // HTTP request authentication. The signed bytes are the UTF-8 of
    //   "HCP-REQ-V1\n" METHOD "\n" path "\n" timestampMs "\n" hex(SM3(body))
    // METHOD upper-case, path = path and query exactly as sent, timestampMs = Unix epoch
    // milliseconds in decimal. The client sends fingerprint, timestamp and base64 signature
    // in headers (the wire names are sync/PROTOCOL.md's business).
    static QByteArray requestSigningInput(const QByteArray &method, const QByteArray &path,
                                          qint64 timestampMs, QByteArrayView body);
    std::optional<QByteArray> signRequest(const QByteArray &method, const QByteArray &path,
                                          qint64 timestampMs, QByteArrayView body,
                                          QString *error = nullptr) const;
    // Hub side: true when the signature verifies under publicKey and |nowMs - timestampMs|
    // <= maxSkewMs. Replay inside the skew window is the caller's concern (nonce/idempotency).
    static bool verifyRequest(const Key &publicKey, const QByteArray &method, const QByteArray &path,
                              qint64 timestampMs, QByteArrayView body, QByteArrayView signature,
                              qint64 nowMs, qint64 maxSkewMs = 300'000);

private:
    DeviceIdentity(Key key, QString path);

    Key m_key;
    QString m_path;
};

} // namespace hcp::trust

// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace hcp::sync {

// A hub-signed configuration document as served by GET /v1/config (PROTOCOL §7):
//   {"document":{…},"version":"<monotonic int as string>","scope":"…","signature":"<base64>"}
// The signature is SM2 (hcp::trust::Crypto, default id) by the hub's key over the UTF-8 bytes of
//   "HCP-CFG-V1\n" + version + "\n" + CanonicalJson(document).
// Pure functions; no I/O. Verification fails closed: no key, no signature, bad signature, a
// version that is not a positive integer, or one older than the active version are refused,
// each with a reason that starts with a stable code ("unsigned: …", "bad-signature: …").
class ConfigEnvelope
{
public:
    QJsonObject document;
    qint64 version = 0;
    QString scope;

    // What the signature covers.
    static QByteArray signingInput(qint64 version, const QByteArray &canonicalDocument);

    // Parses and verifies `body` against `hubPublicKeyPem`. activeVersion = the version the
    // kiosk runs (0 = none): an older one is refused ("older"); the same one is accepted (the
    // caller sees version == active and keeps what it has).
    static bool verify(const QByteArray &body, const QByteArray &hubPublicKeyPem, qint64 activeVersion,
                       ConfigEnvelope *out, QString *reason);

    // The hub side and the tests: a signed envelope (private key PEM). Empty on error.
    static QByteArray sign(const QJsonObject &document, qint64 version, const QString &scope,
                           const QByteArray &privateKeyPem, QString *error = nullptr);
};

} // namespace hcp::sync

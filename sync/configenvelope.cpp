// SPDX-License-Identifier: Apache-2.0
#include "configenvelope.h"

#include "canonicaljson.h"
#include "crypto.h"

#include <QJsonDocument>

namespace hcp::sync {

namespace {
constexpr QByteArrayView kDomain = "HCP-CFG-V1\n";

bool fail(QString *reason, const QString &text)
{
    if (reason)
        *reason = text;
    return false;
}
} // namespace

QByteArray ConfigEnvelope::signingInput(qint64 version, const QByteArray &canonicalDocument)
{
    QByteArray input;
    input.reserve(kDomain.size() + 24 + canonicalDocument.size());
    input.append(kDomain.data(), kDomain.size());
    input.append(QByteArray::number(version));
    input.append('\n');
    input.append(canonicalDocument);
    return input;
}

bool ConfigEnvelope::verify(const QByteArray &body, const QByteArray &hubPublicKeyPem, qint64 activeVersion,
                            ConfigEnvelope *out, QString *reason)
{
    QJsonParseError pe;
    const QJsonDocument json = QJsonDocument::fromJson(body, &pe);
    if (pe.error != QJsonParseError::NoError || !json.isObject())
        return fail(reason, QStringLiteral("malformed: not a JSON object"));
    const QJsonObject root = json.object();
    const QJsonValue docValue = root.value(QLatin1String("document"));
    const QString signatureText = root.value(QLatin1String("signature")).toString();
    if (!docValue.isObject())
        return fail(reason, QStringLiteral("unsigned: no signed configuration envelope"));
    if (signatureText.isEmpty())
        return fail(reason, QStringLiteral("unsigned: no signature"));
    const QString versionText = root.value(QLatin1String("version")).toString();
    bool versionOk = false;
    const qint64 version = versionText.toLongLong(&versionOk);
    if (!versionOk || version <= 0 || QString::number(version) != versionText)
        return fail(reason, QStringLiteral("malformed: version \"%1\" is not a positive integer").arg(versionText.left(32)));
    if (hubPublicKeyPem.isEmpty())
        return fail(reason, QStringLiteral("no-hub-key: the credentials hold no hub public key"));
    QString keyError;
    const trust::Key key = trust::Key::fromPem(hubPublicKeyPem, &keyError);
    if (key.isNull())
        return fail(reason, QStringLiteral("no-hub-key: %1").arg(keyError));
    QString canonError;
    const auto canonical = trust::CanonicalJson::serialize(docValue.toObject(), &canonError);
    if (!canonical)
        return fail(reason, QStringLiteral("malformed: %1").arg(canonError));
    const QByteArray signature = QByteArray::fromBase64(signatureText.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    if (signature.isEmpty() || !trust::Crypto::verify(key, signingInput(version, *canonical), signature))
        return fail(reason, QStringLiteral("bad-signature: the document is not signed by the hub's key"));
    if (version < activeVersion)
        return fail(reason, QStringLiteral("older: version %1 is older than the active %2").arg(version).arg(activeVersion));
    if (out) {
        out->document = docValue.toObject();
        out->version = version;
        out->scope = root.value(QLatin1String("scope")).toString();
    }
    return true;
}

QByteArray ConfigEnvelope::sign(const QJsonObject &document, qint64 version, const QString &scope,
                                const QByteArray &privateKeyPem, QString *error)
{
    const trust::Key key = trust::Key::fromPem(privateKeyPem, error);
    if (key.isNull() || !key.hasPrivate())
        return {};
    const auto canonical = trust::CanonicalJson::serialize(document, error);
    if (!canonical)
        return {};
    const auto signature = trust::Crypto::sign(key, signingInput(version, *canonical), error);
    if (!signature)
        return {};
    return QJsonDocument(QJsonObject{{QStringLiteral("document"), document},
                                     {QStringLiteral("version"), QString::number(version)},
                                     {QStringLiteral("scope"), scope},
                                     {QStringLiteral("signature"), QString::fromLatin1(signature->toBase64())}})
        .toJson(QJsonDocument::Compact);
}

} // namespace hcp::sync

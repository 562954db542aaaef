// SPDX-License-Identifier: Apache-2.0
#include "tpmattestation.h"

#include "crypto.h"

#include <QRegularExpression>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

namespace hcp::trust {

namespace {

void setError(QString *error, const QString &text)
{
    if (error)
        *error = text;
}

bool isP256(EVP_PKEY *pkey)
{
    char name[64] = {};
    size_t len = 0;
    return EVP_PKEY_is_a(pkey, "EC")
        && EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, name, sizeof name, &len) == 1
        && QByteArrayView(name, qsizetype(len)) == "prime256v1";
}

} // namespace

QByteArray TpmAttestation::signingInput() const
{
    QByteArray in("HCP-TPM-ATTEST-V1\n");
    in += deviceId.toUtf8() + '\n';
    in += tpmId.toLatin1() + '\n';
    in += QByteArray::number(counter) + '\n';
    in += QByteArray::number(head.deviceSeq) + '\n';
    in += head.entryHash.toHex() + '\n';
    in += QByteArray::number(timeMs);
    return in;
}

QJsonObject TpmAttestation::toJson() const
{
    return QJsonObject{{QStringLiteral("tpmId"), tpmId},
                       {QStringLiteral("key"), QString::fromLatin1(publicKeyDer.toBase64())},
                       {QStringLiteral("counter"), qint64(counter)},
                       {QStringLiteral("headSeq"), qint64(head.deviceSeq)},
                       {QStringLiteral("headHash"), QString::fromLatin1(head.entryHash.toHex())},
                       {QStringLiteral("timeMs"), timeMs},
                       {QStringLiteral("sig"), QString::fromLatin1(signature.toBase64())}};
}

std::optional<TpmAttestation> TpmAttestation::fromJson(const QJsonObject &json, const QString &deviceId,
                                                       QString *error)
{
    static const QRegularExpression hex64(QStringLiteral("^[0-9a-f]{64}$"));
    TpmAttestation a;
    a.deviceId = deviceId;
    a.tpmId = json.value(QLatin1String("tpmId")).toString();
    const QString headHash = json.value(QLatin1String("headHash")).toString();
    const auto key = QByteArray::fromBase64Encoding(json.value(QLatin1String("key")).toString().toLatin1(),
                                                    QByteArray::AbortOnBase64DecodingErrors);
    const auto sig = QByteArray::fromBase64Encoding(json.value(QLatin1String("sig")).toString().toLatin1(),
                                                    QByteArray::AbortOnBase64DecodingErrors);
    const QJsonValue counter = json.value(QLatin1String("counter"));
    const QJsonValue headSeq = json.value(QLatin1String("headSeq"));
    const QJsonValue timeMs = json.value(QLatin1String("timeMs"));
    if (!hex64.match(a.tpmId).hasMatch() || !hex64.match(headHash).hasMatch() || !key || key.decoded.isEmpty()
        || key.decoded.size() > 256 || !sig || sig.decoded.isEmpty() || sig.decoded.size() > 128
        || !counter.isDouble() || counter.toInteger(-1) < 0 || !headSeq.isDouble() || headSeq.toInteger(-1) < 0
        || !timeMs.isDouble()) {
        setError(error, QStringLiteral("tpm needs tpmId, key, counter, headSeq, headHash, timeMs, sig"));
        return std::nullopt;
    }
    a.publicKeyDer = key.decoded;
    a.signature = sig.decoded;
    a.counter = quint64(counter.toInteger());
    a.head = LedgerHead{quint64(headSeq.toInteger()), QByteArray::fromHex(headHash.toLatin1())};
    a.timeMs = timeMs.toInteger();
    return a;
}

bool TpmAttestation::verify() const
{
    return verifyP256(publicKeyDer, signingInput(), signature);
}

QString TpmAttestation::keyFingerprint() const
{
    return QString::fromLatin1(Crypto::sha256(publicKeyDer).toHex());
}

bool TpmAttestation::verifyP256(QByteArrayView publicKeyDer, QByteArrayView message, QByteArrayView signature)
{
    const auto *p = reinterpret_cast<const unsigned char *>(publicKeyDer.data());
    EVP_PKEY *pkey = d2i_PUBKEY(nullptr, &p, long(publicKeyDer.size()));
    if (!pkey)
        return false;
    bool ok = false;
    if (isP256(pkey) && p == reinterpret_cast<const unsigned char *>(publicKeyDer.data()) + publicKeyDer.size()) {
        EVP_MD_CTX *ctx = EVP_MD_CTX_new();
        ok = ctx && EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, pkey) == 1
            && EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char *>(signature.data()),
                                size_t(signature.size()),
                                reinterpret_cast<const unsigned char *>(message.data()),
                                size_t(message.size())) == 1;
        EVP_MD_CTX_free(ctx);
    }
    EVP_PKEY_free(pkey);
    return ok;
}

} // namespace hcp::trust

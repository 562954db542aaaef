// SPDX-License-Identifier: Apache-2.0
#include "receiptwitness.h"

namespace hcp::trust {

namespace {

constexpr auto kBase64Url = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;

} // namespace

QByteArray ReceiptWitness::message(const QString &deviceId, quint64 deviceSeq, const QString &uuid)
{
    return QByteArrayLiteral("HCP-RECEIPT-V1|") + deviceId.toUtf8() + '|' + QByteArray::number(deviceSeq) + '|'
        + uuid.toUtf8();
}

std::optional<ReceiptWitness> ReceiptWitness::sign(const Key &deviceKey, const QString &deviceId, quint64 deviceSeq,
                                                   const QString &uuid, QString *error)
{
    const auto signature = Crypto::sign(deviceKey, message(deviceId, deviceSeq, uuid), error);
    if (!signature)
        return std::nullopt;
    ReceiptWitness w{deviceId, deviceSeq, uuid, *signature};
    if (deviceKey.type() == KeyType::Sm2) {
        const auto rs = Crypto::sm2SignatureToRs(*signature);
        if (!rs) {
            if (error)
                *error = QStringLiteral("SM2 signature is not DER (r, s)");
            return std::nullopt;
        }
        w.signature = rs->first + rs->second;
    }
    return w;
}

bool ReceiptWitness::verify(const Key &devicePublicKey) const
{
    if (!isValid())
        return false;
    const QByteArray der = devicePublicKey.type() == KeyType::Sm2
        ? Crypto::sm2SignatureFromRs(signature.first(32), signature.sliced(32))
        : signature;
    return Crypto::verify(devicePublicKey, message(deviceId, deviceSeq, uuid), der);
}

QString ReceiptWitness::signatureText() const
{
    return QString::fromLatin1(signature.toBase64(kBase64Url));
}

QByteArray ReceiptWitness::signatureFromText(const QString &text)
{
    if (text.size() != 86)
        return {};
    const auto decoded = QByteArray::fromBase64Encoding(text.toLatin1(), kBase64Url | QByteArray::AbortOnBase64DecodingErrors);
    return decoded && decoded.decoded.size() == 64 ? decoded.decoded : QByteArray();
}

} // namespace hcp::trust

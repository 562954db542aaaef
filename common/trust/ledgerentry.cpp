// SPDX-License-Identifier: Apache-2.0
#include "ledgerentry.h"

#include "crypto.h"

#include <QJsonValue>
#include <QRegularExpression>

namespace hcp::trust {

namespace {

const QRegularExpression &uuidPattern()
{
    static const QRegularExpression re(QStringLiteral(
        "\\A[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\z"));
    return re;
}

// deviceSeq travels as a JSON number; exact only up to 2^53 - 1, which no device reaches.
constexpr double kMaxSeq = 9007199254740991.0;

std::optional<quint64> seqFromJson(const QJsonValue &v)
{
    if (!v.isDouble())
        return std::nullopt;
    const double d = v.toDouble();
    if (!(d >= 0 && d <= kMaxSeq) || double(quint64(d)) != d)
        return std::nullopt;
    return quint64(d);
}

std::optional<QByteArray> hashFromJson(const QJsonValue &v)
{
    if (!v.isString())
        return std::nullopt;
    const QString s = v.toString();
    if (s.size() != 64)
        return std::nullopt;
    for (QChar c : s) {
        if (!((c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f')))
            return std::nullopt;
    }
    return QByteArray::fromHex(s.toLatin1());
}

std::optional<QByteArray> base64FromJson(const QJsonValue &v)
{
    if (!v.isString())
        return std::nullopt;
    auto r = QByteArray::fromBase64Encoding(v.toString().toLatin1(),
                                            QByteArray::AbortOnBase64DecodingErrors);
    if (!r)
        return std::nullopt;
    return *r;
}

void setError(QString *error, const QString &text)
{
    if (error)
        *error = text;
}

} // namespace

QByteArray LedgerEntry::computeEntryHash() const
{
    const QByteArray in = hashInput();
    return in.isEmpty() ? QByteArray() : Crypto::sm3(in);
}

QByteArray LedgerEntry::hashInput() const
{
    if (!isWellFormed())
        return {};
    QByteArray in("HCP-LEDGER-V1|");
    in += QByteArray::number(deviceSeq);
    in += '|';
    in += uuid.toLatin1();
    in += '|';
    in += assessTime.toLatin1();
    in += '|';
    in += payloadHash.toHex();
    in += '|';
    in += prevHash.toHex();
    return in;
}

bool LedgerEntry::isWellFormed(QString *why) const
{
    if (deviceSeq < 1 || double(deviceSeq) > kMaxSeq) {
        setError(why, QStringLiteral("deviceSeq %1 out of range").arg(deviceSeq));
        return false;
    }
    if (!uuidPattern().match(uuid).hasMatch()) {
        setError(why, QStringLiteral("uuid is not lowercase 8-4-4-4-12"));
        return false;
    }
    if (assessTime.isEmpty() || assessTime.size() > 64) {
        setError(why, QStringLiteral("assessTime empty or longer than 64"));
        return false;
    }
    for (QChar c : assessTime) {
        if (c.unicode() < 0x20 || c.unicode() > 0x7e || c == u'|') {
            setError(why, QStringLiteral("assessTime must be printable ASCII without '|'"));
            return false;
        }
    }
    if (payloadHash.size() != 32 || prevHash.size() != 32) {
        setError(why, QStringLiteral("payloadHash and prevHash must be 32 bytes"));
        return false;
    }
    if (signature.size() > 512) { // SM2 DER is at most 72 bytes, Ed25519 64
        setError(why, QStringLiteral("signature longer than 512 bytes"));
        return false;
    }
    return true;
}

QJsonObject LedgerEntry::toJson() const
{
    return QJsonObject{
        {QStringLiteral("deviceSeq"), double(deviceSeq)},
        {QStringLiteral("uuid"), uuid},
        {QStringLiteral("assessTime"), assessTime},
        {QStringLiteral("payloadHash"), QString::fromLatin1(payloadHash.toHex())},
        {QStringLiteral("prevHash"), QString::fromLatin1(prevHash.toHex())},
        {QStringLiteral("entryHash"), QString::fromLatin1(entryHash.toHex())},
        {QStringLiteral("signature"), QString::fromLatin1(signature.toBase64())},
    };
}

std::optional<LedgerEntry> LedgerEntry::fromJson(const QJsonObject &json, QString *error)
{
    LedgerEntry e;
    const auto seq = seqFromJson(json.value(QLatin1String("deviceSeq")));
    const auto payload = hashFromJson(json.value(QLatin1String("payloadHash")));
    const auto prev = hashFromJson(json.value(QLatin1String("prevHash")));
    const auto hash = hashFromJson(json.value(QLatin1String("entryHash")));
    const auto sig = base64FromJson(json.value(QLatin1String("signature")));
    const QJsonValue uuid = json.value(QLatin1String("uuid"));
    const QJsonValue time = json.value(QLatin1String("assessTime"));
    if (!seq || !payload || !prev || !hash || !sig || !uuid.isString() || !time.isString()) {
        setError(error, QStringLiteral("ledger entry JSON lacks a field or has a wrong type"));
        return std::nullopt;
    }
    e.deviceSeq = *seq;
    e.uuid = uuid.toString();
    e.assessTime = time.toString();
    e.payloadHash = *payload;
    e.prevHash = *prev;
    e.entryHash = *hash;
    e.signature = *sig;
    QString why;
    if (!e.isWellFormed(&why)) {
        setError(error, why);
        return std::nullopt;
    }
    return e;
}

QByteArray SignedHead::signingInput() const
{
    QByteArray in("HCP-HEAD-V1|");
    in += QByteArray::number(head.deviceSeq);
    in += '|';
    in += head.entryHash.toHex();
    return in;
}

bool SignedHead::verify(const Key &devicePublicKey) const
{
    return head.entryHash.size() == 32 && Crypto::verify(devicePublicKey, signingInput(), signature);
}

QJsonObject SignedHead::toJson() const
{
    return QJsonObject{
        {QStringLiteral("deviceSeq"), double(head.deviceSeq)},
        {QStringLiteral("entryHash"), QString::fromLatin1(head.entryHash.toHex())},
        {QStringLiteral("signature"), QString::fromLatin1(signature.toBase64())},
    };
}

std::optional<SignedHead> SignedHead::fromJson(const QJsonObject &json, QString *error)
{
    const auto seq = seqFromJson(json.value(QLatin1String("deviceSeq")));
    const auto hash = hashFromJson(json.value(QLatin1String("entryHash")));
    const auto sig = base64FromJson(json.value(QLatin1String("signature")));
    if (!seq || !hash || !sig) {
        setError(error, QStringLiteral("signed head JSON lacks a field or has a wrong type"));
        return std::nullopt;
    }
    return SignedHead{{*seq, *hash}, *sig};
}

} // namespace hcp::trust

// SPDX-License-Identifier: Apache-2.0
#include "provinceclient.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QNetworkReply>

#include <algorithm>

Q_LOGGING_CATEGORY(lcProvinceClient, "hcp.sync.hub.upstream.client")

namespace hcp::sync::hub::upstream {

ProvinceClient::ProvinceClient(const ProvinceProfile &profile, QObject *parent)
    : QObject(parent)
    , m_profile(profile)
{
}

QString ProvinceClient::timeStamp(const QDateTime &utc)
{
    // Province clocks and the "time" in the signed string are China Standard Time (UTC+8, no DST).
    return utc.toOffsetFromUtc(8 * 3600).toString(QStringLiteral("yyyyMMddHHmmss"));
}

std::optional<QString> ProvinceClient::signature(const ProvinceProfile &p, const QString &time, QString *error)
{
    const QByteArray plain = time.toUtf8() + p.appMark.toUtf8() + p.appWord;
    std::optional<QByteArray> out;
    if (p.signMode == ProvinceProfile::SignMode::Sm2Encrypt)
        out = trust::Crypto::sm2Encrypt(p.platformPublicKey, plain, error);
    else
        out = trust::Crypto::sign(p.appKey, plain, error);
    if (!out)
        return std::nullopt;
    return QString::fromLatin1(out->toBase64());
}

std::optional<QString> ProvinceClient::encryptRecord(const ProvinceProfile &p, const QJsonObject &record, QString *error)
{
    const QByteArray json = QJsonDocument(record).toJson(QJsonDocument::Compact);
    if (p.cipher == ProvinceProfile::Cipher::Sm2) {
        const auto c = trust::Crypto::sm2Encrypt(p.platformPublicKey, json, error);
        if (!c)
            return std::nullopt;
        return QString::fromLatin1(c->toBase64());
    }
    const QByteArray iv = trust::Crypto::randomBytes(16);
    if (iv.size() != 16) {
        if (error)
            *error = QStringLiteral("no random bytes for the SM4 IV");
        return std::nullopt;
    }
    const auto c = trust::Crypto::sm4CbcEncrypt(p.sm4Key, iv, json, trust::Crypto::Padding::Pkcs7, error);
    if (!c)
        return std::nullopt;
    return QString::fromLatin1((iv + *c).toBase64());
}

void ProvinceClient::post(const QString &path, const QJsonObject &params,
                          std::function<void(const Outcome &, const QJsonObject &)> done)
{
    Outcome failed;
    const QString time = timeStamp(QDateTime::currentDateTimeUtc());
    const auto sign = signature(m_profile, time, &failed.error);
    if (!sign) {
        done(failed, {});
        return;
    }
    const QJsonObject body{
        {QStringLiteral("txnBodyCom"), QJsonObject{{QStringLiteral("appMark"), m_profile.appMark},
                                                   {QStringLiteral("time"), time},
                                                   {QStringLiteral("sign"), *sign},
                                                   {QStringLiteral("params"), params}}},
        {QStringLiteral("txnCommCom"), QJsonObject{}},
    };
    QUrl url = m_profile.endpoint;
    url.setPath(url.path() + path);
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json; charset=utf-8"));
    request.setTransferTimeout(m_profile.timeoutMs);
    QNetworkReply *reply = m_network.post(request, QJsonDocument(body).toJson(QJsonDocument::Compact));
    connect(reply, &QNetworkReply::finished, this, [reply, done = std::move(done)] {
        reply->deleteLater();
        Outcome o;
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        o.httpStatus = status;
        const QByteArray bytes = reply->isOpen() ? reply->readAll() : QByteArray();
        if (reply->error() != QNetworkReply::NoError || status / 100 != 2) {
            o.error = QStringLiteral("HTTP %1: %2").arg(status).arg(reply->errorString());
            done(o, {});
            return;
        }
        const QJsonDocument doc = QJsonDocument::fromJson(bytes);
        if (!doc.isObject()) {
            o.error = QStringLiteral("unparsable answer");
            done(o, {});
            return;
        }
        const QJsonObject answer = doc.object();
        // Success is code "0" and success "true" (Shandong, G2).
        if (answer.value(QLatin1String("code")).toString() != QLatin1String("0")
            || answer.value(QLatin1String("success")).toString() != QLatin1String("true")) {
            o.error = QStringLiteral("province code %1: %2")
                          .arg(answer.value(QLatin1String("code")).toString(),
                               answer.value(QLatin1String("msg")).toString());
            done(o, answer);
            return;
        }
        o.ok = true;
        done(o, answer);
    });
}

void ProvinceClient::sendEvaluations(const QList<QJsonObject> &records, std::function<void(const Outcome &)> done)
{
    sendRecords(m_profile.evaluatePath, QStringLiteral("evaluate"), records, std::move(done));
}

void ProvinceClient::sendRecords(const QString &path, const QString &param, const QList<QJsonObject> &records,
                                 std::function<void(const Outcome &)> done)
{
    QJsonArray encrypted;
    for (const QJsonObject &r : records) {
        QString error;
        const auto c = encryptRecord(m_profile, r, &error);
        if (!c) {
            Outcome o;
            o.error = QStringLiteral("encryption failed: ") + error;
            done(o);
            return;
        }
        encrypted.append(*c);
    }
    const qsizetype count = records.size();
    const QStringList duplicates = m_profile.duplicateMessages;
    post(path, QJsonObject{{param, encrypted}},
         [count, duplicates, done = std::move(done)](const Outcome &transport, const QJsonObject &answer) {
             Outcome o = transport;
             auto classify = [&duplicates](const QString &code, const QString &msg) {
                 RecordResult r;
                 r.code = code;
                 r.message = msg;
                 if (code == QLatin1String("0"))
                     r.kind = RecordResult::Kind::Stored;
                 else if (std::any_of(duplicates.cbegin(), duplicates.cend(),
                                      [&msg](const QString &d) { return msg.contains(d); }))
                     r.kind = RecordResult::Kind::Duplicate;
                 else
                     r.kind = RecordResult::Kind::Rejected;
                 return r;
             };
             if (!o.ok) {
                 // A one-record request answered at request level with the duplicate message (the
                 // Shandong form has no per-record list): already stored. Any other request-level
                 // failure (bad signature, overload, …) is retried.
                 const QString msg = answer.value(QLatin1String("msg")).toString();
                 if (count == 1 && !msg.isEmpty()
                     && std::any_of(duplicates.cbegin(), duplicates.cend(),
                                    [&msg](const QString &d) { return msg.contains(d); })) {
                     o.ok = true;
                     o.error.clear();
                     o.records.append(classify(answer.value(QLatin1String("code")).toString(), msg));
                 }
                 done(o);
                 return;
             }
             const QJsonArray results = answer.value(QLatin1String("data")).toArray();
             if (results.isEmpty() && count == 1) {
                 o.records.append(classify(QStringLiteral("0"), answer.value(QLatin1String("msg")).toString()));
                 done(o);
                 return;
             }
             if (results.size() != count) {
                 o.ok = false;
                 o.error = QStringLiteral("answer lists %1 results for %2 records").arg(results.size()).arg(count);
                 done(o);
                 return;
             }
             for (const QJsonValue &v : results) {
                 const QJsonObject r = v.toObject();
                 o.records.append(classify(r.value(QLatin1String("code")).toString(),
                                           r.value(QLatin1String("msg")).toString()));
             }
             done(o);
         });
}

void ProvinceClient::pull(const QString &path, const QJsonObject &params, std::function<void(const Outcome &)> done)
{
    post(path, params, [done = std::move(done)](const Outcome &transport, const QJsonObject &answer) {
        Outcome o = transport;
        if (o.ok)
            o.data = answer.value(QLatin1String("data")).toObject();
        done(o);
    });
}

} // namespace hcp::sync::hub::upstream

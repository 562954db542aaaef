// SPDX-License-Identifier: Apache-2.0
#include "provinceprofile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

namespace hcp::sync::hub::upstream {

namespace {

// A key member is either inline PEM or a file name (relative to the profile's directory).
bool loadKey(const QJsonObject &o, const char *member, const QString &baseDir, trust::Key *out, QString *error)
{
    const QString v = o.value(QLatin1String(member)).toString();
    if (v.isEmpty())
        return true;
    QByteArray pem = v.toUtf8();
    if (!v.startsWith(QLatin1String("-----BEGIN"))) {
        QFile f(QDir(baseDir).absoluteFilePath(v));
        if (!f.open(QIODevice::ReadOnly)) {
            *error = QStringLiteral("%1: cannot read %2").arg(QLatin1String(member), f.fileName());
            return false;
        }
        pem = f.readAll();
    }
    QString keyError;
    *out = trust::Key::fromPem(pem, &keyError);
    if (out->isNull() || out->type() != trust::KeyType::Sm2) {
        *error = QStringLiteral("%1: not an SM2 key (%2)").arg(QLatin1String(member), keyError);
        return false;
    }
    return true;
}

} // namespace

std::optional<ProvinceProfile> ProvinceProfile::fromJson(const QJsonObject &o, const QString &baseDir, QString *error)
{
    QString localError;
    QString *err = error ? error : &localError;
    ProvinceProfile p;
    p.name = o.value(QLatin1String("name")).toString(QStringLiteral("province"));
    p.endpoint = QUrl(o.value(QLatin1String("endpoint")).toString());
    if (!p.endpoint.isValid() || (p.endpoint.scheme() != QLatin1String("http") && p.endpoint.scheme() != QLatin1String("https"))) {
        *err = QStringLiteral("endpoint must be an http(s) URL");
        return std::nullopt;
    }
    auto str = [&o](const char *k, QString *target) {
        if (o.contains(QLatin1String(k)))
            *target = o.value(QLatin1String(k)).toString();
    };
    auto num = [&o](const char *k, int *target) {
        if (o.contains(QLatin1String(k)))
            *target = o.value(QLatin1String(k)).toInt(*target);
    };
    str("evaluatePath", &p.evaluatePath);
    str("normPath", &p.normPath);
    str("rectificationPath", &p.rectificationPath);
    str("replyPath", &p.replyPath);
    str("appealPath", &p.appealPath);
    str("areaCode", &p.areaCode);
    str("dataSource", &p.dataSource);
    str("projectNoPrefix", &p.projectNoPrefix);
    p.appMark = o.value(QLatin1String("appMark")).toString();
    p.appWord = o.value(QLatin1String("appWord")).toString().toUtf8();
    if (p.appMark.isEmpty() || p.appWord.isEmpty()) {
        *err = QStringLiteral("appMark and appWord are required");
        return std::nullopt;
    }
    const QString sign = o.value(QLatin1String("sign")).toString(QStringLiteral("sm2-encrypt"));
    if (sign == QLatin1String("sm2-encrypt"))
        p.signMode = SignMode::Sm2Encrypt;
    else if (sign == QLatin1String("sm2-sign"))
        p.signMode = SignMode::Sm2Sign;
    else {
        *err = QStringLiteral("sign must be sm2-encrypt or sm2-sign");
        return std::nullopt;
    }
    const QString cipher = o.value(QLatin1String("cipher")).toString(QStringLiteral("sm2"));
    if (cipher == QLatin1String("sm2"))
        p.cipher = Cipher::Sm2;
    else if (cipher == QLatin1String("sm4"))
        p.cipher = Cipher::Sm4;
    else {
        *err = QStringLiteral("cipher must be sm2 or sm4");
        return std::nullopt;
    }
    if (!loadKey(o, "platformPublicKey", baseDir, &p.platformPublicKey, err)
        || !loadKey(o, "appPrivateKey", baseDir, &p.appKey, err))
        return std::nullopt;
    if ((p.signMode == SignMode::Sm2Encrypt || p.cipher == Cipher::Sm2) && p.platformPublicKey.isNull()) {
        *err = QStringLiteral("platformPublicKey is required for sm2-encrypt signing or sm2 payloads");
        return std::nullopt;
    }
    if (p.signMode == SignMode::Sm2Sign && !p.appKey.hasPrivate()) {
        *err = QStringLiteral("appPrivateKey (an SM2 private key) is required for sm2-sign");
        return std::nullopt;
    }
    p.sm4Key = QByteArray::fromHex(o.value(QLatin1String("sm4Key")).toString().toLatin1());
    if (p.cipher == Cipher::Sm4 && p.sm4Key.size() != 16) {
        *err = QStringLiteral("sm4Key must be 32 hex digits for sm4 payloads");
        return std::nullopt;
    }
    static const QRegularExpression area(QStringLiteral("^\\d{12}$"));
    if (!p.areaCode.isEmpty() && !area.match(p.areaCode).hasMatch()) {
        *err = QStringLiteral("areaCode must be 12 digits");
        return std::nullopt;
    }
    static const QRegularExpression three(QStringLiteral("^\\d{3}$"));
    if (!three.match(p.dataSource).hasMatch()) {
        *err = QStringLiteral("dataSource must be 3 digits");
        return std::nullopt;
    }
    if (o.contains(QLatin1String("duplicateMessages"))) {
        p.duplicateMessages.clear();
        for (const QJsonValue &v : o.value(QLatin1String("duplicateMessages")).toArray())
            if (!v.toString().isEmpty())
                p.duplicateMessages.append(v.toString());
    }
    num("timeoutMs", &p.timeoutMs);
    num("batchSize", &p.batchSize);
    num("backoffBaseMs", &p.backoffBaseMs);
    num("backoffCapMs", &p.backoffCapMs);
    num("pollIntervalMs", &p.pollIntervalMs);
    num("leaseMs", &p.leaseMs);
    num("pullIntervalS", &p.pullIntervalS);
    if (p.batchSize < 1 || p.batchSize > 500 || p.timeoutMs < 1 || p.backoffBaseMs < 1
        || p.backoffCapMs < p.backoffBaseMs || p.pollIntervalMs < 1 || p.leaseMs < 0 || p.pullIntervalS < 0) {
        *err = QStringLiteral("batchSize 1..500, timeouts/intervals positive, backoffCapMs >= backoffBaseMs");
        return std::nullopt;
    }
    return p;
}

std::optional<ProvinceProfile> ProvinceProfile::load(const QString &path, QString *error)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        if (error)
            *error = QStringLiteral("cannot read %1").arg(path);
        return std::nullopt;
    }
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &pe);
    if (!doc.isObject()) {
        if (error)
            *error = QStringLiteral("%1: not a JSON object (%2)").arg(path, pe.errorString());
        return std::nullopt;
    }
    return fromJson(doc.object(), QFileInfo(path).absolutePath(), error);
}

} // namespace hcp::sync::hub::upstream

// SPDX-License-Identifier: Apache-2.0
#include "updateconfig.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace hcp::updater {

std::optional<UpdateConfig> UpdateConfig::load(const QString &path, QString *error)
{
    auto fail = [error](const QString &message) -> std::optional<UpdateConfig> {
        if (error)
            *error = message;
        return std::nullopt;
    };
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (!doc.isObject())
        return fail(QStringLiteral("%1 is not a JSON object: %2").arg(path, parseError.errorString()));
    const QJsonObject o = doc.object();
    UpdateConfig c;
    c.root = o.value(QLatin1String("root")).toString();
    c.policy.deviceClass = o.value(QLatin1String("deviceClass")).toString();
    if (c.policy.deviceClass.isEmpty())
        return fail(QStringLiteral("%1: deviceClass is required").arg(path));
    c.trialSeconds = qint64(o.value(QLatin1String("trialSeconds")).toDouble(300));
    c.maxTrialBoots = o.value(QLatin1String("maxTrialBoots")).toInt(3);
    c.downloadAttempts = o.value(QLatin1String("downloadAttempts")).toInt(20);
    c.retryInitialMs = o.value(QLatin1String("retryInitialMs")).toInt(1000);
    c.retryMaxMs = o.value(QLatin1String("retryMaxMs")).toInt(60000);
    if (o.contains(QLatin1String("maxBundleBytes")))
        c.policy.maxBundleBytes = qint64(o.value(QLatin1String("maxBundleBytes")).toDouble());
    if (c.trialSeconds <= 0 || c.maxTrialBoots < 1 || c.downloadAttempts < 1
        || c.policy.maxBundleBytes <= 0)
        return fail(QStringLiteral("%1: trialSeconds, maxTrialBoots, downloadAttempts and "
                                   "maxBundleBytes must be positive").arg(path));

    QList<QByteArray> pems;
    for (const QJsonValue &v : o.value(QLatin1String("releaseKeys")).toArray())
        pems.append(v.toString().toUtf8());
    const QDir base = QFileInfo(path).absoluteDir();
    for (const QJsonValue &v : o.value(QLatin1String("releaseKeyFiles")).toArray()) {
        QFile keyFile(base.filePath(v.toString()));
        if (!keyFile.open(QIODevice::ReadOnly))
            return fail(QStringLiteral("cannot read release key %1").arg(keyFile.fileName()));
        pems.append(keyFile.readAll());
    }
    for (const QByteArray &pem : std::as_const(pems)) {
        QString keyError;
        const hcp::trust::Key key = hcp::trust::Key::fromPem(pem, &keyError);
        if (key.isNull())
            return fail(QStringLiteral("%1: bad release key: %2").arg(path, keyError));
        c.policy.releaseKeys.append(key.publicOnly());
    }
    if (c.policy.releaseKeys.isEmpty())
        return fail(QStringLiteral("%1: no release key pinned").arg(path));
    return c;
}

} // namespace hcp::updater

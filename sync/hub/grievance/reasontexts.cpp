// SPDX-License-Identifier: Apache-2.0
#include "reasontexts.h"

#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>

namespace hcp::sync::hub::grievance {

namespace {

void addSet(QHash<QString, QString> *texts, const QJsonObject &set)
{
    for (const QJsonValue &v : set.value(QLatin1String("indicators")).toArray()) {
        const QJsonObject i = v.toObject();
        const QString code = i.value(QLatin1String("code")).toString();
        const QString text = i.value(QLatin1String("text")).toString();
        if (!code.isEmpty() && !text.isEmpty())
            texts->insert(code, text);
    }
}

} // namespace

QHash<QString, QString> reasonTextMap(const QSqlDatabase &db)
{
    QHash<QString, QString> texts;
    QFile builtin(QStringLiteral(":/hcp/hub/indicators.json")); // the kiosk's kiosk/defaults set
    if (builtin.open(QIODevice::ReadOnly))
        addSet(&texts, QJsonDocument::fromJson(builtin.readAll()).object());
    QSqlQuery q(db);
    if (q.exec(QStringLiteral("SELECT document FROM config_versions ORDER BY version")))
        while (q.next())
            addSet(&texts, QJsonDocument::fromJson(q.value(0).toByteArray()).object().value(QLatin1String("indicators")).toObject());
    return texts;
}

QHash<QString, QJsonObject> questionTexts(const QSqlDatabase &db)
{
    QHash<QString, QJsonObject> items;
    auto addSet = [&items](const QJsonObject &set) {
        QJsonArray all = set.value(QLatin1String("default")).toObject().value(QLatin1String("items")).toArray();
        const QJsonObject byTask = set.value(QLatin1String("byTaskCode")).toObject();
        for (auto it = byTask.begin(); it != byTask.end(); ++it)
            for (const QJsonValue &v : it.value().toObject().value(QLatin1String("items")).toArray())
                all.append(v);
        for (const QJsonValue &v : std::as_const(all)) {
            const QJsonObject item = v.toObject();
            if (!item.value(QLatin1String("id")).toString().isEmpty())
                items.insert(item.value(QLatin1String("id")).toString(), item);
        }
    };
    QFile builtin(QStringLiteral(":/hcp/hub/questionnaires.json")); // the kiosk's kiosk/defaults set
    if (builtin.open(QIODevice::ReadOnly))
        addSet(QJsonDocument::fromJson(builtin.readAll()).object());
    QSqlQuery q(db);
    if (q.exec(QStringLiteral("SELECT document FROM config_versions ORDER BY version")))
        while (q.next())
            addSet(QJsonDocument::fromJson(q.value(0).toByteArray()).object().value(QLatin1String("questionnaires")).toObject());
    return items;
}

QString reasonTexts(const QSqlDatabase &db, const QString &evalDetail)
{
    const QStringList codes = evalDetail.split(QLatin1Char(','), Qt::SkipEmptyParts);
    if (codes.isEmpty())
        return {};
    const QHash<QString, QString> texts = reasonTextMap(db);
    QStringList named;
    for (const QString &c : codes) {
        const QString code = c.trimmed();
        named << (texts.contains(code) ? QStringLiteral("%1 %2").arg(code, texts.value(code)) : code);
    }
    return named.join(QStringLiteral("；"));
}

} // namespace hcp::sync::hub::grievance

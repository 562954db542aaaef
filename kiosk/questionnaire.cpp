// SPDX-License-Identifier: Apache-2.0
#include "questionnaire.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

namespace hcp::kiosk {

bool QuestionItem::acceptsAnswer(const QString &answer) const
{
    auto hasOption = [this](const QString &code) {
        for (const QuestionOption &o : options)
            if (o.code == code)
                return true;
        return false;
    };
    switch (kind) {
    case Kind::YesNo:
        return answer == QLatin1String("1") || answer == QLatin1String("0");
    case Kind::Single:
        return hasOption(answer);
    case Kind::Multi: {
        const QStringList codes = answer.split(QLatin1Char(','));
        if (answer.isEmpty())
            return false;
        for (const QString &c : codes)
            if (!hasOption(c) || codes.count(c) > 1)
                return false;
        return true;
    }
    }
    return false;
}

static bool parseItems(const QJsonArray &arr, QList<QuestionItem> *out, QString *error)
{
    for (const QJsonValue &v : arr) {
        const QJsonObject o = v.toObject();
        QuestionItem item;
        item.id = o.value(QLatin1String("id")).toString();
        item.text = o.value(QLatin1String("text")).toString();
        item.textEn = o.value(QLatin1String("text_en")).toString();
        const QString kind = o.value(QLatin1String("kind")).toString();
        if (kind == QLatin1String("yesno"))
            item.kind = QuestionItem::Kind::YesNo;
        else if (kind == QLatin1String("single"))
            item.kind = QuestionItem::Kind::Single;
        else if (kind == QLatin1String("multi"))
            item.kind = QuestionItem::Kind::Multi;
        else {
            if (error)
                *error = QStringLiteral("question %1: unknown kind '%2'").arg(item.id, kind);
            return false;
        }
        for (const QJsonValue &ov : o.value(QLatin1String("options")).toArray()) {
            const QJsonObject oo = ov.toObject();
            item.options.append({oo.value(QLatin1String("code")).toString(),
                                 oo.value(QLatin1String("text")).toString(),
                                 oo.value(QLatin1String("text_en")).toString()});
        }
        if (item.id.isEmpty() || item.text.isEmpty()
            || (item.kind != QuestionItem::Kind::YesNo && item.options.size() < 2)) {
            if (error)
                *error = QStringLiteral("question '%1' is incomplete").arg(item.id);
            return false;
        }
        out->append(item);
    }
    return true;
}

Questionnaire QuestionnaireCatalog::forTask(const QString &taskCode) const
{
    auto it = byTaskCode.constFind(taskCode);
    return it != byTaskCode.constEnd() ? *it : defaultQuestionnaire;
}

QuestionnaireCatalog QuestionnaireCatalog::fromJson(const QJsonObject &o, QString *error)
{
    QuestionnaireCatalog c;
    c.version = o.value(QLatin1String("version")).toString();
    if (c.version.isEmpty()) {
        if (error)
            *error = QStringLiteral("questionnaire catalog needs a version");
        return {};
    }
    c.defaultQuestionnaire.version = c.version;
    if (!parseItems(o.value(QLatin1String("default")).toObject().value(QLatin1String("items")).toArray(),
                    &c.defaultQuestionnaire.items, error))
        return {};
    const QJsonObject by = o.value(QLatin1String("byTaskCode")).toObject();
    for (auto it = by.begin(); it != by.end(); ++it) {
        Questionnaire q;
        q.version = c.version;
        q.taskCode = it.key();
        if (!parseItems(it.value().toObject().value(QLatin1String("items")).toArray(), &q.items, error))
            return {};
        c.byTaskCode.insert(q.taskCode, q);
    }
    return c;
}

QuestionnaireCatalog QuestionnaireCatalog::builtin()
{
    QFile f(QStringLiteral(":/hcp/defaults/questionnaires.json"));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return fromJson(QJsonDocument::fromJson(f.readAll()).object());
}

} // namespace hcp::kiosk

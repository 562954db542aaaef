// SPDX-License-Identifier: Apache-2.0
#include "indicatorset.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

namespace hcp::kiosk {

QList<Indicator> IndicatorSet::forLevel(int level, bool withCommentStep) const
{
    QList<Indicator> out;
    for (const Indicator &i : indicators)
        if (i.levels.contains(level) && (withCommentStep || !i.needsComment()))
            out.append(i);
    return out;
}

bool IndicatorSet::isKnownFor(const QString &code, int level) const
{
    for (const Indicator &i : indicators)
        if (i.code == code)
            return i.levels.contains(level);
    return false;
}

QString IndicatorSet::textOf(const QString &code) const
{
    for (const Indicator &i : indicators)
        if (i.code == code)
            return i.text;
    return {};
}

IndicatorSet IndicatorSet::fromJson(const QJsonObject &o, QString *error)
{
    IndicatorSet s;
    s.version = o.value(QLatin1String("version")).toString();
    const QJsonArray arr = o.value(QLatin1String("indicators")).toArray();
    for (const QJsonValue &v : arr) {
        const QJsonObject io = v.toObject();
        Indicator i;
        i.code = io.value(QLatin1String("code")).toString();
        i.text = io.value(QLatin1String("text")).toString();
        i.textEn = io.value(QLatin1String("text_en")).toString();
        for (const QJsonValue &l : io.value(QLatin1String("levels")).toArray())
            i.levels.append(l.toInt());
        if (i.code.isEmpty() || i.text.isEmpty() || i.levels.isEmpty()) {
            if (error)
                *error = QStringLiteral("indicator without code, text or levels");
            return {};
        }
        s.indicators.append(i);
    }
    if (!s.isValid() && error)
        *error = QStringLiteral("indicator set needs a version and at least one indicator");
    return s.isValid() ? s : IndicatorSet{};
}

QJsonObject IndicatorSet::toJson() const
{
    QJsonArray arr;
    for (const Indicator &i : indicators) {
        QJsonArray levels;
        for (int l : i.levels)
            levels.append(l);
        QJsonObject io{{QStringLiteral("code"), i.code},
                       {QStringLiteral("text"), i.text},
                       {QStringLiteral("levels"), levels}};
        if (!i.textEn.isEmpty())
            io.insert(QStringLiteral("text_en"), i.textEn);
        arr.append(io);
    }
    return {{QStringLiteral("version"), version}, {QStringLiteral("indicators"), arr}};
}

IndicatorSet IndicatorSet::builtin()
{
    QFile f(QStringLiteral(":/hcp/defaults/indicators.json"));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return fromJson(QJsonDocument::fromJson(f.readAll()).object());
}

} // namespace hcp::kiosk

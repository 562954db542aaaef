// SPDX-License-Identifier: Apache-2.0
#include "jsonmergepatch.h"

#include <QSet>
#include <QStringList>

namespace hcp::sync::JsonMergePatch {

namespace {

QJsonObject merge(QJsonObject target, const QJsonObject &patch, bool keepNulls)
{
    for (auto it = patch.begin(); it != patch.end(); ++it) {
        if (it.value().isNull() && !keepNulls) {
            target.remove(it.key());
        } else if (it.value().isObject()) {
            const QJsonValue current = target.value(it.key());
            target.insert(it.key(), merge(current.isObject() ? current.toObject() : QJsonObject(), it.value().toObject(), keepNulls));
        } else {
            target.insert(it.key(), it.value());
        }
    }
    return target;
}

} // namespace

QJsonObject apply(QJsonObject target, const QJsonObject &patch)
{
    return merge(std::move(target), patch, false);
}

QJsonObject layer(QJsonObject below, const QJsonObject &above)
{
    return merge(std::move(below), above, true);
}

namespace {

void diffInto(const QString &prefix, const QJsonObject &before, const QJsonObject &after, QJsonArray *out)
{
    QStringList keys = before.keys() + after.keys();
    keys.sort();
    keys.removeDuplicates();
    for (const QString &key : keys) {
        const QString path = prefix.isEmpty() ? key : prefix + QLatin1Char('.') + key;
        const bool hadIt = before.contains(key);
        const bool hasIt = after.contains(key);
        const QJsonValue b = before.value(key);
        const QJsonValue a = after.value(key);
        if (hadIt && hasIt && b == a)
            continue;
        // An object that appears or goes is listed by its leaves too ("kiosk.hotline", not "kiosk").
        if ((b.isObject() || !hadIt) && (a.isObject() || !hasIt)) {
            diffInto(path, b.toObject(), a.toObject(), out);
            continue;
        }
        QJsonObject change{{QStringLiteral("path"), path}};
        if (hadIt)
            change.insert(QStringLiteral("before"), b);
        if (hasIt)
            change.insert(QStringLiteral("after"), a);
        out->append(change);
    }
}

} // namespace

QJsonArray diff(const QJsonObject &before, const QJsonObject &after)
{
    QJsonArray out;
    diffInto(QString(), before, after, &out);
    return out;
}

} // namespace hcp::sync::JsonMergePatch

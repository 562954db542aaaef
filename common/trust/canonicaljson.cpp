// SPDX-License-Identifier: Apache-2.0
#include "canonicaljson.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QStringList>

#include <algorithm>
#include <cmath>

namespace hcp::trust {

namespace {

constexpr double kMaxSafeInteger = 9007199254740991.0; // 2^53 - 1

bool appendString(QByteArray &out, const QString &s, QString *error)
{
    out.append('"');
    const char16_t *p = reinterpret_cast<const char16_t *>(s.utf16());
    const qsizetype n = s.size();
    qsizetype runStart = 0;
    auto flush = [&](qsizetype end) {
        if (end > runStart)
            out.append(QStringView(p + runStart, end - runStart).toUtf8());
    };
    for (qsizetype i = 0; i < n; ++i) {
        const char16_t c = p[i];
        if (QChar::isHighSurrogate(c)) {
            if (i + 1 >= n || !QChar::isLowSurrogate(p[i + 1])) {
                if (error)
                    *error = QStringLiteral("lone surrogate in string");
                return false;
            }
            ++i;
            continue;
        }
        if (QChar::isLowSurrogate(c)) {
            if (error)
                *error = QStringLiteral("lone surrogate in string");
            return false;
        }
        if (c >= 0x20 && c != u'"' && c != u'\\')
            continue;
        flush(i);
        runStart = i + 1;
        switch (c) {
        case u'"': out.append("\\\""); break;
        case u'\\': out.append("\\\\"); break;
        case 0x08: out.append("\\b"); break;
        case 0x09: out.append("\\t"); break;
        case 0x0a: out.append("\\n"); break;
        case 0x0c: out.append("\\f"); break;
        case 0x0d: out.append("\\r"); break;
        default: {
            static const char hex[] = "0123456789abcdef";
            out.append("\\u00").append(hex[(c >> 4) & 0xf]).append(hex[c & 0xf]);
        }
        }
    }
    flush(n);
    out.append('"');
    return true;
}

bool appendValue(QByteArray &out, const QJsonValue &v, QString *error, int depth);

bool appendObject(QByteArray &out, const QJsonObject &o, QString *error, int depth)
{
    QStringList keys = o.keys();
    std::sort(keys.begin(), keys.end()); // QString operator< compares UTF-16 code units
    out.append('{');
    bool first = true;
    for (const QString &k : keys) {
        if (!first)
            out.append(',');
        first = false;
        if (!appendString(out, k, error))
            return false;
        out.append(':');
        if (!appendValue(out, o.value(k), error, depth + 1))
            return false;
    }
    out.append('}');
    return true;
}

bool appendValue(QByteArray &out, const QJsonValue &v, QString *error, int depth)
{
    if (depth > 64) {
        if (error)
            *error = QStringLiteral("nesting deeper than 64");
        return false;
    }
    switch (v.type()) {
    case QJsonValue::Null: out.append("null"); return true;
    case QJsonValue::Bool: out.append(v.toBool() ? "true" : "false"); return true;
    case QJsonValue::String: return appendString(out, v.toString(), error);
    case QJsonValue::Array: {
        out.append('[');
        const QJsonArray a = v.toArray();
        for (qsizetype i = 0; i < a.size(); ++i) {
            if (i)
                out.append(',');
            if (!appendValue(out, a.at(i), error, depth + 1))
                return false;
        }
        out.append(']');
        return true;
    }
    case QJsonValue::Object: return appendObject(out, v.toObject(), error, depth);
    case QJsonValue::Double: {
        const double d = v.toDouble();
        if (!std::isfinite(d) || std::trunc(d) != d || std::fabs(d) > kMaxSafeInteger) {
            if (error)
                *error = QStringLiteral("number %1 is not an integer within ±(2^53-1)").arg(d);
            return false;
        }
        out.append(QByteArray::number(qint64(d)));
        return true;
    }
    case QJsonValue::Undefined: break;
    }
    if (error)
        *error = QStringLiteral("undefined JSON value");
    return false;
}

} // namespace

std::optional<QByteArray> CanonicalJson::serialize(const QJsonValue &value, QString *error)
{
    QByteArray out;
    if (!appendValue(out, value, error, 0))
        return std::nullopt;
    return out;
}

std::optional<QByteArray> CanonicalJson::serialize(const QJsonObject &object, QString *error)
{
    return serialize(QJsonValue(object), error);
}

std::optional<QByteArray> CanonicalJson::fromJsonText(const QByteArray &json, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        if (error)
            *error = parseError.error != QJsonParseError::NoError
                ? parseError.errorString()
                : QStringLiteral("JSON text is not an object");
        return std::nullopt;
    }
    return serialize(doc.object(), error);
}

} // namespace hcp::trust

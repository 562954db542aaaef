// SPDX-License-Identifier: Apache-2.0
#include "inputchecks.h"

#include <QDateTime>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QJsonArray>
#include <QJsonDocument>
#include <QList>
#include <QSet>

namespace hcp::sync::hub::guard {

namespace {

// The decoded text of a JSON string token (with its quotes); escapes go through QJsonDocument.
QString decodeKey(const QByteArray &token)
{
    if (!token.contains('\\'))
        return QString::fromUtf8(token.mid(1, token.size() - 2));
    const QJsonDocument doc = QJsonDocument::fromJson('[' + token + ']');
    return doc.array().at(0).toString();
}

} // namespace

bool hasDuplicateKeys(const QByteArray &json)
{
    struct Container
    {
        bool object;
        QSet<QString> keys;
    };
    QList<Container> stack;
    bool expectKey = false;
    const qsizetype n = json.size();
    for (qsizetype i = 0; i < n; ++i) {
        const char c = json.at(i);
        switch (c) {
        case '{':
            stack.append(Container{true, {}});
            expectKey = true;
            break;
        case '[':
            stack.append(Container{false, {}});
            expectKey = false;
            break;
        case '}':
        case ']':
            if (!stack.isEmpty())
                stack.removeLast();
            expectKey = false;
            break;
        case ',':
            expectKey = !stack.isEmpty() && stack.last().object;
            break;
        case '"': {
            qsizetype j = i + 1;
            while (j < n && json.at(j) != '"')
                j += json.at(j) == '\\' ? 2 : 1;
            if (expectKey && !stack.isEmpty()) {
                const QString key = decodeKey(json.mid(i, j - i + 1));
                if (stack.last().keys.contains(key))
                    return true;
                stack.last().keys.insert(key);
            }
            expectKey = false;
            i = j;
            break;
        }
        default:
            break;
        }
    }
    return false;
}

bool parseStrictObject(const QByteArray &body, QJsonObject *out)
{
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &pe);
    if (pe.error != QJsonParseError::NoError || !doc.isObject() || hasDuplicateKeys(body))
        return false;
    *out = doc.object();
    return true;
}

QString clientAddress(const QHttpServerRequest &request, const QList<QHostAddress> &trustedProxies)
{
    const QHostAddress peer = request.remoteAddress();
    auto trusted = [&](const QHostAddress &a) {
        for (const QHostAddress &p : trustedProxies) {
            if (p.isEqual(a, QHostAddress::TolerantConversion))
                return true;
        }
        return false;
    };
    if (!trusted(peer))
        return peer.toString();
    QByteArray forwarded;
    for (const auto &h : request.headers()) {
        if (h.first.compare("X-Forwarded-For", Qt::CaseInsensitive) == 0)
            forwarded += (forwarded.isEmpty() ? "" : ",") + h.second;
    }
    const QList<QByteArray> hops = forwarded.split(',');
    for (auto it = hops.crbegin(); it != hops.crend(); ++it) {
        const QHostAddress hop(QString::fromLatin1(it->trimmed()));
        if (hop.isNull())
            break; // garbage: stop at the last address we can name
        if (!trusted(hop))
            return hop.toString();
    }
    return peer.toString();
}

void stampHubTime(QHttpServerResponse &response)
{
    response.setHeader("X-HCP-Hub-Time", QByteArray::number(QDateTime::currentMSecsSinceEpoch()));
}

QString forLog(const QString &value, int maxChars)
{
    QString out = value.left(maxChars);
    for (QChar &ch : out) {
        if (ch.category() == QChar::Other_Control)
            ch = QLatin1Char('?');
    }
    if (value.size() > maxChars)
        out += QStringLiteral("…(+%1)").arg(value.size() - maxChars);
    return out;
}

} // namespace hcp::sync::hub::guard

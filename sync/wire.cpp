// SPDX-License-Identifier: Apache-2.0
#include "wire.h"

#include "crypto.h"

#include <QCryptographicHash>
#include <QDate>
#include <QTime>
#include <QJsonDocument>
#include <QMessageAuthenticationCode>
#include <QRegularExpression>
#include <QUrl>
#include <QUrlQuery>

#include <cstring>

namespace hcp::sync::wire {

namespace {

bool isInt(const QJsonValue &v)
{
    if (!v.isDouble())
        return false;
    const double d = v.toDouble();
    return d == static_cast<double>(static_cast<qint64>(d));
}

// "yyyy-MM-dd HH:mm:ss" with a real calendar date and clock time. Parsed by hand: the hub checks
// every record, and QDateTime::fromString consults the local time zone (a stat of
// /etc/localtime per call in glibc), which dominated batch ingest.
bool isTime(const QJsonValue &v)
{
    if (!v.isString())
        return false;
    const QString s = v.toString();
    if (s.size() != 19 || s.at(4) != QLatin1Char('-') || s.at(7) != QLatin1Char('-')
        || s.at(10) != QLatin1Char(' ') || s.at(13) != QLatin1Char(':') || s.at(16) != QLatin1Char(':'))
        return false;
    auto number = [&s](int from, int length, bool *ok) {
        int n = 0;
        for (int i = from; i < from + length; ++i) {
            const QChar c = s.at(i);
            if (c < QLatin1Char('0') || c > QLatin1Char('9')) {
                *ok = false;
                return 0;
            }
            n = n * 10 + (c.unicode() - '0');
        }
        return n;
    };
    bool ok = true;
    const int year = number(0, 4, &ok), month = number(5, 2, &ok), day = number(8, 2, &ok);
    const int hour = number(11, 2, &ok), minute = number(14, 2, &ok), second = number(17, 2, &ok);
    return ok && QDate(year, month, day).isValid() && QTime(hour, minute, second).isValid();
}

bool isNonEmptyString(const QJsonValue &v)
{
    return v.isString() && !v.toString().trimmed().isEmpty();
}

qsizetype skipWhitespace(const QByteArray &b, qsizetype i)
{
    while (i < b.size() && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t'))
        ++i;
    return i;
}

// b[i] is the opening quote; returns the index after the closing quote, or -1.
qsizetype skipString(const QByteArray &b, qsizetype i)
{
    for (++i; i < b.size(); ++i) {
        if (b[i] == '\\')
            ++i;
        else if (b[i] == '"')
            return i + 1;
    }
    return -1;
}

// Returns the index after the JSON value starting at b[i], or -1.
qsizetype skipValue(const QByteArray &b, qsizetype i)
{
    if (i >= b.size())
        return -1;
    if (b[i] == '"')
        return skipString(b, i);
    if (b[i] == '{' || b[i] == '[') {
        int depth = 0;
        while (i < b.size()) {
            const char c = b[i];
            if (c == '"') {
                i = skipString(b, i);
                if (i < 0)
                    return -1;
                continue;
            }
            if (c == '{' || c == '[') {
                ++depth;
            } else if (c == '}' || c == ']') {
                if (--depth == 0)
                    return i + 1;
            }
            ++i;
        }
        return -1;
    }
    const qsizetype start = i;
    while (i < b.size() && !strchr(",}] \t\r\n", b[i]))
        ++i;
    return i > start ? i : -1;
}

} // namespace

bool splitArrayMember(const QByteArray &json, const QByteArray &key, QList<QByteArray> *elements)
{
    const QByteArray &b = json;
    elements->clear();
    qsizetype i = skipWhitespace(b, 0);
    if (i >= b.size() || b[i] != '{')
        return false;
    i = skipWhitespace(b, i + 1);
    bool found = false;
    while (i < b.size() && b[i] != '}') {
        if (b[i] != '"')
            return false;
        const qsizetype keyEnd = skipString(b, i);
        if (keyEnd < 0)
            return false;
        const bool isKey = b.mid(i + 1, keyEnd - i - 2) == key;
        i = skipWhitespace(b, keyEnd);
        if (i >= b.size() || b[i] != ':')
            return false;
        i = skipWhitespace(b, i + 1);
        if (isKey) {
            if (found || i >= b.size() || b[i] != '[')
                return false; // a second member of that name, or not an array
            found = true;
            i = skipWhitespace(b, i + 1);
            while (i < b.size() && b[i] != ']') {
                const qsizetype end = skipValue(b, i);
                if (end < 0)
                    return false;
                elements->append(b.mid(i, end - i));
                i = skipWhitespace(b, end);
                if (i < b.size() && b[i] == ',')
                    i = skipWhitespace(b, i + 1);
                else if (i >= b.size() || b[i] != ']')
                    return false;
            }
            if (i >= b.size())
                return false;
            ++i;
        } else {
            i = skipValue(b, i);
            if (i < 0)
                return false;
        }
        i = skipWhitespace(b, i);
        if (i < b.size() && b[i] == ',')
            i = skipWhitespace(b, i + 1);
    }
    return found;
}

QString validateEvaluation(const QJsonObject &e)
{
    const QJsonValue uuid = e.value(QLatin1String("uuid"));
    if (!isNonEmptyString(uuid) || uuid.toString().size() > 64)
        return QStringLiteral("uuid missing or longer than 64 characters");
    if (!isInt(e.value(QLatin1String("deviceSeq"))) || e.value(QLatin1String("deviceSeq")).toDouble() < 1)
        return QStringLiteral("deviceSeq must be an integer >= 1");
    if (!isNonEmptyString(e.value(QLatin1String("projectNo"))))
        return QStringLiteral("projectNo missing");
    if (!isInt(e.value(QLatin1String("serviceNumber"))) || e.value(QLatin1String("serviceNumber")).toInt() < 1)
        return QStringLiteral("serviceNumber must be an integer >= 1");
    const QJsonValue assessNumber = e.value(QLatin1String("assessNumber"));
    if (!isInt(assessNumber) || (assessNumber.toInt() != 1 && assessNumber.toInt() != 2))
        return QStringLiteral("assessNumber must be 1 or 2");
    const QJsonValue pf = e.value(QLatin1String("pf"));
    if (!isInt(pf) || pf.toInt() < 1 || pf.toInt() > 9)
        return QStringLiteral("pf must be an integer 1..9");
    const QJsonValue satisfaction = e.value(QLatin1String("satisfaction"));
    if (!isInt(satisfaction) || satisfaction.toInt() < 1 || satisfaction.toInt() > 5)
        return QStringLiteral("satisfaction must be an integer 1..5");
    if (!isTime(e.value(QLatin1String("assessTime"))))
        return QStringLiteral("assessTime must be yyyy-MM-dd HH:mm:ss");
    if (e.contains(QLatin1String("publicFlag"))) {
        const QJsonValue v = e.value(QLatin1String("publicFlag"));
        if (!isInt(v) || (v.toInt() != 1 && v.toInt() != 2))
            return QStringLiteral("publicFlag must be 1 or 2");
    }
    if (e.contains(QLatin1String("evaluateType"))) {
        const QJsonValue v = e.value(QLatin1String("evaluateType"));
        if (!isInt(v) || (v.toInt() != 1 && v.toInt() != 2))
            return QStringLiteral("evaluateType must be 1 or 2");
    }
    const QJsonValue detail = e.value(QLatin1String("evalDetail"));
    if (!detail.isUndefined() && !detail.isString())
        return QStringLiteral("evalDetail must be a string");
    const QString detailText = detail.toString().trimmed();
    if (!detailText.isEmpty()) {
        static const QRegularExpression codes(QStringLiteral("^\\d{3}(,\\d{3})*$"));
        if (!codes.match(detailText).hasMatch())
            return QStringLiteral("evalDetail must be 3-digit codes joined by ','");
    }
    if (satisfaction.toInt() <= 2 && detailText.isEmpty()
        && e.value(QLatin1String("writingEvaluation")).toString().trimmed().isEmpty())
        return QStringLiteral("差评 requires evalDetail or writingEvaluation");
    return {};
}

QString validateCase(const QJsonObject &c)
{
    if (!isNonEmptyString(c.value(QLatin1String("projectNo"))))
        return QStringLiteral("projectNo missing");
    if (!isInt(c.value(QLatin1String("serviceNumber"))) || c.value(QLatin1String("serviceNumber")).toInt() < 1)
        return QStringLiteral("serviceNumber must be an integer >= 1");
    if (!isNonEmptyString(c.value(QLatin1String("userName"))))
        return QStringLiteral("userName missing");
    if (!isNonEmptyString(c.value(QLatin1String("hallCode"))))
        return QStringLiteral("hallCode missing");
    if (!isTime(c.value(QLatin1String("resultDate"))))
        return QStringLiteral("resultDate must be yyyy-MM-dd HH:mm:ss");
    if (c.contains(QLatin1String("areaCode"))) {
        static const QRegularExpression area(QStringLiteral("^\\d{12}$"));
        if (!area.match(c.value(QLatin1String("areaCode")).toString()).hasMatch())
            return QStringLiteral("areaCode must be 12 digits");
    }
    for (const char *intField : {"userProp", "proStatus"}) {
        const QLatin1String key(intField);
        if (c.contains(key) && !isInt(c.value(key)))
            return QStringLiteral("%1 must be an integer").arg(key);
    }
    return {};
}

QByteArray fingerprint(const QJsonObject &object)
{
    return QCryptographicHash::hash(QJsonDocument(object).toJson(QJsonDocument::Compact),
                                    QCryptographicHash::Sha256)
        .toHex();
}

QString projectNoFromQr(const QString &payload)
{
    static const QRegularExpression bare(QStringLiteral("^[A-Za-z0-9_-]{6,50}$")); // as kiosk/qrpayload: an..50 (domain.md §a)
    const QString text = payload.trimmed();
    if (text.startsWith(QLatin1Char('{'))) {
        const QJsonObject o = QJsonDocument::fromJson(text.toUtf8()).object();
        const QString pn = o.value(QLatin1String("projectNo")).toString();
        return bare.match(pn).hasMatch() ? pn : QString();
    }
    const QUrl url(text, QUrl::StrictMode);
    if (url.isValid() && !url.scheme().isEmpty() && url.hasQuery()) {
        const QUrlQuery query(url);
        QString pn = query.queryItemValue(QStringLiteral("projectNo"), QUrl::FullyDecoded);
        if (pn.isEmpty())
            pn = query.queryItemValue(QStringLiteral("projectno"), QUrl::FullyDecoded);
        return bare.match(pn).hasMatch() ? pn : QString();
    }
    return bare.match(text).hasMatch() ? text : QString();
}

QByteArray requestSignature(const QByteArray &secret, const QByteArray &method,
                            const QByteArray &pathAndQuery, qint64 timeMs, const QByteArray &body)
{
    QByteArray canonical = method;
    canonical += '\n';
    canonical += pathAndQuery;
    canonical += '\n';
    canonical += QByteArray::number(timeMs);
    canonical += '\n';
    canonical += QCryptographicHash::hash(body, QCryptographicHash::Sha256).toHex();
    return QMessageAuthenticationCode::hash(canonical, secret, QCryptographicHash::Sha256).toHex();
}

QByteArray certKeyHash(const QByteArray &certKey, const QString &idNumber)
{
    return hcp::trust::Crypto::hmacSm3(certKey, idNumber.trimmed().toUpper().toUtf8()).toHex();
}

std::optional<QString> encryptCertKey(const QByteArray &hubPublicKeyPem, const QString &idNumber, QString *error)
{
    const hcp::trust::Key key = hcp::trust::Key::fromPem(hubPublicKeyPem, error);
    if (key.isNull() || key.type() != hcp::trust::KeyType::Sm2) {
        if (error && !key.isNull())
            *error = QStringLiteral("the hub key is not an SM2 key");
        return std::nullopt;
    }
    QByteArray plain = idNumber.trimmed().toUpper().toUtf8();
    const auto cipher = hcp::trust::Crypto::sm2Encrypt(key, plain, error);
    plain.fill('\0');
    if (!cipher)
        return std::nullopt;
    return QString::fromLatin1(cipher->toBase64());
}

bool constantTimeEquals(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size())
        return false;
    unsigned char diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

QJsonObject errorBody(const QString &code, const QString &message)
{
    return QJsonObject{{QStringLiteral("error"), code}, {QStringLiteral("message"), message}};
}

} // namespace hcp::sync::wire

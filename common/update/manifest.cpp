// SPDX-License-Identifier: Apache-2.0
#include "manifest.h"

#include "canonicaljson.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QRegularExpression>
#include <QSet>

namespace hcp::updater {

using hcp::trust::CanonicalJson;

QString UpdateError::codeName(Code code)
{
    switch (code) {
    case Code::None: return QStringLiteral("ok");
    case Code::Malformed: return QStringLiteral("malformed");
    case Code::Unsigned: return QStringLiteral("unsigned");
    case Code::UnknownKey: return QStringLiteral("unknown-key");
    case Code::BadSignature: return QStringLiteral("bad-signature");
    case Code::WrongDeviceClass: return QStringLiteral("wrong-device-class");
    case Code::Downgrade: return QStringLiteral("downgrade");
    case Code::UnsafePath: return QStringLiteral("unsafe-path");
    case Code::Truncated: return QStringLiteral("truncated");
    case Code::Oversized: return QStringLiteral("oversized");
    case Code::HashMismatch: return QStringLiteral("hash-mismatch");
    case Code::Busy: return QStringLiteral("busy");
    case Code::NoPrevious: return QStringLiteral("no-previous");
    case Code::Network: return QStringLiteral("network");
    case Code::Io: return QStringLiteral("io");
    }
    return QStringLiteral("unknown");
}

namespace {

bool parseNumber(const QString &s, quint64 *out)
{
    if (s.isEmpty() || s.size() > 19 || (s.size() > 1 && s.front() == u'0'))
        return false;
    for (QChar c : s)
        if (c < u'0' || c > u'9')
            return false;
    bool ok = false;
    *out = s.toULongLong(&ok);
    return ok;
}

bool isIdentifierChar(QChar c)
{
    return (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z')
        || c == u'-';
}

bool isNumeric(const QString &s)
{
    for (QChar c : s)
        if (c < u'0' || c > u'9')
            return false;
    return !s.isEmpty();
}

} // namespace

std::optional<SemVer> SemVer::parse(const QString &text)
{
    if (text.isEmpty() || text.size() > 128)
        return std::nullopt;
    QString core = text;
    QString build;
    if (const qsizetype plus = core.indexOf(u'+'); plus >= 0) {
        build = core.mid(plus + 1);
        core.truncate(plus);
        if (build.isEmpty())
            return std::nullopt;
        for (const QString &id : build.split(u'.')) {
            if (id.isEmpty())
                return std::nullopt;
            for (QChar c : id)
                if (!isIdentifierChar(c))
                    return std::nullopt;
        }
    }
    QString pre;
    if (const qsizetype dash = core.indexOf(u'-'); dash >= 0) {
        pre = core.mid(dash + 1);
        core.truncate(dash);
        if (pre.isEmpty())
            return std::nullopt;
    }
    const QStringList parts = core.split(u'.');
    if (parts.size() != 3)
        return std::nullopt;
    SemVer v;
    if (!parseNumber(parts[0], &v.m_major) || !parseNumber(parts[1], &v.m_minor)
        || !parseNumber(parts[2], &v.m_patch))
        return std::nullopt;
    if (!pre.isEmpty()) {
        for (const QString &id : pre.split(u'.')) {
            if (id.isEmpty())
                return std::nullopt;
            for (QChar c : id)
                if (!isIdentifierChar(c))
                    return std::nullopt;
            if (isNumeric(id) && id.size() > 1 && id.front() == u'0')
                return std::nullopt;
            v.m_pre.append(id);
        }
    }
    v.m_text = text;
    return v;
}

int SemVer::compare(const SemVer &a, const SemVer &b)
{
    auto cmp = [](quint64 x, quint64 y) { return x < y ? -1 : (x > y ? 1 : 0); };
    if (int c = cmp(a.m_major, b.m_major))
        return c;
    if (int c = cmp(a.m_minor, b.m_minor))
        return c;
    if (int c = cmp(a.m_patch, b.m_patch))
        return c;
    // A version without pre-release has higher precedence than one with.
    if (a.m_pre.isEmpty() || b.m_pre.isEmpty())
        return a.m_pre.isEmpty() == b.m_pre.isEmpty() ? 0 : (a.m_pre.isEmpty() ? 1 : -1);
    for (qsizetype i = 0; i < qMin(a.m_pre.size(), b.m_pre.size()); ++i) {
        const QString &x = a.m_pre[i];
        const QString &y = b.m_pre[i];
        const bool xn = isNumeric(x), yn = isNumeric(y);
        if (xn && yn) {
            // Compare numerically without overflow: longer (no leading zeros) is larger.
            if (x.size() != y.size())
                return x.size() < y.size() ? -1 : 1;
            if (int c = QString::compare(x, y))
                return c < 0 ? -1 : 1;
        } else if (xn != yn) {
            return xn ? -1 : 1; // numeric identifiers have lower precedence
        } else if (int c = QString::compare(x, y)) {
            return c < 0 ? -1 : 1;
        }
    }
    return cmp(quint64(a.m_pre.size()), quint64(b.m_pre.size()));
}

qint64 Manifest::payloadSize() const
{
    qint64 sum = 0;
    for (const ManifestFile &f : files)
        sum += f.size;
    return sum;
}

QJsonObject Manifest::toJson() const
{
    QJsonArray fileArray;
    for (const ManifestFile &f : files) {
        fileArray.append(QJsonObject{
            {QStringLiteral("path"), f.path},
            {QStringLiteral("size"), double(f.size)},
            {QStringLiteral("sha256"), QString::fromLatin1(f.sha256.toHex())},
            {QStringLiteral("executable"), f.executable},
        });
    }
    return QJsonObject{
        {QStringLiteral("format"), kFormat},
        {QStringLiteral("version"), version},
        {QStringLiteral("deviceClass"), deviceClass},
        {QStringLiteral("rollback"), rollback},
        {QStringLiteral("created"), created},
        {QStringLiteral("keyId"), keyId},
        {QStringLiteral("alg"), alg},
        {QStringLiteral("files"), fileArray},
    };
}

std::optional<QByteArray> Manifest::canonicalBytes(QString *error) const
{
    return CanonicalJson::serialize(toJson(), error);
}

bool Manifest::isSafePath(const QString &path)
{
    const QByteArray utf8 = path.toUtf8();
    if (utf8.isEmpty() || utf8.size() > kMaxPathBytes || path.startsWith(u'/'))
        return false;
    for (const char c : utf8) {
        const unsigned char u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7f || c == '\\')
            return false;
    }
    const QStringList parts = path.split(u'/');
    for (const QString &part : parts) {
        if (part.isEmpty() || part == u"." || part == u".." || part.toUtf8().size() > 255)
            return false;
    }
    // Names the slot keeps for itself (see SlotStore).
    if (parts.first().startsWith(QStringLiteral(".hcp-")))
        return false;
    return true;
}

namespace {

UpdateError malformed(const QString &message)
{
    return UpdateError::make(UpdateError::Code::Malformed, message);
}

bool isLowerHex(const QString &s, int length)
{
    if (s.size() != length)
        return false;
    for (QChar c : s)
        if (!((c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f')))
            return false;
    return true;
}

bool onlyKeys(const QJsonObject &o, std::initializer_list<const char *> keys)
{
    QSet<QString> allowed;
    for (const char *k : keys)
        allowed.insert(QLatin1String(k));
    for (auto it = o.begin(); it != o.end(); ++it)
        if (!allowed.contains(it.key()))
            return false;
    return o.size() == qsizetype(keys.size());
}

bool isWholeNumber(const QJsonValue &v, qint64 min, qint64 max, qint64 *out)
{
    if (!v.isDouble())
        return false;
    const double d = v.toDouble();
    if (!(d >= double(min) && d <= double(max)) || d != double(qint64(d)))
        return false;
    *out = qint64(d);
    return true;
}

bool isRfc3339Utc(const QString &s)
{
    static const QRegularExpression re(
        QStringLiteral("^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])T([01]\\d|2[0-3]):[0-5]\\d:[0-5]\\dZ$"));
    return re.match(s).hasMatch();
}

} // namespace

std::optional<Manifest> Manifest::parseCanonical(const QByteArray &bytes, UpdateError *error)
{
    auto fail = [error](UpdateError e) -> std::optional<Manifest> {
        if (error)
            *error = std::move(e);
        return std::nullopt;
    };
    if (bytes.isEmpty() || bytes.size() > kMaxManifestBytes)
        return fail(malformed(QStringLiteral("manifest size %1 out of range").arg(bytes.size())));
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject())
        return fail(malformed(QStringLiteral("manifest is not a JSON object: %1")
                                  .arg(parseError.errorString())));
    const QJsonObject o = doc.object();
    QString canonError;
    const std::optional<QByteArray> canonical = CanonicalJson::serialize(o, &canonError);
    if (!canonical)
        return fail(malformed(QStringLiteral("manifest not canonicalisable: %1").arg(canonError)));
    // Also catches duplicate keys (QJsonDocument keeps one, so the re-serialisation differs).
    if (*canonical != bytes)
        return fail(malformed(QStringLiteral("manifest bytes are not in canonical form")));

    if (!onlyKeys(o, {"format", "version", "deviceClass", "rollback", "created", "keyId", "alg",
                      "files"}))
        return fail(malformed(QStringLiteral("manifest has missing or unknown fields")));
    qint64 format = 0;
    if (!isWholeNumber(o.value(QLatin1String("format")), 1, 1000, &format) || format != kFormat)
        return fail(malformed(QStringLiteral("unsupported manifest format")));

    Manifest m;
    const QJsonValue version = o.value(QLatin1String("version"));
    const QJsonValue deviceClass = o.value(QLatin1String("deviceClass"));
    const QJsonValue rollback = o.value(QLatin1String("rollback"));
    const QJsonValue created = o.value(QLatin1String("created"));
    const QJsonValue keyId = o.value(QLatin1String("keyId"));
    const QJsonValue alg = o.value(QLatin1String("alg"));
    const QJsonValue files = o.value(QLatin1String("files"));
    if (!version.isString() || !SemVer::parse(version.toString()))
        return fail(malformed(QStringLiteral("version is not a semantic version")));
    m.version = version.toString();
    static const QRegularExpression classRe(QStringLiteral("^[a-z0-9][a-z0-9._-]{0,63}$"));
    if (!deviceClass.isString() || !classRe.match(deviceClass.toString()).hasMatch())
        return fail(malformed(QStringLiteral("deviceClass is not a valid class name")));
    m.deviceClass = deviceClass.toString();
    if (!rollback.isBool())
        return fail(malformed(QStringLiteral("rollback is not a boolean")));
    m.rollback = rollback.toBool();
    if (!created.isString() || !isRfc3339Utc(created.toString()))
        return fail(malformed(QStringLiteral("created is not an RFC 3339 UTC time")));
    m.created = created.toString();
    if (!keyId.isString() || !isLowerHex(keyId.toString(), 64))
        return fail(malformed(QStringLiteral("keyId is not 64 lowercase hex digits")));
    m.keyId = keyId.toString();
    if (!alg.isString() || (alg.toString() != u"sm2" && alg.toString() != u"ed25519"))
        return fail(malformed(QStringLiteral("alg is neither sm2 nor ed25519")));
    m.alg = alg.toString();
    if (!files.isArray())
        return fail(malformed(QStringLiteral("files is not an array")));
    const QJsonArray fileArray = files.toArray();
    if (fileArray.size() > kMaxFiles)
        return fail(malformed(QStringLiteral("too many files (%1)").arg(fileArray.size())));

    QSet<QString> seen;
    QSet<QString> directories;
    qint64 total = 0;
    for (const QJsonValue &fv : fileArray) {
        if (!fv.isObject())
            return fail(malformed(QStringLiteral("file entry is not an object")));
        const QJsonObject fo = fv.toObject();
        if (!onlyKeys(fo, {"path", "size", "sha256", "executable"}))
            return fail(malformed(QStringLiteral("file entry has missing or unknown fields")));
        ManifestFile f;
        const QJsonValue path = fo.value(QLatin1String("path"));
        if (!path.isString())
            return fail(malformed(QStringLiteral("file path is not a string")));
        f.path = path.toString();
        if (!isSafePath(f.path))
            return fail(UpdateError::make(UpdateError::Code::UnsafePath,
                                          QStringLiteral("unsafe file path \"%1\"").arg(f.path)));
        if (seen.contains(f.path) || directories.contains(f.path))
            return fail(UpdateError::make(UpdateError::Code::UnsafePath,
                                          QStringLiteral("file path \"%1\" repeats or names a directory")
                                              .arg(f.path)));
        // Every parent of this file is a directory: no file may have that name.
        for (qsizetype slash = f.path.indexOf(u'/'); slash >= 0;
             slash = f.path.indexOf(u'/', slash + 1)) {
            const QString parent = f.path.left(slash);
            if (seen.contains(parent))
                return fail(UpdateError::make(UpdateError::Code::UnsafePath,
                                              QStringLiteral("file \"%1\" is also a directory")
                                                  .arg(parent)));
            directories.insert(parent);
        }
        seen.insert(f.path);
        if (!isWholeNumber(fo.value(QLatin1String("size")), 0, (qint64(1) << 53) - 1, &f.size))
            return fail(malformed(QStringLiteral("file size of \"%1\" invalid").arg(f.path)));
        total += f.size;
        if (total > (qint64(1) << 53) - 1)
            return fail(malformed(QStringLiteral("payload size overflows")));
        const QJsonValue sha = fo.value(QLatin1String("sha256"));
        if (!sha.isString() || !isLowerHex(sha.toString(), 64))
            return fail(malformed(QStringLiteral("sha256 of \"%1\" is not 64 lowercase hex digits")
                                      .arg(f.path)));
        f.sha256 = QByteArray::fromHex(sha.toString().toLatin1());
        const QJsonValue exec = fo.value(QLatin1String("executable"));
        if (!exec.isBool())
            return fail(malformed(QStringLiteral("executable of \"%1\" is not a boolean").arg(f.path)));
        f.executable = exec.toBool();
        m.files.append(f);
    }
    if (error)
        *error = {};
    return m;
}

} // namespace hcp::updater

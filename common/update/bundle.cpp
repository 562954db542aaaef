// SPDX-License-Identifier: Apache-2.0
#include "bundle.h"

#include "deviceidentity.h"
#include "fsutil.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QtEndian>

#include <algorithm>

Q_LOGGING_CATEGORY(lcBundle, "hcp.updater.bundle")

namespace hcp::updater {

using hcp::trust::Crypto;
using hcp::trust::Key;
using hcp::trust::KeyType;
using Code = UpdateError::Code;

QString TrustPolicy::keyIdOf(const Key &key)
{
    return hcp::trust::DeviceIdentity::fingerprintOf(key);
}

QByteArray BundleHeader::encode() const
{
    QByteArray out;
    out.reserve(int(headerSize()));
    out.append(kMagic.data(), kMagic.size());
    char len4[4];
    qToBigEndian<quint32>(quint32(manifestBytes.size()), len4);
    out.append(len4, 4);
    out.append(manifestBytes);
    char len2[2];
    qToBigEndian<quint16>(quint16(signature.size()), len2);
    out.append(len2, 2);
    out.append(signature);
    return out;
}

BundleHeader::ParseState BundleHeader::parse(QByteArrayView prefix, BundleHeader *out,
                                             qint64 *needed, UpdateError *error)
{
    auto failed = [error](Code code, const QString &message) {
        if (error)
            *error = UpdateError::make(code, message);
        return ParseState::Failed;
    };
    auto more = [needed](qint64 n) {
        if (needed)
            *needed = n;
        return ParseState::NeedMore;
    };
    const qint64 magicLen = kMagic.size();
    if (prefix.size() < magicLen) {
        if (prefix != kMagic.first(prefix.size()))
            return failed(Code::Malformed, QStringLiteral("not an update bundle (bad magic)"));
        return more(magicLen + 4);
    }
    if (prefix.first(magicLen) != kMagic)
        return failed(Code::Malformed, QStringLiteral("not an update bundle (bad magic)"));
    if (prefix.size() < magicLen + 4)
        return more(magicLen + 4);
    const quint32 manifestLen = qFromBigEndian<quint32>(prefix.data() + magicLen);
    if (manifestLen == 0 || manifestLen > Manifest::kMaxManifestBytes)
        return failed(Code::Malformed, QStringLiteral("manifest length %1 out of range").arg(manifestLen));
    const qint64 sigLenAt = magicLen + 4 + manifestLen;
    if (prefix.size() < sigLenAt + 2)
        return more(sigLenAt + 2);
    const quint16 sigLen = qFromBigEndian<quint16>(prefix.data() + sigLenAt);
    if (sigLen > kMaxSignatureBytes)
        return failed(Code::Malformed, QStringLiteral("signature length %1 out of range").arg(sigLen));
    if (prefix.size() < sigLenAt + 2 + sigLen)
        return more(sigLenAt + 2 + sigLen);

    BundleHeader h;
    h.manifestBytes = prefix.sliced(magicLen + 4, manifestLen).toByteArray();
    h.signature = prefix.sliced(sigLenAt + 2, sigLen).toByteArray();
    UpdateError parseError;
    std::optional<Manifest> m = Manifest::parseCanonical(h.manifestBytes, &parseError);
    if (!m) {
        if (error)
            *error = parseError;
        return ParseState::Failed;
    }
    h.manifest = std::move(*m);
    if (out)
        *out = std::move(h);
    if (error)
        *error = {};
    return ParseState::Done;
}

UpdateError verifyHeader(const BundleHeader &header, const TrustPolicy &policy)
{
    const Manifest &m = header.manifest;
    if (header.signature.isEmpty())
        return UpdateError::make(Code::Unsigned, QStringLiteral("bundle %1 carries no signature")
                                                     .arg(m.version));
    const Key *key = nullptr;
    for (const Key &k : policy.releaseKeys) {
        if (TrustPolicy::keyIdOf(k) == m.keyId) {
            key = &k;
            break;
        }
    }
    if (!key)
        return UpdateError::make(Code::UnknownKey,
                                 QStringLiteral("signing key %1 is not a pinned release key")
                                     .arg(m.keyId.left(16)));
    const QString keyAlg = key->type() == KeyType::Ed25519 ? QStringLiteral("ed25519")
                                                           : QStringLiteral("sm2");
    if (keyAlg != m.alg || !Crypto::verify(*key, header.manifestBytes, header.signature))
        return UpdateError::make(Code::BadSignature,
                                 QStringLiteral("manifest signature does not verify (tampered or "
                                                "signed by another key)"));
    // Only signed content is interpreted beyond this point.
    if (m.deviceClass != policy.deviceClass)
        return UpdateError::make(Code::WrongDeviceClass,
                                 QStringLiteral("bundle is for device class %1, this kiosk is %2")
                                     .arg(m.deviceClass, policy.deviceClass));
    if (header.totalSize() > policy.maxBundleBytes)
        return UpdateError::make(Code::Oversized,
                                 QStringLiteral("bundle declares %1 bytes, the limit is %2")
                                     .arg(header.totalSize())
                                     .arg(policy.maxBundleBytes));
    return {};
}

UpdateError checkVersion(const Manifest &manifest, const std::optional<QString> &installed,
                         const std::optional<QString> &floor)
{
    const std::optional<SemVer> v = SemVer::parse(manifest.version);
    if (!v)
        return UpdateError::make(Code::Malformed, QStringLiteral("version is not semantic"));
    if (manifest.rollback)
        return {}; // a signed rollback release may go anywhere
    if (installed) {
        const std::optional<SemVer> cur = SemVer::parse(*installed);
        if (cur && !(*cur < *v))
            return UpdateError::make(Code::Downgrade,
                                     QStringLiteral("version %1 is not newer than installed %2 and "
                                                    "is not signed as a rollback")
                                         .arg(manifest.version, *installed));
    }
    if (floor) {
        const std::optional<SemVer> f = SemVer::parse(*floor);
        if (f && *v < *f)
            return UpdateError::make(Code::Downgrade,
                                     QStringLiteral("version %1 is below the committed floor %2")
                                         .arg(manifest.version, *floor));
    }
    return {};
}

std::optional<BundleHeader> BundleFile::verify(const QString &path, const TrustPolicy &policy,
                                               bool hashFiles, UpdateError *error)
{
    auto fail = [error](Code code, const QString &message) -> std::optional<BundleHeader> {
        if (error)
            *error = UpdateError::make(code, message);
        return std::nullopt;
    };
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(Code::Io, QStringLiteral("cannot open %1: %2").arg(path, file.errorString()));
    const qint64 fileSize = file.size();
    QByteArray prefix = file.read(qMin<qint64>(fileSize, 4096));
    BundleHeader header;
    qint64 needed = 0;
    UpdateError parseError;
    for (;;) {
        const auto state = BundleHeader::parse(prefix, &header, &needed, &parseError);
        if (state == BundleHeader::ParseState::Done)
            break;
        if (state == BundleHeader::ParseState::Failed) {
            if (error)
                *error = parseError;
            return std::nullopt;
        }
        if (needed > fileSize)
            return fail(Code::Truncated, QStringLiteral("bundle ends inside its header"));
        prefix.append(file.read(needed - prefix.size()));
        if (prefix.size() < needed)
            return fail(Code::Io, QStringLiteral("short read in %1").arg(path));
    }
    if (UpdateError e = verifyHeader(header, policy); e.isError()) {
        if (error)
            *error = e;
        return std::nullopt;
    }
    if (fileSize < header.totalSize())
        return fail(Code::Truncated, QStringLiteral("bundle has %1 bytes, the manifest declares %2")
                                         .arg(fileSize)
                                         .arg(header.totalSize()));
    if (fileSize > header.totalSize())
        return fail(Code::Oversized, QStringLiteral("bundle has %1 bytes, the manifest declares %2")
                                         .arg(fileSize)
                                         .arg(header.totalSize()));
    if (hashFiles) {
        if (!file.seek(header.headerSize()))
            return fail(Code::Io, QStringLiteral("seek failed in %1").arg(path));
        QByteArray buffer;
        for (const ManifestFile &f : header.manifest.files) {
            QCryptographicHash hash(QCryptographicHash::Sha256);
            qint64 left = f.size;
            while (left > 0) {
                buffer = file.read(qMin<qint64>(left, 1 << 20));
                if (buffer.isEmpty())
                    return fail(Code::Truncated, QStringLiteral("%1 is truncated").arg(f.path));
                hash.addData(buffer);
                left -= buffer.size();
            }
            if (hash.result() != f.sha256)
                return fail(Code::HashMismatch,
                            QStringLiteral("SHA-256 of %1 does not match the manifest").arg(f.path));
        }
    }
    if (error)
        *error = {};
    return header;
}

bool BundleFile::build(const QString &dir, const Key &key, const QString &version,
                       const QString &deviceClass, bool rollback, const QString &outPath,
                       QString *error, const QString &created)
{
    auto fail = [error](const QString &message) {
        if (error)
            *error = message;
        return false;
    };
    if (key.isNull() || !key.hasPrivate())
        return fail(QStringLiteral("a private release key is required"));
    const QDir root(QFileInfo(dir).absoluteFilePath());
    if (!root.exists())
        return fail(QStringLiteral("%1 is not a directory").arg(dir));

    Manifest m;
    m.version = version;
    m.deviceClass = deviceClass;
    m.rollback = rollback;
    m.created = created.isEmpty()
        ? QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ssZ"))
        : created;
    m.keyId = TrustPolicy::keyIdOf(key);
    m.alg = key.type() == KeyType::Ed25519 ? QStringLiteral("ed25519") : QStringLiteral("sm2");

    QStringList paths;
    QDirIterator it(root.absolutePath(), QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString p = it.next();
        const QFileInfo info(p);
        if (info.isSymLink())
            return fail(QStringLiteral("%1 is a symlink; bundles carry regular files only").arg(p));
        if (info.isDir())
            continue;
        if (!info.isFile())
            return fail(QStringLiteral("%1 is not a regular file").arg(p));
        paths.append(root.relativeFilePath(p));
    }
    std::sort(paths.begin(), paths.end());
    for (const QString &rel : paths) {
        QFile f(root.filePath(rel));
        if (!f.open(QIODevice::ReadOnly))
            return fail(QStringLiteral("cannot read %1: %2").arg(rel, f.errorString()));
        QCryptographicHash hash(QCryptographicHash::Sha256);
        if (!hash.addData(&f))
            return fail(QStringLiteral("cannot hash %1").arg(rel));
        ManifestFile mf;
        mf.path = rel;
        mf.size = f.size();
        mf.sha256 = hash.result();
        mf.executable = QFileInfo(root.filePath(rel)).permissions().testFlag(QFileDevice::ExeOwner);
        m.files.append(mf);
    }

    QString serError;
    const std::optional<QByteArray> bytes = m.canonicalBytes(&serError);
    if (!bytes)
        return fail(serError);
    UpdateError check;
    if (!Manifest::parseCanonical(*bytes, &check))
        return fail(QStringLiteral("manifest would be refused: %1").arg(check.message));
    QString signError;
    const std::optional<QByteArray> signature = Crypto::sign(key, *bytes, &signError);
    if (!signature)
        return fail(signError);
    BundleHeader header;
    header.manifestBytes = *bytes;
    header.signature = *signature;
    header.manifest = m;

    const QString tmp = outPath + QStringLiteral(".part");
    QFile out(tmp);
    if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return fail(QStringLiteral("cannot write %1: %2").arg(tmp, out.errorString()));
    bool ok = out.write(header.encode()) == header.headerSize();
    for (const ManifestFile &mf : m.files) {
        QFile in(root.filePath(mf.path));
        if (!ok || !in.open(QIODevice::ReadOnly)) {
            ok = false;
            break;
        }
        qint64 copied = 0;
        while (!in.atEnd()) {
            const QByteArray chunk = in.read(1 << 20);
            if (chunk.isEmpty() || out.write(chunk) != chunk.size()) {
                ok = false;
                break;
            }
            copied += chunk.size();
        }
        if (copied != mf.size) // the source changed while building
            ok = false;
    }
    ok = ok && out.flush();
    out.close();
    QString fsError;
    if (!ok || !FsUtil::fsyncPath(tmp, &fsError)) {
        QFile::remove(tmp);
        return fail(QStringLiteral("writing %1 failed %2").arg(tmp, fsError));
    }
    QFile::remove(outPath);
    if (!QFile::rename(tmp, outPath))
        return fail(QStringLiteral("cannot rename %1 to %2").arg(tmp, outPath));
    qCInfo(lcBundle) << "built" << outPath << "version" << version << m.files.size() << "files";
    return true;
}

} // namespace hcp::updater

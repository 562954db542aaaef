// SPDX-License-Identifier: Apache-2.0
#include "deviceidentity.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcIdentity, "hcp.trust.identity")

namespace hcp::trust {

namespace {

void setError(QString *error, const QString &text)
{
    if (error)
        *error = text;
}

// True when path (resolved as far as it exists) is dataDirectory or below it.
bool isInside(const QString &path, const QString &dataDirectory)
{
    if (dataDirectory.isEmpty())
        return false;
    auto resolve = [](const QString &p) {
        QFileInfo info(p);
        const QString canonical = info.canonicalFilePath();
        if (!canonical.isEmpty())
            return canonical;
        const QString dir = QFileInfo(info.absolutePath()).canonicalFilePath();
        return dir.isEmpty() ? QDir::cleanPath(info.absoluteFilePath())
                             : dir + QLatin1Char('/') + info.fileName();
    };
    const QString p = resolve(path);
    const QString d = resolve(dataDirectory);
    return p == d || p.startsWith(d + QLatin1Char('/'));
}

} // namespace

DeviceIdentity::DeviceIdentity(Key key, QString path)
    : m_key(std::move(key))
    , m_path(std::move(path))
{
}

std::optional<DeviceIdentity> DeviceIdentity::load(const QString &keyPath, const QString &dataDirectory,
                                                   QString *error)
{
    if (isInside(keyPath, dataDirectory)) {
        setError(error, QStringLiteral("key %1 lies inside the data directory %2").arg(keyPath, dataDirectory));
        return std::nullopt;
    }
    const QByteArray native = QFile::encodeName(keyPath);
    // O_NOFOLLOW: a symlink could point the kiosk at a key someone else controls.
    const int fd = ::open(native.constData(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        setError(error, QStringLiteral("cannot open key %1: %2").arg(keyPath, QString::fromLocal8Bit(strerror(errno))));
        return std::nullopt;
    }
    struct stat st {};
    QByteArray pem;
    QString problem;
    if (fstat(fd, &st) != 0) {
        problem = QStringLiteral("cannot stat key %1").arg(keyPath);
    } else if (!S_ISREG(st.st_mode)) {
        problem = QStringLiteral("key %1 is not a regular file").arg(keyPath);
    } else if ((st.st_mode & 0077) != 0) {
        problem = QStringLiteral("key %1 has mode %2; refusing a group/world accessible key (need 0600)")
                      .arg(keyPath)
                      .arg(st.st_mode & 07777, 4, 8, QLatin1Char('0'));
    } else if (st.st_uid != geteuid()) {
        problem = QStringLiteral("key %1 belongs to uid %2, not to this process (uid %3)")
                      .arg(keyPath).arg(st.st_uid).arg(geteuid());
    } else if (st.st_size > 64 * 1024) {
        problem = QStringLiteral("key %1 is implausibly large").arg(keyPath);
    } else {
        pem.resize(qsizetype(st.st_size));
        qsizetype done = 0;
        while (done < pem.size()) {
            const ssize_t n = ::read(fd, pem.data() + done, size_t(pem.size() - done));
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                break;
            done += n;
        }
        pem.truncate(done);
    }
    ::close(fd);
    if (!problem.isEmpty()) {
        qCWarning(lcIdentity).noquote() << problem;
        setError(error, problem);
        return std::nullopt;
    }
    QString keyError;
    Key key = Key::fromPem(pem, &keyError);
    pem.fill('\0');
    if (key.isNull() || !key.hasPrivate()) {
        setError(error, QStringLiteral("key %1 holds no SM2/Ed25519 private key: %2").arg(keyPath, keyError));
        return std::nullopt;
    }
    return DeviceIdentity(std::move(key), keyPath);
}

std::optional<DeviceIdentity> DeviceIdentity::create(const QString &keyPath, KeyType type,
                                                     const QString &dataDirectory, QString *error)
{
    if (isInside(keyPath, dataDirectory)) {
        setError(error, QStringLiteral("key %1 lies inside the data directory %2").arg(keyPath, dataDirectory));
        return std::nullopt;
    }
    Key key = Key::generate(type);
    if (key.isNull()) {
        setError(error, QStringLiteral("key generation failed"));
        return std::nullopt;
    }
    QByteArray pem = key.privatePem();
    const bool written = Crypto::writePrivateFile(keyPath, pem, false, error);
    pem.fill('\0');
    if (!written)
        return std::nullopt;
    DeviceIdentity identity(std::move(key), keyPath);
    qCInfo(lcIdentity).noquote() << "created device key" << keyPath << "fingerprint" << identity.fingerprint();
    return identity;
}

std::optional<DeviceIdentity> DeviceIdentity::loadOrCreate(const QString &keyPath, KeyType typeIfNew,
                                                           const QString &dataDirectory, QString *error)
{
    struct stat st {};
    if (::lstat(QFile::encodeName(keyPath).constData(), &st) == 0)
        return load(keyPath, dataDirectory, error);
    return create(keyPath, typeIfNew, dataDirectory, error);
}

QString DeviceIdentity::fingerprintOf(const Key &key)
{
    const QByteArray der = key.publicDer();
    return der.isEmpty() ? QString() : QString::fromLatin1(Crypto::sm3(der).toHex());
}

QByteArray DeviceIdentity::requestSigningInput(const QByteArray &method, const QByteArray &path,
                                               qint64 timestampMs, QByteArrayView body)
{
    QByteArray in("HCP-REQ-V1\n");
    in += method.toUpper();
    in += '\n';
    in += path;
    in += '\n';
    in += QByteArray::number(timestampMs);
    in += '\n';
    in += Crypto::sm3(body).toHex();
    return in;
}

std::optional<QByteArray> DeviceIdentity::signRequest(const QByteArray &method, const QByteArray &path,
                                                      qint64 timestampMs, QByteArrayView body,
                                                      QString *error) const
{
    if (method.contains('\n') || path.contains('\n')) {
        setError(error, QStringLiteral("method and path must not contain a newline"));
        return std::nullopt;
    }
    return Crypto::sign(m_key, requestSigningInput(method, path, timestampMs, body), error);
}

bool DeviceIdentity::verifyRequest(const Key &publicKey, const QByteArray &method, const QByteArray &path,
                                   qint64 timestampMs, QByteArrayView body, QByteArrayView signature,
                                   qint64 nowMs, qint64 maxSkewMs)
{
    if (method.contains('\n') || path.contains('\n'))
        return false;
    // Unsigned arithmetic: the distance is exact even for hostile extreme timestamps.
    const quint64 skew = nowMs > timestampMs ? quint64(nowMs) - quint64(timestampMs)
                                             : quint64(timestampMs) - quint64(nowMs);
    if (maxSkewMs < 0 || skew > quint64(maxSkewMs))
        return false;
    return Crypto::verify(publicKey, requestSigningInput(method, path, timestampMs, body), signature);
}

} // namespace hcp::trust

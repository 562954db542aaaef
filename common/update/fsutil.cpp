// SPDX-License-Identifier: Apache-2.0
#include "fsutil.h"

#include <QDir>
#include <QFileInfo>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace hcp::updater {

namespace {

bool setError(QString *error, const QString &what, const QString &path)
{
    if (error)
        *error = QStringLiteral("%1 %2: %3").arg(what, path, QString::fromLocal8Bit(strerror(errno)));
    return false;
}

QString parentOf(const QString &path)
{
    return QFileInfo(path).absolutePath();
}

} // namespace

bool FsUtil::fsyncPath(const QString &path, QString *error)
{
    const QByteArray native = QFile::encodeName(path);
    const int fd = ::open(native.constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return setError(error, QStringLiteral("open"), path);
    const bool ok = ::fsync(fd) == 0;
    const int saved = errno;
    ::close(fd);
    errno = saved;
    return ok || setError(error, QStringLiteral("fsync"), path);
}

bool FsUtil::writeFileAtomic(const QString &path, QByteArrayView bytes, QString *error)
{
    const QString tmp = path + QStringLiteral(".tmp");
    const QByteArray native = QFile::encodeName(tmp);
    const int fd = ::open(native.constData(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return setError(error, QStringLiteral("create"), tmp);
    qsizetype done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + done, size_t(bytes.size() - done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            const int saved = errno;
            ::close(fd);
            errno = saved;
            return setError(error, QStringLiteral("write"), tmp);
        }
        done += n;
    }
    if (::fsync(fd) != 0) {
        const int saved = errno;
        ::close(fd);
        errno = saved;
        return setError(error, QStringLiteral("fsync"), tmp);
    }
    ::close(fd);
    if (::rename(native.constData(), QFile::encodeName(path).constData()) != 0)
        return setError(error, QStringLiteral("rename"), tmp);
    return fsyncPath(parentOf(path), error);
}

bool FsUtil::replaceSymlink(const QString &link, const QString &target, QString *error)
{
    const QString tmp = link + QStringLiteral(".tmp");
    const QByteArray nativeTmp = QFile::encodeName(tmp);
    ::unlink(nativeTmp.constData()); // a leftover of an interrupted switch
    if (::symlink(QFile::encodeName(target).constData(), nativeTmp.constData()) != 0)
        return setError(error, QStringLiteral("symlink"), tmp);
    if (::rename(nativeTmp.constData(), QFile::encodeName(link).constData()) != 0)
        return setError(error, QStringLiteral("rename"), tmp);
    return fsyncPath(parentOf(link), error);
}

bool FsUtil::removeTree(const QString &path, QString *error)
{
    QFileInfo info(path);
    if (!info.exists() && !info.isSymLink())
        return true;
    if (info.isSymLink() || !info.isDir()) {
        if (::unlink(QFile::encodeName(path).constData()) != 0)
            return setError(error, QStringLiteral("unlink"), path);
        return true;
    }
    if (!QDir(path).removeRecursively()) {
        if (error)
            *error = QStringLiteral("cannot remove %1").arg(path);
        return false;
    }
    return true;
}

QString FsUtil::readLink(const QString &path)
{
    char buf[4096];
    const ssize_t n = ::readlink(QFile::encodeName(path).constData(), buf, sizeof buf - 1);
    if (n <= 0)
        return {};
    return QFile::decodeName(QByteArray(buf, int(n)));
}

} // namespace hcp::updater

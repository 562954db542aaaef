// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArrayView>
#include <QString>

namespace hcp::updater {

// POSIX filesystem steps with the durability the A/B layout relies on. Every function returns
// false and sets *error (English) on failure; none throws. Not thread-safe for the same paths.
class FsUtil
{
public:
    // tmp file in the same directory, write, fsync, rename over path, fsync the directory.
    static bool writeFileAtomic(const QString &path, QByteArrayView bytes, QString *error);
    static bool fsyncPath(const QString &path, QString *error); // file or directory
    // Atomically (re)points symlink `link` to `target` (a relative path): symlink at link.tmp,
    // rename over link, fsync the parent directory.
    static bool replaceSymlink(const QString &link, const QString &target, QString *error);
    static bool removeTree(const QString &path, QString *error); // no-op if absent
    static QString readLink(const QString &path); // empty if not a symlink
};

} // namespace hcp::updater

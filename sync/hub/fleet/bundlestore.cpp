// SPDX-License-Identifier: Apache-2.0
#include "bundlestore.h"

#include "bundle.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QSaveFile>

Q_LOGGING_CATEGORY(lcBundleStore, "hcp.sync.hub.bundles")

namespace hcp::sync::hub {

using hcp::updater::BundleFile;
using hcp::updater::BundleHeader;
using hcp::updater::TrustPolicy;
using hcp::updater::UpdateError;

bool BundleStore::isValidName(const QString &name)
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z0-9_-][A-Za-z0-9._+-]{0,127}$"));
    return pattern.match(name).hasMatch() && !name.endsWith(QLatin1String(".part"));
}

std::optional<FleetStore::Bundle> BundleStore::add(const QString &srcPath, const QString &name, bool moveSource,
                                                   QString *error)
{
    if (m_dir.isEmpty() || !QDir().mkpath(m_dir)) {
        *error = QStringLiteral("no bundle directory");
        return std::nullopt;
    }
    if (m_keys.isEmpty()) {
        *error = QStringLiteral("the hub trusts no release key (--release-key)");
        return std::nullopt;
    }
    // The hub serves every device class; the kiosk checks its own class again.
    QFile in(srcPath);
    if (!in.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1: %2").arg(srcPath, in.errorString());
        return std::nullopt;
    }
    BundleHeader header;
    qint64 needed = 0;
    UpdateError e;
    const QByteArray head = in.read(BundleHeader::kMaxHeaderBytes);
    if (BundleHeader::parse(head, &header, &needed, &e) != BundleHeader::ParseState::Done) {
        *error = e.isError() ? e.codeString() + QStringLiteral(": ") + e.message
                             : QStringLiteral("truncated: the file ends inside the bundle header");
        return std::nullopt;
    }
    TrustPolicy policy;
    policy.releaseKeys = m_keys;
    policy.deviceClass = header.manifest.deviceClass;
    const auto verified = BundleFile::verify(srcPath, policy, true, &e);
    if (!verified) {
        *error = e.codeString() + QStringLiteral(": ") + e.message;
        return std::nullopt;
    }
    FleetStore::Bundle b;
    b.name = name.isEmpty() ? QStringLiteral("hcp-kiosk-%1-%2.bundle").arg(verified->manifest.version,
                                                                           verified->manifest.deviceClass)
                            : name;
    if (!isValidName(b.name)) {
        *error = QStringLiteral("bad bundle name '%1'").arg(b.name);
        return std::nullopt;
    }
    b.version = verified->manifest.version;
    b.deviceClass = verified->manifest.deviceClass;
    b.keyId = verified->manifest.keyId;
    b.rollback = verified->manifest.rollback;
    b.size = verified->totalSize();
    b.createdAtMs = QDateTime::currentMSecsSinceEpoch();
    in.seek(0);
    QCryptographicHash sha(QCryptographicHash::Sha256);
    const QString target = QDir(m_dir).filePath(b.name);
    if (moveSource && QFileInfo(srcPath).absoluteDir() == QFileInfo(target).absoluteDir()) {
        sha.addData(&in);
        in.close();
        QFile::remove(target);
        if (!QFile::rename(srcPath, target)) {
            *error = QStringLiteral("cannot move the bundle into place");
            return std::nullopt;
        }
    } else {
        QSaveFile out(target);
        if (!out.open(QIODevice::WriteOnly)) {
            *error = out.errorString();
            return std::nullopt;
        }
        while (!in.atEnd()) {
            const QByteArray chunk = in.read(1 << 20);
            sha.addData(chunk);
            if (out.write(chunk) != chunk.size()) {
                *error = out.errorString();
                return std::nullopt;
            }
        }
        if (!out.commit()) {
            *error = out.errorString();
            return std::nullopt;
        }
    }
    b.sha256 = QString::fromLatin1(sha.result().toHex());
    if (!m_fleet->addBundle(b, error))
        return std::nullopt;
    qCInfo(lcBundleStore) << "bundle" << b.name << "version" << b.version << "class" << b.deviceClass << b.size << "bytes";
    return b;
}

QString BundleStore::pathOf(const QString &name) const
{
    if (!isValidName(name) || m_dir.isEmpty() || !m_fleet->bundle(name))
        return {};
    const QString path = QDir(m_dir).filePath(name);
    return QFileInfo(path).isFile() ? path : QString();
}

BundleStore::Range BundleStore::parseRange(const QByteArray &header, qint64 size, qint64 *first, qint64 *last)
{
    static const QRegularExpression pattern(QStringLiteral("^\\s*bytes\\s*=\\s*(\\d*)\\s*-\\s*(\\d*)\\s*$"));
    const auto m = pattern.match(QString::fromLatin1(header));
    if (header.isEmpty() || !m.hasMatch() || (m.captured(1).isEmpty() && m.captured(2).isEmpty()))
        return Range::Full; // absent, multi-range or another unit: ignore Range (RFC 9110 allows it)
    if (m.captured(1).isEmpty()) { // suffix: the last n bytes
        const qint64 n = m.captured(2).toLongLong();
        if (n == 0 || size == 0)
            return Range::Unsatisfiable;
        *first = qMax<qint64>(0, size - n);
        *last = size - 1;
        return Range::Partial;
    }
    *first = m.captured(1).toLongLong();
    *last = m.captured(2).isEmpty() ? size - 1 : qMin(m.captured(2).toLongLong(), size - 1);
    if (*first >= size)
        return Range::Unsatisfiable;
    if (*last < *first)
        return Range::Full; // syntactically invalid range: ignore it
    return Range::Partial;
}

} // namespace hcp::sync::hub

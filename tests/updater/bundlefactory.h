// SPDX-License-Identifier: Apache-2.0
// Test helper: crafts bundles byte by byte (good ones, and every kind of bad one) with the
// library's own header encoding, so the tests control each field the builder would not let
// through (traversal paths, forged key ids, missing signatures, wrong sizes).
#pragma once

#include "bundle.h"
#include "slotstore.h"

#include "crypto.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QRandomGenerator>

#include <functional>

namespace hcp::updater::test {

struct FakeFile
{
    QString path;
    QByteArray data;
    bool executable = false;
};

struct BundleSpec
{
    QString version = QStringLiteral("1.0.0");
    QString deviceClass = QStringLiteral("hcp-kiosk-test");
    bool rollback = false;
    QList<FakeFile> files;
};

inline QList<FakeFile> sampleFiles(const QString &version, int count = 3, int size = 1000)
{
    QList<FakeFile> files;
    files.append({QStringLiteral("bin/hcp-kiosk"),
                  QByteArray("#!/bin/sh\necho ") + version.toUtf8() + '\n', true});
    files.append({QStringLiteral("VERSION"), version.toUtf8()});
    for (int i = 0; i < count; ++i) {
        QByteArray data(size, Qt::Uninitialized);
        for (int j = 0; j < size; ++j)
            data[j] = char((i * 131 + j * 7 + version.size()) & 0xff);
        data.prepend(version.toUtf8());
        files.append({QStringLiteral("share/data/file%1.bin").arg(i), data});
    }
    return files;
}

inline QByteArray makeBundle(const BundleSpec &spec, const hcp::trust::Key &key,
                             const std::function<void(Manifest &)> &mutateManifest = {},
                             const std::function<void(BundleHeader &)> &mutateHeader = {},
                             const std::function<void(QByteArray &)> &mutatePayload = {})
{
    Manifest m;
    m.version = spec.version;
    m.deviceClass = spec.deviceClass;
    m.rollback = spec.rollback;
    m.created = QStringLiteral("2026-11-29T00:00:00Z");
    m.keyId = TrustPolicy::keyIdOf(key);
    m.alg = key.type() == hcp::trust::KeyType::Ed25519 ? QStringLiteral("ed25519")
                                                       : QStringLiteral("sm2");
    QByteArray payload;
    for (const FakeFile &f : spec.files) {
        m.files.append({f.path, f.data.size(),
                        QCryptographicHash::hash(f.data, QCryptographicHash::Sha256), f.executable});
        payload.append(f.data);
    }
    if (mutateManifest)
        mutateManifest(m);
    BundleHeader h;
    h.manifestBytes = m.canonicalBytes().value_or(QByteArray());
    h.signature = hcp::trust::Crypto::sign(key, h.manifestBytes).value_or(QByteArray());
    if (mutateHeader)
        mutateHeader(h);
    if (mutatePayload)
        mutatePayload(payload);
    return h.encode() + payload;
}

inline bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
}

inline QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace hcp::updater::test

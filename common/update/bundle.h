// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "manifest.h"

#include "crypto.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace hcp::updater {

// What the kiosk trusts and accepts. Built from UpdateConfig; there is no "skip verification"
// switch: an empty key list rejects every bundle.
struct TrustPolicy
{
    QList<hcp::trust::Key> releaseKeys; // pinned public keys
    QString deviceClass;
    qint64 maxBundleBytes = qint64(4) * 1024 * 1024 * 1024;

    static QString keyIdOf(const hcp::trust::Key &key); // hex SM3 of SubjectPublicKeyInfo DER
};

// The signed head of a bundle (BUNDLE.md): magic, manifest bytes, signature. headerSize() is
// the offset of the first file's bytes; totalSize() the exact length of a complete bundle.
struct BundleHeader
{
    static constexpr QByteArrayView kMagic = "HCPBNDL1";
    static constexpr int kMaxSignatureBytes = 512;

    QByteArray manifestBytes; // canonical JSON, exactly what was signed
    QByteArray signature;
    Manifest manifest;

    qint64 headerSize() const { return 8 + 4 + manifestBytes.size() + 2 + signature.size(); }
    qint64 totalSize() const { return headerSize() + manifest.payloadSize(); }
    QByteArray encode() const; // the header bytes as they appear at offset 0 of the bundle

    // Bytes needed before parse() can decide: at most 8+4+kMaxManifestBytes+2+512.
    static constexpr qint64 kMaxHeaderBytes =
        8 + 4 + Manifest::kMaxManifestBytes + 2 + kMaxSignatureBytes;

    enum class ParseState { NeedMore, Done, Failed };
    // Parses the header from the first bytes of a bundle. NeedMore when prefix is too short yet
    // (*needed then holds the total prefix length required). Structure and manifest syntax only;
    // trust is checked by verifyHeader().
    static ParseState parse(QByteArrayView prefix, BundleHeader *out, qint64 *needed,
                            UpdateError *error);
};

// Signature, key pinning, device class, size cap. Version policy is the caller's (see
// checkVersion) because it depends on the installed state.
UpdateError verifyHeader(const BundleHeader &header, const TrustPolicy &policy);

// installed: version in the running slot (nullopt on a fresh layout); floor: highest version
// ever committed. Newer than installed and >= floor is required unless manifest.rollback.
UpdateError checkVersion(const Manifest &manifest, const std::optional<QString> &installed,
                         const std::optional<QString> &floor);

// A complete bundle file on disk.
class BundleFile
{
public:
    // Reads and verifies the header (verifyHeader), the exact file length against the manifest
    // (Truncated / Oversized) and, when hashFiles, every file's SHA-256 (HashMismatch).
    static std::optional<BundleHeader> verify(const QString &path, const TrustPolicy &policy,
                                              bool hashFiles, UpdateError *error);

    // Writes a bundle of every regular file under dir (sorted by path; symlinks and special
    // files are refused) signed by key. The write is atomic (temp + fsync + rename).
    static bool build(const QString &dir, const hcp::trust::Key &key, const QString &version,
                      const QString &deviceClass, bool rollback, const QString &outPath,
                      QString *error, const QString &created = {});
};

} // namespace hcp::updater

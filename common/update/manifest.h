// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QStringList>
#include <QString>

#include <optional>

namespace hcp::updater {

// Why an update was refused or failed. code() strings are stable (status JSON, hub reports,
// CLI exit messages); message is an English diagnostic for logs and the console.
struct UpdateError
{
    enum class Code {
        None,
        Malformed,        // not a bundle / manifest JSON invalid / not canonical / bad field
        Unsigned,         // no signature present
        UnknownKey,       // keyId is not one of the pinned release keys
        BadSignature,     // signature does not verify over the manifest bytes (tampered)
        WrongDeviceClass, // manifest.deviceClass != this kiosk's class
        Downgrade,        // version not newer than installed (or below floor) without rollback
        UnsafePath,       // absolute, "..", empty component, reserved or duplicate file name
        Truncated,        // bundle (or a file in it) shorter than the manifest declares
        Oversized,        // more bytes than the manifest declares, or above the size cap
        HashMismatch,     // a file's SHA-256 differs from the manifest
        Busy,             // an update is in trial or another install runs
        NoPrevious,       // rollback asked but there is no verified previous slot
        Network,          // download failed after all retries
        Io,               // local filesystem error
    };
    Code code = Code::None;
    QString message;

    bool isError() const { return code != Code::None; }
    QString codeString() const { return codeName(code); }
    static QString codeName(Code code);
    static UpdateError make(Code code, const QString &message) { return {code, message}; }
};

// Semantic Versioning 2.0.0: MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD], precedence per §11
// (build metadata ignored). Numeric parts fit in quint64; no leading zeros.
class SemVer
{
public:
    static std::optional<SemVer> parse(const QString &text);
    // <0, 0, >0 like strcmp, by SemVer precedence.
    static int compare(const SemVer &a, const SemVer &b);
    QString toString() const { return m_text; }

    friend bool operator<(const SemVer &a, const SemVer &b) { return compare(a, b) < 0; }
    friend bool operator==(const SemVer &a, const SemVer &b) { return compare(a, b) == 0; }

private:
    quint64 m_major = 0, m_minor = 0, m_patch = 0;
    QStringList m_pre;
    QString m_text;
};

struct ManifestFile
{
    QString path;       // relative, '/'-separated, validated by Manifest::isSafePath
    qint64 size = 0;    // bytes
    QByteArray sha256;  // 32 raw bytes (hex in JSON)
    bool executable = false;
};

// The signed description of a bundle. Its JSON form (toJson) is serialised with
// hcp::trust::CanonicalJson; that byte string is what the release key signs and what a bundle
// carries. BUNDLE.md is the normative description of every field.
struct Manifest
{
    static constexpr int kFormat = 1;
    static constexpr int kMaxFiles = 20000;
    static constexpr int kMaxPathBytes = 1024;
    static constexpr qint64 kMaxManifestBytes = 4 * 1024 * 1024;

    QString version;      // SemVer text
    QString deviceClass;  // e.g. "hcp-kiosk-amd64"
    bool rollback = false;
    QString created;      // RFC 3339 UTC, "YYYY-MM-DDTHH:MM:SSZ"
    QString keyId;        // lowercase hex SM3 of the signing key's SubjectPublicKeyInfo DER
    QString alg;          // "sm2" or "ed25519"
    QList<ManifestFile> files;

    qint64 payloadSize() const; // sum of file sizes
    QJsonObject toJson() const;
    std::optional<QByteArray> canonicalBytes(QString *error = nullptr) const;

    // Parses manifest bytes and requires that they are exactly the canonical serialisation of
    // what they parse to, so the signed bytes and the interpreted value cannot differ. Every
    // field is validated (types, SemVer, paths, sizes, hex); unknown fields are refused.
    static std::optional<Manifest> parseCanonical(const QByteArray &bytes, UpdateError *error);

    // "a/b.txt" yes; "", "/a", "a/../b", "./a", "a//b", "a\\b", control bytes, reserved
    // slot-metadata names, components over 255 bytes: no.
    static bool isSafePath(const QString &path);
};

} // namespace hcp::updater

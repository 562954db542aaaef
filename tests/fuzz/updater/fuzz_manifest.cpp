// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for the update manifest parser and bundle-header verifier.
// Every input goes through (1) Manifest::parseCanonical and (2) BundleHeader::parse +
// verifyHeader + checkVersion. Contracts checked besides "no crash, no ASan report":
//  - an accepted manifest re-serialises to exactly the input bytes, has only safe, unique
//    paths, a valid SemVer and a non-negative payload size;
//  - a parsed header re-encodes to the input's first headerSize() bytes;
//  - verifyHeader accepts only when the signature really verifies under the pinned key of the
//    manifest's keyId, the device class matches and the declared size is within the cap.
// The seeds in corpus/ are signed by the Ed25519 key below (its private half was discarded),
// so mutations reach the checks behind the signature too.
#include "bundle.h"
#include "manifest.h"

#include <QSet>

#include <cstdint>
#include <cstdlib>

using namespace hcp::updater;

namespace {

const TrustPolicy &policy()
{
    static const TrustPolicy p = [] {
        TrustPolicy t;
        t.deviceClass = QStringLiteral("hcp-kiosk-fuzz");
        t.maxBundleBytes = 1 << 20;
        t.releaseKeys.append(hcp::trust::Key::fromPem(
            "-----BEGIN PUBLIC KEY-----\n"
            "MCowBQYDK2VwAyEAmQyXckHyXzdrOOVhiVxFZw7Gjs3uxaXvXDZZKpVscz8=\n"
            "-----END PUBLIC KEY-----\n"));
        t.releaseKeys.append(hcp::trust::Key::generate(hcp::trust::KeyType::Sm2).publicOnly());
        if (t.releaseKeys.first().isNull())
            abort();
        return t;
    }();
    return p;
}

void check(bool condition)
{
    if (!condition)
        abort();
}

void checkManifest(const Manifest &m, const QByteArray &bytes)
{
    check(m.canonicalBytes().value_or(QByteArray()) == bytes);
    check(SemVer::parse(m.version).has_value());
    check(m.payloadSize() >= 0);
    QSet<QString> paths;
    for (const ManifestFile &f : m.files) {
        check(Manifest::isSafePath(f.path));
        check(!paths.contains(f.path));
        paths.insert(f.path);
        check(f.size >= 0 && f.sha256.size() == 32);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));

    UpdateError error;
    if (const auto m = Manifest::parseCanonical(bytes, &error))
        checkManifest(*m, bytes);
    else
        check(error.isError() && !error.message.isEmpty());

    BundleHeader header;
    qint64 needed = 0;
    const auto state = BundleHeader::parse(bytes, &header, &needed, &error);
    if (state == BundleHeader::ParseState::NeedMore) {
        check(needed > qint64(size) && needed <= BundleHeader::kMaxHeaderBytes);
        return 0;
    }
    if (state == BundleHeader::ParseState::Failed) {
        check(error.isError());
        return 0;
    }
    check(header.encode() == bytes.left(header.headerSize()));
    checkManifest(header.manifest, header.manifestBytes);
    const UpdateError verdict = verifyHeader(header, policy());
    if (!verdict.isError()) {
        bool signedByPinned = false;
        for (const auto &k : policy().releaseKeys)
            if (TrustPolicy::keyIdOf(k) == header.manifest.keyId)
                signedByPinned = hcp::trust::Crypto::verify(k, header.manifestBytes, header.signature);
        check(signedByPinned);
        check(header.manifest.deviceClass == policy().deviceClass);
        check(header.totalSize() <= policy().maxBundleBytes);
        const UpdateError v = checkVersion(header.manifest, QStringLiteral("1.0.0"), QStringLiteral("1.0.0"));
        const auto ver = SemVer::parse(header.manifest.version);
        check(v.isError() == !(header.manifest.rollback || *SemVer::parse(QStringLiteral("1.0.0")) < *ver));
    }
    // SemVer on arbitrary text: never crashes, total order is reflexive.
    if (size < 200) {
        if (const auto v = SemVer::parse(QString::fromUtf8(bytes)))
            check(SemVer::compare(*v, *v) == 0);
    }
    return 0;
}

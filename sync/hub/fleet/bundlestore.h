// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "fleetstore.h"

#include "crypto.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace hcp::sync::hub {

// The hub's update bundles on disk (<directory>/<name>) and their index (FleetStore).
// A bundle is accepted only when it verifies completely against the release keys the hub
// trusts: header structure, canonical manifest, signature by a pinned key, exact length and
// every file's SHA-256 (common/update/BUNDLE.md §4) — the same code the kiosk runs, so the
// hub never offers a bundle a kiosk would refuse for its signature or content.
// Same thread rules as HubStore.
class BundleStore
{
public:
    BundleStore(FleetStore *fleet) : m_fleet(fleet) {}

    void setDirectory(const QString &dir) { m_dir = dir; }
    QString directory() const { return m_dir; }
    void setReleaseKeys(const QList<hcp::trust::Key> &keys) { m_keys = keys; }
    bool hasReleaseKeys() const { return !m_keys.isEmpty(); }

    static bool isValidName(const QString &name);

    // Verifies srcPath and stores it as <directory>/<name> (name empty: "hcp-kiosk-<version>-
    // <deviceClass>.bundle"). The copy is atomic (temp + fsync + rename); moveSource renames
    // instead of copying when srcPath is on the same filesystem. *error says why on refusal
    // (the updater's reason code first, e.g. "bad-signature: …").
    std::optional<FleetStore::Bundle> add(const QString &srcPath, const QString &name, bool moveSource,
                                          QString *error);
    // Path of a registered bundle whose file exists, else empty.
    QString pathOf(const QString &name) const;

    // A byte range of a file for GET with Range (RFC 9110 §14): a single "bytes=a-b", "bytes=a-"
    // or "bytes=-n". Outcome::Full when there is no (usable) Range header.
    enum class Range { Full, Partial, Unsatisfiable };
    static Range parseRange(const QByteArray &header, qint64 size, qint64 *first, qint64 *last);

private:
    FleetStore *m_fleet;
    QString m_dir;
    QList<hcp::trust::Key> m_keys;
};

} // namespace hcp::sync::hub

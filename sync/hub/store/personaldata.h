// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>

#include <optional>

namespace hcp::trust {
class DeviceIdentity;
}

namespace hcp::sync::hub {

class HubStore;

// Personal data at the hub (PROTOCOL §4 "certKeyEnc", §5 hash scheme).
//
// decryptCertKey: the applicant's ID number from an evaluation's "certKeyEnc" (base64 of the SM2
// ciphertext, GM/T 0009 ASN.1 C1C3C2, of the UTF-8 ID number, made by the kiosk with the hub's
// public key). For the upstream adapter, which fills the national certKey/certKeyGOV field; the
// result must never be stored or logged. Returns nullopt for a malformed or foreign ciphertext,
// or when the hub key is not SM2. Thread-safe (the identity's key is read-only).
std::optional<QString> decryptCertKey(const trust::DeviceIdentity &hub, const QString &certKeyEnc);

// Called once from HubStore::open after the schema exists. Case hashes made with an older
// ID-number hash scheme (HMAC-SHA256) cannot be converted (the hub never keeps plain numbers):
// they are removed from the cases (column and payload, with a new change_seq so kiosks' feeds
// carry the change) and a warning tells the operator to re-import those cases with certNo. The
// scheme is recorded in hub_meta ('cert_key_hash_scheme'), so this runs once per database.
bool migrateCertKeyHashes(HubStore &store, QString *error);

} // namespace hcp::sync::hub

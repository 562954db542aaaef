// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "provinceprofile.h"

#include <QJsonObject>
#include <QString>

#include <functional>

namespace hcp::sync::hub::upstream {

// Resolves the applicant's ID number (certKey) for one hub evaluation record, e.g. by
// decrypting its "certKeyEnc" with the hub identity. Returns true and sets *certNo (may stay
// empty when the record carries none); false with *error when the record has one that cannot be
// resolved. Called on the dispatcher's thread.
using CertKeyResolver = std::function<bool(const QJsonObject &evaluation, QString *certNo, QString *error)>;

// The hub's evaluation wire record (PROTOCOL §4) + the case it rates (§5, may be empty) → the
// provincial record with the national field names (sync/UPSTREAM.md §2). Pure, reentrant.
class UpstreamMapper
{
public:
    // Returns false with *error when the certKey resolver fails; the mapped record otherwise
    // (validate() it before sending).
    static bool map(const QJsonObject &evaluation, const QJsonObject &caseObject, const ProvinceProfile &profile,
                    const CertKeyResolver &resolver, QJsonObject *record, QString *error);

    // The province's rules checked before sending (UPSTREAM.md §3). Empty when valid, else the reason.
    static QString validate(const QJsonObject &record);
    // The case key every upstream record carries (projectNo, serviceNumber, assessNumber): "" or the problem.
    static QString validateCaseKey(const QJsonObject &record);

    // The resolver of the shared contract: "certKeyEnc" is base64 of an SM2 ciphertext (GM/T 0009
    // ASN.1) of the ID number for the hub's key (hub-identity.pem). Records without it resolve to
    // no certKey; a ciphertext that does not decrypt, or not to an ID number, is an error.
    static CertKeyResolver hubKeyResolver(const trust::Key &hubKey);
};

} // namespace hcp::sync::hub::upstream

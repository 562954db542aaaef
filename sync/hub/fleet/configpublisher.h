// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "hubstore.h"

#include "crypto.h"

#include <QJsonArray>
#include <QHash>
#include <QJsonObject>
#include <QStringList>
#include <QSqlDatabase>
#include <QString>

#include <optional>

namespace hcp::sync::hub {

// The one writer of kiosk configuration at the hub (console push, admin API, upstream
// indicator pulls): validates a document (ConfigValidator), gives it the next version and
// signs it with the hub identity. Versions come from one hub-wide counter, so they rise per
// scope and also across scopes: a kiosk that moves from its hall's document to a
// device-specific one never sees its version go down. Wire form (PROTOCOL §7):
//   {"document":{…},"version":"<int>","scope":"…","signature":"<base64>"}
// signature = SM2 (or the identity's key type) over the UTF-8 of
//   "HCP-CFG-V1\n" + version + "\n" + canonicalJson(document).
// Works on the HubStore's connection; same thread rules as HubStore.
class ConfigPublisher
{
public:
    struct Published
    {
        QString scope;
        qint64 version = 0;
        QJsonObject document;
        QByteArray signature; // raw signature bytes
        qint64 createdAtMs = 0;
        QString actor;
        QJsonObject envelope() const;
    };

    enum class Outcome { Published, Invalid, Failed };

    // The layer below "default" that holds only the holiday calendar ({"holidays":{…}}),
    // written by the calendar service alone (PROTOCOL §19): a push that replaces the default
    // document never drops the calendar. scopeError() refuses it, so the console's and the
    // admin's configuration routes cannot write it.
    static constexpr const char *kCalendarScope = "calendar";

    // signingKey: the hub identity's private key (HubServer::hubIdentity().key()).
    ConfigPublisher(HubStore *store, hcp::trust::Key signingKey);

    static bool ensureSchema(QSqlDatabase &db, bool postgres, QString *error);
    // Empty when scope is "default", "class:terminal|pad", "hall:<code>" or "device:<id>".
    static QString scopeError(const QString &scope);
    static QByteArray signingInput(qint64 version, const QByteArray &canonicalDocument);
    // Kiosk-side check (also used by tests and the fleet simulator): signature, envelope shape.
    static bool verifyEnvelope(const QJsonObject &envelope, const hcp::trust::Key &hubPublicKey,
                               QString *error);

    // *reason holds why on Invalid (validation) or Failed (database, signing).
    Outcome publish(const QString &scope, const QJsonObject &document, const QString &actor,
                    Published *out, QString *reason);
    std::optional<Published> latest(const QString &scope);
    // What a device runs: the latest document of each of its scopes, layered from the least to
    // the most specific (calendar → default → class:<deviceClass> → hall:<code> → device:<id>). The kiosk
    // part of each layer is a merge patch over the layers below (JsonMergePatch::layer: a key a
    // layer does not name is inherited; a null is passed on, and the kiosk resets that setting to
    // its built-in default); indicators and questionnaires are taken whole
    // from the most specific layer that has them. version = the newest layer's (versions are
    // hub-wide, so it identifies the composition for this device); scope = the most specific
    // layer present. A composition of two or more layers is signed when first served and kept
    // (m_composed) until a layer changes.
    std::optional<Published> forDevice(const HubStore::Device &device);
    // The document the device would run if `scope` held `candidate` instead of its latest one
    // (unsigned, unvalidated: the console's preview of a push).
    QJsonObject composeFor(const HubStore::Device &device, const QString &scope, const QJsonObject &candidate);
    // The layers that apply to a device, least specific first.
    static QStringList scopesFor(const HubStore::Device &device);
    // Layers documents the way forDevice does.
    static QJsonObject compose(const QList<QJsonObject> &layers);
    // Newest first: {"scope","version","createdAtMs","actor","parts":[…]}.
    QJsonArray history(int limit);

private:
    std::optional<Published> readRow(class QSqlQuery &q);

    HubStore *m_store;
    hcp::trust::Key m_key;
    QHash<QString, Published> m_composed; // "scope@version|…" → signed composition
};

} // namespace hcp::sync::hub

// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "holidaynotice.h"
#include "indicatorset.h"
#include "kioskconfig.h"
#include "questionnaire.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <functional>
#include <optional>

namespace hcp::kiosk {

class Store;

// Applies a hub configuration document whose signature and version the sync layer has already
// verified (hcp::sync::ConfigEnvelope). The document is {"kiosk":{…},"indicators":{…},
// "questionnaires":{…}}, every part optional. All parts are validated first; one invalid part
// refuses the whole document (a kiosk never runs half of a configuration). The accepted parts,
// the document itself and its version are then written in ONE SQLite transaction of the Store
// (WAL, synchronous=FULL): a power cut or SIGKILL at any instant leaves the old configuration or
// the new one, never a mix.
//
// Store rows: "kiosk", "indicators", "questionnaires", "holidays" (the "holidays" part as published), "hub" = canonical document with
// version = the document version, "hub-etag" = the HTTP ETag it came with.
// Same thread as the Store.
class ConfigApplier
{
public:
    struct Result
    {
        bool ok = false;
        QString reason;                                  // "invalid: …" / "storage: …" when !ok
        std::optional<KioskConfig> kiosk;                // the parts that were in the document
        std::optional<IndicatorSet> indicators;
        std::optional<QuestionnaireCatalog> questionnaires;
        std::optional<QList<HolidayNotice>> holidays; // the published working-day calendar (PROTOCOL §19)
    };

    explicit ConfigApplier(Store *store) : m_store(store) {}

    // Called after each write inside the transaction with the step number (1…), and with 0
    // right after the commit. Crash tests kill the process there; production leaves it unset.
    void setStepHook(std::function<void(int step)> hook) { m_stepHook = std::move(hook); }

    // `current` supplies what the document cannot change (the ID-hash key from enrollment).
    Result apply(const QJsonObject &document, qint64 version, const QByteArray &etag,
                 const KioskConfig &current);

    // The version stored by the last apply (0 = none, or an unsigned legacy document).
    qint64 activeVersion() const;
    QByteArray activeEtag() const;

    // Validation only (also used by apply).
    static Result validate(const QJsonObject &document, const KioskConfig &current);

private:
    void step(int n) const
    {
        if (m_stepHook)
            m_stepHook(n);
    }
    Store *m_store;
    std::function<void(int)> m_stepHook;
};

} // namespace hcp::kiosk

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
// version = the document version, "hub-etag" = the HTTP ETag it came with, "hub-envelope" = the
// signed envelope it came in (PROTOCOL §7), checked again at every start (verifyStored).
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
    // `envelope`: the signed body the document came in, kept for verifyStored().
    Result apply(const QJsonObject &document, qint64 version, const QByteArray &etag,
                 const KioskConfig &current, const QByteArray &envelope = {});

    // At start: the stored configuration checked again against the hub's key, so that a copy
    // edited on disk (root on the kiosk moving the rating window) is never used. ok: the stored
    // envelope verifies, is the stored document and version, and the stored kiosk settings are
    // what that document makes of them (each key it names has its signed value; the rating
    // window, ratingWindowWorkingDays, is the signed one or the built-in default). Then holidays
    // = the signed document's calendar (none when it has no "holidays" part) and kiosk = the
    // stored settings. Nothing stored at all: ok with no parts. Not ok: reason starts with
    // "unsigned:", "bad-signature:", "tampered:" (…); the caller runs the shipped calendar and
    // the built-in settings until the hub's signed document arrives again.
    Result verifyStored(const QByteArray &hubPublicKeyPem, const KioskConfig &builtin) const;

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

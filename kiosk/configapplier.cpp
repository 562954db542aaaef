// SPDX-License-Identifier: Apache-2.0
#include "configapplier.h"

#include "store.h"

#include "canonicaljson.h"
#include "configenvelope.h"
#include "jsonmergepatch.h"
#include "pinvault.h"

#include <QJsonDocument>
#include <QLoggingCategory>
#include <QSqlDatabase>
#include <QSqlError>

Q_LOGGING_CATEGORY(lcConfigApplier, "hcp.kiosk.config")

namespace hcp::kiosk {

namespace {
QByteArray compact(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}
} // namespace

ConfigApplier::Result ConfigApplier::validate(const QJsonObject &document, const KioskConfig &current)
{
    Result r;
    static const QStringList known{QStringLiteral("kiosk"), QStringLiteral("indicators"), QStringLiteral("questionnaires"),
                                   QStringLiteral("holidays")};
    for (auto it = document.begin(); it != document.end(); ++it) {
        if (!known.contains(it.key())) {
            r.reason = QStringLiteral("invalid: unknown part \"%1\"").arg(it.key());
            return r;
        }
        if (!it.value().isObject()) {
            r.reason = QStringLiteral("invalid: part \"%1\" is not an object").arg(it.key());
            return r;
        }
    }
    if (document.isEmpty()) {
        r.reason = QStringLiteral("invalid: empty document");
        return r;
    }
    QString err;
    if (document.contains(QLatin1String("indicators"))) {
        IndicatorSet set = IndicatorSet::fromJson(document.value(QLatin1String("indicators")).toObject(), &err);
        if (!set.isValid()) {
            r.reason = QStringLiteral("invalid: indicators: %1").arg(err.isEmpty() ? QStringLiteral("no version or indicators") : err);
            return r;
        }
        r.indicators = set;
    }
    if (document.contains(QLatin1String("questionnaires"))) {
        err.clear();
        QuestionnaireCatalog cat = QuestionnaireCatalog::fromJson(document.value(QLatin1String("questionnaires")).toObject(), &err);
        if (cat.version.isEmpty() || !err.isEmpty()) {
            r.reason = QStringLiteral("invalid: questionnaires: %1").arg(err.isEmpty() ? QStringLiteral("no version") : err);
            return r;
        }
        r.questionnaires = cat;
    }
    if (document.contains(QLatin1String("holidays"))) {
        err.clear();
        r.holidays = HolidayNotice::partFromJson(document.value(QLatin1String("holidays")).toObject(), &err);
        if (!r.holidays) {
            r.reason = QStringLiteral("invalid: %1").arg(err);
            return r;
        }
    }
    if (document.contains(QLatin1String("kiosk"))) {
        err.clear();
        const QJsonObject ko = document.value(QLatin1String("kiosk")).toObject();
        if (ko.contains(QLatin1String("idHashKey"))) {
            r.reason = QStringLiteral("invalid: kiosk: idHashKey comes only from enrollment");
            return r;
        }
        // The pushed part is a patch over what this kiosk runs (PROTOCOL §7): a key the push
        // does not name keeps its value (the 代办员 list, hallCode, areaCode, pf), null resets it.
        KioskConfig next = KioskConfig::fromJson(sync::JsonMergePatch::apply(current.toJson(), ko), &err);
        if (!err.isEmpty()) {
            r.reason = QStringLiteral("invalid: kiosk: %1").arg(err);
            return r;
        }
        if (!next.maintenancePinHash.isEmpty() && !trust::PinVault::isValidEncoding(next.maintenancePinHash)) {
            r.reason = QStringLiteral("invalid: kiosk: maintenancePinHash is not a pbkdf2-sha256 encoding");
            return r;
        }
        next.idHashKey = current.idHashKey;
        r.kiosk = next;
    }
    r.ok = true;
    return r;
}

ConfigApplier::Result ConfigApplier::apply(const QJsonObject &document, qint64 version, const QByteArray &etag,
                                           const KioskConfig &current, const QByteArray &envelope)
{
    Result r = validate(document, current);
    if (!r.ok)
        return r;
    const auto canonical = trust::CanonicalJson::serialize(document);
    QSqlDatabase db = m_store->database();
    auto storageFailure = [&](const QString &what) {
        db.rollback();
        r.ok = false;
        r.reason = QStringLiteral("storage: %1").arg(what);
        qCWarning(lcConfigApplier).noquote() << "configuration version" << version << "not applied:" << r.reason;
        return r;
    };
    if (!db.transaction())
        return storageFailure(db.lastError().text());
    QString err;
    int n = 0;
    if (r.indicators) {
        if (!m_store->setConfig(QStringLiteral("indicators"), compact(r.indicators->toJson()), r.indicators->version, &err))
            return storageFailure(err);
        step(++n);
    }
    if (r.questionnaires) {
        if (!m_store->setConfig(QStringLiteral("questionnaires"), compact(document.value(QLatin1String("questionnaires")).toObject()),
                                r.questionnaires->version, &err))
            return storageFailure(err);
        step(++n);
    }
    if (r.holidays) {
        if (!m_store->setConfig(QStringLiteral("holidays"), compact(document.value(QLatin1String("holidays")).toObject()),
                                QString::number(version), &err))
            return storageFailure(err);
        step(++n);
    }
    if (r.kiosk) {
        if (!m_store->setConfig(QStringLiteral("kiosk"), compact(r.kiosk->toJson()), QString::number(version), &err))
            return storageFailure(err);
        step(++n);
    }
    if (!m_store->setConfig(QStringLiteral("hub-envelope"), envelope.isNull() ? QByteArrayLiteral("") : envelope,
                            QString::number(version), &err)
        || !m_store->setConfig(QStringLiteral("hub"), canonical.value_or(compact(document)), QString::number(version), &err))
        return storageFailure(err);
    step(++n);
    if (!m_store->setConfig(QStringLiteral("hub-etag"), etag, QString::number(version), &err))
        return storageFailure(err);
    step(++n);
    if (!db.commit())
        return storageFailure(db.lastError().text());
    step(0);
    qCInfo(lcConfigApplier) << "configuration version" << version << "applied";
    return r;
}

ConfigApplier::Result ConfigApplier::verifyStored(const QByteArray &hubPublicKeyPem, const KioskConfig &builtin) const
{
    Result r;
    const QByteArray stored = m_store->config(QStringLiteral("hub"));
    const QByteArray kioskRow = m_store->config(QStringLiteral("kiosk"));
    if (stored.isEmpty() && kioskRow.isEmpty() && m_store->config(QStringLiteral("holidays")).isEmpty()) {
        r.ok = true; // no configuration from the hub yet
        return r;
    }
    const QByteArray body = m_store->config(QStringLiteral("hub-envelope"));
    if (body.isEmpty()) {
        r.reason = QStringLiteral("unsigned: no signed envelope stored with the configuration");
        return r;
    }
    sync::ConfigEnvelope envelope;
    if (!sync::ConfigEnvelope::verify(body, hubPublicKeyPem, 0, &envelope, &r.reason))
        return r;
    if (envelope.version != activeVersion()
        || trust::CanonicalJson::serialize(envelope.document).value_or(QByteArray()) != stored) {
        r.reason = QStringLiteral("tampered: the stored document or version is not the signed one");
        return r;
    }
    // The signed document once more over the stored settings: a key it names must keep its
    // signed value, and the rating window must be the signed one or the built-in default.
    KioskConfig base = kioskRow.isEmpty() ? builtin : KioskConfig::fromJson(QJsonDocument::fromJson(kioskRow).object());
    const KioskConfig storedKiosk = base;
    base.ratingWindowWorkingDays = builtin.ratingWindowWorkingDays;
    Result again = validate(envelope.document, base);
    if (!again.ok) {
        r.reason = QStringLiteral("tampered: the signed document no longer validates: %1").arg(again.reason);
        return r;
    }
    const KioskConfig expected = again.kiosk.value_or(base);
    if (expected.toJson() != storedKiosk.toJson()) {
        r.reason = QStringLiteral("tampered: the stored kiosk settings differ from the signed document");
        return r;
    }
    r.ok = true;
    r.kiosk = storedKiosk;
    r.holidays = again.holidays;
    return r;
}

qint64 ConfigApplier::activeVersion() const
{
    bool ok = false;
    const qint64 v = m_store->configVersion(QStringLiteral("hub")).toLongLong(&ok);
    return ok && v > 0 ? v : 0;
}

QByteArray ConfigApplier::activeEtag() const
{
    return activeVersion() > 0 ? m_store->config(QStringLiteral("hub-etag")) : QByteArray();
}

} // namespace hcp::kiosk

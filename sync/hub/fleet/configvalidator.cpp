// SPDX-License-Identifier: Apache-2.0
#include "configvalidator.h"

#include "canonicaljson.h"
#include "holidaynotice.h"
#include "pinvault.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QSet>

namespace hcp::sync::hub {

namespace {

QString unknownKey(const QJsonObject &o, const QStringList &allowed, const QString &where)
{
    for (auto it = o.begin(); it != o.end(); ++it)
        if (!allowed.contains(it.key()))
            return QStringLiteral("%1: unknown key '%2'").arg(where, it.key());
    return {};
}

bool isInteger(const QJsonValue &v)
{
    return v.isDouble() && v.toDouble() == double(v.toInteger());
}

QString checkItems(const QJsonValue &itemsValue, const QString &where)
{
    if (!itemsValue.isArray())
        return QStringLiteral("%1: items must be an array").arg(where);
    const QJsonArray items = itemsValue.toArray();
    if (items.size() > 50)
        return QStringLiteral("%1: at most 50 questions").arg(where);
    QSet<QString> ids;
    for (const QJsonValue &v : items) {
        if (!v.isObject())
            return QStringLiteral("%1: a question is not an object").arg(where);
        const QJsonObject q = v.toObject();
        if (QString e = unknownKey(q, {QStringLiteral("id"), QStringLiteral("text"), QStringLiteral("text_en"),
                                       QStringLiteral("kind"), QStringLiteral("options")}, where);
            !e.isEmpty())
            return e;
        if (q.contains(QLatin1String("text_en")) && !q.value(QLatin1String("text_en")).isString())
            return QStringLiteral("%1: text_en must be a string").arg(where);
        const QString id = q.value(QLatin1String("id")).toString();
        if (id.isEmpty() || q.value(QLatin1String("text")).toString().trimmed().isEmpty())
            return QStringLiteral("%1: question '%2' needs an id and a text").arg(where, id);
        if (ids.contains(id))
            return QStringLiteral("%1: duplicate question id '%2'").arg(where, id);
        ids.insert(id);
        const QString kind = q.value(QLatin1String("kind")).toString();
        if (kind != QLatin1String("yesno") && kind != QLatin1String("single") && kind != QLatin1String("multi"))
            return QStringLiteral("%1: question '%2': unknown kind '%3'").arg(where, id, kind);
        if (kind != QLatin1String("yesno")) {
            const QJsonArray options = q.value(QLatin1String("options")).toArray();
            if (options.size() < 2)
                return QStringLiteral("%1: question '%2' needs at least two options").arg(where, id);
            QSet<QString> codes;
            for (const QJsonValue &ov : options) {
                const QJsonObject o = ov.toObject();
                const QString code = o.value(QLatin1String("code")).toString();
                if (code.isEmpty() || o.value(QLatin1String("text")).toString().trimmed().isEmpty()
                    || codes.contains(code) || (o.contains(QLatin1String("text_en")) && !o.value(QLatin1String("text_en")).isString()))
                    return QStringLiteral("%1: question '%2' has an option without code/text or a duplicate code")
                        .arg(where, id);
                codes.insert(code);
            }
        }
    }
    return {};
}

} // namespace

QString ConfigValidator::validate(const QJsonObject &document)
{
    if (document.isEmpty())
        return QStringLiteral("empty document: give kiosk, indicators and/or questionnaires");
    if (QString e = unknownKey(document, {QStringLiteral("kiosk"), QStringLiteral("indicators"),
                                          QStringLiteral("questionnaires"), QStringLiteral("holidays")},
                               QStringLiteral("document"));
        !e.isEmpty())
        return e;
    // Everything that is signed must have a canonical form (integers only, no lone surrogates).
    QString canonicalError;
    if (!hcp::trust::CanonicalJson::serialize(document, &canonicalError))
        return QStringLiteral("document: ") + canonicalError;
    static const struct { const char *key; QString (*check)(const QJsonObject &); } parts[] = {
        {"kiosk", &ConfigValidator::validateKiosk},
        {"indicators", &ConfigValidator::validateIndicators},
        {"questionnaires", &ConfigValidator::validateQuestionnaires},
        {"holidays", &ConfigValidator::validateHolidays},
    };
    for (const auto &part : parts) {
        const QJsonValue v = document.value(QLatin1String(part.key));
        if (v.isUndefined())
            continue;
        if (!v.isObject())
            return QStringLiteral("%1 must be an object").arg(QLatin1String(part.key));
        if (QString e = part.check(v.toObject()); !e.isEmpty())
            return e;
    }
    return {};
}

namespace {
// A null in a pushed kiosk part resets that setting on the kiosk (a merge patch, PROTOCOL §7):
// the key must be known, its value is not checked.
QJsonObject withoutNulls(QJsonObject o)
{
    for (auto it = o.begin(); it != o.end();) {
        if (it.value().isNull())
            it = o.erase(it);
        else {
            if (it.value().isObject())
                it.value() = withoutNulls(it.value().toObject());
            ++it;
        }
    }
    return o;
}
} // namespace

QString ConfigValidator::validateKiosk(const QJsonObject &pushed)
{
    const QJsonObject k = withoutNulls(pushed);
    struct Range { const char *key; qint64 lo, hi; };
    static const Range ranges[] = {
        {"pf", 1, 7},
        {"ratingWindowWorkingDays", 1, 60},
        {"idleTimeoutSeconds", 15, 3600},
        {"countdownSeconds", 3, 60},
        {"thanksTimeoutSeconds", 5, 600},
        {"elderlyIdleTimeoutSeconds", 30, 3600},
        {"minFreeDiskBytes", 0, qint64(1) << 40},
        {"voiceVolume", 0, 100},
    };
    static const char *const strings[] = {"hallName", "hallCode", "areaCode", "hotline", "followUpBase",
                                          "maintenancePinHash", "voiceEngine"};
    if (k.contains(QLatin1String("idHashKey")))
        return QStringLiteral("kiosk.idHashKey comes only from enrollment and cannot be pushed");
    QStringList allowed{QStringLiteral("phrases"), QStringLiteral("pad"), QStringLiteral("voiceEnabled"),
                        QStringLiteral("elderlyByDefault"), QStringLiteral("agents"), QStringLiteral("idle")};
    for (const auto &r : ranges)
        allowed << QLatin1String(r.key);
    for (const char *s : strings)
        allowed << QLatin1String(s);
    if (QString e = unknownKey(pushed, allowed, QStringLiteral("kiosk")); !e.isEmpty())
        return e;
    for (const auto &r : ranges) {
        const QJsonValue v = k.value(QLatin1String(r.key));
        if (v.isUndefined())
            continue;
        if (!isInteger(v) || v.toInteger() < r.lo || v.toInteger() > r.hi)
            return QStringLiteral("kiosk.%1 must be an integer between %2 and %3")
                .arg(QLatin1String(r.key)).arg(r.lo).arg(r.hi);
    }
    for (const char *s : strings) {
        const QJsonValue v = k.value(QLatin1String(s));
        if (!v.isUndefined() && !v.isString())
            return QStringLiteral("kiosk.%1 must be a string").arg(QLatin1String(s));
    }
    static const QRegularExpression areaCode(QStringLiteral("^\\d{12}$"));
    if (k.contains(QLatin1String("areaCode")) && !areaCode.match(k.value(QLatin1String("areaCode")).toString()).hasMatch())
        return QStringLiteral("kiosk.areaCode must be 12 digits");
    if (k.contains(QLatin1String("hallName")) && k.value(QLatin1String("hallName")).toString().trimmed().isEmpty())
        return QStringLiteral("kiosk.hallName must not be empty");
    if (k.contains(QLatin1String("maintenancePinHash")) && !k.value(QLatin1String("maintenancePinHash")).toString().isEmpty()
        && !hcp::trust::PinVault::isValidEncoding(k.value(QLatin1String("maintenancePinHash")).toString()))
        return QStringLiteral("kiosk.maintenancePinHash is not a pbkdf2-sha256 PIN hash");
    if (k.contains(QLatin1String("followUpBase"))) {
        const QString url = k.value(QLatin1String("followUpBase")).toString();
        if (!url.startsWith(QLatin1String("https://")) && !url.startsWith(QLatin1String("http://")))
            return QStringLiteral("kiosk.followUpBase must be an http(s) URL");
    }
    if (k.contains(QLatin1String("countdownSeconds")) && k.contains(QLatin1String("idleTimeoutSeconds"))
        && k.value(QLatin1String("countdownSeconds")).toInteger() >= k.value(QLatin1String("idleTimeoutSeconds")).toInteger())
        return QStringLiteral("kiosk.countdownSeconds must be shorter than idleTimeoutSeconds");
    if (k.contains(QLatin1String("pad"))) {
        // Window rating pad (pf=4): loopback trigger and the staff card (kioskconfig.h).
        const QJsonValue pv = k.value(QLatin1String("pad"));
        if (!pv.isObject())
            return QStringLiteral("kiosk.pad must be an object");
        const QJsonObject pad = pv.toObject();
        if (QString e = unknownKey(pad, {QStringLiteral("triggerPort"), QStringLiteral("triggerToken"), QStringLiteral("windowNo"),
                                         QStringLiteral("staffNo"), QStringLiteral("staffName")},
                                   QStringLiteral("kiosk.pad"));
            !e.isEmpty())
            return e;
        const QJsonValue port = pad.value(QLatin1String("triggerPort"));
        if (!port.isUndefined() && (!isInteger(port) || port.toInteger() < 0 || port.toInteger() > 65535))
            return QStringLiteral("kiosk.pad.triggerPort must be an integer between 0 and 65535");
        for (const char *key : {"triggerToken", "windowNo", "staffNo", "staffName"}) {
            const QJsonValue v = pad.value(QLatin1String(key));
            if (!v.isUndefined() && !v.isString())
                return QStringLiteral("kiosk.pad.%1 must be a string").arg(QLatin1String(key));
        }
        const QString token = pad.value(QLatin1String("triggerToken")).toString();
        if (!token.isEmpty() && token.size() < 16)
            return QStringLiteral("kiosk.pad.triggerToken must have at least 16 characters");
    }
    if (k.contains(QLatin1String("idle"))) {
        const QJsonValue iv = k.value(QLatin1String("idle"));
        if (!iv.isObject() || !unknownKey(iv.toObject(), {QStringLiteral("showHallFigures")}, QStringLiteral("kiosk.idle")).isEmpty()
            || (iv.toObject().contains(QLatin1String("showHallFigures")) && !iv.toObject().value(QLatin1String("showHallFigures")).isBool()))
            return QStringLiteral("kiosk.idle must be {\"showHallFigures\": true|false}");
    }
    for (const char *b : {"voiceEnabled", "elderlyByDefault"})
        if (k.contains(QLatin1String(b)) && !k.value(QLatin1String(b)).isBool())
            return QStringLiteral("kiosk.%1 must be true or false").arg(QLatin1String(b));
    if (k.contains(QLatin1String("agents"))) {
        // 代办员 (kioskconfig.h AgentEntry): keyed hash of the agent's ID number and a PIN hash.
        const QJsonValue av = k.value(QLatin1String("agents"));
        if (!av.isArray() || av.toArray().size() > 200)
            return QStringLiteral("kiosk.agents must be an array of at most 200 agents");
        QSet<QString> ids;
        for (const QJsonValue &v : av.toArray()) {
            const QJsonObject a = v.toObject();
            if (QString e = unknownKey(a, {QStringLiteral("id"), QStringLiteral("name"), QStringLiteral("certKeyHash"),
                                           QStringLiteral("pinHash")}, QStringLiteral("kiosk.agents"));
                !e.isEmpty())
                return e;
            const QString id = a.value(QLatin1String("id")).toString();
            if (!v.isObject() || id.isEmpty() || ids.contains(id) || a.value(QLatin1String("certKeyHash")).toString().isEmpty())
                return QStringLiteral("kiosk.agents: every agent needs a unique id and a certKeyHash");
            ids.insert(id);
            if (!hcp::trust::PinVault::isValidEncoding(a.value(QLatin1String("pinHash")).toString()))
                return QStringLiteral("kiosk.agents: %1 has no valid pbkdf2-sha256 pinHash").arg(id);
        }
    }
    if (k.contains(QLatin1String("phrases"))) {
        const QJsonValue p = k.value(QLatin1String("phrases"));
        if (!p.isArray() || p.toArray().size() > 30)
            return QStringLiteral("kiosk.phrases must be an array of at most 30 strings");
        for (const QJsonValue &v : p.toArray())
            if (!v.isString() || v.toString().trimmed().isEmpty() || v.toString().size() > 40)
                return QStringLiteral("kiosk.phrases: every phrase is a non-empty string of at most 40 characters");
    }
    return {};
}

QString ConfigValidator::validateHolidays(const QJsonObject &holidays)
{
    QString error;
    return kiosk::HolidayNotice::partFromJson(holidays, &error) ? QString() : error;
}

QString ConfigValidator::validateIndicators(const QJsonObject &o)
{
    if (QString e = unknownKey(o, {QStringLiteral("version"), QStringLiteral("indicators")}, QStringLiteral("indicators"));
        !e.isEmpty())
        return e;
    if (o.value(QLatin1String("version")).toString().trimmed().isEmpty())
        return QStringLiteral("indicators.version must be a non-empty string");
    const QJsonValue list = o.value(QLatin1String("indicators"));
    if (!list.isArray() || list.toArray().isEmpty())
        return QStringLiteral("indicators.indicators must be a non-empty array");
    static const QRegularExpression code(QStringLiteral("^\\d{3}$"));
    QSet<QString> codes;
    bool hasBadRatingReason = false;
    for (const QJsonValue &v : list.toArray()) {
        const QJsonObject i = v.toObject();
        if (!v.isObject())
            return QStringLiteral("indicators: an indicator is not an object");
        if (QString e = unknownKey(i, {QStringLiteral("code"), QStringLiteral("text"), QStringLiteral("text_en"),
                                       QStringLiteral("levels")},
                                   QStringLiteral("indicators"));
            !e.isEmpty())
            return e;
        if (i.contains(QLatin1String("text_en")) && !i.value(QLatin1String("text_en")).isString())
            return QStringLiteral("indicators: text_en must be a string");
        const QString c = i.value(QLatin1String("code")).toString();
        if (!code.match(c).hasMatch())
            return QStringLiteral("indicators: code '%1' is not three digits").arg(c);
        if (codes.contains(c))
            return QStringLiteral("indicators: duplicate code %1").arg(c);
        codes.insert(c);
        if (i.value(QLatin1String("text")).toString().trimmed().isEmpty())
            return QStringLiteral("indicators: %1 has no text").arg(c);
        const QJsonArray levels = i.value(QLatin1String("levels")).toArray();
        if (levels.isEmpty())
            return QStringLiteral("indicators: %1 has no levels").arg(c);
        for (const QJsonValue &l : levels) {
            if (!isInteger(l) || l.toInteger() < 1 || l.toInteger() > 5)
                return QStringLiteral("indicators: %1 has a level outside 1..5").arg(c);
            if (l.toInteger() <= 2)
                hasBadRatingReason = true;
        }
    }
    // 差评 (levels 1–2) require a reason on the kiosk: a set without one would block them.
    if (!hasBadRatingReason)
        return QStringLiteral("indicators: no reason offered for levels 1-2 (差评)");
    return {};
}

QString ConfigValidator::validateQuestionnaires(const QJsonObject &o)
{
    if (QString e = unknownKey(o, {QStringLiteral("version"), QStringLiteral("default"), QStringLiteral("byTaskCode")},
                               QStringLiteral("questionnaires"));
        !e.isEmpty())
        return e;
    if (o.value(QLatin1String("version")).toString().trimmed().isEmpty())
        return QStringLiteral("questionnaires.version must be a non-empty string");
    if (!o.value(QLatin1String("default")).isObject())
        return QStringLiteral("questionnaires.default must be an object with items");
    if (QString e = checkItems(o.value(QLatin1String("default")).toObject().value(QLatin1String("items")),
                               QStringLiteral("questionnaires.default"));
        !e.isEmpty())
        return e;
    const QJsonValue by = o.value(QLatin1String("byTaskCode"));
    if (by.isUndefined())
        return {};
    if (!by.isObject())
        return QStringLiteral("questionnaires.byTaskCode must be an object");
    const QJsonObject byTask = by.toObject();
    for (auto it = byTask.begin(); it != byTask.end(); ++it) {
        if (!it.value().isObject())
            return QStringLiteral("questionnaires.byTaskCode.%1 must be an object").arg(it.key());
        if (QString e = checkItems(it.value().toObject().value(QLatin1String("items")),
                                   QStringLiteral("questionnaires.byTaskCode.") + it.key());
            !e.isEmpty())
            return e;
    }
    return {};
}

} // namespace hcp::sync::hub

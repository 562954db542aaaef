// SPDX-License-Identifier: Apache-2.0
#include "kioskconfig.h"

#include <QJsonArray>

namespace hcp::kiosk {

KioskConfig KioskConfig::fromJson(const QJsonObject &o, QString *error)
{
    KioskConfig c;
    auto str = [&o](const char *k, QString &out) {
        if (o.contains(QLatin1String(k)))
            out = o.value(QLatin1String(k)).toString();
    };
    auto num = [&o, error](const char *k, int &out, int lo, int hi) {
        if (!o.contains(QLatin1String(k)))
            return;
        const int v = o.value(QLatin1String(k)).toInt(-1);
        if (v < lo || v > hi) {
            if (error)
                *error = QStringLiteral("%1 must be between %2 and %3").arg(QLatin1String(k)).arg(lo).arg(hi);
            return;
        }
        out = v;
    };
    str("hallName", c.hallName);
    str("hallCode", c.hallCode);
    str("areaCode", c.areaCode);
    str("hotline", c.hotline);
    str("followUpBase", c.followUpBase);
    str("maintenancePinHash", c.maintenancePinHash);
    num("pf", c.pf, 1, 7);
    if (const QJsonObject pad = o.value(QLatin1String("pad")).toObject(); !pad.isEmpty()) {
        if (pad.contains(QLatin1String("triggerPort"))) {
            const int port = pad.value(QLatin1String("triggerPort")).toInt(-1);
            if (port >= 0 && port <= 65535)
                c.padTriggerPort = port;
            else if (error)
                *error = QStringLiteral("pad.triggerPort must be between 0 and 65535");
        }
        c.padTriggerToken = pad.value(QLatin1String("triggerToken")).toString();
        c.padWindowNo = pad.value(QLatin1String("windowNo")).toString();
        c.padStaffNo = pad.value(QLatin1String("staffNo")).toString();
        c.padStaffName = pad.value(QLatin1String("staffName")).toString();
    }
    num("ratingWindowWorkingDays", c.ratingWindowWorkingDays, 1, 60);
    num("idleTimeoutSeconds", c.idleTimeoutSeconds, 15, 3600);
    num("countdownSeconds", c.countdownSeconds, 3, 60);
    num("thanksTimeoutSeconds", c.thanksTimeoutSeconds, 5, 600);
    num("elderlyIdleTimeoutSeconds", c.elderlyIdleTimeoutSeconds, 30, 3600);
    if (o.contains(QLatin1String("idHashKey")))
        c.idHashKey = o.value(QLatin1String("idHashKey")).toString().toUtf8();
    if (o.contains(QLatin1String("minFreeDiskBytes")))
        c.minFreeDiskBytes = o.value(QLatin1String("minFreeDiskBytes")).toInteger();
    str("voiceEngine", c.voiceEngine);
    num("voiceVolume", c.voiceVolume, 0, 100);
    if (o.contains(QLatin1String("voiceEnabled")))
        c.voiceEnabled = o.value(QLatin1String("voiceEnabled")).toBool(true);
    if (const QJsonObject idle = o.value(QLatin1String("idle")).toObject(); !idle.isEmpty())
        c.idleShowHallFigures = idle.value(QLatin1String("showHallFigures")).toBool(false);
    if (o.contains(QLatin1String("elderlyByDefault")))
        c.elderlyByDefault = o.value(QLatin1String("elderlyByDefault")).toBool(false);
    for (const QJsonValue &v : o.value(QLatin1String("agents")).toArray()) {
        const QJsonObject a = v.toObject();
        AgentEntry e{a.value(QLatin1String("id")).toString(), a.value(QLatin1String("name")).toString(),
                     a.value(QLatin1String("certKeyHash")).toString(), a.value(QLatin1String("pinHash")).toString()};
        if (e.id.isEmpty() || e.certKeyHash.isEmpty() || e.pinHash.isEmpty()) {
            if (error)
                *error = QStringLiteral("agents need id, certKeyHash and pinHash");
            continue;
        }
        c.agents.append(e);
    }
    if (o.contains(QLatin1String("phrases"))) {
        c.phrases.clear();
        for (const QJsonValue &v : o.value(QLatin1String("phrases")).toArray())
            c.phrases.append(v.toString());
    }
    if (o.contains(QLatin1String("badPhrases"))) {
        c.badPhrases.clear();
        for (const QJsonValue &v : o.value(QLatin1String("badPhrases")).toArray())
            c.badPhrases.append(v.toString());
    }
    return c;
}

QJsonObject KioskConfig::toJson() const
{
    QJsonArray agentsJson;
    for (const AgentEntry &a : agents)
        agentsJson.append(QJsonObject{{QStringLiteral("id"), a.id}, {QStringLiteral("name"), a.name},
                                      {QStringLiteral("certKeyHash"), a.certKeyHash},
                                      {QStringLiteral("pinHash"), a.pinHash}});
    return {
        {QStringLiteral("hallName"), hallName},
        {QStringLiteral("hallCode"), hallCode},
        {QStringLiteral("areaCode"), areaCode},
        {QStringLiteral("hotline"), hotline},
        {QStringLiteral("pf"), pf},
        {QStringLiteral("ratingWindowWorkingDays"), ratingWindowWorkingDays},
        {QStringLiteral("idleTimeoutSeconds"), idleTimeoutSeconds},
        {QStringLiteral("countdownSeconds"), countdownSeconds},
        {QStringLiteral("thanksTimeoutSeconds"), thanksTimeoutSeconds},
        {QStringLiteral("elderlyIdleTimeoutSeconds"), elderlyIdleTimeoutSeconds},
        {QStringLiteral("followUpBase"), followUpBase},
        {QStringLiteral("idHashKey"), QString::fromUtf8(idHashKey)},
        {QStringLiteral("minFreeDiskBytes"), minFreeDiskBytes},
        {QStringLiteral("maintenancePinHash"), maintenancePinHash},
        {QStringLiteral("phrases"), QJsonArray::fromStringList(phrases)},
        {QStringLiteral("voiceEngine"), voiceEngine},
        {QStringLiteral("voiceVolume"), voiceVolume},
        {QStringLiteral("voiceEnabled"), voiceEnabled},
        {QStringLiteral("elderlyByDefault"), elderlyByDefault},
        {QStringLiteral("idle"), QJsonObject{{QStringLiteral("showHallFigures"), idleShowHallFigures}}},
        {QStringLiteral("agents"), agentsJson},
        {QStringLiteral("pad"), QJsonObject{{QStringLiteral("triggerPort"), padTriggerPort},
                                            {QStringLiteral("triggerToken"), padTriggerToken},
                                            {QStringLiteral("windowNo"), padWindowNo},
                                            {QStringLiteral("staffNo"), padStaffNo},
                                            {QStringLiteral("staffName"), padStaffName}}},
    };
}

} // namespace hcp::kiosk

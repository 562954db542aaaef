// SPDX-License-Identifier: Apache-2.0
#include "ratenowevent.h"

#include <QRegularExpression>

namespace hcp::sync {

RateNowEvent RateNowEvent::fromJson(const QJsonObject &o, QString *reason)
{
    auto fail = [reason](const QString &why) {
        if (reason)
            *reason = why;
        return RateNowEvent();
    };
    static const QRegularExpression projectPattern(QStringLiteral("^[A-Za-z0-9_-]{6,64}$"));
    RateNowEvent e;
    const QJsonValue project = o.value(QLatin1String("projectNo"));
    if (!project.isString() || !projectPattern.match(project.toString()).hasMatch())
        return fail(QStringLiteral("projectNo must be 6-64 of [A-Za-z0-9_-]"));
    const QJsonValue service = o.value(QLatin1String("serviceNumber"));
    if (!service.isDouble() || service.toDouble() != double(service.toInteger()) || service.toInteger() < 1
        || service.toInteger() > 999)
        return fail(QStringLiteral("serviceNumber must be an integer 1-999"));
    struct Field { const char *key; int max; QString *out; };
    const Field fields[] = {{"staffNo", 32, &e.staffNo}, {"staffName", 30, &e.staffName}, {"windowNo", 16, &e.windowNo}};
    for (const Field &f : fields) {
        const QJsonValue v = o.value(QLatin1String(f.key));
        const QString s = v.toString().trimmed();
        if (!v.isString() || s.isEmpty() || s.size() > f.max)
            return fail(QStringLiteral("%1 must be a string of 1-%2 characters").arg(QLatin1String(f.key)).arg(f.max));
        for (const QChar c : s) {
            if (c.category() == QChar::Other_Control || c.category() == QChar::Other_Format)
                return fail(QStringLiteral("%1 contains control characters").arg(QLatin1String(f.key)));
        }
        *f.out = s;
    }
    e.projectNo = project.toString();
    e.serviceNumber = int(service.toInteger());
    return e;
}

QJsonObject RateNowEvent::toJson() const
{
    return {{QStringLiteral("projectNo"), projectNo},
            {QStringLiteral("serviceNumber"), serviceNumber},
            {QStringLiteral("staffNo"), staffNo},
            {QStringLiteral("staffName"), staffName},
            {QStringLiteral("windowNo"), windowNo}};
}

} // namespace hcp::sync

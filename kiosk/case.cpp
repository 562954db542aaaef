// SPDX-License-Identifier: Apache-2.0
#include "case.h"

namespace hcp::kiosk {

QString maskName(const QString &name)
{
    const QString n = name.trimmed();
    const qsizetype len = n.size();
    if (len <= 1)
        return n;
    if (len == 2)
        return n.left(1) + QLatin1Char('*');
    return n.left(1) + QString(len - 2, QLatin1Char('*')) + n.right(1);
}

QString maskIdNumber(const QString &id)
{
    if (id.size() <= 8)
        return QString(id.size(), QLatin1Char('*'));
    return id.left(4) + QString(id.size() - 8, QLatin1Char('*')) + id.right(4);
}

QString Case::maskedUserName() const { return maskName(userName); }

QJsonObject Case::toJson() const
{
    return QJsonObject{
        {QStringLiteral("projectNo"), projectNo},
        {QStringLiteral("serviceNumber"), serviceNumber},
        {QStringLiteral("serviceName"), serviceName},
        {QStringLiteral("taskCode"), taskCode},
        {QStringLiteral("taskName"), taskName},
        {QStringLiteral("deptName"), deptName},
        {QStringLiteral("deptCode"), deptCode},
        {QStringLiteral("windowNo"), windowNo},
        {QStringLiteral("staffName"), staffName},
        {QStringLiteral("staffNo"), staffNo},
        {QStringLiteral("resultDate"), resultDate.toString(QLatin1String(kDateTimeFormat))},
        {QStringLiteral("userName"), userName},
        {QStringLiteral("userProp"), userProp},
        {QStringLiteral("areaCode"), areaCode},
        {QStringLiteral("proStatus"), proStatus},
        {QStringLiteral("hallCode"), hallCode},
        {QStringLiteral("certKeyHash"), certKeyHash},
    };
}

Case Case::fromJson(const QJsonObject &o)
{
    Case c;
    c.projectNo = o.value(QLatin1String("projectNo")).toString().trimmed();
    c.serviceNumber = o.value(QLatin1String("serviceNumber")).toInt(1);
    c.serviceName = o.value(QLatin1String("serviceName")).toString();
    c.taskCode = o.value(QLatin1String("taskCode")).toString();
    c.taskName = o.value(QLatin1String("taskName")).toString();
    c.deptName = o.value(QLatin1String("deptName")).toString();
    c.deptCode = o.value(QLatin1String("deptCode")).toString();
    c.windowNo = o.value(QLatin1String("windowNo")).toString();
    c.staffName = o.value(QLatin1String("staffName")).toString();
    c.staffNo = o.value(QLatin1String("staffNo")).toString();
    c.resultDate = QDateTime::fromString(o.value(QLatin1String("resultDate")).toString(),
                                         QLatin1String(kDateTimeFormat));
    c.userName = o.value(QLatin1String("userName")).toString();
    c.userProp = o.value(QLatin1String("userProp")).toInt(1);
    c.areaCode = o.value(QLatin1String("areaCode")).toString();
    c.proStatus = o.value(QLatin1String("proStatus")).toInt(3);
    c.hallCode = o.value(QLatin1String("hallCode")).toString();
    c.certKeyHash = o.value(QLatin1String("certKeyHash")).toString();
    return c;
}

} // namespace hcp::kiosk

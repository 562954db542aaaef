// SPDX-License-Identifier: Apache-2.0
// FleetStore: 通报, satisfaction per hall, department and staff member.
#include "fleetstore.h"

#include "fleetinternal.h"
#include "hubstore.h"

#include <QHash>
#include <QSqlQuery>

#include <algorithm>

namespace hcp::sync::hub {

namespace {

using fleetinternal::parse;

} // namespace

QJsonObject FleetStore::satisfaction(qint64 sinceMs)
{
    struct Acc { QString name; qint64 count = 0, sum = 0, satisfied = 0, bad = 0; };
    QHash<QString, Acc> halls, depts, staff;
    qint64 levels[6] = {0, 0, 0, 0, 0, 0};
    QHash<QString, QJsonObject> caseCache;
    QSqlQuery caseQuery(m_store->database());
    caseQuery.prepare(QStringLiteral("SELECT payload FROM cases WHERE project_no = ? ORDER BY service_number LIMIT 1"));
    QSqlQuery q(m_store->database());
    q.prepare(QStringLiteral("SELECT e.satisfaction, e.payload, d.hall_code FROM evaluations e "
                             "JOIN devices d ON d.device_id = e.device_id WHERE e.received_at >= ? "
                             // 不予采纳 after an upheld appeal: stored, but not in the 通报.
                             "AND NOT EXISTS (SELECT 1 FROM grievance_exclusions x WHERE x.evaluation_id = e.id)"));
    q.addBindValue(sinceMs);
    if (!exec(q))
        return {};
    auto add = [](Acc &a, const QString &name, int s) {
        if (a.name.isEmpty())
            a.name = name;
        ++a.count;
        a.sum += s;
        a.satisfied += s >= 4 ? 1 : 0;
        a.bad += s <= 2 ? 1 : 0;
    };
    while (q.next()) {
        const int s = q.value(0).toInt();
        if (s < 1 || s > 5)
            continue;
        ++levels[s];
        const QJsonObject e = parse(q.value(1));
        const QString projectNo = e.value(QLatin1String("projectNo")).toString();
        if (!caseCache.contains(projectNo)) {
            caseQuery.bindValue(0, projectNo);
            caseCache.insert(projectNo, caseQuery.exec() && caseQuery.next() ? parse(caseQuery.value(0)) : QJsonObject());
            caseQuery.finish();
        }
        const QJsonObject c = caseCache.value(projectNo);
        const QString hall = q.value(2).toString();
        add(halls[hall], hall, s);
        const QString deptCode = e.value(QLatin1String("deptCode")).toString();
        const QString deptName = c.value(QLatin1String("deptName")).toString();
        add(depts[deptCode.isEmpty() ? QStringLiteral("-") : deptCode], deptName.isEmpty() ? deptCode : deptName, s);
        const QString staffNo = e.value(QLatin1String("staffNo")).toString();
        const QString staffName = c.value(QLatin1String("staffName")).toString();
        add(staff[staffNo.isEmpty() ? QStringLiteral("-") : staffNo],
            staffName.isEmpty() ? staffNo : QStringLiteral("%1（%2）").arg(staffName, staffNo), s);
    }
    auto rows = [](const QHash<QString, Acc> &map) {
        QList<QPair<QString, Acc>> list;
        for (auto it = map.begin(); it != map.end(); ++it)
            list.append({it.key(), it.value()});
        std::sort(list.begin(), list.end(), [](const auto &a, const auto &b) {
            return a.second.count != b.second.count ? a.second.count > b.second.count : a.first < b.first;
        });
        QJsonArray out;
        for (const auto &[key, a] : list)
            out.append(QJsonObject{{QStringLiteral("key"), key},
                                   {QStringLiteral("name"), a.name.isEmpty() ? key : a.name},
                                   {QStringLiteral("count"), a.count},
                                   {QStringLiteral("average"), double(a.sum) / a.count},
                                   {QStringLiteral("satisfiedRate"), double(a.satisfied) / a.count},
                                   {QStringLiteral("bad"), a.bad}});
        return out;
    };
    qint64 total = 0;
    QJsonArray levelArray;
    for (int s = 1; s <= 5; ++s) {
        levelArray.append(levels[s]);
        total += levels[s];
    }
    return {{QStringLiteral("sinceMs"), sinceMs},
            {QStringLiteral("total"), total},
            {QStringLiteral("levels"), levelArray},
            {QStringLiteral("halls"), rows(halls)},
            {QStringLiteral("departments"), rows(depts)},
            {QStringLiteral("staff"), rows(staff)}};
}

} // namespace hcp::sync::hub

// SPDX-License-Identifier: Apache-2.0
#include "demodata.h"

#include "evaluation.h"
#include "identity.h"
#include "store.h"
#include "workcalendar.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace hcp::kiosk {

static QDate workingDaysBefore(const WorkCalendar &cal, QDate today, int n)
{
    QDate d = today;
    while (!cal.isWorkingDay(d))
        d = d.addDays(-1);
    int counted = 0;
    while (counted < n) {
        d = d.addDays(-1);
        if (cal.isWorkingDay(d))
            ++counted;
    }
    return d;
}

DemoData loadDemoData(const QByteArray &json, const WorkCalendar &calendar, const QDateTime &now,
                      const QByteArray &idHashKey, QString *error)
{
    DemoData out;
    QJsonParseError pe;
    const QJsonObject root = QJsonDocument::fromJson(json, &pe).object();
    if (pe.error != QJsonParseError::NoError) {
        if (error)
            *error = pe.errorString();
        return out;
    }
    for (const QJsonValue &v : root.value(QLatin1String("cases")).toArray()) {
        QJsonObject o = v.toObject();
        const QDate day = workingDaysBefore(calendar, now.date(), o.value(QLatin1String("completedWorkingDaysAgo")).toInt());
        const QTime time = QTime::fromString(o.value(QLatin1String("completedAt")).toString(), QStringLiteral("HH:mm"));
        // A case "completed today at 16:40" shown at 09:00 would lie in the future.
        const QDateTime done = std::min(QDateTime(day, time), now.addSecs(-30 * 60));
        o.insert(QStringLiteral("resultDate"), done.toString(QLatin1String(kDateTimeFormat)));
        Case c = Case::fromJson(o);
        c.certKeyHash = certKeyHash(idHashKey, o.value(QLatin1String("certKey")).toString());
        out.cases.append(c);
    }
    for (const QJsonValue &v : root.value(QLatin1String("alreadyRated")).toArray())
        out.alreadyRated.append(v.toString());
    if (out.cases.isEmpty() && error)
        *error = QStringLiteral("no demo cases");
    return out;
}

DemoData builtinDemoData(const WorkCalendar &calendar, const QDateTime &now, const QByteArray &idHashKey, QString *error)
{
    QFile f(QStringLiteral(":/hcp/demo/cases.json"));
    if (!f.open(QIODevice::ReadOnly)) {
        if (error)
            *error = f.errorString();
        return {};
    }
    return loadDemoData(f.readAll(), calendar, now, idHashKey, error);
}

bool installDemoData(Store &store, const DemoData &demo, QString *error, bool cacheCases)
{
    if (cacheCases && !store.upsertCases(demo.cases, error))
        return false;
    for (const Case &c : demo.cases) {
        if (!demo.alreadyRated.contains(c.projectNo) || store.ratedAt(c.projectNo, c.serviceNumber))
            continue;
        Evaluation e;
        e.projectNo = c.projectNo;
        e.serviceNumber = c.serviceNumber;
        e.satisfaction = 5;
        e.assessTime = c.resultDate.addSecs(600);
        e.taskCode = c.taskCode;
        e.taskName = c.taskName;
        e.deptCode = c.deptCode;
        e.deptName = c.deptName;
        e.areaCode = c.areaCode;
        e.staffNo = c.staffNo;
        e.staffName = c.staffName;
        e.windowNo = c.windowNo;
        e.userNameMasked = c.maskedUserName();
        e.indicatorVersion = QStringLiteral("builtin-2026.1");
        const Store::CommitResult r = store.commitEvaluation(e);
        if (!r.ok() && r.status != Store::CommitResult::Status::AlreadyRated) {
            if (error)
                *error = r.error;
            return false;
        }
    }
    return true;
}

bool writeDemoCasesForHub(const WorkCalendar &calendar, const QString &file, QString *error)
{
    QFile in(QStringLiteral(":/hcp/demo/cases.json"));
    if (!in.open(QIODevice::ReadOnly))
        return false;
    const QJsonObject root = QJsonDocument::fromJson(in.readAll()).object();
    const DemoData demo = loadDemoData(QJsonDocument(root).toJson(), calendar, QDateTime::currentDateTime(), QByteArray(), error);
    const QJsonArray raw = root.value(QLatin1String("cases")).toArray();
    QJsonArray out;
    for (int i = 0; i < demo.cases.size() && i < raw.size(); ++i) {
        QJsonObject o = demo.cases.at(i).toJson();
        o.remove(QStringLiteral("certKeyHash"));
        o.insert(QStringLiteral("certNo"), raw.at(i).toObject().value(QLatin1String("certKey")));
        out.append(o);
    }
    QFile f(file);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        *error = f.errorString();
        return false;
    }
    f.write(QJsonDocument(QJsonObject{{QStringLiteral("cases"), out}}).toJson());
    return true;
}

} // namespace hcp::kiosk

// SPDX-License-Identifier: Apache-2.0
#include "demoseed.h"

#include "appeals.h"
#include "casefiles.h"
#include "followups.h"
#include "grievanceservice.h"
#include "hubstore.h"

#include <QDateTime>
#include <QJsonArray>
#include <QLoggingCategory>
#include <QSqlQuery>
#include <QUuid>

Q_LOGGING_CATEGORY(lcDemoSeed, "hcp.sync.hub.grievance.demo")

namespace hcp::sync::hub::grievance {

namespace {

struct Dept
{
    const char *code, *name;
};
const Dept kDepts[] = {{"11110105MB00000001", "县公安局"},
                       {"11110105MB00000002", "县市场监管局"},
                       {"11110105MB00000003", "县人社局"},
                       {"11110105MB00000004", "县不动产登记中心"}};
const char *const kStaff[] = {"王芳", "张伟", "刘洋", "陈静", "杨磊", "赵敏"};
const char *const kTasks[] = {"居民身份证换领", "个体工商户设立登记", "社会保障卡申领", "不动产登记资料查询"};
const char *const kComments[] = {"等候时间太长", "材料要求没有一次说清", "窗口人员态度生硬", "系统故障跑了两趟"};

QString cst(const QDateTime &utc)
{
    return utc.toOffsetFromUtc(8 * 3600).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

} // namespace

int seedDemo(HubStore &store, QString *error)
{
    if (store.device(QStringLiteral("DEMO-KIOSK-1"))) {
        *error = QStringLiteral("the database already holds the demo history (DEMO-KIOSK-1)");
        return 0;
    }
    const QStringList halls{QStringLiteral("110105000000"), QStringLiteral("110105000000"), QStringLiteral("110105001000")};
    QList<HubStore::Device> devices;
    for (int k = 0; k < 3; ++k) {
        QByteArray secret;
        const QString id = QStringLiteral("DEMO-KIOSK-%1").arg(k + 1);
        if (store.enroll(id, halls.at(k), QStringLiteral("terminal"), QStringLiteral("demo"), &secret)
                == HubStore::EnrollResult::Failed
            || !store.device(id)) {
            *error = QStringLiteral("cannot enroll %1: %2").arg(id, store.lastError());
            return -1;
        }
        devices << *store.device(id);
    }

    // Ten ratings a day for 30 days; level pattern with two 差评 in every 13.
    static const int levels[13] = {5, 5, 4, 5, 3, 5, 2, 4, 5, 5, 4, 1, 5};
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QJsonArray cases;
    QList<QJsonArray> batches(devices.size());
    QStringList badOrder; // projectNo of the 差评, oldest first
    int n = 0;
    for (int day = 30; day >= 0; --day) {
        for (int i = 0; i < 10; ++i, ++n) {
            const Dept &dept = kDepts[n % 4];
            const QString projectNo = QStringLiteral("DEMO-%1-%2").arg(cst(now.addDays(-day)).left(10).remove(QLatin1Char('-')))
                                          .arg(i, 3, 10, QLatin1Char('0'));
            const QString staffNo = QStringLiteral("S%1").arg(n % 6 + 1, 3, 10, QLatin1Char('0'));
            // Office hours, in the past (today's ratings up to an hour ago).
            QDateTime at = now.addDays(-day).toOffsetFromUtc(8 * 3600);
            at.setTime(QTime(9 + i % 8, (n * 7) % 60));
            if (at > now.addSecs(-3600))
                at = now.addSecs(-3600 - i * 60).toOffsetFromUtc(8 * 3600);
            const QString assessTime = at.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
            cases.append(QJsonObject{{QStringLiteral("projectNo"), projectNo}, {QStringLiteral("serviceNumber"), 1},
                                     {QStringLiteral("serviceName"), QLatin1String(kTasks[n % 4])},
                                     {QStringLiteral("taskName"), QLatin1String(kTasks[n % 4])},
                                     {QStringLiteral("deptName"), QString::fromUtf8(dept.name)},
                                     {QStringLiteral("deptCode"), QLatin1String(dept.code)},
                                     {QStringLiteral("staffName"), QString::fromUtf8(kStaff[n % 6])},
                                     {QStringLiteral("staffNo"), staffNo},
                                     {QStringLiteral("resultDate"), assessTime},
                                     {QStringLiteral("userName"), QStringLiteral("演示群众")},
                                     {QStringLiteral("userProp"), 1},
                                     {QStringLiteral("hallCode"), halls.at(n % 3)},
                                     {QStringLiteral("demo"), true}});
            const int s = levels[n % 13];
            const int k = n % 3;
            batches[k].append(QJsonObject{
                {QStringLiteral("uuid"), QUuid::createUuid().toString(QUuid::WithoutBraces)},
                {QStringLiteral("deviceSeq"), batches[k].size() + 1},
                {QStringLiteral("projectNo"), projectNo}, {QStringLiteral("serviceNumber"), 1},
                {QStringLiteral("assessNumber"), 1}, {QStringLiteral("pf"), 5}, {QStringLiteral("satisfaction"), s},
                {QStringLiteral("evalDetail"), s <= 2 ? QStringLiteral("501,503") : QString()},
                {QStringLiteral("writingEvaluation"), s <= 2 ? QString::fromUtf8(kComments[n % 4]) : QString()},
                {QStringLiteral("publicFlag"), 1}, {QStringLiteral("assessTime"), assessTime},
                {QStringLiteral("evaluateType"), 1},
                {QStringLiteral("taskCode"), QStringLiteral("11110105000000000X4000111001%1").arg(n % 4 + 1, 3, 10, QLatin1Char('0'))},
                {QStringLiteral("deptCode"), QLatin1String(dept.code)}, {QStringLiteral("areaCode"), QStringLiteral("110105000000")},
                {QStringLiteral("staffNo"), staffNo}, {QStringLiteral("windowNo"), QStringLiteral("A%1").arg(n % 9 + 1, 2, 10, QLatin1Char('0'))},
                {QStringLiteral("userProp"), 1}, {QStringLiteral("userNameMasked"), QStringLiteral("演*")}});
            if (s <= 2)
                badOrder << projectNo;
        }
    }
    int imported = 0;
    QJsonArray rejected;
    if (!store.importCases(cases, &imported, &rejected, error))
        return -1;
    int stored = 0;
    for (qsizetype k = 0; k < devices.size(); ++k) {
        QJsonArray results;
        if (!store.ingest(devices.at(k), batches.at(k), {}, now.toMSecsSinceEpoch(), now.toMSecsSinceEpoch(), &results)) {
            *error = store.lastError();
            return -1;
        }
        for (const QJsonValue &r : results)
            stored += r.toObject().value(QLatin1String("status")).toString() == QLatin1String("accepted") ? 1 : 0;
    }

    // The 差评 files through every state. Oldest files first: the untouched old ones stay overdue.
    CaseFiles files(store.database(), GrievanceService::calendar());
    FollowUps followUps(files);
    Appeals appeals(files);
    const CaseFiles::Actor county{QStringLiteral("demo.county"), QStringLiteral("maintainer"), {}};
    const CaseFiles::Actor reviewer{QStringLiteral("demo.reviewer"), QStringLiteral("admin"), {}};
    const qint64 nowMs = now.toMSecsSinceEpoch();
    auto step = [&](qint64 id, const QString &action, const QJsonObject &body) {
        CaseFiles::Outcome o = files.act(id, action, body, county, nowMs);
        if (o.code == QLatin1String("explanation_required")) {
            files.act(id, QStringLiteral("extend"),
                      QJsonObject{{QStringLiteral("text"), QStringLiteral("（演示）承办人外出，未能按期办理")},
                                  {QStringLiteral("newDueDate"), CaseFiles::todayCst().addDays(5).toString(Qt::ISODate)}},
                      county, nowMs);
            o = files.act(id, action, body, county, nowMs);
        }
        if (!o.ok())
            qCWarning(lcDemoSeed) << "demo step" << action << "on file" << id << ":" << o.message;
        return o.ok();
    };
    auto visit = [&](qint64 id, const char *result) {
        return followUps.add(id, QJsonObject{{QStringLiteral("method"), QStringLiteral("电话")},
                                             {QStringLiteral("visitDate"), CaseFiles::todayCst().toString(Qt::ISODate)},
                                             {QStringLiteral("result"), QString::fromUtf8(result)}},
                             county, nowMs)
            .ok();
    };
    const QJsonObject verify{{QStringLiteral("text"), QStringLiteral("（演示）已电话联系群众核实情况")}};
    const QJsonObject rectify{{QStringLiteral("text"), QStringLiteral("（演示）窗口人员批评教育，材料清单上墙公示")}};
    const QJsonObject answer{{QStringLiteral("text"), QStringLiteral("（演示）已整改：材料一次性告知，增设午间窗口。感谢您的监督。")}};
    QSqlQuery q(store.database());
    q.prepare(QStringLiteral("SELECT id, dept_code FROM grievance_files WHERE project_no = ?"));
    for (qsizetype j = 0; j < badOrder.size(); ++j) {
        q.bindValue(0, badOrder.at(j));
        if (!q.exec() || !q.next())
            continue;
        const qint64 id = q.value(0).toLongLong();
        const Dept &other = kDepts[QLatin1String(kDepts[0].code) == q.value(1).toString() ? 1 : 0];
        q.finish();
        // The newest few stay as they came in; the rest cycle through the states.
        if (j >= badOrder.size() - 3)
            continue;
        switch (j % 9) {
        case 0: // 办结
        case 1:
            step(id, QStringLiteral("verify"), verify) && step(id, QStringLiteral("rectify"), rectify)
                && step(id, QStringLiteral("answer"), answer) && visit(id, "满意")
                && step(id, QStringLiteral("close"), QJsonObject{{QStringLiteral("text"), QStringLiteral("（演示）整改到位")}});
            break;
        case 2: // 已回访 (不满意)
            step(id, QStringLiteral("verify"), verify) && step(id, QStringLiteral("rectify"), rectify)
                && step(id, QStringLiteral("answer"), answer) && visit(id, "不满意");
            break;
        case 3: // 已整改, waiting for the 回访
            step(id, QStringLiteral("verify"), verify) && step(id, QStringLiteral("rectify"), rectify)
                && step(id, QStringLiteral("answer"), answer);
            break;
        case 4: // 整改中
            step(id, QStringLiteral("verify"), verify) && step(id, QStringLiteral("rectify"), rectify);
            break;
        case 5: // 核实中
            step(id, QStringLiteral("verify"), verify);
            break;
        case 6: { // an appeal: the first decided 不予采纳, later ones left pending
            const CaseFiles::Outcome a = appeals.file(id, QJsonObject{{QStringLiteral("reason"), QStringLiteral("（演示）群众当日未在该窗口办理，疑为误评")}},
                                                      county, nowMs);
            if (a.ok() && j < 9)
                appeals.decide(a.body.value(QLatin1String("id")).toInteger(),
                               QJsonObject{{QStringLiteral("decision"), QStringLiteral("不予采纳")},
                                           {QStringLiteral("reason"), QStringLiteral("（演示）经调取录像核实，确属误评")}},
                               reviewer, nowMs);
            break;
        }
        case 7: // 转办
            step(id, QStringLiteral("transfer"),
                 QJsonObject{{QStringLiteral("deptCode"), QLatin1String(other.code)},
                             {QStringLiteral("deptName"), QString::fromUtf8(other.name)},
                             {QStringLiteral("text"), QStringLiteral("（演示）属其他部门职责")}});
            break;
        default: // left untouched: overdue
            break;
        }
    }
    qCInfo(lcDemoSeed) << "demo history:" << stored << "ratings," << badOrder.size() << "差评 files";
    return stored;
}

} // namespace hcp::sync::hub::grievance

// SPDX-License-Identifier: Apache-2.0
#include "ratingevidence.h"

#include "../../wire.h"
#include "grievance/casefiles.h"
#include "grievance/defaultratings.h"
#include "grievance/grievanceservice.h"
#include "workcalendar.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QSqlError>
#include <QSqlQuery>

Q_LOGGING_CATEGORY(lcRatingEvidence, "hcp.sync.hub.evidence")

namespace hcp::sync::hub::evidence {

namespace {

constexpr auto kTimeFormat = "yyyy-MM-dd HH:mm:ss";

bool run(QSqlQuery &q)
{
    if (q.exec())
        return true;
    qCWarning(lcRatingEvidence) << "SQL failed:" << q.lastError().text() << q.lastQuery();
    return false;
}

QString cst(const QDateTime &t)
{
    return t.toOffsetFromUtc(8 * 3600).toString(QLatin1String(kTimeFormat));
}

} // namespace

std::optional<RatingEvidence::Finding> RatingEvidence::check(QSqlDatabase &db, const Device &device,
                                                             const QJsonObject &e, int windowDays, qint64 receivedAtMs,
                                                             bool *failed)
{
    *failed = false;
    const QString projectNo = e.value(QLatin1String("projectNo")).toString();
    const int serviceNumber = e.value(QLatin1String("serviceNumber")).toInt();
    const int assessNumber = e.value(QLatin1String("assessNumber")).toInt();

    // 一事一评: one evaluation per service event and assessNumber, whichever kiosk sends it.
    QSqlQuery prior(db);
    // The same device's record of the same uuid is a replay (a concurrent one on another hub of
    // the same PostgreSQL may have committed since the caller looked): the insert answers it.
    prior.prepare(QStringLiteral("SELECT device_id, assess_time, payload FROM evaluations WHERE project_no = ? "
                                 "AND NOT (device_id = ? AND uuid = ?) ORDER BY id"));
    prior.addBindValue(projectNo);
    prior.addBindValue(device.deviceId);
    prior.addBindValue(e.value(QLatin1String("uuid")).toString());
    if (!run(prior)) {
        *failed = true;
        return std::nullopt;
    }
    while (prior.next()) {
        const QJsonObject p = QJsonDocument::fromJson(prior.value(2).toString().toUtf8()).object();
        if (p.value(QLatin1String("serviceNumber")).toInt() != serviceNumber
            || p.value(QLatin1String("assessNumber")).toInt() != assessNumber)
            continue;
        if (prior.value(0).toString() == QLatin1String(grievance::DefaultRatings::kDeviceId))
            return std::nullopt; // rated by default: refused as window_closed (§18.6)
        const QString by = prior.value(0).toString() == device.deviceId ? QStringLiteral("本终端") : QStringLiteral("另一终端");
        return Finding{QStringLiteral("second_rating"), QStringLiteral("already_rated"),
                       QStringLiteral("该次服务已于 %1 由%2评价（一事一评）").arg(prior.value(1).toString(), by)};
    }
    prior.finish();
    if (assessNumber != 1)
        return std::nullopt; // a 追评 follows the rectification, after the first window

    // The rating's time on the hub's clock: the kiosk's assessTime corrected by the drift its
    // last heartbeat showed, when that is beyond the §8 limit.
    QDateTime at = grievance::CaseFiles::parseCst(e.value(QLatin1String("assessTime")).toString());
    QSqlQuery drift(db);
    drift.prepare(QStringLiteral("SELECT drift_ms FROM devices WHERE device_id = ?"));
    drift.addBindValue(device.deviceId);
    if (!run(drift)) {
        *failed = true;
        return std::nullopt;
    }
    qint64 driftMs = 0;
    if (drift.next() && !drift.value(0).isNull() && qAbs(drift.value(0).toLongLong()) > wire::kDriftLimitMs)
        driftMs = drift.value(0).toLongLong();
    drift.finish();
    const QString corrected = driftMs == 0 ? QString()
                                           : QStringLiteral("（终端时钟偏差 %1 秒，校正为 %2）")
                                                 .arg(driftMs / 1000)
                                                 .arg(cst(at.addMSecs(-driftMs)));
    at = at.addMSecs(-driftMs);
    const QString assessTime = e.value(QLatin1String("assessTime")).toString();
    if (at.toMSecsSinceEpoch() > receivedAtMs + wire::kDriftLimitMs)
        return Finding{QStringLiteral("out_of_window"), QStringLiteral("outside_window"),
                       QStringLiteral("评价时间 %1%2 晚于服务中心收到的时间 %3（终端时钟有误）")
                           .arg(assessTime, corrected, cst(QDateTime::fromMSecsSinceEpoch(receivedAtMs, Qt::UTC)))};

    QSqlQuery known(db);
    known.prepare(QStringLiteral("SELECT payload FROM cases WHERE project_no = ? AND service_number = ?"));
    known.addBindValue(projectNo);
    known.addBindValue(serviceNumber);
    if (!run(known)) {
        *failed = true;
        return std::nullopt;
    }
    if (known.next()) {
        const QJsonObject c = QJsonDocument::fromJson(known.value(0).toString().toUtf8()).object();
        known.finish();
        const QString resultDate = c.value(QLatin1String("resultDate")).toString();
        const QDateTime completion = grievance::CaseFiles::parseCst(resultDate);
        const kiosk::WorkCalendar &calendar = grievance::GrievanceService::calendar();
        const bool before = at < completion.addSecs(-300);
        const bool after = windowDays > 0 && at >= calendar.windowEnd(completion, windowDays);
        if (completion.isValid() && (before || after))
            return Finding{QStringLiteral("out_of_window"), QStringLiteral("outside_window"),
                           before ? QStringLiteral("评价时间 %1%2 早于办结时间 %3").arg(assessTime, corrected, resultDate)
                                  : QStringLiteral("评价时间 %1%2 已过办结时间 %3 后 %4 个工作日的评价期限")
                                        .arg(assessTime, corrected, resultDate)
                                        .arg(windowDays)};
        return std::nullopt;
    }
    known.finish();
    // A case the hub does not hold is not checked against a window: kiosks rate cases typed in
    // or announced by a window system before any import (PROTOCOL §4d).
    return std::nullopt;
}

} // namespace hcp::sync::hub::evidence

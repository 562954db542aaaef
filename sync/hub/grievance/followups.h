// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "casefiles.h"

class QUrlQuery;

namespace hcp::sync::hub::grievance {

// 回访 records of a 差评工单 (PROTOCOL §18.4): method 电话/短信/现场 entered by staff, or 追评 made
// at a kiosk (recorded by CaseFiles::onEvaluationStored); date, who, result
// 满意/基本满意/不满意/未联系上, note. Append-only. A 回访 that reached the citizen moves a file from
// 已整改 to 已回访. The rates: 回访率 = rectified files (已整改 or later) with a 回访 that reached
// the citizen / rectified files; 回访满意率 = those whose latest reached 回访 is 满意 or 基本满意 /
// files with a reached 回访. Per department and overall.
class FollowUps
{
public:
    explicit FollowUps(CaseFiles &files) : m_files(files) {}

    CaseFiles::Outcome add(qint64 fileId, const QJsonObject &body, const CaseFiles::Actor &actor, qint64 nowMs);
    QJsonArray list(qint64 fileId);
    // The 回访 log: the 回访 of the files the actor may see, newest first, filtered by the query's
    // dept, from/to (visit date, inclusive), result and method; 400 for a malformed filter, 403
    // for a handler asking for another department.
    CaseFiles::Outcome log(const CaseFiles::Actor &actor, const QUrlQuery &query, int limit);
    CaseFiles::Outcome rates(const CaseFiles::Actor &actor);
    // The latest 回访 that reached the citizen (not 未联系上), per file id; *error set on failure.
    static QHash<qint64, QString> latestReached(QSqlDatabase &db, QString *error);
    // 满意 or 基本满意: counts for 回访满意率.
    static bool satisfied(const QString &result);

private:
    CaseFiles &m_files;
};

} // namespace hcp::sync::hub::grievance

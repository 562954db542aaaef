// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "casefiles.h"

#include <QUrlQuery>

namespace hcp::sync::hub::grievance {

// The 通报 (PROTOCOL §18.8): per department, hall, staff member and overall, over first ratings
// whose rating time (assessTime, CST) lies in the period. Ratings excluded after an upheld appeal
// (不予采纳) are left out and counted apart, default ratings (isdefault 1) are counted apart;
// 追评 are 回访 (§18.4), not ratings. Measures:
//   ratings, levels[1..5], goodRate = (5+4+3)/ratings, averageScore, bad = 2+1,
//   files (差评工单 of those ratings, not 不予采纳), rectified (已整改/已回访/办结),
//   rectifyRate = rectified/files, onTime (answered by the rectify deadline counted from the
//   rating: 5 working days, 15 when 建立台账), onTimeRate = onTime/rectified, visited (a 回访
//   that reached the citizen), visitRate = visited/rectified, satisfied (latest reached 回访
//   满意/基本满意), visitSatisfactionRate = satisfied/visited, overdue (open past their due date today).
// A handler gets its own department only. With a department (drill-down) the answer also lists
// the evaluations behind it.
class Report
{
public:
    struct Period
    {
        QString kind; // month | quarter | year | custom
        QDate from, to; // inclusive
    };
    // period=month|quarter|year with from=YYYY-MM-DD (any day in it; default today) or
    // period=custom (or none) with from and to. False with *error on a malformed request.
    static bool parsePeriod(const QUrlQuery &query, const QDate &today, Period *period, QString *error);

    explicit Report(CaseFiles &files) : m_files(files) {}

    CaseFiles::Outcome compute(const Period &period, const QString &deptCode, const CaseFiles::Actor &actor,
                               const QDate &today);

    // The report's rows as a table: header then one line per overall/department/hall/staff row.
    static QList<QStringList> table(const QJsonObject &report);
    // RFC 4180, UTF-8 with a BOM (so that spreadsheet programs read the Chinese text).
    static QByteArray csv(const QJsonObject &report);
    // An Office Open XML workbook with one sheet (XlsxWriter).
    static QByteArray xlsx(const QJsonObject &report);

private:
    CaseFiles &m_files;
};

} // namespace hcp::sync::hub::grievance

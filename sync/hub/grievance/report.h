// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "casefiles.h"

#include <QUrlQuery>

namespace hcp::sync::hub::grievance {

// The 通报 (PROTOCOL §18.8): overall and per department, hall, township/village (area), service
// item (taskCode), channel (pf) and staff member, over first ratings whose rating time
// (assessTime, CST) lies in the period. Ratings excluded after an upheld appeal (不予采纳) are
// left out and counted apart, default ratings (isdefault 1) are counted apart, a later rating of
// a service event already rated is a duplicate; 追评 are 回访 (§18.4), not ratings. Measures:
//   ratings, levels[1..5], goodRate = (5+4+3)/ratings, averageScore, bad = 2+1, badRate,
//   handled (cases the hub knows whose resultDate lies in the period), ratedCases (those with a
//   counted rating), evaluationRate = ratedCases/handled,
//   files (差评工单 of those ratings, not 不予采纳), rectified (已整改/已回访/办结),
//   rectifyRate = rectified/files, onTime (answered by the rectify deadline counted from the
//   rating: 5 working days, 15 when 建立台账), onTimeRate = onTime/rectified, visited (a 回访
//   that reached the citizen), visitRate = visited/rectified, satisfied (latest reached 回访
//   满意/基本满意), visitSatisfactionRate = satisfied/visited, overdue (open past their due date
//   today), appeals (申诉 filed on the files), topReasons (差评 evalDetail codes).
// A handler gets its own department only. With a department the answer also lists the
// evaluations behind it; with a drill (row and measure) the evaluations behind that one count.
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

    // Drill-down from one count: the row (scope overall|department|hall|area|task|channel|staff
    // and its key) and the measure (ratings, good, bad, level1…level5, excluded, defaults,
    // duplicates, ratedCases, files, rectified, onTime, visited, satisfied, overdue, appeals).
    struct Drill
    {
        QString scope, key, measure;
        bool isSet() const { return !measure.isEmpty(); }
    };
    static const QStringList &drillMeasures();

    explicit Report(CaseFiles &files) : m_files(files) {}

    CaseFiles::Outcome compute(const Period &period, const QString &deptCode, const CaseFiles::Actor &actor,
                               const QDate &today, const Drill &drill = {});

    // The report's rows as a table: header then one line per row (overall, departments, halls,
    // areas, tasks, channels, staff).
    static QList<QStringList> table(const QJsonObject &report);
    // RFC 4180, UTF-8 with a BOM (so that spreadsheet programs read the Chinese text).
    static QByteArray csv(const QJsonObject &report);
    // An Office Open XML workbook with one sheet (XlsxWriter).
    static QByteArray xlsx(const QJsonObject &report);

private:
    CaseFiles &m_files;
};

} // namespace hcp::sync::hub::grievance

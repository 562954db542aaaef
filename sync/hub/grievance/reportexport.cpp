// SPDX-License-Identifier: Apache-2.0
// The 通报 as a table: CSV and XLSX downloads (PROTOCOL §18.8).
#include "report.h"

#include "xlsxwriter.h"

#include <QJsonArray>

namespace hcp::sync::hub::grievance {

QList<QStringList> Report::table(const QJsonObject &report)
{
    QList<QStringList> out{{QStringLiteral("范围"), QStringLiteral("代码"), QStringLiteral("名称"), QStringLiteral("评价数"),
                            QStringLiteral("好评数"), QStringLiteral("好评率"), QStringLiteral("平均分"),
                            QStringLiteral("差评数"), QStringLiteral("差评工单"), QStringLiteral("已整改"),
                            QStringLiteral("差评整改率"), QStringLiteral("按期整改"), QStringLiteral("按期整改率"),
                            QStringLiteral("已回访"), QStringLiteral("回访率"), QStringLiteral("回访满意"),
                            QStringLiteral("回访满意率"), QStringLiteral("超期"), QStringLiteral("不予采纳"),
                            QStringLiteral("默认评价"), QStringLiteral("差评率"), QStringLiteral("办件数"),
                            QStringLiteral("已评办件"), QStringLiteral("评价率"), QStringLiteral("申诉数")}};
    static const QHash<QString, QString> scopes{{QStringLiteral("overall"), QStringLiteral("总计")},
                                                {QStringLiteral("department"), QStringLiteral("部门")},
                                                {QStringLiteral("hall"), QStringLiteral("大厅")},
                                                {QStringLiteral("area"), QStringLiteral("乡镇村")},
                                                {QStringLiteral("task"), QStringLiteral("事项")},
                                                {QStringLiteral("channel"), QStringLiteral("渠道")},
                                                {QStringLiteral("staff"), QStringLiteral("人员")}};
    auto add = [&out](const QJsonObject &r) {
        QStringList line{scopes.value(r.value(QLatin1String("scope")).toString()), r.value(QLatin1String("key")).toString(),
                         r.value(QLatin1String("name")).toString()};
        for (const char *k : {"ratings", "good", "goodRate", "averageScore", "bad", "files", "rectified", "rectifyRate",
                              "onTime", "onTimeRate", "visited", "visitRate", "satisfied", "visitSatisfactionRate",
                              "overdue", "excluded", "defaults", "badRate", "handled", "ratedCases", "evaluationRate",
                              "appeals"}) {
            const QJsonValue v = r.value(QLatin1String(k));
            line << (v.isNull() ? QStringLiteral("-") // 评价率 of a channel: no denominator
                     : QByteArray(k).endsWith("Rate") || qstrcmp(k, "averageScore") == 0
                         ? QString::number(v.toDouble(), 'f', 4)
                         : QString::number(v.toInteger()));
        }
        out << line;
    };
    add(report.value(QLatin1String("overall")).toObject());
    for (const char *list : {"departments", "halls", "areas", "tasks", "channels", "staff"})
        for (const QJsonValue &v : report.value(QLatin1String(list)).toArray())
            add(v.toObject());
    return out;
}

QByteArray Report::csv(const QJsonObject &report)
{
    QByteArray out("\xEF\xBB\xBF");
    for (const QStringList &line : table(report)) {
        QStringList cells;
        for (QString c : line) {
            if (c.contains(QLatin1Char(',')) || c.contains(QLatin1Char('"')) || c.contains(QLatin1Char('\n'))
                || c.contains(QLatin1Char('\r')))
                c = QLatin1Char('"') + c.replace(QLatin1Char('"'), QLatin1String("\"\"")) + QLatin1Char('"');
            cells << c;
        }
        out += cells.join(QLatin1Char(',')).toUtf8() + "\r\n";
    }
    return out;
}

QByteArray Report::xlsx(const QJsonObject &report)
{
    const QList<QStringList> lines = table(report);
    XlsxWriter w;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        QList<QVariant> cells;
        for (qsizetype c = 0; c < lines.at(i).size(); ++c) {
            // Measures are numbers in the sheet (the header and the names are text).
            if (i > 0 && c >= 3 && lines.at(i).at(c) != QLatin1String("-"))
                cells << lines.at(i).at(c).toDouble();
            else
                cells << lines.at(i).at(c);
        }
        w.addRow(cells);
    }
    return w.workbook(QStringLiteral("通报 %1 至 %2")
                          .arg(report.value(QLatin1String("from")).toString(), report.value(QLatin1String("to")).toString()));
}

} // namespace hcp::sync::hub::grievance

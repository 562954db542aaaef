// SPDX-License-Identifier: Apache-2.0
#include "publicresults.h"

#include "casefiles.h"
#include "fleetapi.h"
#include "grievanceservice.h"
#include "http/http.h"
#include "hubstore.h"
#include "guard/inputchecks.h"
#include "report.h"

#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QSqlError>
#include <QSqlQuery>
#include <QUrlQuery>

Q_LOGGING_CATEGORY(lcPublicResults, "hcp.sync.hub.public")

namespace hcp::sync::hub::publicresults {

namespace {

using Status = QHttpServerResponse::StatusCode;

guard::LoginThrottle::Limits limits()
{
    guard::LoginThrottle::Limits l;
    l.perAddressPerMinute = 60;
    l.perAccountPerMinute = std::numeric_limits<int>::max(); // one shared "account": the page
    l.workers = 1;
    return l;
}

QHttpServerResponse publicHeaders(QHttpServerResponse r)
{
    r.setHeader("X-Content-Type-Options", "nosniff");
    r.setHeader("Cache-Control", "public, max-age=60");
    r.setHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
    return r;
}

QString percent(const QJsonValue &rate)
{
    return QString::number(rate.toDouble() * 100.0, 'f', 1) + QLatin1Char('%');
}

QString esc(const QJsonValue &v)
{
    return v.toString().toHtmlEscaped();
}

} // namespace

PublicResults::PublicResults(HubStore *store, FleetApi *fleet, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_fleet(fleet)
    , m_throttle(limits())
{
}

PublicResults *PublicResults::install(QHttpServer &http, HubStore *store, FleetApi *fleet, QObject *parent)
{
    auto *p = new PublicResults(store, fleet, parent);
    http.route(QStringLiteral("/public"), [p](const QHttpServerRequest &r) { return p->serve(r, false); });
    http.route(QStringLiteral("/public/figures"), [p](const QHttpServerRequest &r) { return p->serve(r, true); });
    return p;
}

QHttpServerResponse PublicResults::serve(const QHttpServerRequest &request, bool json)
{
    if (request.method() != QHttpServerRequest::Method::Get) {
        QHttpServerResponse r = http::error(Status::MethodNotAllowed, QStringLiteral("method_not_allowed"),
                                            QStringLiteral("评价结果公开只读（GET）"));
        r.setHeader("Allow", "GET");
        return r;
    }
    const QString address = guard::clientAddress(request, m_fleet->options().trustedProxies);
    if (const int wait = m_throttle.admit(address, QStringLiteral("public"), QDateTime::currentMSecsSinceEpoch())) {
        qCInfo(lcPublicResults) << "public page throttled for" << address;
        QHttpServerResponse r = http::error(Status::TooManyRequests, QStringLiteral("too_many_requests"),
                                            QStringLiteral("访问过于频繁，请稍后再试"));
        r.setHeader("Retry-After", QByteArray::number(wait));
        return r;
    }
    const QJsonObject f = figures(grievance::CaseFiles::todayCst());
    if (f.isEmpty())
        return http::error(Status::InternalServerError, QStringLiteral("internal"), QStringLiteral("暂时无法统计"));
    if (!json)
        return publicHeaders(QHttpServerResponse("text/html; charset=utf-8", page(f)));
    // The kiosk's idle screen: one hall's figures (a hall without ratings this month: zeros).
    const QString hall = request.query().queryItemValue(QStringLiteral("hall"));
    QJsonObject body{{QStringLiteral("month"), f.value(QLatin1String("month"))}};
    if (hall.isEmpty()) {
        body.insert(QStringLiteral("halls"), f.value(QLatin1String("halls")));
    } else {
        QJsonObject one{{QStringLiteral("hallCode"), hall}, {QStringLiteral("ratings"), 0},
                        {QStringLiteral("goodRate"), 0.0}, {QStringLiteral("rectified"), 0}};
        for (const QJsonValue &v : f.value(QLatin1String("halls")).toArray())
            if (v.toObject().value(QLatin1String("hallCode")).toString() == hall)
                one = v.toObject();
        body.insert(QStringLiteral("hall"), one);
    }
    QHttpServerResponse r(body);
    return publicHeaders(std::move(r));
}

QJsonObject PublicResults::figures(const QDate &today)
{
    grievance::Report::Period period;
    period.kind = QStringLiteral("month");
    period.from = QDate(today.year(), today.month(), 1);
    period.to = period.from.addMonths(1).addDays(-1);
    grievance::CaseFiles files(m_store->database(), grievance::GrievanceService::calendar());
    // As a viewer: no evaluations listed; only the rows' figures are taken below.
    const grievance::CaseFiles::Outcome o = grievance::Report(files).compute(
        period, {}, grievance::CaseFiles::Actor{QStringLiteral("public"), QStringLiteral("viewer"), {}}, today);
    if (!o.ok()) {
        qCWarning(lcPublicResults) << "report:" << o.message;
        return {};
    }
    auto pick = [](const QJsonArray &rows, const char *keyName) {
        QJsonArray out;
        for (const QJsonValue &v : rows) {
            const QJsonObject r = v.toObject();
            out.append(QJsonObject{{QLatin1String(keyName), r.value(QLatin1String("key"))},
                                   {QStringLiteral("name"), r.value(QLatin1String("name"))},
                                   {QStringLiteral("ratings"), r.value(QLatin1String("ratings"))},
                                   {QStringLiteral("goodRate"), r.value(QLatin1String("goodRate"))},
                                   {QStringLiteral("rectified"), r.value(QLatin1String("rectified"))}});
        }
        return out;
    };
    const QJsonArray halls = pick(o.body.value(QLatin1String("halls")).toArray(), "hallCode");
    QHash<QString, QString> hallNames;
    for (const QJsonValue &v : halls)
        hallNames.insert(v.toObject().value(QLatin1String("hallCode")).toString(), v.toObject().value(QLatin1String("name")).toString());

    // The month's rectified 差评 (not 不予采纳): what was done, never who.
    QJsonArray list;
    QSqlQuery q(m_store->database());
    q.prepare(QStringLiteral(
        "SELECT f.id, f.hall_code, f.dept_name, f.task_name, f.rating_time, f.rectified_on, e.payload, "
        "(SELECT g.text FROM grievance_events g WHERE g.file_id = f.id AND g.action = 'rectify' ORDER BY g.id DESC LIMIT 1) "
        "FROM grievance_files f LEFT JOIN evaluations e ON e.id = f.evaluation_id "
        "WHERE f.rating_time >= ? AND f.rating_time < ? AND f.state IN (?, ?, ?) AND f.excluded = 0 "
        "ORDER BY f.rating_time, f.id"));
    q.addBindValue(period.from.toString(Qt::ISODate));
    q.addBindValue(period.to.addDays(1).toString(Qt::ISODate));
    q.addBindValue(grievance::state::Rectified);
    q.addBindValue(grievance::state::Visited);
    q.addBindValue(grievance::state::Closed);
    if (!q.exec()) {
        qCWarning(lcPublicResults) << "rectified list:" << q.lastError().text();
        return {};
    }
    while (q.next() && list.size() < 1000) {
        const QJsonObject e = QJsonDocument::fromJson(q.value(6).toString().toUtf8()).object();
        QJsonObject item{{QStringLiteral("hallCode"), q.value(1).toString()},
                         {QStringLiteral("hallName"), hallNames.value(q.value(1).toString(), q.value(1).toString())},
                         {QStringLiteral("deptName"), q.value(2).toString()},
                         {QStringLiteral("taskName"), q.value(3).toString()},
                         {QStringLiteral("assessDate"), q.value(4).toString().left(10)},
                         {QStringLiteral("rectifiedDate"), q.value(5).toString().left(10)},
                         {QStringLiteral("summary"), q.value(7).toString()}};
        if (e.value(QLatin1String("publicFlag")).toInt() == 1 && !e.value(QLatin1String("writingEvaluation")).toString().isEmpty())
            item.insert(QStringLiteral("comment"), e.value(QLatin1String("writingEvaluation")).toString());
        list.append(item);
    }
    return QJsonObject{{QStringLiteral("month"), period.from.toString(QStringLiteral("yyyy-MM"))},
                       {QStringLiteral("from"), period.from.toString(Qt::ISODate)},
                       {QStringLiteral("to"), period.to.toString(Qt::ISODate)},
                       {QStringLiteral("halls"), halls},
                       {QStringLiteral("departments"), pick(o.body.value(QLatin1String("departments")).toArray(), "deptCode")},
                       {QStringLiteral("rectifiedList"), list}};
}

QByteArray PublicResults::page(const QJsonObject &f)
{
    QString h;
    h += QStringLiteral("<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
                        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                        "<title>评价结果公开 %1</title><style>"
                        "body{font-family:sans-serif;margin:2rem auto;max-width:60rem;color:#222;padding:0 1rem}"
                        "h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem}"
                        "table{border-collapse:collapse;width:100%}th,td{border:1px solid #bbb;padding:.35rem .5rem;text-align:left}"
                        "th{background:#eef2f7}td.n{text-align:right}.note{color:#555;font-size:.9rem}"
                        "@media print{@page{size:A4;margin:15mm}body{margin:0;max-width:none}}"
                        "</style></head><body>")
             .arg(esc(f.value(QLatin1String("month"))));
    h += QStringLiteral("<h1>政务服务“好差评”评价结果公开</h1><p class=\"note\">统计期间：%1 至 %2（按评价时间）。"
                        "好评率 = 非常满意、满意、基本满意的评价数 ÷ 评价总数。</p>")
             .arg(esc(f.value(QLatin1String("from"))), esc(f.value(QLatin1String("to"))));
    auto table = [&h](const QString &title, const QString &nameHeader, const QJsonArray &rows) {
        h += QStringLiteral("<h2>%1</h2><table><thead><tr><th>%2</th><th>评价数</th><th>好评率</th><th>已整改差评</th></tr></thead><tbody>")
                 .arg(title, nameHeader);
        for (const QJsonValue &v : rows) {
            const QJsonObject r = v.toObject();
            h += QStringLiteral("<tr><td>%1</td><td class=\"n\">%2</td><td class=\"n\">%3</td><td class=\"n\">%4</td></tr>")
                     .arg(esc(r.value(QLatin1String("name"))))
                     .arg(r.value(QLatin1String("ratings")).toInteger())
                     .arg(percent(r.value(QLatin1String("goodRate"))))
                     .arg(r.value(QLatin1String("rectified")).toInteger());
        }
        if (rows.isEmpty())
            h += QStringLiteral("<tr><td colspan=\"4\">本月暂无评价</td></tr>");
        h += QStringLiteral("</tbody></table>");
    };
    table(QStringLiteral("各大厅（服务点）"), QStringLiteral("大厅"), f.value(QLatin1String("halls")).toArray());
    table(QStringLiteral("各部门"), QStringLiteral("部门"), f.value(QLatin1String("departments")).toArray());
    h += QStringLiteral("<h2>本月已整改的差评</h2><table><thead><tr><th>大厅</th><th>部门</th><th>服务事项</th>"
                        "<th>评价日期</th><th>整改日期</th><th>整改情况</th><th>群众评价（公开的）</th></tr></thead><tbody>");
    const QJsonArray list = f.value(QLatin1String("rectifiedList")).toArray();
    for (const QJsonValue &v : list) {
        const QJsonObject r = v.toObject();
        h += QStringLiteral("<tr><td>%1</td><td>%2</td><td>%3</td><td>%4</td><td>%5</td><td>%6</td><td>%7</td></tr>")
                 .arg(esc(r.value(QLatin1String("hallName"))), esc(r.value(QLatin1String("deptName"))),
                      esc(r.value(QLatin1String("taskName"))), esc(r.value(QLatin1String("assessDate"))),
                      esc(r.value(QLatin1String("rectifiedDate"))), esc(r.value(QLatin1String("summary"))),
                      esc(r.value(QLatin1String("comment"))));
    }
    if (list.isEmpty())
        h += QStringLiteral("<tr><td colspan=\"7\">本月暂无已整改的差评</td></tr>");
    h += QStringLiteral("</tbody></table><p class=\"note\">依据政务服务“好差评”制度向社会公开；不含评价人姓名、办件编号等个人信息。</p>"
                        "</body></html>");
    return h.toUtf8();
}

} // namespace hcp::sync::hub::publicresults

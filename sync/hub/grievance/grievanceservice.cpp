// SPDX-License-Identifier: Apache-2.0
#include "grievanceservice.h"

#include "appeals.h"
#include "calendar/calendarservice.h"
#include "casefiles.h"
#include "defaultratings.h"
#include "followups.h"
#include "http/http.h"
#include "hubserver.h"
#include "hubstore.h"
#include "report.h"
#include "workcalendar.h"

#include <QDateTime>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QSqlError>
#include <QSqlQuery>
#include <QUrl>
#include <QUrlQuery>

Q_LOGGING_CATEGORY(lcGrievanceService, "hcp.sync.hub.grievance.service")

namespace hcp::sync::hub::grievance {

namespace {

using Status = QHttpServerResponse::StatusCode;

QHttpServerResponse reply(const CaseFiles::Outcome &o)
{
    if (!o.ok())
        return http::error(Status(o.status), o.code, o.message);
    return http::json(o.body, Status(o.status));
}

using http::header;

} // namespace

const kiosk::WorkCalendar &GrievanceService::calendar()
{
    return calendar::CalendarService::current();
}

bool GrievanceService::bindHandler(QSqlDatabase &db, const QString &user, const QString &deptCode, QString *error)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("INSERT INTO grievance_handlers (user_name, dept_code) VALUES (?, ?) "
                             "ON CONFLICT (user_name) DO UPDATE SET dept_code = excluded.dept_code"));
    q.addBindValue(user);
    q.addBindValue(deptCode);
    if (q.exec())
        return true;
    if (error)
        *error = q.lastError().text();
    return false;
}

GrievanceService::GrievanceService(HubStore *store, QObject *parent)
    : QObject(parent)
    , m_store(store)
{
    connect(&m_sweep, &QTimer::timeout, this, [this] { runDefaults(); });
}

GrievanceService *GrievanceService::install(HubServer *server, HubStore *store)
{
    auto *service = new GrievanceService(store, server);
    server->fleet().addConsoleHandler(QStringLiteral("grievance"),
                                      [service](const FleetStore::Session &s, const QStringList &parts,
                                                const QHttpServerRequest &r) { return service->console(s, parts, r); });
    server->fleet().addAlertSource([store](qint64) {
        return CaseFiles(store->database(), calendar()).overdueAlerts(CaseFiles::todayCst());
    });
    server->addAdminHandler(QStringLiteral("grievance-defaults"), [service](const QHttpServerRequest &r) {
        if (r.method() != QHttpServerRequest::Method::Post)
            return http::error(Status::MethodNotAllowed, QStringLiteral("bad_request"), QStringLiteral("POST only"));
        const int made = service->runDefaults();
        if (made < 0)
            return http::error(Status::InternalServerError, QStringLiteral("internal"), service->m_store->lastError());
        return QHttpServerResponse(QJsonObject{{QStringLiteral("made"), made},
                                               {QStringLiteral("windowDays"), service->m_windowDays}});
    });
    server->addAdminHandler(QStringLiteral("grievance-upstream"), [store](const QHttpServerRequest &) {
        QJsonArray records;
        QSqlQuery q(store->database());
        if (q.exec(QStringLiteral("SELECT id, kind, record_key, payload, state, attempts, code, message FROM grievance_upstream "
                                  "ORDER BY id")))
            while (q.next())
                records.append(QJsonObject{{QStringLiteral("id"), q.value(0).toLongLong()},
                                           {QStringLiteral("kind"), q.value(1).toString()},
                                           {QStringLiteral("key"), q.value(2).toString()},
                                           {QStringLiteral("record"),
                                            QJsonDocument::fromJson(q.value(3).toString().toUtf8()).object()},
                                           {QStringLiteral("state"), q.value(4).toString()},
                                           {QStringLiteral("attempts"), q.value(5).toInt()},
                                           {QStringLiteral("code"), q.value(6).toString()},
                                           {QStringLiteral("message"), q.value(7).toString()}});
        return QHttpServerResponse(QJsonObject{{QStringLiteral("records"), records}});
    });
    return service;
}

void GrievanceService::setDefaultWindowDays(int days, int sweepIntervalMs)
{
    m_windowDays = qMax(0, days);
    m_sweep.stop();
    if (m_windowDays > 0) {
        QTimer::singleShot(0, this, [this] { runDefaults(); });
        m_sweep.start(sweepIntervalMs);
    }
}

int GrievanceService::runDefaults()
{
    QString error;
    const int made = DefaultRatings(m_store->database(), calendar()).run(m_windowDays, QDateTime::currentMSecsSinceEpoch(), &error);
    if (made < 0)
        qCWarning(lcGrievanceService) << "default ratings:" << error;
    return made;
}

QHttpServerResponse GrievanceService::console(const FleetStore::Session &session, const QStringList &parts,
                                              const QHttpServerRequest &request)
{
    CaseFiles::Actor actor{session.user, FleetStore::roleName(session.role), {}};
    if (actor.handler()) {
        QSqlQuery q(m_store->database());
        q.prepare(QStringLiteral("SELECT dept_code FROM grievance_handlers WHERE user_name = ?"));
        q.addBindValue(session.user);
        if (q.exec() && q.next())
            actor.deptCode = q.value(0).toString();
    }
    CaseFiles files(m_store->database(), calendar());
    FollowUps followUps(files);
    Appeals appeals(files);
    const bool post = request.method() == QHttpServerRequest::Method::Post;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const QDate today = CaseFiles::todayCst();
    const QString what = parts.value(1);
    bool idOk = false;
    const qint64 id = parts.value(2).toLongLong(&idOk);
    const QString sub = parts.value(3);
    if (!post) {
        const QUrlQuery query = request.query();
        if (what == QLatin1String("files") && parts.size() == 2) {
            QJsonObject filters;
            for (const char *k : {"state", "dept", "hall", "overdue", "from", "to"})
                filters.insert(QLatin1String(k), query.queryItemValue(QLatin1String(k), QUrl::FullyDecoded));
            return reply(files.list(filters, actor, today));
        }
        if (what == QLatin1String("files") && idOk && parts.size() == 3) {
            CaseFiles::Outcome o = files.detail(id, actor, today);
            if (o.ok()) {
                o.body.insert(QStringLiteral("followUps"), followUps.list(id));
                o.body.insert(QStringLiteral("appeals"), appeals.ofFile(id));
            }
            return reply(o);
        }
        if (what == QLatin1String("followups") && parts.size() == 2)
            return reply(followUps.log(actor, query, 500));
        if (what == QLatin1String("followup-rates"))
            return reply(followUps.rates(actor));
        if (what == QLatin1String("appeals") && parts.size() == 2)
            return reply(appeals.queue(actor));
        if (what == QLatin1String("report") && parts.size() == 2)
            return report(query, actor, today);
        if (what == QLatin1String("attachments") && idOk) {
            QByteArray data;
            QString mime, name;
            if (!appeals.attachment(id, actor, &data, &mime, &name))
                return http::error(Status::NotFound, QStringLiteral("not_found"), QStringLiteral("没有该附件"));
            QHttpServerResponse r(mime.toLatin1(), data);
            r.setHeader("Content-Disposition", "attachment; filename*=UTF-8''" + QUrl::toPercentEncoding(name));
            r.setHeader("X-Content-Type-Options", "nosniff");
            r.setHeader("Cache-Control", "no-store");
            return r;
        }
        return http::error(Status::NotFound, QStringLiteral("not_found"), QStringLiteral("unknown grievance request"));
    }
    if (what == QLatin1String("appeals") && idOk && sub == QLatin1String("attachments")) {
        const QString name = QUrl::fromPercentEncoding(header(request, "X-File-Name"));
        return reply(appeals.attach(id, name, request.body(), actor, now));
    }
    QJsonObject body;
    if (!http::parseObject(request.body(), &body))
        return http::error(Status::BadRequest, QStringLiteral("bad_request"), QStringLiteral("请求内容不是 JSON 对象，或同一字段出现两次"));
    if (what == QLatin1String("files") && idOk && sub == QLatin1String("followups"))
        return reply(followUps.add(id, body, actor, now));
    if (what == QLatin1String("files") && idOk && sub == QLatin1String("appeals"))
        return reply(appeals.file(id, body, actor, now));
    if (what == QLatin1String("files") && idOk && parts.size() == 4)
        return reply(files.act(id, sub, body, actor, now));
    if (what == QLatin1String("appeals") && idOk && sub == QLatin1String("decision"))
        return reply(appeals.decide(id, body, actor, now));
    return http::error(Status::NotFound, QStringLiteral("not_found"), QStringLiteral("unknown grievance request"));
}

QHttpServerResponse GrievanceService::report(const QUrlQuery &query, const CaseFiles::Actor &actor, const QDate &today)
{
    Report::Period period;
    QString error;
    if (!Report::parsePeriod(query, today, &period, &error))
        return http::error(Status::BadRequest, QStringLiteral("bad_request"), error);
    CaseFiles files(m_store->database(), calendar());
    const Report::Drill drill{query.queryItemValue(QStringLiteral("scope"), QUrl::FullyDecoded),
                              query.queryItemValue(QStringLiteral("key"), QUrl::FullyDecoded),
                              query.queryItemValue(QStringLiteral("measure"))};
    const CaseFiles::Outcome o = Report(files).compute(period, query.queryItemValue(QStringLiteral("dept")), actor, today, drill);
    const QString format = query.queryItemValue(QStringLiteral("format"));
    if (!o.ok() || format.isEmpty() || format == QLatin1String("json"))
        return reply(o);
    const QString name = QStringLiteral("通报_%1_%2").arg(period.from.toString(Qt::ISODate), period.to.toString(Qt::ISODate));
    QByteArray mime, data, ext;
    if (format == QLatin1String("csv")) {
        mime = "text/csv; charset=utf-8";
        data = Report::csv(o.body);
        ext = ".csv";
    } else if (format == QLatin1String("xlsx")) {
        mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
        data = Report::xlsx(o.body);
        ext = ".xlsx";
    } else {
        return http::error(Status::BadRequest, QStringLiteral("bad_request"), QStringLiteral("format 须为 json、csv 或 xlsx"));
    }
    QHttpServerResponse r(mime, data);
    r.setHeader("Content-Disposition", "attachment; filename*=UTF-8''" + QUrl::toPercentEncoding(name) + ext);
    r.setHeader("X-Content-Type-Options", "nosniff");
    r.setHeader("Cache-Control", "no-store");
    return r;
}

} // namespace hcp::sync::hub::grievance

// SPDX-License-Identifier: Apache-2.0
#include "calendarservice.h"

#include "configpublisher.h"
#include "fleetapi.h"
#include "http/http.h"
#include "hubserver.h"
#include "hubstore.h"

#include <QDateTime>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QLoggingCategory>

#include <atomic>
#include <list>
#include <mutex>

Q_LOGGING_CATEGORY(lcCalendarService, "hcp.sync.hub.calendar")

namespace hcp::sync::hub::calendar {

using kiosk::HolidayNotice;
using Role = FleetStore::Role;
using Status = QHttpServerResponse::StatusCode;

namespace {

std::mutex g_calendarsMutex;
std::list<kiosk::WorkCalendar> g_calendars; // every calendar ever current: references stay valid
std::atomic<const kiosk::WorkCalendar *> g_current{nullptr};

void makeCurrent(kiosk::WorkCalendar calendar)
{
    std::lock_guard lock(g_calendarsMutex);
    g_calendars.push_back(std::move(calendar));
    g_current.store(&g_calendars.back());
}

QDate todayCst(qint64 nowMs)
{
    return QDateTime::fromMSecsSinceEpoch(nowMs, Qt::OffsetFromUTC, 8 * 3600).date();
}

} // namespace

const kiosk::WorkCalendar &CalendarService::current()
{
    if (const kiosk::WorkCalendar *c = g_current.load())
        return *c;
    std::lock_guard lock(g_calendarsMutex);
    if (!g_current.load()) {
        kiosk::WorkCalendar shipped;
        QString error;
        if (shipped.loadDirectory(QStringLiteral(":/hcp/holidays"), &error) == 0)
            qCWarning(lcCalendarService) << "no holiday notices loaded; weekdays only:" << error;
        g_calendars.push_back(std::move(shipped));
        g_current.store(&g_calendars.back());
    }
    return *g_current.load();
}

QJsonArray CalendarService::alerts(const QList<HolidayStore::Held> &held, const QDate &today, qint64 atMs)
{
    auto covered = [&held](int year) {
        for (const HolidayStore::Held &h : held)
            if (h.notice.year == year && !h.notice.isEmpty())
                return true;
        return false;
    };
    QJsonArray out;
    const int year = today.year();
    if (!covered(year))
        out.append(QJsonObject{{QStringLiteral("id"), 0},
                               {QStringLiteral("atMs"), atMs},
                               {QStringLiteral("severity"), QStringLiteral("critical")},
                               {QStringLiteral("kind"), QStringLiteral("calendar_missing")},
                               {QStringLiteral("year"), year},
                               {QStringLiteral("message"),
                                QStringLiteral("%1 年节假日安排缺失或为空：工作日只按周一至周五计算，评价期限和整改期限可能算错，"
                                               "请在“节假日”页上传国务院通知")
                                    .arg(year)}});
    if (today >= QDate(year, 11, 1) && !covered(year + 1))
        out.append(QJsonObject{{QStringLiteral("id"), 0},
                               {QStringLiteral("atMs"), atMs},
                               {QStringLiteral("severity"), QStringLiteral("warning")},
                               {QStringLiteral("kind"), QStringLiteral("calendar_next_missing")},
                               {QStringLiteral("year"), year + 1},
                               {QStringLiteral("message"),
                                QStringLiteral("%1 年节假日安排尚未上传（国务院通知一般在 11 月发布），"
                                               "请在“节假日”页上传，以免跨年的期限算错")
                                    .arg(year + 1)}});
    return out;
}

CalendarService::CalendarService(HubServer *server, HubStore *store, QObject *parent)
    : QObject(parent)
    , m_server(server)
    , m_store(store)
{
    connect(&m_poll, &QTimer::timeout, this, [this] { refresh(); });
    m_poll.start(30000);
}

CalendarService *CalendarService::install(HubServer *server, HubStore *store)
{
    auto *service = new CalendarService(server, store, server);
    QString error;
    if (HolidayStore(store->database()).seedShipped(QDateTime::currentMSecsSinceEpoch(), &error) < 0)
        qCWarning(lcCalendarService).noquote() << "cannot seed the shipped holiday notices:" << error;
    service->refresh();
    server->fleet().addConsoleHandler(QStringLiteral("calendar"),
                                      [service](const FleetStore::Session &s, const QStringList &parts,
                                                const QHttpServerRequest &r) { return service->console(s, parts, r); });
    server->fleet().addAlertSource([store](qint64 nowMs) {
        return alerts(HolidayStore(store->database()).list(), todayCst(nowMs), nowMs);
    });
    return service;
}

bool CalendarService::refresh()
{
    HolidayStore holidays(m_store->database());
    const QString revision = holidays.revision();
    if (revision.isEmpty() || revision == m_revision)
        return false;
    m_revision = revision;
    makeCurrent(holidays.calendar());
    qCInfo(lcCalendarService) << "working-day calendar loaded from the store, revision" << revision;
    return true;
}

bool CalendarService::publish(const QString &actor, qint64 *version, QString *error)
{
    ConfigPublisher *publisher = m_server->fleet().publisher();
    if (!publisher) {
        *error = QStringLiteral("本平台没有签名身份，无法发布");
        return false;
    }
    QList<HolidayNotice> notices;
    for (const HolidayStore::Held &h : HolidayStore(m_store->database()).list())
        if (!h.notice.isEmpty())
            notices.append(h.notice);
    ConfigPublisher::Published p;
    const auto outcome = publisher->publish(QLatin1String(ConfigPublisher::kCalendarScope),
                                            QJsonObject{{QStringLiteral("holidays"), HolidayNotice::partToJson(notices)}},
                                            actor, &p, error);
    if (outcome != ConfigPublisher::Outcome::Published)
        return false;
    *version = p.version;
    qCInfo(lcCalendarService).noquote() << "audit: holiday calendar published as configuration version" << p.version
                                        << "by" << actor << "with" << notices.size() << "notices";
    return true;
}

QJsonObject CalendarService::state()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    HolidayStore holidays(m_store->database());
    const QList<HolidayStore::Held> held = holidays.list();
    QHash<int, QJsonObject> publishedNotices;
    QJsonValue published;
    if (ConfigPublisher *publisher = m_server->fleet().publisher())
        if (const auto p = publisher->latest(QLatin1String(ConfigPublisher::kCalendarScope))) {
            QJsonArray years;
            for (const QJsonValue &v : p->document.value(QLatin1String("holidays")).toObject().value(QLatin1String("notices")).toArray()) {
                publishedNotices.insert(v.toObject().value(QLatin1String("year")).toInt(), v.toObject());
                years.append(v.toObject().value(QLatin1String("year")));
            }
            int kiosks = 0, applied = 0;
            for (const QJsonValue &k : m_server->fleet().fleet().kiosks(now, m_store->heartbeatIntervalS())) {
                ++kiosks;
                applied += k.toObject().value(QLatin1String("configVersion")).toString().toLongLong() >= p->version ? 1 : 0;
            }
            published = QJsonObject{{QStringLiteral("version"), QString::number(p->version)},
                                    {QStringLiteral("createdAtMs"), p->createdAtMs},
                                    {QStringLiteral("actor"), p->actor},
                                    {QStringLiteral("years"), years},
                                    {QStringLiteral("kiosks"), kiosks},
                                    {QStringLiteral("kiosksApplied"), applied}};
        }
    QJsonArray years;
    for (const HolidayStore::Held &h : held)
        years.append(QJsonObject{{QStringLiteral("year"), h.notice.year},
                                 {QStringLiteral("holidays"), h.notice.holidayCount()},
                                 {QStringLiteral("makeUpDays"), h.notice.makeUpDayCount()},
                                 {QStringLiteral("papers"), QJsonArray::fromStringList(h.notice.papers)},
                                 {QStringLiteral("days"), h.notice.toJson().value(QLatin1String("days"))},
                                 {QStringLiteral("source"), h.source},
                                 {QStringLiteral("actor"), h.actor},
                                 {QStringLiteral("updatedAtMs"), h.updatedAtMs},
                                 {QStringLiteral("published"),
                                  h.notice.isEmpty() || publishedNotices.value(h.notice.year) == h.notice.toJson()}});
    const QDate today = todayCst(now);
    return QJsonObject{{QStringLiteral("years"), years},
                       {QStringLiteral("published"), published},
                       {QStringLiteral("today"), today.toString(Qt::ISODate)},
                       {QStringLiteral("alerts"), alerts(held, today, now)},
                       {QStringLiteral("audit"), holidays.audit(20)}};
}

QHttpServerResponse CalendarService::console(const FleetStore::Session &session, const QStringList &parts,
                                             const QHttpServerRequest &request)
{
    if (session.role == Role::Handler)
        return http::error(Status::Forbidden, QStringLiteral("forbidden"), QStringLiteral("需要查看权限"));
    if (!http::isPost(request)) {
        if (parts.size() != 1)
            return http::error(Status::NotFound, QStringLiteral("not_found"), QStringLiteral("unknown calendar request"));
        QJsonObject s = state();
        s.insert(QStringLiteral("canUpload"), session.role == Role::Admin);
        return http::json(s);
    }
    if (session.role != Role::Admin)
        return http::error(Status::Forbidden, QStringLiteral("forbidden"), QStringLiteral("需要管理员权限"));
    if (parts.size() == 2 && parts.at(1) == QLatin1String("publish")) {
        qint64 version = 0;
        QString error;
        if (!publish(session.user, &version, &error))
            return http::error(Status::ServiceUnavailable, QStringLiteral("unavailable"), error);
        QJsonObject s = state();
        s.insert(QStringLiteral("version"), QString::number(version));
        return http::json(s);
    }
    bool yearOk = false;
    const int year = parts.value(1).toInt(&yearOk);
    if (parts.size() != 2 || !yearOk || year < 2000 || year > 2100)
        return http::error(Status::NotFound, QStringLiteral("not_found"), QStringLiteral("POST calendar/<年份> 或 calendar/publish"));
    return upload(session, year, request.body());
}

QHttpServerResponse CalendarService::upload(const FleetStore::Session &session, int year, const QByteArray &body)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    HolidayStore holidays(m_store->database());
    QStringList problems;
    QJsonObject o;
    std::optional<HolidayNotice> notice;
    if (body.size() > HolidayNotice::kMaxBytes)
        problems << QStringLiteral("文件过大（%1 字节，最多 %2 字节）").arg(body.size()).arg(HolidayNotice::kMaxBytes);
    else if (!http::parseObject(body, &o))
        problems << QStringLiteral("不是有效的 JSON 对象（或同一对象中有重复的字段）");
    else
        notice = HolidayNotice::fromJson(o, &problems, year, false);
    if (!notice) {
        QString error;
        if (!holidays.recordRefusal(year, session.user, problems, now, &error))
            qCWarning(lcCalendarService).noquote() << "cannot record the refusal:" << error;
        return http::json(QJsonObject{{QStringLiteral("error"), QStringLiteral("invalid")},
                                      {QStringLiteral("message"), QStringLiteral("%1 年节假日文件未通过校验：%2")
                                                                      .arg(year).arg(problems.join(QStringLiteral("；")))},
                                      {QStringLiteral("problems"), QJsonArray::fromStringList(problems)}},
                          body.size() > HolidayNotice::kMaxBytes ? Status::PayloadTooLarge : Status::BadRequest);
    }
    QString error;
    if (!holidays.put(*notice, session.user, now, &error))
        return http::error(Status::InternalServerError, QStringLiteral("internal"), error);
    refresh(); // the hub's own deadlines use it from now on
    qint64 version = 0;
    const bool published = publish(session.user, &version, &error);
    QJsonObject s = state();
    s.insert(QStringLiteral("stored"), year);
    if (published)
        s.insert(QStringLiteral("version"), QString::number(version));
    else
        s.insert(QStringLiteral("publishError"), error);
    return http::json(s, published ? Status::Ok : Status::Accepted);
}

} // namespace hcp::sync::hub::calendar

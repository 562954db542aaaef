// SPDX-License-Identifier: Apache-2.0
#include "holidaystore.h"

#include "hubstore.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QSqlError>
#include <QSqlQuery>

Q_LOGGING_CATEGORY(lcHolidayStore, "hcp.sync.hub.calendar.store")

namespace hcp::sync::hub::calendar {

using kiosk::HolidayNotice;

namespace {

bool fail(const QSqlQuery &q, QString *error)
{
    if (error)
        *error = q.lastError().text();
    return false;
}

QList<HolidayNotice> shippedNotices()
{
    QList<HolidayNotice> out;
    const QDir dir(QStringLiteral(":/hcp/holidays"));
    for (const QString &name : dir.entryList({QStringLiteral("[0-9][0-9][0-9][0-9].json")}, QDir::Files, QDir::Name)) {
        QFile f(dir.filePath(name));
        QStringList problems;
        std::optional<HolidayNotice> n;
        if (f.open(QIODevice::ReadOnly))
            n = HolidayNotice::fromJson(QJsonDocument::fromJson(f.readAll()).object(), &problems, name.left(4).toInt());
        if (n)
            out.append(*n);
        else
            qCWarning(lcHolidayStore).noquote() << "shipped notice" << name << "refused:" << problems.join(QStringLiteral("；"));
    }
    return out;
}

QString compact(const QJsonObject &o)
{
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

} // namespace

bool HolidayStore::ensureSchema(QSqlDatabase &db, bool postgres, QString *error)
{
    const QString id = postgres ? QStringLiteral("id BIGSERIAL PRIMARY KEY") : QStringLiteral("id INTEGER PRIMARY KEY AUTOINCREMENT");
    QStringList statements{
        QStringLiteral("CREATE TABLE IF NOT EXISTS holiday_calendars (year INTEGER PRIMARY KEY, notice TEXT NOT NULL, "
                       "holidays INTEGER NOT NULL, makeup_days INTEGER NOT NULL, source TEXT NOT NULL, "
                       "actor TEXT NOT NULL, updated_at BIGINT NOT NULL)"),
        QStringLiteral("CREATE TABLE IF NOT EXISTS holiday_calendar_audit (%1, year INTEGER NOT NULL, at_ms BIGINT NOT NULL, "
                       "actor TEXT NOT NULL, action TEXT NOT NULL, holidays INTEGER NOT NULL, makeup_days INTEGER NOT NULL, "
                       "problems TEXT NOT NULL)")
            .arg(id),
    };
    // The audit is append-only, as the 差评 timeline (the function comes from schema step 1).
    if (postgres)
        statements << QStringLiteral("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = "
                                     "'holiday_calendar_audit_append_only') THEN CREATE TRIGGER holiday_calendar_audit_append_only "
                                     "BEFORE UPDATE OR DELETE ON holiday_calendar_audit FOR EACH ROW EXECUTE FUNCTION "
                                     "grievance_append_only(); END IF; END $$");
    else
        for (const char *op : {"UPDATE", "DELETE"})
            statements << QStringLiteral("CREATE TRIGGER IF NOT EXISTS holiday_calendar_audit_no_%1 BEFORE %2 ON "
                                         "holiday_calendar_audit BEGIN SELECT RAISE(ABORT, 'holiday_calendar_audit is "
                                         "append-only'); END")
                              .arg(QString::fromLatin1(op).toLower(), QLatin1String(op));
    return HubStore::execStatements(db, statements, error);
}

int HolidayStore::seedShipped(qint64 nowMs, QString *error)
{
    int written = 0;
    for (const HolidayNotice &n : shippedNotices()) {
        QSqlQuery q(m_db);
        // Insert a year not held; replace only a shipped placeholder, and only by days.
        q.prepare(QStringLiteral("INSERT INTO holiday_calendars (year, notice, holidays, makeup_days, source, actor, updated_at) "
                                 "VALUES (?, ?, ?, ?, 'shipped', 'hub', ?) ON CONFLICT (year) DO UPDATE SET "
                                 "notice = excluded.notice, holidays = excluded.holidays, makeup_days = excluded.makeup_days, "
                                 "updated_at = excluded.updated_at WHERE holiday_calendars.source = 'shipped' "
                                 "AND holiday_calendars.holidays + holiday_calendars.makeup_days = 0 "
                                 "AND excluded.holidays + excluded.makeup_days > 0"));
        q.addBindValue(n.year);
        q.addBindValue(compact(n.toJson()));
        q.addBindValue(n.holidayCount());
        q.addBindValue(n.makeUpDayCount());
        q.addBindValue(nowMs);
        if (!q.exec()) {
            fail(q, error);
            return -1;
        }
        written += q.numRowsAffected() > 0 ? 1 : 0;
    }
    if (written > 0)
        qCInfo(lcHolidayStore) << "seeded" << written << "shipped holiday notices";
    return written;
}

bool HolidayStore::put(const HolidayNotice &notice, const QString &actor, qint64 nowMs, QString *error)
{
    if (!m_db.transaction()) {
        if (error)
            *error = m_db.lastError().text();
        return false;
    }
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("INSERT INTO holiday_calendars (year, notice, holidays, makeup_days, source, actor, updated_at) "
                             "VALUES (?, ?, ?, ?, 'upload', ?, ?) ON CONFLICT (year) DO UPDATE SET notice = excluded.notice, "
                             "holidays = excluded.holidays, makeup_days = excluded.makeup_days, source = excluded.source, "
                             "actor = excluded.actor, updated_at = excluded.updated_at"));
    q.addBindValue(notice.year);
    q.addBindValue(compact(notice.toJson()));
    q.addBindValue(notice.holidayCount());
    q.addBindValue(notice.makeUpDayCount());
    q.addBindValue(actor);
    q.addBindValue(nowMs);
    bool ok = q.exec();
    if (ok) {
        q.prepare(QStringLiteral("INSERT INTO holiday_calendar_audit (year, at_ms, actor, action, holidays, makeup_days, problems) "
                                 "VALUES (?, ?, ?, 'upload', ?, ?, '')"));
        q.addBindValue(notice.year);
        q.addBindValue(nowMs);
        q.addBindValue(actor);
        q.addBindValue(notice.holidayCount());
        q.addBindValue(notice.makeUpDayCount());
        ok = q.exec();
    }
    if (!ok || !m_db.commit()) {
        if (error)
            *error = ok ? m_db.lastError().text() : q.lastError().text();
        m_db.rollback();
        return false;
    }
    qCInfo(lcHolidayStore).noquote() << "audit: holiday notice" << notice.year << "uploaded by" << actor << "with"
                                     << notice.holidayCount() << "holidays and" << notice.makeUpDayCount() << "make-up days";
    return true;
}

bool HolidayStore::recordRefusal(int year, const QString &actor, const QStringList &problems, qint64 nowMs, QString *error)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("INSERT INTO holiday_calendar_audit (year, at_ms, actor, action, holidays, makeup_days, problems) "
                             "VALUES (?, ?, ?, 'refused', 0, 0, ?)"));
    q.addBindValue(year);
    q.addBindValue(nowMs);
    q.addBindValue(actor);
    q.addBindValue(problems.join(QLatin1Char('\n')).left(4000));
    if (!q.exec())
        return fail(q, error);
    qCInfo(lcHolidayStore).noquote() << "audit: holiday notice" << year << "refused for" << actor << ":"
                                     << problems.join(QStringLiteral("；")).left(400);
    return true;
}

QList<HolidayStore::Held> HolidayStore::list()
{
    QList<Held> out;
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral("SELECT notice, source, actor, updated_at FROM holiday_calendars ORDER BY year")))
        return out;
    while (q.next()) {
        QStringList problems;
        const auto n = HolidayNotice::fromJson(QJsonDocument::fromJson(q.value(0).toString().toUtf8()).object(), &problems);
        if (!n) { // only a hand-edited database gets here: say so, hold nothing for the year
            qCWarning(lcHolidayStore).noquote() << "stored holiday notice refused:" << problems.join(QStringLiteral("；"));
            continue;
        }
        out.append(Held{*n, q.value(1).toString(), q.value(2).toString(), q.value(3).toLongLong()});
    }
    return out;
}

QString HolidayStore::revision()
{
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral("SELECT COUNT(*), COALESCE(MAX(updated_at), 0), COALESCE(SUM(holidays + makeup_days), 0) "
                               "FROM holiday_calendars"))
        || !q.next())
        return {};
    return q.value(0).toString() + QLatin1Char('|') + q.value(1).toString() + QLatin1Char('|') + q.value(2).toString();
}

kiosk::WorkCalendar HolidayStore::calendar()
{
    kiosk::WorkCalendar c;
    for (const HolidayNotice &n : shippedNotices())
        c.loadNotice(n);
    for (const Held &h : list())
        c.loadNotice(h.notice);
    return c;
}

QJsonArray HolidayStore::audit(int limit)
{
    QJsonArray out;
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT year, at_ms, actor, action, holidays, makeup_days, problems FROM holiday_calendar_audit "
                             "ORDER BY id DESC LIMIT ?"));
    q.addBindValue(limit);
    if (!q.exec())
        return out;
    while (q.next())
        out.append(QJsonObject{{QStringLiteral("year"), q.value(0).toInt()},
                               {QStringLiteral("atMs"), q.value(1).toLongLong()},
                               {QStringLiteral("actor"), q.value(2).toString()},
                               {QStringLiteral("action"), q.value(3).toString()},
                               {QStringLiteral("holidays"), q.value(4).toInt()},
                               {QStringLiteral("makeUpDays"), q.value(5).toInt()},
                               {QStringLiteral("problems"),
                                QJsonArray::fromStringList(q.value(6).toString().split(QLatin1Char('\n'), Qt::SkipEmptyParts))}});
    return out;
}

} // namespace hcp::sync::hub::calendar

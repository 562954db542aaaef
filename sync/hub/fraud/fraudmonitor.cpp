// SPDX-License-Identifier: Apache-2.0
#include "fraudmonitor.h"

#include "../wire.h"
#include "fraudsupport.h"
#include "http/http.h"
#include "hubstore.h"
#include "personaldata.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <QTimeZone>
#include <QUrlQuery>

Q_LOGGING_CATEGORY(lcFraud, "hcp.sync.hub.fraud")

namespace hcp::sync::hub {

namespace {

constexpr int kEvidenceCap = 500; // evidence entries listed per flag; count has them all

using fraud::compact;
using fraud::parseAssessTime;

} // namespace

// --- FraudSettings --------------------------------------------------------------------------

QJsonObject FraudSettings::toJson() const
{
    QJsonObject hours;
    for (auto it = openingHours.constBegin(); it != openingHours.constEnd(); ++it) {
        QJsonArray periods;
        for (const Period &p : it.value()) {
            QJsonArray days;
            for (int d : p.days)
                days.append(d);
            periods.append(QJsonObject{{QStringLiteral("days"), days},
                                       {QStringLiteral("from"), p.from.toString(QStringLiteral("HH:mm"))},
                                       {QStringLiteral("to"), p.to.toString(QStringLiteral("HH:mm"))}});
        }
        hours.insert(it.key(), periods);
    }
    return {{QStringLiteral("burstPerMinute"), burstPerMinute},
            {QStringLiteral("applicantMax"), applicantMax},
            {QStringLiteral("applicantWindowDays"), applicantWindowDays},
            {QStringLiteral("assistedShareMax"), assistedShareMax},
            {QStringLiteral("assistedMinCount"), assistedMinCount},
            {QStringLiteral("assistedWindowDays"), assistedWindowDays},
            {QStringLiteral("openingHours"), hours}};
}

std::optional<FraudSettings> FraudSettings::fromJson(const QJsonObject &o, QString *error)
{
    FraudSettings s;
    auto fail = [&](const QString &why) {
        if (error)
            *error = why;
        return std::optional<FraudSettings>();
    };
    auto readInt = [&](const char *name, int *out, int min, int max) {
        const QJsonValue v = o.value(QLatin1String(name));
        if (v.isUndefined())
            return true;
        if (!v.isDouble() || v.toDouble() != double(v.toInt()) || v.toInt() < min || v.toInt() > max)
            return false;
        *out = v.toInt();
        return true;
    };
    if (!readInt("burstPerMinute", &s.burstPerMinute, 1, 100000))
        return fail(QStringLiteral("burstPerMinute must be an integer 1..100000"));
    if (!readInt("applicantMax", &s.applicantMax, 1, 100000))
        return fail(QStringLiteral("applicantMax must be an integer 1..100000"));
    if (!readInt("applicantWindowDays", &s.applicantWindowDays, 1, 3660))
        return fail(QStringLiteral("applicantWindowDays must be an integer 1..3660"));
    if (!readInt("assistedMinCount", &s.assistedMinCount, 1, 100000))
        return fail(QStringLiteral("assistedMinCount must be an integer 1..100000"));
    if (!readInt("assistedWindowDays", &s.assistedWindowDays, 1, 3660))
        return fail(QStringLiteral("assistedWindowDays must be an integer 1..3660"));
    if (o.contains(QLatin1String("assistedShareMax"))) {
        const QJsonValue v = o.value(QLatin1String("assistedShareMax"));
        if (!v.isDouble() || v.toDouble() <= 0 || v.toDouble() > 1)
            return fail(QStringLiteral("assistedShareMax must be a number in (0, 1]"));
        s.assistedShareMax = v.toDouble();
    }
    const QJsonObject hours = o.value(QLatin1String("openingHours")).toObject();
    for (auto it = hours.constBegin(); it != hours.constEnd(); ++it) {
        if (!it.value().isArray())
            return fail(QStringLiteral("openingHours.%1 must be an array of periods").arg(it.key()));
        QList<Period> periods;
        for (const QJsonValue &pv : it.value().toArray()) {
            const QJsonObject po = pv.toObject();
            Period p;
            p.from = QTime::fromString(po.value(QLatin1String("from")).toString(), QStringLiteral("HH:mm"));
            p.to = QTime::fromString(po.value(QLatin1String("to")).toString(), QStringLiteral("HH:mm"));
            for (const QJsonValue &d : po.value(QLatin1String("days")).toArray()) {
                if (!d.isDouble() || d.toInt() < 1 || d.toInt() > 7)
                    return fail(QStringLiteral("openingHours.%1: days are 1 (Monday) .. 7 (Sunday)").arg(it.key()));
                p.days.append(d.toInt());
            }
            if (!p.from.isValid() || !p.to.isValid() || p.from >= p.to || p.days.isEmpty())
                return fail(QStringLiteral("openingHours.%1: each period needs days and from < to (HH:mm)").arg(it.key()));
            periods.append(p);
        }
        s.openingHours.insert(it.key(), periods);
    }
    return s;
}

// --- FraudMonitor ---------------------------------------------------------------------------

FraudMonitor::FraudMonitor(HubStore *store, QObject *parent)
    : QObject(parent)
    , m_store(store)
{
    QString error;
    if (!ensureSchema(&error))
        qCWarning(lcFraud) << "fraud monitor schema failed:" << error;
    loadSettings();
    // Timer scans work in slices of ~50 ms so that a backlog (a province hub catching up, a
    // kiosk draining 100,000 records) never holds the hub's event loop for long.
    connect(&m_timer, &QTimer::timeout, this, [this] { onTimer(); });
    m_timer.start(m_intervalMs);
    m_deferredSince.invalidate();
}

void FraudMonitor::onTimer()
{
    // While evaluations pour in (a kiosk draining a backlog at thousands per second) the hub's
    // time belongs to ingest: defer, re-checking every second, for at most 60 s at a stretch.
    QSqlQuery &q = query(QStringLiteral("SELECT MAX(id) FROM evaluations"));
    qint64 maxId = 0;
    if (q.exec() && q.next())
        maxId = q.value(0).toLongLong();
    q.finish();
    const qint64 grown = maxId - m_lastMaxId;
    m_lastMaxId = maxId;
    constexpr qint64 kBusyRowsPerCheck = 1000;
    if (grown > kBusyRowsPerCheck && (!m_deferredSince.isValid() || m_deferredSince.elapsed() < 60'000)) {
        if (!m_deferredSince.isValid())
            m_deferredSince.start();
        m_timer.start(1000);
        return;
    }
    m_deferredSince.invalidate();
    scanFor(50);
}

void FraudMonitor::setScanIntervalMs(int ms)
{
    m_intervalMs = ms;
    m_timer.start(ms);
}

bool FraudMonitor::ensureSchema(QString *error)
{
    return createTables(m_store->database(), m_store->isPostgres(), error);
}

bool FraudMonitor::createTables(QSqlDatabase &db, bool pg, QString *error)
{
    const QString id = pg ? QStringLiteral("id BIGSERIAL PRIMARY KEY") : QStringLiteral("id INTEGER PRIMARY KEY AUTOINCREMENT");
    const QStringList statements{
        QStringLiteral("CREATE TABLE IF NOT EXISTS fraud_state (key TEXT PRIMARY KEY, value TEXT NOT NULL)"),
        QStringLiteral("CREATE TABLE IF NOT EXISTS fraud_index (eval_id BIGINT PRIMARY KEY, device_id TEXT NOT NULL, "
                       "hall_code TEXT NOT NULL, uuid TEXT NOT NULL, assess_time TEXT NOT NULL, assess_ms BIGINT NOT NULL, "
                       "applicant TEXT, case_key TEXT NOT NULL, assisted_by TEXT)"),
        QStringLiteral("CREATE INDEX IF NOT EXISTS fraud_index_device ON fraud_index(device_id, assess_ms)"),
        QStringLiteral("CREATE INDEX IF NOT EXISTS fraud_index_applicant ON fraud_index(applicant, assess_ms)"),
        QStringLiteral("CREATE INDEX IF NOT EXISTS fraud_index_case ON fraud_index(case_key)"),
        QStringLiteral("CREATE INDEX IF NOT EXISTS fraud_index_hall ON fraud_index(hall_code, assess_ms)"),
        QStringLiteral("CREATE INDEX IF NOT EXISTS fraud_index_agent ON fraud_index(hall_code, assisted_by, assess_ms)"),
        QStringLiteral("CREATE TABLE IF NOT EXISTS fraud_flags (%1, kind TEXT NOT NULL, flag_key TEXT NOT NULL UNIQUE, "
                       "subject TEXT NOT NULL, first_ms BIGINT NOT NULL, last_ms BIGINT NOT NULL, "
                       "evidence_count BIGINT NOT NULL, detail TEXT NOT NULL, "
                       "created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)")
            .arg(id),
        QStringLiteral("CREATE INDEX IF NOT EXISTS fraud_flags_kind ON fraud_flags(kind, subject, last_ms)"),
        QStringLiteral("CREATE TABLE IF NOT EXISTS fraud_evidence (flag_id BIGINT NOT NULL, device_id TEXT NOT NULL, "
                       "uuid TEXT NOT NULL, assess_time TEXT NOT NULL, assess_ms BIGINT NOT NULL, "
                       "PRIMARY KEY (flag_id, device_id, uuid))"),
    };
    return HubStore::execStatements(db, statements, error);
}

bool FraudMonitor::loadSettings()
{
    QSqlQuery q(m_store->database());
    if (!q.exec(QStringLiteral("SELECT value FROM fraud_state WHERE key = 'settings'")) || !q.next())
        return false;
    QString error;
    const auto s = FraudSettings::fromJson(QJsonDocument::fromJson(q.value(0).toString().toUtf8()).object(), &error);
    if (!s) {
        qCWarning(lcFraud) << "stored fraud settings unusable, defaults apply:" << error;
        return false;
    }
    m_settings = *s;
    return true;
}

bool FraudMonitor::setSettings(const FraudSettings &settings, QString *error)
{
    QSqlQuery q(m_store->database());
    q.prepare(QStringLiteral("INSERT INTO fraud_state (key, value) VALUES ('settings', ?) "
                             "ON CONFLICT (key) DO UPDATE SET value = excluded.value"));
    q.addBindValue(compact(settings.toJson()));
    if (!q.exec()) {
        if (error)
            *error = q.lastError().text();
        return false;
    }
    m_settings = settings;
    return true;
}

QString FraudMonitor::applicantOf(const QJsonObject &payload)
{
    const QString enc = payload.value(QLatin1String("certKeyEnc")).toString();
    if (m_identity && !enc.isEmpty()) {
        if (auto plain = decryptCertKey(*m_identity, enc)) {
            const QString hash = QString::fromLatin1(wire::certKeyHash(m_store->certKey(), *plain));
            plain->fill(QChar(u'\0'));
            return hash;
        }
    }
    QSqlQuery &q = query(QStringLiteral("SELECT cert_key_hash FROM cases WHERE project_no = ? AND service_number = ?"));
    q.bindValue(0, payload.value(QLatin1String("projectNo")).toString());
    q.bindValue(1, payload.value(QLatin1String("serviceNumber")).toInt());
    QString hash;
    if (q.exec() && q.next())
        hash = q.value(0).toString();
    q.finish();
    return hash;
}

qint64 FraudMonitor::scan(QString *error)
{
    return scanFor(-1, error);
}

qint64 FraudMonitor::scanFor(qint64 budgetMs, QString *error)
{
    QElapsedTimer clock;
    clock.start();
    QSqlDatabase &db = m_store->database();
    auto fail = [&](const QString &why) {
        if (error)
            *error = why;
        qCWarning(lcFraud) << "scan failed:" << why;
        db.rollback();
        return qint64(-1);
    };
    qint64 total = 0;
    for (;;) {
        if (!db.transaction())
            return fail(db.lastError().text());
        QSqlQuery q(db);
        qint64 cursor = 0;
        if (q.exec(QStringLiteral("SELECT value FROM fraud_state WHERE key = 'cursor'")) && q.next())
            cursor = q.value(0).toString().toLongLong();
        q.finish();
        q.prepare(QStringLiteral("SELECT e.id, e.device_id, d.hall_code, e.uuid, e.assess_time, e.payload "
                                 "FROM evaluations e LEFT JOIN devices d ON d.device_id = e.device_id "
                                 "WHERE e.id > ? ORDER BY e.id LIMIT 500"));
        q.addBindValue(cursor);
        if (!q.exec())
            return fail(q.lastError().text());
        QList<std::pair<Row, QJsonObject>> rows;
        while (q.next()) {
            Row r;
            r.evalId = q.value(0).toLongLong();
            r.deviceId = q.value(1).toString();
            r.hallCode = q.value(2).toString();
            r.uuid = q.value(3).toString();
            r.assessTime = q.value(4).toString();
            rows.append({r, QJsonDocument::fromJson(q.value(5).toString().toUtf8()).object()});
        }
        q.finish();
        if (rows.isEmpty()) {
            db.commit();
            break;
        }
        QSqlQuery insert(db);
        insert.prepare(QStringLiteral("INSERT INTO fraud_index (eval_id, device_id, hall_code, uuid, assess_time, "
                                      "assess_ms, applicant, case_key, assisted_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                                      "ON CONFLICT DO NOTHING"));
        for (auto &[row, payload] : rows) {
            row.assessMs = parseAssessTime(row.assessTime).toMSecsSinceEpoch();
            row.applicant = applicantOf(payload);
            row.caseKey = QStringLiteral("%1#%2#%3")
                              .arg(payload.value(QLatin1String("projectNo")).toString())
                              .arg(payload.value(QLatin1String("serviceNumber")).toInt())
                              .arg(payload.value(QLatin1String("assessNumber")).toInt(1));
            row.assistedBy = payload.value(QLatin1String("assistedBy")).toString();
            insert.bindValue(0, row.evalId);
            insert.bindValue(1, row.deviceId);
            insert.bindValue(2, row.hallCode);
            insert.bindValue(3, row.uuid);
            insert.bindValue(4, row.assessTime);
            insert.bindValue(5, row.assessMs);
            insert.bindValue(6, row.applicant.isEmpty() ? QVariant() : QVariant(row.applicant));
            insert.bindValue(7, row.caseKey);
            insert.bindValue(8, row.assistedBy.isEmpty() ? QVariant() : QVariant(row.assistedBy));
            if (!insert.exec())
                return fail(insert.lastError().text());
            if (!applyRules(row))
                return fail(m_error);
        }
        QSqlQuery c(db);
        c.prepare(QStringLiteral("INSERT INTO fraud_state (key, value) VALUES ('cursor', ?) "
                                 "ON CONFLICT (key) DO UPDATE SET value = excluded.value"));
        c.addBindValue(QString::number(rows.last().first.evalId));
        if (!c.exec())
            return fail(c.lastError().text());
        if (!db.commit())
            return fail(db.lastError().text());
        total += rows.size();
        if (budgetMs >= 0 && clock.elapsed() >= budgetMs) {
            // More is waiting: continue in 250 ms, so ingest keeps at least ~5/6 of the hub's
            // time while a backlog is indexed.
            m_timer.start(250);
            return total;
        }
    }
    if (m_timer.interval() != m_intervalMs)
        m_timer.start(m_intervalMs);
    return total;
}

QSqlQuery &FraudMonitor::query(const QString &sql)
{
    auto it = m_queries.find(sql);
    if (it == m_queries.end()) {
        it = m_queries.insert(sql, QSqlQuery(m_store->database()));
        if (!it->prepare(sql))
            qCWarning(lcFraud) << "prepare failed:" << it->lastError().text() << sql;
    }
    return *it;
}

QJsonArray FraudMonitor::flags(const QString &kind)
{
    QSqlQuery q(m_store->database());
    q.prepare(QStringLiteral("SELECT id, kind, subject, first_ms, last_ms, evidence_count, detail, created_at, "
                             "updated_at FROM fraud_flags %1 ORDER BY updated_at DESC, id DESC LIMIT 1000")
                  .arg(kind.isEmpty() ? QString() : QStringLiteral("WHERE kind = ?")));
    if (!kind.isEmpty())
        q.addBindValue(kind);
    QJsonArray out;
    if (!q.exec())
        return out;
    auto cst = [](qint64 ms) {
        return QDateTime::fromMSecsSinceEpoch(ms, QTimeZone(8 * 3600)).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    };
    QSqlQuery ev(m_store->database());
    ev.prepare(QStringLiteral("SELECT uuid, device_id, assess_time FROM fraud_evidence WHERE flag_id = ? "
                              "ORDER BY assess_ms, device_id, uuid LIMIT %1").arg(kEvidenceCap));
    while (q.next()) {
        QJsonArray evidence;
        ev.bindValue(0, q.value(0).toLongLong());
        if (ev.exec())
            while (ev.next())
                evidence.append(QJsonObject{{QStringLiteral("uuid"), ev.value(0).toString()},
                                            {QStringLiteral("deviceId"), ev.value(1).toString()},
                                            {QStringLiteral("assessTime"), ev.value(2).toString()}});
        out.append(QJsonObject{
            {QStringLiteral("id"), q.value(0).toLongLong()},
            {QStringLiteral("kind"), q.value(1).toString()},
            {QStringLiteral("subject"), q.value(2).toString()},
            {QStringLiteral("firstAt"), cst(q.value(3).toLongLong())},
            {QStringLiteral("lastAt"), cst(q.value(4).toLongLong())},
            {QStringLiteral("count"), q.value(5).toLongLong()},
            {QStringLiteral("evidence"), evidence},
            {QStringLiteral("detail"), QJsonDocument::fromJson(q.value(6).toString().toUtf8()).object()},
            {QStringLiteral("createdAtMs"), q.value(7).toLongLong()},
            {QStringLiteral("updatedAtMs"), q.value(8).toLongLong()},
        });
    }
    return out;
}

void FraudMonitor::registerRoutes(QHttpServer &http, std::function<bool(const QHttpServerRequest &)> adminAllowed)
{
    using Method = QHttpServerRequest::Method;
    using Status = QHttpServerResponse::StatusCode;
    http.route(QStringLiteral("/v1/admin/fraud"), Method::Get, [this, adminAllowed](const QHttpServerRequest &r) {
        if (!adminAllowed(r))
            return http::error(Status::Forbidden, QStringLiteral("forbidden"), QStringLiteral("admin token required"));
        QString error;
        if (scan(&error) < 0)
            return http::error(Status::InternalServerError, QStringLiteral("internal"), error);
        const QString kind = QUrlQuery(r.url()).queryItemValue(QStringLiteral("kind"));
        return QHttpServerResponse(QJsonObject{{QStringLiteral("flags"), flags(kind)},
                                               {QStringLiteral("settings"), m_settings.toJson()}});
    });
    http.route(QStringLiteral("/v1/admin/fraud/settings"), Method::Put | Method::Post,
               [this, adminAllowed](const QHttpServerRequest &r) {
                   if (!adminAllowed(r))
                       return http::error(Status::Forbidden, QStringLiteral("forbidden"), QStringLiteral("admin token required"));
                   QJsonObject body;
                   if (!http::parseObject(r.body(), &body))
                       return http::error(Status::BadRequest, QStringLiteral("bad_request"),
                                          QStringLiteral("body is not a JSON object (or names a key twice)"));
                   QString error;
                   const auto s = FraudSettings::fromJson(body, &error);
                   if (!s)
                       return http::error(Status::BadRequest, QStringLiteral("bad_request"), error);
                   if (!setSettings(*s, &error))
                       return http::error(Status::InternalServerError, QStringLiteral("internal"), error);
                   return QHttpServerResponse(QJsonObject{{QStringLiteral("settings"), m_settings.toJson()}});
               });
}

} // namespace hcp::sync::hub

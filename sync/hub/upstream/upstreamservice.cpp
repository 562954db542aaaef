// SPDX-License-Identifier: Apache-2.0
#include "upstreamservice.h"

#include "configpublisher.h"

#include "http/http.h"
#include "hubserver.h"
#include "hubstore.h"

#include <QDateTime>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSqlQuery>
#include <QUrlQuery>

Q_LOGGING_CATEGORY(lcUpstream, "hcp.sync.hub.upstream")

namespace hcp::sync::hub::upstream {

namespace {

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

constexpr char kIndicatorVersionKey[] = "indicator_version";
constexpr char kRectificationCursorKey[] = "rectification_cursor";

} // namespace

UpstreamService::UpstreamService(HubStore *store, const ProvinceProfile &profile, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_profile(profile)
    , m_outbox(store->database())
    , m_grievance(store->database())
    , m_client(new ProvinceClient(profile, this))
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &UpstreamService::tick);
    connect(&m_pullTimer, &QTimer::timeout, this, &UpstreamService::pullNow);
    // Configuration is written only through the hub's ConfigPublisher (validated, versioned,
    // signed); main.cpp plugs it in with setConfigWriter().
    m_configWriter = [](const QString &, const QJsonObject &, QString *error) {
        *error = QStringLiteral("no configuration publisher wired");
        return false;
    };
}

UpstreamService::~UpstreamService() = default;

void UpstreamService::registerAdmin(HubServer *server)
{
    server->addAdminHandler(QStringLiteral("upstream"),
                            [this](const QHttpServerRequest &request) { return adminRequest(request); });
}

void UpstreamService::start()
{
    m_running = true;
    qCInfo(lcUpstream) << "forwarding to" << m_profile.name << m_profile.endpoint.toString();
    schedule(0);
    if (m_profile.pullIntervalS > 0) {
        m_pullTimer.start(m_profile.pullIntervalS * 1000);
        QTimer::singleShot(0, this, &UpstreamService::pullNow);
    }
}

void UpstreamService::stop()
{
    m_running = false;
    m_timer.stop();
    m_pullTimer.stop();
}

void UpstreamService::kick()
{
    if (m_running && !m_inFlight && nowMs() >= m_backoffUntilMs)
        schedule(0);
}

void UpstreamService::schedule(int ms)
{
    if (m_running)
        m_timer.start(qMax(0, ms));
}

void UpstreamService::tick()
{
    if (!m_running || m_inFlight)
        return;
    const qint64 now = nowMs();
    if (now < m_backoffUntilMs) {
        schedule(int(m_backoffUntilMs - now));
        return;
    }
    if (m_outbox.recoverExpired(now - m_profile.effectiveLeaseMs(), now) < 0) {
        m_lastError = QStringLiteral("database: ") + m_outbox.lastError();
        schedule(m_profile.pollIntervalMs);
        return;
    }
    if (m_grievance.recoverExpired(now - m_profile.effectiveLeaseMs(), now) < 0)
        m_lastError = QStringLiteral("database: ") + m_grievance.lastError();
    // Evaluation batches and 差评 records take turns, so neither waits behind the other's backlog.
    m_grievanceTurn = !m_grievanceTurn;
    if (m_grievanceTurn && sendGrievanceRecord(now))
        return;
    if (sendEvaluationBatch(now))
        return;
    if (!m_grievanceTurn && sendGrievanceRecord(now))
        return;
    emit idle();
    schedule(m_profile.pollIntervalMs);
}

bool UpstreamService::sendEvaluationBatch(qint64 now)
{
    // Queued rows first; new evaluations are looked for only when they do not fill a batch
    // (the look-up scans the recent evaluations, the claim only an index).
    QList<UpstreamOutbox::Row> rows = m_outbox.claim(m_profile.batchSize, now);
    if (rows.size() < m_profile.batchSize) {
        const int added = m_outbox.enqueueNew(now);
        if (added < 0)
            m_lastError = QStringLiteral("database: ") + m_outbox.lastError();
        else if (added > 0)
            rows += m_outbox.claim(m_profile.batchSize - int(rows.size()), now);
    }
    if (rows.isEmpty())
        return false;
    QList<QJsonObject> records;
    QList<qint64> ids;
    QList<UpstreamOutbox::Result> rejected;
    for (const UpstreamOutbox::Row &row : rows) {
        QJsonObject record;
        QString reason;
        if (UpstreamMapper::map(row.evaluation, row.caseObject, m_profile, m_resolver, &record, &reason))
            reason = UpstreamMapper::validate(record);
        if (!reason.isEmpty()) {
            qCWarning(lcUpstream) << "not sendable:" << row.deviceId << row.uuid << reason;
            rejected.append({row.evaluationId, UpstreamOutbox::Result::Kind::Dead, QStringLiteral("HUB"),
                             QStringLiteral("hub check: ") + reason, 0});
            continue;
        }
        records.append(record);
        ids.append(row.evaluationId);
    }
    if (!rejected.isEmpty() && !m_outbox.apply(rejected, now))
        m_lastError = QStringLiteral("database: ") + m_outbox.lastError();
    if (records.isEmpty()) {
        emit batchFinished(0, int(rejected.size()), 0);
        schedule(0);
        return true;
    }
    m_inFlight = true;
    m_client->sendEvaluations(records, [this, ids](const ProvinceClient::Outcome &outcome) {
        m_inFlight = false;
        onSent(ids, outcome);
    });
    return true;
}

bool UpstreamService::sendGrievanceRecord(qint64 now)
{
    // One record per request: a permanent refusal of the request then names that record.
    const QList<GrievanceOutbox::Row> rows = m_grievance.claim(1, now);
    if (rows.isEmpty())
        return false;
    const GrievanceOutbox::Row row = rows.first();
    const QJsonObject record = GrievanceOutbox::mapped(row, m_profile);
    const QString reason = row.problem.isEmpty() ? GrievanceOutbox::validate(row.kind, record) : row.problem;
    if (!reason.isEmpty()) {
        qCWarning(lcUpstream) << "差评 record not sendable:" << row.id << row.kind << row.key << reason;
        if (!m_grievance.apply({{row.id, UpstreamOutbox::Result::Kind::Dead, QStringLiteral("HUB"),
                                 QStringLiteral("hub check: ") + reason, 0}},
                               now))
            m_lastError = QStringLiteral("database: ") + m_grievance.lastError();
        emit grievanceRecordFinished(row.id, QStringLiteral("dead"));
        schedule(0);
        return true;
    }
    const bool reply = row.kind == QLatin1String("reply");
    m_inFlight = true;
    m_client->sendRecords(reply ? m_profile.replyPath : m_profile.appealPath,
                          reply ? QStringLiteral("reply") : QStringLiteral("appeal"), {record},
                          [this, row](const ProvinceClient::Outcome &outcome) {
                              m_inFlight = false;
                              onGrievanceSent(row, outcome);
                          });
    return true;
}

void UpstreamService::backOff(qint64 now, const QString &error)
{
    // Full jitter (reference/sync-and-updates.md §2): random(0, min(cap, base·2^n)).
    ++m_failures;
    const qint64 window = qMin<qint64>(m_profile.backoffCapMs, qint64(m_profile.backoffBaseMs) << qMin(m_failures - 1, 20));
    const qint64 delay = QRandomGenerator::global()->bounded(window + 1);
    m_backoffUntilMs = now + delay;
    m_lastError = error;
    qCInfo(lcUpstream) << "send failed:" << error << "- retry in" << delay << "ms";
}

void UpstreamService::onGrievanceSent(const GrievanceOutbox::Row &row, const ProvinceClient::Outcome &outcome)
{
    const qint64 now = nowMs();
    // A 4xx that refuses the request's content: resending the same record cannot succeed.
    static const QList<int> permanent{400, 413, 415, 422};
    UpstreamOutbox::Result result{row.id, UpstreamOutbox::Result::Kind::Retry, QString(), outcome.error, 0};
    if (!outcome.ok && permanent.contains(outcome.httpStatus)) {
        result.kind = UpstreamOutbox::Result::Kind::Dead;
        result.code = QStringLiteral("HTTP %1").arg(outcome.httpStatus);
        qCWarning(lcUpstream) << "province refused 差评 record" << row.id << row.kind << outcome.error;
    } else if (!outcome.ok) {
        backOff(now, outcome.error);
        result.nextAttemptAtMs = m_backoffUntilMs;
    } else {
        m_failures = 0;
        m_backoffUntilMs = 0;
        m_lastSuccessAtMs = now;
        m_lastError.clear();
        const ProvinceClient::RecordResult &r = outcome.records.at(0);
        result.code = r.code;
        result.message = r.message;
        result.kind = r.kind == ProvinceClient::RecordResult::Kind::Stored      ? UpstreamOutbox::Result::Kind::Delivered
            : r.kind == ProvinceClient::RecordResult::Kind::Duplicate           ? UpstreamOutbox::Result::Kind::Duplicate
                                                                                : UpstreamOutbox::Result::Kind::Dead;
        if (result.kind == UpstreamOutbox::Result::Kind::Dead)
            qCWarning(lcUpstream) << "province rejected 差评 record" << row.id << row.kind << r.code << r.message;
    }
    if (row.altered)
        result.message = QStringLiteral("queued payload differed from the timeline; sent the timeline's record. ")
            + result.message;
    if (!m_grievance.apply({result}, now))
        m_lastError = QStringLiteral("database: ") + m_grievance.lastError();
    emit grievanceRecordFinished(row.id, result.kind == UpstreamOutbox::Result::Kind::Retry  ? QStringLiteral("pending")
                                         : result.kind == UpstreamOutbox::Result::Kind::Dead ? QStringLiteral("dead")
                                                                                             : QStringLiteral("delivered"));
    schedule(now < m_backoffUntilMs ? int(m_backoffUntilMs - now) : 0);
}

void UpstreamService::onSent(const QList<qint64> &ids, const ProvinceClient::Outcome &outcome)
{
    const qint64 now = nowMs();
    QList<UpstreamOutbox::Result> results;
    int delivered = 0;
    int dead = 0;
    int retried = 0;
    if (!outcome.ok) {
        backOff(now, outcome.error);
        for (qint64 id : ids)
            results.append({id, UpstreamOutbox::Result::Kind::Retry, QString(), outcome.error, m_backoffUntilMs});
        retried = int(ids.size());
    } else {
        m_failures = 0;
        m_backoffUntilMs = 0;
        m_lastSuccessAtMs = now;
        m_lastError.clear();
        for (qsizetype i = 0; i < ids.size(); ++i) {
            const ProvinceClient::RecordResult &r = outcome.records.at(i);
            UpstreamOutbox::Result::Kind kind = UpstreamOutbox::Result::Kind::Dead;
            if (r.kind == ProvinceClient::RecordResult::Kind::Stored)
                kind = UpstreamOutbox::Result::Kind::Delivered;
            else if (r.kind == ProvinceClient::RecordResult::Kind::Duplicate)
                kind = UpstreamOutbox::Result::Kind::Duplicate;
            if (kind == UpstreamOutbox::Result::Kind::Dead) {
                ++dead;
                qCWarning(lcUpstream) << "province rejected evaluation" << ids.at(i) << r.code << r.message;
            } else {
                ++delivered;
            }
            results.append({ids.at(i), kind, r.code, r.message, 0});
        }
    }
    if (!m_outbox.apply(results, now)) {
        // The rows stay 'sending'; the lease returns them to pending and the province's
        // duplicate answer completes them.
        m_lastError = QStringLiteral("database: ") + m_outbox.lastError();
    }
    emit batchFinished(delivered, dead, retried);
    schedule(outcome.ok ? 0 : int(m_backoffUntilMs - now));
}

QJsonObject UpstreamService::indicatorSetFromNorms(const QJsonObject &data, QString *error)
{
    const QString version = data.value(QLatin1String("evaVersion")).toString();
    const QJsonArray norms = data.value(QLatin1String("norms")).toArray();
    if (version.isEmpty() || norms.isEmpty()) {
        *error = QStringLiteral("getnorm answer without evaVersion or norms");
        return {};
    }
    static const QRegularExpression code(QStringLiteral("^\\d{3}$"));
    QJsonArray indicators;
    for (const QJsonValue &v : norms) {
        const QJsonObject n = v.toObject();
        const QString c = n.value(QLatin1String("normCode")).toString();
        const QString text = n.value(QLatin1String("normName")).toString().trimmed();
        QJsonArray levels;
        for (const QString &l : n.value(QLatin1String("levels")).toString().split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            bool ok = false;
            const int level = l.trimmed().toInt(&ok);
            if (!ok || level < 1 || level > 5) {
                *error = QStringLiteral("norm %1: level %2 is not 1..5").arg(c, l);
                return {};
            }
            levels.append(level);
        }
        if (!code.match(c).hasMatch() || text.isEmpty() || levels.isEmpty()) {
            *error = QStringLiteral("norm without a 3-digit normCode, normName or levels");
            return {};
        }
        indicators.append(QJsonObject{{QStringLiteral("code"), c}, {QStringLiteral("text"), text},
                                      {QStringLiteral("levels"), levels}});
    }
    return QJsonObject{{QStringLiteral("version"), version}, {QStringLiteral("indicators"), indicators}};
}

QJsonObject UpstreamService::rectificationFromProvince(const QJsonObject &item, const ProvinceProfile &profile,
                                                       QString *error)
{
    QString projectNo = item.value(QLatin1String("projectNo")).toString();
    if (!profile.projectNoPrefix.isEmpty() && projectNo.startsWith(profile.projectNoPrefix))
        projectNo = projectNo.mid(profile.projectNoPrefix.size());
    auto number = [&item](const char *k) {
        const QJsonValue v = item.value(QLatin1String(k));
        return v.isString() ? v.toString().toInt() : v.toInt();
    };
    static const QHash<QString, QString> statuses{{QStringLiteral("0"), QStringLiteral("pending")},
                                                  {QStringLiteral("1"), QStringLiteral("in_progress")},
                                                  {QStringLiteral("2"), QStringLiteral("done")}};
    const QString status = statuses.value(item.value(QLatin1String("rectifyStatus")).toVariant().toString());
    const QString date = item.value(QLatin1String("reformDate")).toString();
    QDateTime when;
    if (!date.isEmpty()) {
        when = QDateTime::fromString(date, QStringLiteral("yyyy-MM-dd HH:mm:ss"));
        when.setOffsetFromUtc(8 * 3600); // province times are China Standard Time
    }
    // The rectification store needs a reply time once the department has acted (status
    // in_progress/done) and keeps replies of at most 2000 characters.
    if (projectNo.isEmpty() || number("serviceNumber") < 1 || (number("assessNumber") != 1 && number("assessNumber") != 2)
        || status.isEmpty() || (!date.isEmpty() && !when.isValid())
        || (status != QLatin1String("pending") && !when.isValid())
        || item.value(QLatin1String("reformContent")).toString().size() > 2000) {
        *error = QStringLiteral("rectification without projectNo, serviceNumber, assessNumber or a known "
                                "rectifyStatus, without a valid reformDate once acted on, or with a reply "
                                "over 2000 characters");
        return {};
    }
    return QJsonObject{{QStringLiteral("projectNo"), projectNo},
                       {QStringLiteral("serviceNumber"), number("serviceNumber")},
                       {QStringLiteral("assessNumber"), number("assessNumber")},
                       {QStringLiteral("status"), status},
                       {QStringLiteral("reply"), item.value(QLatin1String("reformContent")).toString()},
                       {QStringLiteral("replyDept"), item.value(QLatin1String("reformDept")).toString()},
                       {QStringLiteral("replyTime"), when.isValid() ? when.toString(Qt::ISODate) : QString()}};
}

void UpstreamService::pullNow()
{
    if (m_pulling)
        return;
    m_pulling = true;
    m_lastPullError.clear();
    pullIndicators();
}

void UpstreamService::pullIndicators()
{
    const QString known = m_outbox.meta(QString::fromLatin1(kIndicatorVersionKey));
    m_client->pull(m_profile.normPath, QJsonObject{{QStringLiteral("evaVersion"), known}},
                   [this, known](const ProvinceClient::Outcome &o) {
        if (!o.ok) {
            m_lastPullError = QStringLiteral("getnorm: ") + o.error;
            pullRectifications();
            return;
        }
        QString error;
        const QJsonObject set = indicatorSetFromNorms(o.data, &error);
        if (set.isEmpty()) {
            m_lastPullError = QStringLiteral("getnorm: ") + error;
        } else if (set.value(QLatin1String("version")).toString() != known) {
            // Merge into the stored default document: the indicator set is one member of it.
            // (Reading needs no signing key.)
            const auto current = ConfigPublisher(m_store, {}).latest(QStringLiteral("default"));
            QJsonObject document = current ? current->document : QJsonObject();
            document.insert(QStringLiteral("indicators"), set);
            if (m_configWriter(QStringLiteral("default"), document, &error)) {
                m_outbox.setMeta(QString::fromLatin1(kIndicatorVersionKey), set.value(QLatin1String("version")).toString());
                qCInfo(lcUpstream) << "indicator set" << set.value(QLatin1String("version")).toString() << "published";
            } else {
                m_lastPullError = QStringLiteral("config write: ") + error;
            }
        }
        pullRectifications();
    });
}

void UpstreamService::pullRectifications()
{
    if (!m_rectificationSink) {
        finishPull(m_lastPullError);
        return;
    }
    const QString cursor = m_outbox.meta(QString::fromLatin1(kRectificationCursorKey));
    m_client->pull(m_profile.rectificationPath, QJsonObject{{QStringLiteral("cursor"), cursor}},
                   [this](const ProvinceClient::Outcome &o) {
        if (!o.ok) {
            finishPull(m_lastPullError.isEmpty() ? QStringLiteral("rectifications: ") + o.error : m_lastPullError);
            return;
        }
        QString failure;
        int stored = 0;
        for (const QJsonValue &v : o.data.value(QLatin1String("items")).toArray()) {
            QString error;
            const QJsonObject r = rectificationFromProvince(v.toObject(), m_profile, &error);
            if (r.isEmpty()) {
                qCWarning(lcUpstream) << "skipping rectification:" << error;
                continue;
            }
            if (!m_rectificationSink(r, &error)) {
                failure = QStringLiteral("rectification store: ") + error;
                break;
            }
            ++stored;
        }
        // The cursor advances only when every item was stored (upserts make a re-pull harmless).
        const QString next = o.data.value(QLatin1String("cursor")).toVariant().toString();
        if (failure.isEmpty() && !next.isEmpty())
            m_outbox.setMeta(QString::fromLatin1(kRectificationCursorKey), next);
        qCInfo(lcUpstream) << stored << "rectifications stored";
        finishPull(!failure.isEmpty() ? failure : m_lastPullError);
    });
}

void UpstreamService::finishPull(const QString &error)
{
    m_pulling = false;
    m_lastPullError = error;
    m_lastPullAtMs = nowMs();
    emit pullFinished(error.isEmpty(), error);
}

QJsonObject UpstreamService::status(int deadLetterLimit)
{
    QJsonObject s{
        {QStringLiteral("profile"), m_profile.name},
        {QStringLiteral("endpoint"), m_profile.endpoint.toString()},
        {QStringLiteral("counts"), m_outbox.counts()},
        {QStringLiteral("deadLetters"), m_outbox.deadLetters(deadLetterLimit)},
        {QStringLiteral("lastError"), m_lastError},
        {QStringLiteral("consecutiveFailures"), m_failures},
        {QStringLiteral("backoffUntilMs"), m_backoffUntilMs},
        {QStringLiteral("pull"), QJsonObject{{QStringLiteral("indicatorVersion"),
                                              m_outbox.meta(QString::fromLatin1(kIndicatorVersionKey))},
                                             {QStringLiteral("rectificationCursor"),
                                              m_outbox.meta(QString::fromLatin1(kRectificationCursorKey))},
                                             {QStringLiteral("lastPullAtMs"), m_lastPullAtMs},
                                             {QStringLiteral("error"), m_lastPullError}}},
    };
    s.insert(QStringLiteral("lastSuccessAtMs"), m_lastSuccessAtMs);
    s.insert(QStringLiteral("grievance"), QJsonObject{{QStringLiteral("counts"), m_grievance.counts()},
                                                      {QStringLiteral("deadLetters"), m_grievance.deadLetters(deadLetterLimit)}});
    return s;
}

int UpstreamService::requeue(const QList<qint64> &ids, QString *error)
{
    const int n = m_outbox.requeue(ids, nowMs());
    if (n < 0) {
        if (error)
            *error = m_outbox.lastError();
        return -1;
    }
    kick();
    return n;
}

int UpstreamService::requeueGrievance(const QList<qint64> &ids, QString *error)
{
    const int n = m_grievance.requeue(ids, nowMs());
    if (n < 0) {
        if (error)
            *error = m_grievance.lastError();
        return -1;
    }
    kick();
    return n;
}

QHttpServerResponse UpstreamService::adminRequest(const QHttpServerRequest &request)
{
    using Status = QHttpServerResponse::StatusCode;
    const QUrlQuery q = request.query();
    if (request.method() == QHttpServerRequest::Method::Get) {
        QJsonObject s = status(q.hasQueryItem(QStringLiteral("deadLimit"))
                                   ? qBound(1, q.queryItemValue(QStringLiteral("deadLimit")).toInt(), 10000) : 200);
        if (q.hasQueryItem(QStringLiteral("afterId"))) {
            const int limit = q.hasQueryItem(QStringLiteral("limit"))
                ? qBound(1, q.queryItemValue(QStringLiteral("limit")).toInt(), 10000) : 1000;
            qint64 next = 0;
            s.insert(QStringLiteral("records"),
                     m_outbox.records(q.queryItemValue(QStringLiteral("afterId")).toLongLong(), limit, &next));
            s.insert(QStringLiteral("nextAfterId"), next);
        }
        return QHttpServerResponse(s);
    }
    QJsonObject body;
    if (!http::parseObject(request.body(), &body))
        return http::error(Status::BadRequest, QStringLiteral("bad_request"),
                           QStringLiteral("body is not a JSON object (or names a key twice)"));
    for (const char *member : {"requeue", "requeueGrievance"}) {
        if (!body.contains(QLatin1String(member)))
            continue;
        QList<qint64> ids;
        const QJsonValue v = body.value(QLatin1String(member));
        if (v.isArray()) {
            for (const QJsonValue &id : v.toArray())
                ids.append(id.toInteger());
            if (ids.isEmpty())
                return http::error(Status::BadRequest, QStringLiteral("bad_request"),
                                   QStringLiteral("%1 lists no ids").arg(QLatin1String(member)));
        } else if (v != QJsonValue(QStringLiteral("all"))) {
            return http::error(Status::BadRequest, QStringLiteral("bad_request"),
                               QStringLiteral("%1 is \"all\" or a list of ids").arg(QLatin1String(member)));
        }
        QString error;
        const int n = qstrcmp(member, "requeue") == 0 ? requeue(ids, &error) : requeueGrievance(ids, &error);
        if (n < 0)
            return http::error(Status::InternalServerError, QStringLiteral("internal"), error);
        return QHttpServerResponse(QJsonObject{{QStringLiteral("requeued"), n}});
    }
    if (body.value(QLatin1String("pull")).toBool()) {
        pullNow();
        return QHttpServerResponse(QJsonObject{{QStringLiteral("pulling"), true}}, Status::Accepted);
    }
    return http::error(Status::BadRequest, QStringLiteral("bad_request"),
                       QStringLiteral("POST {\"requeue\"|\"requeueGrievance\":\"all\"|[ids]} or {\"pull\":true}"));
}

} // namespace hcp::sync::hub::upstream

// SPDX-License-Identifier: Apache-2.0
#include "alertwebhook.h"

#include "hubstore.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>

Q_LOGGING_CATEGORY(lcAlertWebhook, "hcp.sync.hub.alertwebhook")

namespace hcp::sync::hub {

namespace {

constexpr qint64 kBackoffCapMs = 5 * 60 * 1000;

bool exec(QSqlQuery &q)
{
    if (q.exec())
        return true;
    qCWarning(lcAlertWebhook).noquote() << "database:" << q.lastError().text();
    return false;
}

} // namespace

AlertWebhook::AlertWebhook(QSqlDatabase db, bool postgres, Source source, Options options, QObject *parent)
    : QObject(parent)
    , m_db(std::move(db))
    , m_postgres(postgres)
    , m_source(std::move(source))
    , m_options(std::move(options))
    , m_network(new QNetworkAccessManager(this))
{
    m_timer.setInterval(qMax(50, m_options.intervalMs));
    connect(&m_timer, &QTimer::timeout, this, &AlertWebhook::tick);
}

AlertWebhook::~AlertWebhook() = default;

bool AlertWebhook::ensureSchema(QSqlDatabase &db, bool postgres, QString *error)
{
    const QString id = postgres ? QStringLiteral("id BIGSERIAL PRIMARY KEY") : QStringLiteral("id INTEGER PRIMARY KEY AUTOINCREMENT");
    return HubStore::execStatements(
        db,
        {QStringLiteral("CREATE TABLE IF NOT EXISTS alert_webhook_state (key TEXT PRIMARY KEY, raised_at BIGINT NOT NULL, "
                        "cleared_at BIGINT, alert TEXT NOT NULL)"),
         QStringLiteral("CREATE TABLE IF NOT EXISTS alert_webhook_outbox (%1, created_at BIGINT NOT NULL, body TEXT NOT NULL, "
                        "attempts INTEGER NOT NULL DEFAULT 0, next_at BIGINT NOT NULL DEFAULT 0, lease_until BIGINT NOT NULL "
                        "DEFAULT 0, delivered_at BIGINT, last_error TEXT)")
             .arg(id),
         QStringLiteral("CREATE INDEX IF NOT EXISTS alert_webhook_pending ON alert_webhook_outbox (delivered_at, id)")},
        error);
}

QString AlertWebhook::keyOf(const QJsonObject &alert)
{
    const qint64 id = alert.value(QLatin1String("id")).toInteger();
    const QString kind = alert.value(QLatin1String("kind")).toString();
    const QString device = alert.value(QLatin1String("deviceId")).toString();
    return id > 0 ? QStringLiteral("stored:%1").arg(id) : QStringLiteral("%1:%2").arg(kind, device);
}

void AlertWebhook::start()
{
    m_timer.start();
    tick();
}

void AlertWebhook::tick()
{
    compare(QDateTime::currentMSecsSinceEpoch());
    deliverNext();
}

bool AlertWebhook::enqueue(const QString &event, const QJsonObject &alert, qint64 nowMs)
{
    const QJsonObject doc{{QStringLiteral("event"), event},
                          {QStringLiteral("atMs"), nowMs},
                          {QStringLiteral("hub"), m_options.hubName},
                          {QStringLiteral("alert"), alert}};
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("INSERT INTO alert_webhook_outbox (created_at, body) VALUES (?, ?)"));
    q.addBindValue(nowMs);
    q.addBindValue(QString::fromUtf8(QJsonDocument(doc).toJson(QJsonDocument::Compact)));
    return exec(q);
}

void AlertWebhook::compare(qint64 nowMs)
{
    QHash<QString, QJsonObject> current;
    for (const QJsonValue &v : m_source(nowMs)) {
        const QJsonObject a = v.toObject();
        current.insert(keyOf(a), a);
    }
    // Raised: new, or back after it had cleared. The conditional upsert is the claim: of several
    // hubs only the one whose statement changed the row sends the event.
    for (auto it = current.constBegin(); it != current.constEnd(); ++it) {
        if (!m_db.transaction())
            return;
        QSqlQuery claim(m_db);
        claim.prepare(QStringLiteral("INSERT INTO alert_webhook_state (key, raised_at, cleared_at, alert) VALUES (?, ?, NULL, ?) "
                                     "ON CONFLICT (key) DO UPDATE SET raised_at = excluded.raised_at, cleared_at = NULL, "
                                     "alert = excluded.alert WHERE alert_webhook_state.cleared_at IS NOT NULL"));
        claim.addBindValue(it.key());
        claim.addBindValue(nowMs);
        claim.addBindValue(QString::fromUtf8(QJsonDocument(*it).toJson(QJsonDocument::Compact)));
        const bool ok = exec(claim) && (claim.numRowsAffected() != 1 || enqueue(QStringLiteral("raised"), *it, nowMs));
        if (!ok || !m_db.commit()) {
            m_db.rollback();
            return;
        }
    }
    // Cleared: raised before and gone now.
    QSqlQuery open(m_db);
    if (!open.exec(QStringLiteral("SELECT key, alert FROM alert_webhook_state WHERE cleared_at IS NULL")))
        return;
    QList<QPair<QString, QJsonObject>> gone;
    while (open.next())
        if (!current.contains(open.value(0).toString()))
            gone.append({open.value(0).toString(), QJsonDocument::fromJson(open.value(1).toString().toUtf8()).object()});
    open.finish();
    for (const auto &[key, alert] : std::as_const(gone)) {
        if (!m_db.transaction())
            return;
        QSqlQuery claim(m_db);
        claim.prepare(QStringLiteral("UPDATE alert_webhook_state SET cleared_at = ? WHERE key = ? AND cleared_at IS NULL"));
        claim.addBindValue(nowMs);
        claim.addBindValue(key);
        const bool ok = exec(claim) && (claim.numRowsAffected() != 1 || enqueue(QStringLiteral("cleared"), alert, nowMs));
        if (!ok || !m_db.commit()) {
            m_db.rollback();
            return;
        }
    }
}

void AlertWebhook::deliverNext()
{
    if (m_sending || !m_options.url.isValid())
        return;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    // In order: only the oldest undelivered event goes, when its backoff and any other hub's
    // lease on it have run out.
    QSqlQuery next(m_db);
    if (!next.exec(QStringLiteral("SELECT id, body, attempts, next_at, lease_until FROM alert_webhook_outbox "
                                  "WHERE delivered_at IS NULL ORDER BY id LIMIT 1"))
        || !next.next())
        return;
    const qint64 id = next.value(0).toLongLong();
    const QByteArray body = next.value(1).toString().toUtf8();
    const int attempts = next.value(2).toInt();
    if (next.value(3).toLongLong() > now || next.value(4).toLongLong() > now)
        return;
    next.finish();
    QSqlQuery lease(m_db);
    lease.prepare(QStringLiteral("UPDATE alert_webhook_outbox SET lease_until = ? WHERE id = ? AND delivered_at IS NULL "
                                 "AND lease_until <= ?"));
    lease.addBindValue(now + m_options.timeoutMs + 5000);
    lease.addBindValue(id);
    lease.addBindValue(now);
    if (!exec(lease) || lease.numRowsAffected() != 1)
        return; // another hub is sending it

    QNetworkRequest request(m_options.url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json; charset=utf-8"));
    request.setRawHeader("X-HCP-Event-Id", QByteArray::number(id)); // receivers may dedupe on it
    request.setTransferTimeout(m_options.timeoutMs);
    m_sending = true;
    QNetworkReply *reply = m_network->post(request, body);
    QPointer<AlertWebhook> self(this);
    connect(reply, &QNetworkReply::finished, this, [this, self, reply, id, attempts] {
        reply->deleteLater();
        if (!self)
            return;
        m_sending = false;
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        QSqlQuery done(m_db);
        if (status >= 200 && status < 300) {
            done.prepare(QStringLiteral("UPDATE alert_webhook_outbox SET delivered_at = ?, attempts = ? WHERE id = ?"));
            done.addBindValue(now);
            done.addBindValue(attempts + 1);
            done.addBindValue(id);
            if (exec(done)) {
                emit delivered(id);
                deliverNext();
            }
            return;
        }
        const QString why = status ? QStringLiteral("HTTP %1").arg(status) : reply->errorString();
        const qint64 backoff = qMin(kBackoffCapMs, qint64(1000) << qMin(attempts, 16));
        qCWarning(lcAlertWebhook).noquote() << "alert event" << id << "not delivered to" << m_options.url.toString() << ":"
                                            << why << "- again in" << backoff / 1000 << "s";
        done.prepare(QStringLiteral("UPDATE alert_webhook_outbox SET attempts = ?, next_at = ?, lease_until = 0, "
                                    "last_error = ? WHERE id = ?"));
        done.addBindValue(attempts + 1);
        done.addBindValue(now + backoff);
        done.addBindValue(why.left(200));
        done.addBindValue(id);
        exec(done);
    });
}

} // namespace hcp::sync::hub

// SPDX-License-Identifier: Apache-2.0
#include "reenrollments.h"

#include "crypto.h"
#include "fleetstore.h"
#include "guard/inputchecks.h"
#include "http/http.h"
#include "hubserver.h"
#include "hubstore.h"
#include "ledgercheck.h"

#include <QDateTime>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QSqlError>
#include <QSqlQuery>
#include <QUrlQuery>

Q_LOGGING_CATEGORY(lcReEnroll, "hcp.sync.hub.enroll")

namespace hcp::sync::hub::enrollment {

namespace {

using Status = QHttpServerResponse::StatusCode;

} // namespace

ReEnrollments::ReEnrollments(HubStore *store, LedgerCheck *ledger)
    : m_store(store)
    , m_ledger(ledger)
{
}

bool ReEnrollments::ensureSchema(QSqlDatabase &db, bool postgres, QString *error)
{
    const QString id = postgres ? QStringLiteral("id BIGSERIAL PRIMARY KEY")
                                : QStringLiteral("id INTEGER PRIMARY KEY AUTOINCREMENT");
    return HubStore::execStatements(
        db,
        {QStringLiteral("CREATE TABLE IF NOT EXISTS reenroll_requests (%1, device_id TEXT NOT NULL, "
                        "fingerprint TEXT NOT NULL, public_key TEXT NOT NULL, hall_code TEXT NOT NULL, "
                        "state TEXT NOT NULL, requested_at BIGINT NOT NULL, attempts BIGINT NOT NULL DEFAULT 1, "
                        "decided_by TEXT, decided_at BIGINT, completed_at BIGINT, UNIQUE (device_id, fingerprint))")
             .arg(id)},
        error);
}

ReEnrollments::Outcome ReEnrollments::request(const QString &deviceId, const QByteArray &publicKeyPem,
                                              const QString &fingerprint, const QString &hallCode, QByteArray *secret,
                                              qint64 *requestId)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QSqlQuery q(m_store->database());
    q.prepare(QStringLiteral("SELECT id, state FROM reenroll_requests WHERE device_id = ? AND fingerprint = ?"));
    q.addBindValue(deviceId);
    q.addBindValue(fingerprint);
    if (!q.exec()) {
        m_lastError = q.lastError().text();
        return Outcome::Failed;
    }
    const bool known = q.next();
    const qint64 knownId = known ? q.value(0).toLongLong() : 0;
    const QString state = known ? q.value(1).toString() : QString();
    q.finish();
    if (!known) {
        QSqlQuery insert(m_store->database());
        insert.prepare(QStringLiteral("INSERT INTO reenroll_requests (device_id, fingerprint, public_key, hall_code, "
                                      "state, requested_at) VALUES (?, ?, ?, ?, 'pending', ?) RETURNING id"));
        insert.addBindValue(deviceId);
        insert.addBindValue(fingerprint);
        insert.addBindValue(QString::fromLatin1(publicKeyPem));
        insert.addBindValue(hallCode);
        insert.addBindValue(now);
        if (!insert.exec() || !insert.next()) {
            m_lastError = insert.lastError().text();
            return Outcome::Failed;
        }
        *requestId = insert.value(0).toLongLong();
        insert.finish(); // SQLite: no statement may be in progress when the alert commits
        const QJsonObject evidence{{QStringLiteral("requestId"), *requestId},
                                   {QStringLiteral("deviceId"), deviceId},
                                   {QStringLiteral("offeredFingerprint"), fingerprint},
                                   {QStringLiteral("hallCode"), hallCode}};
        if (!m_ledger->raiseAlert(deviceId, QStringLiteral("reenroll-requested"), 0, fingerprint,
                                  QStringLiteral("re-enrollment %1 with key %2 waits for an admin's approval")
                                      .arg(*requestId)
                                      .arg(fingerprint),
                                  QStringLiteral("enroll"), QJsonDocument(evidence).toJson(QJsonDocument::Compact))) {
            m_lastError = QStringLiteral("cannot raise reenroll-requested");
            return Outcome::Failed;
        }
        qCWarning(lcReEnroll).noquote() << "re-enrollment" << *requestId << "of" << deviceId << "with key"
                                        << fingerprint << "waits for approval";
        return Outcome::Pending;
    }
    *requestId = knownId;
    QSqlQuery count(m_store->database());
    count.prepare(QStringLiteral("UPDATE reenroll_requests SET attempts = attempts + 1 WHERE id = ?"));
    count.addBindValue(*requestId);
    count.exec();
    if (state == QLatin1String("pending"))
        return Outcome::Pending;
    if (state == QLatin1String("rejected"))
        return Outcome::Rejected;
    if (state == QLatin1String("approved"))
        return complete(*requestId, deviceId, publicKeyPem, fingerprint, secret) ? Outcome::Completed : Outcome::Failed;
    // "completed" and still asked: the key was replaced since (another approved re-enrollment).
    return Outcome::Rejected;
}

bool ReEnrollments::complete(qint64 id, const QString &deviceId, const QByteArray &publicKeyPem,
                             const QString &fingerprint, QByteArray *secret)
{
    const trust::Key key = trust::Key::fromPem(publicKeyPem);
    const QByteArray random = trust::Crypto::randomBytes(32);
    if (key.isNull() || random.size() != 32) {
        m_lastError = QStringLiteral("no key or no random bytes");
        return false;
    }
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const qint64 oldSeq = m_ledger->knownSeq(deviceId);
    QSqlDatabase &db = m_store->database();
    if (!db.transaction()) {
        m_lastError = db.lastError().text();
        return false;
    }
    const QString archive = QStringLiteral("reenrolled:%1:").arg(id);
    const QList<std::pair<QString, QVariantList>> steps{
        {QStringLiteral("UPDATE device_keys SET key_type = ?, public_key = ?, fingerprint = ?, registered_at = ? "
                        "WHERE device_id = ?"),
         {key.type() == trust::KeyType::Sm2 ? QStringLiteral("sm2") : QStringLiteral("ed25519"),
          QString::fromLatin1(key.publicPem()), fingerprint, now, deviceId}},
        {QStringLiteral("UPDATE devices SET secret = ? WHERE device_id = ?"),
         {QString::fromLatin1(random.toHex()), deviceId}},
        // The old key's chains are kept as they were, under another name: the new key starts its own.
        {QStringLiteral("UPDATE ledger_heads SET device_id = ? || device_id WHERE device_id = ? OR device_id LIKE ?"),
         {archive, deviceId, deviceId + QStringLiteral("/%")}},
        {QStringLiteral("UPDATE ledger_entries SET device_id = ? || device_id WHERE device_id = ? OR device_id LIKE ?"),
         {archive, deviceId, deviceId + QStringLiteral("/%")}},
        {QStringLiteral("UPDATE reenroll_requests SET state = 'completed', completed_at = ? WHERE id = ?"), {now, id}},
    };
    for (const auto &[sql, binds] : steps) {
        QSqlQuery q(db);
        q.prepare(sql);
        for (const QVariant &v : binds)
            q.addBindValue(v);
        if (!q.exec()) {
            m_lastError = q.lastError().text();
            db.rollback();
            return false;
        }
    }
    if (!db.commit()) {
        m_lastError = db.lastError().text();
        db.rollback();
        return false;
    }
    m_ledger->forgetKey(deviceId);
    *secret = random;
    const QJsonObject evidence{{QStringLiteral("requestId"), id},
                               {QStringLiteral("fingerprint"), fingerprint},
                               {QStringLiteral("archivedChain"), archive + deviceId},
                               {QStringLiteral("archivedKnownSeq"), oldSeq}};
    m_ledger->raiseAlert(deviceId, QStringLiteral("reenrolled"), 0, fingerprint,
                         QStringLiteral("re-enrollment %1 completed with key %2; the old chain (verified up to seq %3) "
                                        "is kept as %4")
                             .arg(id)
                             .arg(fingerprint)
                             .arg(oldSeq)
                             .arg(archive + deviceId),
                         QStringLiteral("enroll"), QJsonDocument(evidence).toJson(QJsonDocument::Compact));
    qCWarning(lcReEnroll).noquote() << "re-enrollment" << id << "of" << deviceId << "completed; key" << fingerprint;
    return true;
}

int ReEnrollments::decide(qint64 id, bool approve, const QString &user, QString *message)
{
    QSqlQuery q(m_store->database());
    q.prepare(QStringLiteral("UPDATE reenroll_requests SET state = ?, decided_by = ?, decided_at = ? "
                             "WHERE id = ? AND state = 'pending'"));
    q.addBindValue(approve ? QStringLiteral("approved") : QStringLiteral("rejected"));
    q.addBindValue(user);
    q.addBindValue(QDateTime::currentMSecsSinceEpoch());
    q.addBindValue(id);
    if (!q.exec()) {
        *message = m_lastError = q.lastError().text();
        return 500;
    }
    if (q.numRowsAffected() != 1) {
        QSqlQuery exists(m_store->database());
        exists.prepare(QStringLiteral("SELECT state FROM reenroll_requests WHERE id = ?"));
        exists.addBindValue(id);
        if (exists.exec() && exists.next()) {
            *message = QStringLiteral("已处理（%1）").arg(exists.value(0).toString());
            return 409;
        }
        *message = QStringLiteral("没有这个重新登记申请");
        return 404;
    }
    qCWarning(lcReEnroll).noquote() << "re-enrollment" << id << (approve ? "approved" : "rejected") << "by" << user;
    return 200;
}

QJsonArray ReEnrollments::list(const QString &state)
{
    QJsonArray out;
    QSqlQuery q(m_store->database());
    q.prepare(QStringLiteral("SELECT id, device_id, fingerprint, hall_code, state, requested_at, attempts, decided_by, "
                             "decided_at, completed_at FROM reenroll_requests WHERE ? = '' OR state = ? ORDER BY id DESC"));
    const QString wanted = state.isEmpty() ? QStringLiteral("") : state; // a null QString binds as NULL
    q.addBindValue(wanted);
    q.addBindValue(wanted);
    if (!q.exec())
        return out;
    auto optional = [&](int i) { return q.value(i).isNull() ? QJsonValue() : QJsonValue(q.value(i).toJsonValue()); };
    while (q.next())
        out.append(QJsonObject{{QStringLiteral("id"), q.value(0).toLongLong()},
                               {QStringLiteral("deviceId"), q.value(1).toString()},
                               {QStringLiteral("fingerprint"), q.value(2).toString()},
                               {QStringLiteral("hallCode"), q.value(3).toString()},
                               {QStringLiteral("state"), q.value(4).toString()},
                               {QStringLiteral("requestedAtMs"), q.value(5).toLongLong()},
                               {QStringLiteral("attempts"), q.value(6).toLongLong()},
                               {QStringLiteral("decidedBy"), optional(7)},
                               {QStringLiteral("decidedAtMs"), optional(8)},
                               {QStringLiteral("completedAtMs"), optional(9)}});
    return out;
}

QHttpServerResponse ReEnrollments::console(const QString &user, bool admin, bool viewer, const QStringList &parts,
                                           const QHttpServerRequest &request)
{
    const bool post = request.method() == QHttpServerRequest::Method::Post;
    if (!viewer)
        return http::error(Status::Forbidden, QStringLiteral("forbidden"), QStringLiteral("需要查看权限"));
    if (!post && parts.size() == 1)
        return QHttpServerResponse(QJsonObject{
            {QStringLiteral("reenrollments"), list(QUrlQuery(request.query()).queryItemValue(QStringLiteral("state")))}});
    bool idOk = false;
    const qint64 id = parts.value(1).toLongLong(&idOk);
    const QString action = parts.value(2);
    if (!post || parts.size() != 3 || !idOk
        || (action != QLatin1String("approve") && action != QLatin1String("reject")))
        return http::error(Status::NotFound, QStringLiteral("not_found"), QStringLiteral("no such request"));
    if (!admin)
        return http::error(Status::Forbidden, QStringLiteral("forbidden"), QStringLiteral("需要管理员权限"));
    QString message;
    const int status = decide(id, action == QLatin1String("approve"), user, &message);
    if (status != 200)
        return http::error(Status(status), status == 404 ? QStringLiteral("not_found")
                                      : status == 409 ? QStringLiteral("already_decided")
                                                      : QStringLiteral("internal"),
                       message);
    return QHttpServerResponse(QJsonObject{{QStringLiteral("id"), id},
                                           {QStringLiteral("state"), action == QLatin1String("approve")
                                                ? QStringLiteral("approved") : QStringLiteral("rejected")},
                                           {QStringLiteral("decidedBy"), user}});
}

void ReEnrollments::install(HubServer &server)
{
    server.fleet().addConsoleHandler(
        QStringLiteral("reenrollments"),
        [this](const FleetStore::Session &s, const QStringList &parts, const QHttpServerRequest &r) {
            return console(s.user, s.role == FleetStore::Role::Admin, int(s.role) >= int(FleetStore::Role::Viewer),
                           parts, r);
        });
    // A pending request stays in the console's alert list until an admin decides it.
    server.fleet().addAlertSource([this](qint64) {
        QJsonArray out;
        for (const QJsonValue &v : list(QStringLiteral("pending"))) {
            const QJsonObject r = v.toObject();
            out.append(QJsonObject{{QStringLiteral("id"), 0},
                                   {QStringLiteral("atMs"), r.value(QLatin1String("requestedAtMs"))},
                                   {QStringLiteral("severity"), QStringLiteral("critical")},
                                   {QStringLiteral("kind"), QStringLiteral("reenroll")},
                                   {QStringLiteral("deviceId"), r.value(QLatin1String("deviceId"))},
                                   {QStringLiteral("requestId"), r.value(QLatin1String("id"))},
                                   {QStringLiteral("message"),
                                    QStringLiteral("终端用新密钥申请重新登记（申请 %1，第 %2 次），请核实现场后在“重新登记”页批准或拒绝")
                                        .arg(r.value(QLatin1String("id")).toInteger())
                                        .arg(r.value(QLatin1String("attempts")).toInteger())}});
        }
        return out;
    });
    // The admin token: GET lists; POST {"id","decision":"approve|reject"} decides as "admin-token".
    server.addAdminHandler(QStringLiteral("reenrollments"), [this](const QHttpServerRequest &r) {
        if (r.method() != QHttpServerRequest::Method::Post)
            return QHttpServerResponse(QJsonObject{
                {QStringLiteral("reenrollments"), list(QUrlQuery(r.query()).queryItemValue(QStringLiteral("state")))}});
        QJsonObject body;
        guard::parseStrictObject(r.body(), &body); // a key twice is refused (PROTOCOL §1a): no id then
        const QString decision = body.value(QLatin1String("decision")).toString();
        if (!body.value(QLatin1String("id")).isDouble()
            || (decision != QLatin1String("approve") && decision != QLatin1String("reject")))
            return http::error(Status::BadRequest, QStringLiteral("bad_request"),
                           QStringLiteral("give {\"id\":n,\"decision\":\"approve|reject\"}"));
        QStringList parts{QStringLiteral("reenrollments"), QString::number(body.value(QLatin1String("id")).toInteger()),
                          decision};
        return console(QStringLiteral("admin-token"), true, true, parts, r);
    });
}

} // namespace hcp::sync::hub::enrollment

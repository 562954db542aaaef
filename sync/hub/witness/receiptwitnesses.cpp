// SPDX-License-Identifier: Apache-2.0
#include "receiptwitnesses.h"

#include "http/http.h"
#include "ledgercheck.h"
#include "receiptwitness.h"

#include <QDateTime>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QSqlError>
#include <QSqlQuery>

Q_LOGGING_CATEGORY(lcWitness, "hcp.sync.hub.witness")

namespace hcp::sync::hub {

namespace {

using Status = QHttpServerResponse::StatusCode;

QString verdictName(ReceiptWitnesses::Verdict v)
{
    switch (v) {
    case ReceiptWitnesses::Verdict::Delivered: return QStringLiteral("delivered");
    case ReceiptWitnesses::Verdict::Missing: return QStringLiteral("missing");
    case ReceiptWitnesses::Verdict::Pending: return QStringLiteral("pending");
    case ReceiptWitnesses::Verdict::Failed: break;
    }
    return QStringLiteral("failed");
}

} // namespace

ReceiptWitnesses::ReceiptWitnesses(HubStore *store, LedgerCheck *ledger)
    : m_store(store)
    , m_ledger(ledger)
{
}

bool ReceiptWitnesses::createTables(QSqlDatabase &db, QString *error)
{
    const QStringList schema{
        QStringLiteral("CREATE TABLE IF NOT EXISTS receipt_witnesses (device_id TEXT NOT NULL, device_seq BIGINT NOT NULL, "
                       "uuid TEXT NOT NULL, signature TEXT NOT NULL, reported_by TEXT NOT NULL, reported_at BIGINT NOT NULL, "
                       "state TEXT NOT NULL, PRIMARY KEY (device_id, uuid))"),
    };
    return HubStore::execStatements(db, schema, error);
}

bool ReceiptWitnesses::install(QHttpServer &http, DeviceAuth deviceAuth, QString *error)
{
    if (!createTables(m_store->database(), error))
        return false;

    http.route(QStringLiteral("/v1/receipts/witness"), QHttpServerRequest::Method::Post,
               [this, deviceAuth](const QHttpServerRequest &request) {
                   const auto reporter = deviceAuth(request);
                   if (!reporter)
                       return http::error(Status::Unauthorized, QStringLiteral("unauthenticated"),
                                    QStringLiteral("device authentication failed"));
                   QJsonObject body;
                   const bool parsed = http::parseObject(request.body(), &body);
                   trust::ReceiptWitness w{body.value(QLatin1String("deviceId")).toString(),
                                           quint64(qMax<qint64>(0, body.value(QLatin1String("deviceSeq")).toInteger())),
                                           body.value(QLatin1String("uuid")).toString(),
                                           trust::ReceiptWitness::signatureFromText(
                                               body.value(QLatin1String("signature")).toString())};
                   if (!parsed || !w.isValid() || w.deviceId.size() > 64 || w.uuid.size() > 64)
                       return http::error(Status::BadRequest, QStringLiteral("bad_request"),
                                    QStringLiteral("expected {\"deviceId\",\"deviceSeq\",\"uuid\",\"signature\"}"));
                   const auto issuer = m_ledger->deviceKey(w.deviceId);
                   if (!issuer)
                       return http::error(Status::NotFound, QStringLiteral("unknown_device"),
                                    QStringLiteral("no device key registered for %1").arg(w.deviceId));
                   if (!w.verify(issuer->key))
                       return http::error(Status::UnprocessableEntity, QStringLiteral("bad_signature"),
                                    QStringLiteral("the receipt is not signed by %1").arg(w.deviceId));
                   QSqlQuery q(m_store->database());
                   q.prepare(QStringLiteral("INSERT INTO receipt_witnesses (device_id, device_seq, uuid, signature, reported_by, "
                                            "reported_at, state) VALUES (?, ?, ?, ?, ?, ?, 'pending') ON CONFLICT DO NOTHING"));
                   q.addBindValue(w.deviceId);
                   q.addBindValue(qint64(w.deviceSeq));
                   q.addBindValue(w.uuid);
                   q.addBindValue(w.signatureText());
                   q.addBindValue(reporter->deviceId);
                   q.addBindValue(QDateTime::currentMSecsSinceEpoch());
                   if (!q.exec())
                       return http::error(Status::InternalServerError, QStringLiteral("internal"), q.lastError().text());
                   const Verdict v = decide(w.deviceId, qint64(w.deviceSeq), w.uuid, reporter->deviceId);
                   if (v == Verdict::Failed)
                       return http::error(Status::InternalServerError, QStringLiteral("internal"), m_store->lastError());
                   return QHttpServerResponse(QJsonObject{{QStringLiteral("status"), verdictName(v)}});
               });
    return true;
}

ReceiptWitnesses::Verdict ReceiptWitnesses::decide(const QString &deviceId, qint64 seq, const QString &uuid,
                                                   const QString &reporter)
{
    QSqlDatabase db = m_store->database();
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT (SELECT COUNT(*) FROM evaluations WHERE device_id = ? AND uuid = ?), "
                             "(SELECT COALESCE(MAX(device_seq), 0) FROM ledger_heads WHERE device_id = ?)"));
    q.addBindValue(deviceId);
    q.addBindValue(uuid);
    q.addBindValue(deviceId);
    if (!q.exec() || !q.next()) {
        qCWarning(lcWitness) << "witness lookup failed:" << q.lastError().text();
        return Verdict::Failed;
    }
    const bool delivered = q.value(0).toLongLong() > 0;
    const qint64 knownSeq = q.value(1).toLongLong();
    q.finish();
    const Verdict v = delivered ? Verdict::Delivered : knownSeq >= seq ? Verdict::Missing : Verdict::Pending;
    if (v == Verdict::Pending)
        return v;
    QSqlQuery up(db);
    up.prepare(QStringLiteral("UPDATE receipt_witnesses SET state = ? WHERE device_id = ? AND uuid = ?"));
    up.addBindValue(verdictName(v));
    up.addBindValue(deviceId);
    up.addBindValue(uuid);
    if (!up.exec())
        return Verdict::Failed;
    if (v == Verdict::Missing) {
        const QString evidence = QStringLiteral("a receipt of evaluation %1 (deviceSeq %2) signed by the device was scanned at %3;"
                                                " the hub's verified chain is at seq %4 and the evaluation never arrived")
                                     .arg(uuid).arg(seq).arg(reporter).arg(knownSeq);
        const QJsonObject body{{QStringLiteral("deviceId"), deviceId}, {QStringLiteral("deviceSeq"), seq},
                               {QStringLiteral("uuid"), uuid}, {QStringLiteral("reportedBy"), reporter}};
        if (!m_ledger->raiseAlert(deviceId, QStringLiteral("witnessed-missing"), seq, uuid, evidence,
                                  QStringLiteral("witness"), QJsonDocument(body).toJson(QJsonDocument::Compact)))
            return Verdict::Failed;
    }
    return v;
}

void ReceiptWitnesses::recheck(const QString &deviceId)
{
    QSqlQuery q(m_store->database());
    q.prepare(QStringLiteral("SELECT w.device_seq, w.uuid, w.reported_by FROM receipt_witnesses w "
                             "JOIN ledger_heads h ON h.device_id = w.device_id "
                             "WHERE w.device_id = ? AND w.state = 'pending' AND w.device_seq <= h.device_seq"));
    q.addBindValue(deviceId);
    if (!q.exec())
        return;
    QList<std::tuple<qint64, QString, QString>> due;
    while (q.next())
        due.append({q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toString()});
    q.finish();
    for (const auto &[seq, uuid, reporter] : due)
        decide(deviceId, seq, uuid, reporter);
}

} // namespace hcp::sync::hub

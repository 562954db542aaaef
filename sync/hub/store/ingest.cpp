// SPDX-License-Identifier: Apache-2.0
// HubStore: an evaluation batch in one transaction (PROTOCOL §4): duplicates, conflicts and
// sequence gaps, the 差评 case files and default ratings it touches.
#include "hubstore.h"

#include "../wire.h"
#include "evidence/ratingevidence.h"
#include "grievance/casefiles.h"
#include "grievance/defaultratings.h"
#include "grievance/grievanceservice.h"
#include "storeinternal.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>

namespace hcp::sync::hub {

namespace {

using storeinternal::compact;

} // namespace

bool HubStore::ingest(const Device &device, const QJsonArray &evaluations, const QList<QByteArray> &raw,
                      qint64 receivedAtMs, qint64 deviceTimeMs, QJsonArray *results)
{
    if (!m_db.transaction()) {
        m_lastError = m_db.lastError().text();
        return false;
    }
    if (!ingestInTransaction(device, evaluations, raw, receivedAtMs, deviceTimeMs, results)) {
        m_db.rollback();
        return false;
    }
    if (!m_db.commit()) {
        m_lastError = m_db.lastError().text();
        m_db.rollback();
        return false;
    }
    return true;
}

bool HubStore::ingestInTransaction(const Device &device, const QJsonArray &evaluations, const QList<QByteArray> &raw,
                                   qint64 receivedAtMs, qint64 deviceTimeMs, QJsonArray *results)
{
    QSqlQuery insert(m_db);
    insert.prepare(QStringLiteral("INSERT INTO evaluations (device_id, uuid, device_seq, project_no, satisfaction, "
                                  "assess_time, payload, fingerprint, received_at, device_time) "
                                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING"));
    QSqlQuery existing(m_db);
    existing.prepare(QStringLiteral("SELECT fingerprint, payload FROM evaluations WHERE device_id = ? AND uuid = ?"));
    QSqlQuery bump(m_db);
    bump.prepare(QStringLiteral("UPDATE evaluations SET duplicates = duplicates + 1 WHERE device_id = ? AND uuid = ?"));
    QSqlQuery problem(m_db);
    problem.prepare(QStringLiteral("INSERT INTO evaluation_problems (kind, device_id, uuid, device_seq, reason, "
                                   "payload, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)"));
    auto recordProblem = [&](const QString &kind, const QJsonObject &e, const QString &reason) {
        problem.bindValue(0, kind);
        problem.bindValue(1, device.deviceId);
        problem.bindValue(2, e.value(QLatin1String("uuid")).toString());
        problem.bindValue(3, e.value(QLatin1String("deviceSeq")).toInteger());
        problem.bindValue(4, reason);
        problem.bindValue(5, QString::fromUtf8(compact(e)));
        problem.bindValue(6, receivedAtMs);
        return exec(problem);
    };

    *results = QJsonArray();
    const bool useRaw = raw.size() == evaluations.size();
    for (qsizetype index = 0; index < evaluations.size(); ++index) {
        const QJsonValue value = evaluations.at(index);
        const QJsonObject e = value.toObject();
        const QString uuid = e.value(QLatin1String("uuid")).toString();
        QJsonObject result{{QStringLiteral("uuid"), uuid},
                           {QStringLiteral("deviceSeq"), e.value(QLatin1String("deviceSeq")).toInteger()}};
        const QString invalid = value.isObject() ? wire::validateEvaluation(e)
                                                 : QStringLiteral("not a JSON object");
        if (!invalid.isEmpty()) {
            if (!recordProblem(QStringLiteral("invalid"), e, invalid)) {
                return false;
            }
            result.insert(QStringLiteral("status"), QStringLiteral("invalid"));
            result.insert(QStringLiteral("reason"), invalid);
            results->append(result);
            continue;
        }
        existing.bindValue(0, device.deviceId);
        existing.bindValue(1, uuid);
        if (!exec(existing))
            return false;
        const bool stored = existing.next();
        existing.finish();
        auto refuse = [&](const QString &kind, const QString &stored, const QString &reason) {
            if (!recordProblem(kind, e, stored))
                return false;
            result.insert(QStringLiteral("status"), QStringLiteral("refused"));
            result.insert(QStringLiteral("reason"), reason);
            results->append(result);
            return true;
        };
        // A record the hub holds already is a replay or a conflict (below), whatever it says.
        // Otherwise 一事一评 and the window (PROTOCOL §4d): kept as evidence, refused.
        if (!stored) {
            bool failed = false;
            const auto finding = evidence::RatingEvidence::check(
                m_db, {device.deviceId, device.hallCode, device.deviceClass}, e, m_ratingWindowDays, receivedAtMs, &failed);
            if (failed) {
                m_lastError = QStringLiteral("rating evidence check failed");
                return false;
            }
            if (finding) {
                if (!refuse(finding->kind, finding->stored(), finding->reason))
                    return false;
                continue;
            }
        }
        // A first rating of a service event the hub already rated by default comes too late
        // (PROTOCOL §18.6): kept as evidence, refused with window_closed. A replay of a record
        // stored before the default still gets "duplicate" below.
        const int late = stored ? 0 : grievance::DefaultRatings::claimRated(m_db, e, receivedAtMs);
        if (late < 0) {
            m_lastError = QStringLiteral("default-rating claim failed");
            return false;
        }
        if (late == 1) {
            if (!refuse(QStringLiteral("late"), QStringLiteral("window_closed"), QStringLiteral("window_closed")))
                return false;
            continue;
        }
        const QByteArray payload = useRaw ? raw.at(index) : compact(e);
        const QString fp = QString::fromLatin1(
            QCryptographicHash::hash(payload, QCryptographicHash::Sha256).toHex());
        insert.bindValue(0, device.deviceId);
        insert.bindValue(1, uuid);
        insert.bindValue(2, e.value(QLatin1String("deviceSeq")).toInteger());
        insert.bindValue(3, e.value(QLatin1String("projectNo")).toString());
        insert.bindValue(4, e.value(QLatin1String("satisfaction")).toInt());
        insert.bindValue(5, e.value(QLatin1String("assessTime")).toString());
        insert.bindValue(6, QString::fromUtf8(payload));
        insert.bindValue(7, fp);
        insert.bindValue(8, receivedAtMs);
        insert.bindValue(9, deviceTimeMs);
        if (!exec(insert)) {
            return false;
        }
        if (insert.numRowsAffected() == 1) {
            // A 差评 opens its case file (and a 追评 counts as a 回访) in this same transaction.
            QSqlQuery idQuery(m_db);
            idQuery.prepare(QStringLiteral("SELECT id FROM evaluations WHERE device_id = ? AND uuid = ?"));
            idQuery.addBindValue(device.deviceId);
            idQuery.addBindValue(uuid);
            if (!exec(idQuery) || !idQuery.next())
                return false;
            grievance::CaseFiles files(m_db, grievance::GrievanceService::calendar());
            if (!files.onEvaluationStored(idQuery.value(0).toLongLong(), e, device.hallCode, receivedAtMs, &m_lastError))
                return false;
            result.insert(QStringLiteral("status"), QStringLiteral("accepted"));
            results->append(result);
            continue;
        }
        existing.bindValue(0, device.deviceId);
        existing.bindValue(1, uuid);
        if (!exec(existing)) {
            return false;
        }
        QString conflictReason;
        if (existing.next()) {
            // Same bytes, or the same JSON value sent with other formatting: a replay.
            if (existing.value(0).toString() == fp
                || QJsonDocument::fromJson(existing.value(1).toString().toUtf8()).object() == e) {
                existing.finish();
                bump.bindValue(0, device.deviceId);
                bump.bindValue(1, uuid);
                if (!exec(bump)) {
                    return false;
                }
                result.insert(QStringLiteral("status"), QStringLiteral("duplicate"));
                results->append(result);
                continue;
            }
            conflictReason = QStringLiteral("uuid already stored with other content");
        } else {
            conflictReason = QStringLiteral("deviceSeq %1 already used by another uuid")
                                 .arg(e.value(QLatin1String("deviceSeq")).toInteger());
        }
        existing.finish();
        if (!recordProblem(QStringLiteral("conflict"), e, conflictReason)) {
            return false;
        }
        result.insert(QStringLiteral("status"), QStringLiteral("conflict"));
        result.insert(QStringLiteral("reason"), conflictReason);
        results->append(result);
    }
    return true;
}

} // namespace hcp::sync::hub

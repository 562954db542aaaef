// SPDX-License-Identifier: Apache-2.0
// The anti-fraud rules (fraudmonitor.h lists what each looks for): one table entry per rule,
// applied in order to every evaluation the monitor indexes, and the flag and evidence storage
// they share.
#include "fraudmonitor.h"

#include "fraudsupport.h"
#include "hubstore.h"

#include <QDateTime>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>

namespace hcp::sync::hub {

namespace {

using fraud::compact;
using fraud::kDayMs;
using fraud::kMinuteMs;
using fraud::parseAssessTime;

struct Hit
{
    qint64 ms;
    QJsonObject evidence;
};

// The largest set of hits inside any window shorter than widthMs that contains atMs. hits are
// sorted by time. Returns [first, last] indexes; count = last - first + 1.
std::pair<int, int> densestWindow(const QList<Hit> &hits, qint64 widthMs, qint64 atMs)
{
    std::pair<int, int> best{0, -1};
    int lo = 0;
    for (int hi = 0; hi < hits.size(); ++hi) {
        while (hits.at(hi).ms - hits.at(lo).ms >= widthMs)
            ++lo;
        if (hits.at(lo).ms <= atMs && atMs <= hits.at(hi).ms && hi - lo > best.second - best.first)
            best = {lo, hi};
    }
    return best;
}

// Evidence objects as read by evidenceWhere, with their time taken out for the window search.
QList<Hit> toHits(const QJsonArray &a)
{
    QList<Hit> hits;
    for (const QJsonValue &v : a) {
        QJsonObject o = v.toObject();
        const qint64 ms = o.take(QStringLiteral("ms")).toInteger();
        hits.append({ms, o});
    }
    return hits;
}

QJsonArray slice(const QList<Hit> &hits, std::pair<int, int> w)
{
    QJsonArray out;
    for (int i = w.first; i <= w.second; ++i)
        out.append(hits.at(i).evidence);
    return out;
}

} // namespace

const QList<FraudMonitor::Rule> &FraudMonitor::rules()
{
    static const QList<Rule> table{
        {QStringLiteral("burst"), QStringLiteral("more than burstPerMinute evaluations from one kiosk in any 60 s"),
         &FraudMonitor::checkBurst},
        {QStringLiteral("applicant"),
         QStringLiteral("more than applicantMax evaluations of one applicant within applicantWindowDays"),
         &FraudMonitor::checkApplicant},
        {QStringLiteral("same_case"), QStringLiteral("one case (projectNo, serviceNumber, assessNumber) rated more than once"),
         &FraudMonitor::checkSameCase},
        {QStringLiteral("outside_hours"), QStringLiteral("an evaluation outside its hall's opening hours"),
         &FraudMonitor::checkOutsideHours},
        {QStringLiteral("assisted_share"),
         QStringLiteral("one agent assisted more than assistedShareMax of the hall's evaluations"),
         &FraudMonitor::checkAssistedShare},
    };
    return table;
}

bool FraudMonitor::applyRules(const Row &row)
{
    for (const Rule &rule : rules()) {
        if (!(this->*rule.check)(rule.kind, row))
            return false;
    }
    return true;
}

QJsonObject FraudMonitor::evidenceOf(const Row &row)
{
    return QJsonObject{{QStringLiteral("uuid"), row.uuid},
                       {QStringLiteral("deviceId"), row.deviceId},
                       {QStringLiteral("assessTime"), row.assessTime}};
}

bool FraudMonitor::checkBurst(const QString &kind, const Row &row)
{
    // The densest 60 s window of this kiosk that contains this evaluation.
    const qint64 t = row.assessMs;
    const qint64 nearby = countUpTo(QStringLiteral("device_id = ? AND assess_ms > ? AND assess_ms < ?"),
                                    {row.deviceId, t - kMinuteMs, t + kMinuteMs}, m_settings.burstPerMinute + 1);
    if (nearby < 0)
        return false;
    if (nearby <= m_settings.burstPerMinute)
        return true;
    const QString covering = flagCovering(kind, row.deviceId, t);
    if (!covering.isEmpty()) {
        // Inside an episode already flagged: this evaluation is more of the same.
        return upsertFlag(kind, covering, row.deviceId, QJsonArray{evidenceOf(row)}, {}, t, t);
    }
    QJsonArray found;
    if (!evidenceWhere(QStringLiteral("device_id = ? AND assess_ms > ? AND assess_ms < ?"),
                       {row.deviceId, t - kMinuteMs, t + kMinuteMs}, &found, 5000))
        return false;
    const QList<Hit> hits = toHits(found);
    const auto w = densestWindow(hits, kMinuteMs, t);
    const int count = w.second - w.first + 1;
    if (count <= m_settings.burstPerMinute)
        return true;
    const qint64 first = hits.at(w.first).ms, last = hits.at(w.second).ms;
    // One flag per episode: join a burst flag of this kiosk that this window touches.
    QSqlQuery q(m_store->database());
    q.prepare(QStringLiteral("SELECT flag_key FROM fraud_flags WHERE kind = ? AND subject = ? "
                             "AND last_ms >= ? AND first_ms <= ? ORDER BY id LIMIT 1"));
    q.addBindValue(kind);
    q.addBindValue(row.deviceId);
    q.addBindValue(first - kMinuteMs);
    q.addBindValue(last + kMinuteMs);
    const QString key = q.exec() && q.next() ? q.value(0).toString()
                                             : QStringLiteral("%1:%2:%3").arg(kind, row.deviceId).arg(first);
    q.finish();
    const QJsonObject detail{{QStringLiteral("deviceId"), row.deviceId},
                             {QStringLiteral("hallCode"), row.hallCode},
                             {QStringLiteral("maxPerMinute"), count},
                             {QStringLiteral("threshold"), m_settings.burstPerMinute}};
    return upsertFlag(kind, key, row.deviceId, slice(hits, w), detail, first, last);
}

bool FraudMonitor::checkApplicant(const QString &kind, const Row &row)
{
    // One person's evaluations within applicantWindowDays.
    if (row.applicant.isEmpty())
        return true;
    const qint64 t = row.assessMs;
    const qint64 width = qint64(m_settings.applicantWindowDays) * kDayMs;
    const qint64 many = countUpTo(QStringLiteral("applicant = ? AND assess_ms > ? AND assess_ms < ?"),
                                  {row.applicant, t - width, t + width}, m_settings.applicantMax + 1);
    if (many < 0)
        return false;
    if (many <= m_settings.applicantMax)
        return true;
    const QString key = kind + QLatin1Char(':') + row.applicant;
    if (!flagCovering(kind, row.applicant, t).isEmpty())
        return upsertFlag(kind, key, row.applicant, QJsonArray{evidenceOf(row)}, {}, t, t);
    QJsonArray found;
    if (!evidenceWhere(QStringLiteral("applicant = ? AND assess_ms > ? AND assess_ms < ?"),
                       {row.applicant, t - width, t + width}, &found, 5000))
        return false;
    const QList<Hit> hits = toHits(found);
    const auto w = densestWindow(hits, width, t);
    const int count = w.second - w.first + 1;
    if (count <= m_settings.applicantMax)
        return true;
    QSet<QString> devices;
    for (int i = w.first; i <= w.second; ++i)
        devices.insert(hits.at(i).evidence.value(QLatin1String("deviceId")).toString());
    const QJsonObject detail{{QStringLiteral("certKeyHash"), row.applicant},
                             {QStringLiteral("evaluations"), count},
                             {QStringLiteral("devices"), int(devices.size())},
                             {QStringLiteral("windowDays"), m_settings.applicantWindowDays},
                             {QStringLiteral("threshold"), m_settings.applicantMax}};
    return upsertFlag(kind, key, row.applicant, slice(hits, w), detail, hits.at(w.first).ms, hits.at(w.second).ms);
}

bool FraudMonitor::checkSameCase(const QString &kind, const Row &row)
{
    // A case (and assessNumber) rated more than once.
    const qint64 sameCase = countUpTo(QStringLiteral("case_key = ?"), {row.caseKey}, 2);
    if (sameCase < 0)
        return false;
    if (sameCase <= 1)
        return true;
    QJsonArray found;
    if (!evidenceWhere(QStringLiteral("case_key = ?"), {row.caseKey}, &found))
        return false;
    if (found.size() <= 1)
        return true;
    const QList<Hit> hits = toHits(found);
    QSet<QString> devices;
    QJsonArray evidence;
    for (const Hit &h : hits) {
        devices.insert(h.evidence.value(QLatin1String("deviceId")).toString());
        evidence.append(h.evidence);
    }
    const QJsonObject detail{{QStringLiteral("case"), row.caseKey},
                             {QStringLiteral("evaluations"), int(hits.size())},
                             {QStringLiteral("devices"), int(devices.size())}};
    return upsertFlag(kind, kind + QLatin1Char(':') + row.caseKey, row.caseKey, evidence, detail, hits.first().ms,
                      hits.last().ms);
}

bool FraudMonitor::checkOutsideHours(const QString &kind, const Row &row)
{
    // Grouped per kiosk and day.
    if (!outsideOpeningHours(row))
        return true;
    const QJsonObject detail{{QStringLiteral("deviceId"), row.deviceId}, {QStringLiteral("hallCode"), row.hallCode}};
    return upsertFlag(kind, QStringLiteral("%1:%2:%3").arg(kind, row.deviceId, row.assessTime.left(10)), row.deviceId,
                      QJsonArray{evidenceOf(row)}, detail, row.assessMs, row.assessMs);
}

bool FraudMonitor::checkAssistedShare(const QString &kind, const Row &row)
{
    // One agent's share of the hall's evaluations in the window before this one.
    if (row.assistedBy.isEmpty())
        return true;
    const qint64 t = row.assessMs;
    const qint64 from = t - qint64(m_settings.assistedWindowDays) * kDayMs;
    QSqlQuery q(m_store->database());
    q.prepare(QStringLiteral("SELECT COUNT(*), SUM(CASE WHEN assisted_by = ? THEN 1 ELSE 0 END) FROM fraud_index "
                             "WHERE hall_code = ? AND assess_ms > ? AND assess_ms <= ?"));
    q.addBindValue(row.assistedBy);
    q.addBindValue(row.hallCode);
    q.addBindValue(from);
    q.addBindValue(t);
    if (!q.exec() || !q.next()) {
        m_error = q.lastError().text();
        return false;
    }
    const qint64 total = q.value(0).toLongLong(), assisted = q.value(1).toLongLong();
    q.finish();
    const double share = total > 0 ? double(assisted) / double(total) : 0.0;
    if (assisted < m_settings.assistedMinCount || share <= m_settings.assistedShareMax)
        return true;
    QJsonArray found;
    if (!evidenceWhere(QStringLiteral("hall_code = ? AND assisted_by = ? AND assess_ms > ? AND assess_ms <= ?"),
                       {row.hallCode, row.assistedBy, from, t}, &found))
        return false;
    const QList<Hit> hits = toHits(found);
    QJsonArray evidence;
    for (const Hit &h : hits)
        evidence.append(h.evidence);
    const QJsonObject detail{{QStringLiteral("agent"), row.assistedBy},
                             {QStringLiteral("hallCode"), row.hallCode},
                             {QStringLiteral("assisted"), assisted},
                             {QStringLiteral("total"), total},
                             {QStringLiteral("share"), share},
                             {QStringLiteral("threshold"), m_settings.assistedShareMax},
                             {QStringLiteral("windowDays"), m_settings.assistedWindowDays}};
    return upsertFlag(kind, QStringLiteral("%1:%2:%3").arg(kind, row.hallCode, row.assistedBy), row.assistedBy,
                      evidence, detail, hits.isEmpty() ? t : hits.first().ms, t);
}

// --- what the rules share: counting, evidence, flags ---------------------------------------

qint64 FraudMonitor::countUpTo(const QString &where, const QVariantList &binds, qint64 cap)
{
    // Stops at cap rows: the rules only need to know "more than N", and a kiosk replaying a
    // large backlog must not make each evaluation cost a scan of its whole neighbourhood.
    QSqlQuery &q = query(QStringLiteral("SELECT COUNT(*) FROM (SELECT 1 FROM fraud_index WHERE %1 LIMIT %2) capped").arg(where).arg(cap));
    for (int i = 0; i < binds.size(); ++i)
        q.bindValue(i, binds.at(i));
    if (!q.exec() || !q.next()) {
        m_error = q.lastError().text();
        return -1;
    }
    const qint64 n = q.value(0).toLongLong();
    q.finish();
    return n;
}

QString FraudMonitor::flagCovering(const QString &kind, const QString &subject, qint64 atMs)
{
    QSqlQuery &q = query(QStringLiteral("SELECT flag_key FROM fraud_flags WHERE kind = ? AND subject = ? AND first_ms <= ? "
                                        "AND last_ms >= ? ORDER BY id LIMIT 1"));
    q.bindValue(0, kind);
    q.bindValue(1, subject);
    q.bindValue(2, atMs);
    q.bindValue(3, atMs);
    QString key;
    if (q.exec() && q.next())
        key = q.value(0).toString();
    q.finish();
    return key;
}

bool FraudMonitor::evidenceWhere(const QString &where, const QVariantList &binds, QJsonArray *out, int limit)
{
    // Hits sorted by time, as evidence objects (with the time in ms kept for the window search).
    QSqlQuery q(m_store->database());
    q.prepare(QStringLiteral("SELECT uuid, device_id, assess_time, assess_ms FROM fraud_index WHERE %1 "
                             "ORDER BY assess_ms, eval_id LIMIT %2").arg(where).arg(limit));
    for (const QVariant &b : binds)
        q.addBindValue(b);
    if (!q.exec()) {
        m_error = q.lastError().text();
        return false;
    }
    while (q.next())
        out->append(QJsonObject{{QStringLiteral("uuid"), q.value(0).toString()},
                                {QStringLiteral("deviceId"), q.value(1).toString()},
                                {QStringLiteral("assessTime"), q.value(2).toString()},
                                {QStringLiteral("ms"), q.value(3).toLongLong()}});
    return true;
}

bool FraudMonitor::outsideOpeningHours(const Row &row) const
{
    auto it = m_settings.openingHours.constFind(row.hallCode);
    if (it == m_settings.openingHours.constEnd())
        it = m_settings.openingHours.constFind(QStringLiteral("default"));
    if (it == m_settings.openingHours.constEnd())
        return false;
    const QDateTime t = QDateTime::fromString(row.assessTime, QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    if (!t.isValid())
        return false;
    const int day = t.date().dayOfWeek();
    for (const FraudSettings::Period &p : it.value())
        if (p.days.contains(day) && p.from <= t.time() && t.time() < p.to)
            return false;
    return true;
}

bool FraudMonitor::upsertFlag(const QString &kind, const QString &key, const QString &subject,
                              const QJsonArray &evidence, const QJsonObject &detail, qint64 firstMs, qint64 lastMs)
{
    QSqlDatabase &db = m_store->database();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QSqlQuery &q = query(QStringLiteral("SELECT id FROM fraud_flags WHERE flag_key = ?"));
    q.bindValue(0, key);
    if (!q.exec()) {
        m_error = q.lastError().text();
        return false;
    }
    qint64 id = -1;
    if (q.next())
        id = q.value(0).toLongLong();
    q.finish();
    const bool created = id < 0;
    if (created) {
        QSqlQuery ins(db);
        ins.prepare(QStringLiteral("INSERT INTO fraud_flags (kind, flag_key, subject, first_ms, last_ms, evidence_count, "
                                   "detail, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?)"));
        ins.addBindValue(kind);
        ins.addBindValue(key);
        ins.addBindValue(subject);
        ins.addBindValue(firstMs);
        ins.addBindValue(lastMs);
        ins.addBindValue(compact(detail));
        ins.addBindValue(now);
        ins.addBindValue(now);
        if (!ins.exec()) {
            m_error = ins.lastError().text();
            return false;
        }
        QSqlQuery last(db);
        last.prepare(QStringLiteral("SELECT id FROM fraud_flags WHERE flag_key = ?"));
        last.addBindValue(key);
        if (!last.exec() || !last.next()) {
            m_error = last.lastError().text();
            return false;
        }
        id = last.value(0).toLongLong();
    }
    // Evidence rows are keyed by (flag, kiosk, uuid): re-adding one is a no-op.
    QSqlQuery &ev = query(QStringLiteral("INSERT INTO fraud_evidence (flag_id, device_id, uuid, assess_time, assess_ms) "
                                         "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING"));
    qint64 added = 0;
    for (const QJsonValue &v : evidence) {
        const QJsonObject o = v.toObject();
        const QString assessTime = o.value(QLatin1String("assessTime")).toString();
        ev.bindValue(0, id);
        ev.bindValue(1, o.value(QLatin1String("deviceId")).toString());
        ev.bindValue(2, o.value(QLatin1String("uuid")).toString());
        ev.bindValue(3, assessTime);
        ev.bindValue(4, parseAssessTime(assessTime).toMSecsSinceEpoch());
        if (!ev.exec()) {
            m_error = ev.lastError().text();
            return false;
        }
        added += std::max(0, ev.numRowsAffected());
    }
    QSqlQuery &u = query(QStringLiteral("UPDATE fraud_flags SET evidence_count = evidence_count + ?, "
                                        "first_ms = CASE WHEN first_ms < ? THEN first_ms ELSE ? END, "
                                        "last_ms = CASE WHEN last_ms > ? THEN last_ms ELSE ? END, updated_at = ?, "
                                        "detail = CASE WHEN ? = '' THEN detail ELSE ? END WHERE id = ?"));
    const QString detailText = detail.isEmpty() ? QString(QLatin1String("")) : compact(detail);
    const QVariantList values{added, firstMs, firstMs, lastMs, lastMs, now, detailText, detailText, id};
    for (int i = 0; i < values.size(); ++i)
        u.bindValue(i, values.at(i));
    if (!u.exec()) {
        m_error = u.lastError().text();
        return false;
    }
    if (created)
        qCInfo(lcFraud) << "flag" << kind << subject;
    return true;
}

} // namespace hcp::sync::hub

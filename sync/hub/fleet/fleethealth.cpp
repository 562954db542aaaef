// SPDX-License-Identifier: Apache-2.0
// FleetStore: fleet health from the heartbeats (PROTOCOL §8, §17): history, update progress,
// stored and derived alerts, and one row per kiosk for the console.
#include "fleetstore.h"

#include "fleetinternal.h"
#include "hubstore.h"

#include <QDateTime>
#include <QHash>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>

namespace hcp::sync::hub {

namespace {

constexpr qint64 kHistoryKeepMs = 7LL * 24 * 3600 * 1000;
constexpr qint64 kOldestUnsentAlertS = 24 * 3600; // reference §6 #5: alert after 24 h

using fleetinternal::parse;

} // namespace

// ---- heartbeats and alerts ----

void FleetStore::onHeartbeat(const HubStore::Device &device, const QJsonObject &beat, qint64 receivedAtMs)
{
    QSqlDatabase &db = m_store->database();
    // One transaction: one fsync per heartbeat for history, rollout progress and alerts.
    const bool inTransaction = db.transaction();
    onHeartbeatLocked(device, beat, receivedAtMs);
    if (inTransaction && !db.commit()) {
        qCWarning(lcFleetStore) << "heartbeat bookkeeping not committed:" << db.lastError().text();
        db.rollback();
    }
}

void FleetStore::onHeartbeatLocked(const HubStore::Device &device, const QJsonObject &beat, qint64 receivedAtMs)
{
    QSqlDatabase &db = m_store->database();
    QSqlQuery h(db);
    h.prepare(QStringLiteral("INSERT INTO heartbeat_history (device_id, received_at, queue_depth, oldest_unsent_age_s, "
                             "drift_ms, disk_free_bytes) VALUES (?, ?, ?, ?, ?, ?)"));
    h.addBindValue(device.deviceId);
    h.addBindValue(receivedAtMs);
    h.addBindValue(beat.value(QLatin1String("queueDepth")).toInteger());
    h.addBindValue(beat.value(QLatin1String("oldestUnsentAgeS")).toInteger());
    h.addBindValue(beat.value(QLatin1String("kioskTimeMs")).toInteger() - receivedAtMs);
    h.addBindValue(beat.value(QLatin1String("disk")).toObject().value(QLatin1String("freeBytes")).toInteger());
    exec(h);
    if (++m_beatsSincePrune >= 500) { // pruning is cheap but needless on every beat
        m_beatsSincePrune = 0;
        h.prepare(QStringLiteral("DELETE FROM heartbeat_history WHERE received_at < ?"));
        h.addBindValue(receivedAtMs - kHistoryKeepMs);
        exec(h);
    }

    const QJsonObject config = beat.value(QLatin1String("config")).toObject();
    const QString rejected = config.value(QLatin1String("rejected")).toString();
    if (!rejected.isEmpty()) {
        const QString message = QStringLiteral("配置 %1 被终端拒绝：%2")
                                    .arg(config.value(QLatin1String("version")).toString(), rejected);
        QSqlQuery seen(db);
        seen.prepare(QStringLiteral("SELECT 1 FROM fleet_alerts WHERE kind = 'config_rejected' AND device_id = ? AND message = ?"));
        seen.addBindValue(device.deviceId);
        seen.addBindValue(message);
        if (exec(seen) && !seen.next())
            addAlert(QStringLiteral("warning"), QStringLiteral("config_rejected"), device.deviceId, message);
    }

    const QJsonObject update = beat.value(QLatin1String("update")).toObject();
    if (update.isEmpty())
        return;
    const QString state = update.value(QLatin1String("state")).toString();
    const QString reported = update.value(QLatin1String("version")).toString();
    const QString running = beat.value(QLatin1String("version")).toString();
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT rd.rollout_id, rd.state, r.version FROM rollout_devices rd "
                             "JOIN rollouts r ON r.id = rd.rollout_id WHERE rd.device_id = ? AND r.state IN ('running', 'halted') "
                             "AND rd.state NOT IN ('pending', 'healthy')"));
    q.addBindValue(device.deviceId);
    if (!exec(q))
        return;
    struct Row { qint64 id; QString state; QString version; };
    QList<Row> rows;
    while (q.next())
        rows.append({q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toString()});
    q.finish();
    for (const Row &row : rows) {
        QString next = row.state;
        const bool aboutThis = reported == row.version || reported.isEmpty();
        if ((state == QLatin1String("rolled_back") || state == QLatin1String("rejected")) && aboutThis)
            next = state;
        else if (state == QLatin1String("healthy") && reported == row.version)
            next = QStringLiteral("healthy");
        else if (state == QLatin1String("idle") && running == row.version)
            next = QStringLiteral("healthy");
        else if ((state == QLatin1String("downloading") || state == QLatin1String("installing")
                  || state == QLatin1String("trial")) && reported == row.version)
            next = state;
        if (next == row.state)
            continue;
        const QString error = update.value(QLatin1String("error")).toString();
        QSqlQuery u(db);
        u.prepare(QStringLiteral("UPDATE rollout_devices SET state = ?, error = ?, updated_at = ? "
                                 "WHERE rollout_id = ? AND device_id = ?"));
        u.addBindValue(next);
        u.addBindValue(error);
        u.addBindValue(receivedAtMs);
        u.addBindValue(row.id);
        u.addBindValue(device.deviceId);
        exec(u);
        if (next == QLatin1String("rolled_back") || next == QLatin1String("rejected")) {
            // One failed kiosk stops the rollout: no further stage is sent until an operator acts.
            const QString reason = QStringLiteral("%1 %2：%3")
                                       .arg(device.deviceId,
                                            next == QLatin1String("rolled_back") ? QStringLiteral("已回滚")
                                                                                 : QStringLiteral("拒绝安装"),
                                            error.isEmpty() ? QStringLiteral("无详细原因") : error);
            QSqlQuery halt(db);
            halt.prepare(QStringLiteral("UPDATE rollouts SET state = 'halted', reason = ?, updated_at = ? WHERE id = ? "
                                        "AND state = 'running'"));
            halt.addBindValue(reason);
            halt.addBindValue(receivedAtMs);
            halt.addBindValue(row.id);
            exec(halt);
            addAlert(QStringLiteral("critical"), QStringLiteral("rollout_halted"), device.deviceId,
                     QStringLiteral("升级 %1 已暂停：%2").arg(row.version, reason), row.id);
            qCWarning(lcFleetStore) << "rollout" << row.id << "halted:" << device.deviceId << next << error;
        } else if (next == QLatin1String("healthy")) {
            advanceRollout(row.id);
        }
    }
}

QJsonArray FleetStore::heartbeatHistory(const QString &deviceId, qint64 sinceMs)
{
    QJsonArray out;
    QSqlQuery q(m_store->database());
    q.prepare(QStringLiteral("SELECT received_at, queue_depth, oldest_unsent_age_s, drift_ms, disk_free_bytes "
                             "FROM heartbeat_history WHERE device_id = ? AND received_at >= ? ORDER BY received_at "
                             "LIMIT 2000"));
    q.addBindValue(deviceId);
    q.addBindValue(sinceMs);
    if (!exec(q))
        return out;
    while (q.next())
        out.append(QJsonObject{{QStringLiteral("atMs"), q.value(0).toLongLong()},
                               {QStringLiteral("queueDepth"), q.value(1).toLongLong()},
                               {QStringLiteral("oldestUnsentAgeS"), q.value(2).toLongLong()},
                               {QStringLiteral("driftMs"), q.value(3).toLongLong()},
                               {QStringLiteral("diskFreeBytes"), q.value(4).toLongLong()}});
    return out;
}

void FleetStore::addAlert(const QString &severity, const QString &kind, const QString &deviceId,
                          const QString &message, qint64 rolloutId)
{
    QSqlQuery q(m_store->database());
    q.prepare(QStringLiteral("INSERT INTO fleet_alerts (created_at, severity, kind, device_id, message, rollout_id) "
                             "VALUES (?, ?, ?, ?, ?, ?)"));
    q.addBindValue(QDateTime::currentMSecsSinceEpoch());
    q.addBindValue(severity);
    q.addBindValue(kind);
    q.addBindValue(deviceId);
    q.addBindValue(message);
    q.addBindValue(rolloutId);
    exec(q);
}

bool FleetStore::acknowledgeAlert(qint64 id, const QString &user)
{
    QSqlQuery q(m_store->database());
    q.prepare(QStringLiteral("UPDATE fleet_alerts SET acked_at = ?, acked_by = ? WHERE id = ? AND acked_at IS NULL"));
    q.addBindValue(QDateTime::currentMSecsSinceEpoch());
    q.addBindValue(user);
    q.addBindValue(id);
    return exec(q) && q.numRowsAffected() == 1;
}

QJsonArray FleetStore::alerts(qint64 nowMs, int heartbeatIntervalS)
{
    QJsonArray out;
    QSqlQuery q(m_store->database());
    if (q.exec(QStringLiteral("SELECT id, created_at, severity, kind, device_id, message, rollout_id FROM fleet_alerts "
                              "WHERE acked_at IS NULL ORDER BY id DESC LIMIT 200")))
        while (q.next())
            out.append(QJsonObject{{QStringLiteral("id"), q.value(0).toLongLong()},
                                   {QStringLiteral("atMs"), q.value(1).toLongLong()},
                                   {QStringLiteral("severity"), q.value(2).toString()},
                                   {QStringLiteral("kind"), q.value(3).toString()},
                                   {QStringLiteral("deviceId"), q.value(4).toString()},
                                   {QStringLiteral("message"), q.value(5).toString()},
                                   {QStringLiteral("rolloutId"), q.value(6).toLongLong()}});
    // Conditions of the fleet right now (not stored: they clear themselves).
    for (const QJsonValue &v : kiosks(nowMs, heartbeatIntervalS)) {
        const QJsonObject k = v.toObject();
        const QString id = k.value(QLatin1String("deviceId")).toString();
        auto derived = [&](const char *severity, const char *kind, const QString &message) {
            out.append(QJsonObject{{QStringLiteral("id"), 0},
                                   {QStringLiteral("atMs"), nowMs},
                                   {QStringLiteral("severity"), QLatin1String(severity)},
                                   {QStringLiteral("kind"), QLatin1String(kind)},
                                   {QStringLiteral("deviceId"), id},
                                   {QStringLiteral("message"), message}});
        };
        if (k.value(QLatin1String("overdue")).toBool())
            derived("warning", "overdue", QStringLiteral("超过两个心跳周期未上报"));
        if (k.value(QLatin1String("driftFlagged")).toBool())
            derived("warning", "clock_drift", QStringLiteral("时钟偏差 %1 秒").arg(k.value(QLatin1String("driftS")).toDouble(), 0, 'f', 0));
        if (k.value(QLatin1String("diskLow")).toBool())
            derived("warning", "disk_low", QStringLiteral("磁盘空间不足，终端已停止受理评价"));
        if (k.value(QLatin1String("oldestUnsentAgeS")).toInteger() > kOldestUnsentAlertS)
            derived("warning", "backlog", QStringLiteral("最早未上传评价已滞留 %1 小时")
                                              .arg(k.value(QLatin1String("oldestUnsentAgeS")).toInteger() / 3600));
        if (k.value(QLatin1String("conflicts")).toInt() > 0 || k.value(QLatin1String("seqGaps")).toInteger() > 0
            || k.value(QLatin1String("tamper")).toBool())
            derived("critical", "tamper",
                    QStringLiteral("评价记录冲突、缺号或账本校验失败（疑似篡改）%1")
                        .arg(k.value(QLatin1String("tamperKinds")).toArray().isEmpty()
                                 ? QString()
                                 : QStringLiteral("：") + k.value(QLatin1String("tamperKinds")).toVariant().toStringList().join(QStringLiteral("、"))));
    }
    return out;
}

QJsonArray FleetStore::kiosks(qint64 nowMs, int heartbeatIntervalS)
{
    QHash<QString, QPair<qint64, qint64>> evalStats; // deviceId -> (count, max seq)
    QHash<QString, qint64> conflicts;
    QSqlQuery s(m_store->database());
    if (s.exec(QStringLiteral("SELECT device_id, COUNT(*), MAX(device_seq) FROM evaluations GROUP BY device_id")))
        while (s.next())
            evalStats.insert(s.value(0).toString(), {s.value(1).toLongLong(), s.value(2).toLongLong()});
    if (s.exec(QStringLiteral("SELECT device_id, COUNT(*) FROM evaluation_problems WHERE kind = 'conflict' GROUP BY device_id")))
        while (s.next())
            conflicts.insert(s.value(0).toString(), s.value(1).toLongLong());
    // The ledger checks' findings (LedgerCheck: deleted, edited, reordered entries, new identity…).
    QHash<QString, QStringList> tamperKinds;
    if (s.exec(QStringLiteral("SELECT DISTINCT device_id, kind FROM tamper_alerts")))
        while (s.next())
            tamperKinds[s.value(0).toString()].append(s.value(1).toString());
    QSet<QString> keyed;
    if (s.exec(QStringLiteral("SELECT device_id FROM device_keys")))
        while (s.next())
            keyed.insert(s.value(0).toString());
    QJsonArray out;
    QSqlQuery q(m_store->database());
    if (!q.exec(QStringLiteral("SELECT device_id, hall_code, device_class, version, enrolled_at, last_heartbeat_at, "
                               "heartbeat, queue_depth, oldest_unsent_age_s, drift_ms, drift_flagged, disk_low "
                               "FROM devices ORDER BY device_id")))
        return out;
    const qint64 overdueAfterMs = 2LL * heartbeatIntervalS * 1000;
    while (q.next()) {
        const QString id = q.value(0).toString();
        const bool beaten = !q.value(5).isNull();
        const qint64 last = beaten ? q.value(5).toLongLong() : q.value(4).toLongLong();
        const QJsonObject beat = parse(q.value(6));
        const QJsonObject update = beat.value(QLatin1String("update")).toObject();
        const QJsonObject config = beat.value(QLatin1String("config")).toObject();
        const QJsonObject disk = beat.value(QLatin1String("disk")).toObject();
        const auto stats = evalStats.value(id);
        const QJsonValue tamper = beat.value(QLatin1String("tamper"));
        out.append(QJsonObject{
            {QStringLiteral("deviceId"), id},
            {QStringLiteral("hallCode"), q.value(1).toString()},
            {QStringLiteral("deviceClass"), q.value(2).toString()},
            {QStringLiteral("version"), q.value(3).toString()},
            {QStringLiteral("lastHeartbeatAtMs"), beaten ? QJsonValue(last) : QJsonValue()},
            {QStringLiteral("online"), beaten && nowMs - last <= overdueAfterMs},
            {QStringLiteral("overdue"), nowMs - last > overdueAfterMs},
            {QStringLiteral("queueDepth"), q.value(7).toLongLong()},
            {QStringLiteral("oldestUnsentAgeS"), q.value(8).toLongLong()},
            {QStringLiteral("driftS"), q.value(9).toLongLong() / 1000.0},
            {QStringLiteral("driftFlagged"), q.value(10).toInt() != 0},
            {QStringLiteral("diskLow"), q.value(11).toInt() != 0},
            {QStringLiteral("diskFreeBytes"), disk.value(QLatin1String("freeBytes")).toInteger()},
            {QStringLiteral("diskTotalBytes"), disk.value(QLatin1String("totalBytes")).toInteger()},
            {QStringLiteral("deviceStatus"), beat.value(QLatin1String("deviceStatus")).toObject()},
            {QStringLiteral("updateState"), update.value(QLatin1String("state")).toString()},
            {QStringLiteral("updateVersion"), update.value(QLatin1String("version")).toString()},
            {QStringLiteral("updateError"), update.value(QLatin1String("error")).toString()},
            {QStringLiteral("slot"), update.value(QLatin1String("slot")).toString()},
            {QStringLiteral("updateDeviceClass"), update.value(QLatin1String("deviceClass")).toString()},
            {QStringLiteral("configVersion"), config.value(QLatin1String("version")).toString()},
            {QStringLiteral("configRejected"), config.value(QLatin1String("rejected")).toString()},
            {QStringLiteral("evaluations"), stats.first},
            {QStringLiteral("seqGaps"), stats.second - stats.first},
            {QStringLiteral("conflicts"), conflicts.value(id)},
            {QStringLiteral("tamper"), (tamper.isBool() ? tamper.toBool() : !tamper.toObject().isEmpty())
                                           || tamperKinds.contains(id)},
            {QStringLiteral("tamperKinds"), QJsonArray::fromStringList(tamperKinds.value(id))},
            {QStringLiteral("signedLedger"), keyed.contains(id)},
            {QStringLiteral("fraud"), beat.value(QLatin1String("fraud")).toObject()},
        });
    }
    return out;
}

} // namespace hcp::sync::hub

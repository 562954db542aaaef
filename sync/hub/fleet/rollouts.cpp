// SPDX-License-Identifier: Apache-2.0
// FleetStore: registered update bundles and staged rollouts (PROTOCOL §16).
#include "fleetstore.h"

#include "fleetinternal.h"
#include "hubstore.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>

#include <algorithm>
#include <cmath>

namespace hcp::sync::hub {

QJsonObject FleetStore::Bundle::toJson() const
{
    return {{QStringLiteral("name"), name},
            {QStringLiteral("version"), version},
            {QStringLiteral("deviceClass"), deviceClass},
            {QStringLiteral("size"), size},
            {QStringLiteral("sha256"), sha256},
            {QStringLiteral("keyId"), keyId},
            {QStringLiteral("rollback"), rollback},
            {QStringLiteral("createdAtMs"), createdAtMs}};
}

// ---- bundles ----

bool FleetStore::addBundle(const Bundle &b, QString *error)
{
    QSqlQuery q(m_store->database());
    q.prepare(QStringLiteral("INSERT INTO bundles (name, version, device_class, size, sha256, key_id, rollback, created_at) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET version = excluded.version, "
                             "device_class = excluded.device_class, size = excluded.size, sha256 = excluded.sha256, "
                             "key_id = excluded.key_id, rollback = excluded.rollback, created_at = excluded.created_at"));
    q.addBindValue(b.name);
    q.addBindValue(b.version);
    q.addBindValue(b.deviceClass);
    q.addBindValue(b.size);
    q.addBindValue(b.sha256);
    q.addBindValue(b.keyId);
    q.addBindValue(b.rollback ? 1 : 0);
    q.addBindValue(b.createdAtMs);
    return exec(q, error);
}

std::optional<FleetStore::Bundle> FleetStore::bundle(const QString &name)
{
    QSqlQuery q(m_store->database());
    q.prepare(QStringLiteral("SELECT name, version, device_class, size, sha256, key_id, rollback, created_at "
                             "FROM bundles WHERE name = ?"));
    q.addBindValue(name);
    if (!exec(q) || !q.next())
        return std::nullopt;
    return Bundle{q.value(0).toString(), q.value(1).toString(), q.value(2).toString(), q.value(3).toLongLong(),
                  q.value(4).toString(), q.value(5).toString(), q.value(6).toInt() != 0, q.value(7).toLongLong()};
}

QJsonArray FleetStore::bundles()
{
    QJsonArray out;
    QSqlQuery q(m_store->database());
    if (!q.exec(QStringLiteral("SELECT name FROM bundles ORDER BY created_at DESC")))
        return out;
    QStringList names;
    while (q.next())
        names << q.value(0).toString();
    for (const QString &n : names)
        if (auto b = bundle(n))
            out.append(b->toJson());
    return out;
}

// ---- rollouts ----

bool FleetStore::bundleFitsKiosk(const QString &bundleClass, const QJsonObject &kiosk)
{
    const QString reported = kiosk.value(QLatin1String("updateDeviceClass")).toString();
    if (!reported.isEmpty())
        return reported == bundleClass;
    const bool padBundle = bundleClass == QLatin1String("hcp-pad") || bundleClass.startsWith(QLatin1String("hcp-pad-"));
    return kiosk.value(QLatin1String("deviceClass")).toString()
        == (padBundle ? QLatin1String("pad") : QLatin1String("terminal"));
}

qint64 FleetStore::createRollout(const Bundle &bundle, const QString &url, int deadlineS, QStringList deviceIds,
                                 const QList<int> &stagesPercent, const QString &actor, QString *error)
{
    deviceIds.removeDuplicates();
    std::sort(deviceIds.begin(), deviceIds.end());
    if (deviceIds.isEmpty() || stagesPercent.isEmpty() || stagesPercent.last() != 100) {
        *error = QStringLiteral("give at least one kiosk and stages ending at 100 %");
        return -1;
    }
    for (int i = 0; i < stagesPercent.size(); ++i)
        if (stagesPercent.at(i) < 1 || stagesPercent.at(i) > 100 || (i > 0 && stagesPercent.at(i) <= stagesPercent.at(i - 1))) {
            *error = QStringLiteral("stages must rise strictly within 1..100");
            return -1;
        }
    QSqlDatabase &db = m_store->database();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (!db.transaction()) {
        *error = db.lastError().text();
        return -1;
    }
    QJsonArray stages;
    for (int p : stagesPercent)
        stages.append(p);
    QSqlQuery q(db);
    q.prepare(QStringLiteral("INSERT INTO rollouts (bundle_name, version, url, size, sha256, deadline_s, stages, "
                             "current_stage, state, reason, actor, created_at, updated_at) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, 0, 'running', '', ?, ?, ?) RETURNING id"));
    q.addBindValue(bundle.name);
    q.addBindValue(bundle.version);
    q.addBindValue(url);
    q.addBindValue(bundle.size);
    q.addBindValue(bundle.sha256);
    q.addBindValue(deadlineS);
    q.addBindValue(QString::fromUtf8(QJsonDocument(stages).toJson(QJsonDocument::Compact)));
    q.addBindValue(actor);
    q.addBindValue(now);
    q.addBindValue(now);
    if (!exec(q, error) || !q.next()) {
        db.rollback();
        return -1;
    }
    const qint64 id = q.value(0).toLongLong();
    q.finish();
    const qsizetype n = deviceIds.size();
    QSqlQuery d(db);
    d.prepare(QStringLiteral("INSERT INTO rollout_devices (rollout_id, device_id, stage, state, updated_at) "
                             "VALUES (?, ?, ?, 'pending', ?)"));
    for (qsizetype i = 0; i < n; ++i) {
        int stage = 0;
        while (i >= qsizetype(std::ceil(stagesPercent.at(stage) * double(n) / 100.0)))
            ++stage;
        d.bindValue(0, id);
        d.bindValue(1, deviceIds.at(i));
        d.bindValue(2, stage);
        d.bindValue(3, now);
        if (!exec(d, error)) {
            db.rollback();
            return -1;
        }
    }
    if (!queueStage(id, 0, error) || !db.commit()) {
        db.rollback();
        return -1;
    }
    qCInfo(lcFleetStore) << "rollout" << id << "of" << bundle.name << "to" << n << "kiosks in stages" << stagesPercent;
    advanceRollout(id); // an empty first stage cannot happen, but a 100 % single stage ends here
    return id;
}

bool FleetStore::queueStage(qint64 rolloutId, int stage, QString *error)
{
    QSqlQuery r(m_store->database());
    r.prepare(QStringLiteral("SELECT version, url, size, sha256, deadline_s FROM rollouts WHERE id = ?"));
    r.addBindValue(rolloutId);
    if (!exec(r, error) || !r.next())
        return false;
    // The "update" command of the shared contract (PROTOCOL §8).
    const QJsonObject args{{QStringLiteral("version"), r.value(0).toString()},
                           {QStringLiteral("url"), r.value(1).toString()},
                           {QStringLiteral("size"), r.value(2).toLongLong()},
                           {QStringLiteral("sha256"), r.value(3).toString()},
                           {QStringLiteral("deadlineS"), r.value(4).toInt()},
                           {QStringLiteral("rolloutId"), rolloutId}};
    r.finish();
    QSqlQuery q(m_store->database());
    q.prepare(QStringLiteral("SELECT device_id FROM rollout_devices WHERE rollout_id = ? AND stage = ? AND state = 'pending'"));
    q.addBindValue(rolloutId);
    q.addBindValue(stage);
    if (!exec(q, error))
        return false;
    QStringList devices;
    while (q.next())
        devices << q.value(0).toString();
    q.finish();
    QSqlQuery u(m_store->database());
    u.prepare(QStringLiteral("UPDATE rollout_devices SET state = 'sent', command_id = ?, updated_at = ? "
                             "WHERE rollout_id = ? AND device_id = ?"));
    for (const QString &device : devices) {
        const qint64 commandId = m_store->addCommand(device, QStringLiteral("update"), args);
        if (commandId < 0) {
            if (error)
                *error = m_store->lastError();
            return false;
        }
        u.bindValue(0, commandId);
        u.bindValue(1, QDateTime::currentMSecsSinceEpoch());
        u.bindValue(2, rolloutId);
        u.bindValue(3, device);
        if (!exec(u, error))
            return false;
    }
    return true;
}

void FleetStore::advanceRollout(qint64 rolloutId)
{
    for (;;) {
        QSqlQuery r(m_store->database());
        r.prepare(QStringLiteral("SELECT state, current_stage, stages FROM rollouts WHERE id = ?"));
        r.addBindValue(rolloutId);
        if (!exec(r) || !r.next() || r.value(0).toString() != QLatin1String("running"))
            return;
        const int stage = r.value(1).toInt();
        const int stageCount = int(QJsonDocument::fromJson(r.value(2).toString().toUtf8()).array().size());
        r.finish();
        QSqlQuery c(m_store->database());
        c.prepare(QStringLiteral("SELECT COUNT(*) FROM rollout_devices WHERE rollout_id = ? AND stage <= ? "
                                 "AND state NOT IN ('healthy', 'skipped')"));
        c.addBindValue(rolloutId);
        c.addBindValue(stage);
        if (!exec(c) || !c.next() || c.value(0).toLongLong() > 0)
            return;
        c.finish();
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        QSqlQuery u(m_store->database());
        if (stage + 1 >= stageCount) {
            u.prepare(QStringLiteral("UPDATE rollouts SET state = 'done', updated_at = ? WHERE id = ?"));
            u.addBindValue(now);
            u.addBindValue(rolloutId);
            exec(u);
            qCInfo(lcFleetStore) << "rollout" << rolloutId << "done";
            return;
        }
        u.prepare(QStringLiteral("UPDATE rollouts SET current_stage = ?, updated_at = ? WHERE id = ?"));
        u.addBindValue(stage + 1);
        u.addBindValue(now);
        u.addBindValue(rolloutId);
        if (!exec(u) || !queueStage(rolloutId, stage + 1, nullptr))
            return;
        qCInfo(lcFleetStore) << "rollout" << rolloutId << "advanced to stage" << stage + 1;
    }
}

bool FleetStore::decideRollout(qint64 id, const QString &action, const QString &actor, QString *error)
{
    QSqlDatabase &db = m_store->database();
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT state FROM rollouts WHERE id = ?"));
    q.addBindValue(id);
    if (!exec(q, error) || !q.next()) {
        *error = QStringLiteral("no such rollout");
        return false;
    }
    const QString state = q.value(0).toString();
    q.finish();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (action == QLatin1String("cancel") && (state == QLatin1String("running") || state == QLatin1String("halted"))) {
        q.prepare(QStringLiteral("UPDATE rollouts SET state = 'cancelled', reason = ?, updated_at = ? WHERE id = ?"));
        q.addBindValue(QStringLiteral("%1 取消").arg(actor));
        q.addBindValue(now);
        q.addBindValue(id);
        return exec(q, error);
    }
    if (action == QLatin1String("resume") && state == QLatin1String("halted")) {
        if (!db.transaction()) {
            *error = db.lastError().text();
            return false;
        }
        q.prepare(QStringLiteral("UPDATE rollout_devices SET state = 'skipped', updated_at = ? WHERE rollout_id = ? "
                                 "AND state IN ('rolled_back', 'rejected')"));
        q.addBindValue(now);
        q.addBindValue(id);
        QSqlQuery u(db);
        u.prepare(QStringLiteral("UPDATE rollouts SET state = 'running', reason = ?, updated_at = ? WHERE id = ?"));
        u.addBindValue(QStringLiteral("%1 继续（跳过失败终端）").arg(actor));
        u.addBindValue(now);
        u.addBindValue(id);
        if (!exec(q, error) || !exec(u, error) || !db.commit()) {
            db.rollback();
            return false;
        }
        advanceRollout(id);
        return true;
    }
    *error = QStringLiteral("cannot %1 a %2 rollout").arg(action, state);
    return false;
}

QJsonObject FleetStore::rollout(qint64 id)
{
    QSqlQuery r(m_store->database());
    r.prepare(QStringLiteral("SELECT id, bundle_name, version, stages, current_stage, state, reason, actor, created_at, "
                             "updated_at FROM rollouts WHERE id = ?"));
    r.addBindValue(id);
    if (!exec(r) || !r.next())
        return {};
    QJsonObject o{{QStringLiteral("id"), r.value(0).toLongLong()},
                  {QStringLiteral("bundle"), r.value(1).toString()},
                  {QStringLiteral("version"), r.value(2).toString()},
                  {QStringLiteral("stages"), QJsonDocument::fromJson(r.value(3).toString().toUtf8()).array()},
                  {QStringLiteral("currentStage"), r.value(4).toInt()},
                  {QStringLiteral("state"), r.value(5).toString()},
                  {QStringLiteral("reason"), r.value(6).toString()},
                  {QStringLiteral("actor"), r.value(7).toString()},
                  {QStringLiteral("createdAtMs"), r.value(8).toLongLong()},
                  {QStringLiteral("updatedAtMs"), r.value(9).toLongLong()}};
    r.finish();
    QSqlQuery d(m_store->database());
    d.prepare(QStringLiteral("SELECT device_id, stage, state, error FROM rollout_devices WHERE rollout_id = ? ORDER BY device_id"));
    d.addBindValue(id);
    QJsonArray devices;
    QJsonObject counts;
    if (exec(d))
        while (d.next()) {
            const QString state = d.value(2).toString();
            counts.insert(state, counts.value(state).toInt() + 1);
            devices.append(QJsonObject{{QStringLiteral("deviceId"), d.value(0).toString()},
                                       {QStringLiteral("stage"), d.value(1).toInt()},
                                       {QStringLiteral("state"), state},
                                       {QStringLiteral("error"), d.value(3).toString()}});
        }
    o.insert(QStringLiteral("devices"), devices);
    o.insert(QStringLiteral("counts"), counts);
    return o;
}

QJsonArray FleetStore::rollouts()
{
    QJsonArray out;
    QSqlQuery q(m_store->database());
    if (!q.exec(QStringLiteral("SELECT id FROM rollouts ORDER BY id DESC LIMIT 50")))
        return out;
    QList<qint64> ids;
    while (q.next())
        ids << q.value(0).toLongLong();
    for (qint64 id : ids)
        out.append(rollout(id));
    return out;
}

} // namespace hcp::sync::hub

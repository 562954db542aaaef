// SPDX-License-Identifier: Apache-2.0
#include "defaultratings.h"

#include "casefiles.h"
#include "workcalendar.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QSqlError>
#include <QSqlQuery>

Q_LOGGING_CATEGORY(lcDefaultRatings, "hcp.sync.hub.grievance.defaults")

namespace hcp::sync::hub::grievance {

namespace {

constexpr int kDefaultPf = 4; // 政务大厅: the case was handled at a hall window [I]
constexpr int kCasesPerRun = 5000;

QJsonObject parse(const QVariant &v)
{
    return QJsonDocument::fromJson(v.toString().toUtf8()).object();
}

} // namespace

int DefaultRatings::claimRated(QSqlDatabase &db, const QJsonObject &e, qint64 nowMs)
{
    if (e.value(QLatin1String("assessNumber")).toInt() != 1)
        return 0;
    QSqlQuery q(db);
    q.prepare(QStringLiteral("INSERT INTO grievance_defaults (project_no, service_number, kind, created_at) "
                             "VALUES (?, ?, 'rated', ?) ON CONFLICT DO NOTHING"));
    q.addBindValue(e.value(QLatin1String("projectNo")).toString());
    q.addBindValue(e.value(QLatin1String("serviceNumber")).toInt());
    q.addBindValue(nowMs);
    if (!q.exec()) {
        qCWarning(lcDefaultRatings) << "claim failed:" << q.lastError().text();
        return -1;
    }
    if (q.numRowsAffected() == 1)
        return 0;
    QSqlQuery k(db);
    k.prepare(QStringLiteral("SELECT kind FROM grievance_defaults WHERE project_no = ? AND service_number = ?"));
    k.addBindValue(e.value(QLatin1String("projectNo")).toString());
    k.addBindValue(e.value(QLatin1String("serviceNumber")).toInt());
    if (!k.exec() || !k.next())
        return -1;
    return k.value(0).toString() == QLatin1String("default") ? 1 : 0;
}

int DefaultRatings::run(int windowDays, qint64 nowMs, QString *error)
{
    if (windowDays < 1)
        return 0;
    struct Candidate
    {
        QString projectNo;
        int serviceNumber;
        QJsonObject caseObject;
    };
    QList<Candidate> due;
    {
        QSqlQuery q(m_db);
        q.prepare(QStringLiteral("SELECT c.project_no, c.service_number, c.payload FROM cases c WHERE NOT EXISTS "
                                 "(SELECT 1 FROM grievance_defaults d WHERE d.project_no = c.project_no "
                                 "AND d.service_number = c.service_number) ORDER BY c.change_seq LIMIT ?"));
        q.addBindValue(kCasesPerRun);
        if (!q.exec()) {
            if (error)
                *error = q.lastError().text();
            return -1;
        }
        const QDateTime now = QDateTime::fromMSecsSinceEpoch(nowMs, Qt::UTC).toOffsetFromUtc(8 * 3600);
        while (q.next()) {
            const QJsonObject c = parse(q.value(2));
            const QDateTime completion = CaseFiles::parseCst(c.value(QLatin1String("resultDate")).toString());
            if (completion.isValid() && now >= m_calendar.windowEnd(completion, windowDays))
                due.append({q.value(0).toString(), q.value(1).toInt(), c});
        }
    }
    int made = 0;
    for (const Candidate &c : std::as_const(due)) {
        const int r = settle(c.projectNo, c.serviceNumber, c.caseObject, windowDays, nowMs, error);
        if (r < 0)
            return -1;
        made += r;
    }
    if (made > 0)
        qCInfo(lcDefaultRatings) << made << "default ratings made";
    return made;
}

int DefaultRatings::settle(const QString &projectNo, int serviceNumber, const QJsonObject &c, int windowDays,
                           qint64 nowMs, QString *error)
{
    auto failed = [&](const QSqlQuery &q) {
        if (error)
            *error = q.lastError().text();
        qCWarning(lcDefaultRatings) << "SQL failed:" << q.lastError().text() << q.lastQuery();
        m_db.rollback();
        return -1;
    };
    if (!m_db.transaction()) {
        if (error)
            *error = m_db.lastError().text();
        return -1;
    }
    // Rated in time by a kiosk before claims existed?
    QSqlQuery r(m_db);
    r.prepare(QStringLiteral("SELECT payload FROM evaluations WHERE project_no = ?"));
    r.addBindValue(projectNo);
    if (!r.exec())
        return failed(r);
    bool rated = false;
    while (r.next()) {
        const QJsonObject p = parse(r.value(0));
        rated = rated || (p.value(QLatin1String("serviceNumber")).toInt() == serviceNumber
                          && p.value(QLatin1String("assessNumber")).toInt() == 1);
    }
    r.finish();
    QSqlQuery claim(m_db);
    claim.prepare(QStringLiteral("INSERT INTO grievance_defaults (project_no, service_number, kind, created_at) "
                                 "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING"));
    claim.addBindValue(projectNo);
    claim.addBindValue(serviceNumber);
    claim.addBindValue(rated ? QStringLiteral("rated") : QStringLiteral("default"));
    claim.addBindValue(nowMs);
    if (!claim.exec())
        return failed(claim);
    if (claim.numRowsAffected() != 1 || rated) {
        // Another hub (or a kiosk rating) settled it first, or it was rated in time.
        if (!m_db.commit())
            return failed(claim);
        return 0;
    }
    QSqlQuery seq(m_db);
    if (!seq.exec(QStringLiteral("UPDATE counters SET value = value + 1 WHERE name = 'hub_default_seq' RETURNING value"))
        || !seq.next())
        return failed(seq);
    const qint64 deviceSeq = seq.value(0).toLongLong();
    seq.finish();
    const QDateTime closed = m_calendar.windowEnd(CaseFiles::parseCst(c.value(QLatin1String("resultDate")).toString()),
                                                  windowDays).addSecs(-1);
    const int casePf = c.value(QLatin1String("pf")).toInt();
    QJsonObject e{{QStringLiteral("uuid"), QStringLiteral("default-%1-%2").arg(projectNo).arg(serviceNumber)},
                  {QStringLiteral("deviceSeq"), deviceSeq},
                  {QStringLiteral("projectNo"), projectNo},
                  {QStringLiteral("serviceNumber"), serviceNumber},
                  {QStringLiteral("assessNumber"), 1},
                  {QStringLiteral("pf"), casePf >= 1 && casePf <= 9 ? casePf : kDefaultPf},
                  {QStringLiteral("satisfaction"), 3},
                  {QStringLiteral("evalDetail"), QString()},
                  {QStringLiteral("writingEvaluation"), QString()},
                  {QStringLiteral("publicFlag"), 1},
                  {QStringLiteral("evaluateType"), 1},
                  {QStringLiteral("assessTime"), closed.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))},
                  {QStringLiteral("isdefault"), 1}};
    for (const char *k : {"taskCode", "deptCode", "areaCode", "staffNo", "windowNo", "userProp"})
        if (c.contains(QLatin1String(k)))
            e.insert(QLatin1String(k), c.value(QLatin1String(k)));
    const QByteArray payload = QJsonDocument(e).toJson(QJsonDocument::Compact);
    QSqlQuery ins(m_db);
    ins.prepare(QStringLiteral("INSERT INTO evaluations (device_id, uuid, device_seq, project_no, satisfaction, assess_time, "
                               "payload, fingerprint, received_at, device_time) VALUES (?, ?, ?, ?, 3, ?, ?, ?, ?, ?) "
                               "ON CONFLICT DO NOTHING RETURNING id"));
    ins.addBindValue(QString::fromLatin1(kDeviceId));
    ins.addBindValue(e.value(QLatin1String("uuid")).toString());
    ins.addBindValue(deviceSeq);
    ins.addBindValue(projectNo);
    ins.addBindValue(e.value(QLatin1String("assessTime")).toString());
    ins.addBindValue(QString::fromUtf8(payload));
    ins.addBindValue(QString::fromLatin1(QCryptographicHash::hash(payload, QCryptographicHash::Sha256).toHex()));
    ins.addBindValue(nowMs);
    ins.addBindValue(nowMs);
    if (!ins.exec())
        return failed(ins);
    if (!ins.next()) { // the derived uuid exists already: never a second default
        m_db.rollback();
        return 0;
    }
    const qint64 evaluationId = ins.value(0).toLongLong();
    ins.finish();
    QSqlQuery link(m_db);
    link.prepare(QStringLiteral("UPDATE grievance_defaults SET evaluation_id = ? WHERE project_no = ? AND service_number = ?"));
    link.addBindValue(evaluationId);
    link.addBindValue(projectNo);
    link.addBindValue(serviceNumber);
    if (!link.exec())
        return failed(link);
    if (!m_db.commit())
        return failed(link);
    return 1;
}

} // namespace hcp::sync::hub::grievance

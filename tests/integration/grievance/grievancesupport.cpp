// SPDX-License-Identifier: Apache-2.0
#include "grievancesupport.h"

#include "hubclient.h"
#include "outbox.h"
#include "outboxsender.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QJsonArray>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTest>
#include <QTimer>
#include <QUuid>

namespace hcp::sync::test::grievance {

QByteArray Http::header(const QByteArray &name) const
{
    for (const auto &h : headers)
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    return {};
}

Http http(const QUrl &url, const QByteArray &method, const QByteArray &body,
          const QList<QPair<QByteArray, QByteArray>> &headers)
{
    Http out;
    out.status = httpRequest(url, method, body, &out.body, headers, 30000, &out.headers);
    return out;
}

QByteArray compact(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

bool addUser(const QString &dbSpec, const QString &name, const QString &role, const QString &password, const QString &dept)
{
    QStringList args{QStringLiteral("--db"), dbSpec, QStringLiteral("add-user"), name, role};
    if (!dept.isEmpty())
        args << dept;
    QProcess p;
    p.start(hubBinary(), args);
    p.write(password.toUtf8() + '\n');
    p.closeWriteChannel();
    return p.waitForFinished(30000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

QByteArray login(const QUrl &hub, const QString &name, const QString &password)
{
    const Http r = http(hub.resolved(QUrl(QStringLiteral("/console/api/login"))), "POST",
                        compact(QJsonObject{{QStringLiteral("user"), name}, {QStringLiteral("password"), password}}));
    return r.status == 200 ? r.header("Set-Cookie").split(';').value(0) : QByteArray();
}

Http console(const QUrl &hub, const QByteArray &cookie, const QByteArray &method, const QString &path,
             const QByteArray &body, const QList<QPair<QByteArray, QByteArray>> &extra)
{
    QList<QPair<QByteArray, QByteArray>> h{{"Cookie", cookie}, {"X-HCP-Console", "1"}};
    h << extra;
    return http(hub.resolved(QUrl(QStringLiteral("/console/api/") + path)), method, body, h);
}

QJsonObject rating(const QString &projectNo, int satisfaction, const QString &assessTime, const QString &deptCode,
                   int assessNumber, int serviceNumber)
{
    return QJsonObject{{QStringLiteral("projectNo"), projectNo},
                       {QStringLiteral("serviceNumber"), serviceNumber},
                       {QStringLiteral("assessNumber"), assessNumber},
                       {QStringLiteral("pf"), 5},
                       {QStringLiteral("satisfaction"), satisfaction},
                       {QStringLiteral("evalDetail"), satisfaction <= 2 ? QStringLiteral("501,502") : QString()},
                       {QStringLiteral("writingEvaluation"), satisfaction <= 2 ? QStringLiteral("窗口人员态度差") : QString()},
                       {QStringLiteral("publicFlag"), 1},
                       {QStringLiteral("assessTime"), assessTime},
                       {QStringLiteral("evaluateType"), assessNumber},
                       {QStringLiteral("taskCode"), QStringLiteral("11110105000000000X4000111001001")},
                       {QStringLiteral("deptCode"), deptCode},
                       {QStringLiteral("areaCode"), QStringLiteral("110105000000")},
                       {QStringLiteral("staffNo"), QStringLiteral("S0012")},
                       {QStringLiteral("windowNo"), QStringLiteral("A03")},
                       {QStringLiteral("userProp"), 1},
                       {QStringLiteral("userNameMasked"), QStringLiteral("李*")}};
}

QString nowCst(int secondsAgo)
{
    return QDateTime::currentDateTimeUtc().toOffsetFromUtc(8 * 3600).addSecs(-secondsAgo).toString(
        QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

QString todayCst(int plusDays)
{
    return QDateTime::currentDateTimeUtc().toOffsetFromUtc(8 * 3600).date().addDays(plusDays).toString(Qt::ISODate);
}

QJsonObject holidayDay(const QString &date, bool off)
{
    return QJsonObject{{QStringLiteral("name"), QStringLiteral("测试")}, {QStringLiteral("date"), date},
                       {QStringLiteral("isOffDay"), off}};
}

QJsonObject holidayNotice2027()
{
    QJsonArray days{holidayDay(QStringLiteral("2027-01-01"), true), holidayDay(QStringLiteral("2027-01-02"), true),
                    holidayDay(QStringLiteral("2027-01-03"), true), holidayDay(QStringLiteral("2027-03-06"), false)};
    for (int d = 8; d <= 12; ++d)
        days.append(holidayDay(QStringLiteral("2027-03-%1").arg(d, 2, 10, QLatin1Char('0')), true));
    return QJsonObject{{QStringLiteral("year"), 2027},
                       {QStringLiteral("papers"), QJsonArray{QStringLiteral("https://www.gov.cn/test")}},
                       {QStringLiteral("days"), days}};
}

bool importCase(const QUrl &hub, const QString &projectNo, const QString &resultDate, const QString &deptCode, int pf)
{
    QJsonObject c{{QStringLiteral("projectNo"), projectNo},
                  {QStringLiteral("serviceNumber"), 1},
                  {QStringLiteral("serviceName"), QStringLiteral("居民身份证换领")},
                  {QStringLiteral("taskName"), QStringLiteral("居民身份证换领")},
                  {QStringLiteral("deptName"), QStringLiteral("示例县公安局")},
                  {QStringLiteral("deptCode"), deptCode},
                  {QStringLiteral("taskCode"), QStringLiteral("11110105000000000X4000111001001")},
                  {QStringLiteral("resultDate"), resultDate},
                  {QStringLiteral("userName"), QStringLiteral("李华")},
                  {QStringLiteral("userProp"), 1},
                  {QStringLiteral("hallCode"), QLatin1String(kHall)}};
    if (pf > 0)
        c.insert(QStringLiteral("pf"), pf);
    QJsonObject response;
    return adminSend(hub, "POST", QStringLiteral("/v1/admin/cases"), QJsonObject{{QStringLiteral("cases"), QJsonArray{c}}},
                     &response)
        == 200
        && response.value(QLatin1String("imported")).toInt() == 1;
}

Kiosk::Kiosk(const QString &dbPath, const DeviceCredentials &credentials)
    : m_db(dbPath)
    , m_credentials(credentials)
{
    createKioskDb(m_db);
}

int Kiosk::rate(QJsonObject evaluation, QString *lastError)
{
    QStringList errors;
    const QList<int> states = rateAll({std::move(evaluation)}, &errors);
    if (lastError)
        *lastError = errors.value(0);
    return states.value(0, -1);
}

QList<int> Kiosk::rateAll(const QList<QJsonObject> &evaluations, QStringList *lastErrors)
{
    QList<qint64> seqs;
    const QString connection = QStringLiteral("grievance-kiosk-") + QUuid::createUuid().toString(QUuid::WithoutBraces);
    QList<int> states(evaluations.size(), -1);
    QStringList errors(evaluations.size());
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection);
        db.setDatabaseName(m_db);
        QString error;
        bool queued = db.open() && db.transaction();
        for (QJsonObject evaluation : evaluations) {
            const qint64 seq = ++m_seq;
            // A given uuid is kept (a copy of another kiosk's record); otherwise a new one.
            m_lastUuid = evaluation.value(QLatin1String("uuid")).toString();
            if (m_lastUuid.isEmpty())
                m_lastUuid = QUuid::createUuid().toString(QUuid::WithoutBraces);
            evaluation.insert(QStringLiteral("uuid"), m_lastUuid);
            evaluation.insert(QStringLiteral("deviceSeq"), seq);
            queued = queued && Outbox::enqueue(db, seq, m_lastUuid, compact(evaluation), &error);
            seqs << seq;
        }
        queued = queued && db.commit();
        auto stateOf = [&db](qint64 seq) {
            QSqlQuery q(db);
            q.prepare(QStringLiteral("SELECT state, last_error FROM outbox WHERE seq = ?"));
            q.addBindValue(seq);
            if (!q.exec() || !q.next())
                return QPair<int, QString>(-1, QString());
            return QPair<int, QString>(q.value(0).toInt(), q.value(1).toString());
        };
        if (queued) {
            HubClient client;
            client.setCredentials(m_credentials);
            OutboxSender sender(&client);
            OutboxSender::Options o;
            o.backoffBaseMs = 20;
            o.backoffCapMs = 200;
            o.idlePollMs = 50;
            sender.setOptions(o);
            if (sender.open(m_db, &error)) {
                sender.start();
                QDeadlineTimer deadline(20000 + 200 * evaluations.size());
                qsizetype done = 0;
                while (!deadline.hasExpired() && done < seqs.size()) {
                    done = 0;
                    for (qsizetype i = 0; i < seqs.size(); ++i) {
                        const auto s = stateOf(seqs.at(i));
                        if (s.first == Outbox::Acked || s.first == Outbox::Quarantined) {
                            states[i] = s.first;
                            errors[i] = s.second;
                            ++done;
                        }
                    }
                    if (done < seqs.size())
                        QTest::qWait(20);
                }
                sender.stop();
            } else {
                qWarning() << "kiosk sender:" << error;
            }
        } else {
            qWarning() << "kiosk outbox:" << error;
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(connection);
    if (lastErrors)
        *lastErrors = errors;
    return states;
}

} // namespace hcp::sync::test::grievance

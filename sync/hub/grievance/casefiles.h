// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QDate>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QString>

namespace hcp::kiosk {
class WorkCalendar;
}

namespace hcp::sync::hub::grievance {

// 差评工单 at the hub (PROTOCOL §18): one case file per (projectNo, serviceNumber, assessNumber)
// rated 2 or 1, opened in the ingest transaction of the evaluation. States
//   待核实 → 核实中 → 整改中 → 已整改(待回访) → 已回访 → 办结,   plus 不予采纳 (upheld appeal) and
//   转办 (sent to another department, which takes it up again at 核实中).
// Every change is a row of grievance_events (append-only: the database refuses UPDATE/DELETE on
// it) with who, when and the text entered, and a line in the hub's log. Deadlines are working
// days from the rating time (the kiosk's WorkCalendar): contact 2, rectify+answer 5 (15 once
// marked 建立台账), 回访 5 from the day the file reached 已整改. Past its deadline a file takes no
// further step until a 书面说明 with a new due date is entered (action "extend").
// A thin view over the HubStore's connection, like RectificationStore; not thread-safe.
class CaseFiles
{
public:
    // Who acts. role: handler | viewer | maintainer | admin, or "kiosk"/"hub" for automatic steps.
    struct Actor
    {
        QString user;
        QString role;
        QString deptCode; // a handler's department
        bool county() const { return role == QLatin1String("maintainer") || role == QLatin1String("admin"); }
        bool handler() const { return role == QLatin1String("handler"); }
    };
    // An HTTP-shaped outcome: status 200/201 with body, or an error code + Chinese message.
    struct Outcome
    {
        int status = 200;
        QString code;
        QString message;
        QJsonObject body;
        bool ok() const { return status < 300; }
    };
    static Outcome refused(int status, const QString &code, const QString &message)
    {
        return Outcome{status, code, message, {}};
    }

    CaseFiles(QSqlDatabase db, const kiosk::WorkCalendar &calendar);

    // Tables, indexes and the append-only triggers (HubStore::open; idempotent).
    static bool ensureSchema(QSqlDatabase &db, bool postgres, QString *error);

    // The ingest hook, inside the batch's transaction (never begins or commits): an accepted
    // first rating of 2/1 opens a file; a 追评 is recorded as a 回访 of the first rating's file,
    // and a 追评 of 2/1 reopens that file (or opens one of its own when there is none).
    bool onEvaluationStored(qint64 evaluationId, const QJsonObject &evaluation, const QString &hallCode,
                            qint64 nowMs, QString *error);

    // filters: state, dept, hall, overdue ("1"), from/to (rating date, yyyy-MM-dd). A handler
    // sees its department only; a viewer sees no 办件编号.
    Outcome list(const QJsonObject &filters, const Actor &actor, const QDate &today);
    Outcome detail(qint64 id, const Actor &actor, const QDate &today);
    // One step of the workflow (actions: verify, rectify, answer, close, transfer, reassign, extend).
    Outcome act(qint64 id, const QString &action, const QJsonObject &body, const Actor &actor, qint64 nowMs);

    // Overdue open files as console alerts ({id:0, kind:"grievance_overdue", …}).
    QJsonArray overdueAlerts(const QDate &today);

    // Shared by the 回访 and appeal parts: appends an event (and logs it); moves the file to
    // toState when not empty. Inside the caller's transaction.
    bool record(qint64 fileId, const Actor &actor, const QString &action, const QString &fromState,
                const QString &toState, const QString &text, const QJsonObject &data, qint64 nowMs,
                QString *error);
    // Queues (or re-queues) a record for the province: kind "reply" or "appeal", key unique per
    // kind (UPSTREAM.md §9). Inside the caller's transaction.
    bool queueUpstream(const QString &kind, const QString &key, const QJsonObject &payload, qint64 nowMs,
                       QString *error);
    // The start of every step on a file: opens a transaction, reads the file in it and checks
    // that actor may act on it. Ok (200) with *file filled and the transaction open; otherwise the
    // refusal (404 unseen, 403 not its department, viewers) with nothing left open.
    Outcome beginStep(qint64 id, const Actor &actor, QJsonObject *file);
    // The file row as JSON (without the timeline); empty when there is none.
    QJsonObject file(qint64 id);
    // Whether actor may act on / see the file (department of a handler; county roles everywhere).
    static bool mayAct(const Actor &actor, const QJsonObject &file);
    static bool maySee(const Actor &actor, const QJsonObject &file);
    // A 办件编号 for a viewer: the first 4 and last 4 characters.
    static QString masked(const QString &projectNo);

    // The hub's calendar date now (China Standard Time) and a CST wall-clock string → QDateTime.
    static QDate todayCst();
    static QDateTime parseCst(const QString &assessTime);

    const kiosk::WorkCalendar &calendar() const { return m_calendar; }
    QSqlDatabase &database() { return m_db; }

private:
    bool open(qint64 evaluationId, const QJsonObject &e, const QString &hallCode, qint64 nowMs, QString *error);
    bool reopen(const QJsonObject &file, qint64 evaluationId, const QJsonObject &e, qint64 nowMs, QString *error);
    bool setReply(const QJsonObject &file, const QString &status, const QString &reply, qint64 nowMs, QString *error);
    QJsonArray timeline(qint64 id);
    QJsonObject withComputed(QJsonObject file, const QDate &today) const;

    QSqlDatabase m_db;
    const kiosk::WorkCalendar &m_calendar;
};

// Deadlines in working days (county plan "2、5、15"; 回访 within 5 of the rectification).
namespace deadline {
inline constexpr int Contact = 2;
inline constexpr int Simple = 5;
inline constexpr int Complex = 15;
inline constexpr int Visit = 5;
} // namespace deadline

// State names (the domain's words, stored as such).
namespace state {
inline const QString Pending = QStringLiteral("待核实");
inline const QString Verifying = QStringLiteral("核实中");
inline const QString Rectifying = QStringLiteral("整改中");
inline const QString Rectified = QStringLiteral("已整改");
inline const QString Visited = QStringLiteral("已回访");
inline const QString Closed = QStringLiteral("办结");
inline const QString Rejected = QStringLiteral("不予采纳");
inline const QString Transferred = QStringLiteral("转办");
} // namespace state

} // namespace hcp::sync::hub::grievance

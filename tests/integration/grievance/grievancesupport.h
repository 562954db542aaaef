// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "devicecredentials.h"
#include "hubprocess.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

// Support of the 差评 loop tests: console sessions of the real hcp-hub, and a kiosk whose
// ratings go through the kiosk's own outbox and OutboxSender.
namespace hcp::sync::test::grievance {

struct Http
{
    int status = 0;
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray header(const QByteArray &name) const;
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
};

Http http(const QUrl &url, const QByteArray &method, const QByteArray &body = {},
          const QList<QPair<QByteArray, QByteArray>> &headers = {});
QByteArray compact(const QJsonObject &o);

// hcp-hub add-user over the hub database (dept only for a handler).
bool addUser(const QString &dbSpec, const QString &name, const QString &role, const QString &password,
             const QString &dept = {});
// The session cookie ("hcp_session=…"), empty when the login failed.
QByteArray login(const QUrl &hub, const QString &name, const QString &password);
// /console/api/<path> with the session and the console's CSRF header.
Http console(const QUrl &hub, const QByteArray &cookie, const QByteArray &method, const QString &path,
             const QByteArray &body = {}, const QList<QPair<QByteArray, QByteArray>> &extra = {});
inline Http console(const QUrl &hub, const QByteArray &cookie, const QByteArray &method, const QString &path,
                    const QJsonObject &body)
{
    return console(hub, cookie, method, path, compact(body));
}

// A first rating or 追评 wire record (PROTOCOL §4) of projectNo/serviceNumber.
QJsonObject rating(const QString &projectNo, int satisfaction, const QString &assessTime, const QString &deptCode,
                   int assessNumber = 1, int serviceNumber = 1);
// "yyyy-MM-dd HH:mm:ss" now in China Standard Time (minus secondsAgo).
QString nowCst(int secondsAgo = 0);
QString todayCst(int plusDays = 0);

// A day of a holiday notice (data/holidays format): a holiday, or a 调休 make-up day (off = false).
QJsonObject holidayDay(const QString &date, bool off);
// A 2027 notice (not announced in the shipped files): 元旦 1–3 January and a made-up 5-day
// holiday 8–12 March with the make-up Saturday 6 March.
QJsonObject holidayNotice2027();

// Imports one case (PROTOCOL §5) through the admin API; true when imported.
bool importCase(const QUrl &hub, const QString &projectNo, const QString &resultDate, const QString &deptCode,
                int pf = 0);

// A kiosk: its outbox database and the real HubClient + OutboxSender.
class Kiosk
{
public:
    Kiosk(const QString &dbPath, const DeviceCredentials &credentials);
    // Commits the rating to the kiosk outbox (with its own uuid when it has one, else a new one)
    // and runs the sender until the hub answered for it.
    // Returns the final outbox state (2 acked, 3 quarantined; -1 no answer); *lastError = the
    // kiosk's stored reason for a quarantined row.
    int rate(QJsonObject evaluation, QString *lastError = nullptr);
    // The same for many ratings at once (one outbox transaction, one sender run): the final
    // state of each, in order.
    QList<int> rateAll(const QList<QJsonObject> &evaluations, QStringList *lastErrors = nullptr);
    QString lastUuid() const { return m_lastUuid; }

private:
    QString m_db;
    DeviceCredentials m_credentials;
    qint64 m_seq = 0;
    QString m_lastUuid;
};

} // namespace hcp::sync::test::grievance

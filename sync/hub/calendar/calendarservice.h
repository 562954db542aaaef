// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "fleetstore.h"
#include "holidaystore.h"

#include <QDate>
#include <QJsonArray>
#include <QObject>
#include <QTimer>

class QHttpServerRequest;
class QHttpServerResponse;

namespace hcp::sync::hub {
class HubServer;
class HubStore;
}

namespace hcp::sync::hub::calendar {

// The holiday calendar as signed configuration (PROTOCOL §19): the hub holds one notice per
// year (HolidayStore, seeded from the shipped files), computes its own deadlines with them
// (current()), takes an admin's upload of a year after HolidayNotice's checks, publishes every
// held notice to the kiosks as the "holidays" part of scope "calendar" (ConfigPublisher, signed
// by the hub identity), and raises the console alerts while the current year's notice is
// missing or empty, and from 1 November while the next year's is. Console part
// /console/api/calendar…; same thread as the server.
class CalendarService : public QObject
{
    Q_OBJECT
public:
    static CalendarService *install(HubServer *server, HubStore *store);

    // The working-day calendar the hub computes with: the held notices over the shipped ones
    // (only the shipped ones until a service has loaded the store). Thread-safe (worker threads
    // use it during ingest). A replaced calendar is kept for the life of the process, so the
    // reference stays valid; there is one per change of the held notices (a few a year).
    static const kiosk::WorkCalendar &current();

    // The console alerts for `today` (China Standard Time) over the held notices.
    static QJsonArray alerts(const QList<HolidayStore::Held> &held, const QDate &today, qint64 atMs);

    // Re-reads the store when its revision changed; true when current() changed.
    bool refresh();

private:
    CalendarService(HubServer *server, HubStore *store, QObject *parent);
    QHttpServerResponse console(const FleetStore::Session &session, const QStringList &parts,
                                const QHttpServerRequest &request);
    QHttpServerResponse upload(const FleetStore::Session &session, int year, const QByteArray &body);
    // Publishes every held notice; false and *error when it could not be signed or stored.
    bool publish(const QString &actor, qint64 *version, QString *error);
    QJsonObject state();

    HubServer *m_server;
    HubStore *m_store;
    QString m_revision;
    QTimer m_poll; // another hub on the same PostgreSQL may change the notices
};

} // namespace hcp::sync::hub::calendar

// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QJsonObject>
#include <QSqlDatabase>
#include <QString>

#include <optional>

namespace hcp::sync::hub::evidence {

// 一事一评 and the evaluation window, checked at ingest for a record the hub does not hold yet
// (PROTOCOL §4d). A record that fails is kept as evidence in evaluation_problems (never as an
// evaluation: not forwarded upstream, not in the 通报, no 差评 file) and refused to the kiosk:
// - second_rating / already_rated: another evaluation of the same service event and assessNumber
//   (projectNo, serviceNumber, assessNumber) is stored, from any kiosk (the hub's own default
//   ratings are left to the window_closed rule of §18.6);
// - out_of_window / outside_window: a first rating whose time, corrected by the kiosk's clock
//   drift (last heartbeat, when beyond §8's 300 s), is after the hub received it or outside the
//   case's window (resultDate − 300 s … windowDays working days later, 24:00, WorkCalendar);
//   a case the hub does not hold has no window to check.
class RatingEvidence
{
public:
    struct Finding
    {
        QString kind;   // evaluation_problems.kind
        QString reason; // the batch result's reason (kiosk), and the start of the stored reason
        QString detail; // Chinese, for the console
        QString stored() const { return reason + QStringLiteral(": ") + detail; }
    };

    struct Device
    {
        QString deviceId;
        QString hallCode;
        QString deviceClass;
    };

    // nullopt: may be stored. *failed on a database error.
    static std::optional<Finding> check(QSqlDatabase &db, const Device &device, const QJsonObject &evaluation,
                                        int windowDays, qint64 receivedAtMs, bool *failed);
};

} // namespace hcp::sync::hub::evidence

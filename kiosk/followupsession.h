// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "evaluation.h"
#include "indicatorset.h"
#include "kioskconfig.h"
#include "sessionmodels.h"

#include "hubclient.h"

#include <QDateTime>
#include <QObject>
#include <QPointer>

#include <functional>

namespace hcp::kiosk {

class ServiceAvailability;
class Store;

// 差评 follow-up (整改反馈): after the citizen scans the receipt QR of a rated service, fetches
// the department's rectification from the hub (PROTOCOL §12) and shows its status and reply; once
// the rectification is done the citizen may rate it: 追评 (assessNumber 2, evaluateType 2), once
// per service (checked locally and at the hub; the Store's unique key enforces it at commit).
// Good levels commit on the tap; 差评 needs a tapped reason. Offline is a clear message, never
// an error code. The EvaluationSession owns the visit (state FollowUp, idle timeout, wipe) and
// calls begin()/reset(). Threading: GUI thread only.
class FollowUpSession : public QObject {
    Q_OBJECT
    Q_PROPERTY(State state READ state NOTIFY stateChanged)
    Q_PROPERTY(QString projectNo READ projectNo NOTIFY changed)
    Q_PROPERTY(QString taskName READ taskName NOTIFY changed)
    Q_PROPERTY(QString statusCode READ statusCode NOTIFY changed)
    Q_PROPERTY(QString statusText READ statusText NOTIFY changed)
    Q_PROPERTY(QString reply READ reply NOTIFY changed)
    Q_PROPERTY(QString replyDept READ replyDept NOTIFY changed)
    Q_PROPERTY(QString replyTime READ replyTime NOTIFY changed)
    Q_PROPERTY(QString ratedTime READ ratedTime NOTIFY changed)
    Q_PROPERTY(QString message READ message NOTIFY changed)
    Q_PROPERTY(int satisfaction READ satisfaction NOTIFY changed)
    // 公开评价 (publicFlag 1, the default for every record shown) or 不公开评价 (2).
    Q_PROPERTY(bool publicRating READ publicRating NOTIFY changed)
    Q_PROPERTY(hcp::kiosk::ReasonListModel *reasons READ reasons CONSTANT)

public:
    enum class State {
        Idle,         // not following anything up
        Loading,      // asking the hub
        Status,       // status and reply shown; rating offered only when done
        Reasons,      // 差评 of the rectification: pick a reason
        Thanks,       // 追评 committed
        AlreadyRated, // 追评 made before (here or at another kiosk)
        NoRecord,     // the hub has no rectification for this service
        Offline,      // hub unreachable (or not enrolled)
        Error,        // commit failed
    };
    Q_ENUM(State)

    FollowUpSession(Store *store, QObject *parent = nullptr);

    // Where rectifications come from: reached = the source answered (else Offline), items as in
    // PROTOCOL §12. The callback runs on this thread, at most once.
    using Fetcher = std::function<void(const QString &projectNo,
                                       std::function<void(bool reached, const QJsonArray &items)> done)>;
    void setFetcher(Fetcher fetcher) { m_fetcher = std::move(fetcher); }
    // The hub as the source (GET /v1/rectifications). Not set / null = not enrolled: Offline.
    void setHubClient(hcp::sync::HubClient *client);
    void setConfig(const KioskConfig &config) { m_config = config; }
    void setIndicatorSet(const IndicatorSet &set) { m_indicators = set; }
    void setClock(std::function<QDateTime()> clock) { m_clock = std::move(clock); }
    // The kiosk's out-of-service switch (not owned): a commit on a full disk turns it off.
    void setAvailability(ServiceAvailability *availability) { m_availability = availability; }

    State state() const { return m_state; }
    QString projectNo() const { return m_projectNo; }
    QString taskName() const { return m_taskName; }
    QString statusCode() const { return m_status; }
    QString statusText() const;
    QString reply() const { return m_reply; }
    QString replyDept() const { return m_replyDept; }
    QString replyTime() const { return m_replyTime; }
    QString ratedTime() const { return m_ratedTime; }
    QString message() const { return m_message; }
    int satisfaction() const { return m_satisfaction; }
    bool publicRating() const { return m_publicRating; }
    ReasonListModel *reasons() { return &m_reasons; }
    // True in Status when the rectification is done and not yet rated: the levels are offered.
    Q_INVOKABLE bool canRate() const { return m_state == State::Status && m_status == QLatin1String("done"); }

public Q_SLOTS:
    void begin(const QString &projectNo, int serviceNumber); // serviceNumber 0 = the first one
    void rate(int level);
    void toggleReason(const QString &code);
    void submit();
    void setPublicRating(bool isPublic); // Status (rateable) or Reasons: 公开 / 不公开
    void back();
    void reset(); // forget everything (the visit ended)

Q_SIGNALS:
    void stateChanged();
    void changed();
    void activity(); // the citizen did something: restart the visit's idle countdown
    void committed(const hcp::kiosk::Evaluation &evaluation);

private:
    void setState(State s);
    void onItems(const QJsonArray &items);
    void commit();
    QDateTime now() const { return m_clock ? m_clock() : QDateTime::currentDateTime(); }

    Store *m_store;
    ServiceAvailability *m_availability = nullptr;
    Fetcher m_fetcher;
    KioskConfig m_config;
    IndicatorSet m_indicators;
    std::function<QDateTime()> m_clock;
    State m_state = State::Idle;
    quint64 m_request = 0; // answers for an earlier visit are dropped
    QString m_projectNo;
    int m_serviceNumber = 0;
    QString m_taskName;
    QString m_status, m_reply, m_replyDept, m_replyTime, m_ratedTime, m_message;
    int m_satisfaction = 0;
    bool m_publicRating = true;
    ReasonListModel m_reasons;
};

} // namespace hcp::kiosk

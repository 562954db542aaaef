// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "evaluation.h"
#include "indicatorset.h"
#include "kioskconfig.h"
#include "sessionmodels.h"

#include "ratenowevent.h"

#include <QDateTime>
#include <QObject>
#include <QTimer>

#include <functional>

namespace hcp::kiosk {

class ServiceAvailability;
class Store;

// The window rating pad (评价器, pf=4): the state machine behind the pad screens. Idle shows the
// staff card; a "rate now" event (hub command or loopback trigger) shows that staff member and
// the five levels at once; ONE tap on a good level (3–5) commits; 差评 (1–2) asks for at least one
// reason (tap) and then commits. 一次一评: an event for a service already rated on this device
// shows AlreadyRated and commits nothing (the Store's unique key enforces it again at commit).
// Rate/Reasons left untouched for the idle timeout go back to Idle and forget the event.
// Threading: GUI thread only. QML renders `state` and calls the intents.
class PadSession : public QObject {
    Q_OBJECT
    Q_PROPERTY(bool enabled READ enabled NOTIFY enabledChanged)
    Q_PROPERTY(State state READ state NOTIFY stateChanged)
    Q_PROPERTY(QString staffName READ staffName NOTIFY staffChanged)
    Q_PROPERTY(QString staffNo READ staffNo NOTIFY staffChanged)
    Q_PROPERTY(QString windowNo READ windowNo NOTIFY staffChanged)
    Q_PROPERTY(QString taskName READ taskName NOTIFY eventChanged)
    Q_PROPERTY(QString projectNo READ projectNo NOTIFY eventChanged)
    Q_PROPERTY(int satisfaction READ satisfaction NOTIFY eventChanged)
    Q_PROPERTY(QString message READ message NOTIFY messageChanged)
    Q_PROPERTY(QString ratedTime READ ratedTime NOTIFY eventChanged)
    // 公开评价 (publicFlag 1, the default for every new event) or 不公开评价 (2).
    Q_PROPERTY(bool publicRating READ publicRating NOTIFY eventChanged)
    Q_PROPERTY(hcp::kiosk::ReasonListModel *reasons READ reasons CONSTANT)

public:
    enum class State { Idle, Rate, Reasons, Thanks, AlreadyRated, Error };
    Q_ENUM(State)

    PadSession(Store *store, QObject *parent = nullptr);

    // Pad mode on (config pf=4). Off: the kiosk is a self-service terminal and QML ignores this.
    void setEnabled(bool on);
    void setConfig(const KioskConfig &config);
    void setIndicatorSet(const IndicatorSet &set) { m_indicators = set; }
    void setClock(std::function<QDateTime()> clock) { m_clock = std::move(clock); }
    // The kiosk's out-of-service switch (not owned): a commit on a full disk turns it off.
    void setAvailability(ServiceAvailability *availability) { m_availability = availability; }
    // Idle timeout of Rate/Reasons and the time Thanks/AlreadyRated stay, in ms (tests); 0 = config.
    void setIdleTimeoutMs(int ms) { m_idleOverrideMs = ms; }

    bool enabled() const { return m_enabled; }
    State state() const { return m_state; }
    QString staffName() const { return m_staffName; }
    QString staffNo() const { return m_staffNo; }
    QString windowNo() const { return m_windowNo; }
    QString taskName() const { return m_taskName; }
    QString projectNo() const { return m_event.projectNo; }
    int satisfaction() const { return m_satisfaction; }
    QString message() const { return m_message; }
    QString ratedTime() const { return m_ratedTime; }
    bool publicRating() const { return m_publicRating; }
    ReasonListModel *reasons() { return &m_reasons; }

public Q_SLOTS:
    // A "rate now" event (validated by its source). Replaces an unrated event still on screen;
    // a repeat of the event on screen (the hub resends until acknowledged) changes nothing.
    void rateNow(const hcp::sync::RateNowEvent &event);
    void rate(int level);               // Rate: good → commit at once; 差评 → Reasons
    void toggleReason(const QString &code);
    void setPublicRating(bool isPublic); // Rate or Reasons: 公开 / 不公开
    void submit();                      // Reasons → commit (needs ≥ 1 reason)
    void back();                        // Reasons → Rate
    void finish();                      // any → Idle (the staff card stays)
    void userActivity();

Q_SIGNALS:
    void enabledChanged();
    void stateChanged();
    void staffChanged();
    void eventChanged();
    void messageChanged();
    void committed(const hcp::kiosk::Evaluation &evaluation);

private:
    void setState(State s);
    void setMessage(const QString &m);
    void commit();
    void forgetEvent();
    int timeoutMs() const;
    QDateTime now() const { return m_clock ? m_clock() : QDateTime::currentDateTime(); }

    Store *m_store;
    ServiceAvailability *m_availability = nullptr;
    KioskConfig m_config;
    IndicatorSet m_indicators;
    std::function<QDateTime()> m_clock;
    bool m_enabled = false;
    State m_state = State::Idle;
    hcp::sync::RateNowEvent m_event;
    QString m_staffName, m_staffNo, m_windowNo;
    QString m_taskName;
    int m_satisfaction = 0;
    bool m_publicRating = true;
    QString m_message;
    QString m_ratedTime;
    ReasonListModel m_reasons;
    QTimer m_idle;
    int m_idleOverrideMs = 0;
};

} // namespace hcp::kiosk

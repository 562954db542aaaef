// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "kioskconfig.h"

#include <QHash>
#include <QObject>
#include <QString>
#include <QTimer>

#include <memory>

namespace hcp::trust {
class PinVault;
}

namespace hcp::kiosk {

class EvaluationSession;

// 代办员 sign-in: a village agent places their own ID card (matched by the keyed hash of the ID
// number against the configured agents), then enters their PIN (hashed in configuration; failures
// lock out with growing delays, per agent, like the maintenance PIN). While signed in every
// evaluation carries assistedBy, the agent's card is refused as a citizen's, and the rating screen
// asks the citizen to choose personally. The agent is signed out after the idle timeout with no
// touch, and whenever a visit times out.
// Threading: GUI thread only. The session outlives the desk.
class AgentDesk : public QObject {
    Q_OBJECT
    Q_PROPERTY(Phase phase READ phase NOTIFY phaseChanged)
    Q_PROPERTY(bool configured READ configured NOTIFY configuredChanged)
    Q_PROPERTY(QString agentName READ agentName NOTIFY phaseChanged)
    Q_PROPERTY(QString message READ message NOTIFY messageChanged)
public:
    enum class Phase { SignedOut, WaitingCard, EnterPin, SignedIn };
    Q_ENUM(Phase)

    explicit AgentDesk(EvaluationSession *session, QObject *parent = nullptr);
    ~AgentDesk() override;

    // From configuration. stateDir: where each agent's PIN failure state is kept (0600 files,
    // so a power cycle does not reset a lockout); empty keeps it in memory.
    void setAgents(const QList<AgentEntry> &agents, const QString &stateDir = {});
    // Idle time after which a signed-in agent is signed out (ms).
    void setIdleTimeoutMs(int ms);

    Phase phase() const { return m_phase; }
    bool configured() const { return !m_agents.isEmpty(); }
    QString agentName() const; // masked, for the banner
    QString agentId() const { return m_phase == Phase::SignedIn ? m_current.id : QString(); }
    QString message() const { return m_message; }

    Q_INVOKABLE void beginSignIn();            // only from the start screen
    Q_INVOKABLE void enterPin(const QString &pin);
    Q_INVOKABLE void cancelSignIn();
    Q_INVOKABLE void signOut();
    // 退出代办 from any screen of a visit: the citizen's visit ends first (nothing half-rated is
    // kept, and nothing assisted is committed as unassisted), then the agent is signed out.
    Q_INVOKABLE void endAssistance();

    // The session's card claimer: consumes the card while a sign-in waits for one.
    bool offerCard(const QString &name, const QString &idNumber);

Q_SIGNALS:
    void phaseChanged();
    void configuredChanged();
    void messageChanged();

private:
    void setPhase(Phase p);
    void setMessage(const QString &m);
    void restartIdle();
    hcp::trust::PinVault *vaultFor(const AgentEntry &a);

    EvaluationSession *m_session;
    QList<AgentEntry> m_agents;
    QString m_stateDir;
    QHash<QString, std::shared_ptr<hcp::trust::PinVault>> m_vaults; // by agent id
    Phase m_phase = Phase::SignedOut;
    AgentEntry m_current;   // the card's agent (EnterPin) or the signed-in one
    QString m_message;
    QTimer m_idle;
};

} // namespace hcp::kiosk

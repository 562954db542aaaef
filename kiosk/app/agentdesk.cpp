// SPDX-License-Identifier: Apache-2.0
#include "agentdesk.h"

#include <QPointer>

#include "evaluationsession.h"
#include "case.h"
#include "identity.h"
#include "pinvault.h"

#include <QDir>
#include <QLoggingCategory>
#include <QRegularExpression>

Q_LOGGING_CATEGORY(lcAgentDesk, "hcp.kiosk.agent")

namespace hcp::kiosk {

AgentDesk::AgentDesk(EvaluationSession *session, QObject *parent)
    : QObject(parent), m_session(session)
{
    m_idle.setSingleShot(true);
    m_idle.setInterval(60 * 1000);
    connect(&m_idle, &QTimer::timeout, this, [this] {
        qCInfo(lcAgentDesk) << "agent idle - signing out";
        if (m_phase == Phase::SignedIn)
            signOut();
        else
            cancelSignIn();
    });
    connect(m_session, &EvaluationSession::activity, this, &AgentDesk::restartIdle);
    connect(m_session, &EvaluationSession::idleExpired, this, [this] {
        if (m_phase != Phase::SignedOut)
            m_phase == Phase::SignedIn ? signOut() : cancelSignIn();
    });
    connect(m_session, &EvaluationSession::stateChanged, this, [this] {
        restartIdle();
        // A scan or typed lookup started underneath the sign-in: the sign-in gives way.
        if ((m_phase == Phase::WaitingCard || m_phase == Phase::EnterPin)
            && m_session->state() != EvaluationSession::State::Start)
            cancelSignIn();
    });
    m_session->setCardClaimer([this](const QString &name, const QString &id) { return offerCard(name, id); });
}

AgentDesk::~AgentDesk()
{
    m_session->setCardClaimer({});
}

void AgentDesk::setAgents(const QList<AgentEntry> &agents, const QString &stateDir)
{
    const bool was = configured();
    m_agents = agents;
    m_stateDir = stateDir;
    m_vaults.clear();
    if (m_phase == Phase::SignedIn) {
        bool still = false;
        for (const AgentEntry &a : m_agents)
            still = still || (a.id == m_current.id && a.certKeyHash == m_current.certKeyHash);
        if (!still)
            signOut();
    }
    if (was != configured())
        Q_EMIT configuredChanged();
}

void AgentDesk::setIdleTimeoutMs(int ms)
{
    m_idle.setInterval(qMax(1, ms));
    if (m_idle.isActive())
        m_idle.start();
}

QString AgentDesk::agentName() const
{
    return m_phase == Phase::SignedIn || m_phase == Phase::EnterPin ? maskName(m_current.name) : QString();
}

void AgentDesk::beginSignIn()
{
    if (!configured() || m_phase != Phase::SignedOut || m_session->state() != EvaluationSession::State::Start)
        return;
    setMessage({});
    setPhase(Phase::WaitingCard);
}

bool AgentDesk::offerCard(const QString &name, const QString &idNumber)
{
    Q_UNUSED(name)
    if (m_phase == Phase::EnterPin)
        return true; // the agent is typing the PIN: a card now starts nothing
    if (m_phase != Phase::WaitingCard)
        return false;
    restartIdle();
    // The hub hashes for an enrolled kiosk (PROTOCOL §5a): the card is claimed now, matched
    // when the hash is known.
    m_session->hashIdNumberThen(idNumber, [desk = QPointer<AgentDesk>(this)](const QString &hash) {
        if (!desk || desk->m_phase != Phase::WaitingCard)
            return;
        if (hash.isEmpty()) {
            desk->setMessage(tr("暂时无法核对代办员身份证（未连接服务中心），请稍后再试。"));
            return;
        }
        for (const AgentEntry &a : std::as_const(desk->m_agents)) {
            if (a.certKeyHash == hash) {
                desk->m_current = a;
                desk->setMessage({});
                desk->setPhase(Phase::EnterPin);
                return;
            }
        }
        desk->setMessage(tr("此身份证不是本机登记的代办员。办事人本人请直接在首页刷身份证。"));
    });
    return true;
}

hcp::trust::PinVault *AgentDesk::vaultFor(const AgentEntry &a)
{
    auto it = m_vaults.find(a.id);
    if (it == m_vaults.end()) {
        QString state;
        if (!m_stateDir.isEmpty()) {
            QString safe = a.id;
            safe.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9._-]")), QStringLiteral("_"));
            state = QDir(m_stateDir).filePath(QStringLiteral("agent-pin-%1.json").arg(safe));
        }
        auto vault = std::make_shared<hcp::trust::PinVault>(state);
        vault->setPinHash(a.pinHash);
        it = m_vaults.insert(a.id, vault);
    }
    return it->get();
}

void AgentDesk::enterPin(const QString &pin)
{
    if (m_phase != Phase::EnterPin)
        return;
    restartIdle();
    const auto attempt = vaultFor(m_current)->tryPin(pin);
    using O = hcp::trust::PinVault::Outcome;
    switch (attempt.outcome) {
    case O::Accepted:
        qCInfo(lcAgentDesk) << "agent" << m_current.id << "signed in";
        setMessage({});
        m_session->setAssistingAgent(m_current.id, m_current.certKeyHash);
        setPhase(Phase::SignedIn);
        return;
    case O::Rejected:
    case O::LockedOut:
        qCWarning(lcAgentDesk) << "agent" << m_current.id << "PIN refused, failures" << attempt.consecutiveFailures;
        if (attempt.retryAfterMs > 0)
            setMessage(tr("密码错误次数过多，请%1秒后再试。").arg((attempt.retryAfterMs + 999) / 1000));
        else
            setMessage(tr("密码不正确，请重新输入。"));
        return;
    case O::NotConfigured:
        setMessage(tr("该代办员尚未设置密码，请联系管理人员。"));
        return;
    }
}

void AgentDesk::cancelSignIn()
{
    if (m_phase != Phase::WaitingCard && m_phase != Phase::EnterPin)
        return;
    m_current = AgentEntry();
    setMessage({});
    setPhase(Phase::SignedOut);
}

void AgentDesk::signOut()
{
    if (m_phase == Phase::SignedIn)
        qCInfo(lcAgentDesk) << "agent" << m_current.id << "signed out";
    m_session->setAssistingAgent({}, {});
    m_current = AgentEntry();
    setMessage({});
    m_idle.stop();
    setPhase(Phase::SignedOut);
}

void AgentDesk::endAssistance()
{
    if (m_session->state() != EvaluationSession::State::Start
        && m_session->state() != EvaluationSession::State::Unavailable)
        m_session->cancel();
    signOut();
}

void AgentDesk::setPhase(Phase p)
{
    if (p == m_phase)
        return;
    m_phase = p;
    if (p == Phase::SignedOut)
        m_idle.stop();
    else
        m_idle.start();
    Q_EMIT phaseChanged();
}

void AgentDesk::setMessage(const QString &m)
{
    if (m == m_message)
        return;
    m_message = m;
    Q_EMIT messageChanged();
}

void AgentDesk::restartIdle()
{
    if (m_phase != Phase::SignedOut)
        m_idle.start();
}

} // namespace hcp::kiosk

// SPDX-License-Identifier: Apache-2.0
#include "evaluationsession.h"

#include "textscrub.h"

#include "wire.h"

#include "identity.h"
#include "qrpayload.h"
#include "ratingcommit.h"
#include "satisfaction.h"
#include "store.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcSession, "hcp.kiosk.session")

namespace hcp::kiosk {

namespace {
bool isIdentifyState(EvaluationSession::State s)
{
    using S = EvaluationSession::State;
    return s == S::Start || s == S::TypeCaseNumber || s == S::ScanQr;
}
// States from which a new card or scan may start a fresh lookup without losing a draft.
bool acceptsNewIdentity(EvaluationSession::State s)
{
    using S = EvaluationSession::State;
    return isIdentifyState(s) || s == S::NothingToRate || s == S::AlreadyRated || s == S::Error
           || s == S::Thanks || s == S::ChooseCase || s == S::FollowUp;
}
} // namespace

EvaluationSession::EvaluationSession(Store *store, CaseDirectory *directory, QObject *parent)
    : QObject(parent), m_store(store), m_directory(directory)
{
    connect(m_directory, &CaseDirectory::finished, this, &EvaluationSession::onLookupFinished);
    connect(&m_tickTimer, &QTimer::timeout, this, &EvaluationSession::tick);
    connect(&m_reasons, &ReasonListModel::selectionChanged, this, &EvaluationSession::draftChanged);
    m_tickTimer.setTimerType(Qt::CoarseTimer);
    connect(m_availability, &ServiceAvailability::storageAvailableChanged, this, &EvaluationSession::applyAvailability);
}

void EvaluationSession::setAvailability(ServiceAvailability *availability)
{
    if (availability == m_availability)
        return;
    const bool was = acceptingSessions();
    disconnect(m_availability, nullptr, this, nullptr);
    m_availability = availability;
    connect(m_availability, &ServiceAvailability::storageAvailableChanged, this, &EvaluationSession::applyAvailability);
    if (acceptingSessions() != was)
        applyAvailability();
}

void EvaluationSession::setConfig(const KioskConfig &config) { m_config = config; }

void EvaluationSession::setIdleTimeoutMs(int ms) { m_idleOverrideMs = ms; }

void EvaluationSession::setElderlyMode(bool on)
{
    const bool changed = m_elderly != on;
    m_elderly = on;
    userActivity();
    if (changed)
        Q_EMIT elderlyFlowChanged();
}

void EvaluationSession::setDataLanguage(const QString &language)
{
    m_english = language.startsWith(QLatin1String("en"));
    m_reasons.setEnglish(m_english);
    m_questions.setEnglish(m_english);
}

void EvaluationSession::setAssistingAgent(const QString &agentId, const QString &agentCertKeyHash)
{
    if (agentId == m_agentId && agentCertKeyHash == m_agentCertKeyHash)
        return;
    m_agentId = agentId;
    m_agentCertKeyHash = agentId.isEmpty() ? QString() : agentCertKeyHash;
    Q_EMIT assistedChanged();
}

QString EvaluationSession::hashIdNumber(const QString &idNumber) const
{
    return certKeyHash(m_config.idHashKey, idNumber);
}

void EvaluationSession::hashIdNumberThen(const QString &idNumber, std::function<void(const QString &)> done) const
{
    if (m_idHasher)
        m_idHasher(idNumber, std::move(done));
    else
        done(hashIdNumber(idNumber));
}

int EvaluationSession::effectiveIdleMs() const
{
    if (m_idleOverrideMs > 0)
        return m_idleOverrideMs;
    if (m_state == State::Thanks)
        return m_config.thanksTimeoutSeconds * 1000;
    return (m_elderly ? m_config.elderlyIdleTimeoutSeconds : m_config.idleTimeoutSeconds) * 1000;
}

QString EvaluationSession::caseCompletionText() const
{
    return m_case.resultDate.isValid() ? m_case.resultDate.toString(QStringLiteral("yyyy-MM-dd HH:mm")) : QString();
}

QString EvaluationSession::satisfactionLabel() const { return satisfactionText(m_satisfaction); }

bool EvaluationSession::badRating() const { return isBadRating(m_satisfaction); }

QString EvaluationSession::assessTimeText() const
{
    return m_result.assessTime.isValid() ? m_result.assessTime.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")) : QString();
}

bool EvaluationSession::countdownVisible() const
{
    return m_state != State::Start && m_state != State::Unavailable && m_state != State::Committing
           && m_idleRemaining > 0 && m_idleRemaining <= m_config.countdownSeconds;
}

int EvaluationSession::stepIndex() const
{
    switch (m_state) {
    case State::ChooseCase: return 1;
    case State::Rate: return 2;
    case State::Reasons:
    case State::Questions:
    case State::Comment: return 3;
    case State::Confirm:
    case State::Committing: return 4;
    case State::Thanks: return 5;
    default: return 0;
    }
}

QString EvaluationSession::formatEvaluationNumber(const Evaluation &e)
{
    // e.g. "000123-1F3A9C2B": readable aloud, unique with the device, printed on the receipt.
    return QStringLiteral("%1-%2").arg(e.deviceSeq, 6, 10, QLatin1Char('0'))
        .arg(e.uuid.left(8).toUpper());
}

void EvaluationSession::setState(State s)
{
    if (m_state == s)
        return;
    const bool wasIdentifying = isIdentifyState(m_state);
    const bool wasCamera = m_state == State::ScanQr;
    m_state = s;
    if (s == State::Start || s == State::Unavailable) {
        m_tickTimer.stop();
        m_idleRemaining = 0;
        Q_EMIT idleRemainingChanged();
    } else {
        userActivity();
        if (!m_tickTimer.isActive()) {
            // Coarse ticks keep the idle CPU near zero; short test timeouts tick faster.
            m_tickTimer.start(effectiveIdleMs() < 5000 ? 50 : 250);
        }
    }
    Q_EMIT stateChanged();
    if (wasIdentifying != isIdentifyState(s))
        Q_EMIT identifyingChanged(isIdentifyState(s));
    if (wasCamera != (s == State::ScanQr))
        Q_EMIT cameraWantedChanged(s == State::ScanQr);
}

void EvaluationSession::setMessage(const QString &m)
{
    if (m_message == m)
        return;
    m_message = m;
    Q_EMIT messageChanged();
}

void EvaluationSession::userActivity()
{
    m_activity.start();
    Q_EMIT activity();
    const int remaining = (effectiveIdleMs() + 999) / 1000;
    if (remaining != m_idleRemaining && m_state != State::Start) {
        m_idleRemaining = remaining;
        Q_EMIT idleRemainingChanged();
    }
}

void EvaluationSession::tick()
{
    if (m_state == State::Start || m_state == State::Unavailable || m_state == State::Committing)
        return;
    const qint64 left = effectiveIdleMs() - m_activity.elapsed();
    if (left <= 0) {
        qCInfo(lcSession) << "idle timeout in state" << m_state << "- wiping the session";
        cancel();
        Q_EMIT idleExpired();
        return;
    }
    const int secs = int((left + 999) / 1000);
    if (secs != m_idleRemaining) {
        m_idleRemaining = secs;
        Q_EMIT idleRemainingChanged();
    }
}

void EvaluationSession::setStorageAvailable(bool available)
{
    m_availability->setStorageAvailable(available);
}

void EvaluationSession::applyAvailability()
{
    const bool available = acceptingSessions();
    Q_EMIT acceptingSessionsChanged();
    if (!available && m_state == State::Start) {
        // Citizens are told the terminal is paused; the cause (disk) goes to maintenance through
        // the heartbeat's diskLow and the console's 磁盘 alert.
        setMessage(tr("本机暂停评价，已通知维护人员。请到服务窗口评价。"));
        setState(State::Unavailable);
    } else if (available && m_state == State::Unavailable) {
        setMessage({});
        setState(State::Start);
    }
}

void EvaluationSession::beginTypedLookup()
{
    if (!acceptingSessions() || !isIdentifyState(m_state))
        return;
    setMessage({});
    setState(State::TypeCaseNumber);
}

void EvaluationSession::beginScan()
{
    if (!acceptingSessions() || !isIdentifyState(m_state))
        return;
    setMessage({});
    setState(State::ScanQr);
}

void EvaluationSession::submitTypedLookup(const QString &projectNo, const QString &name)
{
    if (!acceptingSessions() || !isIdentifyState(m_state))
        return;
    const QString p = projectNo.trimmed().toUpper();
    const QString n = name.simplified();
    if (p.isEmpty() || n.isEmpty()) {
        setMessage(tr("请输入办件编号和申请人姓名。"));
        return;
    }
    const QrPayload parsed = parseQrPayload(p.toUtf8());
    if (parsed.kind != QrPayload::Kind::ProjectRef) {
        setMessage(tr("办件编号格式不正确。办件编号由6至50位字母或数字组成，见受理通知书。"));
        return;
    }
    m_identity.source = Identity::Source::Typed;
    m_identity.maskedName = maskName(n);
    Q_EMIT identityChanged();
    CaseQuery q;
    q.kind = CaseQuery::Kind::ByProjectNoAndName;
    q.projectNo = parsed.projectNo;
    q.name = n;
    startLookup(q, 0);
}

bool EvaluationSession::isKnownProjectNo(const QString &projectNo) const
{
    if (projectNo.size() < 6 || !m_directory)
        return false;
    return m_directory->holdsProjectNo(projectNo);
}

void EvaluationSession::submitQrPayload(const QByteArray &payload)
{
    if (!acceptingSessions() || !acceptsNewIdentity(m_state))
        return;
    const QrPayload p = parseQrPayload(payload);
    if (!p.isValid()) {
        wipe();
        showError(qrErrorText(p.error));
        return;
    }
    wipe();
    if (p.witness)
        Q_EMIT receiptWitnessScanned(*p.witness);
    if (p.kind == QrPayload::Kind::Receipt && m_followUpEnabled) {
        setMessage({});
        setState(State::FollowUp);
        Q_EMIT followUpRequested(p.projectNo, p.serviceNumber);
        return;
    }
    m_identity.source = Identity::Source::Receipt;
    CaseQuery q;
    q.kind = CaseQuery::Kind::ByProjectNo;
    q.projectNo = p.projectNo;
    startLookup(q, p.serviceNumber);
}

void EvaluationSession::identifyByCard(const QString &name, const QString &idNumber, const QString &cardType)
{
    Q_UNUSED(cardType)
    if (m_cardClaimer && m_cardClaimer(name, idNumber))
        return;
    if (!acceptingSessions() || !acceptsNewIdentity(m_state))
        return;
    wipe();
    m_identity.source = Identity::Source::Card;
    m_identity.maskedName = maskName(name);
    m_identity.maskedIdNumber = maskIdNumber(idNumber);
    Q_EMIT identityChanged();
    // The plain ID number goes no further than its keyed hash (made by the hub for an enrolled
    // kiosk, PROTOCOL §5a) and the ciphertext for the hub (the evaluation's certKeyEnc, §4);
    // neither is reversible on the kiosk.
    if (!m_hubPublicKeyPem.isEmpty()) {
        QString err;
        if (const auto enc = hcp::sync::wire::encryptCertKey(m_hubPublicKeyPem, idNumber, &err))
            m_certKeyEnc = *enc;
        else
            qCWarning(lcSession) << "ID number not encrypted for the hub:" << err;
    }
    setMessage({});
    setState(State::Searching);
    const quint64 visit = ++m_lookupId;
    hashIdNumberThen(idNumber, [this, visit](const QString &hash) {
        if (visit != m_lookupId || m_state != State::Searching)
            return; // the visit ended while the hub hashed
        if (hash.isEmpty()) {
            // Offline (or refused): no hash, so no card lookup, neither at the hub nor in the
            // feed cache. The typed 办件编号 + name and the receipt QR still work.
            wipe();
            showError(tr("暂时无法按身份证查询（未连接服务中心）。请输入办件编号和姓名，或扫描回执上的二维码。"));
            return;
        }
        if (!m_agentCertKeyHash.isEmpty() && hash == m_agentCertKeyHash) {
            // The agent helps; the citizen's own card identifies the citizen.
            wipe();
            showError(tr("这是代办员的身份证。请使用办事人本人的身份证。"));
            return;
        }
        CaseQuery q;
        q.kind = CaseQuery::Kind::ByCertKeyHash;
        q.certKeyHash = hash;
        startLookup(q, 0);
    });
}

void EvaluationSession::startLookup(const CaseQuery &query, int serviceNumber)
{
    m_pendingServiceNumber = serviceNumber;
    setMessage({});
    setState(State::Searching);
    m_directory->lookup(query, ++m_lookupId);
}

void EvaluationSession::onLookupFinished(quint64 id, const QList<Case> &found, CaseDirectory::Source source,
                                         bool unreachable)
{
    Q_UNUSED(source)
    if (id != m_lookupId || m_state != State::Searching)
        return; // a stale answer for a visit that has ended
    QList<CaseListModel::Row> rows;
    const QDateTime t = now();
    const int n = m_config.ratingWindowWorkingDays;
    for (const Case &c : found) {
        if (m_pendingServiceNumber > 0 && c.serviceNumber != m_pendingServiceNumber)
            continue;
        CaseListModel::Row r;
        r.c = c;
        // The session's own buffer for the name (wipe() overwrites it in place; the source's
        // copy is the source's business).
        r.c.userName = QString(c.userName.constData(), c.userName.size());
        if (const auto rated = m_store->ratedAt(c.projectNo, c.serviceNumber)) {
            r.statusText = tr("已评价（%1）").arg(rated->toString(QStringLiteral("yyyy-MM-dd HH:mm")));
        } else if (c.proStatus != 3) {
            r.statusText = tr("尚未办结，办结后可评价");
        } else if (!m_calendar.isWithinWindow(c.resultDate, t, n)) {
            r.statusText = tr("已超过评价期限");
        } else {
            r.rateable = true;
            const QDateTime end = m_calendar.windowEnd(c.resultDate, n).addSecs(-1);
            // The date format is translated too (English: "11 Dec"; QDate::toString uses English names).
            r.statusText = tr("可评价，截止 %1").arg(end.toString(tr("M月d日", "date format of a rating deadline")));
        }
        rows.append(r);
    }
    m_cases.setRows(rows);

    if (rows.isEmpty()) {
        // Says what was asked (the screen adds the window and the hotline once, below).
        if (unreachable)
            setMessage(tr("网络暂时不通，未能查询到您的办件。请稍后再试。"));
        else if (m_identity.queryKind() == CaseQuery::Kind::ByCertKeyHash)
            setMessage(tr("没有查到您名下可以评价的办件。办件办结后才能评价，刚办结的办件可能要稍等几分钟才能查到。"));
        else if (m_identity.queryKind() == CaseQuery::Kind::ByProjectNoAndName)
            setMessage(tr("没有查到这个办件编号和姓名对应的办件。请核对受理通知书上的办件编号和办事人姓名。"));
        else
            setMessage(tr("没有查到这个二维码对应的办件。请确认是本服务中心的回执或受理通知书，或改为输入办件编号。"));
        setState(State::NothingToRate);
        return;
    }
    if (rows.size() == 1) {
        chooseCase(0);
        return;
    }
    bool anyRateable = false;
    for (const auto &r : rows)
        anyRateable = anyRateable || r.rateable;
    if (!anyRateable) {
        setMessage(tr("您的办件都已评价或已超过评价期限（办结后%1个工作日内可评价）。").arg(n));
        setState(State::NothingToRate);
        return;
    }
    setState(State::ChooseCase);
}

void EvaluationSession::chooseCase(int row)
{
    const CaseListModel::Row *r = m_cases.row(row);
    if (!r || (m_state != State::ChooseCase && m_state != State::Searching))
        return;
    if (r->rateable) {
        selectCase(r->c);
        return;
    }
    if (const auto rated = m_store->ratedAt(r->c.projectNo, r->c.serviceNumber)) {
        m_case = r->c;
        Q_EMIT currentCaseChanged();
        m_alreadyRatedTime = rated->toString(QStringLiteral("yyyy-MM-dd HH:mm"));
        Q_EMIT resultChanged();
        setMessage({});
        setState(State::AlreadyRated);
        return;
    }
    if (m_state == State::ChooseCase) {
        setMessage(r->statusText);
        return;
    }
    setMessage(r->c.proStatus != 3
                   ? tr("该办件尚未办结，办结后即可评价。")
                   : tr("该办件已超过评价期限（办结后%1个工作日内可评价）。")
                         .arg(m_config.ratingWindowWorkingDays));
    setState(State::NothingToRate);
}

void EvaluationSession::selectCase(const Case &c)
{
    m_case = c;
    m_satisfaction = 0;
    m_comment.clear();
    m_publicFlag = 1;
    m_detailsRequested = false;
    m_reasons.clear();
    m_questionnaire = m_questionnaires.forTask(c.taskCode);
    m_questions.setQuestionnaire(m_questionnaire);
    setMessage({});
    Q_EMIT currentCaseChanged();
    Q_EMIT draftChanged();
    setState(State::Rate);
}

void EvaluationSession::rate(int level)
{
    if (m_state != State::Rate || !isValidSatisfaction(level))
        return;
    if (level != m_satisfaction) {
        m_satisfaction = level;
        m_reasons.setIndicators(m_indicators.forLevel(level, !m_elderly)); // 关怀模式 has no comment step
    }
    setMessage({});
    Q_EMIT draftChanged();
    setState(isBadRating(level) ? State::Reasons : State::Confirm);
}

void EvaluationSession::toggleReason(const QString &code)
{
    if (m_state != State::Reasons)
        return;
    m_reasons.toggle(code);
    setMessage({});
    userActivity();
}

void EvaluationSession::answerQuestion(const QString &itemId, const QString &value)
{
    if (m_state != State::Questions)
        return;
    if (!m_questions.answer(itemId, value))
        qCWarning(lcSession) << "rejected answer" << value << "for" << itemId;
    userActivity();
}

void EvaluationSession::appendPhrase(const QString &phrase)
{
    if (m_state != State::Comment)
        return;
    QString next = m_comment;
    if (!next.isEmpty() && !next.endsWith(QChar(0xff0c)) && !next.endsWith(QChar(0x3002)))
        next += QChar(0xff0c); // ，
    setComment(next + phrase);
}

void EvaluationSession::setComment(const QString &text)
{
    if (m_state != State::Comment && m_state != State::Reasons)
        return;
    const QString clean = sanitizeComment(text);
    const bool cut = text.toUcs4().size() > kCommentMaxChars;
    if (clean != m_comment) {
        m_comment = clean;
        Q_EMIT draftChanged();
    }
    setMessage(cut ? tr("留言最多%1字，多出的部分未保留。").arg(kCommentMaxChars) : QString());
    userActivity();
}

void EvaluationSession::setPublicRating(bool isPublic)
{
    if (m_state != State::Confirm)
        return;
    m_publicFlag = isPublic ? 1 : 2;
    Q_EMIT draftChanged();
    userActivity();
}

void EvaluationSession::next()
{
    switch (m_state) {
    case State::Reasons:
        if (m_elderly) {
            // 关怀模式: one decision per screen, no typing — a reason is the required detail.
            if (badRating() && m_reasons.selectedCount() == 0 && m_comment.isEmpty()) {
                setMessage(tr("请至少选择一项原因。"));
                return;
            }
            setMessage({});
            setState(State::Confirm);
            return;
        }
        // The rule «差评请至少选择一项原因或填写意见» where the choice is made: a reason here, or
        // 我来写意见 (writeComment) for the comment instead.
        if (badRating() && m_reasons.selectedCount() == 0 && m_comment.isEmpty()) {
            setMessage(tr("请至少选择一项原因，或点“我来写意见”。"));
            return;
        }
        setMessage({});
        setState(m_questions.rowCount() > 0 ? State::Questions : State::Comment);
        break;
    case State::Questions:
        setState(State::Comment);
        break;
    case State::Comment:
        if (badRating() && m_reasons.selectedCount() == 0 && m_comment.isEmpty()) {
            setMessage(ruleViolationText(RuleViolation::BadRatingNeedsReason));
            return;
        }
        setMessage({});
        setState(State::Confirm);
        break;
    default:
        break;
    }
}

void EvaluationSession::writeComment()
{
    if (m_state != State::Reasons || m_elderly)
        return;
    setMessage({});
    setState(State::Comment);
}

void EvaluationSession::addDetails()
{
    if (m_state != State::Confirm || badRating())
        return;
    m_detailsRequested = true;
    setState(m_questions.rowCount() > 0 ? State::Questions : State::Comment);
}

void EvaluationSession::back()
{
    setMessage({});
    switch (m_state) {
    case State::TypeCaseNumber:
    case State::ScanQr:
        setState(State::Start);
        break;
    case State::Rate:
        if (m_cases.rowCount() > 1)
            setState(State::ChooseCase);
        else
            cancel();
        break;
    case State::Reasons:
        setState(State::Rate);
        break;
    case State::Questions:
        setState(badRating() ? State::Reasons : State::Confirm);
        break;
    case State::Comment:
        if (m_questions.rowCount() > 0)
            setState(State::Questions);
        else
            setState(badRating() ? State::Reasons : State::Confirm);
        break;
    case State::Confirm:
        setState(badRating() ? (m_elderly ? State::Reasons : State::Comment) : State::Rate);
        break;
    case State::Error:
        // The draft survives a failed commit: go back and try again.
        setState(isValidSatisfaction(m_satisfaction) && m_case.isValid() ? State::Confirm : State::Start);
        break;
    case State::ChooseCase:
    case State::NothingToRate:
    case State::AlreadyRated:
    case State::FollowUp:
        cancel();
        break;
    default:
        break;
    }
}

void EvaluationSession::submit()
{
    if (m_state != State::Confirm)
        return;
    Evaluation e = ratingcommit::fromCase(m_case, ratingcommit::Assessment::First, m_config);
    e.satisfaction = m_satisfaction;
    e.evalDetail = m_reasons.selectedCodes();
    e.answers = m_questions.answers();
    // A deep copy: the record goes to other threads (printer, sender), and wipe() overwrites
    // the session's own buffer in place.
    e.writingEvaluation = QString(m_comment.constData(), m_comment.size());
    e.certKeyEnc = m_certKeyEnc.isEmpty() ? QString() : QString(m_certKeyEnc.constData(), m_certKeyEnc.size());
    e.publicFlag = m_publicFlag;
    e.assistedBy = m_agentId;
    e.assessTime = now();
    e.indicatorVersion = m_indicators.version;
    e.questionnaireVersion = m_questionnaire.version;

    const RuleViolation v = validateEvaluation(e, m_indicators, m_questionnaire);
    if (v != RuleViolation::None) {
        setMessage(ruleViolationText(v));
        if (v == RuleViolation::BadRatingNeedsReason || v == RuleViolation::UnknownReasonCode)
            setState(State::Reasons);
        return;
    }
    setState(State::Committing);
    const ratingcommit::Outcome outcome = ratingcommit::commit(*m_store, e, m_availability);
    switch (outcome.kind) {
    case ratingcommit::Outcome::Kind::Committed:
        m_result = e;
        m_receiptQr = receiptQrUrl(m_config.followUpBase, e.uuid, e.projectNo, e.serviceNumber,
                                   m_receiptSigner ? m_receiptSigner(e) : std::nullopt);
        Q_EMIT resultChanged();
        Q_EMIT committed(e);
        setMessage({});
        setState(State::Thanks);
        break;
    case ratingcommit::Outcome::Kind::AlreadyRated:
        m_alreadyRatedTime = outcome.ratedTime;
        Q_EMIT resultChanged();
        setState(State::AlreadyRated);
        break;
    case ratingcommit::Outcome::Kind::Failed:
        // A full disk has switched the kiosk out of service (ratingcommit::commit); the cause goes
        // to maintenance (heartbeat diskLow), citizens are told the terminal is paused.
        showError(outcome.storageFull
                      ? tr("抱歉，这次评价未能保存。本机已暂停评价并通知维护人员，请到服务窗口评价。")
                      : tr("系统暂时出现故障，这次评价未能保存。请点“返回重试”，或到服务窗口评价。"));
        break;
    }
}

void EvaluationSession::reportIdentifyError(const QString &message)
{
    if (!acceptingSessions() || !isIdentifyState(m_state))
        return;
    wipe();
    showError(message);
}

void EvaluationSession::requestReceipt()
{
    if (m_state != State::Thanks || m_receiptState == ReceiptState::Printing || m_receiptState == ReceiptState::Printed)
        return;
    m_receiptState = ReceiptState::Printing;
    m_receiptMessage = tr("正在打印凭条…");
    Q_EMIT receiptChanged();
    Q_EMIT receiptRequested(m_result, m_receiptQr);
}

void EvaluationSession::setReceiptResult(bool printed, const QString &reason)
{
    if (m_receiptState != ReceiptState::Printing)
        return;
    m_receiptState = printed ? ReceiptState::Printed : ReceiptState::Failed;
    m_receiptMessage = printed ? tr("凭条已打印，请取走。")
                               : tr("凭条未能打印（%1）。评价已保存，请用手机扫描屏幕上的二维码。").arg(reason);
    Q_EMIT receiptChanged();
}

void EvaluationSession::showError(const QString &text)
{
    setMessage(text);
    setState(State::Error);
}

void EvaluationSession::finish() { cancel(); }

void EvaluationSession::cancel()
{
    if (m_state == State::Committing)
        return;
    wipe();
    setState(acceptingSessions() ? State::Start : State::Unavailable);
}

void EvaluationSession::wipe()
{
    // Overwrite before release so the citizen's text does not linger in freed heap blocks.
    // overwriteText writes into the shared buffers themselves, so copies that QML or the list
    // model hold are blanked too (the plain ID number never reaches the session: see
    // identifyByCard).
    for (const CaseListModel::Row &row : m_cases.rows())
        overwriteText(row.c.userName);
    scrubText(m_identity.maskedName);
    scrubText(m_identity.maskedIdNumber);
    scrubText(m_comment);
    m_message = QString(); // may share a caller's text (reportIdentifyError): released, not overwritten
    scrubText(m_case.userName);
    scrubText(m_certKeyEnc);
    m_case = Case();
    m_satisfaction = 0;
    m_publicFlag = 1;
    m_detailsRequested = false;
    m_cases.clear();
    m_reasons.clear();
    m_questions.clear();
    m_result = Evaluation();
    m_receiptQr.clear();
    m_alreadyRatedTime.clear();
    m_receiptState = ReceiptState::None;
    m_receiptMessage.clear();
    m_pendingServiceNumber = 0;
    ++m_lookupId; // answers still in flight belong to nobody now
    Q_EMIT identityChanged();
    Q_EMIT currentCaseChanged();
    Q_EMIT draftChanged();
    Q_EMIT resultChanged();
    Q_EMIT receiptChanged();
    Q_EMIT messageChanged();
    Q_EMIT sessionWiped();
}

} // namespace hcp::kiosk

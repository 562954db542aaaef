// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "receiptwitness.h"

#include "case.h"
#include "casedirectory.h"
#include "evaluation.h"
#include "identity.h"
#include "indicatorset.h"
#include "kioskconfig.h"
#include "questionnaire.h"
#include "serviceavailability.h"
#include "sessionmodels.h"
#include "workcalendar.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <functional>

namespace hcp::kiosk {

class Store;

// One citizen visit: identify → choose case → rate → reasons → questions → comment → confirm →
// committed → thanks. QML renders `state` and calls the intents; every rule lives here.
// Idle for idleTimeout → back to Start with every personal field cleared (screen and memory):
// the session's text buffers are overwritten in place (textscrub.h), not only released.
// Threading: GUI thread only.
class EvaluationSession : public QObject {
    Q_OBJECT
    Q_PROPERTY(State state READ state NOTIFY stateChanged)
    Q_PROPERTY(QString message READ message NOTIFY messageChanged)
    Q_PROPERTY(bool busy READ busy NOTIFY stateChanged)
    Q_PROPERTY(QString citizenName READ citizenName NOTIFY identityChanged)
    Q_PROPERTY(QString citizenIdMasked READ citizenIdMasked NOTIFY identityChanged)
    Q_PROPERTY(hcp::kiosk::CaseListModel *cases READ cases CONSTANT)
    Q_PROPERTY(hcp::kiosk::ReasonListModel *reasons READ reasons CONSTANT)
    Q_PROPERTY(hcp::kiosk::QuestionListModel *questions READ questions CONSTANT)
    Q_PROPERTY(QString caseProjectNo READ caseProjectNo NOTIFY currentCaseChanged)
    Q_PROPERTY(QString caseTaskName READ caseTaskName NOTIFY currentCaseChanged)
    Q_PROPERTY(QString caseDeptName READ caseDeptName NOTIFY currentCaseChanged)
    Q_PROPERTY(QString caseWindowNo READ caseWindowNo NOTIFY currentCaseChanged)
    Q_PROPERTY(QString caseStaffName READ caseStaffName NOTIFY currentCaseChanged)
    Q_PROPERTY(QString caseStaffNo READ caseStaffNo NOTIFY currentCaseChanged)
    Q_PROPERTY(QString caseCompletionText READ caseCompletionText NOTIFY currentCaseChanged)
    Q_PROPERTY(int satisfaction READ satisfaction NOTIFY draftChanged)
    Q_PROPERTY(QString satisfactionText READ satisfactionLabel NOTIFY draftChanged)
    Q_PROPERTY(bool badRating READ badRating NOTIFY draftChanged)
    Q_PROPERTY(QString comment READ comment NOTIFY draftChanged)
    Q_PROPERTY(int commentMax READ commentMax CONSTANT)
    Q_PROPERTY(bool publicRating READ publicRating NOTIFY draftChanged)
    Q_PROPERTY(QString evaluationNumber READ evaluationNumber NOTIFY resultChanged)
    Q_PROPERTY(QString assessTimeText READ assessTimeText NOTIFY resultChanged)
    Q_PROPERTY(QString receiptQr READ receiptQr NOTIFY resultChanged)
    Q_PROPERTY(QString alreadyRatedTime READ alreadyRatedTime NOTIFY resultChanged)
    Q_PROPERTY(ReceiptState receiptState READ receiptState NOTIFY receiptChanged)
    Q_PROPERTY(QString receiptMessage READ receiptMessage NOTIFY receiptChanged)
    Q_PROPERTY(int idleRemaining READ idleRemaining NOTIFY idleRemainingChanged)
    Q_PROPERTY(bool countdownVisible READ countdownVisible NOTIFY idleRemainingChanged)
    Q_PROPERTY(bool acceptingSessions READ acceptingSessions NOTIFY acceptingSessionsChanged)
    Q_PROPERTY(QStringList phrases READ phrases NOTIFY draftChanged) // by the level chosen
    Q_PROPERTY(QString hallName READ hallName CONSTANT)
    Q_PROPERTY(QString hotline READ hotline CONSTANT)
    Q_PROPERTY(int stepIndex READ stepIndex NOTIFY stateChanged)
    // A 代办员 is signed in: the rating screen asks the citizen to choose personally.
    Q_PROPERTY(bool assisted READ assisted NOTIFY assistedChanged)
    Q_PROPERTY(bool elderlyFlow READ elderlyFlow NOTIFY elderlyFlowChanged)

public:
    enum class State {
        Start,          // ways to identify
        TypeCaseNumber, // 办件编号 + name on the on-screen keyboard
        ScanQr,         // camera preview: hold the receipt's QR code up
        Searching,      // lookup in progress (cache, then hub)
        ChooseCase,
        Rate,
        Reasons,
        Questions,
        Comment,
        Confirm,
        Committing,
        Thanks,
        AlreadyRated,
        NothingToRate,
        Error,
        Unavailable,    // storage nearly full: no new sessions
        FollowUp,       // a receipt QR was scanned: the FollowUpSession shows 整改反馈 (and 追评)
    };
    Q_ENUM(State)
    enum class ReceiptState { None, Printing, Printed, Failed };
    Q_ENUM(ReceiptState)

    EvaluationSession(Store *store, CaseDirectory *directory, QObject *parent = nullptr);

    void setConfig(const KioskConfig &config);
    const KioskConfig &config() const { return m_config; }
    void setCalendar(const WorkCalendar &calendar) { m_calendar = calendar; }
    void setIndicatorSet(const IndicatorSet &set) { m_indicators = set; }
    void setQuestionnaires(const QuestionnaireCatalog &catalog) { m_questionnaires = catalog; }
    // The hub's SM2 public key (PEM, DeviceCredentials::hubPublicKey). With it, a card
    // identification puts the ID number, encrypted for the hub, into the evaluation's certKeyEnc;
    // without it (stand-alone kiosk) the record carries no certKey at all.
    void setHubPublicKey(const QByteArray &pem) { m_hubPublicKeyPem = pem; }
    // Injected clock (tests); defaults to QDateTime::currentDateTime.
    void setClock(std::function<QDateTime()> clock) { m_clock = std::move(clock); }
    // The kiosk's out-of-service switch, shared with the pad and the 追评 (not owned; until set,
    // the session's own). Off: no new visits (Unavailable at Start).
    void setAvailability(ServiceAvailability *availability);
    ServiceAvailability *availability() const { return m_availability; }
    // Idle timeout in milliseconds (tests use short ones); 0 restores the configured one.
    void setIdleTimeoutMs(int ms);
    // Extra time (e.g. elderly mode) — the session restarts the countdown with it. Elderly mode
    // also makes the journey one decision per screen: rate → (差评 only) reasons → confirm.
    void setElderlyMode(bool on);
    bool elderlyFlow() const { return m_elderly; }
    // Data texts (reasons, questions) in English when the UI language is English ("en…").
    void setDataLanguage(const QString &language);

    // 代办员 mode: while an agent is signed in every evaluation carries assistedBy = agentId, and
    // the agent's own card (keyed hash) is refused as the citizen's. Empty agentId signs out.
    void setAssistingAgent(const QString &agentId, const QString &agentCertKeyHash);
    bool assisted() const { return !m_agentId.isEmpty(); }
    QString assistingAgent() const { return m_agentId; }
    // A card reader's card is first offered here (e.g. to an agent sign-in waiting for a card);
    // returning true consumes it. Called with the plain ID number on the GUI thread.
    using CardClaimer = std::function<bool(const QString &name, const QString &idNumber)>;
    void setCardClaimer(CardClaimer claimer) { m_cardClaimer = std::move(claimer); }
    // The keyed hash of an ID number with the local key (stand-alone and demo kiosks only: an
    // enrolled kiosk holds no hub key, PROTOCOL §5a).
    QString hashIdNumber(const QString &idNumber) const;
    // The hub's keyed hash of an ID number (agents' certKeyHash use the same), asked of the hub
    // by an enrolled kiosk (IdHasher: HubClient::hashIdNumber); done("") when it cannot answer
    // (offline, throttled). Without a hasher: the local key, at once.
    using IdHasher = std::function<void(const QString &idNumber, std::function<void(const QString &hash)> done)>;
    void setIdHasher(IdHasher hasher) { m_idHasher = std::move(hasher); }
    void hashIdNumberThen(const QString &idNumber, std::function<void(const QString &hash)> done) const;
    // Receipt QR codes (the kiosk's own) open the 差评 follow-up instead of the case lookup.
    void setFollowUpEnabled(bool on) { m_followUpEnabled = on; }
    // Signs the receipt QR of a committed evaluation (device id, seq, uuid) with the device key,
    // making the printed receipt a witness (PROTOCOL §4c). Unset: receipts carry no witness.
    using ReceiptSigner = std::function<std::optional<trust::ReceiptWitness>(const Evaluation &)>;
    void setReceiptSigner(ReceiptSigner signer) { m_receiptSigner = std::move(signer); }

    State state() const { return m_state; }
    QString message() const { return m_message; }
    bool busy() const { return m_state == State::Searching || m_state == State::Committing; }
    QString citizenName() const { return m_identity.maskedName; }
    QString citizenIdMasked() const { return m_identity.maskedIdNumber; }
    CaseListModel *cases() { return &m_cases; }
    ReasonListModel *reasons() { return &m_reasons; }
    QuestionListModel *questions() { return &m_questions; }
    QString caseProjectNo() const { return m_case.projectNo; }
    QString caseTaskName() const { return m_case.taskName; }
    QString caseDeptName() const { return m_case.deptName; }
    QString caseWindowNo() const { return m_case.windowNo; }
    QString caseStaffName() const { return m_case.staffName; }
    QString caseStaffNo() const { return m_case.staffNo; }
    QString caseCompletionText() const;
    int satisfaction() const { return m_satisfaction; }
    QString satisfactionLabel() const;
    bool badRating() const;
    QString comment() const { return m_comment; }
    int commentMax() const { return kCommentMaxChars; }
    bool publicRating() const { return m_publicFlag == 1; }
    QString evaluationNumber() const { return m_result.uuid.isEmpty() ? QString() : formatEvaluationNumber(m_result); }
    QString assessTimeText() const;
    QString receiptQr() const { return m_receiptQr; }
    QString alreadyRatedTime() const { return m_alreadyRatedTime; }
    ReceiptState receiptState() const { return m_receiptState; }
    QString receiptMessage() const { return m_receiptMessage; }
    int idleRemaining() const { return m_idleRemaining; }
    bool countdownVisible() const;
    bool acceptingSessions() const { return m_availability->storageAvailable(); }
    QStringList phrases() const { return badRating() ? m_config.badPhrases : m_config.phrases; }
    QString hallName() const { return m_config.hallName; }
    QString hotline() const { return m_config.hotline; }
    int stepIndex() const;
    const Evaluation &lastCommitted() const { return m_result; }

    // Short human form of the evaluation number printed on the receipt: device seq + uuid head.
    static QString formatEvaluationNumber(const Evaluation &e);

public Q_SLOTS:
    // --- intents from QML / devices ---
    void beginTypedLookup();                                   // Start → TypeCaseNumber
    void beginScan();                                          // Start → ScanQr (camera on)
    void submitTypedLookup(const QString &projectNo, const QString &name);
    // True when this 办件编号 names a case the kiosk already holds (the typed-number screen then
    // moves on to the name by itself: the number is complete).
    bool isKnownProjectNo(const QString &projectNo) const;
    void submitQrPayload(const QByteArray &payload);           // camera / scanner / demo
    void identifyByCard(const QString &name, const QString &idNumber, const QString &cardType);
    void chooseCase(int row);
    void rate(int level);
    void toggleReason(const QString &code);
    void answerQuestion(const QString &itemId, const QString &value);
    void appendPhrase(const QString &phrase);
    void setComment(const QString &text);
    void setPublicRating(bool isPublic);
    void next();          // forward from reasons / questions / comment / rate(good → confirm)
    void back();
    void writeComment();  // 差评 reasons → the comment, when the citizen would rather write (我来写意见)
    void addDetails();    // from Confirm after a good rating: optional questions + comment
    void submit();        // Confirm → Committing → Thanks (only after the durable commit)
    void requestReceipt();
    void finish();        // Thanks / AlreadyRated / NothingToRate / Error → Start
    void cancel();        // anywhere → Start, wiping everything
    void userActivity();  // any touch: restarts the idle countdown
    void setStorageAvailable(bool available); // switches the shared availability (below)

    // A card or scan that could not be used (bad check digit, card pulled mid-read): shown as an
    // error when the citizen is identifying, ignored otherwise.
    void reportIdentifyError(const QString &message);

    // Results from the printer service (wired in main).
    void setReceiptResult(bool printed, const QString &reason);

Q_SIGNALS:
    void stateChanged();
    void messageChanged();
    void identityChanged();
    void currentCaseChanged();
    void draftChanged();
    void resultChanged();
    void receiptChanged();
    void idleRemainingChanged();
    void acceptingSessionsChanged();
    // Wiring points for devices: polling the card reader / camera only while identifying.
    void identifyingChanged(bool identifying);
    void cameraWantedChanged(bool wanted);
    void committed(const hcp::kiosk::Evaluation &evaluation);
    void receiptRequested(const hcp::kiosk::Evaluation &evaluation, const QString &qrUrl);
    void sessionWiped();
    void assistedChanged();
    void elderlyFlowChanged();
    // Any touch or intent (restarts the idle countdown); and the idle timeout itself.
    void activity();
    void idleExpired();
    // State FollowUp entered for this service (serviceNumber 0 = not given by the QR).
    void followUpRequested(const QString &projectNo, int serviceNumber);
    // A scanned receipt carried its issuing device's witness signature (PROTOCOL §4c): to be
    // reported to the hub, whatever the receipt is used for next.
    void receiptWitnessScanned(const hcp::trust::ReceiptWitness &witness);

private:
    void setState(State s);
    void setMessage(const QString &m);
    void startLookup(const CaseQuery &query, int serviceNumber);
    void onLookupFinished(quint64 id, const QList<Case> &cases, CaseDirectory::Source source, bool unreachable);
    void selectCase(const Case &c);
    void showError(const QString &text);
    void wipe();
    void tick();
    void applyAvailability();
    QDateTime now() const { return m_clock ? m_clock() : QDateTime::currentDateTime(); }
    int effectiveIdleMs() const;

    Store *m_store;
    CaseDirectory *m_directory;
    KioskConfig m_config;
    WorkCalendar m_calendar;
    IndicatorSet m_indicators;
    QuestionnaireCatalog m_questionnaires;
    Questionnaire m_questionnaire;
    std::function<QDateTime()> m_clock;

    State m_state = State::Start;
    QString m_message;
    Identity m_identity; // masked; its source names the lookup in the nothing-to-rate text
    QString m_certKeyEnc;       // base64 ciphertext for the hub, set by a card identification
    QByteArray m_hubPublicKeyPem;
    IdHasher m_idHasher;
    CaseListModel m_cases;
    ReasonListModel m_reasons;
    QuestionListModel m_questions;
    Case m_case;
    int m_satisfaction = 0;
    QString m_comment;
    int m_publicFlag = 1;
    bool m_detailsRequested = false;
    Evaluation m_result;
    QString m_receiptQr;
    ReceiptSigner m_receiptSigner;
    QString m_alreadyRatedTime;
    ReceiptState m_receiptState = ReceiptState::None;
    QString m_receiptMessage;
    ServiceAvailability m_ownAvailability;
    ServiceAvailability *m_availability = &m_ownAvailability;
    bool m_elderly = false;
    bool m_english = false;
    QString m_agentId;
    QString m_agentCertKeyHash;
    CardClaimer m_cardClaimer;
    bool m_followUpEnabled = false;

    quint64 m_lookupId = 0;
    int m_pendingServiceNumber = 0;
    int m_idleOverrideMs = 0;
    QTimer m_tickTimer;
    QElapsedTimer m_activity;
    int m_idleRemaining = 0;
};

} // namespace hcp::kiosk

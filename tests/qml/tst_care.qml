// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtTest
import Kiosk.Core
import Kiosk.App

// 关怀模式 (one decision per screen), voice help without a speech engine, 代办员 mode, and the
// number of taps from identification to a committed good rating. Everything is read back from
// SQLite (Probe.evaluations()). The test setup gives Voice an engine name that does not exist.
TestCase {
    id: tc
    name: "Care"
    when: windowShown

    property var kiosk: null
    property int taps: 0

    function init() {
        Session.cancel()
        Agent.signOut()
        App.elderlyMode = false
        if (!kiosk) {
            kiosk = Qt.createComponent("qrc:/qt/qml/Kiosk/App/Main.qml").createObject(null, { width: 1080, height: 1920 })
            verify(kiosk !== null, "Main.qml loads")
            kiosk.show()
        }
        tryCompare(Session, "state", Session.Start)
        taps = 0
    }
    function cleanup() {
        Probe.setIdleTimeoutMs(0)
        Probe.setAgentIdleMs(600000)
        Session.cancel()
        Agent.signOut()
        App.elderlyMode = false
    }

    function item(name) {
        let found = null
        tryVerify(function() { found = findChild(kiosk.contentItem, name); return found !== null && found.visible },
                  3000, "item " + name + " shown")
        return found
    }
    function shown(name) {
        const it = findChild(kiosk.contentItem, name)
        return it !== null && it.visible
    }
    function tap(name) {
        mouseClick(item(name))
        ++taps
        wait(20)
    }
    function pin(digits) {
        for (let i = 0; i < digits.length; ++i)
            tap("agentPin_" + digits[i])
        tap("agentPin_确定")
    }
    function firstRateableRow() {
        const rateableRole = 256 + 8 // CaseListModel::RateableRole
        for (let row = 0; row < Session.cases.count; ++row)
            if (Session.cases.data(Session.cases.index(row, 0), rateableRole))
                return row
        fail("no rateable case in the list")
    }
    // A receipt QR identifies exactly one case: the rating screen comes next.
    function scanCaseOf(person, nth) {
        const projectNo = Probe.projectNoOf(person, nth)
        verify(projectNo.length > 0, "demo case of " + person)
        App.demoScanText(projectNo)
        tryCompare(Session, "state", Session.Rate)
        compare(Session.caseProjectNo, projectNo)
        return projectNo
    }

    function test_elderlyMode_badRating_reasonsThenConfirm_isStored() {
        tap("elderlyToggle")
        verify(App.elderlyMode)
        const before = Probe.evaluations().length
        const projectNo = scanCaseOf("陈明", 0)
        tap("rate1")
        tryCompare(Session, "state", Session.Reasons)
        // A 差评 needs a reason; without a keyboard screen in this mode, a reason it is.
        tap("reasonsNext")
        compare(Session.state, Session.Reasons)
        verify(Session.message.length > 0)
        tap("reason502")
        tap("reasonsNext")
        // No questions, no comment, no extras; the 公开/不公开 choice is there (公开 preselected).
        tryCompare(Session, "state", Session.Confirm)
        verify(shown("careConfirmLevel"))
        verify(shown("publicNo"))
        verify(!shown("addDetails"))
        tap("confirmBack")
        tryCompare(Session, "state", Session.Reasons)
        tap("reasonsNext")
        tryCompare(Session, "state", Session.Confirm)
        tap("submit")
        tryCompare(Session, "state", Session.Thanks)
        const rows = Probe.evaluations()
        compare(rows.length, before + 1)
        const e = rows[rows.length - 1]
        compare(e.projectNo, projectNo)
        compare(e.satisfaction, 1)
        compare(e.evalDetail, "502")
        compare(e.writingEvaluation, "")
        compare(e.publicFlag, 1)
        // The screen's prompt was asked for (silently: no engine here).
        compare(Voice.lastRequest, Voice.prompt(Session.Thanks))
        tap("finish")
        tryCompare(Session, "state", Session.Start)
    }

    function test_elderlyMode_idleWarningIsSpoken_andTimeIsLonger() {
        tap("elderlyToggle")
        scanCaseOf("刘洋", 0)
        compare(Voice.lastRequest, Voice.prompt(Session.Rate))
        compare(Session.idleRemaining, 180) // elderlyIdleTimeoutSeconds
        Probe.setIdleTimeoutMs(2500)
        Session.userActivity()
        tryVerify(function() { return Session.countdownVisible }, 3000)
        tryVerify(function() { return Voice.lastRequest.indexOf("返回首页") >= 0 }, 2000, "idle warning requested")
        tryCompare(Session, "state", Session.Start, 5000)
    }

    function test_noSpeechEngine_holdSpeaksNothingVisible_andRatingCompletes() {
        verify(!Voice.available, "the test engine name does not exist")
        const before = Probe.evaluations().length
        scanCaseOf("赵丽", 0)
        // Press and hold: asks for the level's name, does not rate, shows nothing.
        const five = item("rate5")
        mousePress(five)
        tryVerify(function() { return Voice.lastRequest === "非常满意" }, 3000, "held button spoke its label")
        mouseRelease(five)
        compare(Session.state, Session.Rate)
        compare(Session.message, "")
        tap("rate5")
        tryCompare(Session, "state", Session.Confirm)
        tap("submit")
        tryCompare(Session, "state", Session.Thanks)
        compare(Probe.evaluations().length, before + 1)
        compare(Probe.evaluations()[before].satisfaction, 5)
        tap("finish")
    }

    // Taps from identification to a committed good rating. Fails if the journey grows.
    function test_tapCount_goodRating_terminalAndElderly() {
        // One case (receipt QR): rate + submit.
        scanCaseOf("孙德福", 0)
        taps = 0
        tap("rate5"); tryCompare(Session, "state", Session.Confirm)
        tap("submit"); tryCompare(Session, "state", Session.Thanks)
        const oneCase = taps
        tap("finish")
        // Several cases (ID card): choose + rate + submit.
        App.demoSwipeCard(3) // 张秀英
        tryCompare(Session, "state", Session.ChooseCase)
        taps = 0
        tap("caseRow" + firstRateableRow())
        tryCompare(Session, "state", Session.Rate)
        tap("rate4"); tryCompare(Session, "state", Session.Confirm)
        tap("submit"); tryCompare(Session, "state", Session.Thanks)
        const fromList = taps
        tap("finish")
        // 关怀模式, one case.
        App.elderlyMode = true
        scanCaseOf("周晓燕", 0)
        taps = 0
        tap("rate5"); tryCompare(Session, "state", Session.Confirm)
        tap("submit"); tryCompare(Session, "state", Session.Thanks)
        const elderly = taps
        console.log("taps to a committed good rating: one case " + oneCase + ", from a list " + fromList + ", 关怀模式 " + elderly)
        verify(oneCase <= 2, "one case: " + oneCase)
        verify(fromList <= 3, "from a list: " + fromList)
        verify(elderly <= 2, "关怀模式: " + elderly)
        tap("finish")
    }

    function test_agent_signInWithCardAndPin_citizenCard_assistedByStored_signOutOnIdle() {
        const before = Probe.evaluations().length
        tap("agentSignIn")
        compare(Agent.phase, Agent.WaitingCard)
        verify(item("agentPage").visible)
        App.demoSwipeCard(1) // not an agent: refused, still waiting
        tryVerify(function() { return Agent.message.length > 0 })
        compare(Agent.phase, Agent.WaitingCard)
        compare(Session.state, Session.Start)
        App.demoSwipeCard(2) // the agent's own card
        tryCompare(Agent, "phase", Agent.EnterPin)
        pin("111111")
        compare(Agent.phase, Agent.EnterPin)
        verify(item("agentMessage").text.length > 0)
        pin("135790")
        tryCompare(Agent, "phase", Agent.SignedIn)
        verify(Session.assisted)
        compare(item("agentSignIn").text, "退出代办")

        // The agent's card is not the citizen's.
        App.demoSwipeCard(2)
        tryCompare(Session, "state", Session.Error)
        verify(item("messageDetail").text.indexOf("本人") >= 0)
        tap("messagePrimary")
        tryCompare(Session, "state", Session.Start)

        // The citizen's own card; the rating screen asks the citizen to choose personally.
        App.demoSwipeCard(4) // 吴敏
        tryCompare(Session, "state", Session.ChooseCase)
        tap("caseRow" + firstRateableRow())
        tryCompare(Session, "state", Session.Rate)
        verify(item("choosePersonally").text.indexOf("本人选择") >= 0)
        tap("rate4")
        tryCompare(Session, "state", Session.Confirm)
        verify(item("agentBanner").text.indexOf(Agent.agentName) >= 0)
        tap("submit")
        tryCompare(Session, "state", Session.Thanks)
        const rows = Probe.evaluations()
        compare(rows.length, before + 1)
        const e = rows[rows.length - 1]
        compare(e.assistedBy, "AGENT-001")
        compare(e.satisfaction, 4)
        compare(Probe.assistedByColumn(e.deviceSeq), "AGENT-001")
        tap("finish")
        tryCompare(Session, "state", Session.Start)

        // Idle: the agent is signed out by itself.
        verify(Session.assisted)
        Probe.setAgentIdleMs(300)
        tryCompare(Agent, "phase", Agent.SignedOut, 3000)
        verify(!Session.assisted)
        verify(!shown("agentBar"))
    }

    // 退出代办 is there while a case is open (it was only on the start screen): the visit ends,
    // nothing is rated, the agent is signed out. In maintenance the sign-in button is gone.
    function test_agent_signOutWhileCaseOpen_endsTheVisitUnrated_andNoSignInDuringMaintenance() {
        const before = Probe.evaluations().length
        tap("agentSignIn")
        App.demoSwipeCard(2)
        tryCompare(Agent, "phase", Agent.EnterPin)
        pin("135790")
        tryCompare(Agent, "phase", Agent.SignedIn)
        App.demoSwipeCard(0) // 李华: several cases, so the list is shown
        tryCompare(Session, "state", Session.ChooseCase)
        verify(!shown("agentSignIn"))
        verify(item("agentBanner").text.indexOf(Agent.agentName) >= 0)
        tap("agentBarSignOut")
        tryCompare(Session, "state", Session.Start)
        compare(Agent.phase, Agent.SignedOut)
        verify(!Session.assisted)
        verify(!shown("agentBar"))
        compare(Probe.evaluations().length, before)

        verify(shown("agentSignIn"))
        Diagnostics.requestOpen()
        tryCompare(Diagnostics, "open", true)
        tryVerify(function() { return !shown("agentSignIn") }, 3000, "no 代办员登录 during maintenance")
        Diagnostics.close()
        tryVerify(function() { return shown("agentSignIn") }, 3000)
    }

    function test_agent_wrongPins_lockOut() {
        tap("agentSignIn")
        App.demoSwipeCard(2)
        tryCompare(Agent, "phase", Agent.EnterPin)
        for (let i = 0; i < 4; ++i)
            pin("000000")
        verify(Agent.message.indexOf("秒后再试") >= 0, Agent.message)
        pin("135790") // right PIN, but locked out
        compare(Agent.phase, Agent.EnterPin)
        tap("agentCancel")
        compare(Agent.phase, Agent.SignedOut)
    }
}

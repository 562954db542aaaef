// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtTest
import Kiosk.Core
import Kiosk.App

// Walks the citizen journeys through the real screens by simulated taps, then reads the
// evaluation back from SQLite (Probe.evaluations()).
TestCase {
    id: tc
    name: "Journey"
    when: windowShown

    property var kiosk: null

    function init() {
        Session.cancel()
        if (!kiosk) {
            kiosk = Qt.createComponent("qrc:/qt/qml/Kiosk/App/Main.qml").createObject(null, { width: 1080, height: 1920 })
            verify(kiosk !== null, "Main.qml loads")
            kiosk.show()
        }
        tryCompare(Session, "state", Session.Start)
    }

    function cleanup() {
        Probe.setIdleTimeoutMs(0)
        Session.cancel()
    }

    function item(name) {
        let found = null
        tryVerify(function() { found = findChild(kiosk.contentItem, name); return found !== null && found.visible },
                  3000, "item " + name + " shown")
        return found
    }
    function tap(name) {
        const it = item(name)
        mouseClick(it)
        wait(20)
    }
    function typeKeys(text) {
        for (let i = 0; i < text.length; ++i)
            tap("key_" + text[i])
    }

    // Typed identification, counted as a person taps it: the complete number moves on to the
    // name by itself, and the name's characters come first in the strip (surname, then given
    // name), so each takes a letter or two and one tap. It took 16 digits + 1 + 14 + 1 = 33.
    function test_typedIdentification_tapCount_numberMovesOnAndNamesRankFirst() {
        const projectNo = Probe.projectNoOf("王建国", 0)
        verify(projectNo.length > 0)
        let taps = 0
        const press = function(name) { tap(name); ++taps }
        press("startTyped")
        compare(Session.state, Session.TypeCaseNumber)
        const start = taps
        for (let i = 0; i < projectNo.length; ++i)
            press("key_" + projectNo[i])
        tryCompare(findChild(kiosk.contentItem, "keyboard"), "mode", "pinyin") // no tap on the name field
        const syllables = [["王", "wang"], ["建", "jian"], ["国", "guo"]]
        for (const [ch, py] of syllables) {
            let at = -1
            for (let k = 0; k < py.length && (at < 0 || at >= 8); ++k) {
                press("key_" + py[k])
                at = Pinyin.candidates.indexOf(ch)
            }
            verify(at >= 0 && at < 8, ch + " in the first row after typing " + py)
            press("candidate" + at)
        }
        press("typedSubmit")
        // Found (another test may have rated it already: then 已评价 names the same case).
        tryVerify(function() { return Session.state === Session.Rate || Session.state === Session.AlreadyRated }, 3000,
                  "state " + Session.state + " message " + Session.message + " number " + projectNo)
        compare(Session.caseProjectNo, projectNo)
        const used = taps - start
        console.log("typed_identification_taps=" + used + " digits=" + projectNo.length)
        verify(used <= projectNo.length + 8, used + " taps")
    }

    function test_typedLookup_badRatingWithReasonsQuestionsComment_isStored() {
        const projectNo = Probe.projectNoOf("李华", 0)
        verify(projectNo.length > 0)
        const before = Probe.evaluations().length
        tap("startTyped")
        compare(Session.state, Session.TypeCaseNumber)
        typeKeys(projectNo)
        tap("field_name")
        typeKeys("lihua")
        const idx = Pinyin.candidates.indexOf("李华")
        verify(idx >= 0, "李华 offered for lihua")
        const list = findChild(kiosk.contentItem, "pinyinCandidates")
        list.positionViewAtIndex(idx, ListView.Beginning)
        tap("candidate" + idx)
        tap("typedSubmit")
        tryCompare(Session, "state", Session.Rate)
        compare(Session.caseProjectNo, projectNo)
        tap("rate2")
        tryCompare(Session, "state", Session.Reasons)
        tap("reason501")
        tap("reason504")
        tap("reasonsNext")
        tryCompare(Session, "state", Session.Questions)
        tap("answer_q1_0")
        tap("questionsNext")
        tryCompare(Session, "state", Session.Comment)
        tap("phrase3")
        tap("commentNext")
        tryCompare(Session, "state", Session.Confirm)
        tap("publicNo")
        tap("submit")
        tryCompare(Session, "state", Session.Thanks)
        verify(item("evaluationNumber").text.indexOf(Session.evaluationNumber) >= 0)

        const rows = Probe.evaluations()
        compare(rows.length, before + 1)
        const e = rows[rows.length - 1]
        compare(e.projectNo, projectNo)
        compare(e.satisfaction, 2)
        compare(e.evalDetail, "501,504")
        compare(e.answers.q1, "0")
        compare(e.writingEvaluation, Session.phrases[3])
        compare(e.publicFlag, 2)
        compare(e.userNameMasked, "李*")
        compare(Probe.outboxRows(), rows.length)
        tap("finish")
        tryCompare(Session, "state", Session.Start)
    }

    function test_cardSwipe_oneTapGoodRating_thenAlreadyRated() {
        const before = Probe.evaluations().length
        App.demoSwipeCard(1) // 王建国: several cases → list
        tryCompare(Session, "state", Session.ChooseCase)
        tap("caseRow0")
        tryCompare(Session, "state", Session.Rate)
        const project = Session.caseProjectNo
        tap("rate5")
        tryCompare(Session, "state", Session.Confirm)
        tap("submit")
        tryCompare(Session, "state", Session.Thanks)
        compare(Probe.evaluations().length, before + 1)
        compare(Probe.evaluations()[before].satisfaction, 5)
        tap("finish")
        tryCompare(Session, "state", Session.Start)

        App.demoSwipeCard(1)
        tryCompare(Session, "state", Session.ChooseCase)
        tap("caseRow0")
        tryCompare(Session, "state", Session.AlreadyRated)
        compare(Session.caseProjectNo, project)
        verify(item("messageDetail").text.indexOf("一次服务只能评价一次") >= 0)
        tap("messagePrimary")
        tryCompare(Session, "state", Session.Start)
        compare(Probe.evaluations().length, before + 1)
    }

    function test_idle_countdownShowsThenResetClearsScreen() {
        Probe.setIdleTimeoutMs(2500)
        App.demoSwipeCard(0)
        tryCompare(Session, "state", Session.ChooseCase)
        verify(Session.citizenName.length > 0)
        tryVerify(function() { return item("idleCountdown").visible }, 3000)
        tryCompare(Session, "state", Session.Start, 5000)
        compare(Session.citizenName, "")
        compare(Session.cases.count, 0)
        verify(!findChild(kiosk.contentItem, "caseList"))
        Probe.setIdleTimeoutMs(0)
    }

    function test_continueButton_keepsTheSession() {
        Probe.setIdleTimeoutMs(3000)
        App.demoSwipeCard(0)
        tryCompare(Session, "state", Session.ChooseCase)
        tryVerify(function() { return findChild(kiosk.contentItem, "continueButton") && findChild(kiosk.contentItem, "continueButton").visible }, 4000)
        mouseClick(findChild(kiosk.contentItem, "continueButton"))
        verify(Session.idleRemaining >= 2)
        compare(Session.state, Session.ChooseCase)
        Probe.setIdleTimeoutMs(0)
        Session.cancel()
    }

    function test_garbageQr_showsErrorScreen() {
        App.demoScanText("WIFI:S:x;T:WPA;P:y;;")
        tryCompare(Session, "state", Session.Error)
        verify(item("messageDetail").text.indexOf("无法识别") >= 0)
        tap("messagePrimary")
        tryCompare(Session, "state", Session.Start)
    }
}

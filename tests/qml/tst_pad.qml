// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtTest
import Kiosk.Core
import Kiosk.App

// The window rating pad end to end: a "rate now" POSTed to the pad's real loopback trigger, the
// citizen's taps on the real screens, the evaluation read back from SQLite. Counts the taps from
// the event to a committed good rating: the target is 1 and the test fails if it grows.
TestCase {
    id: tc
    name: "Pad"
    when: windowShown

    property var kiosk: null
    property int taps: 0

    function init() {
        Session.cancel()
        Probe.setPadEnabled(true)
        Pad.finish()
        if (!kiosk) {
            kiosk = Qt.createComponent("qrc:/qt/qml/Kiosk/App/Main.qml").createObject(null, { width: 1080, height: 1920 })
            verify(kiosk !== null, "Main.qml loads")
            kiosk.show()
        }
        tryCompare(Pad, "state", Pad.Idle)
    }

    function cleanup() {
        Probe.setPadIdleTimeoutMs(0)
        Pad.finish()
        Probe.setPadEnabled(false)
    }

    function item(name) {
        let found = null
        tryVerify(function() { found = findChild(kiosk.contentItem, name); return found !== null && found.visible },
                  3000, "item " + name + " shown")
        return found
    }
    function tap(name) {
        const it = item(name)
        // Positioners lay out on the next polish: click where the item is, not where it was.
        waitForRendering(kiosk.contentItem, 500)
        mouseClick(it)
        ++taps
        wait(20)
    }

    // POST /rate-now to the pad's trigger on 127.0.0.1; returns the HTTP status.
    function trigger(event, token) {
        const result = { status: -1, body: "" }
        const xhr = new XMLHttpRequest()
        xhr.onreadystatechange = function() {
            if (xhr.readyState === XMLHttpRequest.DONE) {
                result.status = xhr.status
                result.body = xhr.responseText
            }
        }
        xhr.open("POST", "http://127.0.0.1:" + Probe.padTriggerPort() + "/rate-now")
        if (token.length > 0)
            xhr.setRequestHeader("Authorization", "Bearer " + token)
        xhr.setRequestHeader("Content-Type", "application/json")
        xhr.send(typeof event === "string" ? event : JSON.stringify(event))
        tryVerify(function() { return result.status !== -1 }, 5000, "trigger answered")
        return result
    }
    function event(projectNo) {
        return { projectNo: projectNo, serviceNumber: 1, staffNo: "S0012", staffName: "王芳", windowNo: "A03" }
    }

    function test_triggerThenOneTap_goodRatingCommittedWithPf4() {
        const before = Probe.evaluations().length
        compare(trigger(event("PAD2026112900001"), Probe.padToken()).status, 202)
        tryCompare(Pad, "state", Pad.Rate)
        // Staff member and all five levels at once.
        compare(item("staffName").text, "王芳")
        compare(item("staffNo").text, "工号 S0012")
        for (let level = 1; level <= 5; ++level)
            item("padRate" + level)
        taps = 0
        tap("padRate5")
        tryVerify(function() { return Probe.evaluations().length === before + 1 }, 3000, "row in SQLite")
        compare(taps, 1, "taps from the event to a committed good rating")
        const e = Probe.evaluations()[before]
        compare(e.pf, 4)
        compare(e.satisfaction, 5)
        compare(e.projectNo, "PAD2026112900001")
        compare(e.serviceNumber, 1)
        compare(e.assessNumber, 1)
        compare(e.staffNo, "S0012")
        compare(e.windowNo, "A03")
        tryCompare(Pad, "state", Pad.Thanks)
        compare(item("padResultTitle").text, "感谢您的评价！")
    }

    function test_secondEventForSameService_showsAlreadyRated_noSecondRow() {
        compare(trigger(event("PAD2026112900002"), Probe.padToken()).status, 202)
        tryCompare(Pad, "state", Pad.Rate)
        tap("padRate4")
        tryCompare(Pad, "state", Pad.Thanks)
        const after = Probe.evaluations().length
        tap("padDone")
        tryCompare(Pad, "state", Pad.Idle)
        compare(trigger(event("PAD2026112900002"), Probe.padToken()).status, 202)
        tryCompare(Pad, "state", Pad.AlreadyRated)
        compare(item("padResultTitle").text, "本次服务已评价")
        verify(findChild(kiosk.contentItem, "padRate5") === null || !findChild(kiosk.contentItem, "padRate5").visible)
        compare(Probe.evaluations().length, after)
    }

    function test_badRating_needsOneTappedReason_thenCommits() {
        const before = Probe.evaluations().length
        compare(trigger(event("PAD2026112900003"), Probe.padToken()).status, 202)
        tryCompare(Pad, "state", Pad.Rate)
        tap("padRate1")
        tryCompare(Pad, "state", Pad.Reasons)
        tap("padSubmit")
        verify(Pad.message.length > 0, "a reason is asked for")
        compare(Probe.evaluations().length, before)
        tap("padReason501")
        tap("padSubmit")
        tryCompare(Pad, "state", Pad.Thanks)
        const e = Probe.evaluations()[before]
        compare(e.pf, 4)
        compare(e.satisfaction, 1)
        compare(e.evalDetail, "501")
    }

    function test_idle_showsStaffCardAndInvitation_afterTimeout() {
        compare(trigger(event("PAD2026112900004"), Probe.padToken()).status, 202)
        tryCompare(Pad, "state", Pad.Rate)
        Probe.setPadIdleTimeoutMs(300)
        Pad.userActivity()
        tryCompare(Pad, "state", Pad.Idle, 3000)
        compare(item("padIdlePrompt").text, "请对我的服务进行评价")
        compare(item("staffName").text, "王芳")
        verify(item("staffPhoto").width >= 72)
    }

    function test_triggerWithBadTokenOrBody_refused_padStaysIdle() {
        compare(trigger(event("PAD2026112900005"), "wrong-token").status, 401)
        compare(trigger(event("PAD2026112900005"), "").status, 401)
        const malformed = trigger("{\"projectNo\": \"PAD2026112900005\"", Probe.padToken())
        compare(malformed.status, 400)
        const noStaff = trigger({ projectNo: "PAD2026112900005", serviceNumber: 1, windowNo: "A03" }, Probe.padToken())
        compare(noStaff.status, 400)
        verify(JSON.parse(noStaff.body).message.indexOf("staffNo") >= 0, noStaff.body)
        compare(Pad.state, Pad.Idle)
    }
}

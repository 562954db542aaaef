// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtTest
import Kiosk.Core
import Kiosk.App

// 差评 follow-up against the real hub: scan the receipt QR → status and the department's reply →
// rate the rectification (追评, assessNumber 2, evaluateType 2) once; hub down → a clear message.
TestCase {
    id: tc
    name: "FollowUp"
    when: windowShown

    property var kiosk: null
    property int taps: 0

    function init() {
        Session.cancel()
        if (!kiosk) {
            kiosk = Qt.createComponent("qrc:/qt/qml/Kiosk/App/Main.qml").createObject(null, { width: 1080, height: 1920 })
            verify(kiosk !== null, "Main.qml loads")
            kiosk.show()
        }
        tryCompare(Session, "state", Session.Start)
    }
    function cleanup() { Session.cancel() }

    function item(name) {
        let found = null
        tryVerify(function() { found = findChild(kiosk.contentItem, name); return found !== null && found.visible },
                  5000, "item " + name + " shown")
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
    function shown(name) {
        const it = findChild(kiosk.contentItem, name)
        return it !== null && it.visible
    }
    function scan(projectNo) {
        App.demoScanText(Probe.receiptFor(projectNo, 1))
        tryCompare(Session, "state", Session.FollowUp)
    }

    function test_doneRectification_replyShown_oneTapRating_storedOnceAsSecondAssessment() {
        compare(Probe.seedRectification("FU2026112900001", "done", "已为您补办并增设午间窗口，感谢监督。"), 200)
        const before = Probe.evaluations().length
        scan("FU2026112900001")
        tryCompare(FollowUp, "state", FollowUp.Status, 5000)
        verify(item("followUpStatus").text.indexOf("已整改并答复") >= 0, item("followUpStatus").text)
        verify(item("followUpReply").text.indexOf("已为您补办并增设午间窗口") >= 0)
        taps = 0
        tap("followUpRate4")
        tryCompare(FollowUp, "state", FollowUp.Thanks)
        compare(taps, 1, "one tap rates the rectification")
        const rows = Probe.evaluations()
        compare(rows.length, before + 1)
        const e = rows[before]
        compare(e.projectNo, "FU2026112900001")
        compare(e.serviceNumber, 1)
        compare(e.assessNumber, 2)
        compare(e.evaluateType, 2)
        compare(e.satisfaction, 4)
        tap("followUpDone")
        tryCompare(Session, "state", Session.Start)

        // Once only: the same receipt again shows the earlier 追评 and offers no levels.
        scan("FU2026112900001")
        tryCompare(FollowUp, "state", FollowUp.AlreadyRated, 5000)
        verify(!shown("followUpRate4"))
        compare(Probe.evaluations().length, before + 1)
    }

    function test_badRatingOfRectification_needsReason() {
        compare(Probe.seedRectification("FU2026112900002", "done", "已约谈窗口负责人并整改。"), 200)
        const before = Probe.evaluations().length
        scan("FU2026112900002")
        tryCompare(FollowUp, "state", FollowUp.Status, 5000)
        tap("followUpRate1")
        tryCompare(FollowUp, "state", FollowUp.Reasons)
        tap("followUpSubmit")
        verify(FollowUp.message.length > 0)
        compare(Probe.evaluations().length, before)
        tap("followUpReason501")
        tap("followUpSubmit")
        tryCompare(FollowUp, "state", FollowUp.Thanks)
        const e = Probe.evaluations()[before]
        compare(e.assessNumber, 2)
        compare(e.satisfaction, 1)
        compare(e.evalDetail, "501")
    }

    function test_rectificationInProgress_statusShown_noRatingOffered() {
        compare(Probe.seedRectification("FU2026112900003", "in_progress", ""), 200)
        scan("FU2026112900003")
        tryCompare(FollowUp, "state", FollowUp.Status, 5000)
        verify(item("followUpStatus").text.indexOf("整改中") >= 0)
        verify(!shown("followUpRate5"))
        verify(item("followUpMessage").text.indexOf("整改完成") >= 0)
    }

    function test_noRectificationAtHub_saysSo() {
        scan("FU2026112900099")
        tryCompare(FollowUp, "state", FollowUp.NoRecord, 5000)
        compare(item("followUpResult").text, "暂无整改反馈")
    }

    function test_hubDown_clearOfflineMessage_thenWorksAgain() {
        compare(Probe.seedRectification("FU2026112900004", "done", "已整改。"), 200)
        Probe.stopHub()
        scan("FU2026112900004")
        tryCompare(FollowUp, "state", FollowUp.Offline, 8000)
        compare(item("followUpResult").text, "暂时无法查询")
        verify(item("followUpMessage").text.indexOf("网络暂时不通") >= 0)
        tap("followUpDone")
        verify(Probe.startHub())
        scan("FU2026112900004")
        tryCompare(FollowUp, "state", FollowUp.Status, 8000)
    }
}

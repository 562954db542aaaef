// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtTest
import Kiosk.Core
import Kiosk.Theme

// WCAG 2.2 contrast of every text/background pair the screens use: ≥ 4.5:1 normally,
// ≥ 7:1 in 关怀模式; and every tappable control on the main screens ≥ 72 px in both orientations.
TestCase {
    name: "Theme"
    when: windowShown

    function channel(c) { return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4) }
    function luminance(col) { return 0.2126 * channel(col.r) + 0.7152 * channel(col.g) + 0.0722 * channel(col.b) }
    function ratio(a, b) {
        const la = luminance(a), lb = luminance(b)
        return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05)
    }
    function pairs() {
        const p = [
            ["text/background", Theme.text, Theme.background],
            ["text/surface", Theme.text, Theme.surface],
            ["textMuted/background", Theme.textMuted, Theme.background],
            ["textMuted/surface", Theme.textMuted, Theme.surface],
            ["warning/background", Theme.warning, Theme.background],
            ["warning/surface", Theme.warning, Theme.surface],
            ["selected/surface", Theme.selected, Theme.surface],
            ["onBrand/brand", Theme.inkOnBrand, Theme.brand],
            ["onBrand/selected", Theme.inkOnBrand, Theme.selected],
        ]
        if (!Theme.elderly) // disabled look exists only outside elderly mode
            p.push(["disabledText/surface", Theme.disabledText, Theme.surface])
        for (let level = 1; level <= 5; ++level)
            p.push(["onBrand/level" + level, Theme.inkOnBrand, Qt.lighter(Theme.levelColor(level), 1.0)])
        return p
    }
    function checkAll(minimum) {
        let worst = 100
        for (const [name, fg, bg] of pairs()) {
            const r = ratio(fg, bg)
            worst = Math.min(worst, r)
            verify(r >= minimum, name + " contrast " + r.toFixed(2) + " < " + minimum)
        }
        console.log((Theme.elderly ? "elderly" : "normal") + " mode: worst contrast " + worst.toFixed(2))
    }

    function test_contrast_normalMode() {
        App.elderlyMode = false
        checkAll(4.5)
    }
    function test_contrast_elderlyMode() {
        App.elderlyMode = true
        checkAll(7.0)
        App.elderlyMode = false
    }

    property var kiosk: null
    function tappables(item, out) {
        if (!item || !item.visible)
            return out
        const role = item.Accessible ? item.Accessible.role : undefined
        if ((role === Accessible.Button || role === Accessible.CheckBox) && item.width > 0)
            out.push(item)
        for (let i = 0; i < item.children.length; ++i)
            tappables(item.children[i], out)
        return out
    }
    function checkTargets(screenName) {
        wait(50)
        const minimum = App.elderlyMode ? 96 : 72
        const found = tappables(kiosk.contentItem, [])
        verify(found.length > 0, screenName + ": no controls found")
        for (const it of found)
            verify(it.width >= minimum - 0.5 && it.height >= minimum - 0.5,
                   screenName + ": " + (it.objectName || it.Accessible.name) + " is " + it.width.toFixed(0) + "×" + it.height.toFixed(0))
    }
    function test_touchTargets_bothOrientations_data() {
        return [{ tag: "portrait", w: 1080, h: 1920, elderly: false }, { tag: "landscape", w: 1920, h: 1080, elderly: false },
                { tag: "portrait-elderly", w: 1080, h: 1920, elderly: true }, { tag: "landscape-elderly", w: 1920, h: 1080, elderly: true }]
    }
    function test_touchTargets_bothOrientations(data) {
        Session.cancel()
        if (!kiosk) {
            kiosk = Qt.createComponent("qrc:/qt/qml/Kiosk/App/Main.qml").createObject(null, {})
            kiosk.show()
        }
        kiosk.width = data.w
        kiosk.height = data.h
        App.elderlyMode = data.elderly
        checkTargets("start")
        Session.beginTypedLookup()
        checkTargets("type case number")
        Session.cancel()
        App.demoSwipeCard(0)
        tryVerify(function() { return Session.state === Session.ChooseCase }, 3000, "case list for the demo card, state " + Session.state)
        checkTargets("case list")
        const rateableRole = 256 + 8 // CaseListModel::RateableRole
        for (let row = 0; row < Session.cases.count; ++row) {
            if (Session.cases.data(Session.cases.index(row, 0), rateableRole)) {
                Session.chooseCase(row)
                break
            }
        }
        compare(Session.state, Session.Rate, "a rateable case: " + Session.message)
        checkTargets("rate")
        Session.rate(2)
        checkTargets("reasons")
        Session.toggleReason("501")
        Session.next()
        if (!data.elderly) { // 关怀模式 goes from the reasons straight to confirm
            checkTargets("questions")
            Session.next()
            checkTargets("comment")
            Session.next()
        }
        compare(Session.state, Session.Confirm)
        checkTargets("confirm")
        Session.cancel()
        // 代办员 sign-in: card prompt and PIN pad.
        Agent.beginSignIn()
        compare(Agent.phase, Agent.WaitingCard)
        checkTargets("agent card")
        App.demoSwipeCard(2)
        tryVerify(function() { return Agent.phase === Agent.EnterPin }, 3000)
        checkTargets("agent PIN")
        Agent.cancelSignIn()
        // 差评 follow-up: the status with the levels, then the reasons of a 差评.
        App.demoScanText(Probe.receiptFor("DONE20261129" + data.tag.length))
        tryVerify(function() { return FollowUp.state === FollowUp.Status }, 3000, "follow-up status, state " + FollowUp.state)
        checkTargets("follow-up status")
        FollowUp.rate(1)
        compare(FollowUp.state, FollowUp.Reasons)
        checkTargets("follow-up reasons")
        Session.cancel()
        // Window rating pad (评价器): the five levels at once, then the reasons of a 差评.
        Probe.setPadEnabled(true)
        Probe.padRateNow("PADTHEME" + data.tag.length)
        tryVerify(function() { return Pad.state === Pad.Rate }, 3000)
        checkTargets("pad rate")
        Pad.rate(1)
        compare(Pad.state, Pad.Reasons)
        checkTargets("pad reasons")
        Pad.finish()
        Probe.setPadEnabled(false)
        App.elderlyMode = false
    }
}

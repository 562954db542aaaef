// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtTest
import Kiosk.Core

// The maintenance page: hidden long-press, PIN pad (wrong PIN refused), test print, exit;
// the status tab (hub, queue, ledger, configuration, update), masked log viewer, manual sync and
// the two-tap sanctioned exit, each audit-logged.
TestCase {
    name: "Diagnostics"
    when: windowShown
    property var kiosk: null

    function init() {
        Session.cancel()
        if (!kiosk) {
            kiosk = Qt.createComponent("qrc:/qt/qml/Kiosk/App/Main.qml").createObject(null, { width: 1080, height: 1920 })
            kiosk.show()
        }
    }
    function tap(name) {
        let it = null
        tryVerify(function() { it = findChild(kiosk.contentItem, name); return it !== null && it.visible }, 3000, name)
        mouseClick(it)
    }

    function test_hiddenGesture_pin_testPrint_exit() {
        verify(!Diagnostics.open)
        mousePress(kiosk.contentItem, 200, 60)
        wait(3300)
        mouseRelease(kiosk.contentItem, 200, 60)
        tryCompare(Diagnostics, "open", true)
        tap("pin_1"); tap("pin_1"); tap("pin_1"); tap("pin_1"); tap("pin_确定")
        compare(Diagnostics.unlocked, false)
        verify(findChild(kiosk.contentItem, "pinMessage").text.indexOf("错误") >= 0)
        tap("pin_2"); tap("pin_4"); tap("pin_6"); tap("pin_8"); tap("pin_确定")
        tryCompare(Diagnostics, "unlocked", true)
        tap("diagTestPrint")
        tryVerify(function() { return Diagnostics.printerText.indexOf("测试凭条已打印") >= 0 }, 5000)
        tap("diagClose")
        compare(Diagnostics.open, false)
        compare(Session.state, Session.Start)
        verify(Probe.auditedActions().indexOf("maintenance_pin_failed") >= 0)
        verify(Probe.auditedActions().indexOf("maintenance_pin_ok") >= 0)
        verify(Probe.auditedActions().indexOf("diagnostics_test_print") >= 0)
    }

    function unlock() {
        mousePress(kiosk.contentItem, 200, 60)
        wait(3300)
        mouseRelease(kiosk.contentItem, 200, 60)
        tryCompare(Diagnostics, "open", true)
        tap("pin_2"); tap("pin_4"); tap("pin_6"); tap("pin_8"); tap("pin_确定")
        tryCompare(Diagnostics, "unlocked", true)
    }

    function test_statusTab_showsHubQueueLedgerConfigUpdate_maskedLog_syncAndSanctionedExit() {
        Probe.installLogBuffer()
        Probe.log("hcp test: card 11010519491231002X read for the log viewer, phone 13812345678")
        unlock()
        tap("diagTabStatus")
        tryVerify(function() { return findChild(kiosk.contentItem, "diagNetwork").text.indexOf("HTTP 503") >= 0 }, 3000)
        compare(findChild(kiosk.contentItem, "diagQueue").text, "待上传：3 条，最早一条已等待 2 分钟")
        verify(findChild(kiosk.contentItem, "diagLedger").text.indexOf("评价账本") >= 0)
        verify(findChild(kiosk.contentItem, "diagConfig").text.indexOf("版本 7") >= 0)
        verify(findChild(kiosk.contentItem, "diagConfig").text.indexOf("bad-signature") >= 0)
        verify(findChild(kiosk.contentItem, "diagUpdate").text.indexOf("1.1.0") >= 0)
        // The log viewer holds the line, masked: never the ID or phone number itself.
        let lines = []
        tryVerify(function() { lines = Diagnostics.logLines; return lines.some(function(l) { return l.indexOf("hcp test: card") >= 0 }) }, 3000)
        const line = lines.find(function(l) { return l.indexOf("hcp test: card") >= 0 })
        verify(line.indexOf("1101**********002X") >= 0, line)
        verify(line.indexOf("11010519491231002X") < 0, line)
        verify(line.indexOf("138****5678") >= 0, line)
        verify(findChild(kiosk.contentItem, "diagLog").count > 0)
        // Manual sync.
        tap("diagSyncNow")
        compare(Probe.syncCount(), 1)
        verify(findChild(kiosk.contentItem, "diagSync").text.indexOf("同步") >= 0)
        // Sanctioned exit: the first tap only arms it.
        tap("diagExit")
        compare(Probe.exitCount(), 0)
        verify(findChild(kiosk.contentItem, "diagExit").text.indexOf("确认") >= 0)
        tap("diagExit")
        compare(Probe.exitCount(), 1)
        const audited = Probe.auditedActions()
        verify(audited.indexOf("diagnostics_manual_sync") >= 0)
        verify(audited.indexOf("diagnostics_sanctioned_exit") >= 0)
        tap("diagClose")
        compare(Diagnostics.open, false)
        verify(Probe.auditedActions().indexOf("maintenance_closed") >= 0)
    }
}

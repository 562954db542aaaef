// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtTest
import Kiosk.Core

// The maintenance page: hidden long-press, PIN pad (wrong PIN refused), test print, exit.
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
    }
}

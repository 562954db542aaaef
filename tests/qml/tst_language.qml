// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtTest
import Kiosk.Core

// The language button switches every screen text to English and back, live.
TestCase {
    name: "Language"
    when: windowShown
    property var kiosk: null

    function init() {
        Session.cancel()
        if (!kiosk) {
            kiosk = Qt.createComponent("qrc:/qt/qml/Kiosk/App/Main.qml").createObject(null, { width: 1920, height: 1080 })
            kiosk.show()
        }
    }
    function cleanup() { App.setLanguage("zh_CN") }

    function test_switchToEnglishAndBack() {
        let button = null
        tryVerify(function() { button = findChild(kiosk.contentItem, "languageToggle"); return button !== null })
        compare(button.text, "English")
        mouseClick(button)
        compare(App.language, "en")
        tryCompare(findChild(kiosk.contentItem, "startTyped"), "text", "Enter a case number")
        compare(kiosk.title, "Government service rating")
        App.demoSwipeCard(0)
        tryCompare(Session, "state", Session.ChooseCase)
        tryVerify(function() { const r = findChild(kiosk.contentItem, "caseList"); return r !== null })
        Session.cancel()
        mouseClick(findChild(kiosk.contentItem, "languageToggle"))
        compare(App.language, "zh_CN")
        tryCompare(findChild(kiosk.contentItem, "startTyped"), "text", "输入办件编号")
    }
}

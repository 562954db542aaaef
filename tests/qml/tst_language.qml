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

    // The data texts (差评 reasons, questions and their options) follow the language too: a
    // Chinese text left on an English screen means the indicator set or questionnaire lacks
    // its "text_en".
    function test_english_dataTexts_reasonsAndQuestionsHaveNoChinese() {
        const han = /[\u3400-\u9fff]/
        App.setLanguage("en")
        App.demoScanText(Probe.projectNoOf("刘洋", 1))
        tryCompare(Session, "state", Session.Rate)
        Session.rate(2)
        tryCompare(Session, "state", Session.Reasons)
        const textRole = 256 + 2 // ReasonListModel::TextRole, QuestionListModel::TextRole
        verify(Session.reasons.count > 0)
        for (let row = 0; row < Session.reasons.count; ++row) {
            const t = Session.reasons.data(Session.reasons.index(row, 0), textRole)
            verify(t.length > 0 && !han.test(t), "reason " + row + " not in English: " + t)
        }
        const chip = findChild(kiosk.contentItem, "reason501")
        verify(chip !== null && !han.test(chip.text), "reason chip shows " + (chip ? chip.text : "nothing"))
        Session.toggleReason("501")
        Session.next()
        tryCompare(Session, "state", Session.Questions)
        verify(Session.questions.count > 0)
        const optionsRole = 256 + 4
        for (let row = 0; row < Session.questions.count; ++row) {
            const idx = Session.questions.index(row, 0)
            const t = Session.questions.data(idx, textRole)
            verify(t.length > 0 && !han.test(t), "question " + row + " not in English: " + t)
            const opts = Session.questions.data(idx, optionsRole)
            for (let o = 0; o < opts.length; ++o)
                verify(!han.test(opts[o].text), "option not in English: " + opts[o].text)
        }
        // And back: Chinese again.
        App.setLanguage("zh_CN")
        verify(han.test(Session.questions.data(Session.questions.index(0, 0), textRole)))
        Session.cancel()
    }
}

// SPDX-License-Identifier: Apache-2.0
pragma ComponentBehavior: Bound
import QtQuick
import Kiosk.Core
import Kiosk.Theme
import Kiosk.Components

// Optional itemised questions for this service item.
Item {
    id: root
    Column {
        id: head
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.top: parent.top
        anchors.margins: Theme.margin
        spacing: Theme.gap
        ScreenTitle { text: qsTr("几个小问题（可跳过）") }
    }
    ListView {
        id: questionList
        anchors.top: head.bottom
        anchors.bottom: nav.top
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.margins: Theme.margin
        spacing: Theme.spacing
        clip: true
        model: Session.questions
        delegate: Column {
            id: q
            required property string itemId
            required property string text
            required property string kind
            required property var options
            required property string answer
            width: ListView.view.width
            spacing: Theme.gap
            Text {
                width: parent.width
                text: q.text
                color: Theme.text
                font.family: Theme.fontFamily
                font.pixelSize: Theme.buttonTextSize
                wrapMode: Text.Wrap
            }
            Flow {
                width: parent.width
                spacing: Theme.gap
                Repeater {
                    model: q.kind === "yesno" ? [{ code: "1", text: qsTr("是") }, { code: "0", text: qsTr("否") }] : q.options
                    delegate: ToggleChip {
                        id: choice
                        required property var modelData
                        objectName: "answer_" + q.itemId + "_" + choice.modelData.code
                        text: choice.modelData.text
                        exclusive: q.kind !== "multi"
                        checked: q.kind === "multi" ? q.answer.split(",").indexOf(choice.modelData.code) >= 0
                                                    : q.answer === choice.modelData.code
                        onToggled: Session.answerQuestion(q.itemId, choice.modelData.code)
                    }
                }
            }
        }
        ScrollHint { flickable: questionList }
    }
    Row {
        id: nav
        anchors.bottom: parent.bottom
        anchors.bottomMargin: Theme.margin
        anchors.horizontalCenter: parent.horizontalCenter
        spacing: Theme.spacing
        BigButton { objectName: "questionsBack"; width: 300; text: qsTr("上一步"); onClicked: Session.back() }
        BigButton { objectName: "questionsNext"; width: 420; primary: true; text: qsTr("下一步"); onClicked: Session.next() }
    }
}

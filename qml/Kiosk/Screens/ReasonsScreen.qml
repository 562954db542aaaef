// SPDX-License-Identifier: Apache-2.0
pragma ComponentBehavior: Bound
import QtQuick
import Kiosk.Core
import Kiosk.Theme
import Kiosk.Components

// 差评 is taken seriously: the level's reasons as large toggles, and what happens next.
Item {
    id: root
    readonly property bool landscape: width > height
    Column {
        anchors.fill: parent
        anchors.margins: Theme.margin
        spacing: Theme.spacing
        ScreenTitle { text: qsTr("请告诉我们哪里做得不好") }
        BodyText {
            size: root.landscape ? Theme.smallSize : Theme.bodySize // landscape: the height goes to the reasons
            text: qsTr("可多选，或点“我来写意见”。您的意见将转交%1核实整改，并在规定时间内回访您。").arg(Session.caseDeptName)
        }
        Grid {
            width: parent.width
            columns: root.landscape ? 2 : 1
            spacing: Theme.gap
            Repeater {
                model: Session.reasons
                delegate: Item {
                    id: reason
                    required property string code
                    required property string text
                    required property bool selected
                    width: root.landscape ? (root.width - 2 * Theme.margin - Theme.gap) / 2 : root.width - 2 * Theme.margin
                    height: chip.implicitHeight
                    ToggleChip {
                        id: chip
                        objectName: "reason" + reason.code
                        anchors.fill: parent
                        text: reason.text
                        checked: reason.selected
                        onToggled: Session.toggleReason(reason.code)
                    }
                }
            }
        }
        Text {
            width: parent.width
            visible: Session.message.length > 0
            text: Session.message
            color: Theme.warning
            font.family: Theme.fontFamily
            font.pixelSize: Theme.bodySize
            wrapMode: Text.Wrap
        }
        Row {
            anchors.horizontalCenter: parent.horizontalCenter
            spacing: Theme.spacing
            BigButton { objectName: "reasonsBack"; width: 260; text: qsTr("上一步"); onClicked: Session.back() }
            // No reason fits: say it in words instead (the comment is then required).
            BigButton { objectName: "writeComment"; width: 360; text: qsTr("我来写意见"); onClicked: Session.writeComment() }
            BigButton {
                objectName: "reasonsNext"
                width: 320
                primary: true
                enabledLook: Session.reasons.selectedCount > 0 || Session.comment.length > 0
                text: qsTr("下一步")
                onClicked: Session.next()
            }
        }
    }
}

// SPDX-License-Identifier: Apache-2.0
pragma ComponentBehavior: Bound
import QtQuick
import Kiosk.Core
import Kiosk.Theme
import Kiosk.Components

// 关怀模式 差评 reasons: one question, large toggles, and the two buttons always in view (beside
// the question in landscape, below the list in portrait). No keyboard, no text: a reason is the
// answer.
Item {
    id: root
    readonly property bool landscape: width > height

    ScreenTitle {
        id: title
        anchors { top: parent.top; left: parent.left; right: root.landscape ? buttons.left : parent.right; margins: Theme.margin }
        horizontalAlignment: root.landscape ? Text.AlignLeft : Text.AlignHCenter
        text: qsTr("哪里做得不好？可多选")
    }

    Flickable {
        id: list
        anchors {
            top: title.bottom; topMargin: Theme.spacing
            left: parent.left; leftMargin: Theme.margin
            right: parent.right; rightMargin: Theme.margin
            bottom: message.top; bottomMargin: Theme.gap
        }
        clip: true
        contentHeight: grid.height
        boundsBehavior: Flickable.StopAtBounds
        ScrollHint { flickable: list }
        Grid {
            id: grid
            width: list.width
            columns: root.landscape ? 2 : 1
            spacing: Theme.gap
            Repeater {
                model: Session.reasons
                delegate: Item {
                    id: reason
                    required property string code
                    required property string text
                    required property bool selected
                    width: (grid.width - (grid.columns - 1) * grid.spacing) / grid.columns
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
    }

    Text {
        id: message
        objectName: "careReasonsMessage"
        anchors {
            left: parent.left; right: parent.right; margins: Theme.margin
            bottom: root.landscape ? parent.bottom : buttons.top
            bottomMargin: root.landscape ? Theme.margin : Theme.gap
        }
        visible: Session.message.length > 0
        height: visible ? implicitHeight : 0
        text: Session.message
        color: Theme.warning
        font.family: Theme.fontFamily
        font.pixelSize: Theme.bodySize
        font.bold: true
        wrapMode: Text.Wrap
    }

    Row {
        id: buttons
        // Landscape: in the question's row, so the list gets the full width and height.
        y: root.landscape ? Theme.margin : root.height - Theme.margin - height
        anchors { right: parent.right; rightMargin: Theme.margin }
        spacing: Theme.spacing
        layoutDirection: Qt.RightToLeft
        BigButton {
            objectName: "reasonsNext"
            width: root.landscape ? 400 : (root.width - 2 * Theme.margin - Theme.spacing) * 0.6
            height: Theme.touchTarget * (root.landscape ? 1.2 : 1.5)
            primary: true
            text: qsTr("下一步")
            onClicked: Session.next()
        }
        BigButton {
            objectName: "reasonsBack"
            width: root.landscape ? 300 : (root.width - 2 * Theme.margin - Theme.spacing) * 0.4
            height: Theme.touchTarget * (root.landscape ? 1.2 : 1.5)
            text: qsTr("上一步")
            onClicked: Session.back()
        }
    }
}

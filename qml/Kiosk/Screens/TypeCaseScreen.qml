// SPDX-License-Identifier: Apache-2.0
pragma ComponentBehavior: Bound
import QtQuick
import Kiosk.Core
import Kiosk.Theme
import Kiosk.Components

// 办件编号 + applicant name, typed on the kiosk's own keyboard.
Item {
    id: root
    property string projectNo
    property string name
    property string field: "projectNo"   // which field the keyboard types into

    readonly property bool landscape: width > height
    Column {
        id: leftColumn
        x: Theme.margin
        y: Theme.margin
        width: root.landscape ? root.width * (Theme.elderly ? 0.44 : 0.5) - 2 * Theme.margin : root.width - 2 * Theme.margin
        spacing: Theme.spacing

        ScreenTitle { text: qsTr("输入办件编号和姓名") }
        BodyText { text: qsTr("办件编号印在受理通知书或办结回执上。") }

        Repeater {
            model: [{ key: "projectNo", label: qsTr("办件编号") }, { key: "name", label: qsTr("申请人姓名") }]
            delegate: Rectangle {
                id: fieldBox
                required property var modelData
                objectName: "field_" + modelData.key
                width: parent.width
                height: Theme.touchTarget + 24
                radius: Theme.radius
                color: Theme.surface
                border.width: root.field === modelData.key ? 5 : 2
                border.color: root.field === modelData.key ? Theme.selected : Theme.border
                Row {
                    anchors.fill: parent
                    anchors.leftMargin: Theme.spacing
                    spacing: Theme.spacing
                    Text {
                        anchors.verticalCenter: parent.verticalCenter
                        text: fieldBox.modelData.label
                        color: Theme.textMuted
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.bodySize
                        width: Math.max(220, implicitWidth) // the English label is longer
                    }
                    Text {
                        anchors.verticalCenter: parent.verticalCenter
                        text: (fieldBox.modelData.key === "projectNo" ? root.projectNo : root.name)
                              + (root.field === fieldBox.modelData.key ? "▏" : "")
                        color: Theme.text
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.buttonTextSize
                    }
                }
                TapHandler {
                    onTapped: { Pinyin.clear(); root.field = fieldBox.modelData.key }
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
    }

    // 返回 / 查询: below the fields in portrait, below the keyboard in landscape (the fields'
    // column is short there at 1.5× type).
    Row {
        id: actions
        x: root.landscape ? keyboard.x + (keyboard.width - width) / 2 : (root.width - width) / 2
        y: root.landscape ? keyboard.y + keyboard.height + Theme.spacing : leftColumn.y + leftColumn.height + Theme.spacing
        spacing: Theme.spacing
        BigButton { objectName: "typedBack"; width: 300; text: qsTr("返回"); onClicked: Session.back() }
        BigButton {
            objectName: "typedSubmit"
            width: 420
            primary: true
            text: qsTr("查询")
            enabled: root.projectNo.length > 0 && root.name.length > 0
            onClicked: Session.submitTypedLookup(root.projectNo, root.name)
        }
    }

    OnScreenKeyboard {
        id: keyboard
        x: root.landscape ? root.width * (Theme.elderly ? 0.44 : 0.5) : Theme.margin
        y: root.landscape ? Theme.margin : actions.y + actions.height + Theme.spacing
        width: root.landscape ? root.width * (Theme.elderly ? 0.56 : 0.5) - Theme.margin : root.width - 2 * Theme.margin
        objectName: "keyboard"
        mode: root.field === "name" ? "pinyin" : "code"
        onTyped: (t) => {
            if (root.field === "projectNo") {
                if (root.projectNo.length < 50) root.projectNo += t
            } else if (root.name.length < 30) {
                root.name += t
            }
        }
        onErased: {
            if (root.field === "projectNo") root.projectNo = root.projectNo.slice(0, -1)
            else root.name = root.name.slice(0, -1)
        }
    }
}

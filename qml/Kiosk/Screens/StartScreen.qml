// SPDX-License-Identifier: Apache-2.0
import QtQuick
import Kiosk.Core
import Kiosk.Theme
import Kiosk.Components

// Ways to identify: ID card (just place it), QR code, or 办件编号 + name.
Item {
    id: root
    readonly property bool landscape: width > height

    Column {
        anchors.fill: parent
        anchors.margins: Theme.margin
        spacing: Theme.spacing * 1.5

        ScreenTitle { text: qsTr("请对您办理的业务进行评价") }
        BodyText { text: qsTr("选择一种方式找到您的办件，评价只需一步。") }

        Grid {
            id: ways
            width: parent.width
            columns: root.landscape ? 3 : 1
            spacing: Theme.spacing
            readonly property real cellWidth: (width - (columns - 1) * spacing) / columns

            Rectangle {
                width: ways.cellWidth
                height: Math.max(root.landscape ? (Theme.elderly ? 250 : 360) : 260, cardCol.implicitHeight + Theme.spacing)
                radius: Theme.radius
                color: Theme.surface
                border.width: 3
                border.color: Theme.border
                Column {
                    id: cardCol
                    anchors.centerIn: parent
                    width: parent.width - 2 * Theme.spacing
                    spacing: Theme.gap
                    Rectangle { // a card shape, as the reader's label shows it
                        visible: !(root.landscape && Theme.elderly) // no room for it at 1.5× type
                        anchors.horizontalCenter: parent.horizontalCenter
                        width: 150; height: 95; radius: 10
                        color: "#E8EEF5"; border.color: Theme.selected; border.width: 3
                        Rectangle { x: 14; y: 18; width: 40; height: 52; radius: 4; color: Theme.selected }
                        Rectangle { x: 66; y: 24; width: 66; height: 8; color: Theme.selected }
                        Rectangle { x: 66; y: 44; width: 54; height: 8; color: Theme.selected }
                        Rectangle { x: 66; y: 64; width: 62; height: 8; color: Theme.selected }
                    }
                    Text {
                        width: parent.width
                        horizontalAlignment: Text.AlignHCenter
                        text: qsTr("刷身份证")
                        color: Theme.text
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.buttonTextSize
                        font.bold: true
                    }
                    BodyText { text: qsTr("请将身份证放在下方读卡区") }
                }
            }
            BigButton {
                objectName: "startScan"
                width: ways.cellWidth
                height: Math.max(root.landscape ? (Theme.elderly ? 250 : 360) : 200, implicitHeight)
                text: qsTr("扫描二维码")
                subtitle: qsTr("受理通知书或办结回执上的二维码")
                onClicked: Session.beginScan()
            }
            BigButton {
                objectName: "startTyped"
                width: ways.cellWidth
                height: Math.max(root.landscape ? (Theme.elderly ? 250 : 360) : 200, implicitHeight)
                text: qsTr("输入办件编号")
                subtitle: qsTr("办件编号和申请人姓名")
                onClicked: Session.beginTypedLookup()
            }
        }

        Row {
            anchors.horizontalCenter: parent.horizontalCenter
            spacing: Theme.spacing
            BigButton {
                objectName: "elderlyToggle"
                width: root.landscape ? 620 : 560
                primary: App.elderlyMode
                text: App.elderlyMode ? qsTr("关怀模式：已开启") : qsTr("关怀模式（大字）")
                onClicked: App.elderlyMode = !App.elderlyMode
            }
            BigButton {
                objectName: "languageToggle"
                width: 300
                text: App.language === "en" ? "中文" : "English"
                onClicked: App.setLanguage(App.language === "en" ? "zh_CN" : "en")
            }
        }
        BodyText {
            visible: !(root.landscape && Theme.elderly)
            text: qsTr("您的信息仅用于本次评价，离开后屏幕上的信息自动清除。")
            font.pixelSize: Theme.smallSize
        }
    }
}

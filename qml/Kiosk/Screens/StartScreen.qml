// SPDX-License-Identifier: Apache-2.0
import QtQuick
import Kiosk.Core
import Kiosk.Theme
import Kiosk.Components

// Ways to identify: ID card (just place it), QR code, or 办件编号 + name.
Item {
    id: root
    readonly property bool landscape: width > height

    // A tap on the card tile (nothing to press: the reader reads the card) points at the reader.
    property bool cardHint: false
    Timer { id: hintTimer; interval: 6000; onTriggered: root.cardHint = false }

    Column {
        id: column
        anchors.fill: parent
        anchors.margins: Theme.margin
        spacing: Theme.spacing

        ScreenTitle { text: qsTr("请对您办理的业务进行评价") }
        // Landscape at 1.5× type: the height goes to the tiles and the privacy line instead.
        BodyText { visible: !(root.landscape && Theme.elderly); text: qsTr("选择一种方式找到您的办件。") }

        // Landscape: three tiles in a row, one height. Portrait: the card on its own row, the
        // two buttons side by side below it (one height), so all fits at 1.5× type.
        Flow {
            id: ways
            width: parent.width
            spacing: Theme.spacing
            readonly property real cellWidth: root.landscape ? (width - 2 * spacing) / 3 : (width - spacing) / 2
            readonly property real tileHeight: Math.max(root.landscape ? (Theme.elderly ? 250 : 330) : 200,
                                                        root.landscape ? cardCol.implicitHeight + Theme.spacing : 0,
                                                        scanTile.implicitHeight, typedTile.implicitHeight)

            Rectangle {
                objectName: "startCard"
                width: root.landscape ? ways.cellWidth : ways.width
                height: root.landscape ? ways.tileHeight : Math.max(220, cardCol.implicitHeight + Theme.spacing)
                radius: Theme.radius
                color: cardTap.pressed ? Theme.pressed : Theme.surface
                border.width: 3
                border.color: root.cardHint ? Theme.selected : Theme.border
                Accessible.role: Accessible.Button
                Accessible.name: qsTr("刷身份证")
                Column {
                    id: cardCol
                    anchors.centerIn: parent
                    width: parent.width - 2 * Theme.spacing
                    spacing: Theme.gap
                    Item { // a card shape, as the reader's label shows it; smaller at 1.5× type in landscape
                        readonly property real k: Theme.elderly ? 0.6 : 1
                        anchors.horizontalCenter: parent.horizontalCenter
                        width: 150 * k; height: 95 * k
                        Rectangle {
                            width: 150; height: 95; radius: 10
                            scale: parent.k
                            transformOrigin: Item.TopLeft
                            color: "#E8EEF5"; border.color: Theme.selected; border.width: 3
                            Rectangle { x: 14; y: 18; width: 40; height: 52; radius: 4; color: Theme.selected }
                            Rectangle { x: 66; y: 24; width: 66; height: 8; color: Theme.selected }
                            Rectangle { x: 66; y: 44; width: 54; height: 8; color: Theme.selected }
                            Rectangle { x: 66; y: 64; width: 62; height: 8; color: Theme.selected }
                        }
                    }
                    BodyText {
                        text: qsTr("刷身份证")
                        color: Theme.text
                        size: Theme.buttonTextSize
                        minimumSize: Theme.bodySize
                        font.bold: true
                    }
                    BodyText {
                        objectName: "cardHint"
                        text: root.cardHint ? qsTr("请把身份证放在读卡区 ▼") : qsTr("请将身份证放在下方读卡区")
                        color: root.cardHint ? Theme.selected : Theme.textMuted
                        font.bold: root.cardHint
                    }
                }
                TapHandler {
                    id: cardTap
                    objectName: "startCardTap"
                    gesturePolicy: TapHandler.ReleaseWithinBounds
                    onTapped: {
                        root.cardHint = true
                        hintTimer.restart()
                        Voice.speak(qsTr("请把身份证放在读卡区"))
                    }
                }
            }
            BigButton {
                id: scanTile
                objectName: "startScan"
                width: ways.cellWidth
                height: ways.tileHeight
                text: qsTr("扫描二维码")
                subtitle: qsTr("受理通知书或办结回执上的二维码")
                onClicked: Session.beginScan()
            }
            BigButton {
                id: typedTile
                objectName: "startTyped"
                width: ways.cellWidth
                height: ways.tileHeight
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
                width: Math.min(root.landscape ? 620 : 560, column.width - languageToggle.width - Theme.spacing)
                primary: App.elderlyMode
                text: App.elderlyMode ? qsTr("关怀模式：已开启") : qsTr("关怀模式（大字）")
                onClicked: App.elderlyMode = !App.elderlyMode
            }
            BigButton {
                id: languageToggle
                objectName: "languageToggle"
                width: 300
                text: App.language === "en" ? "中文" : "English"
                onClicked: App.setLanguage(App.language === "en" ? "zh_CN" : "en")
            }
        }
        BodyText {
            text: qsTr("您的信息仅用于本次评价，离开后屏幕上的信息自动清除。")
            size: Theme.smallSize
        }
        // 评价结果公开: the hall's month figures (kiosk.idle.showHallFigures), only while fresh;
        // not in landscape at 1.5× type, where the tiles and the privacy line take the height.
        BodyText {
            objectName: "hallFigures"
            visible: HallFigures.available && !(root.landscape && Theme.elderly)
            width: column.width
            horizontalAlignment: Text.AlignHCenter
            text: qsTr("本中心本月好评率 %1，共 %2 次评价").arg(HallFigures.goodRateText).arg(HallFigures.ratings)
            color: Theme.text
            size: Theme.buttonTextSize
            minimumSize: Theme.bodySize
            font.bold: true
        }
    }
}

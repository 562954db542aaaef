// SPDX-License-Identifier: Apache-2.0
pragma ComponentBehavior: Bound
import QtQuick
import Kiosk.Core
import Kiosk.Theme

// Demo only: simulates an ID-card swipe or a QR scan so a newcomer can walk every journey.
Item {
    id: root
    objectName: "demoPanel"
    width: open ? 560 : 140
    height: open ? panel.implicitHeight : 72
    property bool open: false

    // Open: taps on the panel never reach the screen below. Closed: the button's own handler
    // takes the press (an enabled full-size MouseArea here used to swallow it).
    MouseArea { anchors.fill: parent; enabled: root.open }
    Rectangle {
        anchors.fill: parent
        radius: 12
        color: "#F0263238"
        border.color: "#FFC107"
        border.width: 3
    }
    Text {
        visible: !root.open
        anchors.centerIn: parent
        text: qsTr("演示")
        color: "white"
        font.pixelSize: 30
        font.family: Theme.fontFamily
    }
    TapHandler {
        objectName: "demoButton"
        enabled: !root.open
        // Exclusive grab: a tap on the button never also reaches the control underneath.
        gesturePolicy: TapHandler.ReleaseWithinBounds
        onTapped: root.open = true
    }

    Column {
        id: panel
        visible: root.open
        width: parent.width
        padding: 16
        spacing: 10
        Text { text: qsTr("演示面板：模拟刷身份证"); color: "#FFC107"; font.pixelSize: 26; font.family: Theme.fontFamily }
        Flow {
            width: parent.width - 32
            spacing: 8
            Repeater {
                model: App.demoPeople
                delegate: Rectangle {
                    required property var modelData
                    required property int index
                    objectName: "demoCard" + index
                    width: 122; height: 72; radius: 8
                    color: cardTap.pressed ? "#546E7A" : "#37474F"
                    Text { anchors.centerIn: parent; text: parent.modelData.name; color: "white"; font.pixelSize: 26; font.family: Theme.fontFamily }
                    TapHandler { id: cardTap; gesturePolicy: TapHandler.ReleaseWithinBounds; onTapped: App.demoSwipeCard(parent.index) }
                }
            }
        }
        Text { text: qsTr("模拟扫码（回执二维码）"); color: "#FFC107"; font.pixelSize: 26; font.family: Theme.fontFamily }
        Flow {
            width: parent.width - 32
            spacing: 8
            Repeater {
                model: App.demoCodes
                delegate: Rectangle {
                    required property string modelData
                    required property int index
                    objectName: "demoCode" + index
                    width: 250; height: 72; radius: 8
                    color: codeTap.pressed ? "#546E7A" : "#37474F"
                    Text { anchors.centerIn: parent; text: parent.modelData.slice(-10); color: "white"; font.pixelSize: 24 }
                    TapHandler { id: codeTap; gesturePolicy: TapHandler.ReleaseWithinBounds; onTapped: App.demoScan(parent.index) }
                }
            }
        }
        Rectangle {
            width: 160; height: 72; radius: 8; color: "#37474F"
            Text { anchors.centerIn: parent; text: qsTr("收起"); color: "white"; font.pixelSize: 26; font.family: Theme.fontFamily }
            objectName: "demoClose"
            TapHandler { gesturePolicy: TapHandler.ReleaseWithinBounds; onTapped: root.open = false }
        }
    }
}

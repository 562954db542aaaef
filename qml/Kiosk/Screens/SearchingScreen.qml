// SPDX-License-Identifier: Apache-2.0
import QtQuick
import Kiosk.Theme
import Kiosk.Components

Item {
    Column {
        anchors.centerIn: parent
        width: parent.width - 2 * Theme.margin
        spacing: Theme.spacing * 2
        Item {
            anchors.horizontalCenter: parent.horizontalCenter
            width: 140; height: 140
            Rectangle {
                anchors.fill: parent
                radius: width / 2
                color: "transparent"
                border.width: 14
                border.color: Theme.pressed
            }
            Item {
                anchors.fill: parent
                RotationAnimation on rotation { from: 0; to: 360; duration: 1200; loops: Animation.Infinite }
                Rectangle {
                    width: 28; height: 28; radius: 14
                    color: Theme.brand
                    x: parent.width / 2 - 14 + 56
                    y: parent.height / 2 - 14
                }
            }
        }
        ScreenTitle { text: qsTr("正在查询您的办件…") }
    }
}

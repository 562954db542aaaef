// SPDX-License-Identifier: Apache-2.0
import QtQuick
import Kiosk.Core
import Kiosk.Theme
import Kiosk.Components

// The camera is on only while this screen shows (Session.cameraWantedChanged).
Item {
    id: root
    Column {
        id: column
        anchors.fill: parent
        anchors.margins: Theme.margin
        spacing: Theme.spacing
        ScreenTitle { id: title; text: qsTr("请出示二维码") }
        BodyText { id: body; text: qsTr("将受理通知书或办结回执上的二维码对准下方摄像头，或放在扫码口下。") }
        Rectangle {
            id: viewport
            anchors.horizontalCenter: parent.horizontalCenter
            // What the texts and 返回 leave.
            width: Math.min(parent.width, 800, (column.height - title.height - body.height - scanBack.height - 3 * Theme.spacing) * 4 / 3)
            height: width * 3 / 4
            color: "#202020"
            radius: Theme.radius
            Image {
                id: preview
                objectName: "cameraPreview"
                anchors.fill: parent
                anchors.margins: 4
                fillMode: Image.PreserveAspectFit
                cache: false
                property int frame: 0
                source: App.cameraPreviewAvailable ? "image://camera/" + frame : ""
                Timer {
                    interval: 66 // ≈ 15 fps
                    running: App.cameraPreviewAvailable && root.visible
                    repeat: true
                    onTriggered: preview.frame++
                }
            }
            Rectangle { // aiming frame
                anchors.centerIn: parent
                width: parent.height * 0.6; height: width
                color: "transparent"; border.color: "#FFFFFF"; border.width: 4; radius: 8
            }
        }
        BigButton { id: scanBack; objectName: "scanBack"; anchors.horizontalCenter: parent.horizontalCenter; width: 360; text: qsTr("返回"); onClicked: Session.back() }
    }
}

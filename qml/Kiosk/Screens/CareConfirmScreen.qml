// SPDX-License-Identifier: Apache-2.0
import QtQuick
import Kiosk.Core
import Kiosk.Theme
import Kiosk.Components

// 关怀模式 confirm: one decision — submit or go back. No public/not-public choice (the default,
// public, applies), no optional extras, nothing that pops up.
Item {
    id: root
    readonly property bool landscape: width > height
    Column {
        anchors.fill: parent
        anchors.margins: Theme.margin
        spacing: Theme.spacing
        ScreenTitle { text: qsTr("请确认您的评价") }
        Rectangle {
            width: parent.width
            height: summary.implicitHeight + 2 * Theme.spacing
            radius: Theme.radius
            color: Theme.surface
            border.width: 3
            border.color: Theme.border
            Row {
                id: summary
                anchors.fill: parent
                anchors.margins: Theme.spacing
                spacing: Theme.spacing
                Rectangle {
                    width: 170; height: 170; radius: Theme.radius
                    color: Theme.levelColor(Session.satisfaction)
                    Face { anchors.centerIn: parent; width: 130; height: 130; level: Session.satisfaction }
                }
                Column {
                    anchors.verticalCenter: parent.verticalCenter
                    width: parent.width - 170 - Theme.spacing
                    spacing: 8
                    Text {
                        objectName: "careConfirmLevel"
                        text: Session.satisfactionText
                        color: Theme.text
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.titleSize
                        font.bold: true
                    }
                    Text {
                        width: parent.width
                        visible: Session.reasons.selectedCount > 0
                        text: qsTr("已选%1项原因").arg(Session.reasons.selectedCount)
                        color: Theme.text
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.bodySize
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
        BigButton {
            objectName: "submit"
            width: parent.width
            height: Theme.touchTarget * (root.landscape ? 1.6 : 2)
            primary: true
            text: qsTr("提交评价")
            onClicked: Session.submit()
        }
        BigButton {
            objectName: "confirmBack"
            anchors.horizontalCenter: parent.horizontalCenter
            width: root.landscape ? 480 : parent.width
            text: qsTr("上一步")
            onClicked: Session.back()
        }
    }
}

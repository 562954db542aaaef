// SPDX-License-Identifier: Apache-2.0
import QtQuick
import Kiosk.Core
import Kiosk.Theme
import Kiosk.Components

// 关怀模式 confirm: what is being rated and how, the 公开/不公开 choice (公开 preselected), then
// submit or go back. No optional extras, nothing that pops up.
Item {
    id: root
    readonly property bool landscape: width > height
    Column {
        anchors.fill: parent
        anchors.margins: Theme.margin
        spacing: Theme.spacing
        // Landscape: the summary box says it all; the height goes to the choice and the buttons.
        ScreenTitle { visible: !root.landscape; text: qsTr("请确认您的评价") }
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
                        objectName: "careConfirmCase"
                        width: parent.width
                        text: qsTr("%1 · %2").arg(Session.caseTaskName).arg(Session.caseDeptName)
                        color: Theme.text
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.bodySize
                        wrapMode: Text.Wrap
                    }
                    Text {
                        objectName: "careConfirmReasons"
                        width: parent.width
                        visible: Session.reasons.selectedCount > 0
                        text: qsTr("原因：%1").arg(Session.reasons.selectedText)
                        color: Theme.text
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.bodySize
                        wrapMode: Text.Wrap
                    }
                }
            }
        }
        Row {
            width: parent.width
            spacing: Theme.gap
            ToggleChip {
                objectName: "publicYes"
                width: (parent.width - Theme.gap) / 2
                text: qsTr("公开评价")
                exclusive: true
                checked: Session.publicRating
                onToggled: Session.setPublicRating(true)
            }
            ToggleChip {
                objectName: "publicNo"
                width: (parent.width - Theme.gap) / 2
                text: qsTr("不公开评价")
                exclusive: true
                checked: !Session.publicRating
                onToggled: Session.setPublicRating(false)
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
        // Landscape: 上一步 and 提交 side by side, so both stay above the footer.
        Grid {
            width: parent.width
            columns: root.landscape ? 2 : 1
            spacing: Theme.spacing
            BigButton {
                objectName: "confirmBack"
                width: root.landscape ? 480 : parent.width
                height: root.landscape ? Theme.touchTarget * 1.3 : implicitHeight
                text: qsTr("上一步")
                onClicked: Session.back()
            }
            BigButton {
                objectName: "submit"
                width: root.landscape ? parent.width - 480 - Theme.spacing : parent.width
                height: Theme.touchTarget * (root.landscape ? 1.3 : 2)
                primary: true
                text: qsTr("提交评价")
                onClicked: Session.submit()
            }
        }
    }
}

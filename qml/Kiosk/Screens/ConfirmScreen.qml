// SPDX-License-Identifier: Apache-2.0
import QtQuick
import Kiosk.Core
import Kiosk.Theme
import Kiosk.Components

// Last look before submitting; public / not public with a one-line explanation.
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
            border.width: 2
            border.color: Theme.border
            Row {
                id: summary
                anchors.fill: parent
                anchors.margins: Theme.spacing
                spacing: Theme.spacing
                Rectangle {
                    width: 150; height: 150; radius: Theme.radius
                    color: Theme.levelColor(Session.satisfaction)
                    Face { anchors.centerIn: parent; width: 110; height: 110; level: Session.satisfaction }
                }
                Column {
                    width: parent.width - 150 - Theme.spacing
                    spacing: 8
                    Text {
                        objectName: "confirmLevel"
                        text: Session.satisfactionText
                        color: Theme.text
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.titleSize
                        font.bold: true
                    }
                    Text {
                        width: parent.width
                        text: qsTr("%1 · %2").arg(Session.caseTaskName).arg(Session.caseDeptName)
                        color: Theme.textMuted
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.bodySize
                        wrapMode: Text.Wrap
                    }
                    Text {
                        width: parent.width
                        objectName: "confirmReasons"
                        visible: Session.reasons.selectedCount > 0
                        text: qsTr("原因：%1").arg(Session.reasons.selectedText)
                        color: Theme.textMuted
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.bodySize
                        wrapMode: Text.Wrap
                    }
                    Text {
                        width: parent.width
                        visible: Session.comment.length > 0
                        text: qsTr("留言：%1").arg(Session.comment)
                        color: Theme.textMuted
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.bodySize
                        wrapMode: Text.Wrap
                        maximumLineCount: 3
                        elide: Text.ElideRight
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
        BodyText {
            text: Session.publicRating ? qsTr("公开：评价内容（不含姓名）可在政务服务网展示。")
                                       : qsTr("不公开：评价仅用于内部核查和整改，不对外展示。")
            size: Theme.smallSize
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
        // Landscape: 提交 beside 上一步 in one row, so neither runs under the footer.
        Grid {
            width: parent.width
            columns: root.landscape ? 2 : 1
            spacing: Theme.spacing
            horizontalItemAlignment: Grid.AlignHCenter
            verticalItemAlignment: Grid.AlignVCenter
            BigButton {
                objectName: "submit"
                width: root.landscape ? parent.width - backRow.width - Theme.spacing : parent.width
                height: Theme.touchTarget * (root.landscape ? 1.2 : 1.6)
                primary: true
                text: qsTr("提交评价")
                onClicked: Session.submit()
            }
            Row {
                id: backRow
                spacing: Theme.spacing
                BigButton { objectName: "confirmBack"; width: 300; text: qsTr("上一步"); onClicked: Session.back() }
                BigButton {
                    objectName: "addDetails"
                    visible: !Session.badRating
                    width: 480
                    text: qsTr("补充意见（可选）")
                    onClicked: Session.addDetails()
                }
            }
        }
    }
}

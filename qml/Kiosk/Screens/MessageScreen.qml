// SPDX-License-Identifier: Apache-2.0
import QtQuick
import Kiosk.Core
import Kiosk.Theme
import Kiosk.Components

// Already rated / nothing to rate / error / unavailable: what happened and what to do next.
Item {
    id: root
    property string title
    property string detail: Session.message
    property string primaryText: qsTr("返回首页")
    property string secondaryText
    signal primary()
    signal secondary()

    Column {
        anchors.centerIn: parent
        width: parent.width - 2 * Theme.margin
        spacing: Theme.spacing * 1.5
        ScreenTitle { objectName: "messageTitle"; text: root.title }
        BodyText { objectName: "messageDetail"; text: root.detail; color: Theme.text }
        BodyText { text: qsTr("如有疑问，请到服务窗口咨询，或拨打 %1。").arg(Session.hotline) }
        Row {
            anchors.horizontalCenter: parent.horizontalCenter
            spacing: Theme.spacing
            BigButton {
                objectName: "messageSecondary"
                visible: root.secondaryText.length > 0
                width: 400
                text: root.secondaryText
                onClicked: root.secondary()
            }
            BigButton {
                objectName: "messagePrimary"
                visible: root.primaryText.length > 0
                width: 400
                primary: true
                text: root.primaryText
                onClicked: root.primary()
            }
        }
    }
}

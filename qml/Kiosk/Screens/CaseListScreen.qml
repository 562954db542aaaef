// SPDX-License-Identifier: Apache-2.0
pragma ComponentBehavior: Bound
import QtQuick
import Kiosk.Core
import Kiosk.Theme
import Kiosk.Components

Item {
    id: root
    Column {
        id: head
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.top: parent.top
        anchors.margins: Theme.margin
        spacing: Theme.gap
        ScreenTitle { text: qsTr("请选择要评价的办件") }
        BodyText {
            text: Session.citizenName.length > 0 ? qsTr("%1，您好。以下是您近期办理的业务。").arg(Session.citizenName)
                                                 : qsTr("以下是查到的办件。")
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
    ListView {
        id: list
        objectName: "caseList"
        anchors.top: head.bottom
        anchors.bottom: backButton.top
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.margins: Theme.margin
        spacing: Theme.gap
        clip: true
        // Flick only when the list is longer than the screen: a tap must never start a drag.
        interactive: contentHeight > height
        boundsBehavior: Flickable.StopAtBounds
        model: Session.cases
        delegate: Item {
            id: row
            required property int index
            required property string taskName
            required property string deptName
            required property string windowNo
            required property string staffName
            required property string staffNo
            required property string completionText
            required property string statusText
            required property bool rateable
            objectName: "caseRow" + index
            width: ListView.view.width
            height: card.implicitHeight
            CaseCard {
                id: card
                anchors.fill: parent
                taskName: row.taskName
                deptName: row.deptName
                windowNo: row.windowNo
                staffName: row.staffName
                staffNo: row.staffNo
                completionText: row.completionText
                statusText: row.statusText
                dimmed: !row.rateable
            }
            TapHandler { onTapped: Session.chooseCase(row.index) }
        }
        ScrollHint { flickable: list }
    }
    BigButton {
        id: backButton
        objectName: "caseListBack"
        anchors.bottom: parent.bottom
        anchors.horizontalCenter: parent.horizontalCenter
        anchors.bottomMargin: Theme.margin
        width: 360
        text: qsTr("返回首页")
        onClicked: Session.cancel()
    }
}

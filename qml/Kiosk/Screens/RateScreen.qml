// SPDX-License-Identifier: Apache-2.0
pragma ComponentBehavior: Bound
import QtQuick
import Kiosk.Core
import Kiosk.Theme
import Kiosk.Components

// The rating itself is one tap: five labelled buttons, best first.
Item {
    id: root
    readonly property bool landscape: width > height
    Column {
        anchors.fill: parent
        anchors.margins: Theme.margin
        spacing: Theme.spacing
        CaseCard {
            width: parent.width
            taskName: Session.caseTaskName
            deptName: Session.caseDeptName
            windowNo: Session.caseWindowNo
            staffName: Session.caseStaffName
            staffNo: Session.caseStaffNo
            completionText: Session.caseCompletionText
        }
        ScreenTitle { text: qsTr("您对这次服务满意吗？") }
        Grid {
            id: levels
            anchors.horizontalCenter: parent.horizontalCenter
            columns: root.landscape ? 5 : 1
            spacing: Theme.gap
            Repeater {
                model: [5, 4, 3, 2, 1]
                delegate: RatingButton {
                    required property int modelData
                    objectName: "rate" + modelData
                    level: modelData
                    label: [qsTr("非常不满意"), qsTr("不满意"), qsTr("基本满意"), qsTr("满意"), qsTr("非常满意")][modelData - 1]
                    vertical: root.landscape
                    width: root.landscape ? (root.width - 2 * Theme.margin - 4 * Theme.gap) / 5 : root.width - 2 * Theme.margin
                    height: root.landscape ? 330 : Math.max(Theme.touchTarget * 1.5, (root.height - 820) / 5)
                    onChosen: (l) => Session.rate(l)
                }
            }
        }
        BigButton {
            objectName: "rateBack"
            anchors.horizontalCenter: parent.horizontalCenter
            width: 360
            text: qsTr("返回")
            onClicked: Session.back()
        }
    }
}

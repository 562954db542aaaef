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
    // Height left for the rating buttons. Landscape keeps 返回 in the question's row, so the
    // levels keep their face-over-word tiles even at 1.5× type.
    readonly property real available: height - 2 * Theme.margin - caseCard.height - question.height
                                      - (landscape ? 2 : 3) * Theme.spacing - (landscape ? 0 : rateBack.height)

    CaseCard {
        id: caseCard
        anchors { top: parent.top; left: parent.left; right: parent.right; margins: Theme.margin }
        taskName: Session.caseTaskName
        deptName: Session.caseDeptName
        windowNo: Session.caseWindowNo
        staffName: Session.caseStaffName
        staffNo: Session.caseStaffNo
        completionText: Session.caseCompletionText
    }
    // With a 代办员 signed in, the question itself says who chooses.
    ScreenTitle {
        id: question
        objectName: Session.assisted ? "choosePersonally" : "rateTitle"
        anchors {
            top: caseCard.bottom; topMargin: Theme.spacing
            left: parent.left; right: parent.right
            leftMargin: Theme.margin + (root.landscape ? rateBack.width + Theme.spacing : 0)
            rightMargin: Theme.margin + (root.landscape ? rateBack.width + Theme.spacing : 0)
        }
        text: Session.assisted ? qsTr("请办事人本人选择评价") : qsTr("您对这次服务满意吗？")
    }
    Grid {
        id: levels
        anchors { top: question.bottom; topMargin: Theme.spacing; horizontalCenter: parent.horizontalCenter }
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
                // The five share what the card, question and back button leave (at 1.5× type in
                // 关怀模式 too), never below 1.5 touch targets.
                height: Math.max(Theme.touchTarget * 1.2,
                                 root.landscape ? Math.min(330, root.available)
                                                : Math.min(Theme.touchTarget * 2.5, (root.available - 4 * Theme.gap) / 5))
                onChosen: (l) => Session.rate(l)
            }
        }
    }
    BigButton {
        id: rateBack
        objectName: "rateBack"
        x: root.landscape ? Theme.margin : (root.width - width) / 2
        y: root.landscape ? question.y + (question.height - height) / 2 : levels.y + levels.height + Theme.spacing
        width: root.landscape ? 300 : 360
        text: qsTr("返回")
        onClicked: Session.back()
    }
}

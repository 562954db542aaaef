// SPDX-License-Identifier: Apache-2.0
pragma ComponentBehavior: Bound
import QtQuick
import Kiosk.Core
import Kiosk.Theme
import Kiosk.Components

// The window rating pad (评价器): the staff card always on top; below it what Pad.state asks
// for. Rating is one tap: the five levels are on screen as soon as the window says "rate now".
Item {
    id: root
    readonly property bool landscape: width > height
    readonly property bool rating: Pad.state === Pad.Rate

    Column {
        id: column
        anchors.fill: parent
        anchors.margins: Theme.margin
        spacing: Theme.spacing

        StaffCard {
            objectName: "padStaffCard"
            // The same card on every screen of the pad (one line in landscape, where the height is short).
            width: parent.width
            compact: root.landscape
            staffName: Pad.staffName
            staffNo: Pad.staffNo
            windowNo: Pad.windowNo
        }

        // Idle: the invitation.
        Item {
            visible: Pad.state === Pad.Idle
            width: parent.width
            height: column.height - y
            Column {
                anchors.centerIn: parent
                width: parent.width
                spacing: Theme.spacing
                ScreenTitle { objectName: "padIdlePrompt"; text: qsTr("请对我的服务进行评价") }
                BodyText { text: qsTr("业务办理完成后，评价按钮会出现在这里。一次服务评价一次。") }
            }
        }

        // Rate: the five levels at once, best first.
        ScreenTitle {
            visible: root.rating
            text: qsTr("您对这次服务满意吗？")
        }
        BodyText {
            visible: root.rating && Pad.taskName.length > 0
            text: qsTr("办理事项：%1").arg(Pad.taskName)
        }
        // 公开评价 stays the default; 不公开 is offered plainly, before the one tap that commits.
        Row {
            visible: root.rating
            width: parent.width
            spacing: Theme.gap
            ToggleChip {
                objectName: "padPublicYes"
                width: (parent.width - Theme.gap) / 2
                text: qsTr("公开评价")
                exclusive: true
                checked: Pad.publicRating
                onToggled: Pad.setPublicRating(true)
            }
            ToggleChip {
                objectName: "padPublicNo"
                width: (parent.width - Theme.gap) / 2
                text: qsTr("不公开评价")
                exclusive: true
                checked: !Pad.publicRating
                onToggled: Pad.setPublicRating(false)
            }
        }
        Grid {
            id: rateGrid
            visible: root.rating
            anchors.horizontalCenter: parent.horizontalCenter
            columns: root.landscape ? 5 : 1
            spacing: Theme.gap
            Repeater {
                model: [5, 4, 3, 2, 1]
                delegate: RatingButton {
                    required property int modelData
                    objectName: "padRate" + modelData
                    level: modelData
                    label: [qsTr("非常不满意"), qsTr("不满意"), qsTr("基本满意"), qsTr("满意"), qsTr("非常满意")][modelData - 1]
                    vertical: root.landscape
                    width: root.landscape ? (root.width - 2 * Theme.margin - 4 * Theme.gap) / 5 : root.width - 2 * Theme.margin
                    // What the card and the question leave, down to the bottom margin.
                    height: root.landscape ? Math.max(Theme.touchTarget * 2, column.height - rateGrid.y)
                                           : Math.max(Theme.touchTarget * 1.2, (column.height - rateGrid.y - 4 * Theme.gap) / 5)
                    onChosen: (l) => Pad.rate(l)
                }
            }
        }

        // 差评: a reason is required (one tap), then submit.
        // Landscape: the card stays, so the reasons get the title's height (the line below asks).
        ScreenTitle {
            visible: Pad.state === Pad.Reasons && !root.landscape
            text: qsTr("请告诉我们哪里做得不好")
        }
        BodyText {
            visible: Pad.state === Pad.Reasons
            text: qsTr("请至少选择一项。您的意见将转交有关部门核实整改，并在规定时间内回访。")
        }
        // The reasons scroll when they do not fit (landscape desk pads): the buttons stay on screen.
        Flickable {
            id: reasonsFlick
            objectName: "padReasonsFlick"
            visible: Pad.state === Pad.Reasons
            width: parent.width
            height: Math.max(Theme.touchTarget, Math.min(reasonsGrid.implicitHeight,
                                                         column.height - y - reasonButtons.height - 2 * Theme.spacing
                                                         - (Pad.message.length > 0 ? Theme.bodySize * 2 : 0)))
            contentHeight: reasonsGrid.implicitHeight
            clip: true
            boundsBehavior: Flickable.StopAtBounds
            ScrollHint { flickable: reasonsFlick }
            Grid {
                id: reasonsGrid
                width: parent.width
                columns: root.landscape ? 3 : 1
                spacing: Theme.gap
                Repeater {
                    model: Pad.reasons
                    delegate: Item {
                        id: reason
                        required property string code
                        required property string text
                        required property bool selected
                        width: root.landscape ? (reasonsFlick.width - 2 * Theme.gap) / 3 : reasonsFlick.width
                        height: chip.implicitHeight
                        ToggleChip {
                            id: chip
                            objectName: "padReason" + reason.code
                            anchors.fill: parent
                            text: reason.text
                            checked: reason.selected
                            onToggled: Pad.toggleReason(reason.code)
                        }
                    }
                }
            }
        }
        Text {
            width: parent.width
            visible: Pad.message.length > 0
            text: Pad.message
            color: Theme.warning
            font.family: Theme.fontFamily
            font.pixelSize: Theme.bodySize
            wrapMode: Text.Wrap
        }
        Row {
            id: reasonButtons
            visible: Pad.state === Pad.Reasons
            anchors.horizontalCenter: parent.horizontalCenter
            spacing: Theme.spacing
            BigButton { objectName: "padReasonsBack"; width: 300; text: qsTr("上一步"); onClicked: Pad.back() }
            BigButton { objectName: "padSubmit"; width: 420; primary: true; text: qsTr("提交评价"); onClicked: Pad.submit() }
        }

        // Done, already rated, or a failure: what happened, then back to the staff card.
        Item {
            visible: Pad.state === Pad.Thanks || Pad.state === Pad.AlreadyRated
                     || Pad.state === Pad.Error
            width: parent.width
            height: column.height - y
            Column {
                anchors.centerIn: parent
                width: parent.width
                spacing: Theme.spacing
                ScreenTitle {
                    objectName: "padResultTitle"
                    text: Pad.state === Pad.Thanks ? qsTr("感谢您的评价！")
                        : Pad.state === Pad.AlreadyRated ? qsTr("本次服务已评价")
                        : qsTr("抱歉，出了点问题")
                }
                BodyText {
                    text: Pad.state === Pad.Thanks ? qsTr("评价已保存。您的意见会帮助我们改进服务。")
                        : Pad.state === Pad.AlreadyRated ? qsTr("已于 %1 评价。一次服务只能评价一次。").arg(Pad.ratedTime)
                        : Pad.message
                }
                BigButton {
                    objectName: "padDone"
                    anchors.horizontalCenter: parent.horizontalCenter
                    width: 400
                    primary: true
                    text: qsTr("完成")
                    onClicked: Pad.finish()
                }
            }
        }
    }
}

// SPDX-License-Identifier: Apache-2.0
pragma ComponentBehavior: Bound
import QtQuick
import Kiosk.Core
import Kiosk.Theme
import Kiosk.Components

// 整改反馈: the rectification status and the department's reply for the scanned receipt, and
// (once done) the 追评 of the rectification: five levels, one tap for a good one.
Item {
    id: root
    readonly property bool landscape: width > height
    readonly property bool hasRecord: FollowUp.state === FollowUp.Status || FollowUp.state === FollowUp.Reasons
                                      || FollowUp.state === FollowUp.Thanks || FollowUp.state === FollowUp.AlreadyRated
    readonly property bool rating: FollowUp.state === FollowUp.Status && FollowUp.statusCode === "done"

    // Title on top, the department's answer below it (scrolling when long), then the 追评 or
    // the result and the buttons: the buttons always stay on screen.
    Column {
        id: head
        anchors { left: parent.left; right: parent.right; top: parent.top; margins: Theme.margin }
        spacing: Theme.spacing

        ScreenTitle { objectName: "followUpTitle"; text: qsTr("整改反馈") }

        BodyText {
            objectName: "followUpLoading"
            visible: FollowUp.state === FollowUp.Loading
            text: qsTr("正在查询整改情况…")
        }
    }

    // The department's answer. Landscape 差评 of the rectification: the reasons need the room.
    Flickable {
        id: recordFlick
        objectName: "followUpRecordFlick"
        visible: root.hasRecord && !(root.landscape && FollowUp.state === FollowUp.Reasons)
        anchors { left: parent.left; right: parent.right; top: head.bottom; margins: Theme.margin; topMargin: Theme.spacing }
        // Beside the reasons a third of the screen; else what the result and buttons leave.
        height: Math.max(Theme.touchTarget, Math.min(recordBox.height,
                         FollowUp.state === FollowUp.Reasons ? root.height / 3
                                                             : root.height - 2 * Theme.margin - head.height - tail.height - 2 * Theme.spacing))
        contentHeight: recordBox.height
        clip: true
        boundsBehavior: Flickable.StopAtBounds
        ScrollHint { flickable: recordFlick }
        Rectangle {
            id: recordBox
            width: recordFlick.width
            height: record.implicitHeight + 2 * Theme.spacing
            radius: Theme.radius
            color: Theme.surface
            border.width: 2
            border.color: Theme.border
            Column {
                id: record
                x: Theme.spacing
                y: Theme.spacing
                width: parent.width - 2 * Theme.spacing
                spacing: 8
                Text {
                    width: parent.width
                    text: FollowUp.taskName.length > 0 ? FollowUp.taskName : qsTr("办件编号 %1").arg(FollowUp.projectNo)
                    color: Theme.text
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.buttonTextSize
                    font.bold: true
                    wrapMode: Text.Wrap
                }
                Text {
                    objectName: "followUpStatus"
                    width: parent.width
                    text: qsTr("处理状态：%1").arg(FollowUp.statusText)
                    color: FollowUp.statusCode === "done" ? Theme.levelColor(5) : Theme.warning
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.bodySize
                    font.bold: true
                }
                Text {
                    width: parent.width
                    visible: FollowUp.replyDept.length > 0
                    text: qsTr("答复部门：%1  %2").arg(FollowUp.replyDept).arg(FollowUp.replyTime)
                    color: Theme.textMuted
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.bodySize
                    wrapMode: Text.Wrap
                }
                Text {
                    objectName: "followUpReply"
                    width: parent.width
                    visible: FollowUp.reply.length > 0
                    text: qsTr("答复：%1").arg(FollowUp.reply)
                    color: Theme.text
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.bodySize
                    wrapMode: Text.Wrap
                }
            }
        }
    }

    Column {
        id: tail
        anchors { left: parent.left; right: parent.right; margins: Theme.margin }
        y: (recordFlick.visible ? recordFlick.y + recordFlick.height : head.y + head.height) + Theme.spacing
        spacing: Theme.spacing

        // Done and not yet rated: the 追评. 公开评价 stays the default; 不公开 is offered plainly,
        // before the one tap that commits (beside the question in landscape: the reply needs the height).
        Grid {
            id: question
            visible: root.rating
            width: parent.width
            columns: root.landscape ? 2 : 1
            columnSpacing: Theme.gap
            rowSpacing: Theme.spacing
            ScreenTitle {
                width: root.landscape ? question.width - Theme.gap - publicChoice.width : question.width
                height: root.landscape ? Math.max(implicitHeight, publicChoice.height) : implicitHeight
                verticalAlignment: Text.AlignVCenter
                text: qsTr("您对整改结果满意吗？")
            }
            Row {
                id: publicChoice
                // Landscape: the chips as wide as their words, the question takes the rest.
                readonly property real chip: root.landscape ? Math.max(yes.implicitWidth, no.implicitWidth)
                                                            : (question.width - Theme.gap) / 2
                width: 2 * chip + Theme.gap
                spacing: Theme.gap
                ToggleChip {
                    id: yes
                    objectName: "followUpPublicYes"
                    width: publicChoice.chip
                    text: qsTr("公开评价")
                    exclusive: true
                    checked: FollowUp.publicRating
                    onToggled: FollowUp.setPublicRating(true)
                }
                ToggleChip {
                    id: no
                    objectName: "followUpPublicNo"
                    width: publicChoice.chip
                    text: qsTr("不公开评价")
                    exclusive: true
                    checked: !FollowUp.publicRating
                    onToggled: FollowUp.setPublicRating(false)
                }
            }
        }
        Grid {
            visible: root.rating
            anchors.horizontalCenter: parent.horizontalCenter
            columns: root.landscape ? 5 : 1
            spacing: Theme.gap
            Repeater {
                model: [5, 4, 3, 2, 1]
                delegate: RatingButton {
                    required property int modelData
                    objectName: "followUpRate" + modelData
                    level: modelData
                    label: [qsTr("非常不满意"), qsTr("不满意"), qsTr("基本满意"), qsTr("满意"), qsTr("非常满意")][modelData - 1]
                    vertical: false // face beside the word: the reply above needs the height
                    width: root.landscape ? (root.width - 2 * Theme.margin - 4 * Theme.gap) / 5 : root.width - 2 * Theme.margin
                    height: root.landscape ? 150 : Theme.touchTarget * (Theme.elderly ? 1.2 : 1.5)
                    onChosen: (l) => FollowUp.rate(l)
                }
            }
        }

        // 差评 of the rectification: a reason is required.
        ScreenTitle {
            visible: FollowUp.state === FollowUp.Reasons
            text: qsTr("请告诉我们整改哪里还不到位")
        }
        // The reasons scroll when they do not fit (landscape desk pads): the buttons stay on screen.
        Flickable {
            id: reasonsFlick
            objectName: "followUpReasonsFlick"
            visible: FollowUp.state === FollowUp.Reasons
            width: parent.width
            height: Math.max(Theme.touchTarget, Math.min(reasonsGrid.implicitHeight,
                                                         root.height - Theme.margin - tail.y - y - reasonButtons.height - 2 * Theme.spacing
                                                         - (FollowUp.message.length > 0 ? Theme.bodySize * 2 : 0)))
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
                    model: FollowUp.reasons
                    delegate: Item {
                        id: reason
                        required property string code
                        required property string text
                        required property bool selected
                        width: root.landscape ? (reasonsFlick.width - 2 * Theme.gap) / 3 : reasonsFlick.width
                        height: chip.implicitHeight
                        ToggleChip {
                            id: chip
                            objectName: "followUpReason" + reason.code
                            anchors.fill: parent
                            text: reason.text
                            checked: reason.selected
                            onToggled: FollowUp.toggleReason(reason.code)
                        }
                    }
                }
            }
        }
        Row {
            id: reasonButtons
            visible: FollowUp.state === FollowUp.Reasons
            anchors.horizontalCenter: parent.horizontalCenter
            spacing: Theme.spacing
            BigButton { objectName: "followUpReasonsBack"; width: 300; text: qsTr("上一步"); onClicked: FollowUp.back() }
            BigButton { objectName: "followUpSubmit"; width: 420; primary: true; text: qsTr("提交评价"); onClicked: FollowUp.submit() }
        }

        ScreenTitle {
            objectName: "followUpResult"
            visible: FollowUp.state === FollowUp.Thanks || FollowUp.state === FollowUp.AlreadyRated
                     || FollowUp.state === FollowUp.NoRecord || FollowUp.state === FollowUp.Offline
                     || FollowUp.state === FollowUp.Error
            text: FollowUp.state === FollowUp.Thanks ? qsTr("感谢您对整改结果的评价！")
                : FollowUp.state === FollowUp.AlreadyRated ? qsTr("您已评价过整改结果")
                : FollowUp.state === FollowUp.NoRecord ? qsTr("暂无整改反馈")
                : FollowUp.state === FollowUp.Offline ? qsTr("暂时无法查询")
                : qsTr("抱歉，出了点问题")
        }
        BodyText {
            visible: FollowUp.state === FollowUp.AlreadyRated
            text: qsTr("已于 %1 评价。整改结果只能评价一次。").arg(FollowUp.ratedTime)
        }
        BodyText {
            visible: FollowUp.state === FollowUp.Thanks
            text: qsTr("评价已保存，并将自动上报。")
        }
        BodyText {
            objectName: "followUpMessage"
            visible: FollowUp.message.length > 0
            text: FollowUp.message
            color: FollowUp.state === FollowUp.Reasons ? Theme.warning : Theme.textMuted
        }

        BigButton {
            objectName: "followUpDone"
            visible: FollowUp.state !== FollowUp.Reasons
            anchors.horizontalCenter: parent.horizontalCenter
            width: 400
            primary: !root.rating
            text: qsTr("返回首页")
            onClicked: Session.finish()
        }
    }
}

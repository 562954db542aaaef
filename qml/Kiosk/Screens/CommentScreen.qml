// SPDX-License-Identifier: Apache-2.0
pragma ComponentBehavior: Bound
import QtQuick
import Kiosk.Core
import Kiosk.Theme
import Kiosk.Components

// Optional comment: tap-to-add phrases for those who cannot type, pinyin keyboard for the rest.
Item {
    id: root
    readonly property bool landscape: width > height
    Column {
        id: leftColumn
        x: Theme.margin
        y: Theme.margin
        width: root.landscape ? root.width * (Theme.elderly ? 0.44 : 0.5) - 2 * Theme.margin : root.width - 2 * Theme.margin
        spacing: Theme.gap
        ScreenTitle { text: Session.badRating ? qsTr("写下您的意见") : qsTr("留言（可不填）") }
        Flow {
            width: parent.width
            spacing: Theme.gap
            Repeater {
                model: Session.phrases
                delegate: BigButton {
                    required property string modelData
                    required property int index
                    objectName: "phrase" + index
                    text: modelData
                    onClicked: Session.appendPhrase(modelData)
                }
            }
        }
        Rectangle {
            width: parent.width
            height: Math.max(160, commentText.implicitHeight + 2 * Theme.gap)
            radius: Theme.radius
            color: Theme.surface
            border.width: 2
            border.color: Theme.border
            Text {
                id: commentText
                objectName: "commentText"
                anchors.fill: parent
                anchors.margins: Theme.gap
                text: Session.comment.length > 0 ? Session.comment + "▏" : qsTr("点上面的短语，或用下面的键盘输入")
                color: Session.comment.length > 0 ? Theme.text : Theme.textMuted
                font.family: Theme.fontFamily
                font.pixelSize: Theme.bodySize
                wrapMode: Text.Wrap
                maximumLineCount: 4
                elide: Text.ElideLeft
            }
        }
        Text {
            width: parent.width
            horizontalAlignment: Text.AlignRight
            text: qsTr("%1/%2字").arg(Session.comment.length).arg(Session.commentMax)
            color: Theme.textMuted
            font.family: Theme.fontFamily
            font.pixelSize: Theme.smallSize
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
        Row {
            anchors.horizontalCenter: parent.horizontalCenter
            spacing: Theme.spacing
            BigButton { objectName: "commentBack"; width: 300; text: qsTr("上一步"); onClicked: Session.back() }
            BigButton { objectName: "commentNext"; width: 420; primary: true; text: qsTr("下一步"); onClicked: Session.next() }
        }
    }
    OnScreenKeyboard {
        id: keyboard
        x: root.landscape ? root.width * (Theme.elderly ? 0.44 : 0.5) : Theme.margin
        y: root.landscape ? Theme.margin : leftColumn.y + leftColumn.implicitHeight + Theme.spacing
        width: root.landscape ? root.width * (Theme.elderly ? 0.56 : 0.5) - Theme.margin : root.width - 2 * Theme.margin
        mode: "pinyin"
        onTyped: (t) => Session.setComment(Session.comment + t)
        onErased: Session.setComment(Session.comment.slice(0, -1))
    }
}

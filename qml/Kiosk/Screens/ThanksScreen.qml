// SPDX-License-Identifier: Apache-2.0
import QtQuick
import Kiosk.Core
import Kiosk.Theme
import Kiosk.Components

// Shown only after the durable commit. Landscape: the follow-up QR beside the texts and the
// buttons, so nothing runs under the footer; portrait: one column.
Item {
    id: root
    readonly property bool landscape: width > height
    readonly property bool showQr: Session.receiptState === Session.Failed || Session.badRating
    readonly property bool paperFailed: Session.receiptState === Session.Failed

    Image {
        id: qr
        objectName: "receiptQrOnScreen"
        parent: root.landscape ? root : qrSlot
        visible: root.showQr
        x: root.landscape ? Theme.margin : (qrSlot.width - width) / 2
        y: root.landscape ? (root.height - height) / 2 : 0
        width: root.landscape ? Math.min(360, root.height - 2 * Theme.margin) : 280
        height: width
        source: visible && Session.receiptQr.length > 0 ? "image://qr/" + encodeURIComponent(Session.receiptQr) : ""
        smooth: false
    }

    Column {
        id: info
        x: root.landscape && root.showQr ? qr.x + qr.width + Theme.spacing : Theme.margin
        width: root.width - x - Theme.margin
        y: Math.max(Theme.gap, (root.height - height) / 2)
        spacing: Theme.spacing
        Rectangle {
            // The tick only where the height allows it (not on landscape panels).
            visible: !root.landscape
            anchors.horizontalCenter: parent.horizontalCenter
            width: 160; height: 160; radius: 80
            color: Theme.levelColor(5)
            Text { anchors.centerIn: parent; text: "✓"; color: "white"; font.pixelSize: 110; font.bold: true }
        }
        ScreenTitle { objectName: "thanksTitle"; text: qsTr("提交成功，感谢您的评价！") }
        BodyText {
            objectName: "evaluationNumber"
            text: qsTr("评价编号：%1\n评价时间：%2").arg(Session.evaluationNumber).arg(Session.assessTimeText)
            color: Theme.text
        }
        BodyText {
            objectName: "thanksNext"
            size: root.landscape ? Theme.smallSize : Theme.bodySize
            text: !Session.badRating ? qsTr("评价已保存在本机，并将自动上报；网络中断时会在恢复后补报。")
                  : root.paperFailed ? qsTr("您的意见已记录，相关部门将核实整改并回访。") // the receipt message names the QR
                                     : qsTr("您的意见已记录，相关部门将核实整改并回访。扫描二维码或凭条上的二维码，可查询处理结果。")
        }
        Item {
            id: qrSlot
            width: parent.width
            height: root.showQr && !root.landscape ? qr.height : 0
            visible: height > 0
        }
        BodyText {
            objectName: "receiptMessage"
            size: root.landscape ? Theme.smallSize : Theme.bodySize
            visible: Session.receiptMessage.length > 0
            text: Session.receiptMessage
            color: root.paperFailed ? Theme.warning : Theme.text
        }
        Row {
            anchors.horizontalCenter: parent.horizontalCenter
            spacing: Theme.spacing
            BigButton {
                objectName: "printReceipt"
                width: Math.min(400, (info.width - Theme.spacing) / 2)
                text: qsTr("打印凭条")
                enabled: Session.receiptState === Session.None
                onClicked: Session.requestReceipt()
            }
            BigButton {
                objectName: "finish"
                width: Math.min(400, (info.width - Theme.spacing) / 2)
                primary: true
                text: qsTr("完成")
                onClicked: Session.finish()
            }
        }
    }
}

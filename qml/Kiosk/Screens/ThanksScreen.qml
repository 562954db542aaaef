// SPDX-License-Identifier: Apache-2.0
import QtQuick
import Kiosk.Core
import Kiosk.Theme
import Kiosk.Components

// Shown only after the durable commit.
Item {
    id: root
    Column {
        anchors.fill: parent
        anchors.margins: Theme.margin
        spacing: Theme.spacing
        Item { width: 1; height: Theme.spacing }
        Rectangle {
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
            text: Session.badRating ? qsTr("您的意见已记录，相关部门将核实整改并回访。凭条上的二维码可查询处理结果。")
                                    : qsTr("评价已保存在本机，并将自动上报；网络中断时会在恢复后补报。")
        }
        Image {
            objectName: "receiptQrOnScreen"
            anchors.horizontalCenter: parent.horizontalCenter
            visible: Session.receiptState === Session.Failed || Session.badRating
            width: 280; height: 280
            source: visible && Session.receiptQr.length > 0 ? "image://qr/" + encodeURIComponent(Session.receiptQr) : ""
            smooth: false
        }
        BodyText {
            visible: Session.receiptMessage.length > 0
            text: Session.receiptMessage
            color: Session.receiptState === Session.Failed ? Theme.warning : Theme.text
        }
        Row {
            anchors.horizontalCenter: parent.horizontalCenter
            spacing: Theme.spacing
            BigButton {
                objectName: "printReceipt"
                width: 400
                text: qsTr("打印凭条")
                enabled: Session.receiptState === Session.None
                onClicked: Session.requestReceipt()
            }
            BigButton { objectName: "finish"; width: 400; primary: true; text: qsTr("完成"); onClicked: Session.finish() }
        }
    }
}

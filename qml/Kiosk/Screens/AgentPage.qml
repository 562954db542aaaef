// SPDX-License-Identifier: Apache-2.0
pragma ComponentBehavior: Bound
import QtQuick
import Kiosk.Core
import Kiosk.Theme
import Kiosk.Components

// 代办员 sign-in, over the start screen: the agent's own ID card, then the agent's PIN.
Rectangle {
    id: root
    color: Theme.background
    property string pin
    readonly property bool landscape: width > height

    // Modal: the start screen underneath does not react while an agent signs in.
    MouseArea { anchors.fill: parent; hoverEnabled: true }
    onVisibleChanged: pin = ""

    Column {
        anchors.fill: parent
        anchors.margins: Theme.margin
        spacing: Theme.spacing

        ScreenTitle { text: qsTr("代办员登录") }
        BodyText {
            objectName: "agentPrompt"
            text: Agent.phase === Agent.EnterPin
                  ? qsTr("代办员 %1，请输入您的密码。").arg(Agent.agentName)
                  : qsTr("请代办员把本人身份证放在读卡区。")
        }
        Rectangle { // the agent's own card, as the reader's label shows it
            visible: Agent.phase === Agent.WaitingCard
            anchors.horizontalCenter: parent.horizontalCenter
            width: 300; height: 190; radius: 16
            color: "#E8EEF5"; border.color: Theme.selected; border.width: 4
            Rectangle { x: 28; y: 36; width: 80; height: 104; radius: 6; color: Theme.selected }
            Rectangle { x: 132; y: 48; width: 132; height: 14; color: Theme.selected }
            Rectangle { x: 132; y: 88; width: 108; height: 14; color: Theme.selected }
            Rectangle { x: 132; y: 128; width: 124; height: 14; color: Theme.selected }
        }
        Text {
            objectName: "agentMessage"
            width: parent.width
            visible: Agent.message.length > 0
            text: Agent.message
            color: Theme.warning
            font.family: Theme.fontFamily
            font.pixelSize: Theme.bodySize
            wrapMode: Text.Wrap
        }
        Text {
            visible: Agent.phase === Agent.EnterPin
            anchors.horizontalCenter: parent.horizontalCenter
            text: "●".repeat(root.pin.length) + "○".repeat(Math.max(0, 6 - root.pin.length))
            font.pixelSize: 56
            color: Theme.text
        }
        Grid {
            visible: Agent.phase === Agent.EnterPin
            anchors.horizontalCenter: parent.horizontalCenter
            columns: root.landscape ? 6 : 3
            spacing: Theme.gap
            Repeater {
                model: ["1", "2", "3", "4", "5", "6", "7", "8", "9", "删除", "0", "确定"]
                delegate: BigButton {
                    id: key
                    required property string modelData
                    objectName: "agentPin_" + modelData
                    width: Theme.elderly ? 260 : 220
                    height: Theme.touchTarget * 1.3
                    primary: modelData === "确定"
                    text: modelData === "删除" ? qsTr("删除") : modelData === "确定" ? qsTr("确定") : modelData
                    onClicked: {
                        if (key.modelData === "删除") root.pin = root.pin.slice(0, -1)
                        else if (key.modelData === "确定") { Agent.enterPin(root.pin); root.pin = "" }
                        else if (root.pin.length < 12) root.pin += key.modelData
                    }
                }
            }
        }
        BigButton {
            objectName: "agentCancel"
            anchors.horizontalCenter: parent.horizontalCenter
            width: 360
            text: qsTr("取消")
            onClicked: { root.pin = ""; Agent.cancelSignIn() }
        }
    }
}

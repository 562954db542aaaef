// SPDX-License-Identifier: Apache-2.0
pragma ComponentBehavior: Bound
import QtQuick
import Kiosk.Core
import Kiosk.Theme
import Kiosk.Components

// On-site maintenance, behind the maintenance PIN. Tab "设备": test read, test print with the
// printer's status, camera preview with what it decodes, scanner echo. Tab "状态与日志": hub
// connection, queue, ledger head, configuration and update state, manual sync, sanctioned exit
// (two taps), and the kiosk's recent log lines (masked).
Rectangle {
    id: root
    color: Theme.background
    property string pin
    property bool exitArmed: false // the sanctioned exit needs a second tap
    readonly property bool landscape: width > height
    component StatusLine: Text {
        width: parent ? parent.width : 0
        wrapMode: Text.Wrap
        color: Theme.text
        font.family: Theme.fontFamily
        font.pixelSize: Theme.smallSize
    }
    Connections {
        target: Diagnostics
        function onOpenChanged() { root.exitArmed = false }
    }

    // Modal: nothing of the citizen's screen underneath reacts while maintenance is open.
    MouseArea { anchors.fill: parent; hoverEnabled: true }

    Column {
        anchors.fill: parent
        anchors.margins: Theme.margin
        spacing: Theme.spacing
        visible: !Diagnostics.unlocked

        ScreenTitle { text: qsTr("设备维护") }
        BodyText { objectName: "pinMessage"; text: Diagnostics.pinMessage; color: Theme.text }
        Text {
            anchors.horizontalCenter: parent.horizontalCenter
            // One dot per digit typed: the PIN's length is not shown before it is typed.
            text: root.pin.length > 0 ? "●".repeat(root.pin.length) : " "
            font.pixelSize: 56
            color: Theme.text
        }
        Grid {
            anchors.horizontalCenter: parent.horizontalCenter
            columns: root.landscape ? 6 : 3 // two rows in landscape: the 返回 below stays on screen
            spacing: Theme.gap
            Repeater {
                model: ["1", "2", "3", "4", "5", "6", "7", "8", "9", "删除", "0", "确定"]
                delegate: BigButton {
                    id: pinKey
                    required property string modelData
                    objectName: "pin_" + modelData
                    width: 200
                    height: 110
                    primary: modelData === "确定"
                    text: modelData === "删除" ? qsTr("删除") : modelData === "确定" ? qsTr("确定") : modelData
                    onClicked: {
                        if (pinKey.modelData === "删除") root.pin = root.pin.slice(0, -1)
                        else if (pinKey.modelData === "确定") { Diagnostics.enterPin(root.pin); root.pin = "" }
                        else if (root.pin.length < 12) root.pin += pinKey.modelData
                    }
                }
            }
        }
        BigButton { objectName: "diagCancel"; anchors.horizontalCenter: parent.horizontalCenter; width: 360; text: qsTr("返回"); onClicked: { root.pin = ""; Diagnostics.close() } }
    }

    Column {
        anchors.fill: parent
        anchors.margins: Theme.margin
        spacing: Theme.spacing
        visible: Diagnostics.unlocked

        // Title, the two tabs and the way out, on one line: the tabs' content gets the rest.
        Row {
            id: titleRow
            width: parent.width
            spacing: Theme.gap
            readonly property int buttonWidth: root.landscape ? 300 : 250
            ScreenTitle { text: qsTr("设备诊断"); width: parent.width - 3 * (titleRow.buttonWidth + Theme.gap); visible: root.landscape }
            BigButton { objectName: "diagTabDevices"; width: titleRow.buttonWidth; text: qsTr("设备"); primary: Diagnostics.page === 0; onClicked: Diagnostics.page = 0 }
            BigButton { objectName: "diagTabStatus"; width: titleRow.buttonWidth; text: qsTr("状态与日志"); primary: Diagnostics.page === 1; onClicked: Diagnostics.page = 1 }
            BigButton { objectName: "diagClose"; width: root.landscape ? titleRow.buttonWidth : parent.width - 2 * (titleRow.buttonWidth + Theme.gap); text: qsTr("退出维护"); onClicked: Diagnostics.close() }
        }
        Grid {
            visible: Diagnostics.page === 0
            width: parent.width
            columns: root.landscape ? 2 : 1
            spacing: Theme.spacing
            Column {
                width: root.landscape ? (parent.width - Theme.spacing) / 2 : parent.width
                spacing: Theme.gap
                Repeater {
                    model: Devices
                    delegate: Text {
                        required property string name
                        required property string statusText
                        required property bool ok
                        text: (ok ? "✓ " : "✗ ") + name + "：" + statusText
                        color: ok ? Theme.text : Theme.warning
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.bodySize
                    }
                }
                BigButton { objectName: "diagTestRead"; width: parent.width; text: qsTr("测试读卡"); onClicked: Diagnostics.testRead() }
                BodyText { objectName: "diagCard"; text: Diagnostics.cardText; horizontalAlignment: Text.AlignLeft; color: Theme.text }
                BigButton { objectName: "diagTestPrint"; width: parent.width; text: qsTr("打印测试凭条"); onClicked: Diagnostics.testPrint() }
                BodyText { objectName: "diagPrinter"; text: Diagnostics.printerText; horizontalAlignment: Text.AlignLeft; color: Theme.text }
            }
            Column {
                width: root.landscape ? (parent.width - Theme.spacing) / 2 : parent.width
                spacing: Theme.gap
                Rectangle {
                    width: root.landscape ? Math.min(parent.width, (root.height - 420) * 4 / 3) : parent.width * 0.75
                    height: width * 3 / 4
                    color: "#202020"
                    radius: Theme.radius
                    Image {
                        id: preview
                        anchors.fill: parent
                        anchors.margins: 4
                        fillMode: Image.PreserveAspectFit
                        cache: false
                        property int frame: 0
                        source: App.cameraPreviewAvailable ? "image://camera/" + frame : ""
                        Timer {
                            interval: 66
                            running: App.cameraPreviewAvailable && Diagnostics.unlocked
                            repeat: true
                            onTriggered: preview.frame++
                        }
                    }
                    Text {
                        anchors.centerIn: parent
                        visible: !App.cameraPreviewAvailable
                        text: qsTr("未配置摄像头")
                        color: "white"
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.bodySize
                    }
                    Rectangle { // decode overlay
                        anchors.left: parent.left
                        anchors.right: parent.right
                        anchors.bottom: parent.bottom
                        height: overlay.implicitHeight + 16
                        visible: Diagnostics.cameraText.length > 0
                        color: "#CC0B4F8A"
                        Text {
                            id: overlay
                            anchors.centerIn: parent
                            width: parent.width - 16
                            text: Diagnostics.cameraText
                            color: "white"
                            wrapMode: Text.WrapAnywhere
                            font.pixelSize: Theme.smallSize
                        }
                    }
                }
                BodyText { objectName: "diagScan"; width: parent.width; text: Diagnostics.scanText.length > 0 ? Diagnostics.scanText : qsTr("扫码枪：请扫描任意二维码，内容将显示在这里"); horizontalAlignment: Text.AlignLeft }
            }
        }
        Column {
            id: statusTab
            visible: Diagnostics.page === 1
            width: parent.width
            spacing: Theme.gap
            StatusLine { objectName: "diagNetwork"; text: Diagnostics.networkText }
            StatusLine { objectName: "diagQueue"; text: Diagnostics.queueText }
            StatusLine { objectName: "diagLedger"; text: Diagnostics.ledgerText }
            StatusLine { objectName: "diagConfig"; text: Diagnostics.configText }
            StatusLine { objectName: "diagUpdate"; text: Diagnostics.updateText }
            Row {
                spacing: Theme.gap
                BigButton { objectName: "diagSyncNow"; width: 360; text: qsTr("立即同步"); onClicked: Diagnostics.syncNow() }
                BigButton {
                    objectName: "diagExit"
                    width: 520
                    text: root.exitArmed ? qsTr("再次点击确认退出") : qsTr("退出程序（维护）")
                    onClicked: {
                        if (root.exitArmed) { root.exitArmed = false; Diagnostics.sanctionedExit() }
                        else root.exitArmed = true
                    }
                }
            }
            Text {
                objectName: "diagSync"
                visible: text.length > 0
                text: Diagnostics.syncText
                color: Theme.text
                font.family: Theme.fontFamily
                font.pixelSize: Theme.smallSize
            }
            Text {
                text: qsTr("最近日志（身份证号等已脱敏）")
                color: Theme.textMuted
                font.family: Theme.fontFamily
                font.pixelSize: Theme.smallSize
            }
            Rectangle {
                id: logArea
                width: statusTab.width
                // Whatever height is left on the page.
                height: Math.max(160, root.height - 2 * Theme.margin - statusTab.y - logArea.y)
                color: "#202020"
                radius: Theme.radius
                ListView {
                    id: logView
                    objectName: "diagLog"
                    anchors.fill: parent
                    anchors.margins: 12
                    clip: true
                    model: Diagnostics.logLines
                    delegate: Text {
                        required property string modelData
                        width: logView.width
                        text: modelData
                        color: "#E8E8E8"
                        elide: Text.ElideRight
                        font.family: "monospace"
                        font.pixelSize: 18
                    }
                }
            }
        }
    }
}

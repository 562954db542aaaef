// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtQuick.Window
import Kiosk.Core
import Kiosk.Theme
import Kiosk.Components
import Kiosk.Screens

// The kiosk window: hall header, the screen for the session's state, hotline footer, the idle
// countdown, and (demo only) the panel that simulates a card swipe or a scan.
Window {
    id: window
    objectName: "kioskWindow"
    width: 1080
    height: 1920
    visible: true
    flags: Qt.FramelessWindowHint
    color: Theme.background
    title: qsTr("政务服务好差评")

    readonly property bool landscape: width > height
    // Every screen is laid out for a short side of 1080 px (ux.md sizes) and scaled as a
    // whole to the panel: a 1280×800 pad shows the 1728×1080 layout, 800×1280 the 1080×1728 one.
    readonly property real panelScale: Math.min(width, height) / 1080

    // Sized from the window itself: the window's contentItem is only resized on the first
    // platform resize, which an offscreen or test window may never get.
    Item {
        id: frame
        objectName: "frame"
        width: window.width / window.panelScale
        height: window.height / window.panelScale
        scale: window.panelScale
        transformOrigin: Item.TopLeft

        Rectangle {
            id: header
            objectName: "header"
            anchors { left: parent.left; right: parent.right; top: parent.top }
            height: 150
            color: Theme.brand
            // Hidden gesture for maintenance staff: hold the hall name for three seconds.
            TapHandler {
                objectName: "maintenanceGesture"
                longPressThreshold: 3
                onLongPressed: Diagnostics.requestOpen()
            }
            Column {
                anchors.verticalCenter: parent.verticalCenter
                anchors.left: parent.left
                anchors.leftMargin: Theme.margin
                Text {
                    text: Session.hallName
                    color: Theme.inkOnBrand
                    font.family: Theme.fontFamily
                    font.pixelSize: 48
                    font.bold: true
                }
                Text {
                    text: qsTr("政务服务“好差评”")
                    color: Theme.inkOnBrand
                    font.family: Theme.fontFamily
                    font.pixelSize: 30
                }
            }
            Text {
                anchors.verticalCenter: parent.verticalCenter
                anchors.right: parent.right
                anchors.rightMargin: Theme.margin
                visible: Session.citizenName.length > 0 && !agentButton.visible
                text: qsTr("您好，%1").arg(Session.citizenName)
                color: Theme.inkOnBrand
                font.family: Theme.fontFamily
                font.pixelSize: 34
            }
            // 代办员 sign-in / sign-out: at the start screen only, where no citizen is being served.
            BigButton {
                id: agentButton
                objectName: "agentSignIn"
                visible: Agent.configured && !Pad.enabled && Session.state === Session.Start && !Diagnostics.open
                         && (Agent.phase === Agent.SignedOut || Agent.phase === Agent.SignedIn)
                anchors.verticalCenter: parent.verticalCenter
                anchors.right: parent.right
                anchors.rightMargin: Theme.margin
                width: Theme.elderly ? 420 : 280
                text: Agent.phase === Agent.SignedIn ? qsTr("退出代办") : qsTr("代办员登录")
                onClicked: Agent.phase === Agent.SignedIn ? Agent.signOut() : Agent.beginSignIn()
            }
        }

        // While an agent helps a citizen: who assists. Not on the start screen (the header's
        // 退出代办 says it there) nor on the rating screen (its title says the citizen chooses).
        Rectangle {
            id: agentBar
            objectName: "agentBar"
            visible: Agent.phase === Agent.SignedIn && Session.state !== Session.Start && Session.state !== Session.Rate
            anchors { left: parent.left; right: parent.right; top: header.bottom }
            height: visible ? Math.max(agentText.implicitHeight, agentBarSignOut.height) + Theme.gap * 2 : 0
            color: Theme.selected
            Text {
                id: agentText
                objectName: "agentBanner"
                anchors.verticalCenter: parent.verticalCenter
                anchors.left: parent.left
                anchors.leftMargin: Theme.margin
                anchors.right: agentBarSignOut.left
                anchors.rightMargin: Theme.gap
                horizontalAlignment: Text.AlignHCenter
                // One line that shrinks to fit beside the button (a wrap split the masked name).
                wrapMode: Text.NoWrap
                fontSizeMode: Text.HorizontalFit
                minimumPixelSize: 18
                text: qsTr("代办模式 · 代办员 %1").arg(Agent.agentName)
                color: Theme.inkOnBrand
                font.family: Theme.fontFamily
                font.pixelSize: Theme.bodySize
                font.bold: true
            }
            // Ends the citizen's visit and the agent's session (the header's 退出代办 is only on
            // the start screen).
            BigButton {
                id: agentBarSignOut
                objectName: "agentBarSignOut"
                anchors.verticalCenter: parent.verticalCenter
                anchors.right: parent.right
                anchors.rightMargin: Theme.margin
                width: Theme.elderly ? 360 : 240
                text: qsTr("退出代办")
                onClicked: Agent.endAssistance()
            }
        }

        Item {
            id: content
            objectName: "screenArea"
            anchors { left: parent.left; right: parent.right; top: agentBar.bottom; bottom: footer.top }

            Loader {
                id: screen
                objectName: "screenLoader"
                anchors.fill: parent
                sourceComponent: {
                    if (Pad.enabled)
                        return padScreen
                    switch (Session.state) {
                    case Session.Start: return startScreen
                    case Session.TypeCaseNumber: return typeScreen
                    case Session.ScanQr: return scanScreen
                    case Session.Searching:
                    case Session.Committing: return searchingScreen
                    case Session.ChooseCase: return caseListScreen
                    case Session.Rate: return rateScreen
                    case Session.Reasons: return Session.elderlyFlow ? careReasonsScreen : reasonsScreen
                    case Session.Questions: return questionsScreen
                    case Session.Comment: return commentScreen
                    case Session.Confirm: return Session.elderlyFlow ? careConfirmScreen : confirmScreen
                    case Session.Thanks: return thanksScreen
                    case Session.AlreadyRated: return alreadyRatedScreen
                    case Session.NothingToRate: return nothingScreen
                    case Session.Error: return errorScreen
                    case Session.Unavailable: return unavailableScreen
                    case Session.FollowUp: return followUpScreen
                    }
                    return startScreen
                }
            }
        }

        Component { id: padScreen; PadScreen {} }
        Component { id: followUpScreen; FollowUpScreen {} }
        Component { id: startScreen; StartScreen {} }
        Component { id: typeScreen; TypeCaseScreen {} }
        Component { id: scanScreen; ScanScreen {} }
        Component { id: searchingScreen; SearchingScreen {} }
        Component { id: caseListScreen; CaseListScreen {} }
        Component { id: rateScreen; RateScreen {} }
        Component { id: reasonsScreen; ReasonsScreen {} }
        Component { id: questionsScreen; QuestionsScreen {} }
        Component { id: commentScreen; CommentScreen {} }
        Component { id: confirmScreen; ConfirmScreen {} }
        Component { id: careConfirmScreen; CareConfirmScreen {} }
        Component { id: careReasonsScreen; CareReasonsScreen {} }
        Component { id: thanksScreen; ThanksScreen {} }
        Component {
            id: alreadyRatedScreen
            MessageScreen {
                title: qsTr("该办件已评价")
                detail: qsTr("%1\n已于 %2 评价。一次服务只能评价一次。").arg(Session.caseTaskName).arg(Session.alreadyRatedTime)
                onPrimary: Session.finish()
            }
        }
        Component {
            id: nothingScreen
            MessageScreen {
                title: qsTr("暂无可评价的办件")
                onPrimary: Session.finish()
            }
        }
        Component {
            id: errorScreen
            MessageScreen {
                title: qsTr("抱歉，出了点问题")
                secondaryText: Session.satisfaction > 0 ? qsTr("返回重试") : ""
                onPrimary: Session.cancel()
                onSecondary: Session.back()
            }
        }
        Component {
            id: unavailableScreen
            MessageScreen {
                title: qsTr("暂停评价")
                primaryText: ""
            }
        }

        Rectangle {
            id: footer
            objectName: "footer"
            anchors { left: parent.left; right: parent.right; bottom: parent.bottom }
            height: 96
            color: Theme.surface
            border.color: Theme.pressed
            // Demo only, in the footer's own corner so it never covers a screen's control; open,
            // it grows upwards over the screen.
            DemoPanel {
                id: demoPanel
                visible: App.demoMode
                z: 1
                anchors.left: parent.left
                anchors.leftMargin: 8
                anchors.bottom: parent.bottom
                anchors.bottomMargin: (footer.height - 72) / 2
            }
            Text {
                objectName: "syncStatus"
                anchors.top: parent.top
                anchors.topMargin: 10
                anchors.left: parent.left
                anchors.leftMargin: demoPanel.visible ? demoPanel.x + 140 + Theme.gap : Theme.margin
                // Beside the hotline, never under it (the English line is longer): it shrinks.
                anchors.right: hotlineText.left
                anchors.rightMargin: Theme.gap
                fontSizeMode: Text.HorizontalFit
                minimumPixelSize: 14
                visible: Sync.syncEnabled
                text: Sync.online ? (Sync.queuedCount > 0 ? qsTr("● 在线 · 待上报 %1 条").arg(Sync.queuedCount) : qsTr("● 在线"))
                                  : qsTr("○ 离线 · 评价保存在本机，联网后自动上报（%1 条）").arg(Sync.queuedCount)
                color: Theme.textMuted
                font.family: Theme.fontFamily
                font.pixelSize: 24
            }
            Row {
                objectName: "deviceStrip"
                anchors.horizontalCenter: parent.horizontalCenter
                anchors.bottom: parent.bottom
                anchors.bottomMargin: 4
                spacing: 24
                Repeater {
                    model: Devices
                    delegate: Text {
                        required property string name
                        required property string statusText
                        required property bool ok
                        text: (ok ? "✓ " : "✗ ") + name + (ok ? "" : " " + statusText)
                        color: ok ? Theme.textMuted : Theme.warning
                        font.family: Theme.fontFamily
                        font.pixelSize: 22
                    }
                }
            }
            Text {
                id: hotlineText
                objectName: "hotline"
                anchors.top: parent.top
                anchors.topMargin: 10
                anchors.right: parent.right
                anchors.rightMargin: Theme.margin
                text: qsTr("政务服务便民热线 %1").arg(Session.hotline)
                color: Theme.textMuted
                font.family: Theme.fontFamily
                font.pixelSize: 26
            }
        }

        // The last seconds before the idle reset: visible, with one big button to stay.
        Rectangle {
            id: countdown
            objectName: "idleCountdown"
            visible: Session.countdownVisible
            anchors { left: parent.left; right: parent.right; bottom: footer.top }
            height: Math.max(170, countdownRow.height + 2 * Theme.gap)
            color: "#1A1A1A"
            MouseArea { anchors.fill: parent }
            Row {
                id: countdownRow
                anchors.centerIn: parent
                spacing: Theme.spacing
                Text {
                    anchors.verticalCenter: parent.verticalCenter
                    width: Math.min(implicitWidth, countdown.width - 2 * Theme.margin - continueButton.width - Theme.spacing)
                    wrapMode: Text.Wrap
                    text: qsTr("%1 秒后返回首页，信息将清除").arg(Session.idleRemaining)
                    color: "white"
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.bodySize
                }
                BigButton {
                    id: continueButton
                    objectName: "continueButton"
                    width: Theme.elderly ? 400 : 300
                    primary: true
                    text: qsTr("继续")
                    onClicked: Session.userActivity()
                }
            }
        }

        AgentPage {
            objectName: "agentPage"
            visible: Agent.phase === Agent.WaitingCard || Agent.phase === Agent.EnterPin
            anchors.fill: content
        }

        DiagnosticsPage {
            objectName: "diagnosticsPage"
            visible: Diagnostics.open
            anchors.fill: content
        }

    }
}

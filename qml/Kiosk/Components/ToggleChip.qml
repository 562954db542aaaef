// SPDX-License-Identifier: Apache-2.0
import QtQuick
import Kiosk.Core
import Kiosk.Theme
import Kiosk.Components

// A large on/off choice (差评 reasons, questionnaire options). A square check box where several
// may be chosen, a round radio mark where one of a group is (`exclusive`); the tick makes the
// state visible without colour.
Rectangle {
    id: root
    property string text
    property bool checked: false
    property bool exclusive: false
    signal toggled()

    implicitWidth: Math.max(label.naturalWidth + 3 * Theme.spacing + mark.width, Theme.touchTarget * 2)
    implicitHeight: Math.max(Theme.touchTarget, label.implicitHeight + Theme.spacing)
    radius: Theme.radius
    color: checked ? Theme.selected : (tap.pressed ? Theme.pressed : Theme.surface)
    border.width: 3
    border.color: checked ? Theme.selected : Theme.border
    Accessible.role: exclusive ? Accessible.RadioButton : Accessible.CheckBox
    Accessible.name: text
    Accessible.checked: checked

    Rectangle {
        id: mark
        objectName: root.exclusive ? "radioMark" : "checkBoxMark"
        anchors.left: parent.left
        anchors.leftMargin: Theme.spacing
        anchors.verticalCenter: parent.verticalCenter
        width: Math.round(Theme.buttonTextSize * 0.9)
        height: width
        radius: root.exclusive ? width / 2 : 6
        color: root.checked ? Theme.inkOnBrand : Theme.surface
        border.width: 3
        border.color: root.checked ? Theme.inkOnBrand : Theme.textMuted
        Text {
            anchors.centerIn: parent
            visible: root.checked
            text: "✓"
            color: Theme.selected
            font.pixelSize: Math.round(parent.width * 0.8)
            font.bold: true
        }
    }
    BodyText {
        id: label
        anchors.left: mark.right
        anchors.leftMargin: Theme.gap
        anchors.right: parent.right
        anchors.rightMargin: Theme.spacing
        anchors.verticalCenter: parent.verticalCenter
        text: root.text
        color: root.checked ? Theme.inkOnBrand : Theme.text
        horizontalAlignment: Text.AlignLeft
    }
    TapHandler {
        id: tap
        // Exclusive grab: a tap on a button never also reaches what lies underneath.
        gesturePolicy: TapHandler.ReleaseWithinBounds
        // Press and hold speaks the text (voice help); a held press does not also activate.
        longPressThreshold: 0.8
        property bool held: false
        onPressedChanged: if (tap.pressed) tap.held = false
        onLongPressed: { tap.held = true; Voice.speak(root.text) }
        onTapped: if (!tap.held) root.toggled()
    }
}

// SPDX-License-Identifier: Apache-2.0
import QtQuick
import Kiosk.Core
import Kiosk.Theme
import Kiosk.Components

// A large, obviously tappable button with a pressed state within one frame.
Rectangle {
    id: root
    property string text
    property string subtitle
    property bool primary: false
    property bool enabledLook: enabled
    property color fill: primary ? Theme.brand : Theme.surface
    property color ink: primary ? Theme.inkOnBrand : Theme.text
    signal clicked()

    implicitWidth: Math.max(label.naturalWidth + 2 * Theme.spacing, Theme.touchTarget * 3)
    implicitHeight: Math.max(Theme.touchTarget, column.implicitHeight + Theme.spacing)
    radius: Theme.radius
    color: tap.pressed ? Qt.darker(fill, primary ? 1.25 : 1.08) : fill
    border.width: primary ? 0 : 3
    border.color: Theme.border
    opacity: enabledLook ? 1.0 : 0.55

    Accessible.role: Accessible.Button
    Accessible.name: text

    Column {
        id: column
        anchors.centerIn: parent
        width: parent.width - 2 * Theme.gap
        spacing: 4
        BodyText {
            id: label
            text: root.text
            color: root.ink
            size: Theme.buttonTextSize
            minimumSize: Theme.bodySize // a long (English) label shrinks before it wraps
            font.bold: true
        }
        BodyText {
            visible: root.subtitle.length > 0
            text: root.subtitle
            color: root.ink
            size: Theme.smallSize
        }
    }
    TapHandler {
        id: tap
        // Exclusive grab: a tap on a button never also reaches what lies underneath.
        gesturePolicy: TapHandler.ReleaseWithinBounds
        // Press and hold speaks the text (voice help); a held press does not also activate.
        longPressThreshold: 0.8
        property bool held: false
        onPressedChanged: if (tap.pressed) tap.held = false
        onLongPressed: { tap.held = true; Voice.speak(root.subtitle.length > 0 ? root.text + "。" + root.subtitle : root.text) }
        enabled: root.enabled
        onTapped: if (!tap.held) root.clicked()
    }
}

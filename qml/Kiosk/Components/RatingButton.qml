// SPDX-License-Identifier: Apache-2.0
import QtQuick
import Kiosk.Core
import Kiosk.Theme
import Kiosk.Components

// One of the five levels: face + word, coloured green → red, readable without colour.
Rectangle {
    id: root
    required property int level
    required property string label
    property bool vertical: true
    signal chosen(int level)

    implicitWidth: vertical ? 240 : 720
    implicitHeight: vertical ? 300 : Math.max(Theme.touchTarget * 1.6, 150)
    radius: Theme.radius
    color: tap.pressed ? Qt.darker(Theme.levelColor(level), 1.3) : Theme.levelColor(level)
    Accessible.role: Accessible.Button
    Accessible.name: label

    // Beside the face when the word fits there on one line; else stacked (the face shrinks or
    // goes when the height is short: the word and the colour remain).
    readonly property real wordRoom: root.width - 2 * Theme.gap - (stacked ? 0 : 140 + Theme.spacing)
    readonly property bool stacked: vertical || root.width - 2 * Theme.gap - 140 - Theme.spacing < wordMetrics.advanceWidth
    TextMetrics { id: wordMetrics; font.family: Theme.fontFamily; font.pixelSize: Theme.buttonTextSize; font.bold: true; text: root.label }
    Grid {
        anchors.centerIn: parent
        columns: root.stacked ? 1 : 2
        spacing: Theme.spacing
        horizontalItemAlignment: Grid.AlignHCenter
        verticalItemAlignment: Grid.AlignVCenter
        Face {
            id: face
            level: root.level
            // Stacked: the face takes what the word leaves, so both stay inside at 1.5× type.
            width: Math.min(root.height * 0.55, 140,
                            root.stacked ? root.height - word.height - Theme.spacing - 2 * Theme.gap : 140)
            height: width
            visible: width >= 40
        }
        BodyText {
            id: word
            // The word wraps inside the button (English labels are long) instead of running out.
            width: Math.min(naturalWidth + 2, root.wordRoom)
            text: root.label
            color: Theme.inkOnBrand
            // A word never breaks (非常不满/意): on a narrow tile it takes a smaller size first.
            size: Theme.buttonTextSize
            minimumSize: Theme.smallSize
            font.bold: true
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
        onLongPressed: { tap.held = true; Voice.speak(root.label) }
        onTapped: if (!tap.held) root.chosen(root.level)
    }
}

// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtQuick.Shapes

// A simple face whose mouth follows the level: 5 broad smile … 1 deep frown. Drawn, not an
// emoji, so it needs no colour-emoji font; always shown with the level's word beside it.
Item {
    id: root
    property int level: 3
    property color ink: "white"
    implicitWidth: 96
    implicitHeight: 96

    readonly property real curve: (level - 3) * 0.16 // mouth bend, + smile, − frown

    Shape {
        anchors.fill: parent
        ShapePath {
            strokeColor: root.ink
            strokeWidth: Math.max(3, root.width * 0.06)
            fillColor: "transparent"
            PathAngleArc {
                centerX: root.width / 2; centerY: root.height / 2
                radiusX: root.width / 2 - 4; radiusY: root.height / 2 - 4
                startAngle: 0; sweepAngle: 360
            }
        }
        ShapePath {
            strokeColor: root.ink
            strokeWidth: Math.max(3, root.width * 0.07)
            fillColor: "transparent"
            capStyle: ShapePath.RoundCap
            startX: root.width * 0.3; startY: root.height * (0.68 - root.curve / 2)
            PathQuad {
                x: root.width * 0.7; y: root.height * (0.68 - root.curve / 2)
                controlX: root.width / 2; controlY: root.height * (0.68 + root.curve)
            }
        }
    }
    Rectangle {
        x: root.width * 0.32; y: root.height * 0.33
        width: root.width * 0.1; height: width; radius: width / 2; color: root.ink
    }
    Rectangle {
        x: root.width * 0.58; y: root.height * 0.33
        width: root.width * 0.1; height: width; radius: width / 2; color: root.ink
    }
}

// SPDX-License-Identifier: Apache-2.0
import QtQuick
import Kiosk.Theme

// The staff member being rated at a window pad: photo placeholder (the surname in a circle until
// the hub provides photos), name, staff number and window.
Rectangle {
    id: root
    property string staffName
    property string staffNo
    property string windowNo
    property bool compact: false

    implicitHeight: row.implicitHeight + 2 * Theme.spacing
    radius: Theme.radius
    color: Theme.surface
    border.width: 2
    border.color: Theme.border

    Row {
        id: row
        anchors.verticalCenter: parent.verticalCenter
        anchors.left: parent.left
        anchors.leftMargin: Theme.spacing
        spacing: Theme.spacing * 1.5
        Rectangle {
            objectName: "staffPhoto"
            width: root.compact ? Math.round(72 * Theme.scale) : 200
            height: width
            radius: width / 2
            color: Theme.selected
            anchors.verticalCenter: parent.verticalCenter
            Text {
                anchors.centerIn: parent
                text: root.staffName.length > 0 ? root.staffName.charAt(0) : "?"
                color: Theme.inkOnBrand
                font.family: Theme.fontFamily
                font.pixelSize: parent.width * 0.45
                font.bold: true
            }
        }
        // Compact: name, number and window on one line.
        Grid {
            anchors.verticalCenter: parent.verticalCenter
            columns: root.compact ? 3 : 1
            columnSpacing: Theme.spacing * 1.5
            rowSpacing: 8
            verticalItemAlignment: Grid.AlignVCenter
            Text {
                objectName: "staffName"
                text: root.staffName.length > 0 ? root.staffName : qsTr("窗口工作人员")
                color: Theme.text
                font.family: Theme.fontFamily
                font.pixelSize: Theme.titleSize
                font.bold: true
            }
            Text {
                objectName: "staffNo"
                visible: root.staffNo.length > 0
                text: qsTr("工号 %1").arg(root.staffNo)
                color: Theme.textMuted
                font.family: Theme.fontFamily
                font.pixelSize: Theme.bodySize
            }
            Text {
                visible: root.windowNo.length > 0
                text: qsTr("%1号窗口").arg(root.windowNo)
                color: Theme.textMuted
                font.family: Theme.fontFamily
                font.pixelSize: Theme.bodySize
            }
        }
    }
}

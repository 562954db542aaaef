// SPDX-License-Identifier: Apache-2.0
import QtQuick
import Kiosk.Theme

// Who and what is being rated: service item, department, window, staff member, completion time.
Rectangle {
    id: root
    property string taskName
    property string deptName
    property string windowNo
    property string staffName
    property string staffNo
    property string completionText
    property string statusText
    property bool dimmed: false

    implicitHeight: col.implicitHeight + 2 * Theme.spacing
    radius: Theme.radius
    color: Theme.surface
    border.width: 2
    border.color: Theme.border

    Column {
        id: col
        anchors.fill: parent
        anchors.margins: Theme.spacing
        spacing: 6
        Text {
            width: parent.width
            text: root.taskName
            color: root.dimmed ? Theme.disabledText : Theme.text
            font.family: Theme.fontFamily
            font.pixelSize: Theme.buttonTextSize
            font.bold: true
            wrapMode: Text.Wrap
        }
        Text {
            width: parent.width
            text: qsTr("%1 · %2号窗口").arg(root.deptName).arg(root.windowNo)
            color: root.dimmed ? Theme.disabledText : Theme.textMuted
            font.family: Theme.fontFamily
            font.pixelSize: Theme.bodySize
            wrapMode: Text.Wrap
        }
        Text {
            width: parent.width
            text: qsTr("经办人：%1（工号 %2）  办结：%3").arg(root.staffName).arg(root.staffNo).arg(root.completionText)
            color: root.dimmed ? Theme.disabledText : Theme.textMuted
            font.family: Theme.fontFamily
            font.pixelSize: Theme.bodySize
            wrapMode: Text.Wrap
        }
        Text {
            width: parent.width
            visible: root.statusText.length > 0
            text: root.statusText
            color: root.dimmed ? Theme.warning : Theme.selected
            font.family: Theme.fontFamily
            font.pixelSize: Theme.bodySize
            font.bold: true
            wrapMode: Text.Wrap
        }
    }
}

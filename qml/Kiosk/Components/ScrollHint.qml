// SPDX-License-Identifier: Apache-2.0
import QtQuick
import Kiosk.Theme

// Says that a list goes on below its bottom edge, while it does. Declare it inside the
// Flickable or ListView it describes: it stays put at the bottom while the content moves.
Rectangle {
    id: root
    required property Flickable flickable
    objectName: "scrollHint"
    parent: flickable
    z: 2
    visible: flickable.contentHeight > flickable.height + 1
             && flickable.contentY + flickable.height < flickable.contentHeight - 1
    anchors.bottom: parent.bottom
    anchors.horizontalCenter: parent.horizontalCenter
    width: Math.min(parent.width, label.implicitWidth + 2 * Theme.spacing)
    height: label.implicitHeight + Theme.gap
    radius: height / 2
    color: "#E6263238"
    Text {
        id: label
        anchors.centerIn: parent
        text: qsTr("▲ 向上滑动，查看更多")
        color: "white"
        font.family: Theme.fontFamily
        font.pixelSize: Theme.smallSize
        font.bold: true
    }
}

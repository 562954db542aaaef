// SPDX-License-Identifier: Apache-2.0
import QtQuick
import Kiosk.Theme

Text {
    width: parent ? parent.width : implicitWidth
    color: Theme.text
    font.family: Theme.fontFamily
    font.pixelSize: Theme.titleSize
    font.bold: true
    wrapMode: Text.Wrap
    horizontalAlignment: Text.AlignHCenter
}

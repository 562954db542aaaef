// SPDX-License-Identifier: Apache-2.0
import QtQuick
import Kiosk.Theme

Text {
    width: parent ? parent.width : implicitWidth
    color: Theme.textMuted
    font.family: Theme.fontFamily
    font.pixelSize: Theme.bodySize
    wrapMode: Text.Wrap
    horizontalAlignment: Text.AlignHCenter
}

// SPDX-License-Identifier: Apache-2.0
import QtQuick
import Kiosk.Theme

BodyText {
    color: Theme.text
    font.pixelSize: Theme.titleSize
    font.bold: true
}

// SPDX-License-Identifier: Apache-2.0
import QtQuick
import Kiosk.Theme

BodyText {
    color: Theme.text
    size: Theme.titleSize
    // At 1.5× type a long title shrinks to stay on one line, never below the normal title size.
    minimumSize: Theme.elderly ? Theme.buttonTextSize : size
    font.bold: true
}

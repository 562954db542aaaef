// SPDX-License-Identifier: Apache-2.0
import QtQuick
import Kiosk.Theme

Text {
    id: root
    width: parent ? parent.width : implicitWidth
    color: Theme.textMuted
    font.family: Theme.fontFamily
    font.pixelSize: Theme.bodySize
    wrapMode: Text.Wrap
    horizontalAlignment: Text.AlignHCenter

    // A wrapped paragraph never leaves one character alone on its last line (评/价！): then
    // every line gives up about one character, so the last line takes two or more. Estimated
    // from the paragraph's advance at the full width, so the padding does not feed back.
    readonly property bool balanced: {
        if (wrapMode === Text.NoWrap || width <= font.pixelSize * 4)
            return false
        const paragraphs = text.split("\n")
        for (let i = 0; i < paragraphs.length; ++i) {
            const advance = metrics.advanceWidth(paragraphs[i])
            if (advance <= width)
                continue
            const last = advance - Math.floor(advance / width) * width
            if (last < font.pixelSize * 2.2)
                return true
        }
        return false
    }
    // The widest paragraph on one line, without padding: for a parent's implicitWidth (the
    // label's own implicitWidth follows the padding, which follows the width).
    readonly property real naturalWidth: {
        const paragraphs = text.split("\n")
        let w = 0
        for (let i = 0; i < paragraphs.length; ++i)
            w = Math.max(w, metrics.advanceWidth(paragraphs[i]))
        return Math.ceil(w)
    }
    // One character narrower per line than what fits the full width.
    leftPadding: balanced ? (width - (Math.floor(width / font.pixelSize) - 1) * font.pixelSize) / 2 + 1 : 0
    rightPadding: leftPadding
    FontMetrics { id: metrics; font: root.font }
}

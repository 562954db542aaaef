// SPDX-License-Identifier: Apache-2.0
import QtQuick
import Kiosk.Theme

// A paragraph of the kiosk's type. Set `size` (not font.pixelSize); with `minimumSize` below
// it, a text that does not fit its width on one line takes a smaller size, down to that, before
// it wraps (button labels, English at 1.5× type).
Text {
    id: root
    property int size: Theme.bodySize
    property int minimumSize: size
    width: parent ? parent.width : implicitWidth
    color: Theme.textMuted
    font.family: Theme.fontFamily
    font.pixelSize: minimumSize < size && naturalWidth > width && naturalWidth > 0
                    ? Math.max(minimumSize, Math.floor(size * (width - 2) / naturalWidth)) : size
    wrapMode: Text.Wrap
    horizontalAlignment: Text.AlignHCenter

    // The widest paragraph on one line at `size`, without padding: for a parent's implicitWidth
    // (the label's own implicitWidth follows the padding, which follows the width).
    readonly property real naturalWidth: {
        // advanceWidth() is a call: reading the metrics' height makes a new font re-run this.
        if (fullMetrics.height <= 0)
            return 0
        const paragraphs = text.split("\n")
        let w = 0
        for (let i = 0; i < paragraphs.length; ++i)
            w = Math.max(w, fullMetrics.advanceWidth(paragraphs[i]))
        return Math.ceil(w)
    }

    // A wrapped Chinese paragraph never leaves one character alone on its last line (评/价！):
    // then every line gives up about one character, so the last line takes two or more.
    // Estimated from the paragraph's advance at the full width, so the padding does not feed
    // back. (Words in English wrap whole; a lone letter cannot happen there.)
    readonly property bool balanced: {
        if (wrapMode === Text.NoWrap || width <= font.pixelSize * 4 || metrics.height <= 0 || !/[\u3400-\u9fff]/.test(text))
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
    // One character narrower per line than what fits the full width.
    leftPadding: balanced ? (width - (Math.floor(width / font.pixelSize) - 1) * font.pixelSize) / 2 + 1 : 0
    rightPadding: leftPadding
    FontMetrics { id: metrics; font: root.font }
    FontMetrics { id: fullMetrics; font.family: root.font.family; font.bold: root.font.bold; font.pixelSize: root.size }
}

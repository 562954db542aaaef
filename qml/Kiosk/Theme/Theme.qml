// SPDX-License-Identifier: Apache-2.0
pragma Singleton
import QtQuick
import Kiosk.Core

// Colours and sizes of every screen. Sizes are pixels at 1080 px width (ux.md); elderly mode
// multiplies type and targets by 1.5 and switches to the higher-contrast palette (≥ 7:1).
QtObject {
    // The maintenance page is for staff: normal size even while 关怀模式 is on.
    readonly property bool elderly: App.elderlyMode && !(Diagnostics && Diagnostics.open)
    readonly property real scale: elderly ? 1.5 : 1.0

    // Palette: red-and-white official look. Every text/background pair is ≥ 4.5:1 (≥ 7:1 elderly).
    readonly property color brand: elderly ? "#8E0E18" : "#B3121F" // header band, primary buttons (white text 6.9:1; 9.4:1 elderly)
    readonly property color brandDark: "#8E0E18"
    readonly property color background: elderly ? "#FFFFFF" : "#F4F4F2"
    readonly property color surface: "#FFFFFF"
    readonly property color text: elderly ? "#000000" : "#1A1A1A"
    readonly property color textMuted: elderly ? "#262626" : "#4A4A4A"  // 8.9:1 on #F4F4F2
    readonly property color inkOnBrand: "#FFFFFF"
    readonly property color border: elderly ? "#333333" : "#8C8C8C"
    readonly property color selected: "#0B4F8A"     // toggles on (white text 8.6:1)
    readonly property color disabledText: "#5C5C5C"  // still ≥ 4.5:1 on white
    readonly property color warning: "#7A4A00"       // 7.6:1 on white
    readonly property color pressed: "#E3E3E0"

    // The five levels, green → red, each with white text ≥ 4.5:1 (elderly: darker, ≥ 7:1).
    function levelColor(level) {
        switch (level) {
        case 5: return elderly ? "#0F5A29" : "#1B7A3A"
        case 4: return elderly ? "#2A5A16" : "#3A7A22"
        case 3: return elderly ? "#5C4500" : "#7A5C00"
        case 2: return elderly ? "#8A2D08" : "#B23A0A"
        case 1: return elderly ? "#7F1010" : "#A31515"
        }
        return brand
    }

    readonly property int bodySize: Math.round(32 * scale)
    readonly property int buttonTextSize: Math.round(40 * scale)
    readonly property int titleSize: Math.round(56 * scale)
    readonly property int smallSize: Math.round(26 * scale)
    readonly property int touchTarget: elderly ? 96 : 72
    readonly property int spacing: Math.round(24 * scale)
    readonly property int gap: 16
    readonly property int radius: 12
    readonly property int margin: 40
    readonly property string fontFamily: "Noto Sans CJK SC"
}

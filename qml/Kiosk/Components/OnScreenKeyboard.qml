// SPDX-License-Identifier: Apache-2.0
pragma ComponentBehavior: Bound
import QtQuick
import Kiosk.Core
import Kiosk.Theme

// The kiosk's own keyboard: "code" layout (digits + capital letters, for 办件编号) and "pinyin"
// layout (letters → 汉字 candidates from the Pinyin engine, for names and comments).
Item {
    id: root
    property string mode: "code"      // "code" | "pinyin"
    signal typed(string text)
    signal erased()

    readonly property var codeRows: [["1","2","3","4","5","6","7","8","9","0"],
                                      ["Q","W","E","R","T","Y","U","I","O","P"],
                                      ["A","S","D","F","G","H","J","K","L","-"],
                                      ["Z","X","C","V","B","N","M"]]
    readonly property var letterRows: [["q","w","e","r","t","y","u","i","o","p"],
                                        ["a","s","d","f","g","h","j","k","l"],
                                        ["z","x","c","v","b","n","m"]]
    readonly property var rows: mode === "pinyin" ? letterRows : codeRows
    readonly property int keyGap: Theme.elderly ? 4 : 8
    readonly property real keyWidth: Math.min(140, (width - 9 * keyGap) / 10)
    readonly property real keyHeight: Math.max(Theme.touchTarget, 84)

    implicitHeight: col.implicitHeight

    Column {
        id: col
        width: parent.width
        spacing: root.keyGap

        // Candidate bar (pinyin only): the pre-edit and the 汉字 choices.
        Rectangle {
            visible: root.mode === "pinyin"
            width: parent.width
            height: root.keyHeight
            radius: Theme.radius
            color: Theme.surface
            border.width: 2
            border.color: Theme.border
            Row {
                anchors.fill: parent
                anchors.margins: 6
                spacing: root.keyGap
                Text {
                    anchors.verticalCenter: parent.verticalCenter
                    text: Pinyin.preedit.length > 0 ? Pinyin.preedit : qsTr("拼音")
                    color: Theme.textMuted
                    font.pixelSize: Theme.bodySize
                    font.family: Theme.fontFamily
                    width: 160
                    elide: Text.ElideLeft
                }
                ListView {
                    id: candidates
                    objectName: "pinyinCandidates"
                    width: parent.width - 170
                    height: parent.height
                    orientation: ListView.Horizontal
                    spacing: root.keyGap
                    clip: true
                    model: Pinyin.candidates
                    delegate: Rectangle {
                        id: candidate
                        required property string modelData
                        required property int index
                        objectName: "candidate" + index
                        height: candidates.height
                        width: Math.max(Theme.touchTarget, candText.implicitWidth + 32)
                        radius: Theme.radius
                        color: candTap.pressed ? Theme.pressed : Theme.background
                        Text {
                            id: candText
                            anchors.centerIn: parent
                            text: candidate.modelData
                            color: Theme.text
                            font.pixelSize: Theme.buttonTextSize
                            font.family: Theme.fontFamily
                        }
                        TapHandler {
                            id: candTap
                            onTapped: root.typed(Pinyin.choose(candidate.index))
                        }
                    }
                }
            }
        }

        Repeater {
            model: root.rows
            delegate: Row {
                id: keyRow
                required property var modelData
                anchors.horizontalCenter: parent.horizontalCenter
                spacing: root.keyGap
                Repeater {
                    model: keyRow.modelData
                    delegate: Rectangle {
                        id: key
                        required property string modelData
                        objectName: "key_" + modelData
                        width: root.keyWidth
                        height: root.keyHeight
                        radius: 8
                        color: keyTap.pressed ? Theme.pressed : Theme.surface
                        border.width: 2
                        border.color: Theme.border
                        Accessible.role: Accessible.Button
                        Accessible.name: key.modelData
                        Text {
                            anchors.centerIn: parent
                            text: key.modelData
                            color: Theme.text
                            font.pixelSize: Theme.buttonTextSize
                            font.family: Theme.fontFamily
                        }
                        TapHandler {
                            id: keyTap
                            onTapped: root.mode === "pinyin" ? Pinyin.typeLetter(key.modelData)
                                                              : root.typed(key.modelData)
                        }
                    }
                }
            }
        }
        Row {
            anchors.horizontalCenter: parent.horizontalCenter
            spacing: root.keyGap
            BigButton {
                text: qsTr("空格")
                visible: root.mode === "pinyin"
                width: root.keyWidth * 3
                height: root.keyHeight
                onClicked: Pinyin.preedit.length > 0 ? root.typed(Pinyin.choose(0)) : root.typed(" ")
            }
            BigButton {
                objectName: "keyBackspace"
                text: qsTr("删除")
                width: root.keyWidth * 3
                height: root.keyHeight
                onClicked: Pinyin.preedit.length > 0 && root.mode === "pinyin" ? Pinyin.backspace() : root.erased()
            }
        }
    }
}

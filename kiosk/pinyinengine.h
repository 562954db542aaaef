// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QObject>
#include <QStringList>

namespace hcp::kiosk {

// Pinyin → 汉字 candidates for the on-screen keyboard, backed by Debian's libgooglepinyin
// (its system dictionary). The engine is process-global in that library, so there is one
// PinyinEngine per process. No user dictionary is kept: what citizens type (names!) is not learnt.
// GUI thread only.
class PinyinEngine : public QObject {
    Q_OBJECT
    Q_PROPERTY(QString preedit READ preedit NOTIFY changed)
    Q_PROPERTY(QStringList candidates READ candidates NOTIFY changed)
    Q_PROPERTY(bool available READ available CONSTANT)
public:
    explicit PinyinEngine(QObject *parent = nullptr);
    ~PinyinEngine() override;

    static QString defaultDictionary();
    bool open(const QString &dictionary = defaultDictionary());
    bool available() const { return m_open; }
    QString preedit() const { return m_preedit; }
    QStringList candidates() const { return m_candidates; }

    Q_INVOKABLE void typeLetter(const QString &letter); // a–z; others ignored
    Q_INVOKABLE void backspace();
    Q_INVOKABLE void clear();
    // Returns the chosen text and clears the pre-edit; empty when index is out of range.
    Q_INVOKABLE QString choose(int index);
    // Typing a person's name: charsBefore = characters of the name already entered (0: the
    // surname comes next), -1: ordinary text (comments). In a name, common surnames (first
    // character) or common given-name characters come first, even after one letter ("w" → 王),
    // and characters no parent gives a child (贱, 死, …) go to the end.
    Q_INVOKABLE void setNameContext(int charsBefore);

Q_SIGNALS:
    void changed();

private:
    void search();
    bool m_open = false;
    int m_nameChars = -1;
    QString m_preedit;
    QStringList m_candidates;
};

} // namespace hcp::kiosk

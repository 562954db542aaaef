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

Q_SIGNALS:
    void changed();

private:
    void search();
    bool m_open = false;
    QString m_preedit;
    QStringList m_candidates;
};

} // namespace hcp::kiosk

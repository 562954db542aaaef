// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>

namespace hcp::kiosk {

// One 测评指标 (evalDetail code) and the satisfaction levels it is offered for.
struct Indicator {
    QString code;        // 3-digit code, e.g. "501"
    QString text;        // 窗口服务态度差
    QList<int> levels;   // levels that show it (差评 reasons: 1, 2)
    QString textEn;      // "text_en": shown when the UI language is English
    // 其他（请在留言中说明）: the set's "other" slot (code x99, e.g. 599) asks for a comment, so it
    // is offered only where a comment step follows.
    bool needsComment() const { return code.size() == 3 && code.endsWith(QLatin1String("99")); }
    QString displayText(bool english) const { return english && !textEn.isEmpty() ? textEn : text; }
};

// The versioned list of 差评 reasons / itemised indicators. Never hard-coded in screens: it comes
// from configuration (hub) and its version travels with every evaluation.
class IndicatorSet {
public:
    QString version;
    QList<Indicator> indicators;

    // The level's indicators; without a comment step, those that need one are left out.
    QList<Indicator> forLevel(int level, bool withCommentStep = true) const;
    bool isKnownFor(const QString &code, int level) const;
    QString textOf(const QString &code) const;
    bool isValid() const { return !version.isEmpty() && !indicators.isEmpty(); }

    static IndicatorSet fromJson(const QJsonObject &o, QString *error = nullptr);
    QJsonObject toJson() const;
    // The set shipped with the kiosk, used until the hub sends one.
    static IndicatorSet builtin();
};

} // namespace hcp::kiosk

// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace hcp::kiosk {

struct QuestionOption {
    QString code;
    QString text;
    QString textEn; // "text_en": shown when the UI language is English
    QString displayText(bool english) const { return english && !textEn.isEmpty() ? textEn : text; }
};

// One itemised question. Answers are stored as: yesno → "1"/"0", single → option code,
// multi → codes joined with ',' (the same convention as evalDetail).
struct QuestionItem {
    enum class Kind { YesNo, Single, Multi };
    QString id;
    QString text;
    QString textEn; // "text_en"
    Kind kind = Kind::YesNo;
    QList<QuestionOption> options; // empty for YesNo
    bool acceptsAnswer(const QString &answer) const;
    QString displayText(bool english) const { return english && !textEn.isEmpty() ? textEn : text; }
};

struct Questionnaire {
    QString version;
    QString taskCode; // empty for the default questionnaire
    QList<QuestionItem> items;
    bool isEmpty() const { return items.isEmpty(); }
};

// All questionnaires of one configuration version: one per taskCode, or the default.
class QuestionnaireCatalog {
public:
    QString version;
    Questionnaire defaultQuestionnaire;
    QHash<QString, Questionnaire> byTaskCode;

    Questionnaire forTask(const QString &taskCode) const;
    static QuestionnaireCatalog fromJson(const QJsonObject &o, QString *error = nullptr);
    static QuestionnaireCatalog builtin();
};

} // namespace hcp::kiosk

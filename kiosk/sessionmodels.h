// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "case.h"
#include "indicatorset.h"
#include "questionnaire.h"

#include <QAbstractListModel>
#include <QDateTime>
#include <QSet>

namespace hcp::kiosk {

// The citizen's cases as shown on the case list. Rows that cannot be rated (already rated,
// window closed) stay visible, greyed, with the reason.
class CaseListModel : public QAbstractListModel {
    Q_OBJECT
    Q_PROPERTY(int count READ rowCount NOTIFY countChanged)
public:
    enum Role {
        ProjectNoRole = Qt::UserRole + 1,
        TaskNameRole,
        DeptNameRole,
        WindowNoRole,
        StaffNameRole,
        StaffNoRole,
        CompletionTextRole,
        RateableRole,
        StatusTextRole,
    };
    struct Row {
        Case c;
        bool rateable = false;
        QString statusText; // 可评价（截止 11月30日） / 已评价（时间） / 已超过评价期限
    };
    using QAbstractListModel::QAbstractListModel;
    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    void setRows(const QList<Row> &rows);
    void clear();
    const Row *row(int i) const { return i >= 0 && i < m_rows.size() ? &m_rows.at(i) : nullptr; }
    const QList<Row> &rows() const { return m_rows; }

Q_SIGNALS:
    void countChanged();

private:
    QList<Row> m_rows;
};

// The 差评 reasons (or improvement items) offered for the chosen level, as toggles.
class ReasonListModel : public QAbstractListModel {
    Q_OBJECT
    Q_PROPERTY(int count READ rowCount NOTIFY countChanged)
    Q_PROPERTY(int selectedCount READ selectedCount NOTIFY selectionChanged)
    Q_PROPERTY(QString selectedText READ selectedText NOTIFY selectionChanged)
public:
    enum Role { CodeRole = Qt::UserRole + 1, TextRole, SelectedRole };
    using QAbstractListModel::QAbstractListModel;
    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    void setIndicators(const QList<Indicator> &indicators);
    // Texts in English ("text_en") where the data has them; refreshes the rows.
    void setEnglish(bool english);
    void toggle(const QString &code);
    QStringList selectedCodes() const; // in display order
    QString selectedText() const;      // the chosen reasons' texts, ；-separated (confirm screen)
    int selectedCount() const { return int(m_selected.size()); }
    void clear();

Q_SIGNALS:
    void countChanged();
    void selectionChanged();

private:
    QList<Indicator> m_items;
    QSet<QString> m_selected;
    bool m_english = false;
};

// The questionnaire items with the answer given so far.
class QuestionListModel : public QAbstractListModel {
    Q_OBJECT
    Q_PROPERTY(int count READ rowCount NOTIFY countChanged)
public:
    enum Role { ItemIdRole = Qt::UserRole + 1, TextRole, KindRole, OptionsRole, AnswerRole };
    using QAbstractListModel::QAbstractListModel;
    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    void setQuestionnaire(const Questionnaire &q);
    void setEnglish(bool english);
    // Sets (or, for multi, toggles) an answer; returns false when the item rejects it.
    bool answer(const QString &itemId, const QString &value);
    QMap<QString, QString> answers() const { return m_answers; }
    void clear();

Q_SIGNALS:
    void countChanged();

private:
    QList<QuestionItem> m_items;
    QMap<QString, QString> m_answers;
    bool m_english = false;
};

} // namespace hcp::kiosk

// SPDX-License-Identifier: Apache-2.0
#include "sessionmodels.h"

#include <QVariantMap>

namespace hcp::kiosk {

// --- CaseListModel -------------------------------------------------------------------------

int CaseListModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : int(m_rows.size()); }

QVariant CaseListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &r = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case TaskNameRole: return r.c.taskName;
    case ProjectNoRole: return r.c.projectNo;
    case DeptNameRole: return r.c.deptName;
    case WindowNoRole: return r.c.windowNo;
    case StaffNameRole: return r.c.staffName;
    case StaffNoRole: return r.c.staffNo;
    case CompletionTextRole: return r.c.resultDate.toString(QStringLiteral("yyyy-MM-dd HH:mm"));
    case RateableRole: return r.rateable;
    case StatusTextRole: return r.statusText;
    }
    return {};
}

QHash<int, QByteArray> CaseListModel::roleNames() const
{
    return {{ProjectNoRole, "projectNo"}, {TaskNameRole, "taskName"}, {DeptNameRole, "deptName"},
            {WindowNoRole, "windowNo"}, {StaffNameRole, "staffName"}, {StaffNoRole, "staffNo"},
            {CompletionTextRole, "completionText"}, {RateableRole, "rateable"},
            {StatusTextRole, "statusText"}};
}

void CaseListModel::setRows(const QList<Row> &rows)
{
    beginResetModel();
    m_rows = rows;
    endResetModel();
    Q_EMIT countChanged();
}

void CaseListModel::clear() { setRows({}); }

// --- ReasonListModel -----------------------------------------------------------------------

int ReasonListModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : int(m_items.size()); }

QVariant ReasonListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Indicator &i = m_items.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case TextRole: return i.displayText(m_english);
    case CodeRole: return i.code;
    case SelectedRole: return m_selected.contains(i.code);
    }
    return {};
}

QHash<int, QByteArray> ReasonListModel::roleNames() const
{
    return {{CodeRole, "code"}, {TextRole, "text"}, {SelectedRole, "selected"}};
}

void ReasonListModel::setIndicators(const QList<Indicator> &indicators)
{
    beginResetModel();
    m_items = indicators;
    m_selected.clear();
    endResetModel();
    Q_EMIT countChanged();
    Q_EMIT selectionChanged();
}

void ReasonListModel::toggle(const QString &code)
{
    for (int row = 0; row < m_items.size(); ++row) {
        if (m_items.at(row).code != code)
            continue;
        if (!m_selected.remove(code))
            m_selected.insert(code);
        const QModelIndex idx = index(row);
        Q_EMIT dataChanged(idx, idx, {SelectedRole});
        Q_EMIT selectionChanged();
        return;
    }
}

QStringList ReasonListModel::selectedCodes() const
{
    QStringList out;
    for (const Indicator &i : m_items)
        if (m_selected.contains(i.code))
            out.append(i.code);
    return out;
}

QString ReasonListModel::selectedText() const
{
    QStringList out;
    for (const Indicator &i : m_items)
        if (m_selected.contains(i.code))
            out.append(i.displayText(m_english));
    return out.join(m_english ? QStringLiteral("; ") : QStringLiteral("；"));
}

void ReasonListModel::setEnglish(bool english)
{
    if (english == m_english)
        return;
    m_english = english;
    if (!m_items.isEmpty())
        Q_EMIT dataChanged(index(0), index(int(m_items.size()) - 1), {TextRole, Qt::DisplayRole});
    Q_EMIT selectionChanged(); // selectedText follows the language
}

void ReasonListModel::clear() { setIndicators({}); }

// --- QuestionListModel ---------------------------------------------------------------------

int QuestionListModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : int(m_items.size()); }

QVariant QuestionListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const QuestionItem &q = m_items.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case TextRole: return q.displayText(m_english);
    case ItemIdRole: return q.id;
    case KindRole:
        return q.kind == QuestionItem::Kind::YesNo ? QStringLiteral("yesno")
             : q.kind == QuestionItem::Kind::Single ? QStringLiteral("single") : QStringLiteral("multi");
    case OptionsRole: {
        QVariantList opts;
        for (const QuestionOption &o : q.options)
            opts.append(QVariantMap{{QStringLiteral("code"), o.code}, {QStringLiteral("text"), o.displayText(m_english)}});
        return opts;
    }
    case AnswerRole: return m_answers.value(q.id);
    }
    return {};
}

QHash<int, QByteArray> QuestionListModel::roleNames() const
{
    return {{ItemIdRole, "itemId"}, {TextRole, "text"}, {KindRole, "kind"}, {OptionsRole, "options"},
            {AnswerRole, "answer"}};
}

void QuestionListModel::setQuestionnaire(const Questionnaire &q)
{
    beginResetModel();
    m_items = q.items;
    m_answers.clear();
    endResetModel();
    Q_EMIT countChanged();
}

bool QuestionListModel::answer(const QString &itemId, const QString &value)
{
    for (int row = 0; row < m_items.size(); ++row) {
        const QuestionItem &item = m_items.at(row);
        if (item.id != itemId)
            continue;
        QString next = value;
        if (item.kind == QuestionItem::Kind::Multi) {
            QStringList codes = m_answers.value(itemId).split(QLatin1Char(','), Qt::SkipEmptyParts);
            if (!codes.removeAll(value))
                codes.append(value);
            // Keep the option order, not the tap order.
            QStringList ordered;
            for (const QuestionOption &o : item.options)
                if (codes.contains(o.code))
                    ordered.append(o.code);
            next = ordered.join(QLatin1Char(','));
            if (next.isEmpty()) {
                m_answers.remove(itemId);
                Q_EMIT dataChanged(index(row), index(row), {AnswerRole});
                return true;
            }
        } else if (m_answers.value(itemId) == value) {
            // A second tap on the same choice withdraws it: every question is optional.
            m_answers.remove(itemId);
            Q_EMIT dataChanged(index(row), index(row), {AnswerRole});
            return true;
        }
        if (!item.acceptsAnswer(next))
            return false;
        m_answers.insert(itemId, next);
        Q_EMIT dataChanged(index(row), index(row), {AnswerRole});
        return true;
    }
    return false;
}

void QuestionListModel::setEnglish(bool english)
{
    if (english == m_english)
        return;
    m_english = english;
    if (!m_items.isEmpty())
        Q_EMIT dataChanged(index(0), index(int(m_items.size()) - 1), {TextRole, OptionsRole, Qt::DisplayRole});
}

void QuestionListModel::clear() { setQuestionnaire({}); }

} // namespace hcp::kiosk

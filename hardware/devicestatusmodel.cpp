// SPDX-License-Identifier: Apache-2.0
#include "devicestatusmodel.h"

#include "devicemanager.h"

#include <QCoreApplication>
#include <QEvent>


namespace hcp::hardware {

DeviceStatusModel::DeviceStatusModel(DeviceManager *manager, QObject *parent)
    : QAbstractListModel(parent)
    , m_manager(manager)
{
    connect(manager, &DeviceManager::statusChanged, this, [this](DeviceClass c) {
        const int row = int(m_manager->fitted().indexOf(c));
        if (row >= 0) {
            const QModelIndex i = index(row);
            emit dataChanged(i, i, {StatusTextRole, OkRole, StateRole});
        }
    });
    if (QCoreApplication::instance())
        QCoreApplication::instance()->installEventFilter(this);
    connect(manager, &DeviceManager::fittedChanged, this, [this] {
        beginResetModel();
        endResetModel();
    });
}

bool DeviceStatusModel::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::LanguageChange && watched == QCoreApplication::instance() && rowCount() > 0)
        emit dataChanged(index(0), index(rowCount() - 1), {NameRole, Qt::DisplayRole, StatusTextRole});
    return QAbstractListModel::eventFilter(watched, event);
}

int DeviceStatusModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_manager->fitted().size());
}

QVariant DeviceStatusModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const DeviceClass c = m_manager->fitted().at(index.row());
    const DeviceState s = m_manager->state(c);
    switch (role) {
    case DeviceClassRole: return deviceClassName(c);
    case NameRole:
    case Qt::DisplayRole: return deviceClassText(c);
    case StatusTextRole: {
        const QString reason = m_manager->reason(c);
        return reason.isEmpty() ? deviceStateText(s) : reason;
    }
    case OkRole: return s == DeviceState::Ready || s == DeviceState::Busy;
    case StateRole: return int(s);
    default: break;
    }
    return {};
}

QHash<int, QByteArray> DeviceStatusModel::roleNames() const
{
    return {
        {DeviceClassRole, "deviceClass"},
        {NameRole, "name"},
        {StatusTextRole, "statusText"},
        {OkRole, "ok"},
        {StateRole, "state"},
    };
}

} // namespace hcp::hardware

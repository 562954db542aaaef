// SPDX-License-Identifier: Apache-2.0
#include "devicestatusmodel.h"

#include "devicemanager.h"

#include <iterator>

namespace hcp::hardware {

DeviceStatusModel::DeviceStatusModel(DeviceManager *manager, QObject *parent)
    : QAbstractListModel(parent)
    , m_manager(manager)
{
    connect(manager, &DeviceManager::statusChanged, this, [this](DeviceClass c) {
        for (int row = 0; row < int(std::size(allDeviceClasses)); ++row) {
            if (allDeviceClasses[row] == c) {
                const QModelIndex i = index(row);
                emit dataChanged(i, i, {StatusTextRole, OkRole, StateRole});
            }
        }
    });
}

int DeviceStatusModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(std::size(allDeviceClasses));
}

QVariant DeviceStatusModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const DeviceClass c = allDeviceClasses[index.row()];
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

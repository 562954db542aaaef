// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "devicestate.h"

#include <QAbstractListModel>

namespace hcp::hardware {

class DeviceManager;

// One row per device class (idcard, printer, scanner, camera — fixed order) for the QML status
// strip. Roles: deviceClass (stable key), name (Chinese), statusText (Chinese reason, or the state
// name when there is no reason), ok (ready or busy), state (DeviceState as int).
// GUI thread only; follows the manager's statusChanged and fittedChanged, and the application's
// language (a reason keeps the language it was reported in until the device reports again).
class DeviceStatusModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role {
        DeviceClassRole = Qt::UserRole + 1,
        NameRole,
        StatusTextRole,
        OkRole,
        StateRole,
    };
    Q_ENUM(Role)

    explicit DeviceStatusModel(DeviceManager *manager, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

protected:
    // Names and state texts are translated when read: a language switch redraws every row.
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    DeviceManager *m_manager;
};

} // namespace hcp::hardware

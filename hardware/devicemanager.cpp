// SPDX-License-Identifier: Apache-2.0
#include "devicemanager.h"

#include "idcard/idcardservice.h"
#include "scanner/scannerservice.h"

#include <QCoreApplication>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcDevices, "hcp.hardware.devices")

namespace hcp::hardware {

bool DeviceManager::UsbMatch::matches(const UsbDeviceInfo &info) const
{
    if (vendorId && info.vendorId != vendorId)
        return false;
    if (productId && info.productId != productId)
        return false;
    if (interfaceClass >= 0 && !info.hasInterfaceClass(quint8(interfaceClass)))
        return false;
    return vendorId || productId || interfaceClass >= 0;
}

DeviceManager::DeviceManager(QObject *parent)
    : QObject(parent)
{
    for (DeviceClass c : allDeviceClasses)
        m_entries.insert(int(c), Entry{});
}

void DeviceManager::setStatus(DeviceClass device, DeviceState state, const QString &reason)
{
    Entry &e = m_entries[int(device)];
    if (e.state == state && e.reason == reason)
        return;
    e.state = state;
    e.reason = reason;
    qCInfo(lcDevices).noquote() << deviceClassName(device) << deviceStateText(state) << reason;
    emit statusChanged(device, state, reason);
}

DeviceState DeviceManager::state(DeviceClass device) const
{
    return m_entries.value(int(device)).state;
}

QString DeviceManager::reason(DeviceClass device) const
{
    return m_entries.value(int(device)).reason;
}

void DeviceManager::setFitted(const QList<DeviceClass> &classes)
{
    QList<DeviceClass> ordered;
    for (DeviceClass c : allDeviceClasses)
        if (classes.contains(c))
            ordered.append(c);
    if (ordered == m_fitted)
        return;
    m_fitted = ordered;
    emit fittedChanged();
}

void DeviceManager::addUsbMatch(DeviceClass device, const UsbMatch &match)
{
    m_entries[int(device)].matches.append(match);
}

void DeviceManager::setReconnectHandler(DeviceClass device, std::function<void()> handler)
{
    m_entries[int(device)].reconnect = std::move(handler);
}

void DeviceManager::attachMonitor(UsbMonitor *monitor)
{
    connect(monitor, &UsbMonitor::deviceArrived, this, &DeviceManager::onArrived);
    connect(monitor, &UsbMonitor::deviceLeft, this, &DeviceManager::onLeft);
    for (const UsbDeviceInfo &info : monitor->devices())
        onArrived(info);
}

void DeviceManager::onArrived(const UsbDeviceInfo &info)
{
    for (DeviceClass c : allDeviceClasses) {
        Entry &e = m_entries[int(c)];
        const bool match = std::any_of(e.matches.cbegin(), e.matches.cend(),
                                       [&](const UsbMatch &m) { return m.matches(info); });
        if (!match)
            continue;
        emit deviceArrived(c, info);
        // Present now; the service refines this once it has opened the device.
        if (e.state == DeviceState::Absent)
            setStatus(c, DeviceState::Ready, QString());
        if (e.reconnect)
            e.reconnect();
    }
}

void DeviceManager::onLeft(const UsbDeviceInfo &info)
{
    for (DeviceClass c : allDeviceClasses) {
        Entry &e = m_entries[int(c)];
        const bool match = std::any_of(e.matches.cbegin(), e.matches.cend(),
                                       [&](const UsbMatch &m) { return m.matches(info); });
        if (!match)
            continue;
        emit deviceLeft(c, info);
        setStatus(c, DeviceState::Absent,
                  QCoreApplication::translate("hcp::hardware::DeviceManager", "%1未连接").arg(deviceClassText(c)));
    }
}

void DeviceManager::trackIdCard(IdCardService *service)
{
    connect(service, &IdCardService::stateChanged, this,
            [this](DeviceState s, const QString &reason) { setStatus(DeviceClass::IdCard, s, reason); });
    addUsbMatch(DeviceClass::IdCard, UsbMatch{0x0400, 0xc35a, -1});
    setReconnectHandler(DeviceClass::IdCard, [service] { service->reconnect(); });
}

void DeviceManager::trackScanner(ScannerService *service)
{
    connect(service, &ScannerService::stateChanged, this,
            [this](DeviceState s, const QString &reason) { setStatus(DeviceClass::Scanner, s, reason); });
    setReconnectHandler(DeviceClass::Scanner, [service] { service->reconnect(); });
}

} // namespace hcp::hardware

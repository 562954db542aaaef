// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QMetaType>
#include <QString>

namespace hcp::hardware {

// The peripheral families the kiosk reports on its status strip.
enum class DeviceClass { IdCard, Printer, Scanner, Camera };
// Absent: not connected (or not openable); Ready: usable; Busy: an operation is running;
// Error: connected but failing (the reason says why).
enum class DeviceState { Absent, Ready, Busy, Error };

constexpr DeviceClass allDeviceClasses[] = {DeviceClass::IdCard, DeviceClass::Printer,
                                             DeviceClass::Scanner, DeviceClass::Camera};

QString deviceClassName(DeviceClass c);      // stable ASCII key: "idcard", "printer", ...
QString deviceClassText(DeviceClass c);      // Chinese, translated: 身份证阅读器, ...
QString deviceStateText(DeviceState s);      // Chinese, translated: 未连接, 正常, ...

} // namespace hcp::hardware

Q_DECLARE_METATYPE(hcp::hardware::DeviceClass)
Q_DECLARE_METATYPE(hcp::hardware::DeviceState)

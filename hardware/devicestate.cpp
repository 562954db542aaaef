// SPDX-License-Identifier: Apache-2.0
#include "devicestate.h"

#include <QCoreApplication>

namespace hcp::hardware {

namespace {
QString tx(const char *text)
{
    return QCoreApplication::translate("hcp::hardware::DeviceState", text);
}
} // namespace

QString deviceClassName(DeviceClass c)
{
    switch (c) {
    case DeviceClass::IdCard: return QStringLiteral("idcard");
    case DeviceClass::Printer: return QStringLiteral("printer");
    case DeviceClass::Scanner: return QStringLiteral("scanner");
    case DeviceClass::Camera: return QStringLiteral("camera");
    }
    return {};
}

QString deviceClassText(DeviceClass c)
{
    switch (c) {
    case DeviceClass::IdCard: return tx(QT_TRANSLATE_NOOP("hcp::hardware::DeviceState", "身份证阅读器"));
    case DeviceClass::Printer: return tx(QT_TRANSLATE_NOOP("hcp::hardware::DeviceState", "打印机"));
    case DeviceClass::Scanner: return tx(QT_TRANSLATE_NOOP("hcp::hardware::DeviceState", "扫码器"));
    case DeviceClass::Camera: return tx(QT_TRANSLATE_NOOP("hcp::hardware::DeviceState", "摄像头"));
    }
    return {};
}

QString deviceStateText(DeviceState s)
{
    switch (s) {
    case DeviceState::Absent: return tx(QT_TRANSLATE_NOOP("hcp::hardware::DeviceState", "未连接"));
    case DeviceState::Ready: return tx(QT_TRANSLATE_NOOP("hcp::hardware::DeviceState", "正常"));
    case DeviceState::Busy: return tx(QT_TRANSLATE_NOOP("hcp::hardware::DeviceState", "工作中"));
    case DeviceState::Error: return tx(QT_TRANSLATE_NOOP("hcp::hardware::DeviceState", "故障"));
    }
    return {};
}

} // namespace hcp::hardware

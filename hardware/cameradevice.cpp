// SPDX-License-Identifier: Apache-2.0
#include "cameradevice.h"

#include <QCoreApplication>
#include <QLibrary>
#include <QLoggingCategory>
#include <QStringList>

Q_LOGGING_CATEGORY(lcCameraLoader, "hcp.hardware.cameraloader")

namespace hcp::hardware {

std::unique_ptr<CameraDevice> loadCameraDevice(QString *error)
{
    using Factory = CameraDevice *(*)();
    const QString appDir = QCoreApplication::applicationDirPath();
    const QStringList candidates{
        appDir + QStringLiteral("/libhcp_camera.so"),
        appDir + QStringLiteral("/../lib/hcp-kiosk/libhcp_camera.so"),
        QStringLiteral(HCP_CAMERA_LIBRARY_BUILD_PATH),
    };
    QStringList errors;
    for (const QString &path : candidates) {
        QLibrary lib(path);
        if (!lib.load()) {
            errors << lib.errorString();
            continue;
        }
        // The library stays loaded for the life of the process (QLibrary does not unload on
        // destruction); the camera object it creates must not outlive the process anyway.
        auto create = reinterpret_cast<Factory>(lib.resolve("hcp_create_qr_camera"));
        if (!create) {
            errors << QStringLiteral("%1: no hcp_create_qr_camera").arg(path);
            continue;
        }
        qCInfo(lcCameraLoader) << "camera library" << path;
        return std::unique_ptr<CameraDevice>(create());
    }
    if (error)
        *error = errors.join(QStringLiteral("; "));
    return nullptr;
}

} // namespace hcp::hardware

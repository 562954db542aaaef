// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace hcp::kiosk {

// Kiosk settings. Defaults are what a county hall would start with; the hub's signed
// configuration document overrides them (key "kiosk" in the Store's config table).
struct KioskConfig {
    QString hallName = QStringLiteral("示例县政务服务中心");
    QString hallCode = QStringLiteral("HALL-001");
    QString areaCode = QStringLiteral("110105000000");
    QString hotline = QStringLiteral("12345");
    int pf = 5;                     // 5 自助终端, 4 窗口评价器
    int ratingWindowWorkingDays = 5;
    int idleTimeoutSeconds = 60;
    int countdownSeconds = 10;      // last N seconds shown as a countdown
    int thanksTimeoutSeconds = 20;  // the thank-you screen returns to start sooner
    int elderlyIdleTimeoutSeconds = 180;
    QString followUpBase = QStringLiteral("https://hcp.example.gov.cn/f");
    QByteArray idHashKey = QByteArrayLiteral("demo-hub-key-change-me"); // from the hub
    qint64 minFreeDiskBytes = 64LL * 1024 * 1024;
    QString maintenancePinHash;     // "pbkdf2-sha256$…" (hcp::trust::PinVault); empty = no maintenance access
    // Window rating pad (pf=4): the loopback "rate now" trigger (PROTOCOL §13) and the staff card
    // shown until the first event names the person at the window.
    int padTriggerPort = 8471;      // 127.0.0.1 only; 0 = trigger off
    QString padTriggerToken;        // per-window token; empty = trigger off
    QString padWindowNo;
    QString padStaffNo;
    QString padStaffName;
    QStringList phrases{
        QStringLiteral("工作人员很耐心"), QStringLiteral("办事效率高"), QStringLiteral("指引清楚"),
        QStringLiteral("等候时间太长"), QStringLiteral("希望精简材料"), QStringLiteral("希望增加窗口"),
    };

    static KioskConfig fromJson(const QJsonObject &o, QString *error = nullptr);
    QJsonObject toJson() const;
};

} // namespace hcp::kiosk

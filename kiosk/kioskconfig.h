// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "channel.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace hcp::kiosk {

// A village agent (代办员) allowed to sign in on this kiosk: identified by the keyed hash of
// their ID number (the same hash as case lookups, never the number itself) and a PIN hash
// ("pbkdf2-sha256$…", hcp::trust::PinVault).
struct AgentEntry {
    QString id;           // agent id carried as the evaluation's assistedBy
    QString name;         // shown masked on screen
    QString certKeyHash;
    QString pinHash;
};

// Kiosk settings. Defaults are what a county hall would start with; the hub's signed
// configuration document overrides them (key "kiosk" in the Store's config table).
struct KioskConfig {
    QString hallName = QStringLiteral("示例县政务服务中心");
    QString hallCode = QStringLiteral("HALL-001");
    QString areaCode = QStringLiteral("110105000000");
    QString hotline = QStringLiteral("12345");
    int pf = Channel::terminal().pf(); // 5 自助终端, 4 窗口评价器 (domain.md §b.1)
    int ratingWindowWorkingDays = 5;
    int idleTimeoutSeconds = 60;
    int countdownSeconds = 10;      // last N seconds shown as a countdown
    int thanksTimeoutSeconds = 20;  // the thank-you screen returns to start sooner
    int elderlyIdleTimeoutSeconds = 180;
    QString followUpBase = QStringLiteral("https://hcp.example.gov.cn/f");
    QByteArray idHashKey = QByteArrayLiteral("demo-hub-key-change-me"); // from the hub
    qint64 minFreeDiskBytes = 64LL * 1024 * 1024;
    QString maintenancePinHash;     // "pbkdf2-sha256$…" (hcp::trust::PinVault); empty = no maintenance access
    // Voice help (关怀模式): a QTextToSpeech engine name; an unknown one leaves the kiosk silent.
    QString voiceEngine = QStringLiteral("speechd");
    int voiceVolume = 80;           // percent
    bool voiceEnabled = true;
    bool elderlyByDefault = false;  // 关怀模式 on at every visit's start (village points)
    // "idle":{"showHallFigures":true}: the start screen shows the hall's month 好评率 (HallFigures).
    bool idleShowHallFigures = false;
    QList<AgentEntry> agents;       // 代办员 who may sign in; empty = no agent sign-in
    // Window rating pad (pf=4): the loopback "rate now" trigger (PROTOCOL §13) and the staff card
    // shown until the first event names the person at the window.
    int padTriggerPort = 8471;      // 127.0.0.1 only; 0 = trigger off
    QString padTriggerToken;        // per-window token; empty = trigger off
    QString padWindowNo;
    QString padStaffNo;
    QString padStaffName;
    // Tap-to-add phrases on the comment screen: praise after a good rating, complaints after a
    // 差评 (never 工作人员很耐心 under 非常不满意).
    QStringList phrases{
        QStringLiteral("工作人员很耐心"), QStringLiteral("办事效率高"), QStringLiteral("指引清楚"),
        QStringLiteral("一次就办成了"), QStringLiteral("环境整洁"),
    };
    // Read from a local configuration; not in toJson() until the hub's ConfigValidator knows it.
    QStringList badPhrases{
        QStringLiteral("等候时间太长"), QStringLiteral("希望精简材料"), QStringLiteral("希望增加窗口"),
        QStringLiteral("工作人员态度需改进"), QStringLiteral("材料要求没有讲清楚"), QStringLiteral("跑了好几次"),
    };

    static KioskConfig fromJson(const QJsonObject &o, QString *error = nullptr);
    QJsonObject toJson() const;

    // The channel `pf` names; a number outside the national list counts as the terminal.
    Channel channel() const { return Channel::fromPf(pf).value_or(Channel::terminal()); }
};

} // namespace hcp::kiosk

// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "kioskconfig.h"

#include <QString>

#include <functional>

namespace hcp::kiosk {

class AgentDesk;
class AppController;
class CaseDirectory;
class Devices;
class Diagnostics;
class EvaluationSession;
class FollowUpSession;
class HallFigures;
class PadSession;
class WorkCalendar;

// The list of every screen the app can show, as one walk through the real services: the
// hcp-kiosk-screentour PNGs and the layout test (tests/screens) visit the same states.
namespace screentour {

// The services the walk drives; all must be set. A LanguageSwitcher must be installed on the
// window's engine for the English variants.
struct Context {
    EvaluationSession *session = nullptr;
    AppController *app = nullptr;
    AgentDesk *agentDesk = nullptr;        // with the demo agent 赵代办 (PIN 135790)
    Diagnostics *diagnostics = nullptr;    // maintenance PIN 2468
    Devices *devices = nullptr;            // simulated devices
    FollowUpSession *followUp = nullptr;
    PadSession *pad = nullptr;
    CaseDirectory *directory = nullptr;
    const WorkCalendar *calendar = nullptr;
    HallFigures *hallFigures = nullptr;    // optional: the start screen with the hall's month figures
    KioskConfig config;
    // Places demo person `index`'s ID card (AppController::demoPeople order: 李华, 王建国,
    // 张秀英, 吴敏, 赵代办) and returns once the card can be read.
    std::function<void(int index)> swipeCard;
};

// 关怀模式 and language: every screen is walked in each variant.
struct Variant {
    bool elderly = false;
    bool english = false;
    QString name() const; // "normal-zh", "care-en", …
    friend bool operator==(const Variant &a, const Variant &b) { return a.elderly == b.elderly && a.english == b.english; }
};
QList<Variant> variants();

// Walks every screen in the variant; `visit(name)` is called while each one is up (the
// caller lets the window render first). Leaves the session at the start screen, Chinese,
// 关怀模式 off, the pad off.
void run(const Context &ctx, const Variant &variant, const std::function<void(const QString &name)> &visit);

// Runs the event loop until `done` holds or `timeoutMs` passes; false on timeout.
bool waitUntil(const std::function<bool()> &done, int timeoutMs = 8000);

} // namespace screentour
} // namespace hcp::kiosk

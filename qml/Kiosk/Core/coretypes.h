// SPDX-License-Identifier: Apache-2.0
// The one registration header: exposes the C++ services built by the composition root
// (kiosk/main.cpp) to QML as singletons, and the types QML only receives as uncreatable.
#pragma once

#include "agentdesk.h"
#include "appcontroller.h"
#include "diagnostics.h"
#include "evaluationsession.h"
#include "followupsession.h"
#include "hallfigures.h"
#include "padsession.h"
#include "hardware/devicestatusmodel.h"
#include "kioskservices.h"
#include "pinyinengine.h"
#include "sessionmodels.h"
#include "syncstatus.h"
#include "voice.h"

#include <QJSEngine>
#include <QQmlEngine>

namespace hcp::qml {

// Instances are set by main.cpp (or a test's qmlEngineAvailable) before any QML loads.
struct CoreInstances {
    static inline hcp::kiosk::EvaluationSession *session = nullptr;
    static inline hcp::kiosk::AppController *app = nullptr;
    static inline hcp::kiosk::PinyinEngine *pinyin = nullptr;
    static inline hcp::sync::SyncStatus *sync = nullptr;
    static inline hcp::hardware::DeviceStatusModel *devices = nullptr;
    static inline hcp::kiosk::Diagnostics *diagnostics = nullptr;
    static inline hcp::kiosk::Voice *voice = nullptr;
    static inline hcp::kiosk::AgentDesk *agent = nullptr;
    static inline hcp::kiosk::PadSession *pad = nullptr;
    static inline hcp::kiosk::FollowUpSession *followUp = nullptr;
    static inline hcp::kiosk::HallFigures *hallFigures = nullptr;

    // Everything KioskServices built (hcp-kiosk, hcp-kiosk-screentour); the devices and the
    // maintenance screen are set where they are made.
    static void publish(const hcp::kiosk::KioskServices &s)
    {
        session = s.session();
        app = s.app();
        pinyin = s.pinyin();
        sync = s.syncStatus();
        pad = s.pad();
        followUp = s.followUp();
        voice = s.voice();
        agent = s.agentDesk();
        hallFigures = s.hallFigures();
    }
};

template<typename T>
T *provide(T *instance, QJSEngine *engine)
{
    Q_ASSERT_X(instance, "Kiosk.Core", "service not created before QML was loaded");
    QJSEngine::setObjectOwnership(instance, QJSEngine::CppOwnership);
    Q_UNUSED(engine)
    return instance;
}

struct SessionForeign {
    Q_GADGET
    QML_FOREIGN(hcp::kiosk::EvaluationSession)
    QML_NAMED_ELEMENT(Session)
    QML_SINGLETON
public:
    static hcp::kiosk::EvaluationSession *create(QQmlEngine *, QJSEngine *engine)
    {
        return provide(CoreInstances::session, engine);
    }
};

struct AppForeign {
    Q_GADGET
    QML_FOREIGN(hcp::kiosk::AppController)
    QML_NAMED_ELEMENT(App)
    QML_SINGLETON
public:
    static hcp::kiosk::AppController *create(QQmlEngine *, QJSEngine *engine)
    {
        return provide(CoreInstances::app, engine);
    }
};

struct PinyinForeign {
    Q_GADGET
    QML_FOREIGN(hcp::kiosk::PinyinEngine)
    QML_NAMED_ELEMENT(Pinyin)
    QML_SINGLETON
public:
    static hcp::kiosk::PinyinEngine *create(QQmlEngine *, QJSEngine *engine)
    {
        return provide(CoreInstances::pinyin, engine);
    }
};

struct SyncForeign {
    Q_GADGET
    QML_FOREIGN(hcp::sync::SyncStatus)
    QML_NAMED_ELEMENT(Sync)
    QML_SINGLETON
public:
    static hcp::sync::SyncStatus *create(QQmlEngine *, QJSEngine *engine)
    {
        return provide(CoreInstances::sync, engine);
    }
};

// The device status strip's model; a kiosk without devices (tests) gets an empty model.
struct DevicesForeign {
    Q_GADGET
    QML_FOREIGN(hcp::hardware::DeviceStatusModel)
    QML_NAMED_ELEMENT(Devices)
    QML_SINGLETON
public:
    static hcp::hardware::DeviceStatusModel *create(QQmlEngine *, QJSEngine *engine)
    {
        return provide(CoreInstances::devices, engine);
    }
};

struct DiagnosticsForeign {
    Q_GADGET
    QML_FOREIGN(hcp::kiosk::Diagnostics)
    QML_NAMED_ELEMENT(Diagnostics)
    QML_SINGLETON
public:
    static hcp::kiosk::Diagnostics *create(QQmlEngine *, QJSEngine *engine)
    {
        return provide(CoreInstances::diagnostics, engine);
    }
};

// Spoken help; silent (available == false) without a speech engine.
struct VoiceForeign {
    Q_GADGET
    QML_FOREIGN(hcp::kiosk::Voice)
    QML_NAMED_ELEMENT(Voice)
    QML_SINGLETON
public:
    static hcp::kiosk::Voice *create(QQmlEngine *, QJSEngine *engine)
    {
        return provide(CoreInstances::voice, engine);
    }
};

// 代办员 sign-in.
struct AgentForeign {
    Q_GADGET
    QML_FOREIGN(hcp::kiosk::AgentDesk)
    QML_NAMED_ELEMENT(Agent)
    QML_SINGLETON
public:
    static hcp::kiosk::AgentDesk *create(QQmlEngine *, QJSEngine *engine)
    {
        return provide(CoreInstances::agent, engine);
    }
};

// The window rating pad (always present; Pad.enabled says whether this kiosk is one).
struct PadForeign {
    Q_GADGET
    QML_FOREIGN(hcp::kiosk::PadSession)
    QML_NAMED_ELEMENT(Pad)
    QML_SINGLETON
public:
    static hcp::kiosk::PadSession *create(QQmlEngine *, QJSEngine *engine)
    {
        return provide(CoreInstances::pad, engine);
    }
};

// 差评 follow-up (整改反馈) shown while Session.state is FollowUp.
struct FollowUpForeign {
    Q_GADGET
    QML_FOREIGN(hcp::kiosk::FollowUpSession)
    QML_NAMED_ELEMENT(FollowUp)
    QML_SINGLETON
public:
    static hcp::kiosk::FollowUpSession *create(QQmlEngine *, QJSEngine *engine)
    {
        return provide(CoreInstances::followUp, engine);
    }
};

// The hall's month figures on the start screen; where none were made (tests), one that shows nothing.
struct HallFiguresForeign {
    Q_GADGET
    QML_FOREIGN(hcp::kiosk::HallFigures)
    QML_NAMED_ELEMENT(HallFigures)
    QML_SINGLETON
public:
    static hcp::kiosk::HallFigures *create(QQmlEngine *, QJSEngine *engine)
    {
        static hcp::kiosk::HallFigures *const none = new hcp::kiosk::HallFigures;
        return provide(CoreInstances::hallFigures ? CoreInstances::hallFigures : none, engine);
    }
};

struct CaseListModelForeign {
    Q_GADGET
    QML_FOREIGN(hcp::kiosk::CaseListModel)
    QML_NAMED_ELEMENT(CaseListModel)
    QML_UNCREATABLE("provided by Session")
};
struct ReasonListModelForeign {
    Q_GADGET
    QML_FOREIGN(hcp::kiosk::ReasonListModel)
    QML_NAMED_ELEMENT(ReasonListModel)
    QML_UNCREATABLE("provided by Session")
};
struct QuestionListModelForeign {
    Q_GADGET
    QML_FOREIGN(hcp::kiosk::QuestionListModel)
    QML_NAMED_ELEMENT(QuestionListModel)
    QML_UNCREATABLE("provided by Session")
};

} // namespace hcp::qml

// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "agentdesk.h"
#include "appcontroller.h"
#include "casedirectory.h"
#include "demodata.h"
#include "devices.h"
#include "diagnostics.h"
#include "evaluationsession.h"
#include "followupsession.h"
#include "hallfigures.h"
#include "languageswitcher.h"
#include "padsession.h"
#include "pinyinengine.h"
#include "screentour.h"
#include "store.h"
#include "syncstatus.h"
#include "voice.h"
#include "workcalendar.h"

#include <QQmlApplicationEngine>
#include <QQuickWindow>
#include <QTemporaryDir>

#include <memory>

// The windowed demo as hcp-kiosk --demo builds it: the real session, demo cases, simulated
// devices, 代办员 赵代办 (PIN 135790), maintenance PIN 2468, and Main.qml in a shown window.
// With `demoPanel` the demo panel drives the device simulators (the README's demo); without,
// a demo card goes to the session at once (fast layout walks).
class KioskFixture {
public:
    KioskFixture(QSize size, bool demoPanel);
    ~KioskFixture();
    bool ok() const { return m_window != nullptr; }
    QString error() const { return m_error; }

    QQuickWindow *window() const { return m_window; }
    hcp::kiosk::EvaluationSession *session() const { return m_session.get(); }
    hcp::kiosk::AppController *app() const { return m_app.get(); }
    hcp::kiosk::Devices *devices() const { return m_devices.get(); }
    hcp::kiosk::Store *store() { return &m_store; }
    // The services of the shared screen list (kiosk/app/screentour.h).
    hcp::kiosk::screentour::Context tourContext();

private:
    QTemporaryDir m_dir;
    QString m_error;
    hcp::kiosk::Store m_store;
    hcp::kiosk::WorkCalendar m_calendar;
    hcp::kiosk::KioskConfig m_config;
    std::unique_ptr<hcp::kiosk::CaseDirectory> m_directory;
    std::unique_ptr<hcp::kiosk::EvaluationSession> m_session;
    std::unique_ptr<hcp::kiosk::AppController> m_app;
    hcp::kiosk::PinyinEngine m_pinyin;
    hcp::sync::SyncStatus m_sync;
    std::unique_ptr<hcp::kiosk::PadSession> m_pad;
    std::unique_ptr<hcp::kiosk::FollowUpSession> m_followUp;
    std::unique_ptr<hcp::kiosk::HallFigures> m_hallFigures;
    std::unique_ptr<hcp::kiosk::Devices> m_devices;
    std::unique_ptr<hcp::kiosk::Diagnostics> m_diagnostics;
    std::unique_ptr<hcp::kiosk::Voice> m_voice;
    std::unique_ptr<hcp::kiosk::AgentDesk> m_agent;
    std::unique_ptr<QQmlApplicationEngine> m_engine;
    std::unique_ptr<hcp::qml::LanguageSwitcher> m_language;
    QQuickWindow *m_window = nullptr;
};

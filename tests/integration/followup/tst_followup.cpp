// SPDX-License-Identifier: Apache-2.0
// 差评 follow-up (整改反馈) end to end: a real hcp-hub child process holds the department's
// rectifications (seeded through its admin API); the kiosk core, enrolled with that hub, runs
// the real QML; the test scans receipt QR codes, taps, and reads the 追评 back from SQLite.
#include "hubprocess.h"

#include "agentdesk.h"
#include "appcontroller.h"
#include "casedirectory.h"
#include "coretypes.h"
#include "demodata.h"
#include "devices.h"
#include "diagnostics.h"
#include "evaluationsession.h"
#include "followupsession.h"
#include "hubclient.h"
#include "languageswitcher.h"
#include "padsession.h"
#include "pinvault.h"
#include "pinyinengine.h"
#include "qrpayload.h"
#include "store.h"
#include "syncstatus.h"
#include "voice.h"
#include "workcalendar.h"
#include "hardware/devicestatusmodel.h"

#include <QJsonDocument>
#include <QQmlContext>
#include <QQmlEngine>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QUuid>
#include <QtQml/qqmlextensionplugin.h>
#include <QtQuickTest>

Q_IMPORT_QML_PLUGIN(Kiosk_AppPlugin)
Q_IMPORT_QML_PLUGIN(Kiosk_ScreensPlugin)
Q_IMPORT_QML_PLUGIN(Kiosk_ComponentsPlugin)
Q_IMPORT_QML_PLUGIN(Kiosk_ThemePlugin)
Q_IMPORT_QML_PLUGIN(Kiosk_CorePlugin)

using namespace hcp::kiosk;
namespace st = hcp::sync::test;

class Probe : public QObject {
    Q_OBJECT
public:
    Store *store = nullptr;
    st::HubProcess *hub = nullptr;
    KioskConfig config;

    Q_INVOKABLE QVariantList evaluations() const
    {
        QVariantList out;
        QSqlQuery q(store->database());
        q.exec(QStringLiteral("SELECT payload FROM evaluation ORDER BY device_seq"));
        while (q.next())
            out.append(QJsonDocument::fromJson(q.value(0).toByteArray()).object().toVariantMap());
        return out;
    }
    // The receipt QR the kiosk prints for an evaluation of this service.
    Q_INVOKABLE QString receiptFor(const QString &projectNo, int serviceNumber) const
    {
        return receiptQrUrl(config.followUpBase, QUuid::createUuid().toString(QUuid::WithoutBraces), projectNo, serviceNumber);
    }
    // The back office reports the department's rectification to the hub (admin API).
    Q_INVOKABLE int seedRectification(const QString &projectNo, const QString &status, const QString &reply)
    {
        const QJsonObject r{{QStringLiteral("projectNo"), projectNo},
                            {QStringLiteral("serviceNumber"), 1},
                            {QStringLiteral("assessNumber"), 1},
                            {QStringLiteral("status"), status},
                            {QStringLiteral("reply"), reply},
                            {QStringLiteral("replyDept"), QStringLiteral("示例县市场监督管理局")},
                            {QStringLiteral("replyTime"), QStringLiteral("2026-11-29T10:30:00+08:00")}};
        return st::adminSend(hub->url(), "POST", QStringLiteral("/v1/admin/rectifications"), r);
    }
    Q_INVOKABLE void stopHub() { hub->kill(); }
    Q_INVOKABLE bool startHub() { return hub->restart(); }
};

class Setup : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    st::HubProcess m_hub;
    Store m_store;
    WorkCalendar m_calendar;
    hcp::sync::HubClient m_client;
    std::unique_ptr<CaseDirectory> m_directory;
    std::unique_ptr<EvaluationSession> m_session;
    std::unique_ptr<AppController> m_app;
    std::unique_ptr<FollowUpSession> m_followUp;
    std::unique_ptr<PadSession> m_pad;
    PinyinEngine m_pinyin;
    hcp::sync::SyncStatus m_sync;
    std::unique_ptr<Devices> m_devices;
    std::unique_ptr<Diagnostics> m_diagnostics;
    std::unique_ptr<Voice> m_voice;
    std::unique_ptr<AgentDesk> m_agent;
    std::unique_ptr<hcp::qml::LanguageSwitcher> m_language;
    Probe m_probe;
public Q_SLOTS:
    void cleanupTestCase()
    {
        m_agent.reset();
        m_voice.reset();
        m_diagnostics.reset();
        m_devices.reset();
        m_hub.kill();
    }
    void qmlEngineAvailable(QQmlEngine *engine)
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_hub.start(m_dir.filePath(QStringLiteral("hub.sqlite"))));
        const hcp::sync::DeviceCredentials creds = st::enroll(m_hub.url(), QStringLiteral("KIOSK-FOLLOWUP-1"));
        QVERIFY(creds.isValid());
        m_client.setCredentials(creds);
        QVERIFY(m_store.open(m_dir.filePath(QStringLiteral("kiosk.sqlite"))));
        m_calendar.loadDirectory(QStringLiteral(":/hcp/holidays"));
        m_directory = std::make_unique<CaseDirectory>(&m_store);
        m_session = std::make_unique<EvaluationSession>(&m_store, m_directory.get());
        m_session->setCalendar(m_calendar);
        m_session->setIndicatorSet(IndicatorSet::builtin());
        m_session->setQuestionnaires(QuestionnaireCatalog::builtin());
        m_app = std::make_unique<AppController>(m_session.get());
        m_app->setDemoMode(true);
        connect(m_app.get(), &AppController::demoScanRequested, m_session.get(), &EvaluationSession::submitQrPayload);
        // The wiring of kiosk/main.cpp.
        m_followUp = std::make_unique<FollowUpSession>(&m_store);
        m_followUp->setIndicatorSet(IndicatorSet::builtin());
        m_followUp->setHubClient(&m_client);
        m_session->setFollowUpEnabled(true);
        connect(m_session.get(), &EvaluationSession::followUpRequested, m_followUp.get(), &FollowUpSession::begin);
        connect(m_session.get(), &EvaluationSession::sessionWiped, m_followUp.get(), &FollowUpSession::reset);
        connect(m_followUp.get(), &FollowUpSession::activity, m_session.get(), &EvaluationSession::userActivity);
        m_pad = std::make_unique<PadSession>(&m_store);
        m_pinyin.open();
        m_probe.store = &m_store;
        m_probe.hub = &m_hub;
        hcp::qml::CoreInstances::session = m_session.get();
        hcp::qml::CoreInstances::app = m_app.get();
        hcp::qml::CoreInstances::pinyin = &m_pinyin;
        hcp::qml::CoreInstances::sync = &m_sync;
        hcp::qml::CoreInstances::pad = m_pad.get();
        hcp::qml::CoreInstances::followUp = m_followUp.get();
        Devices::Options devOptions;
        devOptions.simulate = true;
        devOptions.demoPanel = false;
        m_devices = std::make_unique<Devices>(devOptions, m_session.get(), m_app.get(), KioskConfig());
        m_diagnostics = std::make_unique<Diagnostics>(m_devices.get(), m_session.get());
        hcp::qml::CoreInstances::devices = m_devices->statusModel();
        hcp::qml::CoreInstances::diagnostics = m_diagnostics.get();
        // As kiosk/main.cpp: a voice (no engine here, so silent) and the agent desk (no agents).
        m_voice = std::make_unique<Voice>(m_session.get(), m_app.get(),
                                          Voice::Options{QStringLiteral("no-such-engine"), 80, true});
        hcp::qml::CoreInstances::voice = m_voice.get();
        m_agent = std::make_unique<AgentDesk>(m_session.get());
        hcp::qml::CoreInstances::agent = m_agent.get();
        engine->addImportPath(QStringLiteral("qrc:/qt/qml"));
        m_language = std::make_unique<hcp::qml::LanguageSwitcher>(engine, m_app.get());
        engine->rootContext()->setContextProperty(QStringLiteral("Probe"), &m_probe);
    }
};

QUICK_TEST_MAIN_WITH_SETUP(kiosk_followup, Setup)
#include "tst_followup.moc"

// SPDX-License-Identifier: Apache-2.0
#include "kioskfixture.h"

#include "coretypes.h"
#include "pinvault.h"
#include "qrimageprovider.h"
#include "hardware/devicestatusmodel.h"

#include <QStandardPaths>
#include <QtQml/qqmlextensionplugin.h>

// The kiosk's QML modules, linked statically: imported once for every test using the fixture.
Q_IMPORT_QML_PLUGIN(Kiosk_AppPlugin)
Q_IMPORT_QML_PLUGIN(Kiosk_ScreensPlugin)
Q_IMPORT_QML_PLUGIN(Kiosk_ComponentsPlugin)
Q_IMPORT_QML_PLUGIN(Kiosk_ThemePlugin)
Q_IMPORT_QML_PLUGIN(Kiosk_CorePlugin)

using namespace hcp::kiosk;

KioskFixture::KioskFixture(QSize size, bool demoPanel)
{
    QStandardPaths::setTestModeEnabled(true);
    if (!m_store.open(m_dir.filePath(QStringLiteral("kiosk.sqlite")), &m_error))
        return;
    m_calendar.loadDirectory(QStringLiteral(":/hcp/holidays"));
    m_directory = std::make_unique<CaseDirectory>(&m_store);
    m_session = std::make_unique<EvaluationSession>(&m_store, m_directory.get());
    m_session->setConfig(m_config);
    m_session->setCalendar(m_calendar);
    m_session->setIndicatorSet(IndicatorSet::builtin());
    m_session->setQuestionnaires(QuestionnaireCatalog::builtin());
    m_app = std::make_unique<AppController>(m_session.get());
    m_app->setDemoMode(true);
    const DemoData demo = builtinDemoData(m_calendar, QDateTime::currentDateTime(), m_config.idHashKey, &m_error);
    if (demo.cases.size() < 11 || !installDemoData(m_store, demo, &m_error))
        return;
    m_app->setDemoPeople(AppController::builtinDemoPeople());
    m_app->setDemoCodes({QStringLiteral("https://zwfw.example.gov.cn/bjcx?projectNo=%1").arg(demo.cases.at(5).projectNo),
                         demo.cases.at(10).projectNo, QStringLiteral("WIFI:S:hall-guest;T:WPA;P:12345678;;")});
    if (!demoPanel) {
        QObject::connect(m_app.get(), &AppController::demoCardRequested, m_session.get(),
                         [this](const QString &n, const QString &id) { m_session->identifyByCard(n, id, QStringLiteral("resident")); });
        QObject::connect(m_app.get(), &AppController::demoScanRequested, m_session.get(), &EvaluationSession::submitQrPayload);
    }
    m_pinyin.open();
    m_pad = std::make_unique<PadSession>(&m_store);
    m_pad->setConfig(m_config);
    m_pad->setIndicatorSet(IndicatorSet::builtin());
    m_followUp = std::make_unique<FollowUpSession>(&m_store);
    m_followUp->setConfig(m_config);
    m_followUp->setIndicatorSet(IndicatorSet::builtin());
    m_session->setFollowUpEnabled(true);
    QObject::connect(m_session.get(), &EvaluationSession::followUpRequested, m_followUp.get(), &FollowUpSession::begin);
    QObject::connect(m_session.get(), &EvaluationSession::sessionWiped, m_followUp.get(), &FollowUpSession::reset);
    Devices::Options devOptions;
    devOptions.simulate = true;
    devOptions.demoPanel = demoPanel;
    m_devices = std::make_unique<Devices>(devOptions, m_session.get(), m_app.get(), m_config);
    m_diagnostics = std::make_unique<Diagnostics>(m_devices.get(), m_session.get());
    m_diagnostics->setPinHash(hcp::trust::PinVault::hashPin(QStringLiteral("2468"), 1000), {});
    m_voice = std::make_unique<Voice>(m_session.get(), m_app.get(), Voice::Options{QStringLiteral("no-such-engine"), 80, true});
    m_agent = std::make_unique<AgentDesk>(m_session.get());
    m_agent->setAgents({{QStringLiteral("DEMO-AGENT-1"), QStringLiteral("赵代办"),
                         m_session->hashIdNumber(QStringLiteral("513021195505050036")),
                         hcp::trust::PinVault::hashPin(QStringLiteral("135790"), 1000)}});
    m_agent->setIdleTimeoutMs(3600 * 1000);

    hcp::qml::CoreInstances::session = m_session.get();
    hcp::qml::CoreInstances::app = m_app.get();
    hcp::qml::CoreInstances::pinyin = &m_pinyin;
    hcp::qml::CoreInstances::sync = &m_sync;
    hcp::qml::CoreInstances::pad = m_pad.get();
    hcp::qml::CoreInstances::followUp = m_followUp.get();
    m_hallFigures = std::make_unique<hcp::kiosk::HallFigures>();
    hcp::qml::CoreInstances::hallFigures = m_hallFigures.get();
    hcp::qml::CoreInstances::devices = m_devices->statusModel();
    hcp::qml::CoreInstances::diagnostics = m_diagnostics.get();
    hcp::qml::CoreInstances::voice = m_voice.get();
    hcp::qml::CoreInstances::agent = m_agent.get();

    m_engine = std::make_unique<QQmlApplicationEngine>();
    m_engine->addImageProvider(QStringLiteral("qr"), new QrImageProvider);
    m_engine->addImportPath(QStringLiteral("qrc:/qt/qml"));
    m_language = std::make_unique<hcp::qml::LanguageSwitcher>(m_engine.get(), m_app.get());
    m_engine->load(QUrl(QStringLiteral("qrc:/qt/qml/Kiosk/App/Main.qml")));
    m_window = qobject_cast<QQuickWindow *>(m_engine->rootObjects().value(0));
    if (!m_window) {
        m_error = QStringLiteral("Main.qml did not load");
        return;
    }
    m_window->resize(size);
    m_window->show();
}

KioskFixture::~KioskFixture()
{
    // The window goes first, then the services its bindings read; device threads are joined
    // while the application still exists.
    m_engine.reset();
    m_agent.reset();
    m_voice.reset();
    m_diagnostics.reset();
    m_devices.reset();
}

screentour::Context KioskFixture::tourContext()
{
    screentour::Context c;
    c.session = m_session.get();
    c.app = m_app.get();
    c.agentDesk = m_agent.get();
    c.diagnostics = m_diagnostics.get();
    c.devices = m_devices.get();
    c.followUp = m_followUp.get();
    c.pad = m_pad.get();
    c.directory = m_directory.get();
    c.calendar = &m_calendar;
    c.hallFigures = m_hallFigures.get();
    c.config = m_config;
    c.swipeCard = [this](int index) { m_app->demoSwipeCard(index); };
    return c;
}

// SPDX-License-Identifier: Apache-2.0
#include "agentdesk.h"
#include "appcontroller.h"
#include "casedirectory.h"
#include "coretypes.h"
#include "demodata.h"
#include "evaluationsession.h"
#include "followupsession.h"
#include "padsession.h"
#include "padtrigger.h"
#include "pinyinengine.h"
#include "qrpayload.h"
#include "languageswitcher.h"
#include "store.h"
#include "devices.h"
#include "diagnostics.h"
#include "logbuffer.h"
#include "pinvault.h"
#include "hardware/devicemanager.h"
#include "hardware/devicestatusmodel.h"
#include "syncstatus.h"
#include "voice.h"
#include "workcalendar.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTimer>
#include <QUuid>
#include <QQmlContext>
#include <QQmlEngine>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtQml/qqmlextensionplugin.h>
#include <QtQuickTest>

Q_IMPORT_QML_PLUGIN(Kiosk_AppPlugin)
Q_IMPORT_QML_PLUGIN(Kiosk_ScreensPlugin)
Q_IMPORT_QML_PLUGIN(Kiosk_ComponentsPlugin)
Q_IMPORT_QML_PLUGIN(Kiosk_ThemePlugin)
Q_IMPORT_QML_PLUGIN(Kiosk_CorePlugin)

using namespace hcp::kiosk;

// What the QML tests may ask of the C++ side: the database as written, and test knobs.
class Probe : public QObject {
    Q_OBJECT
public:
    Store *store = nullptr;
    EvaluationSession *session = nullptr;
    DemoData demo;

    // Read straight from SQLite, not from the session: the journey must have been committed.
    Q_INVOKABLE QVariantList evaluations() const
    {
        QVariantList out;
        QSqlQuery q(store->database());
        q.exec(QStringLiteral("SELECT payload FROM evaluation ORDER BY device_seq"));
        while (q.next())
            out.append(QJsonDocument::fromJson(q.value(0).toByteArray()).object().toVariantMap());
        return out;
    }
    Q_INVOKABLE int outboxRows() const
    {
        QSqlQuery q(store->database());
        return q.exec(QStringLiteral("SELECT COUNT(*) FROM outbox")) && q.next() ? q.value(0).toInt() : -1;
    }
    Q_INVOKABLE QString projectNoOf(const QString &userName, int nth) const
    {
        int seen = 0;
        for (const Case &c : demo.cases)
            if (c.userName == userName && seen++ == nth)
                return c.projectNo;
        return {};
    }
    Q_INVOKABLE void setIdleTimeoutMs(int ms) { session->setIdleTimeoutMs(ms); }
    Q_INVOKABLE void setAgentIdleMs(int ms) { agent->setIdleTimeoutMs(ms); }
    // The indexed column, written in the same transaction as the payload the ledger hashes.
    Q_INVOKABLE QString assistedByColumn(int deviceSeq) const
    {
        QSqlQuery q(store->database());
        q.prepare(QStringLiteral("SELECT assisted_by FROM evaluation WHERE device_seq = ?"));
        q.addBindValue(deviceSeq);
        return q.exec() && q.next() ? q.value(0).toString() : QStringLiteral("<none>");
    }
    AgentDesk *agent = nullptr;

    // Maintenance: what the page sent to the audit sink, and its sync / exit actions.
    QStringList audited;
    int syncs = 0;
    int exits = 0;
    Q_INVOKABLE QStringList auditedActions() const { return audited; }
    Q_INVOKABLE int syncCount() const { return syncs; }
    Q_INVOKABLE int exitCount() const { return exits; }
    // QtTest installs its own message handler when the tests start: the log buffer goes in front
    // of it from inside a test (it forwards every message to the handler it replaced).
    LogBuffer *logBuffer = nullptr;
    Q_INVOKABLE void installLogBuffer() { logBuffer->install(); }
    Q_INVOKABLE void log(const QString &text) { qInfo().noquote() << text; }
    // Window rating pad: mode switch, its loopback trigger (real HTTP) and timeouts.
    PadSession *pad = nullptr;
    PadTrigger *padTrigger = nullptr;
    Q_INVOKABLE void setPadEnabled(bool on) { pad->setEnabled(on); }
    Q_INVOKABLE int padTriggerPort() const { return padTrigger->port(); }
    Q_INVOKABLE QString padToken() const { return QStringLiteral("window-A03-token"); }
    Q_INVOKABLE void setPadIdleTimeoutMs(int ms) { pad->setIdleTimeoutMs(ms); }
    // A "rate now" event handed to the pad directly (the trigger's HTTP path is tst_pad's).
    Q_INVOKABLE void padRateNow(const QString &projectNo)
    {
        hcp::sync::RateNowEvent e;
        e.projectNo = projectNo;
        e.serviceNumber = 1;
        e.staffNo = QStringLiteral("A03-017");
        e.staffName = QStringLiteral("王晓");
        e.windowNo = QStringLiteral("A03");
        pad->rateNow(e);
    }
    // The receipt QR of a case; rectifications for projectNos starting "DONE" are answered as
    // done by the harness's fetcher (no hub here), everything else as unreachable.
    Q_INVOKABLE QString receiptFor(const QString &projectNo) const
    {
        return receiptQrUrl(KioskConfig().followUpBase, QUuid::createUuid().toString(QUuid::WithoutBraces), projectNo, 1);
    }
};

class Setup : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    Store m_store;
    WorkCalendar m_calendar;
    std::unique_ptr<CaseDirectory> m_directory;
    std::unique_ptr<EvaluationSession> m_session;
    std::unique_ptr<AppController> m_app;
    PinyinEngine m_pinyin;
    hcp::sync::SyncStatus m_sync;
    std::unique_ptr<Devices> m_devices;
    std::unique_ptr<Diagnostics> m_diagnostics;
    LogBuffer m_log;
    std::unique_ptr<hcp::qml::LanguageSwitcher> m_language;
    std::unique_ptr<Voice> m_voice;
    std::unique_ptr<AgentDesk> m_agent;
    std::unique_ptr<PadSession> m_pad;
    PadTrigger m_padTrigger;
    std::unique_ptr<FollowUpSession> m_followUp;
    Probe m_probe;
public Q_SLOTS:
    // Device services own worker threads: stop them while the application still exists.
    void cleanupTestCase()
    {
        m_agent.reset();
        m_voice.reset();
        m_diagnostics.reset();
        m_devices.reset();
    }
    void qmlEngineAvailable(QQmlEngine *engine)
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_store.open(m_dir.filePath(QStringLiteral("qml.sqlite"))));
        m_calendar.loadDirectory(QStringLiteral(":/hcp/holidays"));
        m_directory = std::make_unique<CaseDirectory>(&m_store);
        m_session = std::make_unique<EvaluationSession>(&m_store, m_directory.get());
        m_session->setCalendar(m_calendar);
        m_session->setIndicatorSet(IndicatorSet::builtin());
        m_session->setQuestionnaires(QuestionnaireCatalog::builtin());
        m_app = std::make_unique<AppController>(m_session.get());
        m_app->setDemoMode(true);
        m_app->setDemoPeople({{QStringLiteral("李华"), QStringLiteral("11010519491231002X")},
                              {QStringLiteral("王建国"), QStringLiteral("440524188001010014")},
                              // index 2: the village agent (synthetic), signs in as 代办员 AGENT-001
                              {QStringLiteral("赵代办"), QStringLiteral("513021195505050036")},
                              {QStringLiteral("张秀英"), QStringLiteral("330102195803120047")},
                              {QStringLiteral("吴敏"), QStringLiteral("450103199211110074")}});
        connect(m_app.get(), &AppController::demoCardRequested, m_session.get(),
                [this](const QString &n, const QString &id) { m_session->identifyByCard(n, id, QStringLiteral("resident")); });
        connect(m_app.get(), &AppController::demoScanRequested, m_session.get(), &EvaluationSession::submitQrPayload);
        m_pinyin.open();
        m_probe.demo = builtinDemoData(m_calendar, QDateTime::currentDateTime(), KioskConfig().idHashKey);
        QVERIFY(installDemoData(m_store, m_probe.demo));
        m_probe.store = &m_store;
        m_probe.session = m_session.get();
        m_pad = std::make_unique<PadSession>(&m_store);
        m_pad->setIndicatorSet(IndicatorSet::builtin());
        m_padTrigger.setToken(m_probe.padToken().toUtf8());
        QVERIFY(m_padTrigger.listen(0) > 0);
        connect(&m_padTrigger, &PadTrigger::rateNowRequested, m_pad.get(), &PadSession::rateNow);
        m_probe.pad = m_pad.get();
        m_probe.padTrigger = &m_padTrigger;
        hcp::qml::CoreInstances::pad = m_pad.get();
        // Follow-up without a hub (not enrolled): a receipt QR ends in the offline message.
        m_followUp = std::make_unique<FollowUpSession>(&m_store);
        m_followUp->setIndicatorSet(IndicatorSet::builtin());
        m_followUp->setFetcher([](const QString &projectNo, std::function<void(bool, const QJsonArray &)> done) {
            QTimer::singleShot(0, [projectNo, done] {
                if (!projectNo.startsWith(QLatin1String("DONE")))
                    return done(false, {});
                done(true, QJsonArray{QJsonObject{{QStringLiteral("projectNo"), projectNo},
                                                  {QStringLiteral("serviceNumber"), 1},
                                                  {QStringLiteral("assessNumber"), 1},
                                                  {QStringLiteral("status"), QStringLiteral("done")},
                                                  {QStringLiteral("reply"), QStringLiteral("已整改。")},
                                                  {QStringLiteral("replyDept"), QStringLiteral("区政务服务中心")},
                                                  {QStringLiteral("replyTime"), QStringLiteral("2026-11-20T10:00:00")}}});
            });
        });
        m_session->setFollowUpEnabled(true);
        connect(m_session.get(), &EvaluationSession::followUpRequested, m_followUp.get(), &FollowUpSession::begin);
        connect(m_session.get(), &EvaluationSession::sessionWiped, m_followUp.get(), &FollowUpSession::reset);
        hcp::qml::CoreInstances::followUp = m_followUp.get();
        hcp::qml::CoreInstances::session = m_session.get();
        hcp::qml::CoreInstances::app = m_app.get();
        hcp::qml::CoreInstances::pinyin = &m_pinyin;
        hcp::qml::CoreInstances::sync = &m_sync;
        Devices::Options devOptions;
        devOptions.simulate = true;
        devOptions.demoPanel = false; // the tests drive the session directly
        m_devices = std::make_unique<Devices>(devOptions, m_session.get(), m_app.get(), KioskConfig());
        m_diagnostics = std::make_unique<Diagnostics>(m_devices.get(), m_session.get());
        m_diagnostics->setPinHash(hcp::trust::PinVault::hashPin(QStringLiteral("2468"), 1000), {});
        m_probe.logBuffer = &m_log;
        m_diagnostics->setLogBuffer(&m_log);
        m_diagnostics->setAuditSink([this](const QString &action, const QJsonObject &) { m_probe.audited.append(action); });
        m_diagnostics->setSyncAction([this] { ++m_probe.syncs; });
        m_diagnostics->setExitAction([this] { ++m_probe.exits; });
        m_diagnostics->setStatusProvider([this] {
            Diagnostics::Status st;
            st.syncEnabled = true;
            st.online = m_sync.online();
            st.lastError = QStringLiteral("HTTP 503");
            st.queueDepth = 3;
            st.oldestUnsentAgeS = 120;
            st.ledgerSeq = m_store.evaluationCount() > 0 ? m_store.evaluationCount() : -1;
            st.configVersion = QStringLiteral("7");
            st.configRejected = QStringLiteral("bad-signature: the document is not signed by the hub's key");
            st.updateSummary = QStringLiteral("软件版本 1.1.0（b 槽）：trial");
            return st;
        });
        hcp::qml::CoreInstances::devices = m_devices->statusModel();
        hcp::qml::CoreInstances::diagnostics = m_diagnostics.get();
        // No speech engine by that name: the kiosk must work silently (Voice.available false).
        m_voice = std::make_unique<Voice>(m_session.get(), m_app.get(),
                                          Voice::Options{QStringLiteral("no-such-engine"), 80, true});
        hcp::qml::CoreInstances::voice = m_voice.get();
        m_agent = std::make_unique<AgentDesk>(m_session.get());
        m_agent->setAgents({{QStringLiteral("AGENT-001"), QStringLiteral("赵代办"),
                             m_session->hashIdNumber(QStringLiteral("513021195505050036")),
                             hcp::trust::PinVault::hashPin(QStringLiteral("135790"), 1000)}});
        hcp::qml::CoreInstances::agent = m_agent.get();
        m_probe.agent = m_agent.get();
        engine->addImportPath(QStringLiteral("qrc:/qt/qml"));
        m_language = std::make_unique<hcp::qml::LanguageSwitcher>(engine, m_app.get());
        engine->rootContext()->setContextProperty(QStringLiteral("Probe"), &m_probe);
    }
};

QUICK_TEST_MAIN_WITH_SETUP(kiosk_qml, Setup)
#include "tst_qml.moc"

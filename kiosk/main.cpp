// SPDX-License-Identifier: Apache-2.0
// hcp-kiosk — the composition root: the command line, KioskServices (which builds and wires
// every service), the devices, the window and systemd. The CLI modes run without a display.
#include "app/devices.h"
#include "app/diagnostics.h"
#include "app/kioskservices.h"
#include "app/logbuffer.h"
#include "app/qrimageprovider.h"
#include "app/qrpreviewimageprovider.h"
#include "app/selftest.h"
#include "app/updatecontroller.h"

#include "appcontroller.h"
#include "coretypes.h"
#include "demodata.h"
#include "evaluationsession.h"
#include "languageswitcher.h"
#include "syncstatus.h"
#include "systemdnotifier.h"

#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFile>
#include <QGuiApplication>
#include <QLoggingCategory>
#include <QQmlApplicationEngine>
#include <QQuickWindow>
#include <QSet>
#include <QStandardPaths>
#include <QTimer>
#include <QtQml/qqmlextensionplugin.h>

#include <cstdio>

Q_IMPORT_QML_PLUGIN(Kiosk_AppPlugin)
Q_IMPORT_QML_PLUGIN(Kiosk_ScreensPlugin)
Q_IMPORT_QML_PLUGIN(Kiosk_ComponentsPlugin)
Q_IMPORT_QML_PLUGIN(Kiosk_ThemePlugin)
Q_IMPORT_QML_PLUGIN(Kiosk_CorePlugin)

Q_LOGGING_CATEGORY(lcMain, "hcp.kiosk.main")

using namespace hcp::kiosk;

namespace {

// Any touch, click or key anywhere restarts the session's idle countdown.
class ActivityFilter : public QObject {
public:
    explicit ActivityFilter(EvaluationSession *s) : m_session(s) {}
    bool eventFilter(QObject *o, QEvent *e) override
    {
        if (e->type() == QEvent::MouseButtonPress || e->type() == QEvent::TouchBegin || e->type() == QEvent::KeyPress)
            m_session->userActivity();
        return QObject::eventFilter(o, e);
    }
private:
    EvaluationSession *m_session;
};

bool hasArg(int argc, char *argv[], const QSet<QByteArray> &names)
{
    for (int i = 1; i < argc; ++i)
        if (names.contains(QByteArray(argv[i]).split('=').first()))
            return true;
    return false;
}

// Offline provisioning: hand out the public half of the device key init() made or loaded.
int writePublicKey(const KioskServices &s, const QString &out)
{
    if (!s.identity()) {
        qCritical().noquote() << "hcp-kiosk: no device key at" << s.deviceKeyPath();
        return 1;
    }
    QFile f(out);
    const bool opened = out == QLatin1String("-") ? f.open(stdout, QIODevice::WriteOnly) : f.open(QIODevice::WriteOnly | QIODevice::Truncate);
    if (!opened || f.write(s.identity()->publicKeyPem()) < 0 || !f.flush()) {
        qCritical().noquote() << "hcp-kiosk: cannot write" << out << f.errorString();
        return 1;
    }
    qInfo().noquote() << "device key" << s.identity()->fingerprint() << "at" << s.identity()->keyPath();
    return 0;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication::setApplicationName(QStringLiteral("hcp-kiosk"));
    QCoreApplication::setOrganizationName(QStringLiteral("hcp"));
    QCoreApplication::setApplicationVersion(QStringLiteral(HCP_VERSION));
    QElapsedTimer sinceStart;
    sinceStart.start();
    // The modes that never show a window run on a QCoreApplication (a maintenance shell over ssh,
    // a provisioning script). The self-test needs Qt Quick: offscreen when there is no display.
    const bool headless = hasArg(argc, argv, {"-h", "--help", "--help-all", "-v", "--version", "--export-evaluations",
                                              "--write-demo-cases", "--device-public-key-out", "--enroll-token"});
    if (!headless && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") && qEnvironmentVariableIsEmpty("DISPLAY")
        && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY") && hasArg(argc, argv, {"--self-test"}))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    std::unique_ptr<QCoreApplication> app = headless ? std::make_unique<QCoreApplication>(argc, argv)
                                                     : std::make_unique<QGuiApplication>(argc, argv);
    // Recent log lines (masked) for the maintenance screen; journald still gets every message.
    LogBuffer logBuffer;
    logBuffer.install();
    SystemdNotifier systemd; // reads and clears NOTIFY_SOCKET/WATCHDOG_* before any child process starts

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("政务服务“好差评” kiosk"));
    parser.addHelpOption();
    parser.addVersionOption();
    auto option = [&parser](const char *name, const char *help, const char *value = nullptr, const char *fallback = nullptr) {
        parser.addOption(QCommandLineOption(QString::fromLatin1(name), QString::fromUtf8(help), QString::fromLatin1(value),
                                            QString::fromLatin1(fallback)));
        return QString::fromLatin1(name);
    };
    const QString deviceKeyOpt = option("device-key", "Device key file (default: <data dir>-identity/device-key.pem; never inside the data directory).", "PEM");
    const QString deviceKeyTypeOpt = option("device-key-type", "Algorithm of a new device key: sm2 (default) or ed25519.", "TYPE", "sm2");
    const QString publicKeyOpt = option("device-public-key-out", "Create the device key if missing (0600, outside the data directory), write its public key PEM to FILE (- = stdout) for hcp-hub enroll-device --device-public-key, and exit.", "FILE");
    const QString tpmOpt = option("tpm", "TPM 2.0 for the device counter and attestation key, as a tpm2-tss TCTI (device:/dev/tpmrm0, swtpm:host=H,port=P) or none (default: /dev/tpmrm0 when present).", "TCTI");
    const QString demoOpt = option("demo", "Load demo cases and show the demo panel.");
    const QString selfTestOpt = option("self-test", "Load every QML file and exit 0/1.");
    const QString exportOpt = option("export-evaluations", "Write stored evaluations as JSON lines.", "FILE");
    const QString dataOpt = option("data-dir", "Data directory (database).", "DIR");
    const QString sizeOpt = option("size", "Window size WxH (default: full screen).", "WxH");
    const QString quitOpt = option("quit-after", "Quit after N ms (smoke tests).", "MS");
    const QString firstFrameOpt = option("print-first-frame", "Print first-frame-ms=N when the first frame is on screen, then quit (benchmark).");
    const QString hubOpt = option("hub", "Hub URL for --enroll-token.", "URL");
    const QString enrollOpt = option("enroll-token", "Enroll with the hub using this one-time token, save the credentials and exit.", "TOKEN");
    const QString demoCasesOpt = option("write-demo-cases", "Write the demo cases (with synthetic ID numbers) as hub import JSON and exit.", "FILE");
    const QString simulateOpt = option("simulate-hardware", "Use the byte-level device simulators (implied by --demo).");
    const QString cameraOpt = option("camera", "QR camera: V4L2 index or /dev/videoN, or a video / image-sequence file.", "SOURCE");
    const QString idSerialOpt = option("id-reader-serial", "ID-card reader on a serial port (default: USB 0400:c35a).", "TTY");
    const QString updateConfigOpt = option("update-config", "A/B software update configuration (default: /etc/hcp-kiosk/update.json when it exists).", "FILE");
    parser.process(*app);

    const bool demo = parser.isSet(demoOpt);
    KioskServices::Options options;
    options.dataDir = parser.value(dataOpt);
    if (options.dataDir.isEmpty())
        options.dataDir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + (demo ? QStringLiteral("-demo") : QString());
    options.demo = demo && !parser.isSet(exportOpt);
    options.deviceKeyPath = parser.value(deviceKeyOpt);
    options.tpmTcti = parser.value(tpmOpt);
    options.deviceKeyType = parser.value(deviceKeyTypeOpt) == QLatin1String("ed25519") ? hcp::trust::KeyType::Ed25519 : hcp::trust::KeyType::Sm2;
    KioskServices s(options);
    QString error;
    if (!s.init(&error)) {
        qCritical().noquote() << "hcp-kiosk: cannot start:" << error;
        return 2;
    }
    if (parser.isSet(publicKeyOpt))
        return writePublicKey(s, parser.value(publicKeyOpt));
    if (parser.isSet(enrollOpt)) {
        if (!s.enroll(QUrl(parser.value(hubOpt)), parser.value(enrollOpt), &error)) {
            qCritical().noquote() << "hcp-kiosk: enrollment failed:" << error;
            return 1;
        }
        qInfo().noquote() << "enrolled as" << s.credentials().deviceId << "with" << s.credentials().hubUrl.toString();
        return 0;
    }
    if (parser.isSet(demoCasesOpt)) {
        if (!writeDemoCasesForHub(s.calendar(), parser.value(demoCasesOpt), &error)) {
            qCritical().noquote() << "hcp-kiosk:" << error;
            return 1;
        }
        return 0;
    }
    QString updateConfig = parser.value(updateConfigOpt);
    if (updateConfig.isEmpty() && QFile::exists(QStringLiteral("/etc/hcp-kiosk/update.json")))
        updateConfig = QStringLiteral("/etc/hcp-kiosk/update.json");
    if (!parser.isSet(exportOpt) && !parser.isSet(selfTestOpt) && s.startUpdates(updateConfig) == KioskServices::UpdateStart::RolledBack)
        return 0; // Restart=always starts `current`, now the previous slot
    if (!s.startSync(&error)) {
        qCritical().noquote() << "hcp-kiosk: sync cannot start:" << error;
        return 2;
    }
    if (parser.isSet(exportOpt)) {
        const qint64 n = s.store().exportJsonl(parser.value(exportOpt), &error);
        if (n < 0) {
            qCritical().noquote() << "hcp-kiosk: export failed:" << error;
            return 1;
        }
        qInfo().noquote() << QStringLiteral("exported %1 evaluations to %2").arg(n).arg(parser.value(exportOpt));
        return 0;
    }

    Devices::Options devOptions;
    devOptions.simulate = demo || parser.isSet(simulateOpt);
    devOptions.cameraSource = parser.value(cameraOpt);
    devOptions.idCardSerial = parser.value(idSerialOpt);
    Devices devices(devOptions, s.session(), s.app(), s.config());
    hcp::qml::CoreInstances::devices = devices.statusModel();
    s.attachDevices(&devices);
    Diagnostics diagnostics(&devices, s.session());
    hcp::qml::CoreInstances::diagnostics = &diagnostics;
    s.attachDiagnostics(&diagnostics, &logBuffer);
    s.startCare();
    hcp::qml::CoreInstances::publish(s);

    QQmlApplicationEngine engine;
    engine.addImageProvider(QStringLiteral("qr"), new QrImageProvider);
    engine.addImageProvider(QStringLiteral("camera"), new hcp::kiosk::QrPreviewImageProvider(devices.camera()));
    engine.addImportPath(QStringLiteral("qrc:/qt/qml"));
    hcp::qml::LanguageSwitcher language(&engine, s.app());
    if (parser.isSet(selfTestOpt))
        return runSelfTest(engine);

    ActivityFilter activity(s.session());
    app->installEventFilter(&activity);
    QTimer diskTimer;
    QObject::connect(&diskTimer, &QTimer::timeout, [&s] { s.checkDisk(); });
    diskTimer.start(60 * 1000);
    s.checkDisk();

    engine.load(QUrl(QStringLiteral("qrc:/qt/qml/Kiosk/App/Main.qml")));
    auto *window = qobject_cast<QQuickWindow *>(engine.rootObjects().value(0));
    if (!window) {
        qCritical() << "hcp-kiosk: the main window failed to load";
        return 1;
    }
    // systemd (Type=notify): READY once the first frame is on screen; WATCHDOG only while the
    // event loop runs and the store is usable, so a hung kiosk is restarted.
    systemd.setHealthCheck([&s] { return s.store().isOpen(); });
    QObject::connect(window, &QQuickWindow::frameSwapped, &systemd, [&systemd, &s] {
        systemd.ready();
        if (s.updates())
            s.updates()->readySent();
    }, Qt::SingleShotConnection);
    QObject::connect(s.syncStatus(), &hcp::sync::SyncStatus::queueChanged, &systemd, [&s, &systemd] {
        systemd.status(QStringLiteral("queue %1, oldest unsent %2 s").arg(s.syncStatus()->queuedCount()).arg(s.syncStatus()->oldestUnsentAgeS()));
    });
    QObject::connect(app.get(), &QCoreApplication::aboutToQuit, &systemd, &SystemdNotifier::stopping);
    if (parser.isSet(sizeOpt)) {
        const QStringList wh = parser.value(sizeOpt).split(QLatin1Char('x'));
        window->resize(wh.value(0).toInt(), wh.value(1).toInt());
    } else if (QGuiApplication::platformName() != QLatin1String("offscreen")) {
        window->showFullScreen();
    }
    if (parser.isSet(firstFrameOpt)) {
        QObject::connect(window, &QQuickWindow::frameSwapped, app.get(), [&sinceStart] {
            std::printf("first-frame-ms=%lld\n", static_cast<long long>(sinceStart.elapsed()));
            std::fflush(stdout);
            QCoreApplication::quit();
        }, Qt::SingleShotConnection);
    }
    if (parser.isSet(quitOpt))
        QTimer::singleShot(parser.value(quitOpt).toInt(), app.get(), &QCoreApplication::quit);
    qCInfo(lcMain) << "kiosk ready; data in" << s.dataDir() << (demo ? "(demo)" : "");
    return app->exec();
}

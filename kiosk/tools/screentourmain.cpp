// SPDX-License-Identifier: Apache-2.0
// hcp-kiosk-screentour DIR — drives the demo kiosk (the services hcp-kiosk --demo runs, with the
// device simulators) through every screen (kiosk/app/screentour.h) in portrait 1080×1920 and
// landscape 1920×1080, in each variant, and saves one PNG per screen: DIR/<orientation>-
// <variant>-<screen>.png (README, review; deploy/render-screens.sh).
#include "app/devices.h"
#include "app/diagnostics.h"
#include "app/kioskservices.h"
#include "app/logbuffer.h"
#include "app/qrimageprovider.h"
#include "app/screentour.h"

#include "appcontroller.h"
#include "configapplier.h"
#include "coretypes.h"
#include "languageswitcher.h"
#include "pinvault.h"
#include "syncstatus.h"
#include "hardware/idcard/idcardsimulator.h"

#include <QCommandLineParser>
#include <QDir>
#include <QGuiApplication>
#include <QQmlApplicationEngine>
#include <QQuickWindow>
#include <QTemporaryDir>
#include <QThread>
#include <QtQml/qqmlextensionplugin.h>

Q_IMPORT_QML_PLUGIN(Kiosk_AppPlugin)
Q_IMPORT_QML_PLUGIN(Kiosk_ScreensPlugin)
Q_IMPORT_QML_PLUGIN(Kiosk_ComponentsPlugin)
Q_IMPORT_QML_PLUGIN(Kiosk_ThemePlugin)
Q_IMPORT_QML_PLUGIN(Kiosk_CorePlugin)

using namespace hcp::kiosk;

namespace {

// One orientation: a fresh demo kiosk in a temporary data directory, its window at `size`.
int renderOrientation(QSize size, const QString &outDir, int *saved)
{
    QTemporaryDir tmp;
    KioskServices::Options options;
    options.dataDir = tmp.path();
    options.demo = true;
    KioskServices s(options);
    QString error;
    if (!s.init(&error)) {
        qCritical() << error;
        return 1;
    }
    Devices::Options devOptions;
    devOptions.simulate = true;
    Devices devices(devOptions, s.session(), s.app(), s.config());
    hcp::qml::CoreInstances::devices = devices.statusModel();
    Diagnostics diagnostics(&devices, s.session());
    diagnostics.setPinHash(hcp::trust::PinVault::hashPin(QStringLiteral("2468"), 1000), {});
    hcp::qml::CoreInstances::diagnostics = &diagnostics;
    LogBuffer logBuffer;
    logBuffer.install();
    diagnostics.setLogBuffer(&logBuffer);
    // What a fresh stand-alone demo kiosk shows (no hub, no update configuration).
    diagnostics.setStatusProvider([&s] {
        Diagnostics::Status st;
        st.syncEnabled = s.credentials().isValid();
        st.queueDepth = s.syncStatus()->queuedCount();
        st.oldestUnsentAgeS = s.syncStatus()->oldestUnsentAgeS();
        const qint64 n = s.store().evaluationCount();
        st.ledgerSeq = n > 0 ? n : -1;
        st.configVersion = QString::number(s.configApplier()->activeVersion());
        st.updateSummary = Diagnostics::tr("软件更新：本机未配置");
        return st;
    });
    s.startCare();
    hcp::qml::CoreInstances::publish(s);
    QQmlApplicationEngine engine;
    engine.addImageProvider(QStringLiteral("qr"), new QrImageProvider);
    engine.addImportPath(QStringLiteral("qrc:/qt/qml"));
    engine.load(QUrl(QStringLiteral("qrc:/qt/qml/Kiosk/App/Main.qml")));
    auto *window = qobject_cast<QQuickWindow *>(engine.rootObjects().value(0));
    if (!window)
        return 1;
    window->resize(size);
    const QString orient = size.width() > size.height() ? QStringLiteral("landscape") : QStringLiteral("portrait");
    auto shot = [&](const QString &name) {
        for (int i = 0; i < 10; ++i) {
            QCoreApplication::processEvents();
            QThread::msleep(10);
        }
        const QImage img = window->grabWindow();
        const QString path = QDir(outDir).filePath(QStringLiteral("%1-%2.png").arg(orient, name));
        if (img.save(path))
            ++*saved;
        else
            qCritical() << "cannot save" << path;
    };
    hcp::qml::LanguageSwitcher language(&engine, s.app());
    screentour::Context tour;
    tour.session = s.session();
    tour.app = s.app();
    tour.agentDesk = s.agentDesk();
    tour.diagnostics = &diagnostics;
    tour.devices = &devices;
    tour.followUp = s.followUp();
    tour.pad = s.pad();
    tour.directory = s.directory();
    tour.calendar = &s.calendar();
    tour.hallFigures = s.hallFigures();
    tour.config = s.config();
    // Cards go through the reader simulator: the previous card is taken back first.
    tour.swipeCard = [&](int index) {
        screentour::waitUntil([&] { return !devices.idCardSimulator()->hasCard(); }, 4000);
        screentour::waitUntil([] { return false; }, 400); // one poll of the reader sees it gone
        s.app()->demoSwipeCard(index);
    };
    for (const screentour::Variant &variant : screentour::variants())
        screentour::run(tour, variant, [&](const QString &name) { shot(variant.name() + QLatin1Char('-') + name); });
    return 0;
}

} // namespace

int main(int argc, char *argv[])
{
    // Offscreen unless a platform was chosen: the tour never needs a display.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QCoreApplication::setApplicationName(QStringLiteral("hcp-kiosk"));
    QCoreApplication::setOrganizationName(QStringLiteral("hcp"));
    QCoreApplication::setApplicationVersion(QStringLiteral(HCP_VERSION));
    QGuiApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Renders every kiosk screen to PNG files in DIR."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("DIR"), QStringLiteral("Output directory (created)."));
    parser.process(app);
    if (parser.positionalArguments().size() != 1)
        parser.showHelp(2);
    const QString outDir = parser.positionalArguments().first();
    QDir().mkpath(outDir);
    int saved = 0;
    for (const QSize size : {QSize(1080, 1920), QSize(1920, 1080)})
        if (renderOrientation(size, outDir, &saved) != 0)
            return 1;
    qInfo().noquote() << QStringLiteral("render-screens: %1 PNG files in %2").arg(saved).arg(outDir);
    return saved > 0 ? 0 : 1;
}

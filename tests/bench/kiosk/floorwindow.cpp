// SPDX-License-Identifier: Apache-2.0
// hcp-bench-floor-window: the floor for hcp-bench-kiosk — a bare Qt Quick window of the kiosk's
// size (1080×1920) with one Rectangle, launched exactly like hcp-kiosk. With
// --print-first-frame it prints "first-frame-ms=<ms since main()>" after the first
// QQuickWindow::frameSwapped and quits (the same contract as hcp-kiosk's option); without it, it
// stays up until killed (for the idle RSS floor).
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QGuiApplication>
#include <QQmlApplicationEngine>
#include <QQuickWindow>

#include <cstdio>

int main(int argc, char *argv[])
{
    QElapsedTimer sinceStart;
    sinceStart.start();
    QGuiApplication app(argc, argv);
    const bool printFirstFrame = QCoreApplication::arguments().contains(QStringLiteral("--print-first-frame"));

    QQmlApplicationEngine engine;
    engine.loadData(QByteArrayLiteral("import QtQuick\n"
                                      "Window { width: 1080; height: 1920; visible: true\n"
                                      "  Rectangle { anchors.fill: parent; color: \"#f5f7fa\" } }\n"));
    auto *window = qobject_cast<QQuickWindow *>(engine.rootObjects().value(0));
    if (!window) {
        std::fprintf(stderr, "floor-window: the inline window failed to load\n");
        return 1;
    }
    if (printFirstFrame) {
        QObject::connect(window, &QQuickWindow::frameSwapped, &app, [&sinceStart] {
            std::printf("first-frame-ms=%lld\n", static_cast<long long>(sinceStart.elapsed()));
            std::fflush(stdout);
            QCoreApplication::quit();
        }, Qt::SingleShotConnection);
    }
    return app.exec();
}

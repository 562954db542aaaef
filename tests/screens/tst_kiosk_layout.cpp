// SPDX-License-Identifier: Apache-2.0
// Every screen the app can show (the hcp-kiosk-screentour list, kiosk/app/screentour.h), in
// 关怀模式 and normal, Chinese and English, at the four panel sizes kiosks ship with: nothing
// is cut off, nothing runs under the header or footer, no two controls overlap (the 演示 button
// included), no text is elided or leaves a single character on a line (layoutcheck.h).
#include "kioskfixture.h"
#include "layoutcheck.h"

#include "coretypes.h"

#include <QElapsedTimer>
#include <QQmlComponent>
#include <QQuickItem>
#include <QtQuickTest/quicktest.h>
#include <QtTest>

using namespace hcp::kiosk;

class LayoutTest : public QObject {
    Q_OBJECT

    // A window of the given QML with the kiosk's components, checked as a screen is.
    QStringList checkQml(const QByteArray &qml)
    {
        AppController app(nullptr); // Theme reads App.elderlyMode
        hcp::qml::CoreInstances::app = &app;
        QQmlEngine engine;
        engine.addImportPath(QStringLiteral("qrc:/qt/qml"));
        QQmlComponent c(&engine);
        c.setData("import QtQuick\nimport QtQuick.Window\nimport Kiosk.Components\n" + qml, QUrl());
        std::unique_ptr<QObject> o(c.create());
        auto *w = qobject_cast<QQuickWindow *>(o.get());
        if (!w)
            return {QStringLiteral("does not load: ") + c.errorString()};
        w->show();
        if (!QTest::qWaitForWindowExposed(w) || !QQuickTest::qWaitForPolish(w))
            return {QStringLiteral("not shown")};
        return checkLayout(w);
    }

private Q_SLOTS:
    // The checker itself, attacked: each kind of defect the issue saw must be reported.
    void checker_buttonPastTheWindowEdge_isReported()
    {
        const QStringList f = checkQml("Window { width: 400; height: 300\n"
                                       " BigButton { objectName: \"late\"; x: 250; y: 100; width: 200; text: \"完成\" } }");
        QVERIFY2(f.size() >= 1 && f.first().contains(QLatin1String("late")) && f.first().contains(QLatin1String("outside the window"))
                     && f.first().contains(QStringLiteral("(250,100 200×")), qPrintable(f.join('\n')));
    }
    void checker_overlappingControls_areReported()
    {
        const QStringList f = checkQml("Window { width: 800; height: 600\n"
                                       " BigButton { objectName: \"a\"; x: 10; y: 10; width: 300; text: \"下一步\" }\n"
                                       " BigButton { objectName: \"b\"; x: 200; y: 40; width: 300; text: \"上一步\" } }");
        QVERIFY2(f.size() == 1 && f.first().contains(QLatin1String("controls overlap")), qPrintable(f.join('\n')));
    }
    // Two texts drawn over each other (the English footer's sync line under the hotline); a text
    // inside a control's own label is not a second text.
    void checker_overlappingTexts_areReported()
    {
        const QStringList f = checkQml("Window { width: 800; height: 600\n"
                                       " Text { objectName: \"sync\"; x: 10; y: 10; font.pixelSize: 24; text: \"Offline · ratings are kept here\" }\n"
                                       " Text { objectName: \"hotline\"; x: 200; y: 14; font.pixelSize: 24; text: \"Hotline 12345\" }\n"
                                       " Text { objectName: \"apart\"; x: 10; y: 300; font.pixelSize: 24; text: \"评价已保存\" } }");
        QVERIFY2(f.size() == 1 && f.first().contains(QLatin1String("texts overlap")) && f.first().contains(QLatin1String("hotline")),
                 qPrintable(f.join('\n')));
    }
    void checker_singleCharacterWrapAndElision_areReported()
    {
        const QStringList f = checkQml("Window { width: 800; height: 600\n"
                                       " Text { objectName: \"wrap\"; width: 540; wrapMode: Text.Wrap; font.pixelSize: 48;"
                                       "        text: \"请对您办理的业务进行评价\" }\n"
                                       " Text { objectName: \"cut\"; y: 300; width: 100; elide: Text.ElideRight; font.pixelSize: 48;"
                                       "        text: \"打印纸已用完\" } }");
        QVERIFY2(f.size() == 2 && f.join('\n').contains(QStringLiteral("single character «价»"))
                     && f.join('\n').contains(QLatin1String("elided")), qPrintable(f.join('\n')));
    }
    void checker_scrollingWithoutHint_isReported()
    {
        const QStringList f = checkQml("Window { width: 400; height: 400\n"
                                       " Flickable { objectName: \"list\"; anchors.fill: parent; contentHeight: 900;"
                                       "   Column { Repeater { model: 8; BigButton { width: 300; text: \"原因\" + index } } } } }");
        QVERIFY2(!f.isEmpty() && f.first().contains(QLatin1String("scroll hint")), qPrintable(f.join('\n')));
    }

    // One row per panel size and variant (关怀模式 or not, Chinese or English): a window of its
    // own, the walk switches the states.
    void everyScreen_atPanelSizeAndVariant_fitsWithoutCutOrOverlap_data()
    {
        QTest::addColumn<QSize>("size");
        QTest::addColumn<int>("variant");
        const QList<screentour::Variant> variants = screentour::variants();
        for (const QSize size : {QSize(1080, 1920), QSize(1920, 1080), QSize(1280, 800), QSize(800, 1280)})
            for (int v = 0; v < variants.size(); ++v)
                QTest::addRow("%dx%d %s", size.width(), size.height(), qPrintable(variants.at(v).name())) << size << v;
    }
    void everyScreen_atPanelSizeAndVariant_fitsWithoutCutOrOverlap()
    {
        QFETCH(QSize, size);
        QFETCH(int, variant);
        const screentour::Variant v = screentour::variants().at(variant);
        KioskFixture kiosk(size, false);
        QVERIFY2(kiosk.ok(), qPrintable(kiosk.error()));
        QVERIFY(QTest::qWaitForWindowExposed(kiosk.window()));
        QCOMPARE(kiosk.window()->size(), size);
        QElapsedTimer t;
        t.start();
        QStringList failures;
        // A QML warning from the kiosk's own files (binding loop, TypeError) is a layout fault too.
        static QStringList *qmlWarnings = nullptr;
        QStringList warnings;
        qmlWarnings = &warnings;
        static QtMessageHandler previous = nullptr;
        previous = qInstallMessageHandler([](QtMsgType type, const QMessageLogContext &ctx, const QString &msg) {
            if (type == QtWarningMsg && msg.contains(QLatin1String("qrc:/qt/qml/Kiosk/")) && qmlWarnings)
                qmlWarnings->append(msg);
            previous(type, ctx, msg);
        });
        const auto restore = qScopeGuard([] { qInstallMessageHandler(previous); qmlWarnings = nullptr; });
        QSet<QString> screens;
        const QString shots = qEnvironmentVariable("HCP_LAYOUT_SHOTS");
        if (!shots.isEmpty())
            QDir().mkpath(shots);
        screentour::run(kiosk.tourContext(), v, [&](const QString &name) {
            // Laid out as on the next frame: polish, then what the layout queued (Qt.callLater).
            QQuickTest::qWaitForPolish(kiosk.window());
            QCoreApplication::processEvents();
            QQuickTest::qWaitForPolish(kiosk.window());
            screens.insert(name);
            // HCP_LAYOUT_SHOTS=DIR: every screen as DIR/WxH-variant-name.png, to look at.
            if (!shots.isEmpty())
                kiosk.window()->grabWindow().save(QDir(shots).filePath(
                    QStringLiteral("%1x%2-%3-%4.png").arg(size.width()).arg(size.height()).arg(v.name(), name)));
            const QString where = QStringLiteral("%1 %2×%3 %4: ").arg(name).arg(size.width()).arg(size.height()).arg(v.name());
            for (const QString &f : checkLayout(kiosk.window())) {
                failures.append(where + f);
                qWarning().noquote() << failures.last(); // the failure message below is cut at its length limit
            }
        });
        warnings.removeDuplicates();
        for (const QString &w : std::as_const(warnings))
            failures.append(QStringLiteral("QML warning: ") + w);
        qInfo().noquote() << QStringLiteral("%1 screens checked in %2 ms, %3 violations").arg(screens.size()).arg(t.elapsed()).arg(failures.size());
        QVERIFY2(screens.size() >= 35, "the walk reached every screen");
        QVERIFY2(failures.isEmpty(), qPrintable(QStringLiteral("\n") + failures.join(QLatin1Char('\n'))));
    }
};

QTEST_MAIN(LayoutTest)
#include "tst_kiosk_layout.moc"

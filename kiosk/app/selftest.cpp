// SPDX-License-Identifier: Apache-2.0
#include "selftest.h"

#include <QDirIterator>
#include <QQmlComponent>
#include <QQmlEngine>

namespace hcp::kiosk {

// Loads every QML file of the app's modules on its own; any error fails the self-test.
int runSelfTest(QQmlEngine &engine)
{
    int failures = 0, loaded = 0;
    QDirIterator it(QStringLiteral(":/qt/qml/Kiosk"), {QStringLiteral("*.qml")}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString file = it.next();
        if (file.endsWith(QLatin1String("/Main.qml")))
            continue; // loaded below as the real window
        // Compiling resolves every import and type; delegates with required properties are only
        // instantiated through Main.qml below.
        QQmlComponent c(&engine, QUrl(QStringLiteral("qrc") + file));
        ++loaded;
        if (!c.isReady()) {
            ++failures;
            qCritical().noquote() << "self-test: FAIL" << file << c.errorString();
        }
    }
    QQmlComponent main(&engine, QUrl(QStringLiteral("qrc:/qt/qml/Kiosk/App/Main.qml")));
    QScopedPointer<QObject> w(main.create());
    ++loaded;
    if (main.isError() || !w) {
        ++failures;
        qCritical().noquote() << "self-test: FAIL Main.qml" << main.errorString();
    }
    qInfo().noquote() << QStringLiteral("self-test: %1 QML files loaded, %2 failed").arg(loaded).arg(failures);
    return failures == 0 && loaded > 10 ? 0 : 1;
}

} // namespace hcp::kiosk

// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QObject>
#include <QPointer>
#include <QTranslator>

class QQmlEngine;

namespace hcp::kiosk {
class AppController;
}

namespace hcp::qml {

// Follows AppController::language: installs the compiled translation (":/i18n/hcp_<lang>.qm";
// Chinese is the source language and needs none) and retranslates every qsTr binding.
class LanguageSwitcher : public QObject {
    Q_OBJECT
public:
    LanguageSwitcher(QQmlEngine *engine, hcp::kiosk::AppController *app, QObject *parent = nullptr);
    static bool hasTranslation(const QString &language);

private:
    void apply();
    QPointer<QQmlEngine> m_engine;
    hcp::kiosk::AppController *m_app;
    QTranslator m_translator;
    bool m_installed = false;
};

} // namespace hcp::qml

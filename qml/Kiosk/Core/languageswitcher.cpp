// SPDX-License-Identifier: Apache-2.0
#include "languageswitcher.h"

#include "appcontroller.h"

#include <QCoreApplication>
#include <QFile>
#include <QQmlEngine>

namespace hcp::qml {

static QString qmPath(const QString &language)
{
    return QStringLiteral(":/i18n/hcp_%1.qm").arg(language);
}

LanguageSwitcher::LanguageSwitcher(QQmlEngine *engine, hcp::kiosk::AppController *app, QObject *parent)
    : QObject(parent), m_engine(engine), m_app(app)
{
    connect(app, &hcp::kiosk::AppController::languageChanged, this, &LanguageSwitcher::apply);
    apply();
}

bool LanguageSwitcher::hasTranslation(const QString &language) { return QFile::exists(qmPath(language)); }

void LanguageSwitcher::apply()
{
    if (m_installed) {
        QCoreApplication::removeTranslator(&m_translator);
        m_installed = false;
    }
    const QString lang = m_app->language();
    if (!lang.startsWith(QLatin1String("zh")) && m_translator.load(qmPath(lang)))
        m_installed = QCoreApplication::installTranslator(&m_translator);
    if (m_engine)
        m_engine->retranslate();
}

} // namespace hcp::qml

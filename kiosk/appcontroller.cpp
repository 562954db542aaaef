// SPDX-License-Identifier: Apache-2.0
#include "appcontroller.h"

#include "case.h"
#include "evaluationsession.h"

#include <QCoreApplication>
#include <QVariantMap>

namespace hcp::kiosk {

AppController::AppController(EvaluationSession *session, QObject *parent)
    : QObject(parent), m_session(session)
{
}

void AppController::setElderlyMode(bool on)
{
    if (m_elderly == on)
        return;
    m_elderly = on;
    m_session->setElderlyMode(on);
    Q_EMIT elderlyModeChanged();
}

void AppController::setLanguage(const QString &lang)
{
    if (lang == m_language)
        return;
    m_language = lang;
    m_session->setDataLanguage(lang); // reasons and questions follow the UI language
    Q_EMIT languageChanged();
}

QString AppController::version() const { return QCoreApplication::applicationVersion(); }

void AppController::setDemoPeople(const QList<DemoPerson> &people) { m_people = people; }

QList<AppController::DemoPerson> AppController::builtinDemoPeople()
{
    return {{QStringLiteral("李华"), QStringLiteral("11010519491231002X")},
            {QStringLiteral("王建国"), QStringLiteral("440524188001010014")},
            {QStringLiteral("张秀英"), QStringLiteral("330102195803120047")},
            {QStringLiteral("吴敏"), QStringLiteral("450103199211110074")},
            {QStringLiteral("赵代办"), QStringLiteral("513021195505050036")}}; // the demo 代办员
}

QVariantList AppController::demoPeople() const
{
    QVariantList out;
    for (const DemoPerson &p : m_people)
        out.append(QVariantMap{{QStringLiteral("name"), p.name},
                               {QStringLiteral("idMasked"), maskIdNumber(p.idNumber)}});
    return out;
}

QVariantList AppController::demoCodes() const
{
    QVariantList out;
    for (const QString &c : m_codes)
        out.append(c);
    return out;
}

void AppController::demoSwipeCard(int index)
{
    if (!m_demo || index < 0 || index >= m_people.size())
        return;
    Q_EMIT demoCardRequested(m_people.at(index).name, m_people.at(index).idNumber);
}

void AppController::demoScan(int index)
{
    if (!m_demo || index < 0 || index >= m_codes.size())
        return;
    Q_EMIT demoScanRequested(m_codes.at(index).toUtf8());
}

void AppController::demoScanText(const QString &text)
{
    if (m_demo)
        Q_EMIT demoScanRequested(text.toUtf8());
}

} // namespace hcp::kiosk

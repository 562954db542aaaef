// SPDX-License-Identifier: Apache-2.0
#include "voice.h"

#include <appcontroller.h>

#include <QLoggingCategory>
#include <QTextToSpeech>

Q_LOGGING_CATEGORY(lcVoice, "hcp.kiosk.voice")

namespace hcp::kiosk {

Voice::Voice(EvaluationSession *session, AppController *app, const Options &options, QObject *parent)
    : QObject(parent), m_session(session), m_app(app), m_options(options)
{
    if (m_options.enabled) {
        if (QTextToSpeech::availableEngines().contains(m_options.engine)) {
            m_tts = std::make_unique<QTextToSpeech>(m_options.engine);
            if (m_tts->state() == QTextToSpeech::Error) {
                // speech-dispatcher not running or not reachable: stay silent, log once.
                qCWarning(lcVoice) << "speech engine" << m_options.engine << "unusable:" << m_tts->errorString();
                m_tts.reset();
            } else {
                m_tts->setLocale(QLocale(QLocale::Chinese, QLocale::China));
                m_tts->setVolume(qBound(0, m_options.volumePercent, 100) / 100.0);
                connect(m_tts.get(), &QTextToSpeech::errorOccurred, this,
                        [](QTextToSpeech::ErrorReason, const QString &e) { qCWarning(lcVoice) << "speech failed:" << e; });
            }
        } else {
            qCInfo(lcVoice) << "no speech engine" << m_options.engine << "- voice help is off; available:"
                            << QTextToSpeech::availableEngines();
        }
    }
    connect(m_session, &EvaluationSession::stateChanged, this, &Voice::onStateChanged);
    connect(m_session, &EvaluationSession::idleRemainingChanged, this, &Voice::onIdleRemainingChanged);
    connect(m_app, &AppController::elderlyModeChanged, this, [this] {
        if (m_app->elderlyMode())
            speak(promptText(m_session->state()));
        else
            stop();
    });
}

Voice::~Voice() = default;

bool Voice::available() const { return m_tts && m_tts->state() != QTextToSpeech::Error; }

void Voice::setVolumePercent(int percent)
{
    m_options.volumePercent = qBound(0, percent, 100);
    if (m_tts)
        m_tts->setVolume(m_options.volumePercent / 100.0);
}

QString Voice::promptText(EvaluationSession::State state)
{
    using S = EvaluationSession::State;
    switch (state) {
    case S::Start: return tr("请对您办理的业务进行评价。请把身份证放在读卡区，或扫描回执上的二维码。");
    case S::TypeCaseNumber: return tr("请输入办件编号和申请人姓名。");
    case S::ScanQr: return tr("请把受理通知书或办结回执上的二维码对准摄像头。");
    case S::Searching: return tr("正在查询您的办件，请稍候。");
    case S::ChooseCase: return tr("请选择要评价的办件。");
    case S::Rate: return tr("您对这次服务满意吗？请选择：非常满意、满意、基本满意、不满意、非常不满意。");
    case S::Reasons: return tr("请选择不满意的原因，可以选多项。选好后点“下一步”。");
    case S::Questions: return tr("请回答以下问题，也可以跳过。");
    case S::Comment: return tr("您可以留言，也可以直接点“下一步”。");
    case S::Confirm: return tr("请确认您的评价，然后点“提交评价”。");
    case S::Committing: return {};
    case S::Thanks: return tr("提交成功，感谢您的评价！");
    case S::AlreadyRated: return tr("该办件已评价。一次服务只能评价一次。");
    case S::NothingToRate: return tr("暂无可评价的办件。");
    case S::Error: return tr("抱歉，出了点问题。");
    case S::Unavailable: return tr("暂停评价。请到服务窗口评价。");
    }
    return {};
}

QString Voice::idleWarningText(int seconds)
{
    return tr("%1秒后返回首页。如需继续，请点“继续”。").arg(seconds);
}

void Voice::speak(const QString &text)
{
    m_lastRequest = text;
    Q_EMIT requested(text);
    if (!m_tts)
        return;
    m_tts->stop();
    if (!text.isEmpty())
        m_tts->say(text);
}

void Voice::stop()
{
    if (m_tts)
        m_tts->stop();
}

void Voice::onStateChanged()
{
    m_warned = false;
    if (m_app->elderlyMode())
        speak(promptText(m_session->state()));
}

void Voice::onIdleRemainingChanged()
{
    if (!m_session->countdownVisible()) {
        m_warned = false;
        return;
    }
    if (m_app->elderlyMode() && !m_warned) {
        m_warned = true;
        speak(idleWarningText(m_session->idleRemaining()));
    }
}

} // namespace hcp::kiosk

// SPDX-License-Identifier: Apache-2.0
#include "voice.h"

#include "appcontroller.h"

#include <QLoggingCategory>
#include <QMutexLocker>
#include <QTextToSpeech>
#include <QThread>

#include <memory>

Q_LOGGING_CATEGORY(lcVoice, "hcp.kiosk.voice")

namespace hcp::kiosk {

// Owns the QTextToSpeech on the speech thread. The GUI thread writes the latest request under
// m_mutex and queues drain(); only the newest text is ever spoken.
class Voice::Worker : public QObject {
    Q_OBJECT
public:
    Worker(QString engine, int volumePercent) : m_engine(std::move(engine)), m_volume(volumePercent) {}

    QMutex mutex;
    QString pending;      // guarded by mutex
    bool hasPending = false;
    int volume = 80;      // guarded by mutex

public Q_SLOTS:
    void start()
    {
        m_tts = std::make_unique<QTextToSpeech>(m_engine);
        if (m_tts->state() == QTextToSpeech::Error) {
            qCWarning(lcVoice) << "speech engine" << m_engine << "unusable:" << m_tts->errorString();
            m_tts.reset();
            Q_EMIT availabilityChanged(false);
            return;
        }
        m_tts->setLocale(QLocale(QLocale::Chinese, QLocale::China));
        m_tts->setVolume(qBound(0, m_volume, 100) / 100.0);
        connect(m_tts.get(), &QTextToSpeech::errorOccurred, this, [this](QTextToSpeech::ErrorReason, const QString &e) {
            qCWarning(lcVoice) << "speech failed:" << e;
            Q_EMIT availabilityChanged(false);
        });
        Q_EMIT availabilityChanged(true);
    }
    void drain()
    {
        QString text;
        int vol;
        {
            QMutexLocker lock(&mutex);
            if (!hasPending)
                return;
            text = pending;
            hasPending = false;
            vol = volume;
        }
        if (!m_tts)
            return;
        if (vol != m_volume) {
            m_volume = vol;
            m_tts->setVolume(vol / 100.0);
        }
        m_tts->stop();
        if (!text.isEmpty())
            m_tts->say(text);
    }
    void finish() { m_tts.reset(); }

Q_SIGNALS:
    void availabilityChanged(bool available);

private:
    QString m_engine;
    int m_volume;
    std::unique_ptr<QTextToSpeech> m_tts;
};

Voice::Voice(EvaluationSession *session, AppController *app, const Options &options, QObject *parent)
    : QObject(parent), m_session(session), m_app(app), m_options(options)
{
    if (!m_options.enabled) {
        qCInfo(lcVoice) << "voice help switched off by configuration";
    } else if (!QTextToSpeech::availableEngines().contains(m_options.engine)) {
        qCInfo(lcVoice) << "no speech engine" << m_options.engine << "- voice help is off; available:"
                        << QTextToSpeech::availableEngines();
    } else {
        m_thread = new QThread;
        m_thread->setObjectName(QStringLiteral("voice"));
        m_worker = new Worker(m_options.engine, m_options.volumePercent);
        m_worker->volume = m_options.volumePercent;
        m_worker->moveToThread(m_thread);
        connect(m_thread, &QThread::started, m_worker, &Worker::start);
        connect(m_worker, &Worker::availabilityChanged, this, [this](bool on) {
            if (on != m_available) {
                m_available = on;
                Q_EMIT availableChanged();
            }
        });
        m_thread->start();
    }
    connect(m_session, &EvaluationSession::stateChanged, this, &Voice::onStateChanged);
    connect(m_session, &EvaluationSession::idleRemainingChanged, this, &Voice::onIdleRemainingChanged);
    connect(m_app, &AppController::elderlyModeChanged, this, [this] {
        speak(m_app->elderlyMode() ? promptText(m_session->state()) : QString());
    });
}

Voice::~Voice()
{
    if (!m_thread)
        return;
    QMetaObject::invokeMethod(m_worker, &Worker::finish, Qt::QueuedConnection);
    m_thread->quit();
    if (m_thread->wait(2000)) {
        delete m_worker;
        delete m_thread;
    } else {
        // The engine is stuck in a call that never returns: leave the thread to the process exit
        // rather than block the GUI thread or destroy a running thread.
        qCWarning(lcVoice) << "speech thread did not stop; leaving it";
    }
}

bool Voice::available() const { return m_available; }

void Voice::setVolumePercent(int percent)
{
    m_options.volumePercent = qBound(0, percent, 100);
    if (m_worker) {
        QMutexLocker lock(&m_worker->mutex);
        m_worker->volume = m_options.volumePercent;
    }
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
    case S::FollowUp: return tr("这是您反映问题的整改情况。您可以对整改结果进行评价。");
    }
    return {};
}

QString Voice::idleWarningText(int seconds)
{
    return tr("%1秒后返回首页。如需继续，请点“继续”。").arg(seconds);
}

void Voice::speak(const QString &text)
{
    if (!text.isEmpty()) {
        m_lastRequest = text;
        Q_EMIT requested(text);
    }
    post(text);
}

void Voice::stop() { post(QString()); }

void Voice::post(const QString &text)
{
    if (!m_worker)
        return;
    {
        QMutexLocker lock(&m_worker->mutex);
        const bool queued = m_worker->hasPending;
        m_worker->pending = text;
        m_worker->hasPending = true;
        if (queued)
            return; // a drain is already on its way and will take the newest text
    }
    QMetaObject::invokeMethod(m_worker, &Worker::drain, Qt::QueuedConnection);
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

#include "voice.moc"

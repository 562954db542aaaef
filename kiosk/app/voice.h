// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "evaluationsession.h"

#include <QObject>
#include <QString>

class QThread;

namespace hcp::kiosk {

class AppController;

// Spoken help (关怀模式): Mandarin speech through Qt TextToSpeech (speech-dispatcher with
// espeak-ng on Debian). A button held down speaks its text; in elderly mode every screen speaks
// its prompt (the same text the screen shows) and the idle warning is spoken once per countdown.
// No engine, an unknown engine name or speech-dispatcher not running: available() is false and
// every request is dropped silently — nothing is ever shown to the citizen about it.
// Threading: the API is GUI-thread only. The engine lives on its own thread, because a
// speech-dispatcher that accepts the connection but never answers (seen with no audio device)
// blocks its caller: the GUI thread only hands over the latest text, never waits, and requests
// made while the engine is stuck collapse into one. Session and app outlive the Voice.
class Voice : public QObject {
    Q_OBJECT
    Q_PROPERTY(bool available READ available NOTIFY availableChanged)
    // What the kiosk last meant to say (even when silent): lets tests and logs see the prompts.
    Q_PROPERTY(QString lastRequest READ lastRequest NOTIFY requested)
public:
    struct Options {
        QString engine = QStringLiteral("speechd"); // a QTextToSpeech engine name
        int volumePercent = 80;                     // 0…100, from configuration (voiceVolume)
        bool enabled = true;                        // voiceEnabled in configuration
    };

    Voice(EvaluationSession *session, AppController *app, const Options &options, QObject *parent = nullptr);
    ~Voice() override;

    bool available() const;
    QString lastRequest() const { return m_lastRequest; }
    int volumePercent() const { return m_options.volumePercent; }
    void setVolumePercent(int percent);

    // The spoken prompt of a screen: the screen's own title plus, where it helps, what to do.
    static QString promptText(EvaluationSession::State state);
    // The idle warning spoken in elderly mode (seconds left).
    static QString idleWarningText(int seconds);

    Q_INVOKABLE QString prompt(int state) const { return promptText(EvaluationSession::State(state)); }

public Q_SLOTS:
    // Interrupts whatever is being said. Empty text stops speaking.
    void speak(const QString &text);
    void stop();

Q_SIGNALS:
    void availableChanged();
    void requested(const QString &text);

private:
    void onStateChanged();
    void onIdleRemainingChanged();

    EvaluationSession *m_session;
    AppController *m_app;
    Options m_options;
    void post(const QString &text);

    class Worker;
    QThread *m_thread = nullptr;  // left running (and leaked) at exit if the engine is stuck
    Worker *m_worker = nullptr;   // lives on m_thread
    bool m_available = false;     // as last reported by the worker
    QString m_lastRequest;
    bool m_warned = false;
};

} // namespace hcp::kiosk

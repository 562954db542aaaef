// SPDX-License-Identifier: Apache-2.0
// Voice help: the kiosk's own prompt texts, rendered by espeak-ng's Mandarin voice, are audible
// (RMS and peak of the PCM samples); an engine that does not exist leaves the kiosk silent and
// unharmed.
#include "appcontroller.h"
#include "casedirectory.h"
#include "evaluationsession.h"
#include "satisfaction.h"
#include "store.h"
#include "voice.h"

#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QtEndian>

#include <cmath>

using namespace hcp::kiosk;

namespace {

struct Pcm {
    int sampleRate = 0;
    QList<qint16> samples;
    double rms() const
    {
        if (samples.isEmpty())
            return 0;
        double sum = 0;
        for (qint16 s : samples)
            sum += double(s) * s;
        return std::sqrt(sum / samples.size());
    }
    int peak() const
    {
        int p = 0;
        for (qint16 s : samples)
            p = qMax(p, std::abs(int(s)));
        return p;
    }
    double seconds() const { return sampleRate ? double(samples.size()) / sampleRate : 0; }
};

// RIFF/WAVE, PCM 16-bit mono (what espeak-ng writes); chunks walked, not assumed at offsets.
bool readWav(const QString &path, Pcm *out, QString *why)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        *why = f.errorString();
        return false;
    }
    const QByteArray b = f.readAll();
    if (b.size() < 12 || !b.startsWith("RIFF") || b.mid(8, 4) != "WAVE") {
        *why = QStringLiteral("not a RIFF/WAVE file (%1 bytes)").arg(b.size());
        return false;
    }
    int bits = 0, channels = 0;
    qsizetype pos = 12;
    while (pos + 8 <= b.size()) {
        const QByteArray id = b.mid(pos, 4);
        quint32 len = qFromLittleEndian<quint32>(b.constData() + pos + 4);
        const qsizetype body = pos + 8;
        if (id == "fmt ") {
            channels = qFromLittleEndian<quint16>(b.constData() + body + 2);
            out->sampleRate = int(qFromLittleEndian<quint32>(b.constData() + body + 4));
            bits = qFromLittleEndian<quint16>(b.constData() + body + 14);
        } else if (id == "data") {
            if (bits != 16 || channels != 1) {
                *why = QStringLiteral("expected 16-bit mono, got %1-bit %2 channels").arg(bits).arg(channels);
                return false;
            }
            // espeak-ng writing to a file it cannot seek may leave the length as 0x7fffffff.
            len = quint32(qMin<qsizetype>(len, b.size() - body));
            for (quint32 i = 0; i + 1 < len; i += 2)
                out->samples.append(qFromLittleEndian<qint16>(b.constData() + body + i));
            return true;
        }
        pos = body + len + (len & 1);
    }
    *why = QStringLiteral("no data chunk");
    return false;
}

Pcm render(const QString &text)
{
    Pcm pcm;
    const QString espeak = QStandardPaths::findExecutable(QStringLiteral("espeak-ng"));
    if (espeak.isEmpty()) {
        qWarning("espeak-ng is not installed (deploy/setup.sh installs it)");
        return pcm;
    }
    QTemporaryDir dir;
    const QString wav = dir.filePath(QStringLiteral("prompt.wav"));
    QProcess p;
    p.start(espeak, {QStringLiteral("-v"), QStringLiteral("cmn"), QStringLiteral("-w"), wav, text});
    if (!p.waitForFinished(30000) || p.exitCode() != 0) {
        qWarning() << "espeak-ng failed:" << p.readAllStandardError();
        return pcm;
    }
    QString why;
    if (!readWav(wav, &pcm, &why))
        qWarning() << "bad WAV:" << why;
    return pcm;
}

} // namespace

class TestVoice : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void promptsAndLevelNames_renderWithMandarinVoice_areNotSilent_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("rate prompt") << Voice::promptText(EvaluationSession::State::Rate);
        QTest::newRow("start prompt") << Voice::promptText(EvaluationSession::State::Start);
        QTest::newRow("idle warning") << Voice::idleWarningText(10);
        for (int level = 5; level >= 1; --level)
            QTest::newRow(qPrintable(QStringLiteral("level %1").arg(level))) << satisfactionText(level);
    }
    void promptsAndLevelNames_renderWithMandarinVoice_areNotSilent()
    {
        QFETCH(QString, text);
        QVERIFY(!text.isEmpty());
        const Pcm pcm = render(text);
        qInfo().noquote() << QStringLiteral("%1: %2 s, RMS %3, peak %4").arg(text).arg(pcm.seconds(), 0, 'f', 2)
                                 .arg(pcm.rms(), 0, 'f', 0).arg(pcm.peak());
        QVERIFY2(pcm.sampleRate > 0, "no audio rendered");
        // Speech, not a click: at least ~0.3 s per level name, clearly above the noise floor.
        QVERIFY(pcm.seconds() >= 0.3);
        QVERIFY2(pcm.rms() >= 300, qPrintable(QStringLiteral("RMS %1").arg(pcm.rms())));
        QVERIFY2(pcm.peak() >= 3000, qPrintable(QStringLiteral("peak %1").arg(pcm.peak())));
    }

    // The measure itself tells silence from speech: a pause-only text stays below the thresholds.
    void silence_measuresBelowThresholds()
    {
        const Pcm pcm = render(QStringLiteral(" "));
        QVERIFY(pcm.rms() < 300);
    }

    void unknownEngine_staysSilent_requestsAreKept()
    {
        QStandardPaths::setTestModeEnabled(true);
        QTemporaryDir dir;
        Store store;
        QVERIFY(store.open(dir.filePath(QStringLiteral("v.sqlite"))));
        CaseDirectory directory(&store);
        EvaluationSession session(&store, &directory);
        AppController app(&session);
        Voice voice(&session, &app, Voice::Options{QStringLiteral("no-such-engine"), 50, true});
        QVERIFY(!voice.available());
        QSignalSpy spy(&voice, &Voice::requested);
        voice.speak(QStringLiteral("非常满意"));
        QCOMPARE(spy.count(), 1);
        QCOMPARE(voice.lastRequest(), QStringLiteral("非常满意"));
        // Elderly mode: each screen asks for its prompt.
        app.setElderlyMode(true);
        QCOMPARE(voice.lastRequest(), Voice::promptText(EvaluationSession::State::Start));
        session.beginTypedLookup();
        QCOMPARE(voice.lastRequest(), Voice::promptText(EvaluationSession::State::TypeCaseNumber));
        // Outside elderly mode screens are quiet.
        app.setElderlyMode(false);
        const int asked = spy.count();
        session.back();
        session.beginTypedLookup();
        QCOMPARE(spy.count(), asked);
        voice.setVolumePercent(140);
        QCOMPARE(voice.volumePercent(), 100);
    }

    // The real engine (speech-dispatcher): working, down, or accepting connections but never
    // answering (no audio device) — speaking never blocks the GUI thread.
    void realEngine_speakNeverBlocksTheCaller()
    {
        QTemporaryDir dir;
        Store store;
        QVERIFY(store.open(dir.filePath(QStringLiteral("v.sqlite"))));
        CaseDirectory directory(&store);
        EvaluationSession session(&store, &directory);
        AppController app(&session);
        QElapsedTimer t;
        t.start();
        {
            Voice voice(&session, &app, Voice::Options{QStringLiteral("speechd"), 10, true});
            QVERIFY(t.elapsed() < 500);
            for (int i = 0; i < 20; ++i) {
                QElapsedTimer call;
                call.start();
                voice.speak(satisfactionText(1 + i % 5));
                QVERIFY2(call.elapsed() < 50, qPrintable(QStringLiteral("speak() took %1 ms").arg(call.elapsed())));
            }
            // Fixed on purpose: the voice is destroyed while the engine still holds (or never answers) the queued speech.
            QTest::qWait(300);
        }
        // Destruction gives a stuck engine at most two seconds.
        QVERIFY2(t.elapsed() < 5000, qPrintable(QStringLiteral("%1 ms").arg(t.elapsed())));
    }

    void disabledByConfiguration_isNotAvailable()
    {
        QTemporaryDir dir;
        Store store;
        QVERIFY(store.open(dir.filePath(QStringLiteral("v.sqlite"))));
        CaseDirectory directory(&store);
        EvaluationSession session(&store, &directory);
        AppController app(&session);
        Voice voice(&session, &app, Voice::Options{QStringLiteral("speechd"), 50, false});
        QVERIFY(!voice.available());
    }
};

QTEST_GUILESS_MAIN(TestVoice)
#include "tst_voice.moc"

// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "idcarddata.h"
#include "samlink.h"
#include "samprotocol.h"

#include <QList>
#include <QObject>

#include <functional>
#include <memory>
#include <mutex>
#include <optional>

class QSocketNotifier;

namespace hcp::hardware {

class FakeTransport;

// A behavioural ID-card reader: the far side of a FakeTransport or of a pseudo-terminal, speaking
// the real SAM_V byte protocol (§1.2–1.6), with injectable failure modes. Used by tests and by the
// demo (--simulate-hardware). State is guarded by a mutex: with a FakeTransport, requests are
// answered on the caller's (service worker) thread; with a pty, on the thread this object lives in
// (it needs that thread's event loop).
class IdCardSimulator : public QObject {
    Q_OBJECT
public:
    enum class FailureMode {
        None,
        NoCard,             // find always answers 80 (no card), even with a card inserted
        CardRemovedMidRead, // the read answers 41 (card read failed) and the card is gone afterwards
        BadChecksum,        // every reply carries a wrong CHK
        GarbageBytes,       // line noise (incl. false preambles) before each reply, sent in small chunks
        SlowDevice,         // every reply is delayed by slowDelayMs()
        Unplugged,          // the device vanishes: the fake transport reports NoDevice, the pty closes
                            // (leaving Unplugged replugs the fake; a pty needs openPty() again)
    };
    Q_ENUM(FailureMode)

    explicit IdCardSimulator(QObject *parent = nullptr);
    ~IdCardSimulator() override;

    void insertCard(const IdCardData &data);
    void removeCard();
    bool hasCard() const;
    void setFailureMode(FailureMode mode);
    FailureMode failureMode() const;
    void setSlowDelayMs(int ms);
    int slowDelayMs() const;

    // Answers requests written to `transport` (borrowed; must outlive the attachment or be detached).
    void attach(FakeTransport *transport, SamLink::Framing framing);
    void detach();
    // For the demo (--simulate-hardware): a factory for IdCardService whose transports all reach
    // this simulator through one internal FakeTransport. The simulator must outlive the service.
    std::function<std::unique_ptr<Transport>()> transportFactory(SamLink::Framing framing);
    // Opens a pty pair and serves the master side; returns the slave path for a SerialTransport,
    // or an empty string on failure.
    QString openPty();
    void closePty();

    // Pure request → reply bytes (the stream form, before failure-mode transport effects).
    QByteArray reply(const QByteArray &requestFrame);

    // Every request the simulator understood, as CMD<<8|Para, in order.
    QList<quint16> commandLog() const;
    void clearCommandLog();

    // The synthetic person of reference §1.6 (李华, 11010519491231002X).
    static IdCardData sampleResident();

signals:
    void requestHandled(quint16 command);

private:
    QByteArray replyLocked(const QByteArray &requestFrame);
    QByteArray applyFailureLocked(QByteArray reply);
    void onFakeWrite(const QByteArray &bytes, int channel);
    void onPtyReadable();

    mutable std::mutex m_mutex;
    std::optional<IdCardData> m_card;
    bool m_found = false;
    bool m_selected = false;
    FailureMode m_mode = FailureMode::None;
    int m_slowDelayMs = 400;
    quint32 m_noiseSeed = 0x2545F491;
    QList<quint16> m_log;

    FakeTransport *m_fake = nullptr;
    std::unique_ptr<FakeTransport> m_ownedFake;
    SamLink::Framing m_fakeFraming = SamLink::Framing::Stream;
    QByteArray m_usbHeader;
    SamReassembler m_rx;

    int m_ptyMaster = -1;
    int m_ptySlave = -1;
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace hcp::hardware

// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "hardware/devicestate.h"
#include "hardware/transport.h"
#include "idcarddata.h"
#include "samlink.h"

#include <QObject>
#include <QThread>

#include <functional>
#include <memory>

namespace hcp::hardware {

class IdCardWorker;

// Reads 二代证-family cards: find (20 01) → select (20 02) → read (30 01) → parse the text block.
// Lives in the caller's (GUI) thread; every blocking transport call runs on a private worker
// thread, and all signals are delivered in the thread this object lives in.
// The reader is polled ONLY while polling is enabled (an identify screen is up); the transport is
// opened when polling starts, reopened after failures (automatic reconnect) and always closed
// when polling stops, on unplug and on destruction. The card photo is dropped inside the worker:
// it is never stored or emitted.
class IdCardService : public QObject {
    Q_OBJECT
public:
    // Called on the worker thread whenever a transport is needed; the service owns the result.
    using TransportFactory = std::function<std::unique_ptr<Transport>()>;

    struct Timing {
        int pollIntervalMs = 300;     // between find attempts while polling
        int absentPollIntervalMs = 3000; // while no reader is attached (hotplug reconnects at once)
        int commandTimeoutMs = 1000;  // find/select; a SAM answers in well under 500 ms
        int readTimeoutMs = 3000;     // 30 01 moves 1295 bytes over RF, ~1 s on real readers
    };

    IdCardService(TransportFactory factory, SamLink::Framing framing, QObject *parent = nullptr);
    ~IdCardService() override;

    // USB SAM module 0400:c35a with its two endpoint pairs (§1.1).
    static TransportFactory usbFactory();
    // CDC-ACM / USB-serial reader at 115200 8N1.
    static TransportFactory serialFactory(const QString &portName, qint32 baudRate = 115200);

    void setTiming(const Timing &timing);   // call before enabling polling
    bool isPolling() const { return m_polling; }
    DeviceState state() const { return m_state; }
    QString stateReason() const { return m_reason; }

public slots:
    void setPolling(bool enabled);
    // One find/select/read cycle now, even with polling off (diagnostics "test-read"); the result
    // arrives as cardRead or errorOccurred, then readOnceFinished.
    void readOnce();
    // Drops the transport and opens a fresh one on the next cycle (hotplug arrival).
    void reconnect();

signals:
    void cardRead(const hcp::hardware::IdCardData &card);
    // The card that was read has left the reader (find answered "no card").
    void cardRemoved();
    void stateChanged(hcp::hardware::DeviceState state, const QString &reason);
    // A failed read, in Chinese for the screen; the English detail goes to the log.
    void errorOccurred(const QString &message);
    void pollingChanged(bool enabled);
    void readOnceFinished(bool ok);

private:
    void onWorkerState(DeviceState state, const QString &reason);

    QThread m_thread;
    IdCardWorker *m_worker = nullptr;   // lives on m_thread; deleted after the thread stops
    bool m_polling = false;
    DeviceState m_state = DeviceState::Absent;
    QString m_reason;
};

} // namespace hcp::hardware

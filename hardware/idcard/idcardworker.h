// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "hardware/devicestate.h"
#include "hardware/transport.h"
#include "idcarddata.h"
#include "idcardservice.h"
#include "samlink.h"

#include <QObject>

#include <memory>

class QTimer;

namespace hcp::hardware {

// Internal to IdCardService: the reader session on the worker thread. All members are touched
// only on that thread (slots are invoked through queued connections).
class IdCardWorker : public QObject {
    Q_OBJECT
public:
    IdCardWorker(IdCardService::TransportFactory factory, SamLink::Framing framing);
    ~IdCardWorker() override;

public slots:
    void setTiming(const hcp::hardware::IdCardService::Timing &timing);
    void setPolling(bool enabled);
    void readOnce();
    void reconnect();
    void shutdown();

signals:
    void cardRead(const hcp::hardware::IdCardData &card);
    void cardRemoved();
    void stateChanged(hcp::hardware::DeviceState state, const QString &reason);
    void errorOccurred(const QString &message);
    void readOnceFinished(bool ok);

private:
    enum class CycleResult { Card, NoCard, Failed, Absent };
    CycleResult cycle(bool forceEmit);
    void poll();
    bool ensureOpen();
    void closeTransport();
    void setState(DeviceState state, const QString &reason);
    // Maps a failed exchange to state + message; closes the transport when it is unusable.
    CycleResult linkFailure(const SamLink::Result &r, const char *phase);
    CycleResult samFailure(quint8 sw3, const char *phase);

    IdCardService::TransportFactory m_factory;
    SamLink::Framing m_framing;
    IdCardService::Timing m_timing;
    std::unique_ptr<Transport> m_transport;
    std::unique_ptr<SamLink> m_link;
    QTimer *m_timer = nullptr;
    QString m_presentCardId;    // the card last emitted and still on the reader
    DeviceState m_state = DeviceState::Absent;
    QString m_reason;
};

} // namespace hcp::hardware

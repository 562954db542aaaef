// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "hidposparser.h"
#include "scannerservice.h"
#include "wedgedecoder.h"

#include <QElapsedTimer>
#include <QObject>

class QTimer;

namespace hcp::hardware {

// Internal to ScannerService: the read loop on the worker thread. Each loop step blocks in the
// transport for at most kReadSliceMs so stop() and wedge timeouts are handled promptly.
class ScannerWorker : public QObject {
    Q_OBJECT
public:
    ScannerWorker(ScannerService::TransportFactory factory, ScannerService::Mode mode,
                  const ScannerService::Options &options);
    ~ScannerWorker() override;

public slots:
    void start();
    void stop();
    void reconnect();

signals:
    void scanned(const QByteArray &payload);
    void stateChanged(hcp::hardware::DeviceState state, const QString &reason);

private:
    static constexpr int kReadSliceMs = 40;  // < wedgeTimeoutMs, so suffix-less scans end on time
    void step();
    bool ensureOpen();
    void closeTransport();
    void setState(DeviceState state, const QString &reason);

    ScannerService::TransportFactory m_factory;
    ScannerService::Mode m_mode;
    ScannerService::Options m_options;
    std::unique_ptr<Transport> m_transport;
    WedgeDecoder m_wedge;
    HidPosParser m_hid;
    QElapsedTimer m_clock;
    QTimer *m_timer = nullptr;
    bool m_running = false;
    DeviceState m_state = DeviceState::Absent;
    QString m_reason;
};

} // namespace hcp::hardware

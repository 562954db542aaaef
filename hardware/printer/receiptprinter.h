// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "escpos.h"
#include "receipt.h"

#include <QMutex>
#include <QObject>

#include <functional>
#include <memory>

class QThread;

namespace hcp::hardware {

class Transport;
class ReceiptPrinterWorker;

// Receipt printer service. Owns a worker thread that runs every printer session; all public
// methods are thread-safe and return at once (print jobs queue up and run one at a time).
// Each job: open the transport if needed, read DLE EOT 1..4, refuse with failed() when the
// printer is not ready, send the ESC/POS job, then read the status again so that paper running
// out mid-receipt is reported as a failure. Results arrive as signals in the thread that owns
// this object.
class ReceiptPrinter : public QObject {
    Q_OBJECT
    Q_PROPERTY(hcp::hardware::PrinterStatus status READ status NOTIFY statusChanged)
public:
    enum class Failure {
        PaperOut,       // paper end (before or during the job)
        CoverOpen,
        Offline,        // printer reports offline for another reason
        CutterError,    // autocutter / unrecoverable error
        Unplugged,      // transport cannot be opened or the device went away
        NoResponse,     // no DLE EOT reply (unidirectional printer or hung firmware)
        Timeout,        // bulk OUT did not complete in time
        IoError,        // any other transport failure
        InvalidReceipt, // nothing printable (e.g. QR payload too large for every fallback)
    };
    Q_ENUM(Failure)

    // Creates the transport on the worker thread, on first use and again after an unplug.
    // The lead wires hw-idcard's UsbTransport (interface class 7) here; tests pass a fake.
    using TransportFactory = std::function<std::unique_ptr<Transport>()>;

    explicit ReceiptPrinter(TransportFactory factory, QObject *parent = nullptr);
    ~ReceiptPrinter() override;  // finishes the running job, closes the transport, joins

    void setLayout(const Receipt::Layout &layout);
    // How long to wait for each DLE EOT reply. Default 500 ms: printers answer real-time
    // requests within a few ms, even while busy.
    void setStatusTimeoutMs(int ms);

    // Unidirectional printers (USB protocol 1) cannot answer DLE EOT. With requireStatus
    // false (default true) a job whose status queries get no reply is printed blind and
    // reported printed(); paper or cover problems then go unnoticed.
    void setRequireStatus(bool require);

    // Queues a receipt; returns its job id (> 0), used in printed()/failed().
    quint64 print(const Receipt &receipt);
    // Queues a status query (diagnostics page). Emits statusChanged() if it changed and
    // statusQueryFailed() when the printer does not answer.
    void refreshStatus();

    PrinterStatus status() const;
    static QString failureText(Failure f);  // tr()'d, for the diagnostics page

signals:
    void printed(quint64 jobId);
    void failed(quint64 jobId, hcp::hardware::ReceiptPrinter::Failure reason, const QString &detail);
    void statusChanged(const hcp::hardware::PrinterStatus &status);
    void statusQueryFailed(hcp::hardware::ReceiptPrinter::Failure reason, const QString &detail);

private:
    friend class ReceiptPrinterWorker;
    void storeStatus(const PrinterStatus &s);

    QThread *m_thread = nullptr;
    QObject m_context;                         // moved to m_thread; target of queued work
    ReceiptPrinterWorker *m_worker = nullptr;  // used on m_thread only, deleted there
    mutable QMutex m_mutex;                    // guards m_status, m_layout, m_nextJob
    PrinterStatus m_status;
    Receipt::Layout m_layout;
    quint64 m_nextJob = 1;
};

} // namespace hcp::hardware

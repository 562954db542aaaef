// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "transport.h"

#include <QByteArray>
#include <QMutex>
#include <QSet>

#include <memory>

namespace hcp::hardware {

class FakeTransport;

// Behavioural ESC/POS printer on the far side of FakeTransports, for tests and for the demo
// (--simulate-hardware). It parses the host's byte stream command by command (split writes
// are fine), answers DLE EOT 1..4 on the transport's receive queue from its failure mode,
// keeps what it would have printed, and drops print data while paper is out, the cover is
// open or it is offline (as a real printer does once it stops).
//
// Thread-safety: all methods may be called from any thread; the transports call back into
// the simulator on the service's worker thread. The simulator must outlive its transports.
class PrinterSimulator {
public:
    enum class Mode {
        Ready,
        PaperNearEnd,   // prints, DLE EOT 4 reports near end
        PaperOut,
        CoverOpen,
        Offline,
        CutterError,
        NoStatusReply,  // unidirectional printer: prints, never answers DLE EOT
        Unplugged,      // transfers fail with NoDevice, open() fails
    };

    PrinterSimulator();
    ~PrinterSimulator();
    PrinterSimulator(const PrinterSimulator &) = delete;
    PrinterSimulator &operator=(const PrinterSimulator &) = delete;

    // A new transport connected to this printer; pass as ReceiptPrinter's factory:
    //   ReceiptPrinter p([&sim] { return sim.createTransport(); });
    std::unique_ptr<Transport> createTransport();

    void setMode(Mode mode);
    Mode mode() const;
    // Paper runs out after this many more print-data bytes (mode becomes PaperOut); -1 = never.
    void setPaperRunsOutAfter(qsizetype bytes);

    // Print data accepted so far (ESC/POS commands other than real-time status requests).
    QByteArray printedData() const;
    void clearPrinted();
    int cutCount() const;
    int statusRequestCount() const;
    // The reply this printer gives to DLE EOT n in its current mode.
    quint8 statusByte(int n) const;

    // Transport-agnostic core: takes bytes the host sent, returns what the printer sends back
    // (status replies). Used by the FakeTransports above and by USB-level emulations
    // (umockdev) that answer on the bulk IN endpoint.
    QByteArray consume(const QByteArray &hostBytes);

private:
    friend class SimulatedPrinterTransport;
    void hostWrote(FakeTransport *t, const QByteArray &bytes);
    void detach(FakeTransport *t);
    quint8 statusByteLocked(int n) const;
    void applyPlugStateLocked();

    mutable QMutex m_mutex;
    Mode m_mode = Mode::Ready;
    qsizetype m_paperLeft = -1;
    QByteArray m_pending;   // incomplete command carried over between writes
    QByteArray m_printed;
    int m_cuts = 0;
    int m_statusRequests = 0;
    QSet<FakeTransport *> m_transports;
};

} // namespace hcp::hardware

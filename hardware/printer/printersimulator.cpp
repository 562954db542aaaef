// SPDX-License-Identifier: Apache-2.0
#include "printersimulator.h"

#include "escpos.h"
#include "faketransport.h"

namespace hcp::hardware {

// A FakeTransport that unregisters from its simulator when the service drops it.
class SimulatedPrinterTransport : public FakeTransport {
public:
    explicit SimulatedPrinterTransport(PrinterSimulator *sim)
        : FakeTransport(QStringLiteral("simulated ESC/POS printer")), m_sim(sim) {}
    ~SimulatedPrinterTransport() override { m_sim->detach(this); }

private:
    PrinterSimulator *m_sim;
};

PrinterSimulator::PrinterSimulator() = default;

PrinterSimulator::~PrinterSimulator()
{
    QMutexLocker lock(&m_mutex);
    Q_ASSERT_X(m_transports.isEmpty(), "PrinterSimulator", "destroyed before its transports");
}

std::unique_ptr<Transport> PrinterSimulator::createTransport()
{
    auto t = std::make_unique<SimulatedPrinterTransport>(this);
    FakeTransport *raw = t.get();
    t->setWriteHandler([this, raw](const QByteArray &bytes, int) { hostWrote(raw, bytes); });
    QMutexLocker lock(&m_mutex);
    m_transports.insert(raw);
    applyPlugStateLocked();
    return t;
}

void PrinterSimulator::detach(FakeTransport *t)
{
    QMutexLocker lock(&m_mutex);
    m_transports.remove(t);
}

void PrinterSimulator::applyPlugStateLocked()
{
    const bool plugged = m_mode != Mode::Unplugged;
    for (FakeTransport *t : std::as_const(m_transports)) {
        t->setPresent(plugged);
        if (plugged)
            t->clearError();
        else
            t->injectError(TransportStatus::NoDevice, -1, QStringLiteral("LIBUSB_ERROR_NO_DEVICE (simulated unplug)"));
    }
}

void PrinterSimulator::setMode(Mode mode)
{
    QMutexLocker lock(&m_mutex);
    m_mode = mode;
    applyPlugStateLocked();
}

PrinterSimulator::Mode PrinterSimulator::mode() const
{
    QMutexLocker lock(&m_mutex);
    return m_mode;
}

void PrinterSimulator::setPaperRunsOutAfter(qsizetype bytes)
{
    QMutexLocker lock(&m_mutex);
    m_paperLeft = bytes;
}

QByteArray PrinterSimulator::printedData() const
{
    QMutexLocker lock(&m_mutex);
    return m_printed;
}

void PrinterSimulator::clearPrinted()
{
    QMutexLocker lock(&m_mutex);
    m_printed.clear();
    m_cuts = 0;
}

int PrinterSimulator::cutCount() const
{
    QMutexLocker lock(&m_mutex);
    return m_cuts;
}

int PrinterSimulator::statusRequestCount() const
{
    QMutexLocker lock(&m_mutex);
    return m_statusRequests;
}

quint8 PrinterSimulator::statusByte(int n) const
{
    QMutexLocker lock(&m_mutex);
    return statusByteLocked(n);
}

quint8 PrinterSimulator::statusByteLocked(int n) const
{
    const bool paperOut = m_mode == Mode::PaperOut;
    const bool cover = m_mode == Mode::CoverOpen;
    const bool cutter = m_mode == Mode::CutterError;
    const bool offline = paperOut || cover || cutter || m_mode == Mode::Offline;
    quint8 b = 0x12;  // fixed bits of every real-time status reply
    switch (n) {
    case 1: b |= offline ? 0x08 : 0; break;
    case 2: b |= (cover ? 0x04 : 0) | (paperOut ? 0x20 : 0) | (cutter ? 0x40 : 0); break;
    case 3: b |= cutter ? 0x08 : 0; break;
    case 4: b |= (m_mode == Mode::PaperNearEnd ? 0x0C : 0) | (paperOut ? 0x60 : 0); break;
    default: break;
    }
    return b;
}

void PrinterSimulator::hostWrote(FakeTransport *t, const QByteArray &bytes)
{
    const QByteArray reply = consume(bytes);
    if (!reply.isEmpty())
        t->feedReceived(reply);
}

QByteArray PrinterSimulator::consume(const QByteArray &bytes)
{
    QByteArray reply;
    {
        QMutexLocker lock(&m_mutex);
        m_pending.append(bytes);
        qsizetype pos = 0;
        for (;;) {
            const qsizetype len = EscPos::commandLength(m_pending, pos);
            if (len == 0)
                break;
            const QByteArray cmd = m_pending.mid(pos, len);
            pos += len;
            if (len == 3 && cmd.at(0) == 0x10 && cmd.at(1) == 0x04) {
                ++m_statusRequests;
                // Real-time requests are answered even while stopped.
                if (m_mode != Mode::NoStatusReply)
                    reply.append(char(statusByteLocked(quint8(cmd.at(2)))));
                continue;
            }
            const bool stopped = m_mode == Mode::PaperOut || m_mode == Mode::CoverOpen
                || m_mode == Mode::Offline || m_mode == Mode::CutterError;
            if (stopped)
                continue;
            if (cmd.size() >= 2 && cmd.at(0) == 0x1D && cmd.at(1) == 'V')
                ++m_cuts;
            m_printed.append(cmd);
            if (m_paperLeft >= 0) {
                m_paperLeft -= cmd.size();
                if (m_paperLeft <= 0) {
                    m_mode = Mode::PaperOut;
                    m_paperLeft = -1;
                }
            }
        }
        m_pending.remove(0, pos);
    }
    return reply;
}

} // namespace hcp::hardware

// SPDX-License-Identifier: Apache-2.0
#include "samlink.h"

#include <QDeadlineTimer>

namespace hcp::hardware {

SamLink::SamLink(Transport *transport, Framing framing)
    : m_transport(transport)
    , m_framing(framing)
{
}

qsizetype SamLink::drain(int quietMs)
{
    qsizetype dropped = 0;
    const int channels = m_framing == Framing::UsbTwoPipe ? 2 : 1;
    for (int channel = 0; channel < channels; ++channel) {
        // Bounded: a device that streams endlessly must not stall the worker.
        for (int i = 0; i < 64; ++i) {
            const TransferResult r = m_transport->read(4096, quietMs, channel);
            dropped += r.data.size();
            if (r.data.isEmpty() || !r.ok())
                break;
        }
    }
    m_reassembler.clear();
    return dropped;
}

SamLink::Result SamLink::transportError(const TransferResult &t, const char *phase)
{
    Result r;
    r.transportStatus = t.status;
    r.error = t.status == TransportStatus::Timeout ? Error::Timeout : Error::Transport;
    r.detail = QStringLiteral("%1: %2 (%3)").arg(QLatin1String(phase), transportStatusText(t.status), t.detail);
    return r;
}

SamLink::Result SamLink::exchange(const QByteArray &requestFrame, int timeoutMs)
{
    return m_framing == Framing::Stream ? exchangeStream(requestFrame, timeoutMs)
                                        : exchangeUsb(requestFrame, timeoutMs);
}

SamLink::Result SamLink::exchangeStream(const QByteArray &requestFrame, int timeoutMs)
{
    // A reply left over from an exchange that timed out must not be taken for this one's.
    m_reassembler.clear();
    QDeadlineTimer deadline(timeoutMs);
    const TransferResult w = m_transport->write(requestFrame, timeoutMs, 0);
    if (!w.ok())
        return transportError(w, "write");
    for (;;) {
        while (auto item = m_reassembler.next()) {
            if (item->kind == SamReassembler::Kind::BadChecksum) {
                Result r;
                r.error = Error::BadChecksum;
                r.detail = QStringLiteral("reply frame with bad checksum (%1 bytes)").arg(item->frame.size());
                m_reassembler.clear();
                return r;
            }
            SamProtocol::ParseError pe;
            auto resp = SamProtocol::parseResponse(item->frame, &pe);
            Result r;
            if (!resp) {
                r.error = Error::BadFrame;
                r.detail = SamProtocol::parseErrorText(pe);
                return r;
            }
            r.response = *resp;
            return r;
        }
        if (deadline.hasExpired()) {
            TransferResult t;
            t.status = TransportStatus::Timeout;
            t.detail = QStringLiteral("no complete reply within %1 ms (%2 bytes buffered)")
                           .arg(timeoutMs).arg(m_reassembler.buffered());
            return transportError(t, "read");
        }
        const TransferResult rd = m_transport->read(4096, int(qMax<qint64>(1, deadline.remainingTime())), 0);
        if (rd.status == TransportStatus::Timeout && rd.data.isEmpty())
            continue;   // loop re-checks the deadline
        if (!rd.data.isEmpty())
            m_reassembler.feed(rd.data);
        if (!rd.ok() && rd.status != TransportStatus::Timeout)
            return transportError(rd, "read");
    }
}

SamLink::Result SamLink::exchangeUsb(const QByteArray &requestFrame, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    auto remaining = [&] { return int(qMax<qint64>(1, deadline.remainingTime())); };
    TransferResult w = m_transport->write(requestFrame.left(SamProtocol::HeaderSize), remaining(), 0);
    if (!w.ok())
        return transportError(w, "write header (EP 0x02)");
    w = m_transport->write(requestFrame.mid(SamProtocol::HeaderSize), remaining(), 1);
    if (!w.ok())
        return transportError(w, "write body (EP 0x06)");

    // The header pipe delivers exactly the preamble and Len; the body pipe delivers Len bytes,
    // possibly over several bulk transfers.
    QByteArray header;
    while (header.size() < SamProtocol::HeaderSize) {
        const TransferResult rd = m_transport->read(SamProtocol::HeaderSize - int(header.size()), remaining(), 0);
        header.append(rd.data);
        if (!rd.ok() && header.size() < SamProtocol::HeaderSize)
            return transportError(rd, "read header (EP 0x81)");
    }
    const int total = SamProtocol::frameLengthFromHeader(header);
    if (total < 0) {
        Result r;
        r.error = Error::BadFrame;
        r.detail = QStringLiteral("bad reply header %1").arg(QString::fromLatin1(header.toHex(' ')));
        return r;
    }
    QByteArray frame = header;
    while (frame.size() < total) {
        const TransferResult rd = m_transport->read(total - int(frame.size()), remaining(), 1);
        frame.append(rd.data);
        if (!rd.ok() && frame.size() < total)
            return transportError(rd, "read body (EP 0x85)");
    }
    frame.truncate(total);
    SamProtocol::ParseError pe;
    auto resp = SamProtocol::parseResponse(frame, &pe);
    Result r;
    if (!resp) {
        r.error = pe == SamProtocol::ParseError::BadChecksum ? Error::BadChecksum : Error::BadFrame;
        r.detail = SamProtocol::parseErrorText(pe);
        return r;
    }
    r.response = *resp;
    return r;
}

} // namespace hcp::hardware

// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "hardware/transport.h"
#include "samprotocol.h"

namespace hcp::hardware {

// Carries SAM request/response frames over a Transport. Blocking; used on the service's worker
// thread only. The Transport is borrowed, not owned.
class SamLink {
public:
    enum class Framing {
        // Serial / CDC-ACM: whole frames on one byte stream, reassembled from arbitrary chunks.
        Stream,
        // USB SAM modules (0400:c35a): the 7-byte header goes out on channel 0 (EP 0x02) and the
        // rest on channel 1 (EP 0x06); replies arrive the same way (EP 0x81, then EP 0x85).
        UsbTwoPipe,
    };

    enum class Error { None, Transport, Timeout, BadChecksum, BadFrame };

    struct Result {
        Error error = Error::None;
        TransportStatus transportStatus = TransportStatus::Ok;
        SamResponse response;
        QString detail;
        bool ok() const { return error == Error::None; }
    };

    SamLink(Transport *transport, Framing framing);

    // Sends one request frame and waits up to timeoutMs for the matching response.
    Result exchange(const QByteArray &requestFrame, int timeoutMs);
    Result exchange(SamCommand command, int timeoutMs) { return exchange(SamProtocol::buildCommand(command), timeoutMs); }

    // Drops bytes still buffered from an earlier, abandoned exchange.
    void reset() { m_reassembler.clear(); }
    // Reads and discards whatever the device still has queued (a late reply to an exchange that
    // timed out before a reconnect), so it is not taken for the next reply. Returns the number of
    // bytes dropped. Each empty read costs up to quietMs.
    qsizetype drain(int quietMs = 5);
    Framing framing() const { return m_framing; }
    quint64 discardedBytes() const { return m_reassembler.discardedBytes(); }

private:
    Result exchangeStream(const QByteArray &requestFrame, int timeoutMs);
    Result exchangeUsb(const QByteArray &requestFrame, int timeoutMs);
    Result transportError(const TransferResult &t, const char *phase);

    Transport *m_transport;
    Framing m_framing;
    SamReassembler m_reassembler;
};

} // namespace hcp::hardware

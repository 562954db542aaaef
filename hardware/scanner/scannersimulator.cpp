// SPDX-License-Identifier: Apache-2.0
#include "scannersimulator.h"

#include "hardware/faketransport.h"
#include "wedgedecoder.h"

#include <cstring>

namespace hcp::hardware {

namespace {
constexpr quint16 kEvSyn = 0, kEvKey = 1, kLeftShift = 42;
} // namespace

ScannerSimulator::ScannerSimulator(ScannerService::Mode mode)
    : m_mode(mode)
{
}

ScannerSimulator::~ScannerSimulator() = default;

void ScannerSimulator::attach(FakeTransport *transport)
{
    m_transport = transport;
}

ScannerService::TransportFactory ScannerSimulator::transportFactory()
{
    if (!m_owned)
        m_owned = std::make_unique<FakeTransport>(QStringLiteral("simulated scanner"));
    attach(m_owned.get());
    FakeTransport *fake = m_owned.get();
    return [fake] { return fake->makeHandle(); };
}

QByteArray ScannerSimulator::inputEvent(quint16 type, quint16 code, qint32 value)
{
    QByteArray ev(WedgeDecoder::EventSize, '\0');   // timeval left zero
    std::memcpy(ev.data() + 16, &type, 2);
    std::memcpy(ev.data() + 18, &code, 2);
    std::memcpy(ev.data() + 20, &value, 4);
    return ev;
}

QByteArray ScannerSimulator::wedgeEvents(const QByteArray &text, bool enterSuffix)
{
    QByteArray out;
    auto key = [&](quint16 code, qint32 value) {
        out += inputEvent(kEvKey, code, value);
        out += inputEvent(kEvSyn, 0, 0);
    };
    for (char c : text) {
        const auto k = WedgeDecoder::keyFor(c);
        if (!k || c == '\n' || c == '\r')
            continue;
        if (k->second)
            key(kLeftShift, 1);
        key(k->first, 1);
        key(k->first, 0);
        if (k->second)
            key(kLeftShift, 0);
    }
    if (enterSuffix) {
        key(28, 1);
        key(28, 0);
    }
    return out;
}

void ScannerSimulator::scan(const QByteArray &payload, int delayMs)
{
    if (!m_transport)
        return;
    if (m_mode == ScannerService::Mode::HidPos) {
        for (const QByteArray &report : HidPosParser::buildReports(payload, m_aim))
            m_transport->feedReceived(report, 0, delayMs);
        return;
    }
    const QByteArray stream = wedgeEvents(payload, m_enterSuffix);
    if (m_chunk <= 0) {
        m_transport->feedReceived(stream, 0, delayMs);
        return;
    }
    for (qsizetype at = 0; at < stream.size(); at += m_chunk)
        m_transport->feedReceived(stream.mid(at, m_chunk), 0, delayMs);
}

void ScannerSimulator::unplug()
{
    if (m_transport)
        m_transport->setPresent(false);
}

void ScannerSimulator::replug()
{
    if (m_transport)
        m_transport->setPresent(true);
}

} // namespace hcp::hardware

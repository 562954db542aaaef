// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: HID-POS report parser and keyboard-wedge decoder.
#include "hardware/scanner/hidposparser.h"
#include "hardware/scanner/wedgedecoder.h"

#include <QByteArray>

#include <cstddef>
#include <cstdint>
#include <cstring>

using namespace hcp::hardware;

namespace {
void check(bool ok)
{
    if (!ok)
        __builtin_trap();
}

QByteArray keyEvent(quint16 code, qint32 value)
{
    QByteArray ev(WedgeDecoder::EventSize, '\0');
    const quint16 type = 1;
    std::memcpy(ev.data() + 16, &type, 2);
    std::memcpy(ev.data() + 18, &code, 2);
    std::memcpy(ev.data() + 20, &value, 4);
    return ev;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));
    if (input.isEmpty())
        return 0;
    const quint8 selector = quint8(input[0]);
    const QByteArray body = input.mid(1);

    // 1. HID-POS: arbitrary reports (64-byte slices and odd-sized ones) in both length modes.
    for (auto mode : {HidPosParser::LengthMode::ExcludesAimId, HidPosParser::LengthMode::IncludesAimId}) {
        HidPosParser parser(mode);
        const qsizetype slice = (selector & 1) ? HidPosParser::ReportSize : 1 + selector % 80;
        for (qsizetype at = 0; at < body.size(); at += slice) {
            if (const auto scan = parser.feedReport(body.mid(at, slice))) {
                check(scan->data.size() <= HidPosParser::MaxPayload);
                check(scan->aimId.size() == 3);
            }
        }
        // Round trip: what we build, we parse back exactly.
        const QByteArray payload = body.left(1000);
        HidPosParser again(mode);
        std::optional<HidPosScan> result;
        for (const QByteArray &report : HidPosParser::buildReports(payload, "]Q1", 0x73, mode))
            result = again.feedReport(report);
        check(result.has_value() && result->data == payload);
    }

    // 2. Wedge: the body as a raw input_event stream, split at input-chosen points, with a clock.
    WedgeDecoder wedge(1 + selector % 200);
    qint64 now = 0;
    for (qsizetype at = 0; at < body.size();) {
        const qsizetype chunk = 1 + quint8(body[at]) % 50;
        for (const QByteArray &scan : wedge.feedEvents(body.mid(at, chunk), now))
            check(!scan.isEmpty() && scan.size() <= WedgeDecoder::MaxPayload);
        now += quint8(body[at]) % 16;
        if (auto scan = wedge.poll(now))
            check(!scan->isEmpty());
        check(wedge.pendingSize() <= WedgeDecoder::MaxPayload);
        at += chunk;
    }

    // 3. Wedge round trip: typing the printable bytes of the body and Enter gives them back.
    QByteArray text;
    for (char c : body.left(300)) {
        if (c >= 0x20 && c < 0x7F)
            text.append(c);
    }
    if (!text.isEmpty()) {
        QByteArray events;
        for (char c : text) {
            const auto k = WedgeDecoder::keyFor(c);
            check(k.has_value());
            if (k->second)
                events += keyEvent(42, 1);
            events += keyEvent(k->first, 1);
            events += keyEvent(k->first, 0);
            if (k->second)
                events += keyEvent(42, 0);
        }
        events += keyEvent(28, 1);
        WedgeDecoder typed;
        const QList<QByteArray> scans = typed.feedEvents(events, 0);
        check(scans.size() == 1 && scans.first() == text);
    }
    return 0;
}

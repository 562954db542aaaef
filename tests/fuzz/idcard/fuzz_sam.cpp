// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: SAM frame parser, streaming reassembler, read payload and text block codec.
// Aborts (__builtin_trap) when an invariant breaks, so libFuzzer reports it as a crash.
#include "hardware/idcard/idcardtextcodec.h"
#include "hardware/idcard/samprotocol.h"

#include <QByteArray>

#include <cstddef>
#include <cstdint>

using namespace hcp::hardware;

namespace {
void check(bool ok)
{
    if (!ok)
        __builtin_trap();
}

void fuzzTextBlock(const QByteArray &block)
{
    const auto card = IdCardTextCodec::parse(block);
    if (!card)
        return;
    // Re-encoding what was parsed and parsing again must give the same card.
    const QByteArray again = IdCardTextCodec::encode(*card);
    check(again.size() == IdCardTextCodec::BlockSize);
    const auto card2 = IdCardTextCodec::parse(again);
    check(card2.has_value());
    check(*card2 == *card);
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));

    // 1. Whole-frame parsers never crash; a frame that parses rebuilds to identical bytes.
    SamProtocol::ParseError err;
    if (const auto r = SamProtocol::parseResponse(input, &err)) {
        check(SamProtocol::buildResponse(r->sw1, r->sw2, r->sw3, r->data) == input);
        for (bool fp : {false, true}) {
            if (const auto p = SamProtocol::parseReadPayload(r->data, fp)) {
                check(SamProtocol::buildReadPayload(*p, fp) == r->data);
                if (p->text.size() == IdCardTextCodec::BlockSize)
                    fuzzTextBlock(p->text);
            }
        }
    }
    if (const auto q = SamProtocol::parseRequest(input, &err))
        check(SamProtocol::buildCommand(q->cmd, q->para, q->data) == input);

    // 2. Reassembler over the input in chunks whose sizes come from the input itself.
    SamReassembler reassembler;
    qsizetype at = 0;
    size_t step = 0;
    while (at < input.size()) {
        const qsizetype chunk = 1 + quint8(input[(step++ * 7) % input.size()]) % 64;
        reassembler.feed(input.mid(at, chunk));
        at += chunk;
        while (auto item = reassembler.next()) {
            check(item->frame.startsWith(SamProtocol::preamble()));
            check(SamProtocol::frameLengthFromHeader(item->frame) == item->frame.size());
            const bool valid = SamProtocol::parseFrame(item->frame, nullptr) == SamProtocol::ParseError::None;
            check(valid == (item->kind == SamReassembler::Kind::Frame));
        }
        // Whatever is still buffered is at most one frame in progress.
        check(reassembler.buffered() <= SamProtocol::MaxLength + SamProtocol::HeaderSize);
    }

    // 3. Any 256-byte window is a text block candidate.
    if (input.size() >= IdCardTextCodec::BlockSize)
        fuzzTextBlock(input.left(IdCardTextCodec::BlockSize));
    return 0;
}

// SPDX-License-Identifier: Apache-2.0
// Arbitrary printer output must never crash or hang the decoder, and EscPos::commandLength
// must walk any buffer to its end in strictly positive steps that never overrun it.
#include "escpos.h"
#include "escposdecoder.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    const auto r = hcp::tests::EscPosDecoder::decode(bytes);
    for (const auto &it : r.items) {
        if (it.kind == hcp::tests::EscPosDecoder::Kind::Raster && !it.image.isNull()
            && qsizetype(it.image.width()) * it.image.height() > 8 * qsizetype(size))
            abort();  // a raster cannot hold more pixels than the input has bits
    }
    qsizetype pos = 0;
    while (pos < bytes.size()) {
        const qsizetype len = hcp::hardware::EscPos::commandLength(bytes, pos);
        if (len < 0 || pos + len > bytes.size())
            abort();
        if (len == 0)
            break;  // incomplete tail
        pos += len;
    }
    return 0;
}

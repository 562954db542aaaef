// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for hcp::kiosk::parseQrPayload (kiosk/qrpayload.h), compiled in from source so
// it carries the fuzzer's coverage. Besides "never crashes, never reads out of bounds" (ASan) it
// checks the documented contract on every input:
//  - valid ⇔ error None; an invalid result carries no projectNo / uuid / serviceCode;
//  - every projectNo / serviceCode handed out matches ^[A-Za-z0-9_-]{6,50}$, serviceNumber is
//    0..999, a Receipt's uuid is a non-null UUID in 36-character form, a ProjectRef has none;
//  - a valid payload is at most kQrPayloadMaxBytes after trimming, valid UTF-8, and has no
//    C0/DEL/C1 control characters and no format characters (bidi overrides, zero-width);
//  - scanner suffixes do not matter: raw + "\r\n" parses exactly like raw (when raw fits);
//  - the result is deterministic; a found projectNo, scanned on its own, is a bare ProjectRef
//    for the same projectNo; a Receipt's fields, rebuilt with receiptQrUrl(), parse back to the
//    same Receipt.
// Run: fuzz_qrpayload -max_total_time=60 -dict=qrpayload.dict corpus/
#include "qrpayload.h"

#include <QByteArray>
#include <QRegularExpression>
#include <QStringDecoder>
#include <QUuid>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

using hcp::kiosk::QrPayload;

namespace {

[[noreturn]] void violated(const char *property, const QByteArray &input)
{
    std::fprintf(stderr, "fuzz_qrpayload: property violated: %s\ninput (hex): %s\n", property,
                 input.left(512).toHex().constData());
    std::abort();
}

#define REQUIRE(cond) \
    do { if (!(cond)) violated(#cond, input); } while (false)

bool matchesProjectNo(const QString &s)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9_-]{6,50}$"));
    return re.match(s).hasMatch();
}

bool sameResult(const QrPayload &a, const QrPayload &b)
{
    return a.kind == b.kind && a.error == b.error && a.projectNo == b.projectNo
        && a.serviceNumber == b.serviceNumber && a.evaluationUuid == b.evaluationUuid
        && a.serviceCode == b.serviceCode;
}

// The payload as the parser sees it: scanner suffixes, a leading BOM and blanks removed.
QByteArray normalised(QByteArray b)
{
    while (!b.isEmpty() && (b.endsWith('\r') || b.endsWith('\n') || b.endsWith('\t')))
        b.chop(1);
    if (b.startsWith("\xEF\xBB\xBF"))
        b.remove(0, 3);
    return b.trimmed();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));
    const QrPayload p = hcp::kiosk::parseQrPayload(input);

    REQUIRE(p.isValid() == (p.error == QrPayload::Error::None));
    REQUIRE(sameResult(p, hcp::kiosk::parseQrPayload(input)));
    // The stable error text exists for every invalid result (the screen shows it).
    REQUIRE(p.isValid() || !hcp::kiosk::qrErrorText(p.error).isEmpty());

    const QByteArray norm = normalised(input);
    if (norm.isEmpty())
        REQUIRE(p.error == QrPayload::Error::Empty);
    else if (norm.size() > hcp::kiosk::kQrPayloadMaxBytes)
        REQUIRE(p.error == QrPayload::Error::Oversized);

    if (!p.isValid()) {
        REQUIRE(p.projectNo.isEmpty() && p.evaluationUuid.isEmpty() && p.serviceCode.isEmpty());
    } else {
        REQUIRE(matchesProjectNo(p.projectNo));
        REQUIRE(p.serviceNumber >= 0 && p.serviceNumber < 1000);
        REQUIRE(p.serviceCode.isEmpty() || matchesProjectNo(p.serviceCode));
        REQUIRE(norm.size() <= hcp::kiosk::kQrPayloadMaxBytes);
        QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
        const QString text = utf8.decode(norm);
        REQUIRE(!utf8.hasError());
        for (const QChar c : text)
            REQUIRE(c.unicode() >= 0x20 && c.unicode() != 0x7f && !(c.unicode() >= 0x80 && c.unicode() <= 0x9f)
                    && c.category() != QChar::Other_Format);

        // Found projectNo scanned on its own.
        const QrPayload bare = hcp::kiosk::parseQrPayload(p.projectNo.toUtf8());
        REQUIRE(bare.kind == QrPayload::Kind::ProjectRef && bare.projectNo == p.projectNo
                && bare.serviceNumber == 0);

        if (p.kind == QrPayload::Kind::Receipt) {
            REQUIRE(p.evaluationUuid.size() == 36 && !QUuid::fromString(p.evaluationUuid).isNull());
            const QString url = hcp::kiosk::receiptQrUrl(QStringLiteral("https://hcp.example.gov.cn/followup"),
                                                         p.evaluationUuid, p.projectNo, p.serviceNumber);
            const QrPayload back = hcp::kiosk::parseQrPayload(url.toUtf8());
            REQUIRE(back.kind == QrPayload::Kind::Receipt && back.evaluationUuid == p.evaluationUuid
                    && back.projectNo == p.projectNo && back.serviceNumber == p.serviceNumber);
        } else {
            REQUIRE(p.kind == QrPayload::Kind::ProjectRef);
            REQUIRE(p.evaluationUuid.isEmpty());
        }
    }

    // Scanner suffix: CR LF after the payload changes nothing.
    if (size + 2 <= 4096) {
        QByteArray suffixed = input;
        suffixed.append("\r\n");
        REQUIRE(sameResult(p, hcp::kiosk::parseQrPayload(suffixed)));
    }
    return 0;
}

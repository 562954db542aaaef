// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QString>
#include <QtGlobal>

#include <optional>

namespace hcp::hardware {

// SAM_V command codes (CMD << 8 | Para), reference/hardware-protocols.md §1.3.
enum class SamCommand : quint16 {
    ResetSam = 0x10FF,
    SamStatus = 0x11FF,
    ReadSamId = 0x12FF,
    FindCard = 0x2001,
    SelectCard = 0x2002,
    ReadText = 0x3001,          // text + photo
    ReadNewAddress = 0x3003,
    ReadWithFingerprint = 0x3010,
    SetBaud115200 = 0x6000,
    SetBaud57600 = 0x6001,
    SetBaud38400 = 0x6002,
    SetBaud19200 = 0x6003,
    SetBaud9600 = 0x6004,
    SetMaxRfBytes = 0x61FF,     // one data byte
};

// SW3 values the SAM reports (§1.4).
namespace SamStatus {
constexpr quint8 Success = 0x90;
constexpr quint8 ItemEmpty = 0x91;
constexpr quint8 FindSuccess = 0x9F;
constexpr quint8 HostChecksumError = 0x10;
constexpr quint8 HostLengthError = 0x11;
constexpr quint8 CommandError = 0x21;
constexpr quint8 Unauthorized = 0x23;
constexpr quint8 UnrecognisedError = 0x24;
constexpr quint8 CardAuthSamFailed = 0x31;
constexpr quint8 SamAuthCardFailed = 0x32;
constexpr quint8 VerificationError = 0x33;
constexpr quint8 UnknownCardType = 0x40;
constexpr quint8 ReadCardFailed = 0x41;
constexpr quint8 RandomFailed = 0x47;
constexpr quint8 SelfTestFailed = 0x60;
constexpr quint8 SamNotAuthorised = 0x66;
constexpr quint8 FindCardFailed = 0x80;
constexpr quint8 SelectCardFailed = 0x81;
} // namespace SamStatus

struct SamRequest {
    quint8 cmd = 0;
    quint8 para = 0;
    QByteArray data;
};

struct SamResponse {
    quint8 sw1 = 0;
    quint8 sw2 = 0;
    quint8 sw3 = 0;
    QByteArray data;    // bytes between SW3 and CHK
};

// Payload of a successful 30 01 / 30 10 read. `photo` and `fingerprint` are opaque
// (vendor WLT compression); callers must not persist them.
struct SamReadPayload {
    QByteArray text;        // 256-byte UCS-2 block, §1.7
    QByteArray photo;
    QByteArray fingerprint;
};

// Pure functions over frames: AA AA AA 96 69 | Len(BE) | body | CHK, where Len counts body+CHK and
// CHK is the XOR of Len1, Len2 and the body (§1.2). No I/O, no state; safe from any thread.
class SamProtocol {
public:
    static constexpr int PreambleSize = 5;
    static constexpr int HeaderSize = 7;        // preamble + Len
    // The largest Len any documented reply carries is 0x090A (read with 1024 fingerprint bytes);
    // anything above this is treated as line noise so a false preamble cannot stall the stream.
    static constexpr int MaxLength = 0x1000;
    static const QByteArray &preamble();

    enum class ParseError { None, Incomplete, BadPreamble, BadLength, BadChecksum, TrailingBytes };

    static quint8 checksum(const QByteArray &lenAndBody);
    static QByteArray buildFrame(const QByteArray &body);
    static QByteArray buildCommand(quint8 cmd, quint8 para, const QByteArray &data = {});
    static QByteArray buildCommand(SamCommand command, const QByteArray &data = {});
    static QByteArray buildResponse(quint8 sw1, quint8 sw2, quint8 sw3, const QByteArray &data = {});

    // Validates one complete frame (exactly Len+7 bytes) and returns its body (without CHK).
    static ParseError parseFrame(const QByteArray &frame, QByteArray *body);
    static std::optional<SamResponse> parseResponse(const QByteArray &frame, ParseError *error = nullptr);
    static std::optional<SamRequest> parseRequest(const QByteArray &frame, ParseError *error = nullptr);
    // Total frame length announced by a header (>= 7 bytes available), or -1 if the header is invalid.
    static int frameLengthFromHeader(const QByteArray &header);

    // Splits the data of a 30 01 (withFingerprint=false) or 30 10 reply into its parts.
    static std::optional<SamReadPayload> parseReadPayload(const QByteArray &data, bool withFingerprint);
    static QByteArray buildReadPayload(const SamReadPayload &payload, bool withFingerprint);

    // Display form of the 16-byte SAM ID (12 FF reply data), §1.6:
    // "05.01-20260101-000000001-000000042"; empty if the data is not 16 bytes.
    static QString formatSamId(const QByteArray &data);

    static bool isSuccess(quint8 sw3) { return sw3 == SamStatus::Success || sw3 == SamStatus::FindSuccess; }
    // "中文 (English)" description of a SW3 code, for logs and the diagnostics page.
    static QString statusText(quint8 sw3);
    static QString parseErrorText(ParseError e);
};

// Streaming reassembler for byte streams that arrive in arbitrary chunks (serial reads, split
// USB transfers). Discards bytes that do not start a frame and resynchronises on the next
// preamble; a frame whose checksum fails is reported and only its preamble is consumed, so a real
// frame hidden behind a false preamble is still found. Not thread-safe; one per stream.
class SamReassembler {
public:
    enum class Kind { Frame, BadChecksum };
    struct Item {
        Kind kind = Kind::Frame;
        QByteArray frame;   // complete frame bytes (for BadChecksum: the rejected candidate)
    };

    void feed(const QByteArray &bytes);
    // Next complete item, or nullopt when more bytes are needed.
    std::optional<Item> next();
    void clear();

    qsizetype buffered() const { return m_buffer.size(); }
    quint64 discardedBytes() const { return m_discarded; }
    quint64 checksumErrors() const { return m_checksumErrors; }

private:
    void dropFront(qsizetype n);

    QByteArray m_buffer;
    quint64 m_discarded = 0;
    quint64 m_checksumErrors = 0;
};

} // namespace hcp::hardware

// SPDX-License-Identifier: Apache-2.0
#include "samprotocol.h"

#include <QCoreApplication>

namespace hcp::hardware {

namespace {
constexpr char kPreamble[] = "\xAA\xAA\xAA\x96\x69";

QString tx(const char *text)
{
    return QCoreApplication::translate("hcp::hardware::SamProtocol", text);
}
} // namespace

const QByteArray &SamProtocol::preamble()
{
    static const QByteArray p(kPreamble, PreambleSize);
    return p;
}

quint8 SamProtocol::checksum(const QByteArray &lenAndBody)
{
    quint8 x = 0;
    for (char c : lenAndBody)
        x ^= static_cast<quint8>(c);
    return x;
}

QByteArray SamProtocol::buildFrame(const QByteArray &body)
{
    const int len = int(body.size()) + 1;
    Q_ASSERT(len <= 0xFFFF);
    QByteArray lenAndBody;
    lenAndBody.reserve(body.size() + 2);
    lenAndBody.append(char((len >> 8) & 0xFF));
    lenAndBody.append(char(len & 0xFF));
    lenAndBody.append(body);
    QByteArray frame = preamble();
    frame.append(lenAndBody);
    frame.append(char(checksum(lenAndBody)));
    return frame;
}

QByteArray SamProtocol::buildCommand(quint8 cmd, quint8 para, const QByteArray &data)
{
    QByteArray body;
    body.append(char(cmd));
    body.append(char(para));
    body.append(data);
    return buildFrame(body);
}

QByteArray SamProtocol::buildCommand(SamCommand command, const QByteArray &data)
{
    const auto v = quint16(command);
    return buildCommand(quint8(v >> 8), quint8(v & 0xFF), data);
}

QByteArray SamProtocol::buildResponse(quint8 sw1, quint8 sw2, quint8 sw3, const QByteArray &data)
{
    QByteArray body;
    body.append(char(sw1));
    body.append(char(sw2));
    body.append(char(sw3));
    body.append(data);
    return buildFrame(body);
}

int SamProtocol::frameLengthFromHeader(const QByteArray &header)
{
    if (header.size() < HeaderSize || !header.startsWith(preamble()))
        return -1;
    const int len = (quint8(header[5]) << 8) | quint8(header[6]);
    // The shortest frame is a command: CMD Para CHK.
    if (len < 3 || len > MaxLength)
        return -1;
    return len + HeaderSize;
}

SamProtocol::ParseError SamProtocol::parseFrame(const QByteArray &frame, QByteArray *body)
{
    if (frame.size() < HeaderSize)
        return frame.startsWith(preamble().left(frame.size())) ? ParseError::Incomplete
                                                               : ParseError::BadPreamble;
    if (!frame.startsWith(preamble()))
        return ParseError::BadPreamble;
    const int total = frameLengthFromHeader(frame);
    if (total < 0)
        return ParseError::BadLength;
    if (frame.size() < total)
        return ParseError::Incomplete;
    if (frame.size() > total)
        return ParseError::TrailingBytes;
    const QByteArray lenAndBody = frame.mid(PreambleSize, total - PreambleSize - 1);
    if (checksum(lenAndBody) != quint8(frame.at(total - 1)))
        return ParseError::BadChecksum;
    if (body)
        *body = lenAndBody.mid(2);
    return ParseError::None;
}

std::optional<SamResponse> SamProtocol::parseResponse(const QByteArray &frame, ParseError *error)
{
    QByteArray body;
    ParseError e = parseFrame(frame, &body);
    if (e == ParseError::None && body.size() < 3)
        e = ParseError::BadLength;
    if (error)
        *error = e;
    if (e != ParseError::None)
        return std::nullopt;
    SamResponse r;
    r.sw1 = quint8(body[0]);
    r.sw2 = quint8(body[1]);
    r.sw3 = quint8(body[2]);
    r.data = body.mid(3);
    return r;
}

std::optional<SamRequest> SamProtocol::parseRequest(const QByteArray &frame, ParseError *error)
{
    QByteArray body;
    ParseError e = parseFrame(frame, &body);
    if (e == ParseError::None && body.size() < 2)
        e = ParseError::BadLength;
    if (error)
        *error = e;
    if (e != ParseError::None)
        return std::nullopt;
    SamRequest r;
    r.cmd = quint8(body[0]);
    r.para = quint8(body[1]);
    r.data = body.mid(2);
    return r;
}

std::optional<SamReadPayload> SamProtocol::parseReadPayload(const QByteArray &data, bool withFingerprint)
{
    const int lengths = withFingerprint ? 3 : 2;
    if (data.size() < lengths * 2)
        return std::nullopt;
    auto be16 = [&](int at) { return (quint8(data[at]) << 8) | quint8(data[at + 1]); };
    const int textLen = be16(0);
    const int photoLen = be16(2);
    const int fpLen = withFingerprint ? be16(4) : 0;
    const qsizetype start = lengths * 2;
    if (data.size() != start + textLen + photoLen + fpLen)
        return std::nullopt;
    SamReadPayload p;
    p.text = data.mid(start, textLen);
    p.photo = data.mid(start + textLen, photoLen);
    p.fingerprint = data.mid(start + textLen + photoLen, fpLen);
    return p;
}

QByteArray SamProtocol::buildReadPayload(const SamReadPayload &payload, bool withFingerprint)
{
    QByteArray out;
    auto put16 = [&](qsizetype v) {
        out.append(char((v >> 8) & 0xFF));
        out.append(char(v & 0xFF));
    };
    put16(payload.text.size());
    put16(payload.photo.size());
    if (withFingerprint)
        put16(payload.fingerprint.size());
    out.append(payload.text);
    out.append(payload.photo);
    if (withFingerprint)
        out.append(payload.fingerprint);
    return out;
}

QString SamProtocol::formatSamId(const QByteArray &d)
{
    if (d.size() != 16)
        return {};
    auto le32 = [&](int at) {
        return quint32(quint8(d[at])) | quint32(quint8(d[at + 1])) << 8 | quint32(quint8(d[at + 2])) << 16
            | quint32(quint8(d[at + 3])) << 24;
    };
    return QStringLiteral("%1.%2-%3-%4-%5")
        .arg(quint8(d[0]), 2, 10, QLatin1Char('0'))
        .arg(quint8(d[2]), 2, 10, QLatin1Char('0'))
        .arg(le32(4))
        .arg(le32(8), 9, 10, QLatin1Char('0'))
        .arg(le32(12), 9, 10, QLatin1Char('0'));
}

QString SamProtocol::statusText(quint8 sw3)
{
    switch (sw3) {
    case SamStatus::Success: return tx(QT_TRANSLATE_NOOP("hcp::hardware::SamProtocol", "操作成功 (success)"));
    case SamStatus::ItemEmpty: return tx(QT_TRANSLATE_NOOP("hcp::hardware::SamProtocol", "证/卡中此项无内容 (item is empty on the card)"));
    case SamStatus::FindSuccess: return tx(QT_TRANSLATE_NOOP("hcp::hardware::SamProtocol", "寻找证/卡成功 (card found)"));
    case SamStatus::HostChecksumError: return tx(QT_TRANSLATE_NOOP("hcp::hardware::SamProtocol", "接收业务终端数据的校验和错 (checksum error in data from host)"));
    case SamStatus::HostLengthError: return tx(QT_TRANSLATE_NOOP("hcp::hardware::SamProtocol", "接收业务终端数据的长度错 (length error in data from host)"));
    case SamStatus::CommandError: return tx(QT_TRANSLATE_NOOP("hcp::hardware::SamProtocol", "接收业务终端的命令错误 (command error)"));
    case SamStatus::Unauthorized: return tx(QT_TRANSLATE_NOOP("hcp::hardware::SamProtocol", "越权操作 (unauthorized operation)"));
    case SamStatus::UnrecognisedError: return tx(QT_TRANSLATE_NOOP("hcp::hardware::SamProtocol", "无法识别的错误 (unrecognised error)"));
    case SamStatus::CardAuthSamFailed: return tx(QT_TRANSLATE_NOOP("hcp::hardware::SamProtocol", "证/卡认证机具失败 (card failed to authenticate the SAM)"));
    case SamStatus::SamAuthCardFailed: return tx(QT_TRANSLATE_NOOP("hcp::hardware::SamProtocol", "机具认证证/卡失败 (SAM failed to authenticate the card)"));
    case SamStatus::VerificationError: return tx(QT_TRANSLATE_NOOP("hcp::hardware::SamProtocol", "信息验证错误 (information verification error)"));
    case SamStatus::UnknownCardType: return tx(QT_TRANSLATE_NOOP("hcp::hardware::SamProtocol", "无法识别的证/卡类型 (unrecognised card type)"));
    case SamStatus::ReadCardFailed: return tx(QT_TRANSLATE_NOOP("hcp::hardware::SamProtocol", "读证/卡操作失败 (card read failed)"));
    case SamStatus::RandomFailed: return tx(QT_TRANSLATE_NOOP("hcp::hardware::SamProtocol", "取随机数失败 (get-random failed)"));
    case SamStatus::SelfTestFailed: return tx(QT_TRANSLATE_NOOP("hcp::hardware::SamProtocol", "SAM自检失败，不能接收命令 (SAM self-test failed)"));
    case SamStatus::SamNotAuthorised: return tx(QT_TRANSLATE_NOOP("hcp::hardware::SamProtocol", "SAM未经授权，无法使用 (SAM not authorised)"));
    case SamStatus::FindCardFailed: return tx(QT_TRANSLATE_NOOP("hcp::hardware::SamProtocol", "寻找证/卡失败，无卡 (find card failed: no card)"));
    case SamStatus::SelectCardFailed: return tx(QT_TRANSLATE_NOOP("hcp::hardware::SamProtocol", "选取证/卡失败 (select card failed)"));
    default: break;
    }
    return tx(QT_TRANSLATE_NOOP("hcp::hardware::SamProtocol", "未知状态码 0x%1 (unknown status code)")).arg(sw3, 2, 16, QLatin1Char('0'));
}

QString SamProtocol::parseErrorText(ParseError e)
{
    switch (e) {
    case ParseError::None: return QStringLiteral("ok");
    case ParseError::Incomplete: return QStringLiteral("incomplete frame");
    case ParseError::BadPreamble: return QStringLiteral("bad preamble");
    case ParseError::BadLength: return QStringLiteral("bad length field");
    case ParseError::BadChecksum: return QStringLiteral("bad checksum");
    case ParseError::TrailingBytes: return QStringLiteral("trailing bytes after frame");
    }
    return QStringLiteral("unknown");
}

void SamReassembler::feed(const QByteArray &bytes)
{
    m_buffer.append(bytes);
}

void SamReassembler::dropFront(qsizetype n)
{
    m_buffer.remove(0, n);
}

std::optional<SamReassembler::Item> SamReassembler::next()
{
    const QByteArray &pre = SamProtocol::preamble();
    for (;;) {
        const qsizetype at = m_buffer.indexOf(pre);
        if (at < 0) {
            // Keep a tail that may be the start of a preamble split across chunks.
            qsizetype keep = 0;
            for (qsizetype k = qMin<qsizetype>(pre.size() - 1, m_buffer.size()); k > 0; --k) {
                if (m_buffer.endsWith(pre.left(k))) {
                    keep = k;
                    break;
                }
            }
            m_discarded += quint64(m_buffer.size() - keep);
            dropFront(m_buffer.size() - keep);
            return std::nullopt;
        }
        if (at > 0) {
            m_discarded += quint64(at);
            dropFront(at);
        }
        if (m_buffer.size() < SamProtocol::HeaderSize)
            return std::nullopt;
        const int total = SamProtocol::frameLengthFromHeader(m_buffer);
        if (total < 0) {
            // A false preamble (impossible length): skip one byte and search again.
            ++m_discarded;
            dropFront(1);
            continue;
        }
        if (m_buffer.size() < total)
            return std::nullopt;
        Item item;
        item.frame = m_buffer.left(total);
        if (SamProtocol::parseFrame(item.frame, nullptr) == SamProtocol::ParseError::None) {
            dropFront(total);
            return item;
        }
        ++m_checksumErrors;
        item.kind = Kind::BadChecksum;
        m_discarded += quint64(SamProtocol::PreambleSize);
        dropFront(SamProtocol::PreambleSize);
        return item;
    }
}

void SamReassembler::clear()
{
    m_buffer.clear();
}

} // namespace hcp::hardware

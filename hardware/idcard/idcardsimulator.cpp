// SPDX-License-Identifier: Apache-2.0
#include "idcardsimulator.h"

#include "hardware/faketransport.h"
#include "idcardtextcodec.h"

#include <QLoggingCategory>
#include <QPointer>
#include <QSocketNotifier>
#include <QTimer>

#include <cerrno>
#include <fcntl.h>
#include <pty.h>
#include <termios.h>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcIdSim, "hcp.hardware.idcard.simulator")

namespace hcp::hardware {

namespace {
constexpr int kPhotoBytes = 1024;
constexpr int kSamIdBytes = 16;
} // namespace

IdCardSimulator::IdCardSimulator(QObject *parent)
    : QObject(parent)
{
}

IdCardSimulator::~IdCardSimulator()
{
    detach();
    closePty();
}

std::function<std::unique_ptr<Transport>()> IdCardSimulator::transportFactory(SamLink::Framing framing)
{
    if (!m_ownedFake)
        m_ownedFake = std::make_unique<FakeTransport>(QStringLiteral("simulated ID card reader"));
    attach(m_ownedFake.get(), framing);
    setFailureMode(failureMode());      // applies Unplugged to the new fake
    FakeTransport *fake = m_ownedFake.get();
    return [fake] { return fake->makeHandle(); };
}

IdCardData IdCardSimulator::sampleResident()
{
    IdCardData d;
    d.name = QStringLiteral("李华");
    d.sexCode = QStringLiteral("2");
    d.sex = IdCardTextCodec::sexName(d.sexCode);
    d.nationCode = QStringLiteral("01");
    d.nation = IdCardTextCodec::nationName(d.nationCode);
    d.birth = QStringLiteral("19491231");
    d.address = QStringLiteral("北京市西城区示例路1号");
    d.idNumber = QStringLiteral("11010519491231002X");
    d.authority = QStringLiteral("北京市公安局西城分局");
    d.validFrom = QStringLiteral("20150101");
    d.validTo = QStringLiteral("20350101");
    d.cardType = IdCardType::Resident;
    d.checkDigitValid = true;
    return d;
}

void IdCardSimulator::insertCard(const IdCardData &data)
{
    std::lock_guard lock(m_mutex);
    m_card = data;
    m_found = m_selected = false;
}

void IdCardSimulator::removeCard()
{
    std::lock_guard lock(m_mutex);
    m_card.reset();
    m_found = m_selected = false;
}

bool IdCardSimulator::hasCard() const
{
    std::lock_guard lock(m_mutex);
    return m_card.has_value();
}

void IdCardSimulator::setFailureMode(FailureMode mode)
{
    FakeTransport *fake = nullptr;
    bool closePtyNow = false;
    {
        std::lock_guard lock(m_mutex);
        m_mode = mode;
        fake = m_fake;
        closePtyNow = mode == FailureMode::Unplugged && m_ptyMaster >= 0;
    }
    if (fake)
        fake->setPresent(mode != FailureMode::Unplugged);
    if (closePtyNow)
        closePty();
}

IdCardSimulator::FailureMode IdCardSimulator::failureMode() const
{
    std::lock_guard lock(m_mutex);
    return m_mode;
}

void IdCardSimulator::setSlowDelayMs(int ms)
{
    std::lock_guard lock(m_mutex);
    m_slowDelayMs = ms;
}

int IdCardSimulator::slowDelayMs() const
{
    std::lock_guard lock(m_mutex);
    return m_slowDelayMs;
}

QList<quint16> IdCardSimulator::commandLog() const
{
    std::lock_guard lock(m_mutex);
    return m_log;
}

void IdCardSimulator::clearCommandLog()
{
    std::lock_guard lock(m_mutex);
    m_log.clear();
}

QByteArray IdCardSimulator::reply(const QByteArray &requestFrame)
{
    std::lock_guard lock(m_mutex);
    return replyLocked(requestFrame);
}

QByteArray IdCardSimulator::replyLocked(const QByteArray &requestFrame)
{
    SamProtocol::ParseError pe;
    const auto req = SamProtocol::parseRequest(requestFrame, &pe);
    if (!req) {
        // A real SAM answers a corrupt host frame with SW3 10 (checksum) or 11 (length), §1.10.
        return SamProtocol::buildResponse(0, 0, pe == SamProtocol::ParseError::BadChecksum
                                                    ? SamStatus::HostChecksumError
                                                    : SamStatus::HostLengthError);
    }
    const quint16 command = quint16(req->cmd << 8 | req->para);
    m_log.append(command);
    auto status = [](quint8 sw3) { return SamProtocol::buildResponse(0, 0, sw3); };

    switch (SamCommand(command)) {
    case SamCommand::ResetSam:
    case SamCommand::SamStatus:
    case SamCommand::SetBaud115200:
    case SamCommand::SetBaud57600:
    case SamCommand::SetBaud38400:
    case SamCommand::SetBaud19200:
    case SamCommand::SetBaud9600:
        return req->data.isEmpty() ? status(SamStatus::Success) : status(SamStatus::HostLengthError);
    case SamCommand::SetMaxRfBytes:
        return req->data.size() == 1 ? status(SamStatus::Success) : status(SamStatus::HostLengthError);
    case SamCommand::ReadSamId: {
        // Synthetic module number 05.01-20260101-000000001-000000042 (field meaning is [I], §1.6).
        QByteArray id(kSamIdBytes, '\0');
        id[0] = 5;
        id[2] = 1;
        const quint32 parts[3] = {20260101u, 1u, 42u};
        for (int p = 0; p < 3; ++p)
            for (int b = 0; b < 4; ++b)
                id[4 + 4 * p + b] = char((parts[p] >> (8 * b)) & 0xFF);
        return SamProtocol::buildResponse(0, 0, SamStatus::Success, id);
    }
    case SamCommand::FindCard:
        if (!m_card || m_mode == FailureMode::NoCard) {
            m_found = m_selected = false;
            return status(SamStatus::FindCardFailed);
        }
        m_found = true;
        m_selected = false;
        return SamProtocol::buildResponse(0, 0, SamStatus::FindSuccess, QByteArray(4, '\0'));
    case SamCommand::SelectCard:
        if (!m_card || !m_found)
            return status(SamStatus::SelectCardFailed);
        m_selected = true;
        return SamProtocol::buildResponse(0, 0, SamStatus::Success, QByteArray(8, '\0'));
    case SamCommand::ReadText:
    case SamCommand::ReadWithFingerprint: {
        if (!m_card || !m_selected)
            return status(SamStatus::ReadCardFailed);
        // Find and select must precede every read (§1.3).
        m_found = m_selected = false;
        if (m_mode == FailureMode::CardRemovedMidRead) {
            m_card.reset();
            return status(SamStatus::ReadCardFailed);
        }
        SamReadPayload payload;
        payload.text = IdCardTextCodec::encode(*m_card);
        payload.photo = QByteArray(kPhotoBytes, '\0');
        const bool fp = SamCommand(command) == SamCommand::ReadWithFingerprint;
        return SamProtocol::buildResponse(0, 0, SamStatus::Success, SamProtocol::buildReadPayload(payload, fp));
    }
    case SamCommand::ReadNewAddress:
        if (!m_card)
            return status(SamStatus::ReadCardFailed);
        return status(SamStatus::ItemEmpty);
    }
    return status(SamStatus::CommandError);
}

QByteArray IdCardSimulator::applyFailureLocked(QByteArray reply)
{
    if (m_mode == FailureMode::BadChecksum && !reply.isEmpty())
        reply[reply.size() - 1] = char(reply.back() ^ 0x5A);
    return reply;
}

namespace {
// Deterministic line noise: random bytes mixed with partial and false preambles.
QByteArray noise(quint32 &seed)
{
    auto rnd = [&] {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        return seed;
    };
    QByteArray out;
    const int n = 3 + int(rnd() % 20);
    for (int i = 0; i < n; ++i)
        out.append(char(rnd() & 0xFF));
    out.append("\xAA\xAA\x13", 3);                              // partial preamble
    out.append("\xAA\xAA\xAA\x96\x69\xFF\xFF", 7);              // false preamble, impossible length
    out.append(char(rnd() & 0xFF));
    return out;
}
} // namespace

void IdCardSimulator::attach(FakeTransport *transport, SamLink::Framing framing)
{
    detach();
    {
        std::lock_guard lock(m_mutex);
        m_fake = transport;
        m_fakeFraming = framing;
        m_usbHeader.clear();
        m_rx.clear();
    }
    transport->setWriteHandler([this](const QByteArray &bytes, int channel) { onFakeWrite(bytes, channel); });
}

void IdCardSimulator::detach()
{
    FakeTransport *fake = nullptr;
    {
        std::lock_guard lock(m_mutex);
        fake = std::exchange(m_fake, nullptr);
    }
    if (fake)
        fake->setWriteHandler({});
}

void IdCardSimulator::onFakeWrite(const QByteArray &bytes, int channel)
{
    QList<QByteArray> replies;
    FakeTransport *fake = nullptr;
    int delay = 0;
    FailureMode mode;
    quint16 lastCommand = 0;
    {
        std::lock_guard lock(m_mutex);
        fake = m_fake;
        mode = m_mode;
        if (!fake || mode == FailureMode::Unplugged)
            return;
        if (m_fakeFraming == SamLink::Framing::UsbTwoPipe) {
            if (channel == 0) {
                m_usbHeader = bytes;
                return;
            }
            replies.append(applyFailureLocked(replyLocked(m_usbHeader + bytes)));
            m_usbHeader.clear();
        } else {
            m_rx.feed(bytes);
            while (auto item = m_rx.next()) {
                replies.append(applyFailureLocked(item->kind == SamReassembler::Kind::Frame
                                                      ? replyLocked(item->frame)
                                                      : SamProtocol::buildResponse(0, 0, SamStatus::HostChecksumError)));
            }
        }
        if (!m_log.isEmpty())
            lastCommand = m_log.back();
        if (mode == FailureMode::SlowDevice)
            delay = m_slowDelayMs;
        for (QByteArray &r : replies) {
            if (mode == FailureMode::GarbageBytes && m_fakeFraming == SamLink::Framing::Stream)
                r.prepend(noise(m_noiseSeed));
        }
    }
    for (const QByteArray &r : std::as_const(replies)) {
        if (m_fakeFraming == SamLink::Framing::UsbTwoPipe) {
            fake->feedReceived(r.left(SamProtocol::HeaderSize), 0, delay);
            fake->feedReceived(r.mid(SamProtocol::HeaderSize), 1, delay);
        } else if (mode == FailureMode::GarbageBytes) {
            // Small chunks with 1 ms spacing so the host sees partial reads.
            for (qsizetype at = 0, i = 0; at < r.size(); at += 7, ++i)
                fake->feedReceived(r.mid(at, 7), 0, delay + int(i / 16));
        } else {
            fake->feedReceived(r, 0, delay);
        }
    }
    if (!replies.isEmpty())
        emit requestHandled(lastCommand);
}

QString IdCardSimulator::openPty()
{
    closePty();
    int master = -1;
    int slave = -1;
    char name[256] = {};
    if (::openpty(&master, &slave, name, nullptr, nullptr) != 0) {
        qCWarning(lcIdSim) << "openpty failed:" << strerror(errno);
        return {};
    }
    // Raw mode on both sides: the line discipline must not translate or echo frame bytes.
    termios tio{};
    if (::tcgetattr(slave, &tio) == 0) {
        ::cfmakeraw(&tio);
        ::tcsetattr(slave, TCSANOW, &tio);
    }
    ::fcntl(master, F_SETFL, ::fcntl(master, F_GETFL) | O_NONBLOCK);
    {
        std::lock_guard lock(m_mutex);
        m_ptyMaster = master;
        // The slave fd stays open so the master never sees EIO between host opens.
        m_ptySlave = slave;
        m_rx.clear();
    }
    m_notifier = new QSocketNotifier(master, QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &IdCardSimulator::onPtyReadable);
    return QString::fromLocal8Bit(name);
}

void IdCardSimulator::closePty()
{
    delete m_notifier;
    m_notifier = nullptr;
    std::lock_guard lock(m_mutex);
    if (m_ptyMaster >= 0)
        ::close(m_ptyMaster);
    if (m_ptySlave >= 0)
        ::close(m_ptySlave);
    m_ptyMaster = m_ptySlave = -1;
}

void IdCardSimulator::onPtyReadable()
{
    QList<QByteArray> replies;
    int delay = 0;
    quint16 lastCommand = 0;
    {
        std::lock_guard lock(m_mutex);
        if (m_ptyMaster < 0)
            return;
        char buf[4096];
        for (;;) {
            const ssize_t n = ::read(m_ptyMaster, buf, sizeof buf);
            if (n <= 0)
                break;
            m_rx.feed(QByteArray(buf, n));
        }
        if (m_mode == FailureMode::Unplugged)
            return;
        while (auto item = m_rx.next()) {
            QByteArray r = applyFailureLocked(item->kind == SamReassembler::Kind::Frame
                                                  ? replyLocked(item->frame)
                                                  : SamProtocol::buildResponse(0, 0, SamStatus::HostChecksumError));
            if (m_mode == FailureMode::GarbageBytes)
                r.prepend(noise(m_noiseSeed));
            replies.append(r);
        }
        if (m_mode == FailureMode::SlowDevice)
            delay = m_slowDelayMs;
        if (!m_log.isEmpty())
            lastCommand = m_log.back();
    }
    if (replies.isEmpty())
        return;
    QByteArray all;
    for (const QByteArray &r : std::as_const(replies))
        all.append(r);
    auto send = [this, all] {
        std::lock_guard lock(m_mutex);
        qsizetype at = 0;
        while (m_ptyMaster >= 0 && at < all.size()) {
            const ssize_t n = ::write(m_ptyMaster, all.constData() + at, size_t(all.size() - at));
            if (n < 0 && errno != EAGAIN && errno != EINTR)
                break;
            if (n > 0)
                at += n;
        }
    };
    if (delay > 0)
        QTimer::singleShot(delay, this, send);
    else
        send();
    emit requestHandled(lastCommand);
}

} // namespace hcp::hardware

// SPDX-License-Identifier: Apache-2.0
#include "evdevtransport.h"

#include <QLoggingCategory>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <linux/input.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcEvdev, "hcp.hardware.evdev")

namespace hcp::hardware {

TransportStatus errnoToStatus(int err)
{
    switch (err) {
    case 0: return TransportStatus::Ok;
    case ENOENT:
    case ENODEV:
    case ENXIO: return TransportStatus::NoDevice;
    case EACCES:
    case EPERM: return TransportStatus::Access;
    case EBUSY: return TransportStatus::Busy;
    case ETIMEDOUT:
    case EAGAIN: return TransportStatus::Timeout;
    case EINVAL:
    case ENOTTY: return TransportStatus::InvalidArgument;
    case EPIPE: return TransportStatus::Pipe;
    case EIO: return TransportStatus::Io;
    default: break;
    }
    return TransportStatus::Other;
}

namespace {
TransferResult errnoResult(int err, const QString &what)
{
    TransferResult r;
    r.status = errnoToStatus(err);
    r.detail = QStringLiteral("%1: %2").arg(what, QString::fromLocal8Bit(strerror(err)));
    return r;
}

// Waits up to timeoutMs for fd to become readable; returns a non-Ok result on timeout or error.
TransferResult waitReadable(int fd, int timeoutMs, const QString &path)
{
    pollfd p{fd, POLLIN, 0};
    for (;;) {
        const int rc = ::poll(&p, 1, qMax(0, timeoutMs));
        if (rc < 0 && errno == EINTR)
            continue;
        if (rc < 0)
            return errnoResult(errno, QStringLiteral("poll %1").arg(path));
        if (rc == 0) {
            TransferResult r;
            r.status = TransportStatus::Timeout;
            r.detail = QStringLiteral("no data on %1 within %2 ms").arg(path).arg(timeoutMs);
            return r;
        }
        if (p.revents & (POLLERR | POLLNVAL)) {
            TransferResult r;
            r.status = TransportStatus::NoDevice;
            r.detail = QStringLiteral("%1 reported an error (unplugged?)").arg(path);
            return r;
        }
        return {};
    }
}
} // namespace

EvdevTransport::EvdevTransport(QString path, bool grab)
    : m_path(std::move(path))
    , m_grab(grab)
{
}

EvdevTransport::~EvdevTransport()
{
    close();
}

QString EvdevTransport::description() const
{
    return QStringLiteral("evdev %1%2").arg(m_path, m_grab ? QStringLiteral(" (grabbed)") : QString());
}

bool EvdevTransport::open()
{
    close();
    m_openResult = {};
    const QByteArray path = m_path.toLocal8Bit();
    m_fd = ::open(path.constData(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (m_fd < 0) {
        m_openResult = errnoResult(errno, QStringLiteral("open %1").arg(m_path));
        qCWarning(lcEvdev).noquote() << m_openResult.detail;
        return false;
    }
    if (m_grab) {
        if (::ioctl(m_fd, EVIOCGRAB, 1) != 0) {
            m_openResult = errnoResult(errno, QStringLiteral("EVIOCGRAB %1").arg(m_path));
            qCWarning(lcEvdev).noquote() << m_openResult.detail;
            close();
            return false;
        }
        m_grabbed = true;
    }
    return true;
}

void EvdevTransport::close()
{
    if (m_fd >= 0) {
        if (m_grabbed)
            ::ioctl(m_fd, EVIOCGRAB, 0);
        ::close(m_fd);
    }
    m_fd = -1;
    m_grabbed = false;
    m_partial.clear();
}

TransferResult EvdevTransport::write(const QByteArray &, int, int)
{
    TransferResult r;
    r.status = TransportStatus::InvalidArgument;
    r.detail = QStringLiteral("%1 is read-only").arg(m_path);
    return r;
}

TransferResult EvdevTransport::read(int maxBytes, int timeoutMs, int)
{
    constexpr int eventSize = int(sizeof(input_event));
    TransferResult r;
    if (m_fd < 0) {
        r.status = TransportStatus::NotOpen;
        r.detail = QStringLiteral("%1 is not open").arg(m_path);
        return r;
    }
    const int wanted = qMax(eventSize, maxBytes - maxBytes % eventSize);
    r = waitReadable(m_fd, timeoutMs, m_path);
    if (!r.ok())
        return r;
    QByteArray buf(wanted - int(m_partial.size()), '\0');
    const ssize_t n = ::read(m_fd, buf.data(), size_t(buf.size()));
    if (n < 0) {
        if (errno == EAGAIN || errno == EINTR) {
            r.status = TransportStatus::Timeout;
            r.detail = QStringLiteral("spurious wakeup on %1").arg(m_path);
            return r;
        }
        return errnoResult(errno, QStringLiteral("read %1").arg(m_path));
    }
    if (n == 0) {
        r.status = TransportStatus::NoDevice;
        r.detail = QStringLiteral("%1 closed (device removed)").arg(m_path);
        return r;
    }
    m_partial.append(buf.constData(), n);
    const qsizetype whole = m_partial.size() - m_partial.size() % eventSize;
    r.data = m_partial.left(whole);
    m_partial.remove(0, whole);
    if (r.data.isEmpty()) {
        r.status = TransportStatus::Timeout;
        r.detail = QStringLiteral("partial event on %1").arg(m_path);
    }
    return r;
}

HidrawTransport::HidrawTransport(QString path)
    : m_path(std::move(path))
{
}

HidrawTransport::~HidrawTransport()
{
    close();
}

QString HidrawTransport::description() const
{
    return QStringLiteral("hidraw %1").arg(m_path);
}

bool HidrawTransport::open()
{
    close();
    m_openResult = {};
    const QByteArray path = m_path.toLocal8Bit();
    m_fd = ::open(path.constData(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (m_fd < 0) {
        m_openResult = errnoResult(errno, QStringLiteral("open %1").arg(m_path));
        qCWarning(lcEvdev).noquote() << m_openResult.detail;
        return false;
    }
    return true;
}

void HidrawTransport::close()
{
    if (m_fd >= 0)
        ::close(m_fd);
    m_fd = -1;
}

TransferResult HidrawTransport::write(const QByteArray &bytes, int timeoutMs, int)
{
    Q_UNUSED(timeoutMs);
    if (m_fd < 0) {
        TransferResult r;
        r.status = TransportStatus::NotOpen;
        r.detail = QStringLiteral("%1 is not open").arg(m_path);
        return r;
    }
    const ssize_t n = ::write(m_fd, bytes.constData(), size_t(bytes.size()));
    if (n < 0)
        return errnoResult(errno, QStringLiteral("write %1").arg(m_path));
    TransferResult r;
    r.data = bytes.left(n);
    return r;
}

TransferResult HidrawTransport::read(int maxBytes, int timeoutMs, int)
{
    TransferResult r;
    if (m_fd < 0) {
        r.status = TransportStatus::NotOpen;
        r.detail = QStringLiteral("%1 is not open").arg(m_path);
        return r;
    }
    r = waitReadable(m_fd, timeoutMs, m_path);
    if (!r.ok())
        return r;
    QByteArray buf(qMax(1, maxBytes), '\0');
    const ssize_t n = ::read(m_fd, buf.data(), size_t(buf.size()));
    if (n < 0) {
        if (errno == EAGAIN || errno == EINTR) {
            r.status = TransportStatus::Timeout;
            r.detail = QStringLiteral("spurious wakeup on %1").arg(m_path);
            return r;
        }
        return errnoResult(errno, QStringLiteral("read %1").arg(m_path));
    }
    if (n == 0) {
        r.status = TransportStatus::NoDevice;
        r.detail = QStringLiteral("%1 closed (device removed)").arg(m_path);
        return r;
    }
    r.data = buf.left(n);
    return r;
}

} // namespace hcp::hardware

// SPDX-License-Identifier: Apache-2.0
// umockdev.h (GLib/GIO) comes before Qt headers: GIO uses "signals" as an identifier.
#include <umockdev.h>

#include "mockusbbus.h"

#include <sys/ioctl.h>
#include <linux/usbdevice_fs.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace hcp::test {

void MockUsbDevice::setOutHandler(OutHandler h)
{
    std::lock_guard lock(m_mutex);
    m_outHandler = std::move(h);
}

void MockUsbDevice::queueIn(quint8 endpoint, const QByteArray &bytes)
{
    std::lock_guard lock(m_mutex);
    m_in[endpoint].append(bytes);
}

void MockUsbDevice::stallNextIn(quint8 endpoint)
{
    std::lock_guard lock(m_mutex);
    m_stall[endpoint] = true;
}

void MockUsbDevice::failNextClaim(int err)
{
    std::lock_guard lock(m_mutex);
    m_claimError = err;
}

QByteArray MockUsbDevice::outData(quint8 endpoint) const
{
    std::lock_guard lock(m_mutex);
    return m_out.value(endpoint);
}

int MockUsbDevice::claimCount() const
{
    std::lock_guard lock(m_mutex);
    return m_claims;
}

int MockUsbDevice::releaseCount() const
{
    std::lock_guard lock(m_mutex);
    return m_releases;
}

int MockUsbDevice::clearHaltCount() const
{
    std::lock_guard lock(m_mutex);
    return m_clearHalts;
}

bool MockUsbDevice::unplugged() const
{
    std::lock_guard lock(m_mutex);
    return m_unplugged;
}

void MockUsbDevice::fulfilLocked()
{
    for (qsizetype i = 0; i < m_pendingIn.size();) {
        Urb &u = m_pendingIn[i];
        auto *urb = reinterpret_cast<usbdevfs_urb *>(u.urb->data);
        if (m_stall.value(u.endpoint)) {
            m_stall[u.endpoint] = false;
            urb->actual_length = 0;
            m_completed.append({u, -EPIPE});
            m_pendingIn.removeAt(i);
            continue;
        }
        QList<QByteArray> &queue = m_in[u.endpoint];
        if (queue.isEmpty()) {
            ++i;
            continue;
        }
        QByteArray &chunk = queue.first();
        const int n = int(qMin<qsizetype>(chunk.size(), u.length));
        std::memcpy(u.buffer->data, chunk.constData(), size_t(n));
        urb->actual_length = n;
        chunk.remove(0, n);
        if (chunk.isEmpty())
            queue.removeFirst();
        m_completed.append({u, 0});
        m_pendingIn.removeAt(i);
    }
}

bool MockUsbDevice::handleIoctl(UMockdevIoctlClient *client)
{
    const gulong request = umockdev_ioctl_client_get_request(client);
    UMockdevIoctlData *arg = umockdev_ioctl_client_get_arg(client);
    OutHandler outHandler;
    quint8 outEp = 0;
    QByteArray outBytes;
    {
        std::lock_guard lock(m_mutex);
        const bool gone = m_unplugged;
        switch (request) {
        case USBDEVFS_GET_CAPABILITIES: {
            UMockdevIoctlData *d = umockdev_ioctl_data_resolve(arg, 0, sizeof(guint32), nullptr);
            *reinterpret_cast<guint32 *>(d->data) = USBDEVFS_CAP_BULK_CONTINUATION | USBDEVFS_CAP_NO_PACKET_SIZE_LIM
                | USBDEVFS_CAP_REAP_AFTER_DISCONNECT | USBDEVFS_CAP_ZERO_PACKET;
            umockdev_ioctl_data_unref(d);
            umockdev_ioctl_client_complete(client, 0, 0);
            return true;
        }
        case USBDEVFS_GETDRIVER:
            // No kernel driver bound: auto-detach has nothing to do.
            umockdev_ioctl_client_complete(client, -1, ENODATA);
            return true;
        case USBDEVFS_CLAIMINTERFACE:
        case USBDEVFS_DISCONNECT_CLAIM:
            if (gone || m_claimError) {
                umockdev_ioctl_client_complete(client, -1, gone ? ENODEV : std::exchange(m_claimError, 0));
                return true;
            }
            ++m_claims;
            umockdev_ioctl_client_complete(client, 0, 0);
            return true;
        case USBDEVFS_RELEASEINTERFACE:
            ++m_releases;
            umockdev_ioctl_client_complete(client, gone ? -1 : 0, gone ? ENODEV : 0);
            return true;
        case USBDEVFS_CLEAR_HALT:
            ++m_clearHalts;
            umockdev_ioctl_client_complete(client, 0, 0);
            return true;
        case USBDEVFS_IOCTL:
        case USBDEVFS_RESET:
        case USBDEVFS_RESETEP:
        case USBDEVFS_SETINTERFACE:
        case USBDEVFS_SETCONFIGURATION:
            umockdev_ioctl_client_complete(client, 0, 0);
            return true;
        case USBDEVFS_SUBMITURB: {
            if (gone) {
                umockdev_ioctl_client_complete(client, -1, ENODEV);
                return true;
            }
            UMockdevIoctlData *urbData = umockdev_ioctl_data_resolve(arg, 0, sizeof(usbdevfs_urb), nullptr);
            auto *urb = reinterpret_cast<usbdevfs_urb *>(urbData->data);
            UMockdevIoctlData *buf = umockdev_ioctl_data_resolve(urbData, G_STRUCT_OFFSET(usbdevfs_urb, buffer),
                                                                 gsize(urb->buffer_length), nullptr);
            Urb u{urbData, buf, urb->endpoint, urb->buffer_length, urbData->client_addr};
            if (urb->type != USBDEVFS_URB_TYPE_BULK && urb->type != USBDEVFS_URB_TYPE_INTERRUPT) {
                umockdev_ioctl_data_unref(buf);
                umockdev_ioctl_data_unref(urbData);
                umockdev_ioctl_client_complete(client, -1, EINVAL);
                return true;
            }
            if (urb->endpoint & 0x80) {
                m_pendingIn.append(u);
                fulfilLocked();
            } else {
                outEp = urb->endpoint;
                outBytes = QByteArray(reinterpret_cast<const char *>(buf->data), urb->buffer_length);
                m_out[outEp].append(outBytes);
                urb->actual_length = urb->buffer_length;
                m_completed.append({u, 0});
                outHandler = m_outHandler;
            }
            umockdev_ioctl_client_complete(client, 0, 0);
            break;
        }
        case USBDEVFS_REAPURB:
        case USBDEVFS_REAPURBNDELAY: {
            fulfilLocked();
            if (m_completed.isEmpty()) {
                umockdev_ioctl_client_complete(client, -1, gone ? ENODEV : EAGAIN);
                return true;
            }
            auto [u, status] = m_completed.takeFirst();
            reinterpret_cast<usbdevfs_urb *>(u.urb->data)->status = status;
            UMockdevIoctlData *ptr = umockdev_ioctl_data_resolve(arg, 0, sizeof(gpointer), nullptr);
            umockdev_ioctl_data_set_ptr(ptr, 0, u.urb);
            umockdev_ioctl_data_unref(ptr);
            umockdev_ioctl_data_unref(u.buffer);
            umockdev_ioctl_data_unref(u.urb);
            umockdev_ioctl_client_complete(client, 0, 0);
            return true;
        }
        case USBDEVFS_DISCARDURB: {
            const unsigned long addr = reinterpret_cast<unsigned long>(*reinterpret_cast<void **>(arg->data));
            for (qsizetype i = 0; i < m_pendingIn.size(); ++i) {
                if (m_pendingIn[i].clientAddr == addr) {
                    m_completed.append({m_pendingIn.takeAt(i), -ENOENT});
                    umockdev_ioctl_client_complete(client, 0, 0);
                    return true;
                }
            }
            umockdev_ioctl_client_complete(client, -1, EINVAL);
            return true;
        }
        default:
            return false;
        }
    }
    // Outside the lock: the device model may queue replies.
    if (outHandler)
        outHandler(outEp, outBytes);
    return true;
}

namespace {
gboolean onHandleIoctl(UMockdevIoctlBase *, UMockdevIoctlClient *client, gpointer device)
{
    return static_cast<MockUsbDevice *>(device)->handleIoctl(client);
}
} // namespace

MockUsbBus::MockUsbBus()
{
    m_testbed = umockdev_testbed_new();
}

MockUsbBus::~MockUsbBus()
{
    // The testbed goes first so no handler runs while the devices are destroyed.
    g_object_unref(m_testbed);
    for (auto &entry : m_devices)
        g_object_unref(entry.second.first);
}

QString MockUsbBus::sysPath(int address)
{
    return QStringLiteral("/sys/devices/usb1/1-%1").arg(address);
}

MockUsbDevice *MockUsbBus::addDevice(int address, const QByteArray &descriptors)
{
    auto device = std::make_unique<MockUsbDevice>();
    UMockdevIoctlBase *handler = umockdev_ioctl_base_new();
    g_signal_connect(handler, "handle-ioctl", G_CALLBACK(onHandleIoctl), device.get());
    const QByteArray node = QStringLiteral("/dev/bus/usb/001/%1").arg(address, 3, 10, QLatin1Char('0')).toLatin1();
    umockdev_testbed_attach_ioctl(m_testbed, node.constData(), handler, nullptr);
    const QByteArray spec = QStringLiteral(
        "P: /devices/usb1/1-%1\n"
        "N: bus/usb/001/%2\n"
        "E: SUBSYSTEM=usb\n"
        "E: DEVTYPE=usb_device\n"
        "E: BUSNUM=001\n"
        "E: DEVNUM=%2\n"
        "E: DEVNAME=/dev/bus/usb/001/%2\n"
        "A: busnum=1\\n\n"
        "A: devnum=%1\\n\n"
        "A: bConfigurationValue=1\\n\n"
        "A: speed=12\\n\n"
        "H: descriptors=%3\n")
        .arg(address).arg(address, 3, 10, QLatin1Char('0')).arg(QString::fromLatin1(descriptors.toHex())).toLatin1();
    GError *error = nullptr;
    umockdev_testbed_add_from_string(m_testbed, spec.constData(), &error);
    if (error) {
        qWarning("umockdev_testbed_add_from_string: %s", error->message);
        g_error_free(error);
    }
    MockUsbDevice *raw = device.get();
    m_devices.emplace(address, std::make_pair(handler, std::move(device)));
    return raw;
}

void MockUsbBus::unplug(int address)
{
    auto it = m_devices.find(address);
    if (it == m_devices.end())
        return;
    {
        MockUsbDevice *dev = it->second.second.get();
        std::lock_guard lock(dev->m_mutex);
        dev->m_unplugged = true;
    }
    const QByteArray path = sysPath(address).toLatin1();
    umockdev_testbed_uevent(m_testbed, path.constData(), "remove");
}

QByteArray MockUsbBus::samReaderDescriptors()
{
    return QByteArray::fromHex(
        "120100020000004000045ac3000101020301"   // device 0400:c35a, EP0 64
        "09022e000101008032"                 // config: 46 bytes, 1 interface
        "0904000004ff000000"                     // interface 0: 4 EPs, vendor class
        "0705020240000007050602400000"           // bulk OUT 0x02, 0x06
        "0705810240000007058502400000");         // bulk IN 0x81, 0x85
}

QByteArray MockUsbBus::printerDescriptors(quint16 vid, quint16 pid)
{
    QByteArray d = QByteArray::fromHex("120100020000004000000000000101020301");
    d[8] = char(vid & 0xFF);
    d[9] = char(vid >> 8);
    d[10] = char(pid & 0xFF);
    d[11] = char(pid >> 8);
    d += QByteArray::fromHex("090220000101008032"   // config: 32 bytes, 1 interface
                             "090400000207010200"     // interface 0: printer, bidirectional
                             "07050102400000"         // bulk OUT 0x01
                             "07058202400000");       // bulk IN 0x82
    return d;
}

QByteArray MockUsbBus::hidScannerDescriptors(quint16 vid, quint16 pid)
{
    QByteArray d = QByteArray::fromHex("120100020000004000000000000101020301");
    d[8] = char(vid & 0xFF);
    d[9] = char(vid >> 8);
    d[10] = char(pid & 0xFF);
    d[11] = char(pid >> 8);
    d += QByteArray::fromHex("090229000101008032"     // config: 41 bytes, 1 interface
                             "090400000203000000"     // interface 0: HID, no boot protocol
                             "092111010001222100"     // HID descriptor, report descriptor 33 bytes
                             "07058103400001"         // interrupt IN 0x81
                             "07050203400001");       // interrupt OUT 0x02
    return d;
}

} // namespace hcp::test

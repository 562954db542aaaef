// SPDX-License-Identifier: Apache-2.0
#include "usbtransport.h"

#include <QLoggingCategory>

#include <libusb.h>

Q_LOGGING_CATEGORY(lcUsb, "hcp.hardware.usb")

namespace hcp::hardware {

TransportStatus usbErrorToStatus(int e)
{
    switch (e) {
    case LIBUSB_SUCCESS: return TransportStatus::Ok;
    case LIBUSB_ERROR_IO: return TransportStatus::Io;
    case LIBUSB_ERROR_INVALID_PARAM: return TransportStatus::InvalidArgument;
    case LIBUSB_ERROR_ACCESS: return TransportStatus::Access;
    case LIBUSB_ERROR_NO_DEVICE: return TransportStatus::NoDevice;
    case LIBUSB_ERROR_NOT_FOUND: return TransportStatus::NoDevice;
    case LIBUSB_ERROR_BUSY: return TransportStatus::Busy;
    case LIBUSB_ERROR_TIMEOUT: return TransportStatus::Timeout;
    case LIBUSB_ERROR_OVERFLOW: return TransportStatus::Io;
    case LIBUSB_ERROR_PIPE: return TransportStatus::Pipe;
    case LIBUSB_ERROR_INTERRUPTED: return TransportStatus::Io;
    case LIBUSB_ERROR_NO_MEM: return TransportStatus::Other;
    case LIBUSB_ERROR_NOT_SUPPORTED: return TransportStatus::InvalidArgument;
    case LIBUSB_ERROR_OTHER: return TransportStatus::Other;
    default: break;
    }
    return TransportStatus::Other;
}

QString usbErrorDetail(int e, const QString &where)
{
    QString hint;
    switch (e) {
    case LIBUSB_ERROR_ACCESS: hint = QStringLiteral("; a udev rule granting access is missing"); break;
    case LIBUSB_ERROR_BUSY: hint = QStringLiteral("; another process holds the interface"); break;
    case LIBUSB_ERROR_NO_DEVICE: hint = QStringLiteral("; the device was unplugged"); break;
    case LIBUSB_ERROR_PIPE: hint = QStringLiteral("; endpoint stalled, halt cleared"); break;
    case LIBUSB_ERROR_OVERFLOW: hint = QStringLiteral("; the device sent more than requested"); break;
    default: break;
    }
    return QStringLiteral("%1 (%2) %3%4")
        .arg(QLatin1String(libusb_error_name(e)), QLatin1String(libusb_strerror(e)), where, hint);
}

UsbTransport::UsbTransport(Config config)
    : m_config(std::move(config))
{
}

UsbTransport::~UsbTransport()
{
    close();
}

QString UsbTransport::description() const
{
    QString s = QStringLiteral("usb");
    if (m_config.vendorId || m_config.productId)
        s += QStringLiteral(" %1:%2").arg(m_config.vendorId, 4, 16, QLatin1Char('0')).arg(m_config.productId, 4, 16, QLatin1Char('0'));
    if (m_config.interfaceClass >= 0)
        s += QStringLiteral(" class %1").arg(m_config.interfaceClass);
    if (!m_where.isEmpty())
        s += QStringLiteral(" at %1").arg(m_where);
    return s;
}

bool UsbTransport::fail(TransportStatus status, const QString &detail)
{
    m_openResult.status = status;
    m_openResult.detail = detail;
    qCWarning(lcUsb).noquote() << description() << "open failed:" << detail;
    close();
    return false;
}

bool UsbTransport::open()
{
    close();
    m_openResult = {};
    int rc = libusb_init(&m_ctx);
    if (rc != LIBUSB_SUCCESS) {
        m_ctx = nullptr;
        return fail(usbErrorToStatus(rc), usbErrorDetail(rc, QStringLiteral("in libusb_init")));
    }

    libusb_device **list = nullptr;
    const ssize_t count = libusb_get_device_list(m_ctx, &list);
    if (count < 0)
        return fail(usbErrorToStatus(int(count)), usbErrorDetail(int(count), QStringLiteral("listing devices")));

    libusb_device *chosen = nullptr;
    int chosenInterface = -1;
    QList<EndpointPair> autoChannels;
    QMap<quint8, bool> interruptEp;
    QMap<quint8, int> packetSize;
    for (ssize_t i = 0; i < count && !chosen; ++i) {
        libusb_device *dev = list[i];
        libusb_device_descriptor dd{};
        if (libusb_get_device_descriptor(dev, &dd) != LIBUSB_SUCCESS)
            continue;
        if (m_config.vendorId && dd.idVendor != m_config.vendorId)
            continue;
        if (m_config.productId && dd.idProduct != m_config.productId)
            continue;
        if (m_config.busNumber >= 0 && libusb_get_bus_number(dev) != m_config.busNumber)
            continue;
        if (m_config.deviceAddress >= 0 && libusb_get_device_address(dev) != m_config.deviceAddress)
            continue;
        libusb_config_descriptor *cfg = nullptr;
        if (libusb_get_active_config_descriptor(dev, &cfg) != LIBUSB_SUCCESS
            && libusb_get_config_descriptor(dev, 0, &cfg) != LIBUSB_SUCCESS)
            continue;
        for (int n = 0; n < cfg->bNumInterfaces && !chosen; ++n) {
            if (cfg->interface[n].num_altsetting < 1)
                continue;
            const libusb_interface_descriptor &alt = cfg->interface[n].altsetting[0];
            if (m_config.interfaceClass >= 0 && alt.bInterfaceClass != m_config.interfaceClass)
                continue;
            if (m_config.interfaceNumber >= 0 && alt.bInterfaceNumber != m_config.interfaceNumber)
                continue;
            EndpointPair first;
            for (int e = 0; e < alt.bNumEndpoints; ++e) {
                const libusb_endpoint_descriptor &ep = alt.endpoint[e];
                const int type = ep.bmAttributes & LIBUSB_TRANSFER_TYPE_MASK;
                if (type != LIBUSB_TRANSFER_TYPE_BULK && type != LIBUSB_TRANSFER_TYPE_INTERRUPT)
                    continue;
                interruptEp[ep.bEndpointAddress] = type == LIBUSB_TRANSFER_TYPE_INTERRUPT;
                packetSize[ep.bEndpointAddress] = qMax(1, int(ep.wMaxPacketSize & 0x7FF));
                if ((ep.bEndpointAddress & LIBUSB_ENDPOINT_DIR_MASK) == LIBUSB_ENDPOINT_IN) {
                    if (!first.in)
                        first.in = ep.bEndpointAddress;
                } else if (!first.out) {
                    first.out = ep.bEndpointAddress;
                }
            }
            chosen = dev;
            chosenInterface = alt.bInterfaceNumber;
            autoChannels = {first};
            m_where = QStringLiteral("bus %1 addr %2 if %3").arg(libusb_get_bus_number(dev)).arg(libusb_get_device_address(dev)).arg(chosenInterface);
        }
        libusb_free_config_descriptor(cfg);
    }

    if (!chosen) {
        libusb_free_device_list(list, 1);
        return fail(TransportStatus::NoDevice, QStringLiteral("no matching USB device"));
    }
    rc = libusb_open(chosen, &m_handle);
    libusb_free_device_list(list, 1);
    if (rc != LIBUSB_SUCCESS) {
        m_handle = nullptr;
        return fail(usbErrorToStatus(rc), usbErrorDetail(rc, QStringLiteral("in libusb_open")));
    }
    // usblp / usbhid may own the interface; libusb detaches on claim and reattaches on release.
    rc = libusb_set_auto_detach_kernel_driver(m_handle, 1);
    if (rc != LIBUSB_SUCCESS && rc != LIBUSB_ERROR_NOT_SUPPORTED)
        return fail(usbErrorToStatus(rc), usbErrorDetail(rc, QStringLiteral("enabling kernel driver auto-detach")));
    rc = libusb_claim_interface(m_handle, chosenInterface);
    if (rc != LIBUSB_SUCCESS)
        return fail(usbErrorToStatus(rc), usbErrorDetail(rc, QStringLiteral("claiming interface %1").arg(chosenInterface)));
    m_interface = chosenInterface;
    m_claimed = true;
    m_channels = m_config.channels.isEmpty() ? autoChannels : m_config.channels;
    m_interruptEndpoint = interruptEp;
    m_packetSize = packetSize;
    qCInfo(lcUsb).noquote() << "opened" << description();
    return true;
}

void UsbTransport::close()
{
    if (m_handle) {
        if (m_claimed) {
            const int rc = libusb_release_interface(m_handle, m_interface);
            if (rc != LIBUSB_SUCCESS && rc != LIBUSB_ERROR_NO_DEVICE)
                qCWarning(lcUsb).noquote() << usbErrorDetail(rc, QStringLiteral("releasing interface %1").arg(m_interface));
        }
        libusb_close(m_handle);
        m_handle = nullptr;
    }
    m_claimed = false;
    m_interface = -1;
    m_pending.clear();
    if (m_ctx) {
        libusb_exit(m_ctx);
        m_ctx = nullptr;
    }
}

bool UsbTransport::isOpen() const
{
    return m_handle && m_claimed;
}

TransferResult UsbTransport::transfer(quint8 endpoint, unsigned char *data, int length, int timeoutMs)
{
    TransferResult r;
    int transferred = 0;
    const int rc = m_interruptEndpoint.value(endpoint)
        ? libusb_interrupt_transfer(m_handle, endpoint, data, length, &transferred, unsigned(qMax(0, timeoutMs)))
        : libusb_bulk_transfer(m_handle, endpoint, data, length, &transferred, unsigned(qMax(0, timeoutMs)));
    if (rc == LIBUSB_ERROR_PIPE)
        libusb_clear_halt(m_handle, endpoint);
    r.status = usbErrorToStatus(rc);
    if (rc != LIBUSB_SUCCESS)
        r.detail = usbErrorDetail(rc, QStringLiteral("on EP 0x%1").arg(endpoint, 2, 16, QLatin1Char('0')));
    // A timed-out transfer may still have moved data (§5.1): callers always see it.
    r.data = QByteArray(reinterpret_cast<const char *>(data), transferred);
    return r;
}

TransferResult UsbTransport::write(const QByteArray &bytes, int timeoutMs, int channel)
{
    TransferResult r;
    if (!isOpen()) {
        r.status = TransportStatus::NotOpen;
        r.detail = QStringLiteral("%1 is not open").arg(description());
        return r;
    }
    if (channel < 0 || channel >= m_channels.size() || !m_channels[channel].out) {
        r.status = TransportStatus::InvalidArgument;
        r.detail = QStringLiteral("channel %1 has no OUT endpoint").arg(channel);
        return r;
    }
    QByteArray copy = bytes;
    return transfer(m_channels[channel].out, reinterpret_cast<unsigned char *>(copy.data()), int(copy.size()), timeoutMs);
}

TransferResult UsbTransport::read(int maxBytes, int timeoutMs, int channel)
{
    TransferResult r;
    if (!isOpen()) {
        r.status = TransportStatus::NotOpen;
        r.detail = QStringLiteral("%1 is not open").arg(description());
        return r;
    }
    if (channel < 0 || channel >= m_channels.size() || !m_channels[channel].in || maxBytes <= 0) {
        r.status = TransportStatus::InvalidArgument;
        r.detail = QStringLiteral("channel %1 has no IN endpoint").arg(channel);
        return r;
    }
    QByteArray &pending = m_pending[channel];
    if (!pending.isEmpty()) {
        r.data = pending.left(maxBytes);
        pending.remove(0, r.data.size());
        return r;
    }
    const quint8 ep = m_channels[channel].in;
    const int packet = m_packetSize.value(ep, 64);
    // Whole packets, or the host controller reports LIBUSB_ERROR_OVERFLOW for a long packet.
    QByteArray buffer(((maxBytes + packet - 1) / packet) * packet, '\0');
    r = transfer(ep, reinterpret_cast<unsigned char *>(buffer.data()), int(buffer.size()), timeoutMs);
    if (r.data.size() > maxBytes) {
        pending = r.data.mid(maxBytes);
        r.data.truncate(maxBytes);
    }
    return r;
}

} // namespace hcp::hardware

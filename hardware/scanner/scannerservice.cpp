// SPDX-License-Identifier: Apache-2.0
#include "scannerservice.h"

#include "hardware/evdevtransport.h"
#include "hardware/usbtransport.h"
#include "scannerworker.h"

namespace hcp::hardware {

ScannerService::ScannerService(TransportFactory factory, Mode mode, QObject *parent)
    : ScannerService(std::move(factory), mode, Options{}, parent)
{
}

ScannerService::ScannerService(TransportFactory factory, Mode mode, const Options &options, QObject *parent)
    : QObject(parent)
    , m_mode(mode)
{
    m_thread.setObjectName(QStringLiteral("scanner"));
    m_worker = new ScannerWorker(std::move(factory), mode, options);
    m_worker->moveToThread(&m_thread);
    connect(m_worker, &ScannerWorker::scanned, this, &ScannerService::scanned);
    connect(m_worker, &ScannerWorker::stateChanged, this, [this](DeviceState s, const QString &reason) {
        m_state = s;
        emit stateChanged(s, reason);
    });
    m_thread.start();
}

ScannerService::~ScannerService()
{
    QMetaObject::invokeMethod(m_worker, &ScannerWorker::stop, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
    delete m_worker;
}

ScannerService::TransportFactory ScannerService::evdevFactory(const QString &eventNode)
{
    return [eventNode] { return std::make_unique<EvdevTransport>(eventNode, true); };
}

ScannerService::TransportFactory ScannerService::hidrawFactory(const QString &hidrawNode)
{
    return [hidrawNode] { return std::make_unique<HidrawTransport>(hidrawNode); };
}

ScannerService::TransportFactory ScannerService::usbHidPosFactory(quint16 vendorId, quint16 productId)
{
    return [vendorId, productId] {
        UsbTransport::Config c;
        c.vendorId = vendorId;
        c.productId = productId;
        c.interfaceClass = 3;   // HID; usbhid is detached while we hold the interface
        return std::make_unique<UsbTransport>(c);
    };
}

void ScannerService::start()
{
    m_running = true;
    QMetaObject::invokeMethod(m_worker, &ScannerWorker::start, Qt::QueuedConnection);
}

void ScannerService::stop()
{
    m_running = false;
    QMetaObject::invokeMethod(m_worker, &ScannerWorker::stop, Qt::QueuedConnection);
}

void ScannerService::reconnect()
{
    QMetaObject::invokeMethod(m_worker, &ScannerWorker::reconnect, Qt::QueuedConnection);
}

} // namespace hcp::hardware

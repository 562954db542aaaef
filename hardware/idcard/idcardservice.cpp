// SPDX-License-Identifier: Apache-2.0
#include "idcardservice.h"

#include "hardware/serialtransport.h"
#include "hardware/usbtransport.h"
#include "idcardworker.h"

namespace hcp::hardware {

IdCardService::IdCardService(TransportFactory factory, SamLink::Framing framing, QObject *parent)
    : QObject(parent)
{
    m_thread.setObjectName(QStringLiteral("idcard"));
    m_worker = new IdCardWorker(std::move(factory), framing);
    m_worker->moveToThread(&m_thread);
    connect(m_worker, &IdCardWorker::cardRead, this, &IdCardService::cardRead);
    connect(m_worker, &IdCardWorker::cardRemoved, this, &IdCardService::cardRemoved);
    connect(m_worker, &IdCardWorker::errorOccurred, this, &IdCardService::errorOccurred);
    connect(m_worker, &IdCardWorker::readOnceFinished, this, &IdCardService::readOnceFinished);
    connect(m_worker, &IdCardWorker::stateChanged, this, &IdCardService::onWorkerState);
    m_thread.start();
}

IdCardService::~IdCardService()
{
    // Cleanup runs on the worker thread (closing the transport it opened) before the thread ends.
    QMetaObject::invokeMethod(m_worker, &IdCardWorker::shutdown, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
    delete m_worker;
}

IdCardService::TransportFactory IdCardService::usbFactory()
{
    return [] {
        UsbTransport::Config c;
        c.vendorId = 0x0400;
        c.productId = 0xc35a;
        c.channels = {{0x02, 0x81}, {0x06, 0x85}};
        return std::make_unique<UsbTransport>(c);
    };
}

IdCardService::TransportFactory IdCardService::serialFactory(const QString &portName, qint32 baudRate)
{
    return [portName, baudRate] { return std::make_unique<SerialTransport>(portName, baudRate); };
}

void IdCardService::setTiming(const Timing &timing)
{
    QMetaObject::invokeMethod(m_worker, [w = m_worker, timing] { w->setTiming(timing); }, Qt::QueuedConnection);
}

void IdCardService::setPolling(bool enabled)
{
    if (enabled == m_polling)
        return;
    m_polling = enabled;
    QMetaObject::invokeMethod(m_worker, [w = m_worker, enabled] { w->setPolling(enabled); }, Qt::QueuedConnection);
    emit pollingChanged(enabled);
}

void IdCardService::readOnce()
{
    QMetaObject::invokeMethod(m_worker, &IdCardWorker::readOnce, Qt::QueuedConnection);
}

void IdCardService::reconnect()
{
    QMetaObject::invokeMethod(m_worker, &IdCardWorker::reconnect, Qt::QueuedConnection);
}

void IdCardService::onWorkerState(DeviceState state, const QString &reason)
{
    m_state = state;
    m_reason = reason;
    emit stateChanged(state, reason);
}

} // namespace hcp::hardware

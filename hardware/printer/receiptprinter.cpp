// SPDX-License-Identifier: Apache-2.0
#include "receiptprinter.h"

#include "transport.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QThread>

#include <atomic>

Q_LOGGING_CATEGORY(lcPrinter, "hcp.hardware.printer")

namespace hcp::hardware {

// Runs on ReceiptPrinter::m_thread only. Plain object: work is queued to it through
// m_context (a QObject living in the worker thread); results go back to the owner thread
// through queued invocations on `q`, so they are dropped if the service is already gone.
class ReceiptPrinterWorker {
public:
    ReceiptPrinterWorker(ReceiptPrinter *owner, ReceiptPrinter::TransportFactory factory)
        : q(owner), m_factory(std::move(factory)) {}

    ~ReceiptPrinterWorker() { dropTransport(); }

    struct Outcome {
        bool ok = true;
        ReceiptPrinter::Failure failure = ReceiptPrinter::Failure::IoError;
        QString detail;
    };

    void runPrint(quint64 id, const Receipt &receipt, const Receipt::Layout &layout)
    {
        if (m_stopping)
            return;
        const QByteArray job = receipt.toEscPos(layout);
        Outcome o = job.isEmpty()
            ? fail(ReceiptPrinter::Failure::InvalidReceipt, QStringLiteral("receipt cannot be rendered"))
            : ensureOpen();
        PrinterStatus st;
        bool blind = false;
        if (o.ok) {
            o = queryStatus(st);
            if (!o.ok && o.failure == ReceiptPrinter::Failure::NoResponse && !m_requireStatus) {
                qCInfo(lcPrinter) << "job" << id << "printed without status:" << o.detail;
                o = {};
                blind = true;
            }
        }
        if (o.ok && !blind)
            o = readiness(st, false);
        if (o.ok)
            o = send(job);
        if (o.ok && !blind) {
            o = queryStatus(st);
            if (o.ok)
                o = readiness(st, true);
        }
        if (o.ok) {
            qCInfo(lcPrinter) << "job" << id << "printed," << job.size() << "bytes";
            QMetaObject::invokeMethod(q, [q = q, id] { emit q->printed(id); }, Qt::QueuedConnection);
        } else {
            qCWarning(lcPrinter) << "job" << id << "failed:" << o.detail;
            QMetaObject::invokeMethod(q, [q = q, id, o] { emit q->failed(id, o.failure, o.detail); },
                                      Qt::QueuedConnection);
        }
    }

    void runStatus()
    {
        if (m_stopping)
            return;
        PrinterStatus st;
        Outcome o = ensureOpen();
        if (o.ok)
            o = queryStatus(st);
        if (!o.ok)
            QMetaObject::invokeMethod(q, [q = q, o] { emit q->statusQueryFailed(o.failure, o.detail); },
                                      Qt::QueuedConnection);
    }

    void dropTransport()
    {
        if (m_transport) {
            m_transport->close();
            m_transport.reset();
        }
    }

    std::atomic_bool m_stopping{false};
    int m_statusTimeoutMs = 500;
    bool m_requireStatus = true;

private:
    static Outcome fail(ReceiptPrinter::Failure f, const QString &detail) { return {false, f, detail}; }

    Outcome fromTransport(const TransferResult &r, const char *what)
    {
        const QString detail = QStringLiteral("%1: %2 %3").arg(QLatin1String(what),
                                                               transportStatusText(r.status), r.detail);
        switch (r.status) {
        case TransportStatus::Ok:
            return {};
        case TransportStatus::NoDevice:
        case TransportStatus::NotOpen:
            dropTransport();  // re-created by the factory on the next job (hotplug)
            return fail(ReceiptPrinter::Failure::Unplugged, detail);
        case TransportStatus::Timeout:
            return fail(ReceiptPrinter::Failure::Timeout, detail);
        default:
            return fail(ReceiptPrinter::Failure::IoError, detail);
        }
    }

    Outcome ensureOpen()
    {
        if (m_transport && m_transport->isOpen())
            return {};
        if (!m_transport && m_factory)
            m_transport = m_factory();
        if (!m_transport)
            return fail(ReceiptPrinter::Failure::Unplugged, QStringLiteral("no printer transport"));
        if (!m_transport->open()) {
            const QString d = QStringLiteral("cannot open %1").arg(m_transport->description());
            m_transport.reset();
            return fail(ReceiptPrinter::Failure::Unplugged, d);
        }
        return {};
    }

    Outcome queryStatus(PrinterStatus &st)
    {
        st = PrinterStatus{};
        // A reply that arrived after an earlier timeout would be taken as the answer to the
        // next request: discard whatever is already waiting on bulk IN (1 ms per read).
        for (int i = 0; i < 8; ++i) {
            const TransferResult stale = m_transport->read(64, 1);
            if (!stale.ok() || stale.data.isEmpty())
                break;
            qCDebug(lcPrinter) << "discarded stale printer bytes" << stale.data.toHex(' ');
        }
        for (int n = 1; n <= 4; ++n) {
            const TransferResult w = m_transport->write(EscPos::statusRequest(n), 1000);
            if (!w.ok())
                return fromTransport(w, "status request");
            const TransferResult r = m_transport->read(1, m_statusTimeoutMs);
            if (r.status == TransportStatus::Timeout || (r.ok() && r.data.isEmpty()))
                return fail(ReceiptPrinter::Failure::NoResponse,
                            QStringLiteral("no reply to DLE EOT %1").arg(n));
            if (!r.ok())
                return fromTransport(r, "status reply");
            if (!EscPos::applyStatusReply(n, quint8(r.data.back()), st))
                return fail(ReceiptPrinter::Failure::NoResponse,
                            QStringLiteral("invalid reply 0x%1 to DLE EOT %2")
                                .arg(quint8(r.data.back()), 2, 16, QLatin1Char('0')).arg(n));
        }
        st.valid = true;
        q->storeStatus(st);
        return {};
    }

    static Outcome readiness(const PrinterStatus &st, bool afterJob)
    {
        const QString when = afterJob ? QStringLiteral(" after printing") : QString();
        if (st.paperEnd)
            return fail(ReceiptPrinter::Failure::PaperOut, QStringLiteral("paper end") + when);
        if (st.coverOpen)
            return fail(ReceiptPrinter::Failure::CoverOpen, QStringLiteral("cover open") + when);
        if (st.cutterError || st.unrecoverableError)
            return fail(ReceiptPrinter::Failure::CutterError, QStringLiteral("cutter/unrecoverable error") + when);
        if (!st.online)
            return fail(ReceiptPrinter::Failure::Offline, QStringLiteral("offline") + when);
        return {};
    }

    Outcome send(const QByteArray &job)
    {
        // 4 KiB chunks keep each bulk transfer well under the 5 s usblp-style timeout even
        // at the slowest printers' ~2 KiB/s raster throughput.
        constexpr qsizetype chunk = 4096;
        for (qsizetype off = 0; off < job.size(); off += chunk) {
            const TransferResult w = m_transport->write(job.mid(off, chunk), 5000);
            if (!w.ok())
                return fromTransport(w, "job write");
        }
        return {};
    }

    ReceiptPrinter *q;
    ReceiptPrinter::TransportFactory m_factory;
    std::unique_ptr<Transport> m_transport;
};

ReceiptPrinter::ReceiptPrinter(TransportFactory factory, QObject *parent)
    : QObject(parent), m_thread(new QThread)
{
    qRegisterMetaType<hcp::hardware::PrinterStatus>();
    qRegisterMetaType<hcp::hardware::ReceiptPrinter::Failure>();
    m_thread->setObjectName(QStringLiteral("hcp-printer"));
    m_worker = new ReceiptPrinterWorker(this, std::move(factory));
    m_context.moveToThread(m_thread);
    m_thread->start();
}

ReceiptPrinter::~ReceiptPrinter()
{
    m_worker->m_stopping = true;
    // Runs after the job in progress; queued jobs are skipped. Closes the transport on the
    // thread that opened it, and hands m_context back to this thread (only its current thread
    // may push it) so that it is destroyed where it lives.
    QThread *owner = QThread::currentThread();
    QMetaObject::invokeMethod(&m_context, [this, owner] {
        delete m_worker;
        m_worker = nullptr;
        m_context.moveToThread(owner);
    }, Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
    delete m_thread;
}

void ReceiptPrinter::setLayout(const Receipt::Layout &layout)
{
    QMutexLocker lock(&m_mutex);
    m_layout = layout;
}

void ReceiptPrinter::setStatusTimeoutMs(int ms)
{
    QMetaObject::invokeMethod(&m_context, [w = m_worker, ms] { w->m_statusTimeoutMs = ms; },
                              Qt::QueuedConnection);
}

void ReceiptPrinter::setRequireStatus(bool require)
{
    QMetaObject::invokeMethod(&m_context, [w = m_worker, require] { w->m_requireStatus = require; },
                              Qt::QueuedConnection);
}

quint64 ReceiptPrinter::print(const Receipt &receipt)
{
    QMutexLocker lock(&m_mutex);
    const quint64 id = m_nextJob++;
    const Receipt::Layout layout = m_layout;
    QMetaObject::invokeMethod(&m_context, [w = m_worker, id, receipt, layout] {
        w->runPrint(id, receipt, layout);
    }, Qt::QueuedConnection);
    return id;
}

void ReceiptPrinter::refreshStatus()
{
    QMetaObject::invokeMethod(&m_context, [w = m_worker] { w->runStatus(); }, Qt::QueuedConnection);
}

PrinterStatus ReceiptPrinter::status() const
{
    QMutexLocker lock(&m_mutex);
    return m_status;
}

void ReceiptPrinter::storeStatus(const PrinterStatus &s)
{
    {
        QMutexLocker lock(&m_mutex);
        if (m_status == s)
            return;
        m_status = s;
    }
    QMetaObject::invokeMethod(this, [this, s] { emit statusChanged(s); }, Qt::QueuedConnection);
}

QString ReceiptPrinter::failureText(Failure f)
{
    switch (f) {
    case Failure::PaperOut: return QCoreApplication::translate("hcp::hardware::ReceiptPrinter", "打印纸已用完");
    case Failure::CoverOpen: return QCoreApplication::translate("hcp::hardware::ReceiptPrinter", "打印机盖未关闭");
    case Failure::Offline: return QCoreApplication::translate("hcp::hardware::ReceiptPrinter", "打印机离线");
    case Failure::CutterError: return QCoreApplication::translate("hcp::hardware::ReceiptPrinter", "切纸器故障");
    case Failure::Unplugged: return QCoreApplication::translate("hcp::hardware::ReceiptPrinter", "未连接打印机");
    case Failure::NoResponse: return QCoreApplication::translate("hcp::hardware::ReceiptPrinter", "打印机无应答");
    case Failure::Timeout: return QCoreApplication::translate("hcp::hardware::ReceiptPrinter", "打印超时");
    case Failure::IoError: return QCoreApplication::translate("hcp::hardware::ReceiptPrinter", "打印机通信错误");
    case Failure::InvalidReceipt: return QCoreApplication::translate("hcp::hardware::ReceiptPrinter", "凭条内容无效");
    }
    return {};
}

} // namespace hcp::hardware

// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "transport.h"

#include <QElapsedTimer>
#include <QList>
#include <QMap>

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>

namespace hcp::hardware {

// In-memory Transport for unit tests and simulators. Thread-safe: the device service calls
// read()/write() on its worker thread while a test or simulator feeds bytes from another.
// Each channel has its own receive queue (USB two-pipe readers use channels 0 and 1).
class FakeTransport : public Transport {
public:
    // Called (with no lock held, on the writer's thread) for every successful write. Simulators
    // install one to answer requests by calling feedReceived().
    using WriteHandler = std::function<void(const QByteArray &bytes, int channel)>;

    explicit FakeTransport(QString description = QStringLiteral("fake"));

    bool open() override;
    void close() override;
    bool isOpen() const override;
    TransferResult write(const QByteArray &bytes, int timeoutMs, int channel = 0) override;
    TransferResult read(int maxBytes, int timeoutMs, int channel = 0) override;
    QString description() const override;

    // Bytes the host will read on `channel`; they become readable after delayMs (slow device).
    void feedReceived(const QByteArray &bytes, int channel = 0, int delayMs = 0);
    // Everything the host wrote on `channel` so far.
    QByteArray writtenData(int channel = 0) const;
    QList<QByteArray> writes(int channel = 0) const;
    void clearWritten();
    // The next `count` transfers (read or write; -1 = every one until cleared) fail with `status`.
    // NoDevice also makes open() fail while active (an unplugged device).
    void injectError(TransportStatus status, int count = 1, QString detail = {});
    void clearError();
    void setWriteHandler(WriteHandler handler);
    // When false, open() fails with NoDevice (device absent).
    void setPresent(bool present);
    int openCount() const;
    int closeCount() const;

    // A Transport that forwards every call to this fake without owning it, for services that own
    // what their factory returns (the fake must outlive every handle).
    std::unique_ptr<Transport> makeHandle();

private:
    struct Chunk {
        QByteArray bytes;
        qint64 readyAtMs;
    };
    bool takeError(TransferResult *r);

    mutable std::mutex m_mutex;
    std::condition_variable m_cv;
    QString m_description;
    bool m_open = false;
    bool m_present = true;
    int m_openCount = 0;
    int m_closeCount = 0;
    QMap<int, QList<Chunk>> m_rx;
    QMap<int, QList<QByteArray>> m_tx;
    TransportStatus m_errorStatus = TransportStatus::Ok;
    int m_errorCount = 0;
    QString m_errorDetail;
    WriteHandler m_writeHandler;
    QElapsedTimer m_clock;
};

} // namespace hcp::hardware

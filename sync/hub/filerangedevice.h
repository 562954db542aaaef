// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QFile>
#include <QIODevice>

namespace hcp::sync::hub {

// A read-only window [offset, offset + length) of a file, for streaming a bundle or a byte range
// of it with QHttpServerResponder::write(QIODevice *) (Qt 6.4): the responder sends
// Content-Length = size() and then pulls the bytes in small pieces as the socket drains, so a
// response never holds more than one piece of the file in memory.
// Reads hand out at most kChunkBytes at a time. Not sequential (size() is known). Lives on the
// thread that uses it (the HubServer's); the responder takes ownership.
class FileRangeDevice : public QIODevice
{
    Q_OBJECT
public:
    static constexpr qint64 kChunkBytes = 64 * 1024;

    FileRangeDevice(const QString &path, qint64 offset, qint64 length, QObject *parent = nullptr);

    // Opens the file and positions it at offset; false when the file cannot be read or is
    // shorter than offset + length (errorString() says why).
    bool open(OpenMode mode) override;
    void close() override;
    bool isSequential() const override { return false; }
    qint64 size() const override { return m_length; }
    bool seek(qint64 pos) override;

protected:
    qint64 readData(char *data, qint64 maxSize) override;
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    QFile m_file;
    qint64 m_offset;
    qint64 m_length;
    qint64 m_consumed = 0;
};

} // namespace hcp::sync::hub

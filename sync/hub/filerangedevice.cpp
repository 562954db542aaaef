// SPDX-License-Identifier: Apache-2.0
#include "filerangedevice.h"

namespace hcp::sync::hub {

FileRangeDevice::FileRangeDevice(const QString &path, qint64 offset, qint64 length, QObject *parent)
    : QIODevice(parent)
    , m_file(path)
    , m_offset(offset)
    , m_length(length)
{
}

bool FileRangeDevice::open(OpenMode mode)
{
    if ((mode & WriteOnly) || m_offset < 0 || m_length < 0) {
        setErrorString(QStringLiteral("read-only window with a non-negative offset and length"));
        return false;
    }
    if (!m_file.open(QIODevice::ReadOnly)) {
        setErrorString(m_file.errorString());
        return false;
    }
    if (m_file.size() < m_offset + m_length || !m_file.seek(m_offset)) {
        setErrorString(QStringLiteral("%1 is shorter than %2 bytes").arg(m_file.fileName()).arg(m_offset + m_length));
        m_file.close();
        return false;
    }
    m_consumed = 0;
    // Unbuffered: readData sees every position change, and no read-ahead buffer piles up.
    return QIODevice::open(ReadOnly | Unbuffered);
}

void FileRangeDevice::close()
{
    QIODevice::close();
    m_file.close();
}

bool FileRangeDevice::seek(qint64 pos)
{
    if (pos < 0 || pos > m_length || !m_file.seek(m_offset + pos))
        return false;
    m_consumed = pos;
    return QIODevice::seek(pos);
}

qint64 FileRangeDevice::readData(char *data, qint64 maxSize)
{
    const qint64 n = qMin(qMin(maxSize, kChunkBytes), m_length - m_consumed);
    if (n <= 0)
        return m_consumed >= m_length ? -1 : 0;
    const qint64 got = m_file.read(data, n);
    if (got < 0) {
        setErrorString(m_file.errorString());
        return -1;
    }
    m_consumed += got;
    return got;
}

} // namespace hcp::sync::hub

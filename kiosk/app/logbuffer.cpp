// SPDX-License-Identifier: Apache-2.0
#include "logbuffer.h"

#include "case.h"

#include <QDateTime>
#include <QMetaObject>
#include <QRegularExpression>

namespace hcp::kiosk {

namespace {
LogBuffer *g_buffer = nullptr;              // guarded by the install/uninstall order (GUI thread)
QtMessageHandler g_previous = nullptr;

const char *levelName(QtMsgType type)
{
    switch (type) {
    case QtDebugMsg: return "D";
    case QtInfoMsg: return "I";
    case QtWarningMsg: return "W";
    case QtCriticalMsg: return "E";
    case QtFatalMsg: return "F";
    }
    return "?";
}
} // namespace

LogBuffer::LogBuffer(int capacity, QObject *parent)
    : QObject(parent)
    , m_capacity(qMax(1, capacity))
{
}

LogBuffer::~LogBuffer()
{
    if (m_installed && g_buffer == this) {
        g_buffer = m_previousBuffer;
        if (!g_buffer)
            qInstallMessageHandler(g_previous);
    }
}

void LogBuffer::install()
{
    if (m_installed)
        return;
    // A second buffer (e.g. each window of hcp-kiosk-screentour) takes over the one handler; the
    // handler is installed only once, so it never forwards to itself.
    m_previousBuffer = g_buffer;
    if (!g_buffer)
        g_previous = qInstallMessageHandler(&LogBuffer::handler);
    g_buffer = this;
    m_installed = true;
}

void LogBuffer::handler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (LogBuffer *b = g_buffer)
        b->append(type, QString::fromLatin1(context.category ? context.category : "default"), message);
    if (g_previous)
        g_previous(type, context, message);
}

QString LogBuffer::mask(const QString &text)
{
    // Resident ID numbers: 17 digits + digit/X (or the old 15 digits), not inside a longer run.
    static const QRegularExpression id(QStringLiteral("(?<![0-9A-Za-z])(\\d{17}[\\dXx]|\\d{15})(?![0-9A-Za-z])"));
    static const QRegularExpression mobile(QStringLiteral("(?<![0-9A-Za-z])(1[3-9]\\d)(\\d{4})(\\d{4})(?![0-9A-Za-z])"));
    QString out;
    out.reserve(text.size());
    qsizetype last = 0;
    for (auto it = id.globalMatch(text); it.hasNext();) {
        const auto m = it.next();
        out += QStringView(text).mid(last, m.capturedStart() - last);
        out += maskIdNumber(m.captured(1));
        last = m.capturedEnd();
    }
    out += QStringView(text).mid(last);
    out.replace(mobile, QStringLiteral("\\1****\\3"));
    return out;
}

void LogBuffer::append(QtMsgType type, const QString &category, const QString &message)
{
    const QString line = QStringLiteral("%1 %2 %3: %4")
                             .arg(QDateTime::currentDateTime().toString(QStringLiteral("HH:mm:ss")),
                                  QLatin1String(levelName(type)), category, mask(message));
    {
        QMutexLocker lock(&m_mutex);
        m_lines.push_back(line);
        while (int(m_lines.size()) > m_capacity)
            m_lines.pop_front();
    }
    QMetaObject::invokeMethod(this, &LogBuffer::linesAdded, Qt::QueuedConnection);
}

QStringList LogBuffer::lines(int max) const
{
    QMutexLocker lock(&m_mutex);
    QStringList out;
    const int n = qMin<int>(max, int(m_lines.size()));
    for (auto it = m_lines.end() - n; it != m_lines.end(); ++it)
        out.append(*it);
    return out;
}

} // namespace hcp::kiosk

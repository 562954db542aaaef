// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QMutex>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QtGlobal>

#include <deque>

namespace hcp::kiosk {

// The kiosk's own recent log lines for the maintenance screen. install() puts a Qt message
// handler in front of the previous one (journald/stderr still get every message unchanged);
// the buffer keeps the last `capacity` lines, each MASKED before it is stored: ID numbers
// (18 and 15 digits) as 1101**********002X, mobile numbers as 138****5678, and any other run
// of 12 or more digits/letters that looks like an identifier is left as is (case numbers are
// not personal). Nothing personal is ever kept in the buffer.
// Thread-safe: messages arrive from any thread; lines() may be called from any thread.
// The message handler is process-wide: the last installed buffer receives the lines; destroying
// it hands them back to the one before (destroy in reverse order of install()).
class LogBuffer : public QObject
{
    Q_OBJECT
public:
    explicit LogBuffer(int capacity = 300, QObject *parent = nullptr);
    ~LogBuffer() override; // restores the previous handler

    void install();
    // Newest last; at most `max` lines.
    QStringList lines(int max = 300) const;
    // Adds one line as the handler would (used by the handler; public for tests).
    void append(QtMsgType type, const QString &category, const QString &message);

    static QString mask(const QString &text);

signals:
    // Queued to the buffer's thread; coalesce in the UI.
    void linesAdded();

private:
    static void handler(QtMsgType type, const QMessageLogContext &context, const QString &message);

    mutable QMutex m_mutex;
    std::deque<QString> m_lines;
    int m_capacity;
    bool m_installed = false;
    LogBuffer *m_previousBuffer = nullptr; // the buffer this one took over from (restored on destruction)
};

} // namespace hcp::kiosk

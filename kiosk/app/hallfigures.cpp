// SPDX-License-Identifier: Apache-2.0
#include "hallfigures.h"

#include <QDateTime>
#include <QLoggingCategory>
#include <QPointer>

Q_LOGGING_CATEGORY(lcHallFigures, "hcp.kiosk.hallfigures")

namespace hcp::kiosk {

HallFigures::HallFigures(QObject *parent)
    : QObject(parent)
{
    m_timer.setInterval(m_interval);
    connect(&m_timer, &QTimer::timeout, this, &HallFigures::refresh);
}

void HallFigures::setIntervalMs(int ms)
{
    m_interval = qMax(ms, kMinIntervalMs);
    m_timer.setInterval(m_interval);
}

qint64 HallFigures::now() const
{
    return m_now ? m_now() : QDateTime::currentMSecsSinceEpoch();
}

QString HallFigures::currentMonth() const
{
    return QDateTime::fromMSecsSinceEpoch(now(), Qt::UTC).toOffsetFromUtc(8 * 3600).toString(QStringLiteral("yyyy-MM"));
}

void HallFigures::setEnabled(bool enabled, const QString &hallCode)
{
    if (enabled == m_enabled && hallCode == m_hallCode)
        return;
    if (hallCode != m_hallCode) {
        m_fetchedAtMs = 0;
        m_lastFetchStartMs = 0;
    }
    m_enabled = enabled;
    m_hallCode = hallCode;
    if (m_enabled) {
        m_timer.start();
        refresh();
    } else {
        m_timer.stop();
    }
    emit changed();
}

void HallFigures::refresh()
{
    emit changed(); // what is shown may have aged past a day or into a new month
    if (!m_enabled || !m_fetcher || m_inFlight || m_hallCode.isEmpty())
        return;
    if (m_lastFetchStartMs > 0 && now() - m_lastFetchStartMs < m_interval)
        return;
    m_lastFetchStartMs = now();
    m_inFlight = true;
    ++m_fetches;
    QPointer<HallFigures> self(this);
    const QString hall = m_hallCode;
    m_fetcher(hall, [this, self, hall](bool ok, const QJsonObject &body) {
        if (!self)
            return;
        m_inFlight = false;
        ++m_answers;
        const QJsonObject h = body.value(QLatin1String("hall")).toObject();
        if (!ok || hall != m_hallCode || h.value(QLatin1String("hallCode")).toString() != hall
            || !h.value(QLatin1String("ratings")).isDouble()) {
            qCInfo(lcHallFigures) << "hall figures not fetched; the last ones stay while less than a day old";
            emit changed();
            return;
        }
        m_ratings = h.value(QLatin1String("ratings")).toInt();
        m_goodRate = h.value(QLatin1String("goodRate")).toDouble();
        m_month = body.value(QLatin1String("month")).toString();
        m_fetchedAtMs = now();
        emit changed();
    });
}

bool HallFigures::available() const
{
    return m_enabled && m_fetchedAtMs > 0 && now() - m_fetchedAtMs < kMaxAgeMs && m_ratings > 0
        && m_goodRate >= 0 && m_goodRate <= 1 && m_month == currentMonth();
}

QString HallFigures::goodRateText() const
{
    return QString::number(m_goodRate * 100.0, 'f', 1) + QLatin1Char('%');
}

} // namespace hcp::kiosk

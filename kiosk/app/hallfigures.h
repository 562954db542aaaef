// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QJsonObject>
#include <QObject>
#include <QString>
#include <QTimer>

#include <functional>

namespace hcp::kiosk {

// The hall's figures of the current month for the idle screen (kiosk.idle.showHallFigures, off by
// default): 好评率 and the number of ratings from the hub's 评价结果公开 (GET /public/figures?hall=,
// PROTOCOL §18.9), fetched at start and then every interval, never more often than every 10
// minutes. Shown only while there is something true to show: a failed fetch keeps the last figures
// while they are less than a day old, then hides them; a hall without ratings this month, a
// month that has ended, or the option off hide them too. The citizen never sees an error.
// GUI thread.
class HallFigures : public QObject
{
    Q_OBJECT
    Q_PROPERTY(bool available READ available NOTIFY changed)
    Q_PROPERTY(int ratings READ ratings NOTIFY changed)
    Q_PROPERTY(QString goodRateText READ goodRateText NOTIFY changed) // "96.5%"
    Q_PROPERTY(QString month READ month NOTIFY changed)                // "2026-12"
public:
    // done(ok, body): body = the hub's {"month","hall":{…}} when ok.
    using Fetcher = std::function<void(const QString &hallCode, std::function<void(bool ok, const QJsonObject &body)> done)>;
    static constexpr int kMinIntervalMs = 10 * 60 * 1000;
    static constexpr qint64 kMaxAgeMs = 24LL * 3600 * 1000;

    explicit HallFigures(QObject *parent = nullptr);

    void setFetcher(Fetcher fetcher) { m_fetcher = std::move(fetcher); }
    // Tests: the clock (ms since the epoch, CST month from it); the default is the system clock.
    void setClock(std::function<qint64()> nowMs) { m_now = std::move(nowMs); }
    // At least kMinIntervalMs.
    void setIntervalMs(int ms);
    int intervalMs() const { return m_interval; }
    // On: fetch now (if the last fetch is older than the interval) and then periodically. Off: hidden.
    void setEnabled(bool enabled, const QString &hallCode);
    // Fetches unless the last fetch began less than the interval ago; re-checks the age of what is shown.
    void refresh();

    bool available() const;
    int ratings() const { return m_ratings; }
    QString goodRateText() const;
    QString month() const { return m_month; }
    int fetchCount() const { return m_fetches; }   // fetches begun
    int answerCount() const { return m_answers; } // fetches finished (answered or failed)

signals:
    void changed();

private:
    qint64 now() const;
    QString currentMonth() const;

    Fetcher m_fetcher;
    std::function<qint64()> m_now;
    QTimer m_timer;
    int m_interval = kMinIntervalMs;
    bool m_enabled = false;
    bool m_inFlight = false;
    QString m_hallCode;
    qint64 m_lastFetchStartMs = 0;
    qint64 m_fetchedAtMs = 0; // when the figures shown were received; 0 = none
    int m_ratings = 0;
    double m_goodRate = 0;
    QString m_month;
    int m_fetches = 0;
    int m_answers = 0;
};

} // namespace hcp::kiosk

// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QJsonArray>
#include <QObject>
#include <QSqlDatabase>
#include <QTimer>
#include <QUrl>

#include <functional>

class QNetworkAccessManager;

namespace hcp::sync::hub {

// The alert webhook (issue 15, PROTOCOL §17b): every alert the console shows is sent once, as a
// plain HTTP POST of a JSON document, when it is raised and again when it clears, so a county
// can wire alerts into its own messaging. Nothing is lost and nothing is sent twice, also with
// several hubs on one database: a hub claims an event by a conditional write in the database
// (alert_webhook_state), puts it into alert_webhook_outbox in the same transaction, and delivers
// the outbox with a lease per row and backoff; a receiver that is down gets the events later, in
// order. Runs on the hub's thread.
class AlertWebhook : public QObject
{
    Q_OBJECT
public:
    using Source = std::function<QJsonArray(qint64 nowMs)>;
    struct Options
    {
        QUrl url;
        int intervalMs = 15000;   // how often the alerts are compared and the outbox is sent
        int timeoutMs = 10000;    // one delivery attempt
        QString hubName;          // "hub" member of each document
    };

    AlertWebhook(QSqlDatabase db, bool postgres, Source source, Options options, QObject *parent = nullptr);
    ~AlertWebhook() override;

    static bool ensureSchema(QSqlDatabase &db, bool postgres, QString *error);

    void start();
    // One comparison and one delivery round now (tests and start()).
    void tick();

    // An alert's identity across ticks: a stored alert by its id, a condition by kind and device.
    static QString keyOf(const QJsonObject &alert);

signals:
    void delivered(qint64 outboxId);

private:
    void compare(qint64 nowMs);
    void deliverNext();
    bool enqueue(const QString &event, const QJsonObject &alert, qint64 nowMs);

    QSqlDatabase m_db;
    bool m_postgres;
    Source m_source;
    Options m_options;
    QTimer m_timer;
    QNetworkAccessManager *m_network;
    bool m_sending = false;
};

} // namespace hcp::sync::hub

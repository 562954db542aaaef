// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "ratenowevent.h"

#include <QByteArray>
#include <QHttpServer>
#include <QObject>

namespace hcp::kiosk {

// The pad's local "rate now" trigger (PROTOCOL §13): POST /rate-now on 127.0.0.1 only, for the
// window's queue/business software on the same machine. Authenticated by the per-window token
// (Authorization: Bearer, compared in constant time): missing/wrong → 401; a body that is not a
// valid event → 400 with the reason; a non-loopback peer → 403 (defence in depth: the socket is
// bound to loopback and never sees one). Valid events are emitted as rateNowRequested.
// Threading: the thread that created it (GUI thread; Qt 6.4's QHttpServer answers there).
class PadTrigger : public QObject {
    Q_OBJECT
public:
    explicit PadTrigger(QObject *parent = nullptr);

    // An empty token keeps the trigger closed (listen() refuses).
    void setToken(const QByteArray &token) { m_token = token; }
    // Binds 127.0.0.1:port (0 = any free port). Returns the bound port, or 0 when the token is
    // empty or the port is taken.
    quint16 listen(quint16 port);
    quint16 port() const { return m_port; }
    // The addresses actually bound (tests check they are loopback only).
    QList<QHostAddress> boundAddresses() const;

Q_SIGNALS:
    void rateNowRequested(const hcp::sync::RateNowEvent &event);

private:
    QHttpServer m_http;
    QByteArray m_token;
    quint16 m_port = 0;
};

} // namespace hcp::kiosk

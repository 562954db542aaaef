// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QHash>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <functional>

namespace hcp::kiosk {

// The hub's remote commands (PROTOCOL §8: heartbeat `commands`, §13 command poll) as one table:
// command type → handler. Every command the agent delivers is acknowledged after its handler
// ran, whatever the outcome (the hub resends an unacknowledged command for ever, and a refused
// one would be refused again). A command whose type has no handler, or whose handler refuses
// it, is logged and passed to the refusal sink with its reason (KioskServices records it in the
// signed audit chain, which the heartbeat carries to the hub).
// GUI thread only; handlers run synchronously inside dispatch().
class HubCommandRouter {
public:
    // What a handler did with the command: `ok`, or refused with a reason for the audit.
    struct Outcome {
        bool ok = true;
        QString reason;
        static Outcome done() { return {}; }
        static Outcome refused(const QString &why) { return {false, why}; }
    };
    using Handler = std::function<Outcome(const QJsonObject &args)>;
    using Acknowledge = std::function<void(qint64 id)>;
    using RefusalSink = std::function<void(qint64 id, const QString &type, const QString &reason)>;

    // Registers (or replaces) the handler of `type`.
    void add(const QString &type, Handler handler);
    void setAcknowledge(Acknowledge ack) { m_ack = std::move(ack); }
    void setRefusalSink(RefusalSink sink) { m_refused = std::move(sink); }

    bool handles(const QString &type) const { return m_handlers.contains(type); }
    QStringList types() const;

    // Runs the handler of `type` (or refuses an unknown type), then acknowledges `id`.
    void dispatch(qint64 id, const QString &type, const QJsonObject &args) const;

private:
    QHash<QString, Handler> m_handlers;
    Acknowledge m_ack;
    RefusalSink m_refused;
};

} // namespace hcp::kiosk

// SPDX-License-Identifier: Apache-2.0
#include "hubcommandrouter.h"

#include <QLoggingCategory>

#include <algorithm>

Q_LOGGING_CATEGORY(lcHubCommands, "hcp.kiosk.commands")

namespace hcp::kiosk {

void HubCommandRouter::add(const QString &type, Handler handler)
{
    m_handlers.insert(type, std::move(handler));
}

QStringList HubCommandRouter::types() const
{
    QStringList t = m_handlers.keys();
    std::sort(t.begin(), t.end());
    return t;
}

void HubCommandRouter::dispatch(qint64 id, const QString &type, const QJsonObject &args) const
{
    qCInfo(lcHubCommands) << "hub command" << id << type;
    const auto it = m_handlers.constFind(type);
    const Outcome outcome = it == m_handlers.cend()
        ? Outcome::refused(QStringLiteral("no handler for this command type on this kiosk (it handles: %1)").arg(types().join(QLatin1String(", "))))
        : (*it)(args);
    if (!outcome.ok) {
        qCWarning(lcHubCommands).noquote() << "hub command" << id << type << "refused:" << outcome.reason;
        if (m_refused)
            m_refused(id, type, outcome.reason);
    }
    if (m_ack)
        m_ack(id);
}

} // namespace hcp::kiosk

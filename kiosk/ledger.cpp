// SPDX-License-Identifier: Apache-2.0
#include "ledger.h"

#include <ledgertable.h>

#include <QJsonDocument>
#include <QLoggingCategory>
#include <QSqlError>
#include <QSqlQuery>

Q_LOGGING_CATEGORY(lcKioskLedger, "hcp.kiosk.ledger")

namespace hcp::kiosk {

Ledger::Ledger(trust::Key deviceKey)
    : m_builder(std::make_shared<trust::LedgerBuilder>(std::move(deviceKey)))
{
}

void Ledger::attach(Store &store) const
{
    store.setCommitHook(commitHook());
}

Store::CommitHook Ledger::commitHook() const
{
    auto builder = m_builder;
    return [builder](QSqlDatabase &db, const Evaluation &e, QString *error) {
        const auto head = sync::LedgerTable::head(db, error);
        if (!head)
            return false;
        if (head->deviceSeq + 1 < quint64(e.deviceSeq)) {
            // Evaluations from before the ledger: enter them first, as they were stored.
            QSqlQuery q(db);
            q.setForwardOnly(true);
            q.prepare(QStringLiteral("SELECT device_seq, payload FROM evaluation WHERE device_seq > ? AND device_seq < ?"
                                     " ORDER BY device_seq"));
            q.addBindValue(qint64(head->deviceSeq));
            q.addBindValue(e.deviceSeq);
            if (!q.exec()) {
                if (error)
                    *error = q.lastError().text();
                return false;
            }
            int entered = 0;
            while (q.next()) {
                const QJsonObject old = QJsonDocument::fromJson(q.value(1).toString().toUtf8()).object();
                if (!sync::LedgerTable::append(db, *builder, q.value(0).toLongLong(), old, error))
                    return false;
                ++entered;
            }
            qCInfo(lcKioskLedger) << "entered" << entered << "evaluations from before the ledger";
        }
        return sync::LedgerTable::append(db, *builder, e.deviceSeq, e.toJson(), error);
    };
}

std::optional<trust::SignedHead> Ledger::signedHead(QSqlDatabase &db, QString *error) const
{
    return sync::LedgerTable::signedHead(db, *m_builder, error);
}

} // namespace hcp::kiosk

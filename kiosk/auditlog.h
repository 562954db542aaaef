// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "store.h"

#include "ledgerbuilder.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QObject>
#include <QString>
#include <QStringList>

#include <memory>

namespace hcp::kiosk {

// The kiosk's maintenance audit log (shared contract): every maintenance action (PIN ok/failed,
// test print, manual sync, sanctioned exit, config applied/rejected, update steps) is one record
// {"uuid","deviceSeq","assessTime","action","detail"} in its own signed hash chain (the "audit"
// chain: same entry format and signatures as the evaluation ledger, seq from 1), written in one
// transaction with its entry (rows in sync::Outbox's audit_log table), and shipped to the hub
// (POST /v1/audit, PROTOCOL §4b) by the OutboxSender (flushAudit), which verifies it like
// evaluation batches. Lives on the Store's thread and uses its connection.
class AuditLog : public QObject
{
    Q_OBJECT
public:
    AuditLog(Store *store, std::shared_ptr<const trust::LedgerBuilder> signer, QObject *parent = nullptr);

    // Appends one record; false (and *error) when it could not be stored. detail must hold no
    // personal data (it is shipped as is). Never blocks on the network.
    bool record(const QString &action, const QJsonObject &detail, QString *error = nullptr);

    qint64 pendingCount() const;
    // All records, oldest first (diagnostics).
    QJsonArray records() const;

signals:
    void recorded(const QString &action);

private:
    Store *m_store;
    std::shared_ptr<const trust::LedgerBuilder> m_signer;
};

} // namespace hcp::kiosk

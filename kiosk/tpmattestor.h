// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "store.h"

#include "tpmdevice.h"

#include <QJsonObject>
#include <QSqlDatabase>
#include <QString>

#include <memory>
#include <optional>

namespace hcp::kiosk {

// The kiosk's TPM (issue 13): the NV counter advances once per ledger entry, inside the
// evaluation's own commit transaction right after the entry is written (an explicit second
// step of the commit hook, see counterHook()); heartbeats and batches carry attest(): the counter and
// the database's current ledger head, signed by the TPM-resident key (PROTOCOL §4c). Root can
// delete or restore the database, but not make the counter go back, so the hub sees entries
// the counter proves that the ledger no longer has.
// Runs on the Store's thread (the commit hook, the heartbeat and the sender are all on it).
class TpmAttestor
{
public:
    // Opens the TPM at tcti, loads or creates the key blob, defines the counter if absent.
    static std::unique_ptr<TpmAttestor> open(const QString &tcti, const QString &keyBlobPath, QString *error,
                                             quint32 counterIndex = trust::TpmDevice::kDefaultCounterIndex);
    // "device:/dev/tpmrm0" when the kernel's resource-managed TPM exists, else empty.
    static QString detectTcti();

    // One counter step (for one new ledger entry).
    bool advance(QString *error = nullptr);
    // advance() as the hook the kiosk installs on its Store: runs in the evaluation's commit right
    // after its ledger entry. A failed counter step is logged and the evaluation still committed
    // (no rating is lost; the hub flags the gap).
    Store::CommitHook counterHook();
    // {tpmId,key,counter,headSeq,headHash,timeMs,sig} for db's current ledger head.
    std::optional<QJsonObject> attest(QSqlDatabase &db, const QString &deviceId, QString *error = nullptr);

    QString identity() const { return m_device->identity(); }
    trust::TpmDevice &device() { return *m_device; }

private:
    explicit TpmAttestor(std::unique_ptr<trust::TpmDevice> device);
    std::unique_ptr<trust::TpmDevice> m_device;
};

} // namespace hcp::kiosk

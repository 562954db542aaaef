// SPDX-License-Identifier: Apache-2.0
#include "tpmattestor.h"

#include "ledgertable.h"
#include "tpmattestation.h"

#include <QDateTime>
#include <QFileInfo>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcKioskTpm, "hcp.kiosk.tpm")

namespace hcp::kiosk {

TpmAttestor::TpmAttestor(std::unique_ptr<trust::TpmDevice> device)
    : m_device(std::move(device))
{
}

std::unique_ptr<TpmAttestor> TpmAttestor::open(const QString &tcti, const QString &keyBlobPath, QString *error,
                                               quint32 counterIndex)
{
    auto device = trust::TpmDevice::open(tcti, error);
    if (!device || !device->loadOrCreateSigningKey(keyBlobPath, error) || !device->ensureCounter(counterIndex, error))
        return nullptr;
    qCInfo(lcKioskTpm).noquote() << "TPM" << tcti << "identity" << device->identity() << "key"
                                 << device->keyFingerprint();
    return std::unique_ptr<TpmAttestor>(new TpmAttestor(std::move(device)));
}

QString TpmAttestor::detectTcti()
{
    return QFileInfo::exists(QStringLiteral("/dev/tpmrm0")) ? QStringLiteral("device:/dev/tpmrm0") : QString();
}

bool TpmAttestor::advance(QString *error)
{
    return m_device->incrementCounter(error).has_value();
}

Store::CommitHook TpmAttestor::counterHook()
{
    return [this](QSqlDatabase &, const Evaluation &e, QString *) {
        // A TPM that fails must not cost the rating: it is committed all the same, and the hub
        // sees an entry without its counter step (or a missing attestation) and flags it.
        QString why;
        if (!advance(&why))
            qCCritical(lcKioskTpm).noquote() << "TPM counter step failed for seq" << e.deviceSeq << ":" << why;
        return true;
    };
}

std::optional<QJsonObject> TpmAttestor::attest(QSqlDatabase &db, const QString &deviceId, QString *error)
{
    const auto head = sync::LedgerTable::head(db, error);
    if (!head)
        return std::nullopt;
    const auto counter = m_device->readCounter(error);
    if (!counter)
        return std::nullopt;
    trust::TpmAttestation a;
    a.deviceId = deviceId;
    a.tpmId = m_device->identity();
    a.publicKeyDer = m_device->publicKeyDer();
    a.counter = *counter;
    a.head = *head;
    a.timeMs = QDateTime::currentMSecsSinceEpoch();
    const auto signature = m_device->sign(a.signingInput(), error);
    if (!signature)
        return std::nullopt;
    a.signature = *signature;
    return a.toJson();
}

} // namespace hcp::kiosk

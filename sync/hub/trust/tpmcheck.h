// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QJsonObject>
#include <QSqlDatabase>
#include <QString>

#include <optional>

namespace hcp::sync::hub {

class HubStore;
class LedgerCheck;

// The hub's side of the kiosk TPM (PROTOCOL §4c): per device the TPM identity and key it first
// attested with, the last counter and head, and the counter's offset over the head (entries the
// TPM counted = head seq + offset on an untouched kiosk). Each batch and heartbeat attestation
// is checked against it; findings become tamper alerts (LedgerCheck) of kind
//   counter-rewind      the ledger holds fewer entries than the TPM counted (tail deleted or an
//                       old copy restored before sync), or the head or counter went back;
//   uncounted-entries   more ledger entries than counter steps (entries made outside the
//                       kiosk's commit path, e.g. signed with a copied file key);
//   reenrolled-tpm      a TPM known under another device enrolls as a new device: the entries
//                       the old device announced and never delivered, and those counted after;
//   tpm-changed         another TPM or TPM key for the device (the device key runs elsewhere);
//   tpm-missing         a device that attested before sends without attestation (clone of the
//                       file key on a machine without this TPM, or the TPM removed);
//   tpm-stale           a batch with evaluations beyond the attested head (an old attestation
//                       replayed by a clone without the TPM);
//   tpm-bad-attestation malformed or not signed by the key it names.
class TpmCheck
{
public:
    TpmCheck(HubStore *store, LedgerCheck *ledger);

    static bool ensureSchema(QSqlDatabase &db, QString *error);

    // body: a batch or heartbeat body; its "tpm" member (absent for file-key kiosks). what is
    // "batch" or "heartbeat" (the evidence label). Inside the caller's transaction when
    // joined, else in its own. Returns the number of findings; nullopt on a database error.
    std::optional<int> check(const QString &deviceId, const QJsonObject &body, const QByteArray &rawBody,
                             qint64 receivedAtMs, const QString &what, bool joined, QString *error);

    // For the console's device detail: {"class":"tpm"|"file-key","reason",...}. reason for
    // file-key is the kiosk's own deviceStatus.tpm when given.
    static QJsonObject assurance(QSqlDatabase &db, const QString &deviceId, const QString &kioskTpmStatus);

private:
    HubStore *m_store;
    LedgerCheck *m_ledger;
};

} // namespace hcp::sync::hub

// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QObject>
#include <QStringList>
#include <QTimer>

namespace hcp::kiosk {

class Store;

// Erases the personal fields of evaluations the hub has acknowledged (outbox row Acked) and
// that have their ledger entry (kiosk::Ledger; without a ledger nothing is erased): the
// kiosk keeps what it needs for "one rating per case", the ledger and statistics, and nothing
// that names the citizen.
//
// Erased fields (personalFields()): certKeyEnc (the ID number encrypted for the hub),
// userNameMasked (part of the name) and writingEvaluation (free text, which may hold a name or a
// phone number). Kept: uuid, deviceSeq, projectNo/serviceNumber/assessNumber (the local
// one-rating rule), satisfaction, evalDetail, answers, times, versions, channel, case and staff
// codes, assistedBy (an agent id, not the citizen).
//
// Both copies are rewritten — evaluation.payload and outbox.payload — in one transaction, with
// evaluation.personal_erased_at set (ms since epoch). The connection runs with secure_delete, and
// after the erase the WAL is checkpointed with TRUNCATE, so the old bytes are gone from the
// database file and the WAL. The ledger entry stays untouched; its payload hash was taken over
// the record as committed and checked by the hub before the ack. A kiosk-side check of its own
// ledger must therefore compare payload hashes only for rows whose personal_erased_at is NULL
// (the chain and signatures stay verifiable for every row).
//
// Threading: the Store's thread (GUI thread in the kiosk).
class PersonalDataEraser : public QObject {
    Q_OBJECT
public:
    explicit PersonalDataEraser(Store *store, QObject *parent = nullptr);

    static QStringList personalFields();

    // Erases every acknowledged, not yet erased record (in chunks of 500). Returns the number of
    // records erased, or -1 on a database error (nothing of the failing chunk changed; the next
    // call retries).
    qint64 eraseAcknowledged(QString *error = nullptr);

    // Coalesces bursts of acks (a backlog drain acks 500 records per request): one erase
    // delayMs after the last call.
    void scheduleErase();
    void setDelayMs(int ms) { m_timer.setInterval(ms); }

Q_SIGNALS:
    void erased(qint64 count);

private:
    Store *m_store;
    QTimer m_timer;
    bool m_checkpointPending = false;
};

} // namespace hcp::kiosk

// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "ledgerbuilder.h"
#include "ledgerentry.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>

#include <optional>

namespace hcp::sync {

// The kiosk's ledger table (PROTOCOL §4a): one signed hash-chain entry per evaluation, seq equal
// to the evaluation's deviceSeq, written in the evaluation's own transaction (the Store's
// commit), so the evaluation, its outbox row and its entry commit together. Like
// Outbox, the DDL lives here because the sender reads the table through its own connection.
// All functions take the caller's connection and never begin or commit.
class LedgerTable
{
public:
    // CREATE TABLE IF NOT EXISTS statements, one per element (idempotent).
    static QStringList schemaStatements();
    static bool createSchema(QSqlDatabase &db, QString *error);

    // Head of the chain (genesis when empty); nullopt on a database error.
    static std::optional<trust::LedgerHead> head(QSqlDatabase &db, QString *error = nullptr);

    // Appends the entry of the evaluation wire object (PROTOCOL §4) that was just written with
    // deviceSeq = seq, linked (prevHash) to the current head. Refuses (false + *error) when seq
    // is not above the head. A seq above head + 1 means entries were deleted: the entry is still
    // made and links over the hole, so the device-signed chain itself shows the gap to the hub
    // (the missing entries are never re-made: no row is signed after the fact).
    static bool append(QSqlDatabase &db, const trust::LedgerBuilder &builder, qint64 seq,
                       const QJsonObject &evaluation, QString *error);

    // Entries with afterSeq < seq <= throughSeq in seq order: each entry's wire object exactly
    // as stored (compact JSON text), and in *last the (seq, entryHash) of the last row read
    // (unchanged when none). False on error.
    static bool entries(QSqlDatabase &db, qint64 afterSeq, qint64 throughSeq, QList<QByteArray> *json,
                        trust::LedgerHead *last, QString *error = nullptr);

    // Signs the head at an entry (its wire JSON as stored) only if the entry is intact and
    // signed by this device's key: the device vouches for chains it built itself, never for a
    // row someone wrote into its database. One signature check + one signature. nullopt with
    // *error otherwise.
    static std::optional<trust::SignedHead> signHeadAt(const trust::LedgerBuilder &builder, const QByteArray &entryJson,
                                                       QString *error = nullptr);
    // The current head, signed the same way (nullopt when the ledger is empty or the last entry
    // is not the device's own).
    static std::optional<trust::SignedHead> signedHead(QSqlDatabase &db, const trust::LedgerBuilder &builder,
                                                       QString *error = nullptr);

    // Whether the outbox row (seq, uuid, wire JSON as stored) has its own entry: entryJson is
    // the ledger row at that seq (empty when there is none). Empty when the entry names the same
    // uuid and seq and its payloadHash is the SM3 of the row's canonical JSON; otherwise the
    // reason (English, for the hub's evidence). One parse and one SM3; no signature check (the
    // hub verifies signatures).
    static QString entryMismatch(qint64 seq, const QString &uuid, const QByteArray &payloadJson,
                                 const QByteArray &entryJson);

    // Highest seq the hub confirmed to hold in its verified chain (its "knownSeq"); the sender
    // ships entries after it. Only moves forward.
    static qint64 hubKnownSeq(QSqlDatabase &db);
    static bool setHubKnownSeq(QSqlDatabase &db, qint64 seq, QString *error = nullptr);
};

} // namespace hcp::sync

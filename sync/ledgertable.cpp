// SPDX-License-Identifier: Apache-2.0
#include "ledgertable.h"

#include "canonicaljson.h"

#include <QJsonDocument>
#include <QLoggingCategory>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

Q_LOGGING_CATEGORY(lcLedgerTable, "hcp.sync.ledgertable")

namespace hcp::sync {

namespace {

bool failed(QSqlQuery &q, QString *error)
{
    if (error)
        *error = q.lastError().text();
    return false;
}

} // namespace

QStringList LedgerTable::schemaStatements()
{
    return {
        // entry: the wire object of the entry (LedgerEntry::toJson), compact JSON.
        QStringLiteral("CREATE TABLE IF NOT EXISTS ledger ("
                       "seq INTEGER PRIMARY KEY, "
                       "uuid TEXT NOT NULL UNIQUE, "
                       "entry_hash TEXT NOT NULL, "
                       "entry TEXT NOT NULL)"),
        QStringLiteral("CREATE TABLE IF NOT EXISTS ledger_sync ("
                       "id INTEGER PRIMARY KEY CHECK (id = 1), "
                       "hub_known_seq INTEGER NOT NULL)"),
        QStringLiteral("INSERT OR IGNORE INTO ledger_sync (id, hub_known_seq) VALUES (1, 0)"),
    };
}

bool LedgerTable::createSchema(QSqlDatabase &db, QString *error)
{
    QSqlQuery q(db);
    for (const QString &statement : schemaStatements()) {
        if (!q.exec(statement))
            return failed(q, error);
    }
    return true;
}

std::optional<trust::LedgerHead> LedgerTable::head(QSqlDatabase &db, QString *error)
{
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("SELECT seq, entry_hash FROM ledger ORDER BY seq DESC LIMIT 1"))) {
        failed(q, error);
        return std::nullopt;
    }
    if (!q.next())
        return trust::LedgerHead::genesis();
    return trust::LedgerHead{quint64(q.value(0).toLongLong()), QByteArray::fromHex(q.value(1).toString().toLatin1())};
}

bool LedgerTable::append(QSqlDatabase &db, const trust::LedgerBuilder &builder, qint64 seq,
                         const QJsonObject &evaluation, QString *error)
{
    const auto previous = head(db, error);
    if (!previous)
        return false;
    if (seq < 1 || quint64(seq) <= previous->deviceSeq) {
        if (error)
            *error = QStringLiteral("ledger head is seq %1; refusing entry for seq %2 (seqs are never reused)")
                         .arg(previous->deviceSeq)
                         .arg(seq);
        return false;
    }
    if (quint64(seq) != previous->deviceSeq + 1)
        qCWarning(lcLedgerTable).noquote() << QStringLiteral("ledger entries %1..%2 are missing; entry %2 links to seq %3:"
                                                             " the gap stays in the chain for the hub to see")
                                                  .arg(previous->deviceSeq + 1).arg(seq - 1).arg(previous->deviceSeq)
                                           << seq;
    const QString uuid = evaluation.value(QLatin1String("uuid")).toString();
    const QString assessTime = evaluation.value(QLatin1String("assessTime")).toString();
    // The entry links to the head actually there (prevHash), under its own seq: entries deleted
    // below it are never re-made, and a missing seq is a gap in a device-signed chain.
    const trust::LedgerHead linkTo{quint64(seq) - 1, previous->entryHash};
    const auto entry = builder.append(linkTo, uuid, assessTime, evaluation, error);
    if (!entry)
        return false;
    QSqlQuery q(db);
    q.prepare(QStringLiteral("INSERT INTO ledger (seq, uuid, entry_hash, entry) VALUES (?, ?, ?, ?)"));
    q.addBindValue(seq);
    q.addBindValue(uuid);
    q.addBindValue(QString::fromLatin1(entry->entryHash.toHex()));
    q.addBindValue(QString::fromUtf8(QJsonDocument(entry->toJson()).toJson(QJsonDocument::Compact)));
    return q.exec() || failed(q, error);
}

bool LedgerTable::entries(QSqlDatabase &db, qint64 afterSeq, qint64 throughSeq, QList<QByteArray> *json,
                          trust::LedgerHead *last, QString *error)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT seq, entry_hash, entry FROM ledger WHERE seq > ? AND seq <= ? ORDER BY seq"));
    q.addBindValue(afterSeq);
    q.addBindValue(throughSeq);
    if (!q.exec())
        return failed(q, error);
    while (q.next()) {
        last->deviceSeq = quint64(q.value(0).toLongLong());
        last->entryHash = QByteArray::fromHex(q.value(1).toString().toLatin1());
        json->append(q.value(2).toString().toUtf8());
    }
    return true;
}

std::optional<trust::SignedHead> LedgerTable::signHeadAt(const trust::LedgerBuilder &builder,
                                                         const QByteArray &entryJson, QString *error)
{
    const auto entry = trust::LedgerEntry::fromJson(QJsonDocument::fromJson(entryJson).object(), error);
    if (!entry)
        return std::nullopt;
    if (entry->computeEntryHash() != entry->entryHash
        || !trust::Crypto::verify(builder.key(), entry->entryHash, entry->signature)) {
        if (error)
            *error = QStringLiteral("ledger entry %1 is not this device's own: head not signed").arg(entry->deviceSeq);
        return std::nullopt;
    }
    return builder.signHead(entry->head(), error);
}

std::optional<trust::SignedHead> LedgerTable::signedHead(QSqlDatabase &db, const trust::LedgerBuilder &builder,
                                                         QString *error)
{
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("SELECT entry FROM ledger ORDER BY seq DESC LIMIT 1"))) {
        failed(q, error);
        return std::nullopt;
    }
    if (!q.next()) {
        if (error)
            *error = QStringLiteral("the ledger is empty");
        return std::nullopt;
    }
    return signHeadAt(builder, q.value(0).toString().toUtf8(), error);
}

QString LedgerTable::entryMismatch(qint64 seq, const QString &uuid, const QByteArray &payloadJson,
                                  const QByteArray &entryJson)
{
    if (entryJson.isEmpty())
        return QStringLiteral("no ledger entry at seq %1").arg(seq);
    QString why;
    const auto entry = trust::LedgerEntry::fromJson(QJsonDocument::fromJson(entryJson).object(), &why);
    if (!entry)
        return QStringLiteral("ledger entry at seq %1 is unreadable: %2").arg(seq).arg(why);
    if (entry->uuid != uuid || entry->deviceSeq != quint64(seq))
        return QStringLiteral("ledger entry at seq %1 is for %2 (seq %3), not %4")
            .arg(seq).arg(entry->uuid).arg(entry->deviceSeq).arg(uuid);
    const auto canonical = trust::CanonicalJson::serialize(QJsonDocument::fromJson(payloadJson).object(), &why);
    if (!canonical)
        return QStringLiteral("evaluation at seq %1 cannot be canonicalised: %2").arg(seq).arg(why);
    if (trust::Crypto::sm3(*canonical) != entry->payloadHash)
        return QStringLiteral("evaluation at seq %1 does not hash to its ledger entry's payloadHash %2")
            .arg(seq).arg(QString::fromLatin1(entry->payloadHash.toHex()));
    return {};
}

qint64 LedgerTable::hubKnownSeq(QSqlDatabase &db)
{
    QSqlQuery q(db);
    if (q.exec(QStringLiteral("SELECT hub_known_seq FROM ledger_sync WHERE id = 1")) && q.next())
        return q.value(0).toLongLong();
    return 0;
}

bool LedgerTable::setHubKnownSeq(QSqlDatabase &db, qint64 seq, QString *error)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("UPDATE ledger_sync SET hub_known_seq = ? WHERE id = 1 AND hub_known_seq < ?"));
    q.addBindValue(seq);
    q.addBindValue(seq);
    return q.exec() || failed(q, error);
}

} // namespace hcp::sync

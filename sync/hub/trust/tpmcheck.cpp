// SPDX-License-Identifier: Apache-2.0
#include "tpmcheck.h"

#include "hubstore.h"
#include "ledgercheck.h"

#include "tpmattestation.h"

#include <QJsonArray>
#include <QLoggingCategory>
#include <QSqlError>
#include <QSqlQuery>

Q_LOGGING_CATEGORY(lcTpmCheck, "hcp.hub.tpm")

namespace hcp::sync::hub {

namespace {

struct Known
{
    QString tpmId;
    QString keyFingerprint;
    qint64 offset = 0;
    qint64 counter = 0;
    qint64 headSeq = 0;
};

std::optional<Known> known(QSqlDatabase &db, const QString &deviceId, bool *failed)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT tpm_id, key_fingerprint, counter_offset, counter, head_seq FROM tpm_devices "
                             "WHERE device_id = ?"));
    q.addBindValue(deviceId);
    *failed = !q.exec();
    if (*failed || !q.next())
        return std::nullopt;
    return Known{q.value(0).toString(), q.value(1).toString(), q.value(2).toLongLong(), q.value(3).toLongLong(),
                 q.value(4).toLongLong()};
}

// The most recent other device this TPM attested for (a wiped kiosk enrolling again).
std::optional<std::pair<QString, Known>> previousDevice(QSqlDatabase &db, const QString &tpmId, const QString &deviceId)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT device_id, tpm_id, key_fingerprint, counter_offset, counter, head_seq FROM tpm_devices "
                             "WHERE tpm_id = ? AND device_id <> ? ORDER BY counter DESC LIMIT 1"));
    q.addBindValue(tpmId);
    q.addBindValue(deviceId);
    if (!q.exec() || !q.next())
        return std::nullopt;
    return std::make_pair(q.value(0).toString(),
                          Known{q.value(1).toString(), q.value(2).toString(), q.value(3).toLongLong(),
                                q.value(4).toLongLong(), q.value(5).toLongLong()});
}

} // namespace

TpmCheck::TpmCheck(HubStore *store, LedgerCheck *ledger)
    : m_store(store)
    , m_ledger(ledger)
{
}

bool TpmCheck::ensureSchema(QSqlDatabase &db, QString *error)
{
    return HubStore::execStatements(
        db,
        {QStringLiteral("CREATE TABLE IF NOT EXISTS tpm_devices (device_id TEXT PRIMARY KEY, tpm_id TEXT NOT NULL, "
                        "key_fingerprint TEXT NOT NULL, public_key TEXT NOT NULL, counter_offset BIGINT NOT NULL, "
                        "counter BIGINT NOT NULL, head_seq BIGINT NOT NULL, head_hash TEXT NOT NULL, "
                        "first_at BIGINT NOT NULL, last_at BIGINT NOT NULL)"),
         QStringLiteral("CREATE INDEX IF NOT EXISTS tpm_devices_tpm ON tpm_devices(tpm_id)")},
        error);
}

std::optional<int> TpmCheck::check(const QString &deviceId, const QJsonObject &body, const QByteArray &rawBody,
                                   qint64 receivedAtMs, const QString &what, bool joined, QString *error)
{
    QSqlDatabase &db = m_store->database();
    auto fail = [&](const QString &why) -> std::optional<int> {
        if (error)
            *error = why;
        if (!joined)
            db.rollback();
        return std::nullopt;
    };
    if (!joined && !db.transaction())
        return fail(db.lastError().text());
    bool failed = false;
    const auto stored = known(db, deviceId, &failed);
    if (failed)
        return fail(db.lastError().text());
    int findings = 0;
    auto raise = [&](const QString &kind, qint64 seq, const QString &evidence) {
        ++findings;
        return m_ledger->raise(deviceId, kind, seq, evidence, what, rawBody, receivedAtMs);
    };
    auto finish = [&]() -> std::optional<int> {
        if (!joined && !db.commit())
            return fail(db.lastError().text());
        return findings;
    };

    if (!body.value(QLatin1String("tpm")).isObject()) {
        if (stored && !raise(QStringLiteral("tpm-missing"), 0,
                             QStringLiteral("%1 without TPM attestation from a device that attested with TPM %2: "
                                            "its file key is used elsewhere (clone) or the TPM was removed")
                                 .arg(what, stored->tpmId)))
            return fail(QStringLiteral("cannot record tpm-missing"));
        return finish();
    }
    QString parseError;
    const auto a = trust::TpmAttestation::fromJson(body.value(QLatin1String("tpm")).toObject(), deviceId, &parseError);
    if (!a || !a->verify()) {
        if (!raise(QStringLiteral("tpm-bad-attestation"), 0,
                   a ? QStringLiteral("attestation not signed by the key it names") : parseError))
            return fail(QStringLiteral("cannot record tpm-bad-attestation"));
        return finish();
    }
    const qint64 counter = qint64(a->counter);
    const qint64 headSeq = qint64(a->head.deviceSeq);
    const qint64 offset = counter - headSeq;
    const QString fingerprint = a->keyFingerprint();

    if (!stored) {
        qint64 baseOffset = offset;
        if (const auto prev = previousDevice(db, a->tpmId, deviceId)) {
            // Entries of the old device beyond what the hub received, and the counter steps
            // between its last attestation and this device's first that this ledger lacks.
            const qint64 delivered = m_ledger->knownSeq(prev->first);
            const qint64 undelivered = qMax<qint64>(0, prev->second.headSeq - delivered);
            const qint64 unannounced = qMax<qint64>(0, (counter - prev->second.counter) - headSeq);
            if (!raise(QStringLiteral("reenrolled-tpm"), prev->second.headSeq,
                       QStringLiteral("TPM %1 was device %2 (last counter %3, head seq %4, hub received through seq %5): "
                                      "%6 announced entries never delivered (seq %7..%4), %8 more counted and never "
                                      "announced; this device starts at counter %9, head seq %10")
                           .arg(a->tpmId, prev->first)
                           .arg(prev->second.counter)
                           .arg(prev->second.headSeq)
                           .arg(delivered)
                           .arg(undelivered)
                           .arg(delivered + 1)
                           .arg(unannounced)
                           .arg(counter)
                           .arg(headSeq)))
                return fail(QStringLiteral("cannot record reenrolled-tpm"));
        }
        QSqlQuery insert(db);
        insert.prepare(QStringLiteral("INSERT INTO tpm_devices (device_id, tpm_id, key_fingerprint, public_key, "
                                      "counter_offset, counter, head_seq, head_hash, first_at, last_at) "
                                      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
        for (const QVariant &v : {QVariant(deviceId), QVariant(a->tpmId), QVariant(fingerprint),
                                  QVariant(QString::fromLatin1(a->publicKeyDer.toBase64())), QVariant(baseOffset),
                                  QVariant(counter), QVariant(headSeq), QVariant(QString::fromLatin1(a->head.entryHash.toHex())),
                                  QVariant(receivedAtMs), QVariant(receivedAtMs)})
            insert.addBindValue(v);
        if (!insert.exec())
            return fail(insert.lastError().text());
        qCInfo(lcTpmCheck).noquote() << deviceId << "attests with TPM" << a->tpmId << "counter" << counter;
        return finish();
    }

    if (stored->tpmId != a->tpmId || stored->keyFingerprint != fingerprint) {
        if (!raise(QStringLiteral("tpm-changed"), 0,
                   QStringLiteral("attested by TPM %1 key %2, the device is bound to TPM %3 key %4: the device key "
                                  "runs on another machine (clone) or the TPM key was replaced")
                       .arg(a->tpmId, fingerprint.left(16), stored->tpmId, stored->keyFingerprint.left(16))))
            return fail(QStringLiteral("cannot record tpm-changed"));
        return finish();
    }
    // A batch's evaluations must lie under the attested head (the kiosk reads the head when it
    // sends): one beyond it means the attestation is old, replayed by a device without the TPM.
    qint64 batchLast = 0;
    for (const QJsonValue &v : body.value(QLatin1String("evaluations")).toArray())
        batchLast = qMax(batchLast, v.toObject().value(QLatin1String("deviceSeq")).toInteger());
    if (batchLast > headSeq
        && !raise(QStringLiteral("tpm-stale"), batchLast,
                  QStringLiteral("batch carries evaluations through seq %1 under an attestation of head seq %2 "
                                 "(counter %3): a captured attestation replayed by a device without the TPM")
                      .arg(batchLast).arg(headSeq).arg(counter)))
        return fail(QStringLiteral("cannot record tpm-stale"));
    qint64 newOffset = stored->offset;
    if (counter < stored->counter) {
        if (!raise(QStringLiteral("counter-rewind"), headSeq,
                   QStringLiteral("TPM counter %1 is below the %2 already attested: a replayed attestation")
                       .arg(counter).arg(stored->counter)))
            return fail(QStringLiteral("cannot record counter-rewind"));
        return finish();
    }
    if (headSeq < stored->headSeq) {
        if (!raise(QStringLiteral("counter-rewind"), headSeq,
                   QStringLiteral("ledger head went back from seq %1 to %2 while the TPM counter went from %3 to %4: "
                                  "entries deleted or an old copy restored after they were attested")
                       .arg(stored->headSeq).arg(headSeq).arg(stored->counter).arg(counter)))
            return fail(QStringLiteral("cannot record counter-rewind"));
        newOffset = offset;
    } else if (offset > stored->offset) {
        const qint64 missing = offset - stored->offset;
        if (!raise(QStringLiteral("counter-rewind"), headSeq + 1,
                   QStringLiteral("the TPM counted %1 entries (counter %2) that the ledger (head seq %3) does not hold: "
                                  "the newest entries were deleted or an old copy of the database restored before sync")
                       .arg(missing).arg(counter).arg(headSeq)))
            return fail(QStringLiteral("cannot record counter-rewind"));
        newOffset = offset; // reported once; later entries are judged from here
    } else if (offset < stored->offset) {
        if (!raise(QStringLiteral("uncounted-entries"), headSeq,
                   QStringLiteral("the ledger (head seq %1) holds %2 entries more than the TPM counted (counter %3): "
                                  "entries made outside the kiosk's commit path")
                       .arg(headSeq).arg(stored->offset - offset).arg(counter)))
            return fail(QStringLiteral("cannot record uncounted-entries"));
        newOffset = offset;
    }
    QSqlQuery up(db);
    up.prepare(QStringLiteral("UPDATE tpm_devices SET counter_offset = ?, counter = ?, head_seq = ?, head_hash = ?, "
                              "last_at = ? WHERE device_id = ?"));
    up.addBindValue(newOffset);
    up.addBindValue(counter);
    up.addBindValue(headSeq);
    up.addBindValue(QString::fromLatin1(a->head.entryHash.toHex()));
    up.addBindValue(receivedAtMs);
    up.addBindValue(deviceId);
    if (!up.exec())
        return fail(up.lastError().text());
    return finish();
}

QJsonObject TpmCheck::assurance(QSqlDatabase &db, const QString &deviceId, const QString &kioskTpmStatus)
{
    bool failed = false;
    const auto stored = known(db, deviceId, &failed);
    if (!stored)
        return QJsonObject{{QStringLiteral("class"), QStringLiteral("file-key")},
                           {QStringLiteral("reason"), kioskTpmStatus.isEmpty()
                                ? QStringLiteral("no TPM attestation received (kiosk reports no TPM status)")
                                : QStringLiteral("no TPM attestation received; kiosk TPM status: ") + kioskTpmStatus}};
    return QJsonObject{{QStringLiteral("class"), QStringLiteral("tpm")},
                       {QStringLiteral("tpmId"), stored->tpmId},
                       {QStringLiteral("keyFingerprint"), stored->keyFingerprint},
                       {QStringLiteral("counter"), stored->counter},
                       {QStringLiteral("headSeq"), stored->headSeq}};
}

} // namespace hcp::sync::hub

// SPDX-License-Identifier: Apache-2.0
#include "personaldataeraser.h"

#include "store.h"

#include "outbox.h"

#include <QDateTime>
#include <QLoggingCategory>
#include <QSqlError>
#include <QSqlQuery>

Q_LOGGING_CATEGORY(lcEraser, "hcp.kiosk.eraser")

namespace hcp::kiosk {

PersonalDataEraser::PersonalDataEraser(Store *store, QObject *parent)
    : QObject(parent)
    , m_store(store)
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(1000);
    connect(&m_timer, &QTimer::timeout, this, [this] { eraseAcknowledged(); });
}

QStringList PersonalDataEraser::personalFields()
{
    return {QStringLiteral("certKeyEnc"), QStringLiteral("userNameMasked"), QStringLiteral("writingEvaluation")};
}

void PersonalDataEraser::scheduleErase() { m_timer.start(); }

qint64 PersonalDataEraser::eraseAcknowledged(QString *error)
{
    QSqlDatabase db = m_store->database();
    QStringList paths;
    for (const QString &f : personalFields())
        paths.append(QStringLiteral("'$.%1'").arg(f));
    const QString remove = QStringLiteral("json_remove(payload, %1)").arg(paths.join(QLatin1Char(',')));
    auto fail = [&](const QString &why) {
        if (error)
            *error = why;
        qCWarning(lcEraser) << "erasure failed:" << why;
        return qint64(-1);
    };

    qint64 total = 0;
    for (;;) {
        QSqlQuery q(db);
        // The partial index evaluation_unerased keeps this cheap however long the history is.
        // Only records with their ledger entry: one without is evidence (the sender quarantines
        // and reports it as unledgered) and is kept as it is.
        if (!q.exec(QStringLiteral("SELECT e.uuid FROM evaluation e") + hcp::sync::Outbox::joinAcked(QStringLiteral("e.uuid"))
                    + QStringLiteral(" JOIN ledger l ON l.seq = e.device_seq WHERE e.personal_erased_at IS NULL LIMIT 500")))
            return fail(q.lastError().text());
        QStringList uuids;
        while (q.next())
            uuids.append(q.value(0).toString());
        q.finish();
        if (uuids.isEmpty())
            break;
        const QString in = QStringList(uuids.size(), QStringLiteral("?")).join(QLatin1Char(','));
        if (!db.transaction())
            return fail(db.lastError().text());
        QSqlQuery u(db);
        u.prepare(QStringLiteral("UPDATE evaluation SET payload = %1, personal_erased_at = ? WHERE uuid IN (%2)").arg(remove, in));
        u.addBindValue(QDateTime::currentMSecsSinceEpoch());
        for (const QString &uuid : std::as_const(uuids))
            u.addBindValue(uuid);
        if (!u.exec()) {
            const QSqlError e = u.lastError();
            db.rollback();
            return fail(e.text());
        }
        QString outboxError;
        if (!hcp::sync::Outbox::removePayloadFields(db, uuids, personalFields(), &outboxError)) {
            db.rollback();
            return fail(outboxError);
        }
        if (!db.commit()) {
            const QSqlError e = db.lastError();
            db.rollback();
            return fail(e.text());
        }
        total += uuids.size();
    }
    if (total > 0 || m_checkpointPending) {
        // Copy the new pages into the database file and cut the WAL to zero bytes: the WAL held
        // the pages as first committed. A reader still open on another connection can keep the
        // checkpoint from finishing; the next erase (or SQLite's own checkpoint) completes it.
        QSqlQuery c(db);
        m_checkpointPending = !c.exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)")) || !c.next()
            || c.value(0).toInt() != 0;
        if (m_checkpointPending)
            qCInfo(lcEraser) << "WAL checkpoint incomplete (a reader is active); retried at the next erase";
    }
    if (total > 0) {
        qCInfo(lcEraser) << "personal fields erased from" << total << "acknowledged evaluation(s)";
        Q_EMIT erased(total);
    }
    return total;
}

} // namespace hcp::kiosk

// SPDX-License-Identifier: Apache-2.0
#include "outboxsender.h"
#include "ledgertable.h"

#include "hubclient.h"
#include "wire.h"

#include <QJsonArray>
#include <QPointer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>

Q_LOGGING_CATEGORY(lcSender, "hcp.sync.sender")

namespace hcp::sync {

OutboxSender::OutboxSender(HubClient *client, QObject *parent)
    : QObject(parent)
    , m_client(client)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &OutboxSender::trySend);
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &OutboxSender::trySend);
}

OutboxSender::~OutboxSender()
{
    if (m_db.isValid()) {
        m_db.close();
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_connectionName);
    }
}

bool OutboxSender::open(const QString &databasePath, QString *error)
{
    m_connectionName = QStringLiteral("hcp-sync-sender-") + QUuid::createUuid().toString(QUuid::Id128);
    m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
    m_db.setDatabaseName(databasePath);
    m_db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
    if (!m_db.open()) {
        if (error)
            *error = m_db.lastError().text();
        return false;
    }
    QSqlQuery q(m_db);
    // WAL lets the Store commit while the sender reads. NORMAL on this connection only: losing an
    // ack mark in a power cut causes a resend, which the hub answers with "duplicate".
    q.exec(QStringLiteral("PRAGMA journal_mode=WAL"));
    q.exec(QStringLiteral("PRAGMA synchronous=NORMAL"));
    // Zeroes freed content, like the kiosk Store's connection (personal-data erasure).
    q.exec(QStringLiteral("PRAGMA secure_delete=ON"));
    q.exec(QStringLiteral("PRAGMA cache_size=-16384"));
    return Outbox::createSchema(m_db, error) && LedgerTable::createSchema(m_db, error);
}

void OutboxSender::setOptions(const Options &options)
{
    m_options = options;
    m_options.batchSize = qBound(1, m_options.batchSize, wire::kMaxBatch);
    m_options.backoffBaseMs = qMax(1, m_options.backoffBaseMs);
    m_options.backoffCapMs = qMax(m_options.backoffBaseMs, m_options.backoffCapMs);
    m_options.maxInFlight = qBound(1, m_options.maxInFlight, 4);
}

void OutboxSender::setEnabled(bool enabled)
{
    if (m_enabled == enabled)
        return;
    m_enabled = enabled;
    emit enabledChanged(enabled);
    if (enabled && m_running)
        kick();
}

void OutboxSender::start()
{
    m_running = true;
    schedule(0);
}

void OutboxSender::stop()
{
    m_running = false;
    m_timer.stop();
    m_retryTimer.stop();
}

void OutboxSender::kick()
{
    m_failures = 0;
    m_retryTimer.stop();
    if (m_running && m_inFlight < m_options.maxInFlight)
        schedule(0);
}

void OutboxSender::schedule(int ms)
{
    m_timer.start(ms);
}

void OutboxSender::flushAudit(AuditHandler handler)
{
    auto done = [handler](bool ok, const QString &error) {
        if (handler)
            handler(ok, error);
    };
    if (!m_ledgerSigner)
        return done(false, QStringLiteral("no device key: the audit chain is not shipped"));
    if (m_auditFlushing)
        return done(false, QStringLiteral("a flush is running"));
    QList<Outbox::AuditRow> rows;
    QString error;
    if (!Outbox::nextAuditBatch(m_db, kMaxAuditPerFlush, &rows, &error))
        return done(false, error);
    if (rows.isEmpty())
        return done(true, {});
    QByteArray body = "{\"records\":[";
    for (qsizetype i = 0; i < rows.size(); ++i) {
        if (i > 0)
            body += ',';
        body += rows.at(i).record;
    }
    const qint64 first = rows.first().seq;
    const qint64 last = rows.last().seq;
    QList<QByteArray> entries;
    if (!Outbox::auditEntries(m_db, Outbox::auditHubKnownSeq(m_db), last, &entries, &error))
        return done(false, error);
    body += "],\"ledger\":[" + entries.join(',') + ']';
    if (!entries.isEmpty()) {
        if (const auto head = LedgerTable::signHeadAt(*m_ledgerSigner, entries.last(), &error))
            body += ",\"head\":" + QJsonDocument(head->toJson()).toJson(QJsonDocument::Compact);
        else
            qCWarning(lcSender).noquote() << "audit head:" << error;
    }
    body += '}';
    m_auditFlushing = true;
    QPointer<OutboxSender> self(this);
    m_client->uploadAudit(body, [this, self, first, last, done](const HubReply &reply) {
        if (!self)
            return;
        m_auditFlushing = false;
        if (!reply.isHttp(200))
            return done(false, reply.status ? QStringLiteral("HTTP %1").arg(reply.status) : reply.errorString);
        const QJsonObject ledger = reply.json().value(QLatin1String("ledger")).toObject();
        const qint64 knownSeq = ledger.isEmpty() ? last : qMin(last, ledger.value(QLatin1String("knownSeq")).toInteger());
        QString ackError;
        if (!m_db.transaction())
            return done(false, m_db.lastError().text());
        if (!Outbox::ackAudit(m_db, first, last, knownSeq, &ackError) || !m_db.commit()) {
            m_db.rollback();
            return done(false, ackError.isEmpty() ? m_db.lastError().text() : ackError);
        }
        done(true, {});
    });
}

Outbox::Counts OutboxSender::counts()
{
    return Outbox::counts(m_db, QDateTime::currentMSecsSinceEpoch());
}

void OutboxSender::publishCounts(bool force)
{
    // Counting is O(unsent rows); during a long drain once a second is enough for the UI.
    if (!force && m_countsTimer.isValid() && m_countsTimer.elapsed() < 1000)
        return;
    m_countsTimer.start();
    const Outbox::Counts c = counts();
    emit queueChanged(c.queued, c.oldestUnsentAgeS, c.quarantined);
}

void OutboxSender::fail(const QString &error)
{
    // Full jitter: uniform in [0, min(cap, base·2^n)]; n is capped so the shift cannot overflow.
    const int n = qMin(m_failures, 30);
    const qint64 window = qMin<qint64>(m_options.backoffCapMs,
                                       static_cast<qint64>(m_options.backoffBaseMs) << n);
    const int delay = static_cast<int>(QRandomGenerator::global()->bounded(window + 1));
    m_pipelineBroken = true;
    ++m_failures;
    qCInfo(lcSender) << "send failed:" << error << "retry in" << delay << "ms";
    emit sendFailed(error, delay);
    m_timer.stop();
    if (m_running)
        m_retryTimer.start(delay);
}

void OutboxSender::trySend()
{
    if (!m_running || !m_enabled || m_inFlight >= m_options.maxInFlight || m_retryTimer.isActive())
        return;
    if (m_pipelineBroken && m_inFlight > 0)
        return; // after a failure, let the rest of the pipeline finish first
    if (m_inFlight == 0) {
        m_highWaterSeq = 0; // a new pipeline run starts at the oldest unacknowledged row
        m_ledgerShippedThrough = 0; // and its ledger at the hub's confirmed head
        m_pipelineBroken = false;
    }

    // With a ledger, each row is read with the entry at its seq: a row without its own entry
    // (or whose payload does not hash to it) is never sent as an evaluation (PROTOCOL §4a).
    QList<Outbox::Pending> pending;
    QString readError;
    if (!Outbox::nextBatch(m_db, m_highWaterSeq, m_options.batchSize, bool(m_ledgerSigner), &pending, &readError)) {
        fail(QStringLiteral("outbox read failed: ") + readError);
        return;
    }
    QList<Row> rows;
    QList<Unledgered> found;
    QByteArray body = QByteArrayLiteral("{\"evaluations\":[");
    for (const Outbox::Pending &p : std::as_const(pending)) {
        if (m_ledgerSigner) {
            const QString why = LedgerTable::entryMismatch(p.seq, p.uuid, p.payload, p.ledgerEntry);
            if (!why.isEmpty()) {
                found.append({p.seq, p.uuid, why});
                continue;
            }
        }
        if (!rows.isEmpty())
            body += ',';
        rows.append({p.seq, p.uuid});
        body += p.payload;
    }
    body += ']';
    if (!found.isEmpty() && !markUnledgered(found)) {
        fail(QStringLiteral("outbox quarantine failed: ") + m_db.lastError().text());
        return;
    }
    // Unledgered rows travel as evidence (with every batch until the hub answered one).
    QList<qint64> reported;
    if (m_ledgerSigner && !appendUnledgeredReport(&body, &reported)) {
        fail(QStringLiteral("outbox read failed: ") + m_db.lastError().text());
        return;
    }
    // The ledger part: entries after the hub's confirmed head, or after the last entry an
    // earlier batch of this pipeline run carries, up to this batch's last row. Each entry goes
    // on the wire once per run; a batch that reaches the hub before the one it continues is
    // answered with the old knownSeq (not a gap, PROTOCOL §4a) and its entries are shipped
    // again from the confirmed head.
    qint64 ledgerThrough = -1; // seq of the last entry shipped; -1 = no ledger in this batch
    if (m_ledgerSigner && !rows.isEmpty()) {
        const qint64 last = rows.last().seq;
        const qint64 confirmed = LedgerTable::hubKnownSeq(m_db);
        const qint64 after = qMax(qMax(confirmed, m_ledgerShippedThrough), last - kMaxLedgerPerBatch);
        // Continuing an unanswered batch: say where its entries end, so the hub can tell this
        // batch arriving first (not judged yet) from entries missing here (a gap).
        const bool continues = m_ledgerShippedThrough > confirmed && after == m_ledgerShippedThrough;
        QList<QByteArray> entries;
        trust::LedgerHead head;
        QString error;
        if (!LedgerTable::entries(m_db, after, last, &entries, &head, &error)) {
            fail(QStringLiteral("ledger read failed: ") + error);
            return;
        }
        if (!entries.isEmpty()) {
            body += ",\"ledger\":[";
            body += entries.join(',');
            body += ']';
            // Without a head (last entry not the device's own) the hub checks every entry.
            if (const auto signedHead = LedgerTable::signHeadAt(*m_ledgerSigner, entries.last(), &error)) {
                body += ",\"head\":";
                body += QJsonDocument(signedHead->toJson()).toJson(QJsonDocument::Compact);
            } else {
                qCWarning(lcSender).noquote() << error;
            }
            ledgerThrough = qint64(head.deviceSeq);
            if (continues) {
                body += ",\"ledgerAfter\":";
                body += QByteArray::number(after);
            }
        }
    }
    // Every batch that is sent is attested, one that only reports quarantined rows too (else
    // the hub takes the kiosk's own batch for a clone without its TPM: tpm-missing).
    if (m_attestation && (!rows.isEmpty() || !reported.isEmpty())) {
        const QJsonObject tpm = m_attestation();
        if (!tpm.isEmpty()) {
            body += ",\"tpm\":";
            body += QJsonDocument(tpm).toJson(QJsonDocument::Compact);
        }
    }
    body += '}';
    if (rows.isEmpty() && (reported.isEmpty() || m_inFlight > 0)) {
        if (m_inFlight > 0)
            return; // the answers in flight schedule the next attempt
        if (!m_reportedDrained) {
            m_reportedDrained = true;
            publishCounts(true);
            emit drained();
        }
        schedule(m_options.idlePollMs);
        return;
    }
    m_reportedDrained = false;
    step(Step::BatchSelected);

    // Pessimistic marking (ODK Collect): the rows are Sending before any byte leaves. New rows
    // always get a higher seq, so the range covers exactly the selected rows.
    QString markError;
    if (!rows.isEmpty() && !Outbox::markSending(m_db, rows.first().seq, rows.last().seq, &markError)) {
        fail(QStringLiteral("outbox mark failed: ") + markError);
        return;
    }
    step(Step::MarkedSending);

    ++m_inFlight;
    if (!rows.isEmpty())
        m_highWaterSeq = rows.last().seq;
    if (ledgerThrough >= 0)
        m_ledgerShippedThrough = ledgerThrough;
    // The reply may outlive this sender (the client owns the request): check before touching it.
    QPointer<OutboxSender> self(this);
    m_client->uploadBatch(body, [this, self, rows, ledgerThrough, reported](const HubReply &reply) {
        if (!self)
            return;
        --m_inFlight;
        step(Step::ResponseReceived);
        if (!reply.isHttp(200)) {
            fail(reply.status == 0 ? reply.errorString
                                   : QStringLiteral("HTTP %1 %2").arg(reply.status).arg(
                                       reply.json().value(QLatin1String("error")).toString()));
            return;
        }
        QJsonParseError pe;
        const QJsonDocument doc = QJsonDocument::fromJson(reply.body, &pe);
        const QJsonArray results = doc.object().value(QLatin1String("results")).toArray();
        if (pe.error != QJsonParseError::NoError || (results.isEmpty() && !rows.isEmpty())) {
            fail(QStringLiteral("unreadable batch response"));
            return;
        }
        // The hub's verified head for this device; without a "ledger" answer the hub does not
        // check ledgers and the shipped entries count as delivered (no ever-growing resend).
        qint64 ledgerKnown = -1;
        if (ledgerThrough >= 0) {
            const QJsonValue ledger = doc.object().value(QLatin1String("ledger"));
            ledgerKnown = ledger.isObject()
                ? qMin(ledgerThrough, ledger.toObject().value(QLatin1String("knownSeq")).toInteger())
                : ledgerThrough;
            // Not linked (arrived ahead of its predecessor, or the hub found a problem): its
            // entries must be shipped again from the confirmed head — but not before every batch
            // still on the wire is answered, or a batch re-shipping them could reach the hub
            // before the evaluations those batches carry, which the hub would take for deleted
            // ones. So the pipeline drains first, as after a failure, and the next run starts at
            // the confirmed head.
            if (ledgerKnown < ledgerThrough) {
                m_ledgerShippedThrough = 0;
                m_pipelineBroken = true;
            }
        }
        int accepted = 0;
        int duplicates = 0;
        if (!applyResults(rows, results, ledgerKnown, reported, &accepted, &duplicates)) {
            fail(QStringLiteral("outbox ack failed: ") + m_db.lastError().text());
            return;
        }
        step(Step::AckCommitted);
        m_failures = 0;
        m_lastSuccess = QDateTime::currentDateTimeUtc();
        emit lastSuccessChanged(m_lastSuccess);
        emit batchAcked(accepted, duplicates);
        publishCounts(false);
        if (m_running && !m_retryTimer.isActive())
            schedule(0);
    });
    step(Step::RequestIssued);
    if (m_inFlight < m_options.maxInFlight)
        schedule(0); // prepare the next batch while the hub commits this one
}

bool OutboxSender::markUnledgered(const QList<Unledgered> &rows)
{
    if (!m_db.transaction())
        return false;
    for (const Unledgered &r : rows) {
        if (!Outbox::markUnledgered(m_db, r.seq, r.reason, nullptr)) {
            m_db.rollback();
            return false;
        }
    }
    if (!m_db.commit())
        return false;
    for (const Unledgered &r : rows) {
        qCWarning(lcSender).noquote() << "quarantined" << r.uuid << "seq" << r.seq << "unledgered:" << r.reason;
        emit recordQuarantined(r.seq, r.uuid, QStringLiteral("unledgered"), r.reason);
    }
    return true;
}

bool OutboxSender::appendUnledgeredReport(QByteArray *body, QList<qint64> *reported)
{
    QList<Outbox::UnledgeredRow> rows;
    if (!Outbox::unledgered(m_db, kMaxUnledgeredPerBatch, &rows, nullptr))
        return false;
    QByteArray report;
    for (const Outbox::UnledgeredRow &r : std::as_const(rows)) {
        if (!report.isEmpty())
            report += ',';
        report += QJsonDocument(QJsonObject{{QStringLiteral("deviceSeq"), r.seq},
                                            {QStringLiteral("uuid"), r.uuid},
                                            {QStringLiteral("reason"), r.reason}})
                      .toJson(QJsonDocument::Compact);
        // The row as stored, verbatim, as evidence.
        report.chop(1);
        report += ",\"evaluation\":" + r.payload + '}';
        reported->append(r.seq);
    }
    if (!report.isEmpty())
        *body += ",\"unledgered\":[" + report + ']';
    return true;
}

bool OutboxSender::applyResults(const QList<Row> &rows, const QJsonArray &results, qint64 ledgerKnownSeq,
                                const QList<qint64> &reported, int *accepted, int *duplicates)
{
    QHash<QString, qint64> seqByUuid;
    for (const Row &r : rows)
        seqByUuid.insert(r.uuid, r.seq);

    struct Quarantine
    {
        qint64 seq;
        QString uuid, status, reason;
    };
    QList<qint64> acks;
    QList<Quarantine> quarantines;
    for (const QJsonValue &v : results) {
        const QJsonObject r = v.toObject();
        const QString uuid = r.value(QLatin1String("uuid")).toString();
        const auto it = seqByUuid.constFind(uuid);
        if (it == seqByUuid.constEnd())
            continue; // not ours: ignore, the row stays Sending and is asked about again
        const QString status = r.value(QLatin1String("status")).toString();
        if (status == QLatin1String("accepted") || status == QLatin1String("duplicate")) {
            acks.append(*it);
            (status == QLatin1String("accepted") ? *accepted : *duplicates) += 1;
        } else if (status == QLatin1String("conflict") || status == QLatin1String("invalid")) {
            quarantines.append({*it, uuid, status, r.value(QLatin1String("reason")).toString()});
        } else if (status == QLatin1String("refused")) {
            // Final, never resent: the hub rated the case by default (PROTOCOL §18.6), or keeps the
            // record as evidence of a second rating or one outside the window (§4d).
            const QString reason = r.value(QLatin1String("reason")).toString();
            const QString text = reason == QLatin1String("window_closed")    ? tr("已超过评价期限，服务中心已按默认评价处理")
                : reason == QLatin1String("already_rated") ? tr("该次服务已在其他终端评价（一事一评），本次评价未计入")
                : reason == QLatin1String("outside_window") ? tr("评价时间不在评价期限内（请检查终端时钟），本次评价未计入")
                                                            : reason;
            quarantines.append({*it, uuid, status, text});
        }
        // Unknown statuses leave the row Sending: a newer hub may add one; resending is safe.
    }

    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (!m_db.transaction())
        return false;
    // Acks go in two statements (first half, second half) inside one transaction: few statements
    // keep a 500-row ack cheap, and the split gives the crash test a point "inside the ack".
    const qsizetype half = acks.size() / 2;
    if (!Outbox::ack(m_db, acks.first(half), now, nullptr)) {
        m_db.rollback();
        return false;
    }
    step(Step::AckPartial);
    if (!Outbox::ack(m_db, acks.sliced(half), now, nullptr)) {
        m_db.rollback();
        return false;
    }
    for (const Quarantine &q : quarantines) {
        if (!Outbox::quarantine(m_db, q.seq, q.status, q.reason, nullptr)) {
            m_db.rollback();
            return false;
        }
    }
    // The hub holds the report (as evidence, with its alerts): the rows stay quarantined.
    if (!Outbox::reportedUnledgered(m_db, reported, nullptr)) {
        m_db.rollback();
        return false;
    }
    if (ledgerKnownSeq > 0 && !LedgerTable::setHubKnownSeq(m_db, ledgerKnownSeq)) {
        m_db.rollback();
        return false;
    }
    if (!m_db.commit())
        return false;
    for (const Quarantine &q : quarantines) {
        qCWarning(lcSender) << "quarantined" << q.uuid << q.status << q.reason;
        emit recordQuarantined(q.seq, q.uuid, q.status, q.reason);
    }
    return true;
}

} // namespace hcp::sync

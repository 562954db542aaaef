// SPDX-License-Identifier: Apache-2.0
#include "tamperkiosk.h"

#include "hubprocess.h"
#include "ledgertable.h"
#include "outbox.h"

#include <QJsonDocument>

#include <QFile>
#include <QSignalSpy>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

namespace hcp::sync::test {

TamperKiosk::TamperKiosk(const QString &deviceId, const QString &dbPath, const QUrl &hub)
    : m_deviceId(deviceId)
    , m_path(dbPath)
    , m_key(trust::Key::generate(trust::KeyType::Sm2))
    , m_ledger(m_key)
{
    m_credentials = enrollWithKey(hub, deviceId, m_key);
}

TamperKiosk::TamperKiosk(const TamperKiosk &original, const QString &dbPath)
    : m_deviceId(original.m_deviceId)
    , m_path(dbPath)
    , m_key(original.m_key)
    , m_ledger(m_key)
    , m_credentials(original.m_credentials)
    , m_counter(1000) // its own case numbers
{
}

TamperKiosk::~TamperKiosk() = default;

void TamperKiosk::setTpm(const QString &tcti, const QString &keyBlobPath)
{
    m_tcti = tcti;
    m_keyBlobPath = keyBlobPath;
}

bool TamperKiosk::open(QString *error)
{
    if (!m_store.open(m_path, error))
        return false;
    m_ledger.attach(m_store);
    if (!m_tcti.isEmpty()) {
#ifdef HCP_HAVE_TPM
        m_tpm = kiosk::TpmAttestor::open(m_tcti, m_keyBlobPath, error);
        if (!m_tpm)
            return false;
        m_store.setCommitHook(m_tpm->counterHook());
#else
        if (error)
            *error = QStringLiteral("built without tpm2-tss");
        return false;
#endif
    }
    m_client = std::make_unique<sync::HubClient>();
    m_client->setCredentials(m_credentials);
    m_client->setDeviceKey(m_key);
    m_sender = std::make_unique<sync::OutboxSender>(m_client.get());
    sync::OutboxSender::Options options;
    options.backoffBaseMs = 50;
    options.backoffCapMs = 200;
    options.idlePollMs = 100;
    m_sender->setOptions(options);
    m_sender->setLedgerSigner(m_ledger.builder());
    m_sender->setAttestationProvider([this] { return attestation(); });
    m_audit = std::make_unique<kiosk::AuditLog>(&m_store, m_ledger.builder());
    return m_sender->open(m_path, error);
}

void TamperKiosk::close()
{
    m_audit.reset();
    m_sender.reset();
    m_client.reset();
#ifdef HCP_HAVE_TPM
    m_tpm.reset();
#endif
    m_store.close();
}

QJsonObject TamperKiosk::attestation()
{
    if (!m_replay.isEmpty())
        return m_replay;
#ifdef HCP_HAVE_TPM
    if (m_tpm) {
        QSqlDatabase db = m_store.database();
        QString error;
        if (const auto a = m_tpm->attest(db, m_deviceId, &error))
            return *a;
        qWarning() << "TPM attestation failed:" << error;
    }
#endif
    return {};
}

bool TamperKiosk::commit(int n, int satisfaction)
{
    for (int i = 0; i < n; ++i) {
        kiosk::Evaluation e;
        e.projectNo = QStringLiteral("T%1-%2").arg(m_deviceId).arg(++m_counter);
        e.satisfaction = satisfaction;
        if (satisfaction <= 2)
            e.writingEvaluation = QStringLiteral("窗口人员态度差");
        const auto r = m_store.commitEvaluation(e);
        if (!r.ok()) {
            qWarning() << "commit failed:" << r.error;
            return false;
        }
        m_committed.append(e);
    }
    return true;
}

bool TamperKiosk::sync()
{
    QSignalSpy drained(m_sender.get(), &sync::OutboxSender::drained);
    m_sender->start();
    const bool ok = drained.wait(20000);
    m_sender->stop();
    return ok;
}

bool TamperKiosk::flushAudit()
{
    bool done = false;
    bool ok = false;
    m_sender->flushAudit([&](bool success, const QString &error) {
        ok = success;
        done = true;
        if (!success)
            qWarning() << "audit flush failed:" << error;
    });
    QTest::qWaitFor([&] { return done; }, 15000);
    return ok;
}

int TamperKiosk::heartbeat(const std::optional<QJsonObject> &overrideTpm)
{
    QSqlDatabase db = m_store.database();
    sync::HeartbeatInfo info;
    info.version = QStringLiteral("test");
    info.deviceStatus = QJsonObject{{QStringLiteral("tpm"), hasTpm() ? QStringLiteral("ok") : QStringLiteral("none: no /dev/tpmrm0")}};
    if (const auto head = m_ledger.signedHead(db))
        info.ledgerHead = head->toJson();
    info.tpm = overrideTpm ? *overrideTpm : attestation();
    int status = 0;
    bool done = false;
    m_client->sendHeartbeat(info, [&](const sync::HubReply &r) {
        status = r.status;
        done = true;
    });
    QTest::qWaitFor([&] { return done; }, 15000);
    return status;
}

bool TamperKiosk::exec(const QString &sql)
{
    QSqlQuery q(m_store.database());
    if (q.exec(sql))
        return true;
    qWarning() << "tamper SQL failed:" << q.lastError().text() << sql;
    return false;
}

bool TamperKiosk::editOffline(const QStringList &statements, QString *error)
{
    close();
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("tamper-offline"));
        db.setDatabaseName(m_path);
        bool ok = db.open();
        QSqlQuery q(db);
        for (const QString &sql : statements) {
            if (!ok)
                break;
            ok = q.exec(sql);
            if (!ok && error)
                *error = q.lastError().text() + QStringLiteral(" in ") + sql;
        }
        q.finish();
        db.close();
        if (!ok)
            return false;
    }
    QSqlDatabase::removeDatabase(QStringLiteral("tamper-offline"));
    return open(error);
}

kiosk::Evaluation TamperKiosk::forgedEvaluation(qint64 seq)
{
    kiosk::Evaluation e;
    e.projectNo = QStringLiteral("FORGED-%1").arg(seq, 4, 10, QLatin1Char('0'));
    e.satisfaction = 5;
    e.deviceSeq = seq;
    e.uuid = QStringLiteral("0badf00d-0000-4000-8000-%1").arg(seq, 12, 10, QLatin1Char('0'));
    e.assessTime = QDateTime::currentDateTime();
    return e;
}

bool TamperKiosk::swapRows(qint64 a, qint64 b)
{
    for (const QString &t : {QStringLiteral("evaluation:device_seq"), QStringLiteral("outbox:seq"), QStringLiteral("ledger:seq")}) {
        const QString table = t.section(QLatin1Char(':'), 0, 0);
        const QString col = t.section(QLatin1Char(':'), 1, 1);
        if (!exec(QStringLiteral("UPDATE %1 SET %2 = -%2 WHERE %2 IN (%3, %4)").arg(table, col).arg(a).arg(b))
            || !exec(QStringLiteral("UPDATE %1 SET %2 = CASE %2 WHEN -%3 THEN %4 ELSE %3 END WHERE %2 < 0")
                         .arg(table, col).arg(a).arg(b)))
            return false;
    }
    return exec(QStringLiteral("UPDATE evaluation SET payload = json_set(payload, '$.deviceSeq', device_seq)"))
        && exec(QStringLiteral("UPDATE outbox SET payload = json_set(payload, '$.deviceSeq', seq)"));
}

QString TamperKiosk::insertForged(qint64 seq, const trust::LedgerBuilder *forger)
{
    const kiosk::Evaluation e = forgedEvaluation(seq);
    const QJsonObject wire = e.toJson();
    const QString payload = QString::fromUtf8(QJsonDocument(wire).toJson(QJsonDocument::Compact));
    QSqlDatabase db = m_store.database();
    if (!db.transaction())
        return {};
    QString error;
    bool ok = !forger || sync::LedgerTable::append(db, *forger, seq, wire, &error);
    QSqlQuery q(db);
    q.prepare(QStringLiteral("INSERT INTO evaluation (uuid, device_seq, project_no, service_number, assess_number,"
                             " satisfaction, assess_time, payload) VALUES (?, ?, ?, 1, 1, 5, ?, ?)"));
    q.addBindValue(e.uuid);
    q.addBindValue(seq);
    q.addBindValue(e.projectNo);
    q.addBindValue(wire.value(QLatin1String("assessTime")).toString());
    q.addBindValue(payload);
    ok = ok && q.exec() && sync::Outbox::enqueue(db, seq, e.uuid, payload.toUtf8(), &error) && db.commit();
    if (!ok) {
        qWarning() << "forging failed:" << error << q.lastError().text();
        db.rollback();
        return {};
    }
    return e.uuid;
}

bool TamperKiosk::backupTo(const QString &path)
{
    QFile::remove(path);
    return exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)")) && QFile::copy(m_path, path);
}

bool TamperKiosk::restoreFrom(const QString &path)
{
    for (const QString &suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")})
        QFile::remove(m_path + suffix);
    return QFile::copy(path, m_path);
}

QJsonArray deviceAlerts(const QUrl &hub, const QString &deviceId)
{
    return adminGet(hub, QStringLiteral("/v1/admin/tamper?deviceId=%1").arg(deviceId)).value(QLatin1String("alerts")).toArray();
}

QStringList alertKinds(const QUrl &hub, const QString &deviceId)
{
    QStringList out;
    for (const QJsonValue &a : deviceAlerts(hub, deviceId))
        out << a.toObject().value(QLatin1String("kind")).toString();
    return out;
}

} // namespace hcp::sync::test

// SPDX-License-Identifier: Apache-2.0
#include "hubprocess.h"

#include "deviceidentity.h"
#include "hubclient.h"

#include "ledgertable.h"

#include "outbox.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QEventLoop>
#include <QFile>
#include <QCryptographicHash>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <QTimer>
#include <QUuid>

#include <csignal>
#include <sys/prctl.h>
#include <unistd.h>

namespace hcp::sync::test {

QString hubBinary()
{
    return QStringLiteral(HCP_HUB_BINARY);
}

HubProcess::~HubProcess()
{
    kill();
}

bool HubProcess::start(const QString &dbSpec, quint16 port, const QStringList &extraArgs)
{
    kill();
    m_dbSpec = dbSpec;
    m_extraArgs = extraArgs;
    m_output.clear();
    m_process = std::make_unique<QProcess>();
    m_process->setProcessChannelMode(QProcess::SeparateChannels);
    // The hub dies with the test, even when the test crashes.
    m_process->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
    QStringList args{QStringLiteral("--listen"), QStringLiteral("127.0.0.1:%1").arg(port),
                     QStringLiteral("--db"), dbSpec,
                     QStringLiteral("--enroll-token"), QLatin1String(kEnrollToken),
                     QStringLiteral("--admin-token"), QLatin1String(kAdminToken)};
    args += extraArgs;
    m_process->start(hubBinary(), args);
    if (!m_process->waitForStarted(10000))
        return false;
    static const QRegularExpression listening(QStringLiteral("listening on [0-9.]+:(\\d+)"));
    QDeadlineTimer deadline(15000);
    while (!deadline.hasExpired()) {
        // The port may still be held by a killed predecessor for a moment: the hub exits then,
        // and we retry.
        if (m_process->state() != QProcess::Running) {
            m_output += QString::fromUtf8(m_process->readAllStandardError());
            if (port != 0) {
                QThread::msleep(100);
                m_process->start(hubBinary(), args);
                m_process->waitForStarted(10000);
                continue;
            }
            return false;
        }
        m_process->waitForReadyRead(100);
        m_output += QString::fromUtf8(m_process->readAllStandardOutput());
        const auto match = listening.match(m_output);
        if (match.hasMatch()) {
            m_port = static_cast<quint16>(match.captured(1).toUInt());
            return true;
        }
    }
    return false;
}

void HubProcess::kill()
{
    if (!m_process)
        return;
    if (m_process->state() != QProcess::NotRunning) {
        m_process->kill();
        m_process->waitForFinished(5000);
    }
    m_process.reset();
}

int httpRequest(const QUrl &url, const QByteArray &method, const QByteArray &body, QByteArray *responseBody,
                const QList<QPair<QByteArray, QByteArray>> &headers, int timeoutMs,
                QList<QPair<QByteArray, QByteArray>> *responseHeaders)
{
    QNetworkAccessManager nam;
    QNetworkRequest request(url);
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    for (const auto &h : headers)
        request.setRawHeader(h.first, h.second);
    QNetworkReply *reply = nam.sendCustomRequest(request, method, body);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(timeoutMs, &loop, [reply] { reply->abort(); });
    if (!reply->isFinished())
        loop.exec();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (responseBody)
        *responseBody = reply->readAll();
    if (responseHeaders)
        *responseHeaders = reply->rawHeaderPairs();
    delete reply;
    return status;
}

QJsonObject adminGet(const QUrl &hub, const QString &pathAndQuery)
{
    QByteArray body;
    httpRequest(hub.resolved(QUrl(pathAndQuery)), "GET", {}, &body,
                {{"Authorization", QByteArray("Bearer ") + kAdminToken}});
    return QJsonDocument::fromJson(body).object();
}

int adminSend(const QUrl &hub, const QByteArray &method, const QString &path, const QJsonObject &body,
              QJsonObject *response)
{
    QByteArray out;
    const int status = httpRequest(hub.resolved(QUrl(path)), method, QJsonDocument(body).toJson(QJsonDocument::Compact),
                                   &out, {{"Authorization", QByteArray("Bearer ") + kAdminToken}});
    if (response)
        *response = QJsonDocument::fromJson(out).object();
    return status;
}

DeviceCredentials enroll(const QUrl &hub, const QString &deviceId, const QString &hallCode)
{
    return enrollWithKey(hub, deviceId, trust::Key(), hallCode);
}

DeviceCredentials enrollWithKey(const QUrl &hub, const QString &deviceId, const trust::Key &deviceKey,
                                const QString &hallCode)
{
    QJsonObject request{{QStringLiteral("enrollToken"), QLatin1String(kEnrollToken)},
                              {QStringLiteral("deviceId"), deviceId},
                              {QStringLiteral("hallCode"), hallCode},
                              {QStringLiteral("deviceClass"), QStringLiteral("terminal")},
                              {QStringLiteral("version"), QStringLiteral("0.1.0")}};
    if (!deviceKey.isNull())
        request.insert(QStringLiteral("devicePublicKey"), QString::fromLatin1(deviceKey.publicPem()));
    QByteArray body;
    if (httpRequest(hub.resolved(QUrl(QStringLiteral("/v1/enroll"))), "POST",
                    QJsonDocument(request).toJson(QJsonDocument::Compact), &body) != 201)
        return {};
    DeviceCredentials c = DeviceCredentials::fromJson(QJsonDocument::fromJson(body).object());
    c.hubUrl = hub;
    return c;
}

QString uuidFor(const QString &tag, qint64 seq)
{
    return QUuid::createUuidV5(QUuid(QStringLiteral("{6ba7b811-9dad-11d1-80b4-00c04fd430c8}")),
                               QStringLiteral("%1/%2").arg(tag).arg(seq))
        .toString(QUuid::WithoutBraces);
}

QJsonObject makeEvaluation(qint64 seq, const QString &uuid, int satisfaction)
{
    QJsonObject e{
        {QStringLiteral("uuid"), uuid},
        {QStringLiteral("deviceSeq"), seq},
        {QStringLiteral("projectNo"), QStringLiteral("1101052026112%1").arg(seq % 100000, 5, 10, QLatin1Char('0'))},
        {QStringLiteral("serviceNumber"), 1},
        {QStringLiteral("assessNumber"), 1},
        {QStringLiteral("pf"), 5},
        {QStringLiteral("satisfaction"), satisfaction},
        {QStringLiteral("evalDetail"), satisfaction <= 2 ? QStringLiteral("501,502") : QString()},
        {QStringLiteral("answers"), QJsonObject{{QStringLiteral("q1"), 5}, {QStringLiteral("q2"), 4}}},
        {QStringLiteral("writingEvaluation"), QString()},
        {QStringLiteral("publicFlag"), 1},
        {QStringLiteral("assessTime"), QStringLiteral("2026-11-28 09:30:00")},
        {QStringLiteral("evaluateType"), 1},
        {QStringLiteral("indicatorVersion"), QStringLiteral("2026.1")},
        {QStringLiteral("questionnaireVersion"), QStringLiteral("q-2026.1")},
        {QStringLiteral("taskCode"), QStringLiteral("11110105000000000X4000111001001")},
        {QStringLiteral("deptCode"), QStringLiteral("11110105000000000X")},
        {QStringLiteral("areaCode"), QStringLiteral("110105000000")},
        {QStringLiteral("staffNo"), QStringLiteral("S0012")},
        {QStringLiteral("windowNo"), QStringLiteral("A03")},
        {QStringLiteral("userProp"), 1},
        {QStringLiteral("userNameMasked"), QStringLiteral("李*")},
    };
    return e;
}

namespace {

struct Connection
{
    explicit Connection(const QString &path)
        : name(QStringLiteral("test-") + QUuid::createUuid().toString(QUuid::Id128))
    {
        db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
        db.open();
    }
    ~Connection()
    {
        db.close();
        db = QSqlDatabase();
        QSqlDatabase::removeDatabase(name);
    }
    QString name;
    QSqlDatabase db;
};

} // namespace

bool createKioskDb(const QString &path)
{
    Connection c(path);
    QSqlQuery q(c.db);
    q.exec(QStringLiteral("PRAGMA journal_mode=WAL"));
    QString error;
    return Outbox::createSchema(c.db, &error) && LedgerTable::createSchema(c.db, &error);
}

QJsonObject queuedEvaluation(const QString &tag, qint64 seq)
{
    QJsonObject evaluation = makeEvaluation(seq, uuidFor(tag, seq));
    // Each tag (kiosk) rates its own service events: the same event from two kiosks is a
    // second rating the hub keeps as evidence, not stores (PROTOCOL §4d).
    const QByteArray tagHash = QCryptographicHash::hash(tag.toUtf8(), QCryptographicHash::Sha1);
    const quint32 tagNo = (quint32(quint8(tagHash[0])) << 16 | quint32(quint8(tagHash[1])) << 8 | quint8(tagHash[2])) % 1000000;
    evaluation.insert(QStringLiteral("projectNo"),
                      QStringLiteral("11%1%2").arg(tagNo, 6, 10, QLatin1Char('0')).arg(seq, 10, 10, QLatin1Char('0')));
    return evaluation;
}

bool enqueueRange(const QString &path, qint64 from, qint64 to, const QString &tag, const trust::LedgerBuilder *ledger)
{
    Connection c(path);
    if (!c.db.transaction())
        return false;
    for (qint64 seq = from; seq <= to; ++seq) {
        const QString uuid = uuidFor(tag, seq);
        const QJsonObject evaluation = queuedEvaluation(tag, seq);
        QString error;
        if (!Outbox::enqueue(c.db, seq, uuid, QJsonDocument(evaluation).toJson(QJsonDocument::Compact), &error)
            || (ledger && !LedgerTable::append(c.db, *ledger, seq, evaluation, &error))) {
            qWarning() << "enqueue failed" << error;
            c.db.rollback();
            return false;
        }
    }
    return c.db.commit();
}

QJsonArray tamperAlerts(const QUrl &hub)
{
    return adminGet(hub, QStringLiteral("/v1/admin/tamper?all=1")).value(QLatin1String("alerts")).toArray();
}

OutboxSnapshot outboxSnapshot(const QString &path)
{
    Connection c(path);
    OutboxSnapshot s;
    QSqlQuery q(c.db);
    q.exec(QStringLiteral("SELECT state, COUNT(*) FROM outbox GROUP BY state"));
    while (q.next()) {
        const qint64 n = q.value(1).toLongLong();
        switch (q.value(0).toInt()) {
        case Outbox::Queued: s.queued = n; break;
        case Outbox::Sending: s.sending = n; break;
        case Outbox::Acked: s.acked = n; break;
        case Outbox::Quarantined: s.quarantined = n; break;
        }
    }
    return s;
}

QJsonObject protocolExample(const QString &name)
{
    QFile f(QStringLiteral(HCP_PROTOCOL_MD));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QString text = QString::fromUtf8(f.readAll());
    const QString marker = QStringLiteral("<!-- example: %1 -->").arg(name);
    const qsizetype at = text.indexOf(marker);
    if (at < 0)
        return {};
    const qsizetype open = text.indexOf(QStringLiteral("```json\n"), at);
    const qsizetype close = text.indexOf(QStringLiteral("\n```"), open + 8);
    if (open < 0 || close < 0)
        return {};
    return QJsonDocument::fromJson(text.mid(open + 8, close - open - 8).toUtf8()).object();
}

QJsonArray hubEvaluations(const QUrl &hub, const QString &deviceId)
{
    QJsonArray all;
    qint64 after = 0;
    for (;;) {
        const QJsonObject page = adminGet(hub, (deviceId.isEmpty() ? QStringLiteral("/v1/admin/evaluations?all=1%1&afterId=%2&limit=10000")
                                                               : QStringLiteral("/v1/admin/evaluations?deviceId=%1&afterId=%2&limit=10000"))
                                                   .arg(deviceId).arg(after));
        const QJsonArray list = page.value(QLatin1String("evaluations")).toArray();
        for (const QJsonValue &v : list)
            all.append(v);
        if (list.isEmpty())
            break;
        after = page.value(QLatin1String("nextAfterId")).toInteger();
    }
    return all;
}

int signedRequest(const QUrl &hub, const DeviceCredentials &creds, const trust::Key &key, const QByteArray &method,
                  const QString &target, qint64 timeMs, const QByteArray &body, QByteArray *out,
                  QByteArray *signatureOut)
{
    const QByteArray encoded = QUrl(target).toEncoded();
    const QByteArray signature = trust::Crypto::sign(key, trust::DeviceIdentity::requestSigningInput(method, encoded, timeMs, body))
                                     .value_or(QByteArray())
                                     .toBase64();
    if (signatureOut)
        *signatureOut = signature;
    return httpRequest(hub.resolved(QUrl(target)), method, body, out,
                       {{"X-HCP-Device", creds.deviceId.toUtf8()},
                        {"X-HCP-Time", QByteArray::number(timeMs)},
                        {"X-HCP-Key", trust::DeviceIdentity::fingerprintOf(key).toLatin1()},
                        {"X-HCP-Signature", signature}});
}

QString hubIdHash(const DeviceCredentials &creds, const QString &idNumber, const trust::Key &key)
{
    HubClient client;
    client.setCredentials(creds);
    if (!key.isNull())
        client.setDeviceKey(key);
    client.setLookupTimeoutMs(10000);
    QString out;
    bool done = false;
    client.hashIdNumber(idNumber, [&](const QString &hash, int) {
        out = hash;
        done = true;
    });
    QDeadlineTimer deadline(15000);
    while (!done && !deadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    return out;
}

// CPU seconds (user + system) a process has used so far, from /proc.
double processCpuSeconds(qint64 pid, qint64 tid)
{
    QFile f(tid ? QStringLiteral("/proc/%1/task/%2/stat").arg(pid).arg(tid) : QStringLiteral("/proc/%1/stat").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray stat = f.readAll();
    const QList<QByteArray> fields = stat.mid(stat.lastIndexOf(')') + 2).split(' ');
    // Fields after the command: state is [0], utime is [11], stime is [12] (proc(5)).
    return (fields.value(11).toDouble() + fields.value(12).toDouble()) / sysconf(_SC_CLK_TCK);
}

} // namespace hcp::sync::test

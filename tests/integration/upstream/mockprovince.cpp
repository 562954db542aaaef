// SPDX-License-Identifier: Apache-2.0
#include "mockprovince.h"

#include <QDateTime>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QJsonDocument>
#include <QMutexLocker>
#include <QRegularExpression>

namespace hcp::sync::hub::upstream::test {

namespace {

QJsonObject fail(const QString &code, const QString &msg)
{
    return QJsonObject{{QStringLiteral("code"), code}, {QStringLiteral("success"), QStringLiteral("false")},
                       {QStringLiteral("msg"), msg}};
}

QJsonObject ok(const QJsonValue &data)
{
    return QJsonObject{{QStringLiteral("code"), QStringLiteral("0")}, {QStringLiteral("success"), QStringLiteral("true")},
                       {QStringLiteral("msg"), QStringLiteral("成功")}, {QStringLiteral("data"), data}};
}

QString keyOf(const QJsonObject &r)
{
    auto s = [&r](const char *k) {
        const QJsonValue v = r.value(QLatin1String(k));
        return v.isString() ? v.toString() : QString::number(v.toInteger());
    };
    return s("projectNo") + QLatin1Char('|') + s("serviceNumber") + QLatin1Char('|') + s("assessNumber");
}

} // namespace

MockProvince::MockProvince(const App &app, quint32 seed)
    : m_app(app)
    , m_random(seed)
{
    m_context = new QObject;
    m_context->moveToThread(&m_thread);
    m_thread.start();
}

MockProvince::~MockProvince()
{
    stop();
    QMetaObject::invokeMethod(m_context, [this] { delete m_context; }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

void MockProvince::listenOnThread(quint16 port, quint16 *bound)
{
    m_http = new QHttpServer(m_context);
    m_http->route(QStringLiteral("/hcp/<arg>"), QHttpServerRequest::Method::Post,
                  [this](const QString &what, const QHttpServerRequest &request) {
                      const Answer a = handle(QStringLiteral("/hcp/") + what, request.body());
                      if (a.delayMs > 0)
                          QThread::msleep(a.delayMs);
                      return QHttpServerResponse(a.body, QHttpServerResponse::StatusCode(a.httpStatus));
                  });
    *bound = m_http->listen(QHostAddress::LocalHost, port);
}

void MockProvince::closeOnThread()
{
    delete m_http;
    m_http = nullptr;
}

quint16 MockProvince::start(quint16 port)
{
    quint16 bound = 0;
    QMetaObject::invokeMethod(m_context, [this, port, &bound] { listenOnThread(port, &bound); },
                              Qt::BlockingQueuedConnection);
    m_port = bound;
    return bound;
}

void MockProvince::stop()
{
    QMetaObject::invokeMethod(m_context, [this] { closeOnThread(); }, Qt::BlockingQueuedConnection);
}

bool MockProvince::restart(int downMs)
{
    stop();
    QThread::msleep(downMs);
    {
        QMutexLocker lock(&m_mutex);
        ++m_stats.restarts;
    }
    return start(m_port) == m_port;
}

void MockProvince::setFaults(int percent503, int percent500AfterStore, int percentLate, int lateMs)
{
    QMutexLocker lock(&m_mutex);
    m_percent503 = percent503;
    m_percent500 = percent500AfterStore;
    m_percentLate = percentLate;
    m_lateMs = lateMs;
}

void MockProvince::setDelayMs(int ms)
{
    QMutexLocker lock(&m_mutex);
    m_delayMs = ms;
}

void MockProvince::setRejectedTaskCodes(const QStringList &codes)
{
    QMutexLocker lock(&m_mutex);
    m_rejectedTasks = codes;
}

void MockProvince::setNorms(const QJsonObject &data)
{
    QMutexLocker lock(&m_mutex);
    m_norms = data;
}

void MockProvince::setRectifications(const QJsonArray &items)
{
    QMutexLocker lock(&m_mutex);
    m_rectifications = items;
}

void MockProvince::preload(const QJsonObject &record)
{
    QMutexLocker lock(&m_mutex);
    m_stored.insert(keyOf(record), record);
}

void MockProvince::failPath(const QString &path, int httpStatus, int times)
{
    QMutexLocker lock(&m_mutex);
    if (times == 0)
        m_pathFaults.remove(path);
    else
        m_pathFaults.insert(path, {httpStatus, times});
}

int MockProvince::callsTo(const QString &path) const
{
    QMutexLocker lock(&m_mutex);
    return m_pathCalls.value(path);
}

QHash<QString, QJsonObject> MockProvince::storedReplies() const
{
    QMutexLocker lock(&m_mutex);
    return m_replies;
}

QHash<QString, QJsonObject> MockProvince::storedAppeals() const
{
    QMutexLocker lock(&m_mutex);
    return m_appeals;
}

MockProvince::Stats MockProvince::stats() const
{
    QMutexLocker lock(&m_mutex);
    return m_stats;
}

QHash<QString, QJsonObject> MockProvince::stored() const
{
    QMutexLocker lock(&m_mutex);
    return m_stored;
}

QStringList MockProvince::messages() const
{
    QMutexLocker lock(&m_mutex);
    return m_messages;
}

QString MockProvince::checkRecord(const QJsonObject &r) const
{
    // Required as in G2 and GB/T 39046 T9 (UPSTREAM.md §3); values are strings or numbers.
    static const char *required[] = {"projectNo", "serviceNumber", "assessNumber", "pf", "satisfaction",
                                     "assessTime", "userProp", "userName", "areaCode", "taskCode",
                                     "taskName", "deptCode", "evaluateType"};
    for (const char *k : required) {
        const QJsonValue v = r.value(QLatin1String(k));
        if (v.isUndefined() || v.isNull() || (v.isString() && v.toString().trimmed().isEmpty()))
            return QStringLiteral("缺少必填字段：%1").arg(QLatin1String(k));
    }
    const QString satisfaction = r.value(QLatin1String("satisfaction")).toVariant().toString();
    static const QRegularExpression level(QStringLiteral("^[1-5]$"));
    if (!level.match(satisfaction).hasMatch())
        return QStringLiteral("满意度代码错误：%1").arg(satisfaction);
    if (satisfaction.toInt() <= 2 && r.value(QLatin1String("evalDetail")).toString().trimmed().isEmpty()
        && r.value(QLatin1String("writingEvaluation")).toString().trimmed().isEmpty())
        return QStringLiteral("差评必须勾选详情或填写文字评价");
    static const QRegularExpression area(QStringLiteral("^\\d{12}$"));
    if (!area.match(r.value(QLatin1String("areaCode")).toString()).hasMatch())
        return QStringLiteral("行政区划代码错误");
    if (!QDateTime::fromString(r.value(QLatin1String("assessTime")).toString(), QStringLiteral("yyyy-MM-dd HH:mm:ss")).isValid())
        return QStringLiteral("评价时间格式错误");
    const QString task = r.value(QLatin1String("taskCode")).toString();
    if (m_rejectedTasks.contains(task))
        return QStringLiteral("事项编码不存在：%1").arg(task);
    return {};
}

QString MockProvince::checkGrievanceRecord(const QString &kind, const QJsonObject &r) const
{
    QStringList required{QStringLiteral("projectNo"), QStringLiteral("serviceNumber"), QStringLiteral("assessNumber"),
                         QStringLiteral("deptCode"), QStringLiteral("dataSource")};
    required << (kind == QLatin1String("reply")
                     ? QStringList{QStringLiteral("rectifyStatus"), QStringLiteral("reformContent"), QStringLiteral("reformDate")}
                     : QStringList{QStringLiteral("appealId"), QStringLiteral("appealReason"), QStringLiteral("appealResult"),
                                   QStringLiteral("reviewReason"), QStringLiteral("reviewTime")});
    for (const QString &k : std::as_const(required)) {
        const QJsonValue v = r.value(k);
        if (v.isUndefined() || v.isNull() || (v.isString() && v.toString().trimmed().isEmpty()))
            return QStringLiteral("缺少必填字段：%1").arg(k);
    }
    const QString time = r.value(kind == QLatin1String("reply") ? QLatin1String("reformDate") : QLatin1String("reviewTime")).toString();
    if (!QDateTime::fromString(time, QStringLiteral("yyyy-MM-dd HH:mm:ss")).isValid())
        return QStringLiteral("时间格式错误");
    if (!m_stored.contains(keyOf(r)))
        return QStringLiteral("评价记录不存在：%1").arg(keyOf(r));
    return {};
}

std::optional<QJsonObject> MockProvince::decryptRecord(const QJsonValue &v) const
{
    const QByteArray cipher = QByteArray::fromBase64(v.toString().toLatin1());
    std::optional<QByteArray> plain;
    if (m_app.cipher == ProvinceProfile::Cipher::Sm2)
        plain = trust::Crypto::sm2Decrypt(m_app.platformKey, cipher);
    else if (cipher.size() > 16)
        plain = trust::Crypto::sm4CbcDecrypt(m_app.sm4Key, cipher.left(16), cipher.mid(16));
    const QJsonDocument doc = plain ? QJsonDocument::fromJson(*plain) : QJsonDocument();
    if (!doc.isObject())
        return std::nullopt;
    return doc.object();
}

QJsonArray MockProvince::storeGrievanceRecords(const QString &kind, const QJsonArray &records)
{
    QHash<QString, QJsonObject> &store = kind == QLatin1String("reply") ? m_replies : m_appeals;
    QJsonArray results;
    for (const QJsonValue &v : records) {
        QString code = QStringLiteral("0");
        QString msg = QStringLiteral("成功");
        const auto record = decryptRecord(v);
        if (!record) {
            code = QStringLiteral("2");
            msg = QStringLiteral("数据解密失败");
        } else if (const QString problem = checkGrievanceRecord(kind, *record); !problem.isEmpty()) {
            code = QStringLiteral("3");
            msg = problem;
        } else {
            // One reply per answer (a reopened file answers again), one decision per appeal.
            const QString key = keyOf(*record);
            const QString identity = record->value(kind == QLatin1String("reply") ? QLatin1String("reformDate")
                                                                                 : QLatin1String("appealId")).toString();
            const auto it = store.constFind(key);
            if (it != store.cend()
                && it->value(kind == QLatin1String("reply") ? QLatin1String("reformDate") : QLatin1String("appealId")).toString()
                    == identity) {
                code = QStringLiteral("1");
                msg = kind == QLatin1String("reply") ? QStringLiteral("本次整改反馈已存在，请勿重复提交")
                                                     : QStringLiteral("本次申诉已存在，请勿重复提交");
            } else {
                store.insert(key, *record); // not in recordsStored/duplicateAnswers: those count evaluations
            }
        }
        if (code != QLatin1String("0"))
            m_messages.append(msg);
        results.append(QJsonObject{{QStringLiteral("code"), code}, {QStringLiteral("msg"), msg}});
    }
    return results;
}

MockProvince::Answer MockProvince::handle(const QString &path, const QByteArray &body)
{
    QMutexLocker lock(&m_mutex);
    ++m_stats.calls;
    ++m_pathCalls[path];
    Answer answer;
    answer.delayMs = m_delayMs;
    if (auto fault = m_pathFaults.find(path); fault != m_pathFaults.end()) {
        answer.httpStatus = fault->first;
        answer.body = fail(QString::number(fault->first), QStringLiteral("注入的故障"));
        if (fault->second > 0 && --fault->second == 0)
            m_pathFaults.erase(fault);
        return answer;
    }
    const int roll = int(m_random.bounded(100));
    enum { None, Fail503, Fail500, Late } fault = None;
    if (path == QLatin1String("/hcp/evaluate")) {
        if (roll < m_percent503)
            fault = Fail503;
        else if (roll < m_percent503 + m_percent500)
            fault = Fail500;
        else if (roll < m_percent503 + m_percent500 + m_percentLate)
            fault = Late;
    }
    if (fault == Fail503) {
        ++m_stats.injected503;
        answer.httpStatus = 503;
        answer.body = fail(QStringLiteral("503"), QStringLiteral("系统繁忙"));
        return answer;
    }

    const QJsonObject envelope = QJsonDocument::fromJson(body).object();
    const QJsonObject txn = envelope.value(QLatin1String("txnBodyCom")).toObject();
    const QString time = txn.value(QLatin1String("time")).toString();
    const QByteArray sign = QByteArray::fromBase64(txn.value(QLatin1String("sign")).toString().toLatin1());
    const QByteArray expected = time.toUtf8() + m_app.appMark.toUtf8() + m_app.appWord;
    QDateTime at = QDateTime::fromString(time, QStringLiteral("yyyyMMddHHmmss"));
    at.setOffsetFromUtc(8 * 3600);
    bool signatureOk = txn.value(QLatin1String("appMark")).toString() == m_app.appMark && at.isValid()
        && qAbs(at.secsTo(QDateTime::currentDateTimeUtc())) <= 300;
    if (signatureOk) {
        if (m_app.signMode == ProvinceProfile::SignMode::Sm2Encrypt) {
            const auto plain = trust::Crypto::sm2Decrypt(m_app.platformKey, sign);
            signatureOk = plain && *plain == expected;
        } else {
            signatureOk = trust::Crypto::verify(m_app.appPublicKey, expected, sign);
        }
    }
    if (!signatureOk) {
        ++m_stats.badSignature;
        answer.body = fail(QStringLiteral("-1"), QStringLiteral("签名校验失败"));
        return answer;
    }
    const QJsonObject params = txn.value(QLatin1String("params")).toObject();

    if (path == QLatin1String("/hcp/getnorm")) {
        answer.body = m_norms.isEmpty() ? fail(QStringLiteral("404"), QStringLiteral("无指标数据")) : ok(m_norms);
        return answer;
    }
    if (path == QLatin1String("/hcp/rectifications")) {
        const int from = params.value(QLatin1String("cursor")).toString().toInt();
        QJsonArray items;
        for (int i = from; i < m_rectifications.size(); ++i)
            items.append(m_rectifications.at(i));
        answer.body = ok(QJsonObject{{QStringLiteral("items"), items},
                                     {QStringLiteral("cursor"), QString::number(m_rectifications.size())}});
        return answer;
    }
    if (path == QLatin1String("/hcp/reply") || path == QLatin1String("/hcp/appeal")) {
        const QString kind = path.mid(5);
        answer.body = ok(storeGrievanceRecords(kind, params.value(kind).toArray()));
        return answer;
    }
    if (path != QLatin1String("/hcp/evaluate")) {
        answer.httpStatus = 404;
        answer.body = fail(QStringLiteral("404"), QStringLiteral("接口不存在"));
        return answer;
    }

    QJsonArray results;
    for (const QJsonValue &v : params.value(QLatin1String("evaluate")).toArray()) {
        QString code = QStringLiteral("0");
        QString msg = QStringLiteral("成功");
        const auto decrypted = decryptRecord(v);
        if (!decrypted) {
            code = QStringLiteral("2");
            msg = QStringLiteral("数据解密失败");
        } else {
            const QJsonObject record = *decrypted;
            const QString problem = checkRecord(record);
            if (!problem.isEmpty()) {
                code = QStringLiteral("3");
                msg = problem;
            } else if (m_stored.contains(keyOf(record))) {
                code = QStringLiteral("1");
                msg = QStringLiteral("本次服务已存在评价，请勿重复评价");
                ++m_stats.duplicateAnswers;
            } else {
                m_stored.insert(keyOf(record), record);
                ++m_stats.recordsStored;
            }
        }
        if (code != QLatin1String("0")) {
            m_messages.append(msg);
            if (code != QLatin1String("1"))
                ++m_stats.rejected;
        }
        results.append(QJsonObject{{QStringLiteral("code"), code}, {QStringLiteral("msg"), msg}});
    }
    if (fault == Fail500) {
        ++m_stats.injected500AfterStore;
        answer.httpStatus = 500;
        answer.body = fail(QStringLiteral("500"), QStringLiteral("系统异常"));
        return answer;
    }
    if (fault == Late) {
        ++m_stats.injectedLateAnswer;
        answer.delayMs = qMax(answer.delayMs, m_lateMs);
    }
    answer.body = ok(results);
    return answer;
}

} // namespace hcp::sync::hub::upstream::test

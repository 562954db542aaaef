// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "provinceprofile.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QNetworkAccessManager>
#include <QObject>

#include <functional>

namespace hcp::sync::hub::upstream {

// The province's request envelope and transport (sync/UPSTREAM.md §4). Every request is
//   POST endpoint+path  {"txnBodyCom":{"appMark","time","sign","params":{…}},"txnCommCom":{}}
// with time = yyyyMMddHHmmss (China time) and sign per the profile; evaluation records travel
// one encrypted string each in params.evaluate.
//
// Threading: lives on the thread that created it; callbacks run there. At most as many requests
// in flight as the caller starts; each is bounded by the profile's timeoutMs.
class ProvinceClient : public QObject
{
    Q_OBJECT
public:
    // The answer for one record of an evaluate request.
    struct RecordResult
    {
        enum class Kind { Stored, Duplicate, Rejected };
        Kind kind = Kind::Rejected;
        QString code;
        QString message;
    };
    // The answer to a whole request. transportOk false (network error, timeout, non-2xx, an
    // unparsable body, or a request-level failure such as a bad signature) means "retry later":
    // the province may or may not have stored the records.
    struct Outcome
    {
        bool ok = false;
        QString error;            // why !ok: the province's message when it gave one
        int httpStatus = 0;       // the HTTP status of the answer (0: no answer)
        QList<RecordResult> records; // one per record sent, when ok
        QJsonObject data;         // the "data" member of a pull answer
    };

    explicit ProvinceClient(const ProvinceProfile &profile, QObject *parent = nullptr);

    const ProvinceProfile &profile() const { return m_profile; }

    // Sends mapped records (not validated here: callers validate). Callback exactly once.
    void sendEvaluations(const QList<QJsonObject> &records, std::function<void(const Outcome &)> done);
    // The same for any kind of record: POST path with params {param: [encrypted record…]}, the
    // answers read as for evaluations (per-record list, or request level for one record). The 差评
    // records (UPSTREAM.md §9) go this way to replyPath/appealPath.
    void sendRecords(const QString &path, const QString &param, const QList<QJsonObject> &records,
                     std::function<void(const Outcome &)> done);
    // A pull request (getnorm, rectifications) with plain params; Outcome.data holds the answer.
    void pull(const QString &path, const QJsonObject &params, std::function<void(const Outcome &)> done);

    // Envelope pieces, public so the test province can be checked against them.
    static QString timeStamp(const QDateTime &utc);
    static std::optional<QString> signature(const ProvinceProfile &profile, const QString &time, QString *error);
    static std::optional<QString> encryptRecord(const ProvinceProfile &profile, const QJsonObject &record,
                                                QString *error);

private:
    void post(const QString &path, const QJsonObject &params, std::function<void(const Outcome &, const QJsonObject &)> done);

    ProvinceProfile m_profile;
    QNetworkAccessManager m_network;
};

} // namespace hcp::sync::hub::upstream

// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "crypto.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <optional>

namespace hcp::sync::hub::upstream {

// One provincial 好差评 platform as the hub talks to it (sync/UPSTREAM.md §1): where, with which
// credentials, how requests are signed and payloads encrypted, and the hub's delivery tuning.
// Loaded once at start from a JSON file (deploy: /etc/hcp-hub/province.json, mode 0640, it holds
// appWord). Plain value type; immutable after load.
struct ProvinceProfile
{
    enum class SignMode {
        Sm2Encrypt, // sign = base64(SM2-encrypt(platform public key, time+appMark+appWord)) — Beijing, Shandong
        Sm2Sign,    // sign = base64(SM2 signature (our key, SM3, ID 1234567812345678) over time+appMark+appWord)
    };
    enum class Cipher {
        Sm2, // each record: base64(SM2-encrypt(platform public key, UTF-8 JSON)) — Beijing, Shandong
        Sm4, // each record: base64(iv(16) || SM4-CBC-PKCS7(sm4Key, iv, UTF-8 JSON)) — Fujian style
    };

    QString name;                     // for logs and the admin API
    QUrl endpoint;                    // base URL of the province's interface
    QString evaluatePath = QStringLiteral("/hcp/evaluate");
    QString normPath = QStringLiteral("/hcp/getnorm");
    QString rectificationPath = QStringLiteral("/hcp/rectifications");
    QString replyPath = QStringLiteral("/hcp/reply");   // 整改反馈 of a 差评工单 (UPSTREAM.md §9) [I]
    QString appealPath = QStringLiteral("/hcp/appeal"); // 申诉复核 decisions 不予采纳 (UPSTREAM.md §9) [I]
    QString appMark;
    QByteArray appWord;
    SignMode signMode = SignMode::Sm2Encrypt;
    Cipher cipher = Cipher::Sm2;
    trust::Key platformPublicKey;     // the province's SM2 public key (Sm2Encrypt, Cipher::Sm2)
    trust::Key appKey;                // our SM2 private key (Sm2Sign)
    QByteArray sm4Key;                // 16 bytes (Cipher::Sm4)

    QString areaCode;                 // 12-digit default 行政区划 when neither record nor case has one
    QString dataSource = QStringLiteral("111"); // 3-digit 数据来源 assigned by the province
    QString projectNoPrefix;          // e.g. "37": Shandong prefixes the province code (domain.md a.1)
    QStringList duplicateMessages{QStringLiteral("本次服务已存在评价")}; // answers meaning "already stored"

    int timeoutMs = 15000;            // one request, connect to last byte
    int batchSize = 50;               // records per request, 1..500
    int backoffBaseMs = 2000;         // full jitter: random(0, min(cap, base·2^n)) after n failures
    int backoffCapMs = 600000;
    int pollIntervalMs = 2000;        // look for new evaluations this often when idle
    int leaseMs = 0;                  // a 'sending' row older than this is in doubt and resent; 0 = 2 × timeout
    int pullIntervalS = 3600;         // indicator set and rectification pull; 0 = never

    int effectiveLeaseMs() const { return leaseMs > 0 ? leaseMs : 2 * timeoutMs; }

    // baseDir resolves key file names that are not inline PEM. Returns nullopt with *error set
    // when a required member is missing or a key does not load.
    static std::optional<ProvinceProfile> fromJson(const QJsonObject &o, const QString &baseDir, QString *error);
    static std::optional<ProvinceProfile> load(const QString &path, QString *error);
};

} // namespace hcp::sync::hub::upstream

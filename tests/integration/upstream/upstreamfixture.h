// SPDX-License-Identifier: Apache-2.0
#pragma once

// Shared set-up of the upstream tests: a hub store on a temporary SQLite file with one enrolled
// kiosk, synthetic cases and evaluations (synthetic personal data only), and a province profile
// matching a MockProvince app.

#include "hubstore.h"
#include "mockprovince.h"
#include "provinceprofile.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace hcp::sync::hub::upstream::test {

inline QString projectNoOf(int n)
{
    return QStringLiteral("110105202611%1").arg(n, 6, 10, QLatin1Char('0'));
}

inline QJsonObject caseObject(const QString &projectNo, int serviceNumber)
{
    return QJsonObject{{QStringLiteral("projectNo"), projectNo},
                       {QStringLiteral("serviceNumber"), serviceNumber},
                       {QStringLiteral("serviceName"), QStringLiteral("居民身份证换领")},
                       {QStringLiteral("taskCode"), QStringLiteral("11110105000000000X4000111001001")},
                       {QStringLiteral("taskName"), QStringLiteral("居民身份证换领")},
                       {QStringLiteral("deptName"), QStringLiteral("北京市朝阳区公安分局")},
                       {QStringLiteral("deptCode"), QStringLiteral("11110105000000000X")},
                       {QStringLiteral("windowNo"), QStringLiteral("A03")},
                       {QStringLiteral("staffName"), QStringLiteral("王芳")},
                       {QStringLiteral("staffNo"), QStringLiteral("S0012")},
                       {QStringLiteral("resultDate"), QStringLiteral("2026-11-28 09:20:00")},
                       {QStringLiteral("acceptDate"), QStringLiteral("2026-11-27 10:00:00")},
                       {QStringLiteral("projectType"), QStringLiteral("1")},
                       {QStringLiteral("userName"), QStringLiteral("李华")},
                       {QStringLiteral("userProp"), 1},
                       {QStringLiteral("areaCode"), QStringLiteral("110105000000")},
                       {QStringLiteral("proStatus"), 3},
                       {QStringLiteral("hallCode"), QStringLiteral("110105000000")}};
}

inline QJsonObject evaluationObject(qint64 seq, const QString &projectNo, int serviceNumber, int satisfaction = 5)
{
    const QDateTime t = QDateTime(QDate(2026, 11, 28), QTime(9, 30)).addSecs(seq);
    return QJsonObject{
        {QStringLiteral("uuid"), QStringLiteral("6f1c2a4e-8c1b-4f7e-9d55-%1").arg(seq, 12, 10, QLatin1Char('0'))},
        {QStringLiteral("deviceSeq"), seq},
        {QStringLiteral("projectNo"), projectNo},
        {QStringLiteral("serviceNumber"), serviceNumber},
        {QStringLiteral("assessNumber"), 1},
        {QStringLiteral("evaluateType"), 1},
        {QStringLiteral("pf"), 5},
        {QStringLiteral("satisfaction"), satisfaction},
        {QStringLiteral("evalDetail"), satisfaction <= 2 ? QStringLiteral("501,502") : QString()},
        {QStringLiteral("answers"), QJsonObject{}},
        {QStringLiteral("writingEvaluation"), satisfaction <= 2 ? QStringLiteral("等候时间太长") : QString()},
        {QStringLiteral("publicFlag"), 1},
        {QStringLiteral("assessTime"), t.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))},
        {QStringLiteral("indicatorVersion"), QStringLiteral("2026.1")},
        {QStringLiteral("questionnaireVersion"), QStringLiteral("q-2026.1")},
        {QStringLiteral("taskCode"), QStringLiteral("11110105000000000X4000111001001")},
        {QStringLiteral("taskName"), QStringLiteral("居民身份证换领")},
        {QStringLiteral("deptCode"), QStringLiteral("11110105000000000X")},
        {QStringLiteral("deptName"), QStringLiteral("北京市朝阳区公安分局")},
        {QStringLiteral("areaCode"), QStringLiteral("110105000000")},
        {QStringLiteral("staffNo"), QStringLiteral("S0012")},
        {QStringLiteral("staffName"), QStringLiteral("王芳")},
        {QStringLiteral("windowNo"), QStringLiteral("A03")},
        {QStringLiteral("userProp"), 1},
        {QStringLiteral("userNameMasked"), QStringLiteral("李*")},
    };
}

struct HubFixture
{
    QTemporaryDir dir;
    std::unique_ptr<HubStore> store;
    HubStore::Device device;

    bool open()
    {
        store = std::make_unique<HubStore>();
        QString error;
        if (!dir.isValid() || !store->open(dir.filePath(QStringLiteral("hub.sqlite")), &error)) {
            qWarning() << "hub store:" << error;
            return false;
        }
        QByteArray secret;
        if (store->enroll(QStringLiteral("KIOSK-110105-0001"), QStringLiteral("110105000000"),
                          QStringLiteral("terminal"), QStringLiteral("0.1.0"), &secret)
            != HubStore::EnrollResult::Enrolled)
            return false;
        device = *store->device(QStringLiteral("KIOSK-110105-0001"));
        return true;
    }

    // Ingests evaluations in kiosk-sized batches; true when every one was accepted.
    bool ingest(const QJsonArray &evaluations)
    {
        for (qsizetype i = 0; i < evaluations.size(); i += 500) {
            QJsonArray batch;
            for (qsizetype j = i; j < qMin(evaluations.size(), i + 500); ++j)
                batch.append(evaluations.at(j));
            QJsonArray results;
            if (!store->ingest(device, batch, {}, QDateTime::currentMSecsSinceEpoch(), 0, &results))
                return false;
            for (const QJsonValue &r : results)
                if (r.toObject().value(QLatin1String("status")).toString() != QLatin1String("accepted")) {
                    qWarning() << "not accepted:" << r;
                    return false;
                }
        }
        return true;
    }

    bool importCases(const QJsonArray &cases)
    {
        int imported = 0;
        QJsonArray rejected;
        QString error;
        return store->importCases(cases, &imported, &rejected, &error) && rejected.isEmpty();
    }
};

inline MockProvince::App mockApp(ProvinceProfile::SignMode sign, ProvinceProfile::Cipher cipher)
{
    MockProvince::App app;
    app.appMark = QStringLiteral("HCP-HUB-110105");
    app.appWord = QByteArrayLiteral("synthetic-app-word-7Qx");
    app.signMode = sign;
    app.cipher = cipher;
    app.platformKey = trust::Key::generate(trust::KeyType::Sm2);
    if (sign == ProvinceProfile::SignMode::Sm2Sign)
        app.appPublicKey = trust::Key::generate(trust::KeyType::Sm2); // replaced by the caller's pair
    app.sm4Key = QByteArray::fromHex("0123456789abcdeffedcba9876543210");
    return app;
}

// The profile JSON a hub operator would write for that app (keys inline as PEM).
inline QJsonObject profileJson(const MockProvince::App &app, quint16 port, const trust::Key &appKey = {})
{
    QJsonObject o{{QStringLiteral("name"), QStringLiteral("mock-province")},
                  {QStringLiteral("endpoint"), QStringLiteral("http://127.0.0.1:%1").arg(port)},
                  {QStringLiteral("appMark"), app.appMark},
                  {QStringLiteral("appWord"), QString::fromUtf8(app.appWord)},
                  {QStringLiteral("sign"), app.signMode == ProvinceProfile::SignMode::Sm2Sign ? QStringLiteral("sm2-sign")
                                                                                              : QStringLiteral("sm2-encrypt")},
                  {QStringLiteral("cipher"), app.cipher == ProvinceProfile::Cipher::Sm4 ? QStringLiteral("sm4")
                                                                                        : QStringLiteral("sm2")},
                  {QStringLiteral("platformPublicKey"), QString::fromLatin1(app.platformKey.publicPem())},
                  {QStringLiteral("sm4Key"), QString::fromLatin1(app.sm4Key.toHex())},
                  {QStringLiteral("areaCode"), QStringLiteral("110105000000")},
                  {QStringLiteral("dataSource"), QStringLiteral("165")},
                  {QStringLiteral("timeoutMs"), 3000},
                  {QStringLiteral("batchSize"), 50},
                  {QStringLiteral("backoffBaseMs"), 20},
                  {QStringLiteral("backoffCapMs"), 200},
                  {QStringLiteral("pollIntervalMs"), 50},
                  {QStringLiteral("pullIntervalS"), 0}};
    if (!appKey.isNull())
        o.insert(QStringLiteral("appPrivateKey"), QString::fromLatin1(appKey.privatePem()));
    return o;
}

} // namespace hcp::sync::hub::upstream::test

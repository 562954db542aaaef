// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "crypto.h"
#include "provinceprofile.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QMutex>
#include <QObject>
#include <QRandomGenerator>
#include <QStringList>
#include <QThread>

#include <memory>

class QHttpServer;

namespace hcp::sync::hub::upstream::test {

// A provincial 好差评 endpoint for tests (sync/UPSTREAM.md §4, §6). It checks the request
// signature (SM2-decrypts or SM2-verifies time+appMark+appWord against its registered app),
// decrypts each record (SM2 with its private key, or SM4-CBC with the app's key), and validates
// records as real platforms do: required fields, 差评 without evalDetail or text, 12-digit
// areaCode, unknown 事项编码, and duplicates of (projectNo, serviceNumber, assessNumber) answered
// "本次服务已存在评价，请勿重复评价". It serves getnorm and rectifications from what the test set.
//
// Faults per call (percent, seeded): 503 before processing, 500 after storing (answer lost),
// or storing and then answering after a delay longer than the client waits. restart() closes the
// listener, stays down for a while and listens again on the same port; stored records survive
// (the province's database does).
//
// 差评 records (UPSTREAM.md §9, formats [I]): /hcp/reply takes params.reply (整改反馈: reformContent,
// reformDate, … of an evaluation it stores) and /hcp/appeal params.appeal (申诉复核 不予采纳); a record
// about an evaluation it does not have is refused ("评价记录不存在"), a repeat is answered
// "…已存在，请勿重复提交". failPath() makes a path answer an HTTP status for a number of calls.
//
// Threading: the HTTP server runs on the mock's own thread, so a slow answer never blocks the
// hub under test; all public functions are thread-safe.
class MockProvince : public QObject
{
    Q_OBJECT
public:
    struct App
    {
        QString appMark;
        QByteArray appWord;
        ProvinceProfile::SignMode signMode = ProvinceProfile::SignMode::Sm2Encrypt;
        ProvinceProfile::Cipher cipher = ProvinceProfile::Cipher::Sm2;
        trust::Key platformKey;  // the province's SM2 key pair
        trust::Key appPublicKey; // the app's SM2 public key (Sm2Sign)
        QByteArray sm4Key;       // the app's SM4 key (Cipher::Sm4)
    };
    struct Stats
    {
        int calls = 0;
        int badSignature = 0;
        int injected503 = 0;
        int injected500AfterStore = 0;
        int injectedLateAnswer = 0;
        int recordsStored = 0;
        int duplicateAnswers = 0;
        int rejected = 0;
        int restarts = 0;
    };

    explicit MockProvince(const App &app, quint32 seed = 1);
    ~MockProvince() override;

    // Blocking; returns the port (0 on failure). port 0 picks a free one.
    quint16 start(quint16 port = 0);
    void stop();
    // Down for downMs, then listening on the same port again. Blocking for the test thread.
    bool restart(int downMs);
    quint16 port() const { return m_port; }

    void setFaults(int percent503, int percent500AfterStore, int percentLate, int lateMs);
    void setDelayMs(int ms);
    void setRejectedTaskCodes(const QStringList &codes);
    void setNorms(const QJsonObject &data);
    void setRectifications(const QJsonArray &items);
    // The next `times` calls to path (e.g. "/hcp/reply") answer httpStatus before any processing
    // (-1: every call; 0 clears).
    void failPath(const QString &path, int httpStatus, int times);
    int callsTo(const QString &path) const;
    // Stores a record as if another system had sent it (for duplicate tests).
    void preload(const QJsonObject &record);

    Stats stats() const;
    // Stored records by "projectNo|serviceNumber|assessNumber".
    QHash<QString, QJsonObject> stored() const;
    QStringList messages() const; // every non-success record message, in order
    // Stored 差评 records by "projectNo|serviceNumber|assessNumber".
    QHash<QString, QJsonObject> storedReplies() const;
    QHash<QString, QJsonObject> storedAppeals() const;

    // The province's own request handling; public for direct envelope tests.
    struct Answer
    {
        int httpStatus = 200;
        QJsonObject body;
        int delayMs = 0;
    };
    Answer handle(const QString &path, const QByteArray &body);

private:
    QString checkRecord(const QJsonObject &r) const; // the province's message, or empty
    QString checkGrievanceRecord(const QString &kind, const QJsonObject &r) const;
    std::optional<QJsonObject> decryptRecord(const QJsonValue &v) const;
    QJsonArray storeGrievanceRecords(const QString &kind, const QJsonArray &records);
    void listenOnThread(quint16 port, quint16 *bound);
    void closeOnThread();

    App m_app;
    mutable QMutex m_mutex;
    QRandomGenerator m_random;
    QThread m_thread;
    QObject *m_context = nullptr; // lives on m_thread; parent of the QHttpServer
    QHttpServer *m_http = nullptr;
    quint16 m_port = 0;
    int m_percent503 = 0, m_percent500 = 0, m_percentLate = 0, m_lateMs = 0, m_delayMs = 0;
    QStringList m_rejectedTasks;
    QJsonObject m_norms;
    QJsonArray m_rectifications;
    QHash<QString, QJsonObject> m_stored;
    QHash<QString, QJsonObject> m_replies, m_appeals;
    QHash<QString, QPair<int, int>> m_pathFaults; // path → (status, calls left; -1 = always)
    QHash<QString, int> m_pathCalls;
    QStringList m_messages;
    Stats m_stats;
};

} // namespace hcp::sync::hub::upstream::test

// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "bundle.h"

#include <QByteArray>
#include <QFile>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>

#include <functional>

class QNetworkAccessManager;
class QNetworkReply;

namespace hcp::updater {

// Fetches one bundle over HTTP(S) into a ".part" file, resuming with Range requests after a
// cut connection or a restart of the process (whatever the .part file holds is kept).
// The signed header is verified as soon as it has arrived (signature, key, class, size cap,
// and the caller's headerCheck, e.g. version policy), so a bad bundle is refused before its
// payload is fetched. From then on the manifest's exact total size is a hard limit: bytes
// beyond it are never written and end the download as Oversized. File hashes are checked
// later, by BundleFile::verify, on the complete file.
// Lives on the thread of its QNetworkAccessManager; not thread-safe.
class BundleDownloader : public QObject
{
    Q_OBJECT
public:
    BundleDownloader(QNetworkAccessManager *nam, const TrustPolicy &policy,
                     QObject *parent = nullptr);
    ~BundleDownloader() override;

    void setHeaderCheck(std::function<UpdateError(const BundleHeader &)> check);
    // maxAttempts consecutive attempts without a new byte; delays double from initialMs to maxMs.
    void setRetry(int maxAttempts, int initialMs, int maxMs);
    // Per-request inactivity timeout (ms); a stalled connection counts as a cut.
    void setStallTimeout(int ms) { m_stallTimeoutMs = ms; }

    void start(const QUrl &url, const QString &partPath);
    void abort();
    bool isRunning() const { return m_running; }

    qint64 bytesOnDisk() const { return m_have; }
    qint64 expectedSize() const { return m_expected; } // -1 until the header is verified
    qint64 networkBytes() const { return m_networkBytes; } // body bytes received, all attempts
    int requestCount() const { return m_requests; }

signals:
    void progress(qint64 have, qint64 total);
    // The file is complete, exactly as long as the manifest says, header verified.
    void finished(const QString &partPath, const hcp::updater::BundleHeader &header);
    void failed(const hcp::updater::UpdateError &error);

private:
    void sendRequest();
    void onMetaData();
    void onReadyRead();
    void onReplyFinished();
    bool consume(const QByteArray &chunk);
    void scheduleRetry(const QString &why);
    void fail(const UpdateError &error, bool discardPart);
    bool resetPart();

    QNetworkAccessManager *m_nam;
    TrustPolicy m_policy;
    std::function<UpdateError(const BundleHeader &)> m_headerCheck;
    QUrl m_url;
    QString m_partPath;
    QFile m_file;
    QPointer<QNetworkReply> m_reply;
    QTimer m_retryTimer;
    QByteArray m_prefix; // bytes 0.. of the bundle until the header is parsed
    BundleHeader m_header;
    bool m_headerDone = false;
    bool m_running = false;
    bool m_replyOk = false; // current reply passed its status checks
    UpdateError m_permanentError; // 4xx seen on the current reply
    qint64 m_have = 0;
    qint64 m_expected = -1;
    qint64 m_networkBytes = 0;
    qint64 m_bestHave = 0; // most bytes ever held; progress is measured against it
    int m_requests = 0;
    int m_failedAttempts = 0;
    int m_maxAttempts = 20;
    int m_initialDelayMs = 1000;
    int m_maxDelayMs = 60000;
    int m_stallTimeoutMs = 30000;
};

} // namespace hcp::updater

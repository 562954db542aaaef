// SPDX-License-Identifier: Apache-2.0
#include "bundledownloader.h"

#include "fsutil.h"

#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRegularExpression>

Q_LOGGING_CATEGORY(lcDownload, "hcp.updater.download")

namespace hcp::updater {

using Code = UpdateError::Code;

BundleDownloader::BundleDownloader(QNetworkAccessManager *nam, const TrustPolicy &policy,
                                   QObject *parent)
    : QObject(parent)
    , m_nam(nam)
    , m_policy(policy)
{
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &BundleDownloader::sendRequest);
}

BundleDownloader::~BundleDownloader()
{
    abort();
}

void BundleDownloader::setHeaderCheck(std::function<UpdateError(const BundleHeader &)> check)
{
    m_headerCheck = std::move(check);
}

void BundleDownloader::setRetry(int maxAttempts, int initialMs, int maxMs)
{
    m_maxAttempts = qMax(1, maxAttempts);
    m_initialDelayMs = qMax(0, initialMs);
    m_maxDelayMs = qMax(m_initialDelayMs, maxMs);
}

void BundleDownloader::start(const QUrl &url, const QString &partPath)
{
    abort();
    m_url = url;
    m_partPath = partPath;
    m_prefix.clear();
    m_header = {};
    m_headerDone = false;
    m_expected = -1;
    m_networkBytes = 0;
    m_requests = 0;
    m_failedAttempts = 0;
    m_bestHave = 0;
    m_file.setFileName(partPath);
    if (!m_file.open(QIODevice::ReadWrite)) {
        m_running = true;
        fail(UpdateError::make(Code::Io, QStringLiteral("cannot open %1: %2")
                                             .arg(partPath, m_file.errorString())),
             false);
        return;
    }
    m_running = true;
    // Resume: re-check the header of what an earlier run stored before trusting it.
    const qint64 existing = m_file.size();
    m_have = existing;
    if (existing > 0) {
        const QByteArray head = m_file.read(qMin(existing, BundleHeader::kMaxHeaderBytes));
        qint64 needed = 0;
        UpdateError e;
        const auto state = BundleHeader::parse(head, &m_header, &needed, &e);
        if (state == BundleHeader::ParseState::Done) {
            e = verifyHeader(m_header, m_policy);
            if (!e.isError() && m_headerCheck)
                e = m_headerCheck(m_header);
            if (e.isError()) {
                fail(e, true);
                return;
            }
            m_headerDone = true;
            m_expected = m_header.totalSize();
            if (existing > m_expected) {
                qCWarning(lcDownload) << "partial file longer than its bundle; starting over";
                resetPart();
            }
        } else if (state == BundleHeader::ParseState::NeedMore) {
            m_prefix = head;
        } else {
            qCWarning(lcDownload) << "partial file is not a bundle; starting over:" << e.message;
            resetPart();
        }
    }
    m_bestHave = m_have;
    m_file.seek(m_have);
    qCInfo(lcDownload) << "downloading" << url.toDisplayString() << "resuming at" << m_have;
    sendRequest();
}

void BundleDownloader::abort()
{
    m_retryTimer.stop();
    if (m_reply) {
        QNetworkReply *r = m_reply;
        m_reply = nullptr;
        r->disconnect(this);
        r->abort();
        r->deleteLater();
    }
    if (m_file.isOpen()) {
        m_file.flush();
        m_file.close();
    }
    m_running = false;
}

bool BundleDownloader::resetPart()
{
    m_have = 0;
    m_prefix.clear();
    m_headerDone = false;
    m_expected = -1;
    return m_file.resize(0) && m_file.seek(0);
}

void BundleDownloader::sendRequest()
{
    if (!m_running)
        return;
    if (m_headerDone && m_have == m_expected) {
        onReplyFinished(); // nothing left to fetch (resumed a complete file)
        return;
    }
    QNetworkRequest request(m_url);
    // Identity encoding: byte ranges must address the bundle itself, not a compressed form.
    request.setRawHeader("Accept-Encoding", "identity");
    if (m_have > 0)
        request.setRawHeader("Range", "bytes=" + QByteArray::number(m_have) + '-');
    request.setTransferTimeout(m_stallTimeoutMs);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    m_replyOk = false;
    m_permanentError = {};
    ++m_requests;
    m_reply = m_nam->get(request);
    connect(m_reply, &QNetworkReply::metaDataChanged, this, &BundleDownloader::onMetaData);
    connect(m_reply, &QNetworkReply::readyRead, this, &BundleDownloader::onReadyRead);
    connect(m_reply, &QNetworkReply::finished, this, &BundleDownloader::onReplyFinished);
}

void BundleDownloader::onMetaData()
{
    if (!m_reply || m_replyOk)
        return;
    const int status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status == 0)
        return;
    if (status == 206) {
        static const QRegularExpression re(QStringLiteral("^bytes (\\d+)-(\\d+)/(\\d+|\\*)$"));
        const auto match = re.match(QString::fromLatin1(m_reply->rawHeader("Content-Range")));
        if (!match.hasMatch() || match.captured(1).toLongLong() != m_have) {
            qCWarning(lcDownload) << "unusable Content-Range" << m_reply->rawHeader("Content-Range")
                                  << "; starting over";
            resetPart();
            m_reply->abort();
            return;
        }
        if (match.captured(3) != u"*") {
            const qint64 total = match.captured(3).toLongLong();
            if (m_headerDone && total > m_expected) {
                fail(UpdateError::make(Code::Oversized,
                                       QStringLiteral("server offers %1 bytes, manifest declares %2")
                                           .arg(total)
                                           .arg(m_expected)),
                     true);
                return;
            }
        }
    } else if (status == 200) {
        if (m_have > 0) {
            qCInfo(lcDownload) << "server ignored Range; starting over";
            if (!resetPart()) {
                fail(UpdateError::make(Code::Io, QStringLiteral("cannot truncate %1").arg(m_partPath)), false);
                return;
            }
        }
        const QVariant length = m_reply->header(QNetworkRequest::ContentLengthHeader);
        if (m_headerDone && length.isValid() && length.toLongLong() > m_expected) {
            fail(UpdateError::make(Code::Oversized,
                                   QStringLiteral("server offers %1 bytes, manifest declares %2")
                                       .arg(length.toLongLong())
                                       .arg(m_expected)),
                 true);
            return;
        }
    } else if (status == 416) {
        // Nothing at or beyond our offset: either we are complete, or the file changed.
        if (!(m_headerDone && m_have == m_expected))
            resetPart();
        m_replyOk = true;
        return;
    } else {
        const bool permanent = status >= 400 && status < 500;
        const UpdateError e = UpdateError::make(Code::Network,
                                                QStringLiteral("HTTP %1 for %2")
                                                    .arg(status)
                                                    .arg(m_url.toDisplayString()));
        // The body is ignored (m_replyOk stays false); onReplyFinished fails or retries.
        if (permanent)
            m_permanentError = e;
        return;
    }
    m_replyOk = true;
}

bool BundleDownloader::consume(const QByteArray &chunk)
{
    qint64 offset = 0;
    while (offset < chunk.size()) {
        const qint64 limit = m_headerDone ? m_expected : BundleHeader::kMaxHeaderBytes;
        qint64 take = chunk.size() - offset;
        bool over = false;
        if (m_have + take > limit) {
            take = limit - m_have;
            over = true;
        }
        if (!m_headerDone) {
            // Feed only up to what the header parser needs, so the limit switches exactly at
            // the header's end.
            qint64 needed = 0;
            UpdateError e;
            QByteArray probe = m_prefix + chunk.mid(offset, take);
            const auto state = BundleHeader::parse(probe, &m_header, &needed, &e);
            if (state == BundleHeader::ParseState::Failed) {
                fail(e, true);
                return false;
            }
            if (state == BundleHeader::ParseState::Done) {
                const qint64 headerBytes = m_header.headerSize() - m_prefix.size();
                take = headerBytes;
                over = false;
                e = verifyHeader(m_header, m_policy);
                if (!e.isError() && m_headerCheck)
                    e = m_headerCheck(m_header);
                if (e.isError()) {
                    fail(e, true);
                    return false;
                }
                m_headerDone = true;
                m_expected = m_header.totalSize();
                m_prefix.clear();
                qCInfo(lcDownload) << "header verified: version" << m_header.manifest.version
                                   << "total" << m_expected << "bytes";
            } else {
                m_prefix = std::move(probe);
            }
        }
        if (take > 0) {
            if (m_file.pos() != m_have)
                m_file.seek(m_have);
            if (m_file.write(chunk.constData() + offset, take) != take) {
                fail(UpdateError::make(Code::Io, QStringLiteral("write %1: %2")
                                                     .arg(m_partPath, m_file.errorString())),
                     false);
                return false;
            }
            m_have += take;
            offset += take;
        }
        if (over) {
            fail(UpdateError::make(Code::Oversized,
                                   m_headerDone
                                       ? QStringLiteral("more than the %1 bytes the manifest declares")
                                             .arg(m_expected)
                                       : QStringLiteral("no valid header within %1 bytes")
                                             .arg(BundleHeader::kMaxHeaderBytes)),
                 true);
            return false;
        }
    }
    return true;
}

void BundleDownloader::onReadyRead()
{
    if (!m_reply || !m_replyOk)
        return;
    const QByteArray chunk = m_reply->readAll();
    m_networkBytes += chunk.size();
    if (!consume(chunk))
        return;
    emit progress(m_have, m_expected);
}

void BundleDownloader::onReplyFinished()
{
    if (!m_running)
        return;
    QNetworkReply *reply = m_reply;
    m_reply = nullptr;
    QString why;
    if (reply) {
        if (m_replyOk && reply->bytesAvailable() > 0) {
            const QByteArray rest = reply->readAll();
            m_networkBytes += rest.size();
            if (!consume(rest)) {
                reply->deleteLater();
                return;
            }
        }
        if (reply->error() != QNetworkReply::NoError)
            why = reply->errorString();
        reply->deleteLater();
    }
    if (!m_running)
        return;
    if (m_permanentError.isError()) {
        const UpdateError e = m_permanentError;
        m_permanentError = {};
        fail(e, false);
        return;
    }
    if (m_headerDone && m_have == m_expected) {
        m_file.flush();
        QString fsError;
        if (!FsUtil::fsyncPath(m_partPath, &fsError)) {
            fail(UpdateError::make(Code::Io, fsError), false);
            return;
        }
        m_file.close();
        m_running = false;
        qCInfo(lcDownload) << "complete:" << m_have << "bytes in" << m_requests << "requests,"
                           << m_networkBytes << "bytes over the network";
        emit finished(m_partPath, m_header);
        return;
    }
    scheduleRetry(why.isEmpty() ? QStringLiteral("connection ended at byte %1").arg(m_have) : why);
}

void BundleDownloader::scheduleRetry(const QString &why)
{
    if (m_have > m_bestHave) {
        m_bestHave = m_have;
        m_failedAttempts = 0; // new bytes: a flaky link is not a dead one
    }
    else
        ++m_failedAttempts;
    m_file.flush();
    if (m_failedAttempts >= m_maxAttempts) {
        fail(UpdateError::make(m_headerDone || m_have > 0 ? Code::Truncated : Code::Network,
                               QStringLiteral("download stopped at %1 of %2 bytes: %3")
                                   .arg(m_have)
                                   .arg(m_expected)
                                   .arg(why)),
             false);
        return;
    }
    const int delay = m_failedAttempts == 0
        ? 0
        : int(qMin<qint64>(m_maxDelayMs, qint64(m_initialDelayMs) << qMin(m_failedAttempts - 1, 20)));
    qCInfo(lcDownload) << "retrying in" << delay << "ms at byte" << m_have << ":" << why;
    m_retryTimer.start(delay);
}

void BundleDownloader::fail(const UpdateError &error, bool discardPart)
{
    if (!m_running)
        return;
    qCWarning(lcDownload) << "download failed:" << error.codeString() << error.message;
    abort();
    if (discardPart)
        QFile::remove(m_partPath);
    emit failed(error);
}

} // namespace hcp::updater

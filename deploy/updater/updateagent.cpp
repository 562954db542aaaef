// SPDX-License-Identifier: Apache-2.0
#include "updateagent.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QThread>

Q_LOGGING_CATEGORY(lcAgent, "hcp.updater.agent")

namespace hcp::updater {

using Code = UpdateError::Code;

UpdateAgent::UpdateAgent(const UpdateConfig &config, QNetworkAccessManager *nam, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_nam(nam)
    , m_store(config.root, config.policy)
    , m_clock([] { return QDateTime::currentMSecsSinceEpoch(); })
{
    if (!m_nam) {
        m_ownNam = std::make_unique<QNetworkAccessManager>();
        m_nam = m_ownNam.get();
    }
    m_deadlineTimer.setSingleShot(true);
    connect(&m_deadlineTimer, &QTimer::timeout, this, &UpdateAgent::onDeadline);
}

UpdateAgent::~UpdateAgent()
{
    // An install cannot be cancelled half-way without leaving work for the next open();
    // let it finish (SlotStore keeps the layout consistent either way).
    if (m_installThread)
        m_installThread->wait();
}

void UpdateAgent::setClock(std::function<qint64()> nowMs)
{
    m_clock = std::move(nowMs);
}

bool UpdateAgent::open(QString *error)
{
    if (!m_store.open(now(), error))
        return false;
    armDeadline();
    return true;
}

bool UpdateAgent::boot()
{
    const QString version = m_store.state().version;
    QString error;
    const bool rolled = m_store.boot(now(), m_config.maxTrialBoots, &error);
    if (!error.isEmpty())
        qCWarning(lcAgent) << "boot accounting:" << error;
    if (rolled)
        afterRollback(version);
    else
        armDeadline();
    emit statusChanged();
    return rolled;
}

void UpdateAgent::armDeadline()
{
    m_deadlineTimer.stop();
    if (m_store.state().phase != u"trial")
        return;
    // Timer resolution is fine for a deadline of minutes; re-armed in chunks so a long trial
    // never overflows the int interval.
    const qint64 left = m_store.state().trialDeadlineMs - now();
    m_deadlineTimer.start(int(qBound<qint64>(qint64(0), left + 1, qint64(24) * 3600 * 1000)));
}

void UpdateAgent::onDeadline()
{
    const QString version = m_store.state().version;
    QString error;
    if (m_store.checkDeadline(now(), &error))
        afterRollback(version);
    else if (!error.isEmpty())
        qCWarning(lcAgent) << "rollback after the deadline failed:" << error;
    else
        armDeadline();
}

void UpdateAgent::afterRollback(const QString &fromVersion)
{
    m_deadlineTimer.stop();
    const QString reason = m_store.state().lastResult.value(QLatin1String("reason")).toString();
    emit rolledBack(fromVersion, reason);
    emit statusChanged();
    emit restartRequested();
}

void UpdateAgent::markHealthy()
{
    if (m_installThread || m_store.state().phase != u"trial")
        return;
    QString error;
    if (!m_store.markHealthy(now(), &error)) {
        qCWarning(lcAgent) << "cannot commit:" << error;
        return;
    }
    m_deadlineTimer.stop();
    emit committed(m_store.state().version);
    emit statusChanged();
}

UpdateError UpdateAgent::rollback(const QString &reason)
{
    if (m_installThread)
        return UpdateError::make(Code::Busy, QStringLiteral("an install is running"));
    const QString version = m_store.state().version;
    const UpdateError e = m_store.rollback(reason, now());
    if (!e.isError())
        afterRollback(version);
    return e;
}

UpdateError UpdateAgent::installFile(const QString &bundlePath)
{
    if (isBusy())
        return UpdateError::make(Code::Busy, QStringLiteral("a download is running"));
    const UpdateError e = m_store.install(bundlePath, now(), m_config.trialSeconds * 1000);
    if (e.isError()) {
        emit failed(e.codeString(), e.message);
        emit statusChanged();
        return e;
    }
    armDeadline();
    emit installed(m_store.state().version);
    emit statusChanged();
    emit restartRequested();
    return {};
}

bool UpdateAgent::isBusy() const
{
    return m_installThread || (m_downloader && m_downloader->isRunning());
}

void UpdateAgent::installInBackground(const QString &bundlePath)
{
    // The worker uses its own SlotStore; the layout flock serialises it against m_store, which
    // is refreshed (open() re-reads state.json) when the worker is done.
    auto result = std::make_shared<UpdateError>();
    const QString root = m_config.root;
    const TrustPolicy policy = m_config.policy;
    const qint64 startedMs = now();
    const qint64 trialMs = m_config.trialSeconds * 1000;
    m_installThread = QThread::create([=] {
        SlotStore store(root, policy);
        QString error;
        if (!store.open(startedMs, &error))
            *result = UpdateError::make(Code::Io, error);
        else
            *result = store.install(bundlePath, startedMs, trialMs);
    });
    connect(m_installThread, &QThread::finished, this, [this, result, bundlePath] {
        m_installThread->deleteLater();
        m_installThread = nullptr;
        QFile::remove(bundlePath);
        QString error;
        if (!m_store.open(now(), &error))
            qCWarning(lcAgent) << "cannot reload the update state:" << error;
        if (result->isError()) {
            emit failed(result->codeString(), result->message);
            emit statusChanged();
            return;
        }
        armDeadline();
        emit installed(m_store.state().version);
        emit statusChanged();
        emit restartRequested();
    });
    m_installThread->start();
}

void UpdateAgent::installFromUrl(const QUrl &url)
{
    if (isBusy()) {
        emit failed(UpdateError::codeName(Code::Busy), QStringLiteral("a download is running"));
        return;
    }
    if (m_store.state().phase == u"trial") {
        emit failed(UpdateError::codeName(Code::Busy),
                    QStringLiteral("version %1 is still in its trial").arg(m_store.state().version));
        return;
    }
    const QString dir = m_store.root() + QStringLiteral("/download");
    QDir().mkpath(dir);
    // One partial file per URL, so a resumed download never mixes two bundles.
    const QString part = dir + QStringLiteral("/")
        + QString::fromLatin1(hcp::trust::Crypto::sha256(url.toEncoded()).toHex().left(32))
        + QStringLiteral(".part");
    m_downloader = std::make_unique<BundleDownloader>(m_nam, m_config.policy);
    m_downloader->setRetry(m_config.downloadAttempts, m_config.retryInitialMs, m_config.retryMaxMs);
    m_downloader->setHeaderCheck([this](const BundleHeader &h) {
        const auto &s = m_store.state();
        return checkVersion(h.manifest, s.slot.isEmpty() ? std::nullopt : std::optional<QString>(s.version),
                            s.floor.isEmpty() ? std::nullopt : std::optional<QString>(s.floor));
    });
    connect(m_downloader.get(), &BundleDownloader::progress, this, &UpdateAgent::downloadProgress);
    connect(m_downloader.get(), &BundleDownloader::failed, this, [this](const UpdateError &e) {
        emit failed(e.codeString(), e.message);
        emit statusChanged();
    });
    connect(m_downloader.get(), &BundleDownloader::finished, this,
            [this](const QString &path, const BundleHeader &) { installInBackground(path); });
    m_downloadUrl = url;
    m_downloader->start(url, part);
    emit statusChanged();
}

QJsonObject UpdateAgent::status() const
{
    QJsonObject o = m_store.status();
    if (isBusy()) {
        o.insert(QStringLiteral("download"),
                 QJsonObject{{QStringLiteral("url"), m_downloadUrl.toString()},
                             {QStringLiteral("bytes"), double(m_downloader->bytesOnDisk())},
                             {QStringLiteral("total"), double(m_downloader->expectedSize())}});
    }
    return o;
}

} // namespace hcp::updater

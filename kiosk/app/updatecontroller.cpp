// SPDX-License-Identifier: Apache-2.0
#include "updatecontroller.h"

#include "updateagent.h"

#include <QLoggingCategory>
#include <QRegularExpression>

Q_LOGGING_CATEGORY(lcUpdate, "hcp.kiosk.update")

namespace hcp::kiosk {

using hcp::updater::UpdateAgent;

UpdateController::UpdateController(UpdateAgent *agent, const QUrl &hubUrl, QObject *parent)
    : QObject(parent)
    , m_agent(agent)
    , m_hubUrl(hubUrl)
{
    connect(agent, &UpdateAgent::statusChanged, this, &UpdateController::changed);
    connect(agent, &UpdateAgent::downloadProgress, this, &UpdateController::changed);
    connect(agent, &UpdateAgent::failed, this, [this](const QString &code, const QString &message) {
        m_error = code + QStringLiteral(": ") + message;
        m_failedNow = true;
        qCWarning(lcUpdate).noquote() << "update failed:" << m_error;
        emit changed();
    });
    connect(agent, &UpdateAgent::installed, this, [this](const QString &version) {
        if (!m_expectedVersion.isEmpty() && version != m_expectedVersion)
            qCWarning(lcUpdate) << "installed" << version << "but the command announced" << m_expectedVersion;
        qCInfo(lcUpdate) << "version" << version << "installed; restarting into its trial";
    });
    connect(agent, &UpdateAgent::committed, this, [](const QString &version) {
        qCInfo(lcUpdate) << "version" << version << "is healthy; committed";
    });
    connect(agent, &UpdateAgent::rolledBack, this, [](const QString &from, const QString &reason) {
        qCWarning(lcUpdate).noquote() << "rolled back from" << from << ":" << reason;
    });
    connect(agent, &UpdateAgent::restartRequested, this, &UpdateController::restartRequested);
}

bool UpdateController::handleCommand(const QJsonObject &args, QString *error)
{
    auto refuse = [&](const QString &why) {
        if (error)
            *error = why;
        m_error = QStringLiteral("malformed: ") + why;
        m_failedNow = true;
        emit changed();
        return false;
    };
    const QString version = args.value(QLatin1String("version")).toString();
    const QString urlText = args.value(QLatin1String("url")).toString();
    if (version.isEmpty())
        return refuse(QStringLiteral("update command without version"));
    if (urlText.isEmpty())
        return refuse(QStringLiteral("update command without url"));
    const QUrl url = m_hubUrl.resolved(QUrl(urlText));
    if (!url.isValid() || (url.scheme() != u"http" && url.scheme() != u"https"))
        return refuse(QStringLiteral("update url is not http(s): %1").arg(urlText.left(200)));
    static const QRegularExpression hex64(QStringLiteral("^[0-9a-f]{64}$"));
    const QString sha = args.value(QLatin1String("sha256")).toString();
    if (!sha.isEmpty() && !hex64.match(sha).hasMatch())
        return refuse(QStringLiteral("sha256 is not 64 lowercase hex digits"));
    const qint64 deadlineS = args.value(QLatin1String("deadlineS")).toInteger(0);
    if (deadlineS < 0 || deadlineS > 7 * 24 * 3600)
        return refuse(QStringLiteral("deadlineS out of range"));
    // At-least-once delivery: a command whose ack was lost in the restart comes again. The
    // version it asks for is already the active slot (in its trial or committed): done.
    const auto &st = m_agent->store().state();
    if (version == st.version && !st.slot.isEmpty()) {
        qCInfo(lcUpdate) << "update to" << version << "already installed; nothing to do";
        return true;
    }
    if (deadlineS > 0)
        m_agent->setTrialSeconds(deadlineS);
    m_expectedVersion = version;
    m_error.clear();
    m_failedNow = false;
    qCInfo(lcUpdate) << "update to" << version << "from" << url.toString();
    m_agent->installFromUrl(url);
    emit changed();
    return true;
}

void UpdateController::readySent()
{
    m_ready = true;
    maybeHealthy();
}

void UpdateController::syncSucceeded()
{
    if (m_synced)
        return;
    m_synced = true;
    maybeHealthy();
}

void UpdateController::maybeHealthy()
{
    if (m_ready && m_synced)
        m_agent->markHealthy();
}

QString UpdateController::state() const
{
    if (m_agent->isBusy()) {
        const auto *d = m_agent->downloader();
        return d && d->isRunning() ? QStringLiteral("downloading") : QStringLiteral("installing");
    }
    if (m_failedNow)
        return QStringLiteral("rejected");
    const auto &s = m_agent->store().state();
    if (s.phase == u"trial" || s.phase == u"switching")
        return QStringLiteral("trial");
    const QString result = s.lastResult.value(QLatin1String("result")).toString();
    if (result == u"committed")
        return QStringLiteral("healthy");
    if (result == u"rolledBack")
        return QStringLiteral("rolled_back");
    if (result == u"rejected" || result == u"failed")
        return QStringLiteral("rejected");
    return QStringLiteral("idle");
}

QJsonObject UpdateController::heartbeatStatus() const
{
    const auto &s = m_agent->store().state();
    const QString st = state();
    const QString result = s.lastResult.value(QLatin1String("result")).toString();
    QString error = m_failedNow ? m_error : QString();
    if (error.isEmpty() && (result == u"rolledBack" || result == u"rejected" || result == u"failed"))
        error = s.lastResult.value(QLatin1String("reason")).toString();
    // "version" names the version the state is about (what the hub's rollout compares with its
    // target): the one being fetched, refused or rolled back from; otherwise the active one.
    QString about = s.version;
    if (st == u"downloading" || st == u"installing" || (st == u"rejected" && m_failedNow))
        about = m_expectedVersion;
    else if (st == u"rolled_back" || st == u"rejected")
        about = s.lastResult.value(QLatin1String("version")).toString();
    QJsonObject o{{QStringLiteral("state"), st},
                  {QStringLiteral("version"), about},
                  {QStringLiteral("active"), s.version},
                  {QStringLiteral("slot"), s.slot},
                  {QStringLiteral("error"), error}};
    if (m_agent->isBusy() && m_agent->downloader()) {
        o.insert(QStringLiteral("bytes"), double(m_agent->downloader()->bytesOnDisk()));
        o.insert(QStringLiteral("total"), double(m_agent->downloader()->expectedSize()));
    }
    return o;
}

QString UpdateController::summary() const
{
    const QJsonObject h = heartbeatStatus();
    QString line = tr("软件版本 %1（%2 槽）：%3")
                       .arg(h.value(QLatin1String("active")).toString(), h.value(QLatin1String("slot")).toString(),
                            h.value(QLatin1String("state")).toString());
    if (h.value(QLatin1String("version")).toString() != h.value(QLatin1String("active")).toString())
        line += QStringLiteral(" %1").arg(h.value(QLatin1String("version")).toString());
    if (h.contains(QLatin1String("total")) && h.value(QLatin1String("total")).toDouble() > 0)
        line += tr("，已下载 %1%").arg(qRound(100.0 * h.value(QLatin1String("bytes")).toDouble() / h.value(QLatin1String("total")).toDouble()));
    const QString error = h.value(QLatin1String("error")).toString();
    if (!error.isEmpty())
        line += tr("，错误：%1").arg(error);
    return line;
}

} // namespace hcp::kiosk

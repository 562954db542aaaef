// SPDX-License-Identifier: Apache-2.0
#include "diagnostics.h"

#include "devices.h"
#include "logbuffer.h"

#include "case.h"
#include "evaluationsession.h"
#include "pinvault.h"

#include "hardware/idcard/idcardservice.h"
#include "hardware/printer/receiptprinter.h"

#include <QCoreApplication>
#include <algorithm>
#include <QDateTime>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcDiagnostics, "hcp.kiosk.diagnostics")

namespace hcp::kiosk {

using namespace hcp::hardware;

Diagnostics::Diagnostics(Devices *devices, EvaluationSession *session, QObject *parent)
    : QObject(parent), m_devices(devices), m_session(session)
{
    connect(devices, &Devices::diagnosticCard, this, [this](const IdCardData &card) {
        m_cardText = tr("读卡成功：%1 %2（%3）%4")
                         .arg(maskName(card.name), maskIdNumber(card.idNumber), idCardTypeText(card.cardType),
                              card.checkDigitValid ? tr("校验位正确") : tr("校验位错误"));
        Q_EMIT resultsChanged();
    });
    connect(devices->idCard(), &IdCardService::readOnceFinished, this, [this](bool ok) {
        if (!ok && m_open) {
            m_cardText = tr("未读到身份证（请确认已放在读卡区）");
            Q_EMIT resultsChanged();
        }
    });
    connect(devices, &Devices::diagnosticScan, this, [this](const QByteArray &payload) {
        m_scanText = tr("扫码内容：%1").arg(QString::fromUtf8(payload.left(200)));
        Q_EMIT resultsChanged();
    });
    connect(devices, &Devices::cameraDecoded, this, [this](const QByteArray &payload) {
        if (!m_open)
            return;
        m_cameraText = tr("摄像头识别：%1").arg(QString::fromUtf8(payload.left(200)));
        Q_EMIT resultsChanged();
    });
    connect(devices->printer(), &ReceiptPrinter::statusChanged, this, [this](const PrinterStatus &) {
        m_printerText = tr("打印机状态：%1").arg(m_devices->printerStatusText());
        Q_EMIT resultsChanged();
    });
    connect(devices, &Devices::diagnosticPrintResult, this, [this](bool ok, const QString &reason) {
        m_printerText = ok ? tr("测试凭条已打印") : tr("测试打印失败：%1").arg(reason);
        Q_EMIT resultsChanged();
        audit(QStringLiteral("diagnostics_test_print"), {{QStringLiteral("ok"), ok}, {QStringLiteral("reason"), reason}});
    });
    m_refresh.setInterval(1000);
    connect(&m_refresh, &QTimer::timeout, this, [this] {
        refreshStatus();
        if (m_logDirty)
            refreshLog();
    });
}

void Diagnostics::audit(const QString &action, const QJsonObject &detail)
{
    if (m_audit)
        m_audit(action, detail);
}

void Diagnostics::setLogBuffer(LogBuffer *buffer)
{
    m_logBuffer = buffer;
    if (buffer)
        connect(buffer, &LogBuffer::linesAdded, this, [this] { m_logDirty = true; });
    refreshLog();
}

void Diagnostics::refreshLog()
{
    m_logDirty = false;
    // Newest first, so the viewer's top line is what just happened.
    QStringList lines = m_logBuffer ? m_logBuffer->lines(200) : QStringList();
    std::reverse(lines.begin(), lines.end());
    if (lines != m_logLines) {
        m_logLines = lines;
        Q_EMIT logChanged();
    }
}

void Diagnostics::setPage(int page)
{
    page = qBound(0, page, 1);
    if (page == m_page)
        return;
    m_page = page;
    if (page == 1)
        refreshStatus();
    Q_EMIT pageChanged();
}

void Diagnostics::refreshStatus()
{
    if (m_statusProvider)
        m_status = m_statusProvider();
    Q_EMIT statusChanged();
}

static QString ago(qint64 ms)
{
    const qint64 s = qMax<qint64>(0, (QDateTime::currentMSecsSinceEpoch() - ms) / 1000);
    if (s < 60)
        return Diagnostics::tr("%1 秒前").arg(s);
    if (s < 3600)
        return Diagnostics::tr("%1 分钟前").arg(s / 60);
    return Diagnostics::tr("%1 小时前").arg(s / 3600);
}

QString Diagnostics::networkText() const
{
    if (!m_status.syncEnabled)
        return tr("中心：本机未注册，评价只保存在本机");
    QString t = m_status.online ? tr("中心：已连接") : tr("中心：未连接");
    t += m_status.lastContactMs > 0 ? tr("，上次联系 %1").arg(ago(m_status.lastContactMs)) : tr("，本次启动后尚未联系");
    if (!m_status.lastError.isEmpty())
        t += tr("，错误：%1").arg(m_status.lastError);
    return t;
}

QString Diagnostics::queueText() const
{
    if (m_status.queueDepth == 0)
        return tr("待上传：0 条");
    return tr("待上传：%1 条，最早一条已等待 %2 分钟").arg(m_status.queueDepth).arg(m_status.oldestUnsentAgeS / 60);
}

QString Diagnostics::ledgerText() const
{
    if (m_status.ledgerSeq < 0)
        return tr("评价账本：尚无记录");
    if (m_status.ledgerHash.isEmpty())
        return tr("评价账本：序号 %1").arg(m_status.ledgerSeq);
    return tr("评价账本：序号 %1，哈希 %2…").arg(m_status.ledgerSeq).arg(m_status.ledgerHash.left(16));
}

QString Diagnostics::configText() const
{
    QString t = m_status.configVersion.isEmpty() || m_status.configVersion == QLatin1String("0")
        ? tr("配置：本机默认")
        : tr("配置：版本 %1").arg(m_status.configVersion);
    if (!m_status.configRejected.isEmpty())
        t += tr("，已拒绝新配置：%1").arg(m_status.configRejected);
    return t;
}

void Diagnostics::syncNow()
{
    if (!m_unlocked)
        return;
    audit(QStringLiteral("diagnostics_manual_sync"));
    if (!m_syncAction) {
        m_syncText = tr("本机未注册，无法同步");
    } else {
        m_syncAction();
        m_syncText = tr("已开始同步（%1）").arg(QDateTime::currentDateTime().toString(QStringLiteral("HH:mm:ss")));
    }
    qCInfo(lcDiagnostics) << "manual sync requested";
    Q_EMIT statusChanged();
}

void Diagnostics::sanctionedExit()
{
    if (!m_unlocked)
        return;
    qCWarning(lcDiagnostics) << "sanctioned exit for maintenance";
    audit(QStringLiteral("diagnostics_sanctioned_exit"));
    if (m_exitAction)
        m_exitAction();
    else
        QCoreApplication::exit(kMaintenanceExitCode);
}

Diagnostics::~Diagnostics() = default;

void Diagnostics::setPinHash(const QString &encoded, const QString &stateFile)
{
    m_vault = std::make_unique<hcp::trust::PinVault>(stateFile);
    if (!encoded.isEmpty() && !m_vault->setPinHash(encoded))
        qCWarning(lcDiagnostics) << "maintenance PIN hash in configuration is malformed; diagnostics stay closed";
}

void Diagnostics::setPinMessage(const QString &m)
{
    m_pinMessage = m;
    Q_EMIT pinMessageChanged();
}

void Diagnostics::requestOpen()
{
    if (m_open)
        return;
    m_session->cancel(); // a citizen's visit never continues under the maintenance page
    m_open = true;
    m_unlocked = false;
    setPinMessage(m_vault && m_vault->isConfigured() ? tr("请输入维护密码") : tr("本机未配置维护密码"));
    Q_EMIT openChanged();
}

void Diagnostics::enterPin(const QString &pin)
{
    if (!m_open || m_unlocked || !m_vault)
        return;
    const auto attempt = m_vault->tryPin(pin);
    switch (attempt.outcome) {
    case hcp::trust::PinVault::Outcome::Accepted:
        m_unlocked = true;
        m_devices->setDiagnosticsMode(true);
        qCInfo(lcDiagnostics) << "maintenance page unlocked";
        audit(QStringLiteral("maintenance_pin_ok"));
        setPinMessage({});
        refreshStatus();
        refreshLog();
        m_refresh.start();
        Q_EMIT openChanged();
        break;
    case hcp::trust::PinVault::Outcome::Rejected:
    case hcp::trust::PinVault::Outcome::LockedOut:
        qCWarning(lcDiagnostics) << "maintenance PIN refused; failures" << attempt.consecutiveFailures;
        audit(QStringLiteral("maintenance_pin_failed"),
              {{QStringLiteral("failures"), attempt.consecutiveFailures},
               {QStringLiteral("lockedOut"), attempt.outcome == hcp::trust::PinVault::Outcome::LockedOut},
               {QStringLiteral("retryAfterMs"), attempt.retryAfterMs}});
        setPinMessage(attempt.retryAfterMs > 0
                          ? tr("密码错误次数过多，请 %1 秒后再试").arg((attempt.retryAfterMs + 999) / 1000)
                          : tr("密码错误"));
        break;
    case hcp::trust::PinVault::Outcome::NotConfigured:
        setPinMessage(tr("本机未配置维护密码"));
        break;
    }
}

void Diagnostics::close()
{
    if (!m_open)
        return;
    m_devices->setDiagnosticsMode(false);
    m_refresh.stop();
    if (m_unlocked)
        audit(QStringLiteral("maintenance_closed"));
    m_syncText.clear();
    setPage(0);
    m_open = false;
    m_unlocked = false;
    m_cardText.clear();
    m_scanText.clear();
    m_cameraText.clear();
    m_printerText.clear();
    Q_EMIT resultsChanged();
    Q_EMIT openChanged();
    qCInfo(lcDiagnostics) << "maintenance page closed";
}

void Diagnostics::testRead()
{
    if (!m_unlocked)
        return;
    m_cardText = tr("正在读卡…");
    Q_EMIT resultsChanged();
    m_devices->idCard()->readOnce();
}

void Diagnostics::testPrint()
{
    if (!m_unlocked)
        return;
    m_printerText = tr("正在打印测试凭条…");
    Q_EMIT resultsChanged();
    m_devices->printTestReceipt();
}

} // namespace hcp::kiosk

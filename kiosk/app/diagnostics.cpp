// SPDX-License-Identifier: Apache-2.0
#include "diagnostics.h"

#include "devices.h"

#include <case.h>
#include <evaluationsession.h>
#include <pinvault.h>

#include <hardware/idcard/idcardservice.h>
#include <hardware/printer/receiptprinter.h>

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
    });
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
        setPinMessage({});
        Q_EMIT openChanged();
        break;
    case hcp::trust::PinVault::Outcome::Rejected:
    case hcp::trust::PinVault::Outcome::LockedOut:
        qCWarning(lcDiagnostics) << "maintenance PIN refused; failures" << attempt.consecutiveFailures;
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

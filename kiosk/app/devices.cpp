// SPDX-License-Identifier: Apache-2.0
#include "devices.h"

#include "appcontroller.h"
#include "case.h"
#include "evaluationsession.h"
#include "kioskconfig.h"

#include "hardware/cameradevice.h"
#include "hardware/devicemanager.h"
#include "hardware/devicestatusmodel.h"
#include "hardware/idcard/idcardservice.h"
#include "hardware/idcard/idcardsimulator.h"
#include "hardware/printer/printersimulator.h"
#include "hardware/printer/receiptprinter.h"
#include "hardware/scanner/scannerservice.h"
#include "hardware/scanner/scannersimulator.h"
#include "hardware/usbtransport.h"

#include <QLoggingCategory>
#include <QDateTime>
#include <QTimer>

Q_LOGGING_CATEGORY(lcKioskDevices, "hcp.kiosk.devices")

namespace hcp::kiosk {

using namespace hcp::hardware;

Devices::Devices(const Options &options, EvaluationSession *session, AppController *app, const KioskConfig &config,
                 QObject *parent)
    : QObject(parent), m_session(session)
{
    m_manager = std::make_unique<DeviceManager>();
    m_statusModel = std::make_unique<DeviceStatusModel>(m_manager.get());
    // The status strip lists what this kiosk has: a window pad (pf=4) identifies nobody and
    // prints nothing; a camera only where one is configured.
    QList<DeviceClass> fitted;
    if (!config.channel().isPad()) {
        fitted = {DeviceClass::IdCard, DeviceClass::Printer, DeviceClass::Scanner};
        if (!options.cameraSource.isEmpty())
            fitted.append(DeviceClass::Camera);
    }
    m_manager->setFitted(fitted);

    // ID-card reader.
    if (options.simulate) {
        m_idSim = std::make_unique<IdCardSimulator>();
        m_idCard = std::make_unique<IdCardService>(m_idSim->transportFactory(SamLink::Framing::UsbTwoPipe),
                                                   SamLink::Framing::UsbTwoPipe);
    } else if (!options.idCardSerial.isEmpty()) {
        m_idCard = std::make_unique<IdCardService>(IdCardService::serialFactory(options.idCardSerial),
                                                   SamLink::Framing::Stream);
    } else {
        m_idCard = std::make_unique<IdCardService>(IdCardService::usbFactory(), SamLink::Framing::UsbTwoPipe);
    }
    // A card is noticed within half a second; faster polling only costs idle CPU.
    IdCardService::Timing timing;
    timing.pollIntervalMs = 500;
    m_idCard->setTiming(timing);
    m_manager->trackIdCard(m_idCard.get());
    connect(session, &EvaluationSession::identifyingChanged, m_idCard.get(), &IdCardService::setPolling);
    m_hallName = config.hallName;
    connect(m_idCard.get(), &IdCardService::cardRead, session, [this, session](const IdCardData &card) {
        if (m_diagnostics) {
            Q_EMIT diagnosticCard(card);
            return;
        }
        if (!card.checkDigitValid) {
            // A card whose number fails GB 11643 is never trusted as an identity.
            session->reportIdentifyError(tr("身份证信息校验未通过，请重新放置身份证，或到服务窗口咨询。"));
            return;
        }
        session->identifyByCard(card.name, card.idNumber, idCardTypeText(card.cardType));
    });
    connect(m_idCard.get(), &IdCardService::errorOccurred, session, [this, session](const QString &message) {
        if (!m_diagnostics)
            session->reportIdentifyError(message);
    });
    m_idCard->setPolling(session->state() == EvaluationSession::State::Start);

    // Receipt printer: ESC/POS over USB class 7.
    if (options.simulate) {
        m_printerSim = std::make_unique<PrinterSimulator>();
        m_printer = std::make_unique<ReceiptPrinter>([sim = m_printerSim.get()] { return sim->createTransport(); });
    } else {
        m_printer = std::make_unique<ReceiptPrinter>([] {
            UsbTransport::Config c;
            c.interfaceClass = 7;
            return std::unique_ptr<Transport>(std::make_unique<UsbTransport>(c));
        });
    }
    connect(session, &EvaluationSession::receiptRequested, m_printer.get(),
            [this, config](const Evaluation &e, const QString &qrUrl) {
                Receipt r;
                r.hallName = config.hallName;
                r.serviceItem = e.taskName;
                r.department = e.deptName;
                r.window = tr("%1号窗口").arg(e.windowNo);
                r.staffName = e.staffName;
                r.staffNumber = e.staffNo;
                r.satisfaction = e.satisfaction;
                r.evaluationNumber = EvaluationSession::formatEvaluationNumber(e);
                r.evaluatedAt = e.assessTime;
                r.followUpUrl = qrUrl.toLatin1();
                r.citizenName = e.userNameMasked; // already masked; never an ID number
                m_receiptJob = m_printer->print(r);
            });
    connect(m_printer.get(), &ReceiptPrinter::printed, session, [this](quint64 job) {
        if (job == m_testJob)
            Q_EMIT diagnosticPrintResult(true, {});
        if (job == m_receiptJob)
            m_session->setReceiptResult(true, {});
        m_manager->setStatus(DeviceClass::Printer, DeviceState::Ready);
    });
    connect(m_printer.get(), &ReceiptPrinter::failed, session,
            [this](quint64 job, ReceiptPrinter::Failure reason, const QString &detail) {
                qCWarning(lcKioskDevices) << "receipt not printed:" << detail;
                if (job == m_testJob)
                    Q_EMIT diagnosticPrintResult(false, ReceiptPrinter::failureText(reason));
                if (job == m_receiptJob)
                    m_session->setReceiptResult(false, ReceiptPrinter::failureText(reason));
                m_manager->setStatus(DeviceClass::Printer,
                                     reason == ReceiptPrinter::Failure::Unplugged ? DeviceState::Absent : DeviceState::Error,
                                     ReceiptPrinter::failureText(reason));
            });
    // The status read at start (and after every job) sets the strip: «✓ 打印机» from the first
    // frame instead of «✗ 打印机 未连接» until the first receipt.
    connect(m_printer.get(), &ReceiptPrinter::statusChanged, this, [this](const PrinterStatus &st) {
        if (!st.valid)
            return;
        if (st.readyToPrint())
            m_manager->setStatus(DeviceClass::Printer, DeviceState::Ready,
                                 st.paperNearEnd ? tr("纸将用完") : QString());
        else
            m_manager->setStatus(DeviceClass::Printer, DeviceState::Error,
                                 st.paperEnd ? tr("缺纸") : st.coverOpen ? tr("纸仓盖打开") : tr("不可打印"));
    });
    connect(m_printer.get(), &ReceiptPrinter::statusQueryFailed, this,
            [this](ReceiptPrinter::Failure reason, const QString &) {
                m_manager->setStatus(DeviceClass::Printer,
                                     reason == ReceiptPrinter::Failure::Unplugged ? DeviceState::Absent : DeviceState::Error,
                                     ReceiptPrinter::failureText(reason));
            });
    m_printer->refreshStatus();

    // Barcode scanner (keyboard wedge, grabbed) and camera feed the same QR parser.
    if (options.simulate) {
        m_scannerSim = std::make_unique<ScannerSimulator>(ScannerService::Mode::KeyboardWedge);
        m_scanner = std::make_unique<ScannerService>(m_scannerSim->transportFactory(), ScannerService::Mode::KeyboardWedge);
    } else {
        ScannerService::Options scannerOptions;
        scannerOptions.reopenIntervalMs = 3000; // an absent scanner is looked for every 3 s (idle CPU)
        m_scanner = std::make_unique<ScannerService>(ScannerService::evdevFactory(options.scannerEvdev),
                                                     ScannerService::Mode::KeyboardWedge, scannerOptions);
    }
    m_manager->trackScanner(m_scanner.get());
    connect(m_scanner.get(), &ScannerService::scanned, session, [this, session](const QByteArray &payload) {
        if (m_diagnostics)
            Q_EMIT diagnosticScan(payload);
        else
            session->submitQrPayload(payload);
    });
    m_scanner->start();

    if (!options.cameraSource.isEmpty()) {
        QString error;
        m_camera = loadCameraDevice(&error);
        if (!m_camera) {
            qCWarning(lcKioskDevices) << "QR camera unavailable:" << error;
            m_manager->setStatus(DeviceClass::Camera, DeviceState::Error, tr("摄像头模块无法加载"));
        } else {
            m_cameraConfigured = true;
            m_camera->setSource(options.cameraSource);
            m_camera->setLoop(true);
            connect(session, &EvaluationSession::cameraWantedChanged, this, [this](bool on) {
                on ? m_camera->start() : m_camera->stop();
            });
            connect(m_camera->qobject(), SIGNAL(decoded(QByteArray)), this, SLOT(onCameraDecoded(QByteArray)));
            connect(m_camera->qobject(), SIGNAL(activeChanged(bool)), this, SLOT(onCameraActiveChanged(bool)));
            m_manager->setStatus(DeviceClass::Camera, DeviceState::Ready);
            app->setCameraPreviewAvailable(true);
        }
    }

    if (options.simulate && options.demoPanel)
        wireDemo(app);
}

Devices::~Devices()
{
    // Services join their worker threads before the simulators they talk to go away.
    if (m_camera)
        m_camera->stop();
    m_camera.reset();
    m_scanner.reset();
    m_printer.reset();
    m_idCard.reset();
}

void Devices::onCameraDecoded(const QByteArray &payload)
{
    Q_EMIT cameraDecoded(payload);
    if (!m_diagnostics)
        m_session->submitQrPayload(payload);
}

void Devices::onCameraActiveChanged(bool active)
{
    m_manager->setStatus(DeviceClass::Camera, active ? DeviceState::Busy : DeviceState::Ready);
}

QString Devices::printerStatusText() const
{
    const PrinterStatus st = m_printer->status();
    if (!st.readyToPrint())
        return tr("不可打印");
    return st.paperNearEnd ? tr("纸将用完") : tr("正常");
}

void Devices::setDiagnosticsMode(bool on)
{
    m_diagnostics = on;
    m_idCard->setPolling(on || m_session->state() == EvaluationSession::State::Start);
    if (m_cameraConfigured)
        on ? m_camera->start() : m_camera->stop();
    if (on)
        m_printer->refreshStatus();
}

void Devices::printTestReceipt()
{
    Receipt r;
    r.hallName = m_hallName;
    r.serviceItem = tr("打印测试");
    r.department = tr("设备维护");
    r.window = QStringLiteral("-");
    r.staffName = tr("维护人员");
    r.evaluationNumber = QStringLiteral("TEST-%1").arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMddHHmmss")));
    r.evaluatedAt = QDateTime::currentDateTime();
    r.followUpUrl = "https://hcp.example.gov.cn/test";
    m_testJob = m_printer->print(r);
}

void Devices::wireDemo(AppController *app)
{
    // The demo panel drives the simulators, so the real protocol code paths run end to end.
    connect(app, &AppController::demoCardRequested, this, [this](const QString &name, const QString &id) {
        IdCardData card = IdCardSimulator::sampleResident();
        card.name = name;
        card.idNumber = id;
        m_idSim->insertCard(card);
        // The citizen takes the card back a moment later.
        QTimer::singleShot(2500, this, [this] { m_idSim->removeCard(); });
    });
    connect(app, &AppController::demoScanRequested, this, [this](const QByteArray &payload) {
        m_scannerSim->scan(payload);
    });
    connect(app, &AppController::demoPaperRequested, this, [this](bool present) {
        m_printerSim->setMode(present ? PrinterSimulator::Mode::Ready : PrinterSimulator::Mode::PaperOut);
        m_printer->refreshStatus();
    });
}

} // namespace hcp::kiosk

// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QObject>
#include <QString>

#include <memory>

namespace hcp::hardware {
struct IdCardData;
class DeviceManager;
class DeviceStatusModel;
class IdCardService;
class IdCardSimulator;
class PrinterSimulator;
class CameraDevice;
class ReceiptPrinter;
class ScannerService;
class ScannerSimulator;
}

namespace hcp::kiosk {

class AppController;
class EvaluationSession;
struct KioskConfig;

// The kiosk's devices, wired to the session: the ID-card reader polls only while an identify
// screen is up; scanner and camera payloads go to the same QR parser; the printer prints the
// receipt on request and never blocks the session. With `simulate`, every device is its
// byte-level simulator (demo, screenshots), driven by the demo panel.
class Devices : public QObject {
    Q_OBJECT
public:
    struct Options {
        bool simulate = false;
        bool demoPanel = true;   // with simulate: the demo panel drives the simulators
        QString cameraSource;    // "" = none; "0" or "/dev/video0"; or a video/image sequence
        QString scannerEvdev = QStringLiteral("/dev/input/hcp-scanner"); // udev symlink
        QString idCardSerial;    // "" = USB 0400:c35a; else a CDC-ACM tty
    };

    Devices(const Options &options, EvaluationSession *session, AppController *app, const KioskConfig &config,
            QObject *parent = nullptr);
    ~Devices() override;

    hcp::hardware::DeviceStatusModel *statusModel() const { return m_statusModel.get(); }
    // Null unless a camera source is configured and libhcp_camera loaded.
    hcp::hardware::CameraDevice *camera() const { return m_camera.get(); }
    hcp::hardware::DeviceManager *manager() const { return m_manager.get(); }
    hcp::hardware::IdCardService *idCard() const { return m_idCard.get(); }
    hcp::hardware::ReceiptPrinter *printer() const { return m_printer.get(); }
    QString printerStatusText() const;
    // Diagnostics mode: card reads and scans go to the diagnostics page, not to a citizen's
    // visit; the camera runs for its preview.
    void setDiagnosticsMode(bool on);
    void printTestReceipt();
    // The simulators when `simulate` is set (tests, demo), else null.
    hcp::hardware::IdCardSimulator *idCardSimulator() const { return m_idSim.get(); }
    hcp::hardware::PrinterSimulator *printerSimulator() const { return m_printerSim.get(); }
    hcp::hardware::ScannerSimulator *scannerSimulator() const { return m_scannerSim.get(); }

Q_SIGNALS:
    void diagnosticCard(const hcp::hardware::IdCardData &card);
    void diagnosticScan(const QByteArray &payload);
    void diagnosticPrintResult(bool ok, const QString &reason);
    void cameraDecoded(const QByteArray &payload);

private Q_SLOTS:
    // The camera lives in a run-time loaded library: its signals are connected by name.
    void onCameraDecoded(const QByteArray &payload);
    void onCameraActiveChanged(bool active);

private:
    void wireDemo(AppController *app);
    bool m_diagnostics = false;
    bool m_cameraConfigured = false;
    quint64 m_testJob = 0;
    QString m_hallName;

    EvaluationSession *m_session;
    // Simulators outlive the services that talk to them: declared first, destroyed last.
    std::unique_ptr<hcp::hardware::IdCardSimulator> m_idSim;
    std::unique_ptr<hcp::hardware::PrinterSimulator> m_printerSim;
    std::unique_ptr<hcp::hardware::ScannerSimulator> m_scannerSim;
    std::unique_ptr<hcp::hardware::DeviceManager> m_manager;
    std::unique_ptr<hcp::hardware::DeviceStatusModel> m_statusModel;
    std::unique_ptr<hcp::hardware::IdCardService> m_idCard;
    std::unique_ptr<hcp::hardware::ReceiptPrinter> m_printer;
    std::unique_ptr<hcp::hardware::ScannerService> m_scanner;
    std::unique_ptr<hcp::hardware::CameraDevice> m_camera;
    quint64 m_receiptJob = 0;
};

} // namespace hcp::kiosk

// SPDX-License-Identifier: Apache-2.0
// The kiosk with its byte-level device simulators, wired exactly as the app wires them: a card
// read identifies the citizen, a scanned QR identifies a case, and the printed receipt decodes
// back (ESC/POS → text lines and QR) to the evaluation that was stored.
#include "devices.h"
#include "qrimageprovider.h"

#include "appcontroller.h"
#include "casedirectory.h"
#include "evaluationsession.h"
#include "identity.h"
#include "qrpayload.h"
#include "store.h"

#include "escposdecoder.h"
#include "hardware/cameradevice.h"
#include "hardware/idcard/idcardsimulator.h"
#include "hardware/printer/printersimulator.h"
#include "hardware/scanner/scannersimulator.h"

#include <QPainter>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace hcp::kiosk;
using S = EvaluationSession::State;

class TestDevicesE2E : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::unique_ptr<Store> m_store;
    std::unique_ptr<CaseDirectory> m_directory;
    std::unique_ptr<EvaluationSession> m_session;
    std::unique_ptr<AppController> m_app;
    std::unique_ptr<Devices> m_devices;
    KioskConfig m_config;

    Case makeCase(const QString &no, const QString &user, const QString &id)
    {
        Case c;
        c.projectNo = no;
        c.taskCode = QStringLiteral("T-9");
        c.taskName = QStringLiteral("社会保障卡申领");
        c.deptName = QStringLiteral("人力资源和社会保障局");
        c.windowNo = QStringLiteral("A03");
        c.staffName = QStringLiteral("马丽");
        c.staffNo = QStringLiteral("RS0312");
        c.resultDate = QDateTime::currentDateTime().addSecs(-3600);
        c.userName = user;
        c.certKeyHash = certKeyHash(m_config.idHashKey, id);
        return c;
    }
private Q_SLOTS:
    void init()
    {
        m_store = std::make_unique<Store>();
        QVERIFY(m_store->open(m_dir.filePath(QStringLiteral("e2e%1.sqlite").arg(QDateTime::currentMSecsSinceEpoch()))));
        QVERIFY(m_store->upsertCases({makeCase(QStringLiteral("CARD000001"), QStringLiteral("李华"), QStringLiteral("11010519491231002X")),
                                      makeCase(QStringLiteral("SCAN000001"), QStringLiteral("王建国"), QStringLiteral("440524188001010014"))}));
        m_directory = std::make_unique<CaseDirectory>(m_store.get());
        m_session = std::make_unique<EvaluationSession>(m_store.get(), m_directory.get());
        WorkCalendar cal;
        cal.loadDirectory(QStringLiteral(":/hcp/holidays"));
        m_session->setCalendar(cal);
        m_session->setIndicatorSet(IndicatorSet::builtin());
        m_session->setQuestionnaires(QuestionnaireCatalog::builtin());
        m_session->setConfig(m_config);
        m_app = std::make_unique<AppController>(m_session.get());
        m_app->setDemoMode(true);
        Devices::Options o;
        o.simulate = true;
        m_devices = std::make_unique<Devices>(o, m_session.get(), m_app.get(), m_config);
    }
    void cleanup()
    {
        m_devices.reset();
        m_app.reset();
        m_session.reset();
        m_directory.reset();
        m_store.reset();
    }

    void cardOnReader_identifiesCitizen_receiptDecodesToTheEvaluation()
    {
        hcp::hardware::IdCardData card = hcp::hardware::IdCardSimulator::sampleResident(); // 李华
        m_devices->idCardSimulator()->insertCard(card);
        QTRY_COMPARE_WITH_TIMEOUT(m_session->state(), S::Rate, 5000); // read over the SAM protocol
        QCOMPARE(m_session->caseProjectNo(), QStringLiteral("CARD000001"));
        QCOMPARE(m_session->citizenIdMasked(), QStringLiteral("1101**********002X"));
        m_session->rate(1);
        m_session->toggleReason(QStringLiteral("501"));
        m_session->next();
        m_session->next();
        m_session->next();
        m_session->submit();
        QCOMPARE(m_session->state(), S::Thanks);
        const Evaluation stored = *m_store->evaluation(m_session->lastCommitted().uuid);

        m_devices->printerSimulator()->clearPrinted();
        m_session->requestReceipt();
        QTRY_COMPARE_WITH_TIMEOUT(m_session->receiptState(), EvaluationSession::ReceiptState::Printed, 5000);
        const auto decoded = hcp::tests::EscPosDecoder::decode(m_devices->printerSimulator()->printedData());
        const QString text = decoded.textLines().join(QLatin1Char('\n'));
        QVERIFY2(text.contains(m_config.hallName), qPrintable(text));
        QVERIFY(text.contains(QStringLiteral("社会保障卡申领")));
        QVERIFY(text.contains(QStringLiteral("马丽")));
        QVERIFY(text.contains(QStringLiteral("非常不满意")));
        QVERIFY(text.contains(EvaluationSession::formatEvaluationNumber(stored)));
        QVERIFY(text.contains(QStringLiteral("李*")));
        QVERIFY(!text.contains(QStringLiteral("11010519491231002X"))); // never an ID number
        QCOMPARE(decoded.qrPayloads().size(), 1);
        const QrPayload back = parseQrPayload(decoded.qrPayloads().first());
        QCOMPARE(back.kind, QrPayload::Kind::Receipt);
        QCOMPARE(back.evaluationUuid, stored.uuid);
        QCOMPARE(back.projectNo, stored.projectNo);
        QCOMPARE(decoded.cuts, 1);
    }

    void scannedQr_identifiesTheCase()
    {
        m_devices->scannerSimulator()->scan("https://zwfw.example.gov.cn/bjcx?projectNo=SCAN000001");
        QTRY_COMPARE_WITH_TIMEOUT(m_session->state(), S::Rate, 5000); // evdev wedge bytes → payload
        QCOMPARE(m_session->caseProjectNo(), QStringLiteral("SCAN000001"));
    }

    void paperOut_evaluationKept_qrOnScreen()
    {
        m_devices->scannerSimulator()->scan("SCAN000001");
        QTRY_COMPARE_WITH_TIMEOUT(m_session->state(), S::Rate, 5000);
        m_session->rate(5);
        m_session->submit();
        m_devices->printerSimulator()->setMode(hcp::hardware::PrinterSimulator::Mode::PaperOut);
        m_session->requestReceipt();
        QTRY_COMPARE_WITH_TIMEOUT(m_session->receiptState(), EvaluationSession::ReceiptState::Failed, 5000);
        QVERIFY(!m_session->receiptQr().isEmpty());
        QCOMPARE(m_store->evaluationCount(), 1);
    }

    void cameraFromImageSequence_loadsAtRunTime_andIdentifiesTheCase()
    {
        // A camera source makes the app load libhcp_camera (OpenCV) at run time.
        QTemporaryDir frames;
        const QImage qr = QrImageProvider::render(QStringLiteral("https://zwfw.example.gov.cn/bjcx?projectNo=SCAN000001"), 240);
        for (int i = 0; i < 12; ++i) {
            QImage frame(640, 480, QImage::Format_RGB888);
            frame.fill(Qt::white);
            QPainter(&frame).drawImage(200, 120, qr);
            QVERIFY(frame.save(frames.filePath(QStringLiteral("frame_%1.png").arg(i, 3, 10, QLatin1Char('0')))));
        }
        m_devices.reset();
        Devices::Options o;
        o.simulate = true;
        o.cameraSource = frames.filePath(QStringLiteral("frame_%03d.png"));
        m_devices = std::make_unique<Devices>(o, m_session.get(), m_app.get(), m_config);
        QVERIFY2(m_devices->camera(), "libhcp_camera did not load");
        QVERIFY(m_app->cameraPreviewAvailable());
        m_session->beginScan(); // the camera runs only while the scan screen shows
        QTRY_COMPARE_WITH_TIMEOUT(m_session->state(), S::Rate, 10000);
        QCOMPARE(m_session->caseProjectNo(), QStringLiteral("SCAN000001"));
        QTRY_VERIFY_WITH_TIMEOUT(!m_devices->camera()->isActive(), 5000); // and stops when it goes
    }

    void cardWithBadCheckDigit_isNotTrusted()
    {
        hcp::hardware::IdCardData card = hcp::hardware::IdCardSimulator::sampleResident();
        card.idNumber = QStringLiteral("110105194912310021"); // wrong check digit
        m_devices->idCardSimulator()->insertCard(card);
        QTRY_COMPARE_WITH_TIMEOUT(m_session->state(), S::Error, 5000);
        QVERIFY(m_session->message().contains(QStringLiteral("校验")));
        QVERIFY(m_session->citizenIdMasked().isEmpty());
    }
};

QTEST_MAIN(TestDevicesE2E)
#include "tst_devices_e2e.moc"

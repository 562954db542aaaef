// SPDX-License-Identifier: Apache-2.0
// ReceiptPrinter over the real libusb path (UsbTransport opened by interface class 7) against a
// umockdev-emulated printer whose bulk OUT feeds PrinterSimulator and whose bulk IN carries the
// DLE EOT replies. Run under `umockdev-wrapper`.
#include "escposdecoder.h"
#include "mockusbbus.h"
#include "printersimulator.h"
#include "receiptprinter.h"
#include "usbtransport.h"

#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

using namespace hcp::hardware;
using hcp::test::MockUsbBus;
using hcp::test::MockUsbDevice;
using hcp::tests::EscPosDecoder;

namespace {
constexpr int kAddress = 4;

Receipt sampleReceipt()
{
    Receipt r;
    r.hallName = QStringLiteral("西城区政务服务中心");
    r.serviceItem = QStringLiteral("居民身份证换领");
    r.department = QStringLiteral("北京市公安局西城分局");
    r.window = QStringLiteral("3号窗口");
    r.staffName = QStringLiteral("王芳");
    r.satisfaction = 4;
    r.evaluationNumber = QStringLiteral("PJ110102202611280003");
    r.evaluatedAt = QDateTime::currentDateTime();
    r.followUpUrl = "https://example.gov.cn/pj?c=A125";
    r.citizenName = QStringLiteral("李华");
    return r;
}

std::unique_ptr<Transport> usbPrinterTransport()
{
    UsbTransport::Config c;
    c.interfaceClass = 7;  // LIBUSB_CLASS_PRINTER: first printer-class interface on the bus
    return std::make_unique<UsbTransport>(c);
}
} // namespace

class TestReceiptPrinterUsb : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<MockUsbBus> m_bus;
    MockUsbDevice *m_dev = nullptr;
    PrinterSimulator m_sim;

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        m_bus = std::make_unique<MockUsbBus>();
        m_dev = m_bus->addDevice(kAddress, MockUsbBus::printerDescriptors());
        // The emulated printer: every bulk OUT transfer goes through the simulator, whose
        // status replies are queued on bulk IN 0x82.
        m_dev->setOutHandler([this](quint8 ep, const QByteArray &bytes) {
            if (ep != 0x01)
                return;
            const QByteArray reply = m_sim.consume(bytes);
            if (!reply.isEmpty())
                m_dev->queueIn(0x82, reply);
        });
    }

    void init()
    {
        m_sim.setMode(PrinterSimulator::Mode::Ready);
        m_sim.clearPrinted();
    }

    void print_overLibusbClass7_receiptDecodesBack()
    {
        ReceiptPrinter printer(usbPrinterTransport);
        QSignalSpy ok(&printer, &ReceiptPrinter::printed);
        QSignalSpy bad(&printer, &ReceiptPrinter::failed);
        const Receipt r = sampleReceipt();
        printer.print(r);
        QTRY_COMPARE_WITH_TIMEOUT(ok.size() + bad.size(), 1, 15000);
        QVERIFY2(bad.isEmpty(), bad.isEmpty() ? "" : qPrintable(bad.at(0).at(2).toString()));
        const auto out = EscPosDecoder::decode(m_sim.printedData());
        QVERIFY2(out.errors.isEmpty(), qPrintable(out.errors.join('\n')));
        QStringList lines = out.textLines();
        lines.removeAll(QString());
        QCOMPARE(lines, r.lines(Receipt::Layout{}));
        QCOMPARE(out.qrPayloads(), QList<QByteArray>{r.followUpUrl});
        QCOMPARE(out.cuts, 1);
        QVERIFY(printer.status().readyToPrint());
    }

    void print_paperOutReportedOverBulkIn_failsWithPaperOut()
    {
        m_sim.setMode(PrinterSimulator::Mode::PaperOut);
        ReceiptPrinter printer(usbPrinterTransport);
        QSignalSpy bad(&printer, &ReceiptPrinter::failed);
        printer.print(sampleReceipt());
        QTRY_COMPARE_WITH_TIMEOUT(bad.size(), 1, 15000);
        QCOMPARE(bad.at(0).at(1).value<ReceiptPrinter::Failure>(), ReceiptPrinter::Failure::PaperOut);
        QVERIFY(m_sim.printedData().isEmpty());
    }

    // Last: the device stays unplugged.
    void print_afterUnplug_failsWithUnplugged()
    {
        ReceiptPrinter printer(usbPrinterTransport);
        QSignalSpy ok(&printer, &ReceiptPrinter::printed);
        QSignalSpy bad(&printer, &ReceiptPrinter::failed);
        printer.print(sampleReceipt());
        QTRY_COMPARE_WITH_TIMEOUT(ok.size(), 1, 15000);
        m_bus->unplug(kAddress);
        printer.print(sampleReceipt());
        QTRY_COMPARE_WITH_TIMEOUT(bad.size(), 1, 15000);
        QCOMPARE(bad.at(0).at(1).value<ReceiptPrinter::Failure>(), ReceiptPrinter::Failure::Unplugged);
    }
};

QTEST_GUILESS_MAIN(TestReceiptPrinterUsb)
#include "tst_receiptprinter_usb.moc"

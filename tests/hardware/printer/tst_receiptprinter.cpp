// SPDX-License-Identifier: Apache-2.0
// ReceiptPrinter service against PrinterSimulator (the real byte protocol over FakeTransport):
// the paper output is decoded back, failure modes map to failed(reason).
#include "escposdecoder.h"
#include "faketransport.h"
#include "printersimulator.h"
#include "receiptprinter.h"

#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>
#include <QThread>

using hcp::hardware::PrinterSimulator;
using hcp::hardware::PrinterStatus;
using hcp::hardware::Receipt;
using hcp::hardware::ReceiptPrinter;
using hcp::tests::EscPosDecoder;

namespace {
Receipt sampleReceipt()
{
    Receipt r;
    r.hallName = QStringLiteral("西城区政务服务中心");
    r.serviceItem = QStringLiteral("居民身份证换领");
    r.department = QStringLiteral("北京市公安局西城分局");
    r.window = QStringLiteral("3号窗口");
    r.staffName = QStringLiteral("王芳");
    r.satisfaction = 2;
    r.evaluationNumber = QStringLiteral("PJ110102202611280002");
    r.evaluatedAt = QDateTime::currentDateTime();
    r.followUpUrl = "https://example.gov.cn/pj?c=A124";
    r.citizenName = QStringLiteral("李华");
    return r;
}
constexpr int kWaitMs = 5000;
} // namespace

class TestReceiptPrinter : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<PrinterSimulator> m_sim;
    std::unique_ptr<ReceiptPrinter> m_printer;
    QThread *m_factoryThread = nullptr;
    int m_factoryCalls = 0;

    void makePrinter()
    {
        m_printer = std::make_unique<ReceiptPrinter>([this] {
            m_factoryThread = QThread::currentThread();
            ++m_factoryCalls;
            return m_sim->createTransport();
        });
        m_printer->setStatusTimeoutMs(100);
    }

    // Prints and waits for the outcome; returns the failure reason or -1 when printed.
    int printAndWait(const Receipt &r)
    {
        QSignalSpy ok(m_printer.get(), &ReceiptPrinter::printed);
        QSignalSpy bad(m_printer.get(), &ReceiptPrinter::failed);
        const quint64 id = m_printer->print(r);
        [&] { QTRY_COMPARE_WITH_TIMEOUT(ok.size() + bad.size(), 1, kWaitMs); }();
        if (ok.size() == 1) {
            if (ok.at(0).at(0).toULongLong() != id)
                return -2;
            return -1;
        }
        if (bad.at(0).at(0).toULongLong() != id)
            return -2;
        return int(bad.at(0).at(1).value<ReceiptPrinter::Failure>());
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
    }

    void init()
    {
        m_sim = std::make_unique<PrinterSimulator>();
        m_factoryThread = nullptr;
        m_factoryCalls = 0;
        makePrinter();
    }

    void cleanup()
    {
        m_printer.reset();  // joins the worker and closes the transport before the simulator goes
        m_sim.reset();
    }

    void print_readyPrinter_printsReceiptThatDecodesBack()
    {
        const Receipt r = sampleReceipt();
        QCOMPARE(printAndWait(r), -1);
        const auto out = EscPosDecoder::decode(m_sim->printedData());
        QVERIFY2(out.errors.isEmpty(), qPrintable(out.errors.join('\n')));
        QStringList lines = out.textLines();
        lines.removeAll(QString());
        QCOMPARE(lines, r.lines(Receipt::Layout{}));
        QVERIFY(lines.contains(QStringLiteral("评价结果：不满意")));
        QCOMPARE(out.qrPayloads(), QList<QByteArray>{r.followUpUrl});
        QCOMPARE(out.cuts, 1);
        QVERIFY(out.statusRequests.isEmpty());  // status requests are answered, not printed
        QCOMPARE(m_sim->statusRequestCount(), 8);  // DLE EOT 1..4 before and after the job
        QVERIFY(m_printer->status().readyToPrint());
    }

    void print_runsOnWorkerThread_callerGetsResultLater()
    {
        QSignalSpy ok(m_printer.get(), &ReceiptPrinter::printed);
        m_printer->print(sampleReceipt());
        QCOMPARE(ok.size(), 0);  // print() queued the job and returned
        QTRY_COMPARE_WITH_TIMEOUT(ok.size(), 1, kWaitMs);
        QVERIFY(m_factoryThread != nullptr);
        QVERIFY(m_factoryThread != QThread::currentThread());
    }

    void print_failureModes_reportReasonAndPrintNothing_data()
    {
        QTest::addColumn<PrinterSimulator::Mode>("mode");
        QTest::addColumn<ReceiptPrinter::Failure>("reason");
        QTest::newRow("paper out") << PrinterSimulator::Mode::PaperOut << ReceiptPrinter::Failure::PaperOut;
        QTest::newRow("cover open") << PrinterSimulator::Mode::CoverOpen << ReceiptPrinter::Failure::CoverOpen;
        QTest::newRow("offline") << PrinterSimulator::Mode::Offline << ReceiptPrinter::Failure::Offline;
        QTest::newRow("cutter error") << PrinterSimulator::Mode::CutterError << ReceiptPrinter::Failure::CutterError;
        QTest::newRow("no status reply") << PrinterSimulator::Mode::NoStatusReply << ReceiptPrinter::Failure::NoResponse;
        QTest::newRow("unplugged") << PrinterSimulator::Mode::Unplugged << ReceiptPrinter::Failure::Unplugged;
    }
    void print_failureModes_reportReasonAndPrintNothing()
    {
        QFETCH(PrinterSimulator::Mode, mode);
        QFETCH(ReceiptPrinter::Failure, reason);
        m_sim->setMode(mode);
        QCOMPARE(printAndWait(sampleReceipt()), int(reason));
        QVERIFY(m_sim->printedData().isEmpty());
    }

    void print_unidirectionalPrinterWithoutRequiredStatus_printsBlind()
    {
        m_sim->setMode(PrinterSimulator::Mode::NoStatusReply);
        m_printer->setRequireStatus(false);
        const Receipt r = sampleReceipt();
        QCOMPARE(printAndWait(r), -1);
        const auto out = EscPosDecoder::decode(m_sim->printedData());
        QCOMPARE(out.qrPayloads(), QList<QByteArray>{r.followUpUrl});
        QCOMPARE(out.cuts, 1);
        QVERIFY(!m_printer->status().valid);
    }

    void print_paperNearEnd_printsAndStatusReportsNearEnd()
    {
        m_sim->setMode(PrinterSimulator::Mode::PaperNearEnd);
        QSignalSpy st(m_printer.get(), &ReceiptPrinter::statusChanged);
        QCOMPARE(printAndWait(sampleReceipt()), -1);
        QVERIFY(!m_sim->printedData().isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(!st.isEmpty(), kWaitMs);
        QVERIFY(st.last().at(0).value<PrinterStatus>().paperNearEnd);
        QVERIFY(m_printer->status().paperNearEnd);
        QVERIFY(!m_printer->status().paperEnd);
    }

    void print_paperRunsOutMidReceipt_failsWithPaperOut()
    {
        m_sim->setPaperRunsOutAfter(60);
        QCOMPARE(printAndWait(sampleReceipt()), int(ReceiptPrinter::Failure::PaperOut));
        QVERIFY(m_printer->status().paperEnd);
        const auto out = EscPosDecoder::decode(m_sim->printedData());
        QCOMPARE(out.cuts, 0);  // the receipt never completed
    }

    void print_afterPaperRefilled_printsAgain()
    {
        m_sim->setMode(PrinterSimulator::Mode::PaperOut);
        QCOMPARE(printAndWait(sampleReceipt()), int(ReceiptPrinter::Failure::PaperOut));
        m_sim->setMode(PrinterSimulator::Mode::Ready);
        QCOMPARE(printAndWait(sampleReceipt()), -1);
        QCOMPARE(EscPosDecoder::decode(m_sim->printedData()).cuts, 1);
    }

    void print_unplugMidSessionThenReplug_reconnectsThroughFactory()
    {
        QCOMPARE(printAndWait(sampleReceipt()), -1);
        QCOMPARE(m_factoryCalls, 1);
        m_sim->setMode(PrinterSimulator::Mode::Unplugged);
        QCOMPARE(printAndWait(sampleReceipt()), int(ReceiptPrinter::Failure::Unplugged));
        m_sim->setMode(PrinterSimulator::Mode::Ready);
        QCOMPARE(printAndWait(sampleReceipt()), -1);
        QVERIFY(m_factoryCalls >= 2);  // the dead transport was dropped and a new one made
        QCOMPARE(EscPosDecoder::decode(m_sim->printedData()).cuts, 2);
    }

    void print_threeQueuedJobs_printInOrderWithDistinctIds()
    {
        QSignalSpy ok(m_printer.get(), &ReceiptPrinter::printed);
        QList<quint64> ids;
        for (int i = 0; i < 3; ++i) {
            Receipt r = sampleReceipt();
            r.evaluationNumber = QStringLiteral("PJ%1").arg(i);
            ids << m_printer->print(r);
        }
        QTRY_COMPARE_WITH_TIMEOUT(ok.size(), 3, kWaitMs);
        for (int i = 0; i < 3; ++i)
            QCOMPARE(ok.at(i).at(0).toULongLong(), ids.at(i));
        const QStringList lines = EscPosDecoder::decode(m_sim->printedData()).textLines();
        const qsizetype a = lines.indexOf(QStringLiteral("评价编号：PJ0"));
        const qsizetype b = lines.indexOf(QStringLiteral("评价编号：PJ1"));
        const qsizetype c = lines.indexOf(QStringLiteral("评价编号：PJ2"));
        QVERIFY(a >= 0 && a < b && b < c);
    }

    void refreshStatus_coverOpened_emitsStatusChanged()
    {
        QSignalSpy st(m_printer.get(), &ReceiptPrinter::statusChanged);
        m_printer->refreshStatus();
        QTRY_COMPARE_WITH_TIMEOUT(st.size(), 1, kWaitMs);
        QVERIFY(st.last().at(0).value<PrinterStatus>().readyToPrint());
        m_sim->setMode(PrinterSimulator::Mode::CoverOpen);
        m_printer->refreshStatus();
        QTRY_COMPARE_WITH_TIMEOUT(st.size(), 2, kWaitMs);
        QVERIFY(st.last().at(0).value<PrinterStatus>().coverOpen);
        QVERIFY(!m_printer->status().readyToPrint());
    }

    void refreshStatus_noReply_emitsStatusQueryFailed()
    {
        m_sim->setMode(PrinterSimulator::Mode::NoStatusReply);
        QSignalSpy bad(m_printer.get(), &ReceiptPrinter::statusQueryFailed);
        m_printer->refreshStatus();
        QTRY_COMPARE_WITH_TIMEOUT(bad.size(), 1, kWaitMs);
        QCOMPARE(bad.at(0).at(0).value<ReceiptPrinter::Failure>(), ReceiptPrinter::Failure::NoResponse);
    }

    void print_staleStatusByteWaiting_isDiscardedNotTakenAsReply()
    {
        // A late "offline, paper end" byte from an earlier timed-out request sits in the queue.
        m_printer = std::make_unique<ReceiptPrinter>([this] {
            auto t = m_sim->createTransport();
            static_cast<hcp::hardware::FakeTransport *>(t.get())->feedReceived(QByteArray(1, char(0x7E)));
            return t;
        });
        QCOMPARE(printAndWait(sampleReceipt()), -1);
        QVERIFY(m_printer->status().readyToPrint());
    }

    void print_invalidReceipt_failsWithoutTouchingPrinter()
    {
        Receipt::Layout layout;
        layout.qr = Receipt::Layout::Qr::Raster;
        m_printer->setLayout(layout);
        Receipt r = sampleReceipt();
        r.followUpUrl = QByteArray(3000, 'x');
        QCOMPARE(printAndWait(r), int(ReceiptPrinter::Failure::InvalidReceipt));
        QCOMPARE(m_sim->statusRequestCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestReceiptPrinter)
#include "tst_receiptprinter.moc"

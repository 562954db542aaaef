// SPDX-License-Identifier: Apache-2.0
// Literal byte vectors from reference/hardware-protocols.md §1.5 and §1.6.
#include "hardware/idcard/idcardsimulator.h"
#include "hardware/idcard/idcardtextcodec.h"
#include "hardware/idcard/samprotocol.h"

#include <QTest>

using namespace hcp::hardware;

namespace {
QByteArray hex(const char *s)
{
    return QByteArray::fromHex(QByteArray(s).replace(' ', ""));
}
} // namespace

class TestSamProtocol : public QObject {
    Q_OBJECT
private slots:
    void buildCommand_workedFrames_matchReference_data();
    void buildCommand_workedFrames_matchReference();
    void parseResponse_workedResponses_giveStatusAndData_data();
    void parseResponse_workedResponses_giveStatusAndData();
    void readFrame_syntheticPerson_is1295BytesWithChecksum51();
    void parseFrame_corruptedChecksum_reportsBadChecksum();
    void parseFrame_truncatedOrOversized_reportsIncompleteOrTrailing();
    void reassembler_oneByteChunks_yieldsEveryFrameIntact();
    void reassembler_garbageAndFalsePreambles_resyncsOnRealFrame();
    void reassembler_badChecksumFrame_reportsThenFindsNextFrame();
    void reassembler_preambleSplitAcrossChunks_isKept();
    void statusText_everyDocumentedCode_hasChineseAndEnglish();
    void simulator_badHostChecksum_answersSw3_10();
    void readPayload_withFingerprint_splitsThreeParts();
    void formatSamId_simulatorReply_givesDisplayForm();
};

void TestSamProtocol::buildCommand_workedFrames_matchReference_data()
{
    QTest::addColumn<int>("command");
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("reset SAM") << int(SamCommand::ResetSam) << QByteArray() << hex("AA AA AA 96 69 00 03 10 FF EC");
    QTest::newRow("SAM status") << int(SamCommand::SamStatus) << QByteArray() << hex("AA AA AA 96 69 00 03 11 FF ED");
    QTest::newRow("read SAM ID") << int(SamCommand::ReadSamId) << QByteArray() << hex("AA AA AA 96 69 00 03 12 FF EE");
    QTest::newRow("find card") << int(SamCommand::FindCard) << QByteArray() << hex("AA AA AA 96 69 00 03 20 01 22");
    QTest::newRow("select card") << int(SamCommand::SelectCard) << QByteArray() << hex("AA AA AA 96 69 00 03 20 02 21");
    QTest::newRow("read txt+photo") << int(SamCommand::ReadText) << QByteArray() << hex("AA AA AA 96 69 00 03 30 01 32");
    QTest::newRow("read new addr") << int(SamCommand::ReadNewAddress) << QByteArray() << hex("AA AA AA 96 69 00 03 30 03 30");
    QTest::newRow("read +finger") << int(SamCommand::ReadWithFingerprint) << QByteArray() << hex("AA AA AA 96 69 00 03 30 10 23");
    QTest::newRow("baud 115200") << int(SamCommand::SetBaud115200) << QByteArray() << hex("AA AA AA 96 69 00 03 60 00 63");
    QTest::newRow("baud 9600") << int(SamCommand::SetBaud9600) << QByteArray() << hex("AA AA AA 96 69 00 03 60 04 67");
    QTest::newRow("max RF 0x50") << int(SamCommand::SetMaxRfBytes) << hex("50") << hex("AA AA AA 96 69 00 04 61 FF 50 CA");
}

void TestSamProtocol::buildCommand_workedFrames_matchReference()
{
    QFETCH(int, command);
    QFETCH(QByteArray, data);
    QFETCH(QByteArray, expected);
    const QByteArray built = SamProtocol::buildCommand(SamCommand(command), data);
    QCOMPARE(built.toHex(' '), expected.toHex(' '));
    const auto req = SamProtocol::parseRequest(built);
    QVERIFY(req);
    QCOMPARE(int(req->cmd << 8 | req->para), command);
    QCOMPARE(req->data, data);
}

void TestSamProtocol::parseResponse_workedResponses_giveStatusAndData_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<int>("sw3");
    QTest::addColumn<QByteArray>("data");
    QTest::newRow("find OK") << hex("AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97") << 0x9F << hex("00 00 00 00");
    QTest::newRow("select OK") << hex("AA AA AA 96 69 00 0C 00 00 90 00 00 00 00 00 00 00 00 9C") << 0x90 << QByteArray(8, '\0');
    QTest::newRow("status OK") << hex("AA AA AA 96 69 00 04 00 00 90 94") << 0x90 << QByteArray();
    QTest::newRow("no card") << hex("AA AA AA 96 69 00 04 00 00 80 84") << 0x80 << QByteArray();
    QTest::newRow("select fail") << hex("AA AA AA 96 69 00 04 00 00 81 85") << 0x81 << QByteArray();
    QTest::newRow("read fail") << hex("AA AA AA 96 69 00 04 00 00 41 45") << 0x41 << QByteArray();
    QTest::newRow("SAM->card auth fail") << hex("AA AA AA 96 69 00 04 00 00 32 36") << 0x32 << QByteArray();
    QTest::newRow("bad checksum") << hex("AA AA AA 96 69 00 04 00 00 10 14") << 0x10 << QByteArray();
    QTest::newRow("bad length") << hex("AA AA AA 96 69 00 04 00 00 11 15") << 0x11 << QByteArray();
    QTest::newRow("bad command") << hex("AA AA AA 96 69 00 04 00 00 21 25") << 0x21 << QByteArray();
    QTest::newRow("empty item") << hex("AA AA AA 96 69 00 04 00 00 91 95") << 0x91 << QByteArray();
    QTest::newRow("not authorised") << hex("AA AA AA 96 69 00 04 00 00 66 62") << 0x66 << QByteArray();
}

void TestSamProtocol::parseResponse_workedResponses_giveStatusAndData()
{
    QFETCH(QByteArray, frame);
    QFETCH(int, sw3);
    QFETCH(QByteArray, data);
    SamProtocol::ParseError err;
    const auto r = SamProtocol::parseResponse(frame, &err);
    QCOMPARE(err, SamProtocol::ParseError::None);
    QVERIFY(r);
    QCOMPARE(r->sw1, quint8(0));
    QCOMPARE(r->sw2, quint8(0));
    QCOMPARE(int(r->sw3), sw3);
    QCOMPARE(r->data, data);
    // The builder produces the identical bytes.
    QCOMPARE(SamProtocol::buildResponse(0, 0, quint8(sw3), data).toHex(' '), frame.toHex(' '));
}

void TestSamProtocol::readFrame_syntheticPerson_is1295BytesWithChecksum51()
{
    // Built field by field from §1.6/§1.7, not via IdCardTextCodec, so the codec is checked too.
    auto utf16 = [](const QString &s, int bytes) {
        QByteArray b;
        for (QChar c : s) {
            b.append(char(c.unicode() & 0xFF));
            b.append(char(c.unicode() >> 8));
        }
        while (b.size() < bytes)
            b.append("\x20\x00", 2);
        return b;
    };
    QByteArray text;
    text += utf16(QStringLiteral("李华"), 30);
    text += utf16(QStringLiteral("2"), 2);
    text += utf16(QStringLiteral("01"), 4);
    text += utf16(QStringLiteral("19491231"), 16);
    text += utf16(QStringLiteral("北京市西城区示例路1号"), 70);
    text += utf16(QStringLiteral("11010519491231002X"), 36);
    text += utf16(QStringLiteral("北京市公安局西城分局"), 30);
    text += utf16(QStringLiteral("20150101"), 16);
    text += utf16(QStringLiteral("20350101"), 16);
    text += utf16(QString(), 36);
    QCOMPARE(text.size(), 256);
    QVERIFY(text.startsWith(hex("4E 67 4E 53 20 00 20 00")));
    QCOMPARE(text.mid(30, 2), hex("32 00"));
    QCOMPARE(text.mid(32, 4), hex("30 00 31 00"));
    QCOMPARE(text.mid(122, 36), hex("31 00 31 00 30 00 31 00 30 00 35 00 31 00 39 00 34 00 39 00 31 00 32 00 33 00 31 00 30 00 30 00 32 00 58 00"));

    QByteArray frame = hex("AA AA AA 96 69 05 08 00 00 90 01 00 04 00");
    frame += text;
    frame += QByteArray(1024, '\0');
    quint8 chk = 0;
    for (int i = 5; i < frame.size(); ++i)
        chk ^= quint8(frame[i]);
    frame.append(char(chk));
    QCOMPARE(frame.size(), 1295);
    QCOMPARE(int(quint8(frame.back())), 0x51);

    // Our builders produce the same frame.
    QCOMPARE(IdCardTextCodec::encode(IdCardSimulator::sampleResident()).toHex(), text.toHex());
    SamReadPayload p;
    p.text = text;
    p.photo = QByteArray(1024, '\0');
    QCOMPARE(SamProtocol::buildResponse(0, 0, 0x90, SamProtocol::buildReadPayload(p, false)), frame);

    // And the parser takes it apart again.
    const auto r = SamProtocol::parseResponse(frame);
    QVERIFY(r);
    QCOMPARE(r->sw3, quint8(0x90));
    const auto parts = SamProtocol::parseReadPayload(r->data, false);
    QVERIFY(parts);
    QCOMPARE(parts->text, text);
    QCOMPARE(parts->photo.size(), 1024);
    QVERIFY(parts->fingerprint.isEmpty());
    const auto card = IdCardTextCodec::parse(parts->text);
    QVERIFY(card);
    QCOMPARE(card->name, QStringLiteral("李华"));
    QCOMPARE(card->idNumber, QStringLiteral("11010519491231002X"));
}

void TestSamProtocol::parseFrame_corruptedChecksum_reportsBadChecksum()
{
    QByteArray f = hex("AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97");
    f[14] = char(0x98);
    SamProtocol::ParseError err;
    QVERIFY(!SamProtocol::parseResponse(f, &err));
    QCOMPARE(err, SamProtocol::ParseError::BadChecksum);
    f = hex("AA AA AA 96 69 00 08 00 00 9F 00 00 01 00 97");   // payload bit flip
    QVERIFY(!SamProtocol::parseResponse(f, &err));
    QCOMPARE(err, SamProtocol::ParseError::BadChecksum);
    // Reference §1.10: the libusb sample's "20 01 21" is wrong.
    QVERIFY(!SamProtocol::parseRequest(hex("AA AA AA 96 69 00 03 20 01 21"), &err));
    QCOMPARE(err, SamProtocol::ParseError::BadChecksum);
}

void TestSamProtocol::parseFrame_truncatedOrOversized_reportsIncompleteOrTrailing()
{
    const QByteArray f = hex("AA AA AA 96 69 00 04 00 00 90 94");
    SamProtocol::ParseError err;
    QVERIFY(!SamProtocol::parseResponse(f.left(10), &err));
    QCOMPARE(err, SamProtocol::ParseError::Incomplete);
    QVERIFY(!SamProtocol::parseResponse(f + '\0', &err));
    QCOMPARE(err, SamProtocol::ParseError::TrailingBytes);
    QVERIFY(!SamProtocol::parseResponse(hex("AB AA AA 96 69 00 04 00 00 90 94"), &err));
    QCOMPARE(err, SamProtocol::ParseError::BadPreamble);
    QVERIFY(!SamProtocol::parseResponse(hex("AA AA AA 96 69 FF FF 00"), &err));
    QCOMPARE(err, SamProtocol::ParseError::BadLength);
    // A command-sized frame is too short to be a response.
    QVERIFY(!SamProtocol::parseResponse(hex("AA AA AA 96 69 00 03 20 01 22"), &err));
    QCOMPARE(err, SamProtocol::ParseError::BadLength);
}

void TestSamProtocol::reassembler_oneByteChunks_yieldsEveryFrameIntact()
{
    const QByteArray a = hex("AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97");
    const QByteArray b = SamProtocol::buildResponse(0, 0, 0x90, QByteArray(1284, 'x'));
    const QByteArray c = hex("AA AA AA 96 69 00 04 00 00 80 84");
    const QByteArray stream = a + b + c;
    SamReassembler r;
    QList<QByteArray> frames;
    for (char ch : stream) {
        r.feed(QByteArray(1, ch));
        while (auto item = r.next()) {
            QCOMPARE(item->kind, SamReassembler::Kind::Frame);
            frames.append(item->frame);
        }
    }
    QCOMPARE(frames.size(), 3);
    QCOMPARE(frames[0], a);
    QCOMPARE(frames[1], b);
    QCOMPARE(frames[2], c);
    QCOMPARE(r.discardedBytes(), quint64(0));
    QCOMPARE(r.buffered(), qsizetype(0));
}

void TestSamProtocol::reassembler_garbageAndFalsePreambles_resyncsOnRealFrame()
{
    const QByteArray good = hex("AA AA AA 96 69 00 0C 00 00 90 00 00 00 00 00 00 00 00 9C");
    const QByteArray garbage = hex("00 FF AA 13 AA AA 96 AA AA AA 96 69 FF FF 55 AA AA AA AA");
    SamReassembler r;
    QList<QByteArray> frames;
    const QByteArray stream = garbage + good + garbage.left(5) + good;
    for (int chunk = 0; chunk < stream.size(); chunk += 3) {
        r.feed(stream.mid(chunk, 3));
        while (auto item = r.next()) {
            if (item->kind == SamReassembler::Kind::Frame)
                frames.append(item->frame);
        }
    }
    QCOMPARE(frames.size(), 2);
    QCOMPARE(frames[0], good);
    QCOMPARE(frames[1], good);
    QVERIFY(r.discardedBytes() >= quint64(garbage.size()));
}

void TestSamProtocol::reassembler_badChecksumFrame_reportsThenFindsNextFrame()
{
    QByteArray bad = hex("AA AA AA 96 69 00 04 00 00 90 95");
    const QByteArray good = hex("AA AA AA 96 69 00 04 00 00 80 84");
    SamReassembler r;
    r.feed(bad + good);
    auto first = r.next();
    QVERIFY(first);
    QCOMPARE(first->kind, SamReassembler::Kind::BadChecksum);
    auto second = r.next();
    QVERIFY(second);
    QCOMPARE(second->kind, SamReassembler::Kind::Frame);
    QCOMPARE(second->frame, good);
    QVERIFY(!r.next());
    QCOMPARE(r.checksumErrors(), quint64(1));
}

void TestSamProtocol::reassembler_preambleSplitAcrossChunks_isKept()
{
    const QByteArray good = hex("AA AA AA 96 69 00 04 00 00 90 94");
    SamReassembler r;
    r.feed(hex("12 34 AA AA"));
    QVERIFY(!r.next());
    QCOMPARE(r.buffered(), qsizetype(2));
    r.feed(good.mid(2));
    auto item = r.next();
    QVERIFY(item);
    QCOMPARE(item->frame, good);
}

void TestSamProtocol::statusText_everyDocumentedCode_hasChineseAndEnglish()
{
    const quint8 codes[] = {0x90, 0x91, 0x9F, 0x10, 0x11, 0x21, 0x23, 0x24, 0x31, 0x32,
                            0x33, 0x40, 0x41, 0x47, 0x60, 0x66, 0x80, 0x81};
    for (quint8 c : codes) {
        const QString t = SamProtocol::statusText(c);
        QVERIFY2(t.contains(QLatin1Char('(')) && !t.contains(QStringLiteral("unknown status")), qPrintable(t));
        bool hasHan = false;
        for (QChar ch : t)
            hasHan |= ch.unicode() >= 0x4E00 && ch.unicode() <= 0x9FFF;
        QVERIFY2(hasHan, qPrintable(t));
    }
    QVERIFY(SamProtocol::statusText(0x80).contains(QStringLiteral("no card")));
    QVERIFY(SamProtocol::statusText(0x42).contains(QStringLiteral("0x42")));
}

void TestSamProtocol::simulator_badHostChecksum_answersSw3_10()
{
    IdCardSimulator sim;
    QCOMPARE(sim.reply(hex("AA AA AA 96 69 00 03 20 01 21")).toHex(' '), hex("AA AA AA 96 69 00 04 00 00 10 14").toHex(' '));
    QCOMPARE(sim.reply(hex("AA AA AA 96 69 00 03 20 01 22")).toHex(' '), hex("AA AA AA 96 69 00 04 00 00 80 84").toHex(' '));
    QCOMPARE(sim.reply(hex("AA AA AA 96 69 00 03 77 01 75")).toHex(' '), hex("AA AA AA 96 69 00 04 00 00 21 25").toHex(' '));
    sim.insertCard(IdCardSimulator::sampleResident());
    QCOMPARE(sim.reply(SamProtocol::buildCommand(SamCommand::FindCard)).toHex(' '),
             hex("AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97").toHex(' '));
    QCOMPARE(sim.reply(SamProtocol::buildCommand(SamCommand::SelectCard)).toHex(' '),
             hex("AA AA AA 96 69 00 0C 00 00 90 00 00 00 00 00 00 00 00 9C").toHex(' '));
    const QByteArray read = sim.reply(SamProtocol::buildCommand(SamCommand::ReadText));
    QCOMPARE(read.size(), 1295);
    QCOMPARE(int(quint8(read.back())), 0x51);
}

void TestSamProtocol::readPayload_withFingerprint_splitsThreeParts()
{
    for (int fp : {0, 512, 1024}) {
        SamReadPayload p;
        p.text = QByteArray(256, ' ');
        p.photo = QByteArray(1024, 'p');
        p.fingerprint = QByteArray(fp, 'f');
        const QByteArray frame = SamProtocol::buildResponse(0, 0, 0x90, SamProtocol::buildReadPayload(p, true));
        QCOMPARE(frame.size(), 1297 + fp);
        QCOMPARE(int(quint8(frame[5]) << 8 | quint8(frame[6])), 0x050A + fp);
        const auto r = SamProtocol::parseResponse(frame);
        QVERIFY(r);
        const auto back = SamProtocol::parseReadPayload(r->data, true);
        QVERIFY(back);
        QCOMPARE(back->fingerprint.size(), fp);
        QVERIFY(!SamProtocol::parseReadPayload(r->data.chopped(1), true));
    }
}

void TestSamProtocol::formatSamId_simulatorReply_givesDisplayForm()
{
    IdCardSimulator sim;
    const QByteArray reply = sim.reply(hex("AA AA AA 96 69 00 03 12 FF EE"));
    QCOMPARE(reply.size(), 7 + 0x14);
    QCOMPARE(int(quint8(reply[5]) << 8 | quint8(reply[6])), 0x0014);
    const auto r = SamProtocol::parseResponse(reply);
    QVERIFY(r);
    QCOMPARE(r->sw3, quint8(0x90));
    QCOMPARE(SamProtocol::formatSamId(r->data), QStringLiteral("05.01-20260101-000000001-000000042"));
    QVERIFY(SamProtocol::formatSamId(r->data.left(15)).isEmpty());
}

QTEST_GUILESS_MAIN(TestSamProtocol)
#include "tst_samprotocol.moc"

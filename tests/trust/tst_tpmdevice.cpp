// SPDX-License-Identifier: Apache-2.0
// TpmDevice against a real software TPM (swtpm): the key cannot leave the TPM, the counter
// only goes forward, the identity survives a wiped disk.
#include "swtpmprocess.h"

#include "tpmattestation.h"
#include "tpmdevice.h"
#include "crypto.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using hcp::trust::TpmDevice;
using hcp::trust::test::SwtpmProcess;

class TstTpmDevice : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void sign_withTpmKey_verifiesInSoftwareOnlyForThatMessage();
    void keyBlob_afterTpmRestart_loadsTheSameKey();
    void keyBlob_copiedToSecondTpm_cannotBeLoadedOrSign();
    void keyBlob_tamperedAttributes_refused();
    void identity_afterWipingKeyBlob_staysTheSame_andDiffersBetweenTpms();
    void counter_acrossRestarts_onlyGoesForward();
    void counter_undefinedAndRedefinedByRoot_doesNotGoBack();
    void attestation_signedByTpm_verifiesAndAnyChangedFieldFails();
    void hmacKey_imported_matchesSoftwareHmac_andIsUselessOnAnotherTpm();
    void hmacKey_generated_sameAfterRestart();
    void open_unreachableTcti_fails();

private:
    std::unique_ptr<TpmDevice> openOrFail(SwtpmProcess &tpm);
    QTemporaryDir m_dir;
};

void TstTpmDevice::initTestCase()
{
    QVERIFY2(SwtpmProcess::available(), "swtpm is not installed (deploy/setup.sh installs it)");
    QVERIFY(m_dir.isValid());
}

std::unique_ptr<TpmDevice> TstTpmDevice::openOrFail(SwtpmProcess &tpm)
{
    QString error;
    auto device = TpmDevice::open(tpm.tcti(), &error);
    if (!device)
        qWarning().noquote() << "open failed:" << error << tpm.output();
    return device;
}

void TstTpmDevice::sign_withTpmKey_verifiesInSoftwareOnlyForThatMessage()
{
    SwtpmProcess tpm;
    QVERIFY(tpm.start(m_dir.filePath(QStringLiteral("sign-tpm"))));
    auto device = openOrFail(tpm);
    QVERIFY(device);
    QString error;
    QVERIFY2(device->loadOrCreateSigningKey(m_dir.filePath(QStringLiteral("sign.key")), &error), qPrintable(error));
    QCOMPARE(QFileInfo(m_dir.filePath(QStringLiteral("sign.key"))).permissions() & (QFile::ReadGroup | QFile::ReadOther),
             QFile::Permissions());
    const QByteArray message = "HCP-TPM-ATTEST-V1 counter=7";
    const auto signature = device->sign(message, &error);
    QVERIFY2(signature, qPrintable(error));
    QVERIFY(TpmDevice::verify(device->publicKeyDer(), message, *signature));
    QVERIFY(!TpmDevice::verify(device->publicKeyDer(), "HCP-TPM-ATTEST-V1 counter=8", *signature));
    QByteArray flipped = *signature;
    flipped[flipped.size() - 1] = char(flipped.back() ^ 1);
    QVERIFY(!TpmDevice::verify(device->publicKeyDer(), message, flipped));
    QCOMPARE(device->keyFingerprint().size(), 64);
}

void TstTpmDevice::keyBlob_afterTpmRestart_loadsTheSameKey()
{
    SwtpmProcess tpm;
    QVERIFY(tpm.start(m_dir.filePath(QStringLiteral("restart-tpm"))));
    const QString blob = m_dir.filePath(QStringLiteral("restart.key"));
    QByteArray firstKey;
    {
        auto device = openOrFail(tpm);
        QVERIFY(device);
        QVERIFY(device->loadOrCreateSigningKey(blob));
        firstKey = device->publicKeyDer();
    }
    QVERIFY(tpm.restart());
    auto device = openOrFail(tpm);
    QVERIFY(device);
    QString error;
    QVERIFY2(device->loadOrCreateSigningKey(blob, &error), qPrintable(error));
    QCOMPARE(device->publicKeyDer(), firstKey);
    const auto signature = device->sign("after restart");
    QVERIFY(signature && TpmDevice::verify(firstKey, "after restart", *signature));
}

// The clone attack: root copies everything the kiosk has on disk (the key blob) to a second
// machine. The blob is wrapped by the first TPM's storage key; the second TPM cannot load it.
void TstTpmDevice::keyBlob_copiedToSecondTpm_cannotBeLoadedOrSign()
{
    SwtpmProcess original;
    SwtpmProcess other;
    QVERIFY(original.start(m_dir.filePath(QStringLiteral("clone-a"))));
    QVERIFY(other.start(m_dir.filePath(QStringLiteral("clone-b"))));
    const QString blob = m_dir.filePath(QStringLiteral("clone-a.key"));
    const QString copied = m_dir.filePath(QStringLiteral("clone-b.key"));
    auto a = openOrFail(original);
    QVERIFY(a);
    QVERIFY(a->loadOrCreateSigningKey(blob));
    QVERIFY(QFile::copy(blob, copied));

    auto b = openOrFail(other);
    QVERIFY(b);
    QString error;
    QVERIFY(!b->loadOrCreateSigningKey(copied, &error));
    QVERIFY2(error.contains(QLatin1String("cannot load")), qPrintable(error));
    QVERIFY(!b->hasSigningKey());
    QVERIFY(!b->sign("forged"));
    // The blob was not replaced by a fresh key either.
    QFile f(copied);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QFile g(blob);
    QVERIFY(g.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), g.readAll());
}

// Root edits the blob's public area to drop fixedTPM (to make a key that could be duplicated):
// refused before the TPM is asked; and with the attribute check passed, the TPM's integrity
// check on the wrapped private part refuses any changed public area.
void TstTpmDevice::keyBlob_tamperedAttributes_refused()
{
    SwtpmProcess tpm;
    QVERIFY(tpm.start(m_dir.filePath(QStringLiteral("tamper-tpm"))));
    auto device = openOrFail(tpm);
    QVERIFY(device);
    const QString blob = m_dir.filePath(QStringLiteral("tamper.key"));
    QVERIFY(device->loadOrCreateSigningKey(blob));
    QFile f(blob);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray original = f.readAll();
    f.close();
    int refused = 0;
    // Flip one byte at a time across the public area (after magic and its 2-byte size).
    for (int at = 17; at < 17 + 40; ++at) {
        QByteArray changed = original;
        changed[at] = char(changed[at] ^ 0x01);
        const QString path = m_dir.filePath(QStringLiteral("tamper-%1.key").arg(at));
        QFile out(path);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(changed);
        out.close();
        auto fresh = openOrFail(tpm);
        QVERIFY(fresh);
        if (!fresh->loadOrCreateSigningKey(path))
            ++refused;
        else
            QCOMPARE(fresh->publicKeyDer(), device->publicKeyDer()); // loaded only if unchanged
    }
    QCOMPARE(refused, 40);
}

void TstTpmDevice::identity_afterWipingKeyBlob_staysTheSame_andDiffersBetweenTpms()
{
    SwtpmProcess a;
    SwtpmProcess b;
    QVERIFY(a.start(m_dir.filePath(QStringLiteral("id-a"))));
    QVERIFY(b.start(m_dir.filePath(QStringLiteral("id-b"))));
    QString identity;
    QByteArray firstKey;
    {
        auto device = openOrFail(a);
        QVERIFY(device);
        identity = device->identity();
        QCOMPARE(identity.size(), 64);
        QVERIFY(device->loadOrCreateSigningKey(m_dir.filePath(QStringLiteral("id-a.key"))));
        firstKey = device->publicKeyDer();
    }
    // Wipe: the key blob is gone, the kiosk makes a new key; the TPM is still recognised.
    QVERIFY(QFile::remove(m_dir.filePath(QStringLiteral("id-a.key"))));
    QVERIFY(a.restart());
    auto again = openOrFail(a);
    QVERIFY(again);
    QVERIFY(again->loadOrCreateSigningKey(m_dir.filePath(QStringLiteral("id-a.key"))));
    QVERIFY(again->publicKeyDer() != firstKey);
    QCOMPARE(again->identity(), identity);
    auto other = openOrFail(b);
    QVERIFY(other);
    QVERIFY(other->identity() != identity);
}

void TstTpmDevice::counter_acrossRestarts_onlyGoesForward()
{
    SwtpmProcess tpm;
    QVERIFY(tpm.start(m_dir.filePath(QStringLiteral("counter-tpm"))));
    quint64 last = 0;
    for (int round = 0; round < 3; ++round) {
        auto device = openOrFail(tpm);
        QVERIFY(device);
        QString error;
        QVERIFY2(device->ensureCounter(TpmDevice::kDefaultCounterIndex, &error), qPrintable(error));
        const auto start = device->readCounter(&error);
        QVERIFY2(start, qPrintable(error));
        QVERIFY(*start >= last);
        for (int i = 0; i < 5; ++i) {
            const auto next = device->incrementCounter(&error);
            QVERIFY2(next, qPrintable(error));
            QVERIFY(*next > *start + quint64(i));
            last = *next;
        }
        device.reset();
        QVERIFY(tpm.restart());
    }
    QVERIFY(last >= 15);
}

// Root on the kiosk owns the TPM's owner hierarchy (empty owner password) and can delete the
// counter and define it again; the TPM starts the new counter at the highest value it ever had.
void TstTpmDevice::counter_undefinedAndRedefinedByRoot_doesNotGoBack()
{
    SwtpmProcess tpm;
    QVERIFY(tpm.start(m_dir.filePath(QStringLiteral("undefine-tpm"))));
    quint64 before = 0;
    {
        auto device = openOrFail(tpm);
        QVERIFY(device);
        QVERIFY(device->ensureCounter());
        for (int i = 0; i < 10; ++i)
            QVERIFY(device->incrementCounter());
        before = *device->readCounter();
    }
    QProcess undefine;
    undefine.start(QStringLiteral("tpm2_nvundefine"),
                   {QStringLiteral("-T"), QStringLiteral("swtpm:host=127.0.0.1,port=%1").arg(tpm.port()),
                    QStringLiteral("0x%1").arg(TpmDevice::kDefaultCounterIndex, 8, 16, QLatin1Char('0'))});
    QVERIFY(undefine.waitForFinished(20000));
    QVERIFY2(undefine.exitCode() == 0, undefine.readAllStandardError().constData());
    auto device = openOrFail(tpm);
    QVERIFY(device);
    QString error;
    QVERIFY2(device->ensureCounter(TpmDevice::kDefaultCounterIndex, &error), qPrintable(error));
    const auto after = device->readCounter();
    QVERIFY(after);
    qInfo() << "counter before undefine" << before << "after redefine" << *after;
    QVERIFY(*after >= before);
}

void TstTpmDevice::attestation_signedByTpm_verifiesAndAnyChangedFieldFails()
{
    SwtpmProcess tpm;
    QVERIFY(tpm.start(m_dir.filePath(QStringLiteral("attest-tpm"))));
    auto device = openOrFail(tpm);
    QVERIFY(device);
    QVERIFY(device->loadOrCreateSigningKey(m_dir.filePath(QStringLiteral("attest.key"))));
    QVERIFY(device->ensureCounter());
    hcp::trust::TpmAttestation a;
    a.deviceId = QStringLiteral("KIOSK-1");
    a.tpmId = device->identity();
    a.publicKeyDer = device->publicKeyDer();
    a.counter = *device->incrementCounter();
    a.head = {12, QByteArray(32, '\x5a')};
    a.timeMs = 1'700'000'000'000;
    a.signature = *device->sign(a.signingInput());
    QVERIFY(a.verify());
    const auto parsed = hcp::trust::TpmAttestation::fromJson(a.toJson(), a.deviceId);
    QVERIFY(parsed && parsed->verify());
    QVERIFY(!hcp::trust::TpmAttestation::fromJson(a.toJson(), QStringLiteral("KIOSK-2"))->verify());
    auto changed = a;
    changed.counter -= 1;
    QVERIFY(!changed.verify());
    changed = a;
    changed.head.deviceSeq = 11;
    QVERIFY(!changed.verify());
    changed = a;
    changed.tpmId = QString(64, QLatin1Char('0'));
    QVERIFY(!changed.verify());
    // An SM2 software key is not accepted as the TPM key even if it signed the bytes.
    const auto sm2 = hcp::trust::Key::generate(hcp::trust::KeyType::Sm2);
    changed = a;
    changed.publicKeyDer = sm2.publicDer();
    changed.signature = *hcp::trust::Crypto::sign(sm2, a.signingInput());
    QVERIFY(!changed.verify());
    QJsonObject broken = a.toJson();
    broken.remove(QStringLiteral("sig"));
    QVERIFY(!hcp::trust::TpmAttestation::fromJson(broken, a.deviceId));
}

// The ID-hash key provisioned into the TPM: the kiosk computes the same keyed hash as software
// with the key would, but a copy of its disk (blob included) computes nothing elsewhere.
void TstTpmDevice::hmacKey_imported_matchesSoftwareHmac_andIsUselessOnAnotherTpm()
{
    SwtpmProcess tpm;
    SwtpmProcess other;
    QVERIFY(tpm.start(m_dir.filePath(QStringLiteral("hmac-a"))));
    QVERIFY(other.start(m_dir.filePath(QStringLiteral("hmac-b"))));
    const QByteArray hubKey = hcp::trust::Crypto::randomBytes(32);
    const QString blob = m_dir.filePath(QStringLiteral("hmac-a.key"));
    auto device = openOrFail(tpm);
    QVERIFY(device);
    QString error;
    QVERIFY2(device->loadOrCreateHmacKey(blob, hubKey, &error), qPrintable(error));
    const QByteArray id = "11010519491231002X";
    const auto mac = device->hmacSha256(id, &error);
    QVERIFY2(mac, qPrintable(error));
    QCOMPARE(*mac, hcp::trust::Crypto::hmacSha256(hubKey, id));
    QVERIFY(*device->hmacSha256("110105194912310036") != *mac);
    QFile f(blob);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QVERIFY(!f.readAll().contains(hubKey)); // only wrapped by the TPM
    const QString copied = m_dir.filePath(QStringLiteral("hmac-b.key"));
    QVERIFY(QFile::copy(blob, copied));
    auto b = openOrFail(other);
    QVERIFY(b);
    QVERIFY(!b->loadOrCreateHmacKey(copied, {}, &error));
    QVERIFY(!b->hmacSha256(id));
    QVERIFY(!device->hmacSha256(QByteArray(1025, 'x'))); // over TPM2B_MAX_BUFFER
}

void TstTpmDevice::hmacKey_generated_sameAfterRestart()
{
    SwtpmProcess tpm;
    QVERIFY(tpm.start(m_dir.filePath(QStringLiteral("hmac-gen"))));
    const QString blob = m_dir.filePath(QStringLiteral("hmac-gen.key"));
    QByteArray first;
    {
        auto device = openOrFail(tpm);
        QVERIFY(device);
        QVERIFY(device->loadOrCreateHmacKey(blob));
        first = *device->hmacSha256("receipt 42");
        QCOMPARE(first.size(), 32);
    }
    QVERIFY(tpm.restart());
    auto device = openOrFail(tpm);
    QVERIFY(device);
    QVERIFY(device->loadOrCreateHmacKey(blob));
    QCOMPARE(*device->hmacSha256("receipt 42"), first);
    // A signing-key call on the HMAC blob is refused (kind checked before use).
    QVERIFY(!device->loadOrCreateSigningKey(blob));
}

void TstTpmDevice::open_unreachableTcti_fails()
{
    QTcpServer closed;
    QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
    const quint16 port = closed.serverPort();
    closed.close();
    QString error;
    QVERIFY(!TpmDevice::open(QStringLiteral("swtpm:host=127.0.0.1,port=%1").arg(port), &error));
    QVERIFY(!error.isEmpty());
}

QTEST_GUILESS_MAIN(TstTpmDevice)
#include "tst_tpmdevice.moc"

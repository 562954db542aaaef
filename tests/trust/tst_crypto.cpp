// SPDX-License-Identifier: Apache-2.0
// Known-answer and behaviour tests of hcp::trust::Crypto / Key, all through the wrapper.
#include "crypto.h"

#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace hcp::trust;

namespace {

QByteArray unhex(const char *spaced)
{
    return QByteArray::fromHex(QByteArray(spaced).replace(' ', ""));
}

// GM/T 0003.5-2012 (= GB/T 32918.5-2017) Annex A: signature example on the recommended curve.
const char *kAnnexAPubX = "09F9DF31 1E5421A1 50DD7D16 1E4BC5C6 72179FAD 1833FC07 6BB08FF3 56F35020";
const char *kAnnexAPubY = "CCEA490C E26775A5 2DC6EA71 8CC1AA60 0AED05FB F35E084A 6632F607 2DA9AD13";
const char *kAnnexAZa = "B2E14C5C 79C6DF5B 85F4FE7E D8DB7A26 2B9DA7E0 7CCB0EA9 F4747B8C CDA8A4F3";
const char *kAnnexAE = "F0B43E94 BA45ACCA ACE692ED 534382EB 17E6AB5A 19CE7B31 F4486FDF C0D28640";
const char *kAnnexAR = "F5A03B06 48D2C463 0EEAC513 E1BB81A1 5944DA38 27D5B741 43AC7EAC EEE720B3";
const char *kAnnexAS = "B1B6AA29 DF212FD8 763182BC 0D421CA1 BB9038FD 1F7F42D4 840B69C4 85BBC1AA";
const QByteArray kAnnexAMessage = "message digest";

// SM2 recommended curve parameters (GB/T 32918.5), needed to recompute Z_A.
const char *kCurveA = "FFFFFFFE FFFFFFFF FFFFFFFF FFFFFFFF FFFFFFFF 00000000 FFFFFFFF FFFFFFFC";
const char *kCurveB = "28E9FA9E 9D9F5E34 4D5A9E4B CF6509A7 F39789F5 15AB8F92 DDBCBD41 4D940E93";
const char *kCurveGx = "32C4AE2C 1F198119 5F990446 6A39C994 8FE30BBF F2660BE1 715A4589 334C74C7";
const char *kCurveGy = "BC3736A2 F4F6779C 59BDCEE3 6B692153 D0A9877C C62A4740 02DF32E5 2139F0A0";

Key annexAPublicKey()
{
    QString error;
    Key key = Key::sm2PublicFromPoint(QByteArray("\x04", 1) + unhex(kAnnexAPubX) + unhex(kAnnexAPubY), &error);
    if (key.isNull())
        qWarning() << error;
    return key;
}

QByteArray pemOf(const char *label, const QByteArray &der)
{
    QByteArray pem = QByteArray("-----BEGIN ") + label + "-----\n";
    const QByteArray b64 = der.toBase64();
    for (qsizetype i = 0; i < b64.size(); i += 64)
        pem += b64.mid(i, 64) + '\n';
    return pem + "-----END " + label + "-----\n";
}

} // namespace

class TestCrypto : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void sm3_abc_matchesGbT32905()
    {
        QCOMPARE(Crypto::sm3("abc").toHex(),
                 QByteArray("66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"));
    }

    void sm3_sixtyFourBytes_matchesGbT32905()
    {
        QCOMPARE(Crypto::sm3(QByteArray("abcd").repeated(16)).toHex(),
                 QByteArray("debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"));
    }

    void sm4_standardBlock_matchesGbT32907()
    {
        const QByteArray key = unhex("0123456789abcdeffedcba9876543210");
        // One block of CBC with a zero IV is the bare block cipher.
        const auto cipher = Crypto::sm4CbcEncrypt(key, QByteArray(16, '\0'), key, Crypto::Padding::None);
        QVERIFY(cipher);
        QCOMPARE(cipher->toHex(), QByteArray("681edf34d206965e86b3e94f536e4246"));
        const auto plain = Crypto::sm4CbcDecrypt(key, QByteArray(16, '\0'), *cipher, Crypto::Padding::None);
        QVERIFY(plain);
        QCOMPARE(*plain, key);
    }

    void sm4_millionIterations_matchesGbT32907()
    {
        // CBC over P || 0…0 with a zero IV encrypts the previous output again for each zero
        // block, so the last block is E^1000000(P), the standard's second example.
        const QByteArray key = unhex("0123456789abcdeffedcba9876543210");
        const QByteArray input = key + QByteArray(16 * 999'999, '\0');
        const auto cipher = Crypto::sm4CbcEncrypt(key, QByteArray(16, '\0'), input, Crypto::Padding::None);
        QVERIFY(cipher);
        QCOMPARE(cipher->right(16).toHex(), QByteArray("595298c7c6fd271f0402f804c33d3f66"));
    }

    void sm4Cbc_wrongKeyLength_isRefused()
    {
        QString error;
        QVERIFY(!Crypto::sm4CbcEncrypt("short", QByteArray(16, '\0'), "x", Crypto::Padding::Pkcs7, &error));
        QVERIFY(!error.isEmpty());
    }

    void hmacSha256_rfc4231Case2_matches()
    {
        QCOMPARE(Crypto::hmacSha256("Jefe", "what do ya want for nothing?").toHex(),
                 QByteArray("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"));
    }

    void hmacSm3_equalsRfc2104ConstructionOverSm3()
    {
        const QByteArray key = "hub-provided lookup key";
        const QByteArray data = "11010519491231002X";
        QByteArray k = key.leftJustified(64, '\0');
        QByteArray ipad = k, opad = k;
        for (int i = 0; i < 64; ++i) {
            ipad[i] = char(ipad[i] ^ 0x36);
            opad[i] = char(opad[i] ^ 0x5c);
        }
        const QByteArray expected = Crypto::sm3(opad + Crypto::sm3(ipad + data));
        QCOMPARE(Crypto::hmacSm3(key, data), expected);
        QVERIFY(Crypto::hmacSm3("other key", data) != expected);
    }

    void pbkdf2Sha256_rfc7914Vector_matches()
    {
        QCOMPARE(Crypto::pbkdf2Sha256("passwd", "salt", 1, 64).toHex(),
                 QByteArray("55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
                            "49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783"));
    }

    void sm2_annexA_zaAndDigestMatchTheStandard()
    {
        // Z_A = SM3(ENTL_A || ID_A || a || b || xG || yG || xA || yA), e = SM3(Z_A || M).
        const QByteArray id = "1234567812345678";
        const QByteArray entl("\x00\x80", 2); // 128 bits
        const QByteArray za = Crypto::sm3(entl + id + unhex(kCurveA) + unhex(kCurveB) + unhex(kCurveGx)
                                          + unhex(kCurveGy) + unhex(kAnnexAPubX) + unhex(kAnnexAPubY));
        QCOMPARE(za, unhex(kAnnexAZa));
        QCOMPARE(Crypto::sm3(za + kAnnexAMessage), unhex(kAnnexAE));
    }

    void sm2_annexASignature_verifies()
    {
        const Key key = annexAPublicKey();
        QVERIFY(!key.isNull());
        QCOMPARE(key.type(), KeyType::Sm2);
        const QByteArray der = Crypto::sm2SignatureFromRs(unhex(kAnnexAR), unhex(kAnnexAS));
        QVERIFY(!der.isEmpty());
        QVERIFY(Crypto::verify(key, kAnnexAMessage, der));
        const auto rs = Crypto::sm2SignatureToRs(der);
        QVERIFY(rs);
        QCOMPARE(rs->first, unhex(kAnnexAR));
        QCOMPARE(rs->second, unhex(kAnnexAS));
    }

    void sm2_annexASignature_tamperedInputs_areRejected()
    {
        const Key key = annexAPublicKey();
        const QByteArray der = Crypto::sm2SignatureFromRs(unhex(kAnnexAR), unhex(kAnnexAS));
        QVERIFY(!Crypto::verify(key, "message digesT", der));
        QByteArray s = unhex(kAnnexAS);
        s[31] = char(s[31] ^ 1);
        QVERIFY(!Crypto::verify(key, kAnnexAMessage, Crypto::sm2SignatureFromRs(unhex(kAnnexAR), s)));
        QVERIFY(!Crypto::verify(key, kAnnexAMessage, der, "ALICE123@YAHOO.COM"));
    }

    void sm2_pointOffCurve_isRefused()
    {
        QByteArray y = unhex(kAnnexAPubY);
        y[31] = char(y[31] ^ 1);
        QString error;
        QVERIFY(Key::sm2PublicFromPoint(QByteArray("\x04", 1) + unhex(kAnnexAPubX) + y, &error).isNull());
        QVERIFY(!error.isEmpty());
    }

    void sm2_signThenVerify_roundTripsAndRejectsTampering()
    {
        const Key key = Key::generate(KeyType::Sm2);
        QVERIFY(!key.isNull());
        const QByteArray message = "evaluation 1 satisfaction 5";
        const auto sig = Crypto::sign(key, message);
        QVERIFY(sig);
        QVERIFY(Crypto::sm2SignatureToRs(*sig));
        QVERIFY(Crypto::verify(key.publicOnly(), message, *sig));
        QVERIFY(!Crypto::verify(key, "evaluation 1 satisfaction 1", *sig));
        QVERIFY(!Crypto::verify(Key::generate(KeyType::Sm2), message, *sig));
        QVERIFY(!Crypto::sign(key.publicOnly(), message)); // no private part
    }

    void ed25519_rfc8032Test1_signsDeterministically()
    {
        const QByteArray seed = unhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
        const QByteArray pub = unhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
        const Key priv = Key::fromPem(pemOf("PRIVATE KEY", unhex("302e020100300506032b657004220420") + seed));
        const Key pubKey = Key::fromPem(pemOf("PUBLIC KEY", unhex("302a300506032b6570032100") + pub));
        QVERIFY(!priv.isNull());
        QVERIFY(!pubKey.isNull());
        QCOMPARE(priv.type(), KeyType::Ed25519);
        QCOMPARE(priv.publicDer(), pubKey.publicDer());
        const auto sig = Crypto::sign(priv, QByteArray());
        QVERIFY(sig);
        QCOMPARE(sig->toHex(), QByteArray("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
                                          "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"));
        QVERIFY(Crypto::verify(pubKey, QByteArray(), *sig));
        QVERIFY(!Crypto::verify(pubKey, "x", *sig));
    }

    void pem_roundTrip_keepsKeyTypeAndSignatures_data()
    {
        QTest::addColumn<KeyType>("type");
        QTest::newRow("sm2") << KeyType::Sm2;
        QTest::newRow("ed25519") << KeyType::Ed25519;
    }

    void pem_roundTrip_keepsKeyTypeAndSignatures()
    {
        QFETCH(KeyType, type);
        const Key key = Key::generate(type);
        const QByteArray privPem = key.privatePem();
        QVERIFY(privPem.startsWith("-----BEGIN PRIVATE KEY-----"));
        const Key loaded = Key::fromPem(privPem);
        QVERIFY(!loaded.isNull());
        QVERIFY(loaded.hasPrivate());
        QCOMPARE(loaded.type(), type);
        QCOMPARE(loaded.publicDer(), key.publicDer());
        const Key pub = Key::fromPem(key.publicPem());
        QVERIFY(!pub.hasPrivate());
        QCOMPARE(pub.type(), type);
        const auto sig = Crypto::sign(loaded, "abc");
        QVERIFY(sig);
        QVERIFY(Crypto::verify(pub, "abc", *sig));
        QVERIFY(Crypto::verify(key, "abc", *sig));
    }

    void pem_ecKeyOnSm2CurveFromOpensslCli_signsAsSm2()
    {
        // Synthetic test key made with `openssl ecparam -name SM2 -genkey`: PKCS#8 with
        // id-ecPublicKey and the SM2 curve, as other tools write SM2 keys.
        const QByteArray pem =
            "-----BEGIN PRIVATE KEY-----\n"
            "MIGHAgEAMBMGByqGSM49AgEGCCqBHM9VAYItBG0wawIBAQQg+hDHRVwyO7YFl+jU\n"
            "3Y/6ijk6/jWAB9XLPu57GoNuly2hRANCAASgg1ssqeL9FCzgPRE3q/QuWL5sfQn9\n"
            "XaSoXMqrQ4Z/Q7d5pdDgQ6eP90YbiAAaOuZSP/+pcypsL1WxS9TH3LqG\n"
            "-----END PRIVATE KEY-----\n";
        const Key key = Key::fromPem(pem);
        QVERIFY(!key.isNull());
        QCOMPARE(key.type(), KeyType::Sm2);
        const Key point = Key::sm2PublicFromPoint(unhex(
            "04a0835b2ca9e2fd142ce03d1137abf42e58be6c7d09fd5da4a85ccaab43867f43"
            "b779a5d0e043a78ff7461b88001a3ae6523fffa9732a6c2f55b14bd4c7dcba86"));
        QVERIFY(!point.isNull());
        const auto sig = Crypto::sign(key, "abc");
        QVERIFY(sig);
        // Verifying through the SM2 key manager proves the signature is SM2 (Z_A + SM3),
        // not ECDSA on the same curve.
        QVERIFY(Crypto::verify(point, "abc", *sig));
        QVERIFY(!Crypto::verify(point, "abc", *sig, "ALICE123@YAHOO.COM"));
    }

    void pem_garbageOrForeignKey_isRefused()
    {
        QString error;
        QVERIFY(Key::fromPem("not a key", &error).isNull());
        QVERIFY(!error.isEmpty());
        // A P-256 ECDSA key is not an accepted device key type.
        const QByteArray p256 =
            "-----BEGIN PUBLIC KEY-----\n"
            "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEEVs/o5+uQbTjL3chynL4wXgUg2R9\n"
            "q9UU8I5mEovUf86QZ7kOBIjJwqnzD1omageEHWwHdBO6B+dFabmdT9POxg==\n"
            "-----END PUBLIC KEY-----\n";
        error.clear();
        QVERIFY(Key::fromPem(p256, &error).isNull());
        QVERIFY2(error.contains(QLatin1String("unsupported")), qPrintable(error));
    }

    void sm2Encrypt_roundTripsAndFailsWithWrongKeyOrTampering()
    {
        const Key hub = Key::generate(KeyType::Sm2);
        const QByteArray plain = "11010519491231002X";
        const auto cipher = Crypto::sm2Encrypt(hub.publicOnly(), plain);
        QVERIFY(cipher);
        QVERIFY(!cipher->contains(plain));
        const auto back = Crypto::sm2Decrypt(hub, *cipher);
        QVERIFY(back);
        QCOMPARE(*back, plain);
        QVERIFY(!Crypto::sm2Decrypt(Key::generate(KeyType::Sm2), *cipher));
        QByteArray tampered = *cipher;
        tampered[tampered.size() - 1] = char(tampered[tampered.size() - 1] ^ 0x01);
        QVERIFY(!Crypto::sm2Decrypt(hub, tampered));
        QVERIFY(!Crypto::sm2Encrypt(Key::generate(KeyType::Ed25519), plain));
    }

    void sm4Seal_roundTripsAndDetectsTampering()
    {
        const QByteArray key = Crypto::randomBytes(32);
        const QByteArray plain = "certKey=11010519491231002X";
        const auto sealed = Crypto::sm4Seal(key, plain, "record-uuid");
        QVERIFY(sealed);
        QCOMPARE(sealed->size(), 16 + 32 + 32);
        const auto opened = Crypto::sm4Open(key, *sealed, "record-uuid");
        QVERIFY(opened);
        QCOMPARE(*opened, plain);
        QVERIFY(!Crypto::sm4Open(key, *sealed, "other-uuid"));
        for (int pos : {0, 20, int(sealed->size()) - 1}) {
            QByteArray t = *sealed;
            t[pos] = char(t[pos] ^ 0x80);
            QVERIFY2(!Crypto::sm4Open(key, t, "record-uuid"), qPrintable(QString::number(pos)));
        }
        QVERIFY(*Crypto::sm4Seal(key, plain) != *Crypto::sm4Seal(key, plain)); // fresh IV
    }

    void writePrivateFile_createsMode0600AndRefusesOverwrite()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("device.key"));
        QVERIFY(Crypto::writePrivateFile(path, "secret-1", false));
        struct stat st {};
        QCOMPARE(::stat(QFile::encodeName(path).constData(), &st), 0);
        QCOMPARE(int(st.st_mode & 07777), 0600);
        QString error;
        QVERIFY(!Crypto::writePrivateFile(path, "secret-2", false, &error));
        QVERIFY(!error.isEmpty());
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), QByteArray("secret-1"));
        f.close();
        QVERIFY(Crypto::writePrivateFile(path, "secret-3", true));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), QByteArray("secret-3"));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 1); // no temp files left
    }

    void constantTimeEquals_comparesContentAndLength()
    {
        QVERIFY(Crypto::constantTimeEquals("abc", "abc"));
        QVERIFY(!Crypto::constantTimeEquals("abc", "abd"));
        QVERIFY(!Crypto::constantTimeEquals("abc", "abcd"));
    }
};

QTEST_GUILESS_MAIN(TestCrypto)
#include "tst_crypto.moc"

// SPDX-License-Identifier: Apache-2.0
#include "deviceidentity.h"

#include <QDir>
#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace hcp::trust;

namespace {

int modeOf(const QString &path)
{
    struct stat st {};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return -1;
    return int(st.st_mode & 07777);
}

} // namespace

class TestDeviceIdentity : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init()
    {
        m_dir.reset(new QTemporaryDir);
        QVERIFY(m_dir->isValid());
        m_keyPath = m_dir->filePath(QStringLiteral("etc/device.key"));
        m_dataDir = m_dir->filePath(QStringLiteral("var/data"));
        QVERIFY(QDir().mkpath(QFileInfo(m_keyPath).absolutePath()));
        QVERIFY(QDir().mkpath(m_dataDir));
    }

    void create_sm2ByDefault_writesMode0600AndLoadsTheSameKey()
    {
        QString error;
        const auto created = DeviceIdentity::create(m_keyPath, KeyType::Sm2, m_dataDir, &error);
        QVERIFY2(created, qPrintable(error));
        QCOMPARE(created->type(), KeyType::Sm2);
        QCOMPARE(modeOf(m_keyPath), 0600);
        QCOMPARE(created->fingerprint().size(), 64);
        QCOMPARE(created->fingerprint(), QString::fromLatin1(Crypto::sm3(created->key().publicDer()).toHex()));
        const auto loaded = DeviceIdentity::load(m_keyPath, m_dataDir, &error);
        QVERIFY2(loaded, qPrintable(error));
        QCOMPARE(loaded->fingerprint(), created->fingerprint());
        QCOMPARE(loaded->type(), KeyType::Sm2);
        QVERIFY(loaded->publicKeyPem().startsWith("-----BEGIN PUBLIC KEY-----"));
    }

    void create_ed25519Selected_loadsAsEd25519()
    {
        QVERIFY(DeviceIdentity::create(m_keyPath, KeyType::Ed25519));
        const auto loaded = DeviceIdentity::load(m_keyPath);
        QVERIFY(loaded);
        QCOMPARE(loaded->type(), KeyType::Ed25519);
    }

    void create_existingKey_isNeverReplaced()
    {
        const auto first = DeviceIdentity::create(m_keyPath);
        QVERIFY(first);
        QString error;
        QVERIFY(!DeviceIdentity::create(m_keyPath, KeyType::Sm2, {}, &error));
        QVERIFY(!error.isEmpty());
        QCOMPARE(DeviceIdentity::load(m_keyPath)->fingerprint(), first->fingerprint());
    }

    void loadOrCreate_secondStart_keepsTheIdentity()
    {
        const auto a = DeviceIdentity::loadOrCreate(m_keyPath, KeyType::Sm2, m_dataDir);
        const auto b = DeviceIdentity::loadOrCreate(m_keyPath, KeyType::Ed25519, m_dataDir);
        QVERIFY(a);
        QVERIFY(b);
        QCOMPARE(b->fingerprint(), a->fingerprint());
        QCOMPARE(b->type(), KeyType::Sm2);
    }

    void load_groupOrWorldAccessibleKey_isRefused_data()
    {
        QTest::addColumn<int>("mode");
        QTest::newRow("0640") << 0640;
        QTest::newRow("0604") << 0604;
        QTest::newRow("0620") << 0620;
        QTest::newRow("0644") << 0644;
    }

    void load_groupOrWorldAccessibleKey_isRefused()
    {
        QFETCH(int, mode);
        QVERIFY(DeviceIdentity::create(m_keyPath));
        QCOMPARE(::chmod(QFile::encodeName(m_keyPath).constData(), mode_t(mode)), 0);
        QString error;
        QVERIFY(!DeviceIdentity::load(m_keyPath, {}, &error));
        QVERIFY2(error.contains(QLatin1String("0600")), qPrintable(error));
        QVERIFY(!DeviceIdentity::loadOrCreate(m_keyPath)); // never silently replaced either
        QCOMPARE(::chmod(QFile::encodeName(m_keyPath).constData(), 0600), 0);
        QVERIFY(DeviceIdentity::load(m_keyPath));
    }

    void load_symlinkToKey_isRefused()
    {
        QVERIFY(DeviceIdentity::create(m_keyPath));
        const QString link = m_dir->filePath(QStringLiteral("etc/link.key"));
        QVERIFY(QFile::link(m_keyPath, link));
        QVERIFY(!DeviceIdentity::load(link));
    }

    void keyInsideDataDirectory_isRefused()
    {
        const QString inside = m_dataDir + QStringLiteral("/keys/device.key");
        QVERIFY(QDir().mkpath(QFileInfo(inside).absolutePath()));
        QString error;
        QVERIFY(!DeviceIdentity::create(inside, KeyType::Sm2, m_dataDir, &error));
        QVERIFY(error.contains(QLatin1String("data directory")));
        QVERIFY(!QFile::exists(inside));
        // A key someone placed there anyway is not loaded either.
        QVERIFY(Crypto::writePrivateFile(inside, Key::generate(KeyType::Sm2).privatePem(), false));
        QVERIFY(!DeviceIdentity::load(inside, m_dataDir));
        QVERIFY(DeviceIdentity::load(inside)); // the check is the data directory's
    }

    void load_publicKeyOrGarbage_isRefused()
    {
        QVERIFY(Crypto::writePrivateFile(m_keyPath, Key::generate(KeyType::Sm2).publicPem(), false));
        QVERIFY(!DeviceIdentity::load(m_keyPath));
        QVERIFY(Crypto::writePrivateFile(m_keyPath, "garbage", true));
        QVERIFY(!DeviceIdentity::load(m_keyPath));
    }

    void signRequest_hubVerifies_andRejectsAnyChange_data()
    {
        QTest::addColumn<KeyType>("type");
        QTest::newRow("sm2") << KeyType::Sm2;
        QTest::newRow("ed25519") << KeyType::Ed25519;
    }

    void signRequest_hubVerifies_andRejectsAnyChange()
    {
        QFETCH(KeyType, type);
        const auto id = DeviceIdentity::create(m_keyPath, type);
        QVERIFY(id);
        const Key pub = Key::fromPem(id->publicKeyPem());
        const qint64 t = 1795833000000;
        const QByteArray body = R"({"evaluations":[]})";
        const auto sig = id->signRequest("POST", "/v1/evaluations/batch", t, body);
        QVERIFY(sig);
        QVERIFY(DeviceIdentity::verifyRequest(pub, "post", "/v1/evaluations/batch", t, body, *sig, t + 1000));
        QVERIFY(!DeviceIdentity::verifyRequest(pub, "PUT", "/v1/evaluations/batch", t, body, *sig, t));
        QVERIFY(!DeviceIdentity::verifyRequest(pub, "POST", "/v1/heartbeat", t, body, *sig, t));
        QVERIFY(!DeviceIdentity::verifyRequest(pub, "POST", "/v1/evaluations/batch", t + 1, body, *sig, t));
        QVERIFY(!DeviceIdentity::verifyRequest(pub, "POST", "/v1/evaluations/batch", t, body + " ", *sig, t));
        QVERIFY(!DeviceIdentity::verifyRequest(pub, "POST", "/v1/evaluations/batch", t, body, *sig,
                                               t + 301'000)); // outside the default 5 min skew
        QVERIFY(DeviceIdentity::verifyRequest(pub, "POST", "/v1/evaluations/batch", t, body, *sig,
                                              t + 301'000, 600'000));
        QVERIFY(!DeviceIdentity::verifyRequest(pub, "POST", "/v1/evaluations/batch",
                                               std::numeric_limits<qint64>::min(), body, *sig, t));
        const Key other = Key::generate(type);
        QVERIFY(!DeviceIdentity::verifyRequest(other, "POST", "/v1/evaluations/batch", t, body, *sig, t));
        QVERIFY(!id->signRequest("POST", "/v1/x\nX-Injected: 1", t, body));
    }

    void requestSigningInput_isTheDocumentedBytes()
    {
        QCOMPARE(DeviceIdentity::requestSigningInput("get", "/v1/cases/lookup?q=1", 42, "abc"),
                 QByteArray("HCP-REQ-V1\nGET\n/v1/cases/lookup?q=1\n42\n"
                            "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"));
    }

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_keyPath;
    QString m_dataDir;
};

QTEST_GUILESS_MAIN(TestDeviceIdentity)
#include "tst_deviceidentity.moc"

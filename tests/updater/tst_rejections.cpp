// SPDX-License-Identifier: Apache-2.0
// Every kind of bad bundle is refused with its own reason, and the running slot, the state
// and the filesystem outside the layout stay exactly as they were.
#include "bundlefactory.h"
#include "slotstore.h"

#include <QTemporaryDir>
#include <QTest>

using namespace hcp::updater;
using namespace hcp::updater::test;
using hcp::trust::Key;
using hcp::trust::KeyType;
using Code = UpdateError::Code;

namespace {

const Key &releaseKey()
{
    static const Key k = Key::generate(KeyType::Sm2);
    return k;
}

const Key &otherKey()
{
    static const Key k = Key::generate(KeyType::Sm2);
    return k;
}

BundleSpec spec(const QString &version)
{
    return {version, QStringLiteral("hcp-kiosk-test"), false, sampleFiles(version)};
}

} // namespace

class TestRejections : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_root;
    TrustPolicy m_policy;

private slots:
    void init()
    {
        QVERIFY(m_dir.isValid());
        m_root = m_dir.filePath(QStringLiteral("layout"));
        QDir(m_root).removeRecursively();
        m_policy = {};
        m_policy.deviceClass = QStringLiteral("hcp-kiosk-test");
        m_policy.releaseKeys = {releaseKey().publicOnly()};
        SlotStore store(m_root, m_policy);
        QString error;
        QVERIFY2(store.open(1000, &error), qPrintable(error));
        const QString path = m_dir.filePath(QStringLiteral("v1.bundle"));
        QVERIFY(writeFile(path, makeBundle(spec(QStringLiteral("1.0.0")), releaseKey())));
        const UpdateError e = store.install(path, 1000, 60000);
        QVERIFY2(!e.isError(), qPrintable(e.message));
        QCOMPARE(store.state().phase, QStringLiteral("committed"));
    }

    void install_badBundle_isRejectedWithReason_data()
    {
        QTest::addColumn<QByteArray>("bundle");
        QTest::addColumn<int>("code");
        const Key &k = releaseKey();
        const auto v = [](const char *s) { return spec(QString::fromLatin1(s)); };

        QTest::newRow("unsigned")
            << makeBundle(v("1.1.0"), k, {}, [](BundleHeader &h) { h.signature.clear(); })
            << int(Code::Unsigned);
        QTest::newRow("wrong key") << makeBundle(v("1.1.0"), otherKey()) << int(Code::UnknownKey);
        QTest::newRow("pinned key id, signed by another key")
            << makeBundle(v("1.1.0"), otherKey(),
                          [](Manifest &m) { m.keyId = TrustPolicy::keyIdOf(releaseKey()); })
            << int(Code::BadSignature);
        QTest::newRow("manifest tampered: version")
            << makeBundle(v("1.1.0"), k, {},
                          [](BundleHeader &h) { h.manifestBytes.replace("\"1.1.0\"", "\"9.1.0\""); })
            << int(Code::BadSignature);
        QTest::newRow("manifest tampered: file hash")
            << makeBundle(v("1.1.0"), k, {},
                          [](BundleHeader &h) {
                              const qsizetype at = h.manifestBytes.indexOf("\"sha256\":\"") + 10;
                              h.manifestBytes[at] = h.manifestBytes[at] == 'a' ? 'b' : 'a';
                          })
            << int(Code::BadSignature);
        QTest::newRow("manifest tampered: device class")
            << makeBundle({"1.1.0", "hcp-kiosk-other", false, sampleFiles("1.1.0")}, k, {},
                          [](BundleHeader &h) {
                              h.manifestBytes.replace("hcp-kiosk-other", "hcp-kiosk-test");
                          })
            << int(Code::BadSignature);
        QTest::newRow("signature corrupted")
            << makeBundle(v("1.1.0"), k, {}, [](BundleHeader &h) { h.signature[10] = ~h.signature[10]; })
            << int(Code::BadSignature);
        QTest::newRow("alg mismatch")
            << makeBundle(v("1.1.0"), k, [](Manifest &m) { m.alg = "ed25519"; })
            << int(Code::BadSignature);
        QTest::newRow("wrong device class")
            << makeBundle({"1.1.0", "hcp-kiosk-other", false, sampleFiles("1.1.0")}, k)
            << int(Code::WrongDeviceClass);
        QTest::newRow("older than installed") << makeBundle(v("0.9.0"), k) << int(Code::Downgrade);
        QTest::newRow("same as installed") << makeBundle(v("1.0.0"), k) << int(Code::Downgrade);
        QTest::newRow("pre-release of installed")
            << makeBundle(v("1.0.0-rc.1"), k) << int(Code::Downgrade);
        QByteArray cut = makeBundle(v("1.1.0"), k);
        cut.chop(7);
        QTest::newRow("truncated payload") << cut << int(Code::Truncated);
        QTest::newRow("truncated header") << makeBundle(v("1.1.0"), k).left(40) << int(Code::Truncated);
        QTest::newRow("oversized: trailing bytes")
            << makeBundle(v("1.1.0"), k) + QByteArray("EXTRA") << int(Code::Oversized);
        QTest::newRow("oversized: file longer than declared")
            << makeBundle(v("1.1.0"), k, [](Manifest &m) { m.files.last().size -= 1; })
            << int(Code::Oversized);
        QTest::newRow("hash mismatch")
            << makeBundle(v("1.1.0"), k, {}, {}, [](QByteArray &p) { p[p.size() - 3] = ~p[p.size() - 3]; })
            << int(Code::HashMismatch);
        const auto pathRow = [&](const char *name, const char *path) {
            QTest::newRow(name) << makeBundle(v("1.1.0"), k,
                                              [path](Manifest &m) { m.files[1].path = QString::fromLatin1(path); })
                                << int(Code::UnsafePath);
        };
        pathRow("path traversal ../", "../../evil");
        pathRow("path traversal inner", "bin/../../../evil");
        pathRow("absolute path", "/tmp/hcp-updater-evil");
        pathRow("backslash path", "..\\evil");
        pathRow("slot marker path", ".hcp-slot");
        QTest::newRow("duplicate path")
            << makeBundle(v("1.1.0"), k, [](Manifest &m) { m.files[2].path = m.files[1].path; })
            << int(Code::UnsafePath);
        QTest::newRow("file also a directory")
            << makeBundle(v("1.1.0"), k, [](Manifest &m) { m.files[1].path = "bin"; })
            << int(Code::UnsafePath);
        QTest::newRow("not a bundle") << QByteArray("PK\x03\x04 zip file") << int(Code::Malformed);
        QTest::newRow("empty file") << QByteArray() << int(Code::Truncated);
    }

    void install_badBundle_isRejectedWithReason()
    {
        QFETCH(QByteArray, bundle);
        QFETCH(int, code);
        const QString path = m_dir.filePath(QStringLiteral("bad.bundle"));
        QVERIFY(writeFile(path, bundle));
        SlotStore store(m_root, m_policy);
        QString error;
        QVERIFY(store.open(2000, &error));
        const UpdateError e = store.install(path, 2000, 60000);
        QCOMPARE(UpdateError::codeName(e.code), UpdateError::codeName(Code(code)));
        QVERIFY(!e.message.isEmpty());

        // Nothing moved: still 1.0.0 in slot a, verified, committed; no staging left behind;
        // nothing written outside the layout.
        QCOMPARE(store.currentSlot(), QStringLiteral("a"));
        QCOMPARE(store.state().phase, QStringLiteral("committed"));
        QCOMPARE(store.state().version, QStringLiteral("1.0.0"));
        QCOMPARE(store.state().lastResult.value("result").toString(), QStringLiteral("rejected"));
        QVERIFY(store.state().lastResult.value("reason").toString().startsWith(e.codeString()));
        UpdateError slotError;
        QVERIFY2(store.verifySlot(QStringLiteral("a"), &slotError), qPrintable(slotError.message));
        QVERIFY(!QFileInfo::exists(m_root + "/slots/b"));
        QVERIFY(!QFileInfo::exists(m_root + "/slots/.staging"));
        QVERIFY(!QFileInfo::exists(m_dir.filePath("evil")));
        QVERIFY(!QFileInfo::exists("/tmp/hcp-updater-evil"));
        // The persisted state agrees after a restart.
        SlotStore again(m_root, m_policy);
        QVERIFY(again.open(3000, &error));
        QCOMPARE(again.state().version, QStringLiteral("1.0.0"));
    }

    void install_olderVersionSignedAsRollback_isAccepted()
    {
        const QString path = m_dir.filePath(QStringLiteral("rb.bundle"));
        BundleSpec s = spec(QStringLiteral("0.9.0"));
        s.rollback = true;
        QVERIFY(writeFile(path, makeBundle(s, releaseKey())));
        SlotStore store(m_root, m_policy);
        QString error;
        QVERIFY(store.open(2000, &error));
        const UpdateError e = store.install(path, 2000, 60000);
        QVERIFY2(!e.isError(), qPrintable(e.message));
        QCOMPARE(store.state().version, QStringLiteral("0.9.0"));
        QCOMPARE(store.currentSlot(), QStringLiteral("b"));
    }

    void install_aboveSizeCap_isOversized()
    {
        const QString path = m_dir.filePath(QStringLiteral("big.bundle"));
        QVERIFY(writeFile(path, makeBundle(spec(QStringLiteral("1.1.0")), releaseKey())));
        TrustPolicy small = m_policy;
        small.maxBundleBytes = 2000;
        SlotStore store(m_root, small);
        QString error;
        QVERIFY(store.open(2000, &error));
        QCOMPARE(store.install(path, 2000, 60000).code, Code::Oversized);
    }

    void install_noPinnedKey_rejectsEverything()
    {
        const QString path = m_dir.filePath(QStringLiteral("ok.bundle"));
        QVERIFY(writeFile(path, makeBundle(spec(QStringLiteral("1.1.0")), releaseKey())));
        TrustPolicy none = m_policy;
        none.releaseKeys.clear();
        SlotStore store(m_root, none);
        QString error;
        QVERIFY(store.open(2000, &error));
        QCOMPARE(store.install(path, 2000, 60000).code, Code::UnknownKey);
    }

    void install_ed25519ReleaseKey_isAcceptedWhenPinned()
    {
        const Key ed = Key::generate(KeyType::Ed25519);
        TrustPolicy both = m_policy;
        both.releaseKeys.append(ed.publicOnly());
        const QString path = m_dir.filePath(QStringLiteral("ed.bundle"));
        QVERIFY(writeFile(path, makeBundle(spec(QStringLiteral("1.1.0")), ed)));
        SlotStore store(m_root, both);
        QString error;
        QVERIFY(store.open(2000, &error));
        const UpdateError e = store.install(path, 2000, 60000);
        QVERIFY2(!e.isError(), qPrintable(e.message));
        QCOMPARE(store.state().version, QStringLiteral("1.1.0"));
    }
};

QTEST_GUILESS_MAIN(TestRejections)
#include "tst_rejections.moc"

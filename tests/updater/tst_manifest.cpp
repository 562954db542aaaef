// SPDX-License-Identifier: Apache-2.0
#include "bundle.h"
#include "bundlefactory.h"

#include <QTemporaryDir>
#include <QTest>

using namespace hcp::updater;
using namespace hcp::updater::test;
using hcp::trust::Key;
using hcp::trust::KeyType;

class TestManifest : public QObject
{
    Q_OBJECT
private slots:
    void semver_precedence_followsSpecExamples()
    {
        // SemVer 2.0.0 §11 chain, ascending.
        const QStringList chain{"1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta",
                                "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1",
                                "1.1.0", "1.10.0", "2.0.0"};
        for (int i = 0; i + 1 < chain.size(); ++i) {
            const auto a = SemVer::parse(chain[i]);
            const auto b = SemVer::parse(chain[i + 1]);
            QVERIFY2(a && b, qPrintable(chain[i]));
            QVERIFY2(*a < *b, qPrintable(chain[i] + " < " + chain[i + 1]));
            QVERIFY(!(*b < *a));
        }
        QVERIFY(*SemVer::parse("1.0.0+build.5") == *SemVer::parse("1.0.0"));
    }

    void semver_invalidText_isRefused_data()
    {
        QTest::addColumn<QString>("text");
        for (const char *t : {"", "1", "1.0", "1.0.0.0", "01.0.0", "1.0.0-", "1.0.0-01", "1.0.0+",
                              "v1.0.0", "1.0.0-a..b", "1.-1.0", "1.0.0-ä"})
            QTest::newRow(t) << QString::fromUtf8(t);
    }
    void semver_invalidText_isRefused()
    {
        QFETCH(QString, text);
        QVERIFY(!SemVer::parse(text));
    }

    void safePath_rejectsTraversalAndAbsolute_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<bool>("safe");
        QTest::newRow("plain") << "bin/hcp-kiosk" << true;
        QTest::newRow("dotfile") << "share/.config" << true;
        QTest::newRow("chinese") << QString::fromUtf8("share/说明.txt") << true;
        QTest::newRow("dotdot") << "../etc/passwd" << false;
        QTest::newRow("inner dotdot") << "bin/../../x" << false;
        QTest::newRow("absolute") << "/etc/passwd" << false;
        QTest::newRow("dot") << "./x" << false;
        QTest::newRow("empty component") << "a//b" << false;
        QTest::newRow("trailing slash") << "a/" << false;
        QTest::newRow("backslash") << "..\\x" << false;
        QTest::newRow("newline") << "a\nb" << false;
        QTest::newRow("marker") << ".hcp-slot" << false;
        QTest::newRow("empty") << "" << false;
    }
    void safePath_rejectsTraversalAndAbsolute()
    {
        QFETCH(QString, path);
        QFETCH(bool, safe);
        QCOMPARE(Manifest::isSafePath(path), safe);
    }

    void parseCanonical_roundTripsBuiltManifest()
    {
        const Key key = Key::generate(KeyType::Sm2);
        const QByteArray bundle = makeBundle({QStringLiteral("2.3.4"), QStringLiteral("hcp-kiosk-test"),
                                              true, sampleFiles(QStringLiteral("2.3.4"))},
                                             key);
        BundleHeader h;
        UpdateError e;
        QCOMPARE(BundleHeader::parse(bundle, &h, nullptr, &e), BundleHeader::ParseState::Done);
        QCOMPARE(h.manifest.version, QStringLiteral("2.3.4"));
        QVERIFY(h.manifest.rollback);
        QCOMPARE(h.manifest.files.size(), 5);
        QCOMPARE(h.manifest.canonicalBytes().value(), h.manifestBytes);
    }

    void parseCanonical_nonCanonicalOrUnknownFields_isMalformed()
    {
        const Key key = Key::generate(KeyType::Sm2);
        const QByteArray bundle = makeBundle({QStringLiteral("1.0.0"), QStringLiteral("c"), false,
                                              sampleFiles(QStringLiteral("1.0.0"))},
                                             key);
        BundleHeader h;
        QCOMPARE(BundleHeader::parse(bundle, &h, nullptr, nullptr), BundleHeader::ParseState::Done);
        UpdateError e;
        QByteArray spaced = h.manifestBytes;
        spaced.insert(1, ' ');
        QVERIFY(!Manifest::parseCanonical(spaced, &e));
        QCOMPARE(e.code, UpdateError::Code::Malformed);
        QByteArray extra = h.manifestBytes;
        extra.insert(1, "\"aaa\":1,");
        QVERIFY(!Manifest::parseCanonical(extra, &e));
        QCOMPARE(e.code, UpdateError::Code::Malformed);
        QByteArray dup = h.manifestBytes;
        dup.insert(1, "\"alg\":\"sm2\",");
        QVERIFY(!Manifest::parseCanonical(dup, &e));
        QCOMPARE(e.code, UpdateError::Code::Malformed);
    }

    void header_partialPrefix_asksForMoreUntilComplete()
    {
        const Key key = Key::generate(KeyType::Ed25519);
        const QByteArray bundle = makeBundle({QStringLiteral("1.0.0"), QStringLiteral("c"), false,
                                              sampleFiles(QStringLiteral("1.0.0"))},
                                             key);
        BundleHeader full;
        QCOMPARE(BundleHeader::parse(bundle, &full, nullptr, nullptr), BundleHeader::ParseState::Done);
        for (qint64 n = 0; n < full.headerSize(); ++n) {
            qint64 needed = 0;
            QCOMPARE(BundleHeader::parse(QByteArrayView(bundle).first(n), nullptr, &needed, nullptr),
                     BundleHeader::ParseState::NeedMore);
            QVERIFY(needed > n && needed <= full.headerSize());
        }
        QCOMPARE(full.encode(), bundle.left(full.headerSize()));
    }

    void build_thenVerify_acceptsBothAlgorithms_data()
    {
        QTest::addColumn<int>("type");
        QTest::newRow("sm2") << int(KeyType::Sm2);
        QTest::newRow("ed25519") << int(KeyType::Ed25519);
    }
    void build_thenVerify_acceptsBothAlgorithms()
    {
        QFETCH(int, type);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString src = dir.filePath("src");
        QVERIFY(QDir().mkpath(src + "/bin"));
        QVERIFY(writeFile(src + "/bin/hcp-kiosk", "binary"));
        QVERIFY(QFile::setPermissions(src + "/bin/hcp-kiosk", QFileDevice::ReadOwner
                                          | QFileDevice::WriteOwner | QFileDevice::ExeOwner));
        QVERIFY(writeFile(src + "/readme.txt", QByteArray(70000, 'x')));
        const Key key = Key::generate(KeyType(type));
        QString error;
        QVERIFY2(BundleFile::build(src, key, "1.2.0", "hcp-kiosk-test", false,
                                   dir.filePath("out.bundle"), &error),
                 qPrintable(error));
        TrustPolicy policy;
        policy.deviceClass = "hcp-kiosk-test";
        policy.releaseKeys = {key.publicOnly()};
        UpdateError e;
        const auto h = BundleFile::verify(dir.filePath("out.bundle"), policy, true, &e);
        QVERIFY2(h, qPrintable(e.message));
        QCOMPARE(h->manifest.alg, type == int(KeyType::Sm2) ? QString("sm2") : QString("ed25519"));
        QCOMPARE(h->manifest.files.size(), 2);
        QCOMPARE(h->manifest.files[0].path, QString("bin/hcp-kiosk"));
        QVERIFY(h->manifest.files[0].executable);
        QVERIFY(!h->manifest.files[1].executable);
        QCOMPARE(h->manifest.files[1].size, 70000);
    }

    void build_symlinkInSource_isRefused()
    {
        QTemporaryDir dir;
        const QString src = dir.filePath("src");
        QVERIFY(QDir().mkpath(src));
        QVERIFY(QFile::link("/etc/passwd", src + "/passwd"));
        QString error;
        QVERIFY(!BundleFile::build(src, Key::generate(KeyType::Sm2), "1.0.0", "c", false,
                                   dir.filePath("out.bundle"), &error));
        QVERIFY(error.contains("symlink"));
        QVERIFY(!QFile::exists(dir.filePath("out.bundle")));
    }
};

QTEST_GUILESS_MAIN(TestManifest)
#include "tst_manifest.moc"

// SPDX-License-Identifier: Apache-2.0
// Download over real HTTP on 127.0.0.1: Range resume after cut connections and after a
// process restart, hard size limit from the manifest, early refusal of a bad header, hash
// check before install, and the full agent path URL → installed.
#include "bundlefactory.h"
#include "bundleserver.h"
#include "updateagent.h"

#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

using namespace hcp::updater;
using namespace hcp::updater::test;
using hcp::trust::Key;
using hcp::trust::KeyType;
using Code = UpdateError::Code;

Q_DECLARE_METATYPE(hcp::updater::UpdateError)
Q_DECLARE_METATYPE(hcp::updater::BundleHeader)

class TestDownload : public QObject
{
    Q_OBJECT
private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<BundleServer> m_server;
    Key m_key = Key::generate(KeyType::Sm2);
    TrustPolicy m_policy;
    QNetworkAccessManager m_nam;

    QByteArray bigBundle(const QString &version, int files = 8, int fileSize = 128 * 1024,
                         const QString &deviceClass = QStringLiteral("hcp-kiosk-test"))
    {
        return makeBundle({version, deviceClass, false, sampleFiles(version, files, fileSize)}, m_key);
    }

    std::unique_ptr<BundleDownloader> downloader()
    {
        auto d = std::make_unique<BundleDownloader>(&m_nam, m_policy);
        d->setRetry(4, 10, 50);
        d->setStallTimeout(5000);
        return d;
    }

    UpdateConfig config() const
    {
        UpdateConfig c;
        c.root = m_dir->filePath(QStringLiteral("update"));
        c.policy = m_policy;
        c.downloadAttempts = 4;
        c.retryInitialMs = 10;
        c.retryMaxMs = 50;
        return c;
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        qRegisterMetaType<UpdateError>();
        qRegisterMetaType<BundleHeader>();
    }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_server = std::make_unique<BundleServer>();
        QVERIFY(m_server->start() != 0);
        m_policy = {};
        m_policy.deviceClass = QStringLiteral("hcp-kiosk-test");
        m_policy.releaseKeys = {m_key.publicOnly()};
    }

    void download_cutFiveTimes_resumesWithRangeAndSendsEachByteOnce()
    {
        const QByteArray bundle = bigBundle(QStringLiteral("1.1.0"));
        const qint64 chunk = 100 * 1024;
        m_server->files.insert("b", bundle);
        m_server->cutAfter = chunk;
        m_server->cutsLeft = 5;
        auto d = downloader();
        QSignalSpy done(d.get(), &BundleDownloader::finished);
        QSignalSpy failed(d.get(), &BundleDownloader::failed);
        const QString part = m_dir->filePath("b.part");
        d->start(m_server->url("b"), part);
        QTRY_COMPARE_WITH_TIMEOUT(done.size() + failed.size(), 1, 20000);
        QCOMPARE(failed.size(), 0);
        QCOMPARE(readFile(part), bundle);
        QCOMPARE(m_server->rangeHeaders.size(), 6);
        QCOMPARE(m_server->rangeHeaders.first(), QByteArray());
        for (int i = 1; i < 6; ++i)
            QCOMPARE(m_server->rangeHeaders[i], "bytes=" + QByteArray::number(i * chunk) + '-');
        // Bytes fetched twice stay below one chunk: total < size + chunk.
        qInfo() << "bundle" << bundle.size() << "bytes; sent" << m_server->bodyBytesSent
                << "received" << d->networkBytes() << "in" << d->requestCount() << "requests";
        QVERIFY(m_server->bodyBytesSent < bundle.size() + chunk);
        QVERIFY(d->networkBytes() < bundle.size() + chunk);
        UpdateError e;
        QVERIFY2(BundleFile::verify(part, m_policy, true, &e), qPrintable(e.message));
    }

    void download_partFromEarlierRun_resumesAtItsEnd()
    {
        const QByteArray bundle = bigBundle(QStringLiteral("1.1.0"));
        m_server->files.insert("b", bundle);
        const QString part = m_dir->filePath("b.part");
        const qint64 have = 300 * 1024 + 17;
        QVERIFY(writeFile(part, bundle.left(have)));
        auto d = downloader();
        QSignalSpy done(d.get(), &BundleDownloader::finished);
        d->start(m_server->url("b"), part);
        QTRY_COMPARE_WITH_TIMEOUT(done.size(), 1, 20000);
        QCOMPARE(m_server->rangeHeaders, QList<QByteArray>{"bytes=" + QByteArray::number(have) + '-'});
        QCOMPARE(m_server->bodyBytesSent, bundle.size() - have);
        QCOMPARE(readFile(part), bundle);
    }

    void download_serverIgnoresRange_startsOverAndCompletes()
    {
        const QByteArray bundle = bigBundle(QStringLiteral("1.1.0"));
        m_server->files.insert("b", bundle);
        m_server->ignoreRange = true;
        m_server->cutAfter = 200 * 1024;
        m_server->cutsLeft = 1;
        auto d = downloader();
        QSignalSpy done(d.get(), &BundleDownloader::finished);
        d->start(m_server->url("b"), m_dir->filePath("b.part"));
        QTRY_COMPARE_WITH_TIMEOUT(done.size(), 1, 20000);
        QCOMPARE(readFile(m_dir->filePath("b.part")), bundle);
    }

    void download_moreBytesThanDeclared_stopsAtDeclaredSizeAsOversized()
    {
        const QByteArray bundle = bigBundle(QStringLiteral("1.1.0"));
        m_server->files.insert("b", bundle + QByteArray(512 * 1024, 'X'));
        auto d = downloader();
        QSignalSpy failed(d.get(), &BundleDownloader::failed);
        QSignalSpy progress(d.get(), &BundleDownloader::progress);
        d->start(m_server->url("b"), m_dir->filePath("b.part"));
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 20000);
        QCOMPARE(failed.at(0).at(0).value<UpdateError>().code, Code::Oversized);
        for (const auto &p : progress)
            QVERIFY(p.at(0).toLongLong() <= bundle.size());
        QVERIFY(d->bytesOnDisk() <= bundle.size());
        QVERIFY(!QFile::exists(m_dir->filePath("b.part")));
    }

    void download_resumeIntoLongerFile_isOversizedByContentRange()
    {
        const QByteArray bundle = bigBundle(QStringLiteral("1.1.0"));
        m_server->files.insert("b", bundle + QByteArray(1000, 'X'));
        const QString part = m_dir->filePath("b.part");
        QVERIFY(writeFile(part, bundle.left(4096)));
        auto d = downloader();
        QSignalSpy failed(d.get(), &BundleDownloader::failed);
        d->start(m_server->url("b"), part);
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 20000);
        QCOMPARE(failed.at(0).at(0).value<UpdateError>().code, Code::Oversized);
        QVERIFY(m_server->bodyBytesSent > 0);
        QCOMPARE(d->networkBytes(), 0); // refused on the 206 headers, before any body byte
    }

    void download_serverHasFewerBytes_failsTruncatedAfterRetries()
    {
        const QByteArray bundle = bigBundle(QStringLiteral("1.1.0"));
        m_server->files.insert("b", bundle.left(bundle.size() - 1000));
        auto d = downloader();
        QSignalSpy failed(d.get(), &BundleDownloader::failed);
        d->start(m_server->url("b"), m_dir->filePath("b.part"));
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 20000);
        QCOMPARE(failed.at(0).at(0).value<UpdateError>().code, Code::Truncated);
        QVERIFY(m_server->rangeHeaders.size() <= 6);
    }

    void download_wrongDeviceClass_isRefusedBeforeThePayload()
    {
        const QByteArray bundle = bigBundle(QStringLiteral("1.1.0"), 8, 128 * 1024,
                                            QStringLiteral("hcp-pad-arm64"));
        BundleHeader h;
        QCOMPARE(BundleHeader::parse(bundle, &h, nullptr, nullptr), BundleHeader::ParseState::Done);
        m_server->files.insert("b", bundle);
        auto d = downloader();
        QSignalSpy failed(d.get(), &BundleDownloader::failed);
        d->start(m_server->url("b"), m_dir->filePath("b.part"));
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 20000);
        QCOMPARE(failed.at(0).at(0).value<UpdateError>().code, Code::WrongDeviceClass);
        QVERIFY(d->bytesOnDisk() <= h.headerSize());
        QVERIFY(!QFile::exists(m_dir->filePath("b.part")));
    }

    void download_missing_failsWithNetworkError()
    {
        auto d = downloader();
        QSignalSpy failed(d.get(), &BundleDownloader::failed);
        d->start(m_server->url("nope"), m_dir->filePath("n.part"));
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 20000);
        QCOMPARE(failed.at(0).at(0).value<UpdateError>().code, Code::Network);
    }

    void agent_installFromUrl_cutConnection_installsAndSwitches()
    {
        UpdateAgent agent(config(), &m_nam);
        QString error;
        QVERIFY2(agent.open(&error), qPrintable(error));
        const QString v1 = m_dir->filePath("v1.bundle");
        QVERIFY(writeFile(v1, makeBundle({"1.0.0", "hcp-kiosk-test", false, sampleFiles("1.0.0")}, m_key)));
        QVERIFY(!agent.installFile(v1).isError());

        m_server->files.insert("v2", bigBundle(QStringLiteral("1.1.0")));
        m_server->cutAfter = 64 * 1024;
        m_server->cutsLeft = 3;
        QSignalSpy installed(&agent, &UpdateAgent::installed);
        QSignalSpy failed(&agent, &UpdateAgent::failed);
        agent.installFromUrl(m_server->url("v2"));
        QTRY_COMPARE_WITH_TIMEOUT(installed.size() + failed.size(), 1, 20000);
        QCOMPARE(failed.size(), 0);
        QCOMPARE(agent.status().value("version").toString(), QStringLiteral("1.1.0"));
        QCOMPARE(agent.status().value("phase").toString(), QStringLiteral("trial"));
        QCOMPARE(readFile(config().root + "/current/VERSION"), QByteArray("1.1.0"));
        QVERIFY(QDir(config().root + "/download").isEmpty());
    }

    void agent_installFromUrl_installsOffTheEventLoopThread()
    {
        UpdateAgent agent(config(), &m_nam);
        QString error;
        QVERIFY(agent.open(&error));
        const QString v1 = m_dir->filePath("v1.bundle");
        QVERIFY(writeFile(v1, makeBundle({"1.0.0", "hcp-kiosk-test", false, sampleFiles("1.0.0")}, m_key)));
        QVERIFY(!agent.installFile(v1).isError());
        const QByteArray v2 = bigBundle(QStringLiteral("1.1.0"));
        m_server->files.insert("v2", v2);

        // Hold the layout lock as another process would: the install must wait for it on its
        // worker thread while this thread keeps serving events (timers, status, HTTP).
        const int fd = ::open(QFile::encodeName(config().root + "/.lock").constData(), O_RDWR | O_CLOEXEC);
        QVERIFY(fd >= 0);
        QCOMPARE(::flock(fd, LOCK_EX), 0);
        QSignalSpy installed(&agent, &UpdateAgent::installed);
        int ticks = 0;
        QTimer ticker;
        connect(&ticker, &QTimer::timeout, this, [&] { ++ticks; });
        ticker.start(5);
        agent.installFromUrl(m_server->url("v2"));
        QTRY_COMPARE_WITH_TIMEOUT(agent.downloader()->bytesOnDisk(), qint64(v2.size()), 20000);
        QVERIFY(!agent.downloader()->isRunning());
        const int ticksAtDownloadEnd = ticks;
        QTRY_VERIFY_WITH_TIMEOUT(ticks > ticksAtDownloadEnd + 10, 5000);
        QVERIFY(agent.isBusy());
        QCOMPARE(installed.size(), 0);
        QCOMPARE(agent.rollback("now").code, Code::Busy);
        QCOMPARE(agent.status().value("version").toString(), QStringLiteral("1.0.0"));
        ::close(fd);
        QTRY_COMPARE_WITH_TIMEOUT(installed.size(), 1, 20000);
        QVERIFY(!agent.isBusy());
        QCOMPARE(agent.status().value("version").toString(), QStringLiteral("1.1.0"));
        QCOMPARE(agent.status().value("phase").toString(), QStringLiteral("trial"));
    }

    void agent_installFromUrl_corruptFile_isRejectedByHashBeforeInstall()
    {
        UpdateAgent agent(config(), &m_nam);
        QString error;
        QVERIFY(agent.open(&error));
        const QString v1 = m_dir->filePath("v1.bundle");
        QVERIFY(writeFile(v1, makeBundle({"1.0.0", "hcp-kiosk-test", false, sampleFiles("1.0.0")}, m_key)));
        QVERIFY(!agent.installFile(v1).isError());
        QByteArray bad = bigBundle(QStringLiteral("1.1.0"));
        bad[bad.size() - 5000] = ~bad[bad.size() - 5000];
        m_server->files.insert("v2", bad);
        QSignalSpy failed(&agent, &UpdateAgent::failed);
        agent.installFromUrl(m_server->url("v2"));
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 20000);
        QCOMPARE(failed.at(0).at(0).toString(), QStringLiteral("hash-mismatch"));
        QCOMPARE(agent.status().value("version").toString(), QStringLiteral("1.0.0"));
        QVERIFY(!QFileInfo::exists(config().root + "/slots/b"));
    }

    void agent_installFromUrl_olderVersion_isRefusedFromTheHeader()
    {
        UpdateAgent agent(config(), &m_nam);
        QString error;
        QVERIFY(agent.open(&error));
        const QString v1 = m_dir->filePath("v2.bundle");
        QVERIFY(writeFile(v1, makeBundle({"2.0.0", "hcp-kiosk-test", false, sampleFiles("2.0.0")}, m_key)));
        QVERIFY(!agent.installFile(v1).isError());
        m_server->files.insert("old", bigBundle(QStringLiteral("1.9.9")));
        QSignalSpy failed(&agent, &UpdateAgent::failed);
        agent.installFromUrl(m_server->url("old"));
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 20000);
        QCOMPARE(failed.at(0).at(0).toString(), QStringLiteral("downgrade"));
        QVERIFY(agent.downloader()->bytesOnDisk() < 64 * 1024);
    }
};

QTEST_GUILESS_MAIN(TestDownload)
#include "tst_download.moc"

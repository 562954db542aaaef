// SPDX-License-Identifier: Apache-2.0
#include "pinvault.h"

#include <QElapsedTimer>
#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace hcp::trust;
using Outcome = PinVault::Outcome;

namespace {

constexpr int kFastIterations = 1'000; // the minimum the vault accepts; keeps tests quick
constexpr qint64 kStart = 1'795'833'000'000;

} // namespace

class TestPinVault : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        m_hash = PinVault::hashPin(QStringLiteral("246810"), kFastIterations);
    }

    void init() { m_now = kStart; }

    void hashPin_storesNoPinAndAcceptsOnlyTheRightOne()
    {
        QVERIFY(PinVault::isValidEncoding(m_hash));
        QVERIFY(m_hash.startsWith(QLatin1String("pbkdf2-sha256$1000$")));
        QVERIFY(!m_hash.contains(QLatin1String("246810")));
        QVERIFY(PinVault::hashPin(QStringLiteral("246810"), kFastIterations) != m_hash); // salted
        PinVault vault({}, clock());
        QVERIFY(vault.setPinHash(m_hash));
        QCOMPARE(vault.tryPin(QStringLiteral("246811")).outcome, Outcome::Rejected);
        QCOMPARE(vault.tryPin(QStringLiteral("246810")).outcome, Outcome::Accepted);
        QCOMPARE(vault.consecutiveFailures(), 0);
    }

    void setPinHash_malformedOrWeak_leavesVaultClosed_data()
    {
        QTest::addColumn<QString>("encoded");
        QTest::newRow("empty") << QString();
        QTest::newRow("plain pin") << QStringLiteral("246810");
        QTest::newRow("too few iterations") << QStringLiteral("pbkdf2-sha256$10$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
        QTest::newRow("short salt") << QStringLiteral("pbkdf2-sha256$1000$AAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
        QTest::newRow("other scheme") << QStringLiteral("md5$1000$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
    }

    void setPinHash_malformedOrWeak_leavesVaultClosed()
    {
        QFETCH(QString, encoded);
        PinVault vault({}, clock());
        QVERIFY(vault.setPinHash(m_hash));
        QVERIFY(!vault.setPinHash(encoded));
        QVERIFY(!vault.isConfigured());
        QCOMPARE(vault.tryPin(QStringLiteral("246810")).outcome, Outcome::NotConfigured);
    }

    void wrongPins_lockoutGrowsAndCapsAtOneHour()
    {
        PinVault vault({}, clock());
        QVERIFY(vault.setPinHash(m_hash));
        const QList<qint64> expected = {0, 0, 0, 30'000, 60'000, 120'000, 240'000, 480'000,
                                        960'000, 1'920'000, 3'600'000, 3'600'000};
        QStringList table;
        for (int i = 0; i < expected.size(); ++i) {
            const auto a = vault.tryPin(QStringLiteral("000000"));
            QCOMPARE(a.outcome, Outcome::Rejected);
            QCOMPARE(a.consecutiveFailures, i + 1);
            QCOMPARE(a.retryAfterMs, expected[i]);
            QCOMPARE(vault.remainingLockoutMs(), expected[i]);
            table << QStringLiteral("%1:%2s").arg(i + 1).arg(a.retryAfterMs / 1000);
            if (a.retryAfterMs > 0) {
                // Inside the lockout even the right PIN is not checked, and nothing counts.
                m_now += a.retryAfterMs - 1;
                const auto locked = vault.tryPin(QStringLiteral("246810"));
                QCOMPARE(locked.outcome, Outcome::LockedOut);
                QCOMPARE(locked.retryAfterMs, qint64(1));
                QCOMPARE(vault.consecutiveFailures(), i + 1);
                m_now += 1;
            }
        }
        qInfo("lockout after failure n: %s", qPrintable(table.join(QLatin1Char(' '))));
        const auto ok = vault.tryPin(QStringLiteral("246810"));
        QCOMPARE(ok.outcome, Outcome::Accepted);
        QCOMPARE(vault.consecutiveFailures(), 0);
        QCOMPARE(vault.tryPin(QStringLiteral("1")).retryAfterMs, qint64(0)); // counter restarted
    }

    void bruteForce_oneDay_allowsOnlyFewGuesses()
    {
        PinVault vault({}, clock());
        QVERIFY(vault.setPinHash(m_hash));
        int guesses = 0;
        const qint64 end = kStart + 24LL * 3600 * 1000;
        while (m_now < end) {
            const auto a = vault.tryPin(QStringLiteral("%1").arg(guesses, 6, 10, QLatin1Char('0')));
            QCOMPARE(a.outcome, Outcome::Rejected);
            ++guesses;
            m_now += qMax<qint64>(a.retryAfterMs, 1);
        }
        qInfo("guesses possible in 24 h: %d of 1,000,000 six-digit PINs", guesses);
        QVERIFY(guesses < 40);
    }

    void lockout_survivesRestart_andStateFileIsPrivate()
    {
        QTemporaryDir dir;
        const QString state = dir.filePath(QStringLiteral("pin.state"));
        {
            PinVault vault(state, clock());
            QVERIFY(vault.setPinHash(m_hash));
            for (int i = 0; i < 4; ++i)
                vault.tryPin(QStringLiteral("000000"));
            QCOMPARE(vault.remainingLockoutMs(), qint64(30'000));
        }
        struct stat st {};
        QCOMPARE(::stat(QFile::encodeName(state).constData(), &st), 0);
        QCOMPARE(int(st.st_mode & 07777), 0600);
        m_now += 10'000;
        PinVault restarted(state, clock());
        QVERIFY(restarted.setPinHash(m_hash));
        QCOMPARE(restarted.consecutiveFailures(), 4);
        const auto a = restarted.tryPin(QStringLiteral("246810"));
        QCOMPARE(a.outcome, Outcome::LockedOut);
        QCOMPARE(a.retryAfterMs, qint64(20'000));
    }

    void clockSetFarBackwards_lockoutStaysBounded()
    {
        PinVault vault({}, clock());
        QVERIFY(vault.setPinHash(m_hash));
        for (int i = 0; i < 5; ++i) {
            vault.tryPin(QStringLiteral("000000"));
            m_now += vault.remainingLockoutMs();
        }
        vault.tryPin(QStringLiteral("000000")); // failure 6: 120 s
        m_now = 946'684'800'000; // RTC reset to 2000-01-01
        QCOMPARE(vault.remainingLockoutMs(), qint64(3'600'000));
        const auto a = vault.tryPin(QStringLiteral("246810"));
        QCOMPARE(a.outcome, Outcome::LockedOut);
        QCOMPARE(a.retryAfterMs, qint64(120'000)); // re-anchored at the current delay
        m_now += 120'000;
        QCOMPARE(vault.tryPin(QStringLiteral("246810")).outcome, Outcome::Accepted);
    }

    void corruptStateFile_countsFreeAttemptsAsUsed()
    {
        QTemporaryDir dir;
        const QString state = dir.filePath(QStringLiteral("pin.state"));
        QFile f(state);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{not json");
        f.close();
        PinVault vault(state, clock());
        QVERIFY(vault.setPinHash(m_hash));
        QCOMPARE(vault.tryPin(QStringLiteral("000000")).retryAfterMs, qint64(30'000));
    }

    void defaultIterations_costIsMeasured()
    {
        const QString hash = PinVault::hashPin(QStringLiteral("246810"));
        QVERIFY(hash.startsWith(QLatin1String("pbkdf2-sha256$200000$")));
        PinVault vault({}, clock());
        QVERIFY(vault.setPinHash(hash));
        QElapsedTimer t;
        t.start();
        QCOMPARE(vault.tryPin(QStringLiteral("246810")).outcome, Outcome::Accepted);
        qInfo("one PIN check at %d PBKDF2-HMAC-SHA256 iterations: %lld ms",
              PinVault::kDefaultIterations, qlonglong(t.elapsed()));
    }

private:
    PinVault::Clock clock()
    {
        return [this] { return m_now; };
    }

    QString m_hash;
    qint64 m_now = kStart;
};

QTEST_GUILESS_MAIN(TestPinVault)
#include "tst_pinvault.moc"

// SPDX-License-Identifier: Apache-2.0
// The one case cache (sync::CaseCache): what the feed and the lookups store, how each query
// finds it, the feed cursor, and the reset of a cache written with another ID-number hash
// scheme. (The kiosk Store's side of the same table: tst_store.)
#include "casecache.h"

#include <QJsonObject>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace hcp::sync;

class TestCaseCache : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void upsert_sameCaseKey_replacedAndChangeSeqDropped();
    void find_byNameByNumberOnlyByHash_eachAsTheKioskAsks();
    void feedPage_cursorStoredWithIt_andSurvivesReopen();
    void open_cacheOfAnotherHashScheme_emptiedAndCursorReset();
    void staticFunctions_otherConnectionSameFile_oneTable();

private:
    QString path() { return m_dir.filePath(QStringLiteral("c%1.sqlite").arg(++m_n)); }
    static QJsonObject wireCase(const QString &projectNo, int serviceNumber, const QString &name,
                                const QString &hash, const QString &resultDate)
    {
        return {{QStringLiteral("projectNo"), projectNo}, {QStringLiteral("serviceNumber"), serviceNumber},
                {QStringLiteral("userName"), name},       {QStringLiteral("certKeyHash"), hash},
                {QStringLiteral("resultDate"), resultDate}, {QStringLiteral("taskName"), QStringLiteral("营业执照")},
                {QStringLiteral("changeSeq"), 17}};
    }
    QTemporaryDir m_dir;
    int m_n = 0;
};

void TestCaseCache::upsert_sameCaseKey_replacedAndChangeSeqDropped()
{
    CaseCache cache;
    QString error;
    QVERIFY2(cache.open(path(), &error), qPrintable(error));
    QJsonObject c = wireCase(QStringLiteral("CASE000001"), 1, QStringLiteral("李华"), {}, QStringLiteral("2026-11-02 09:00:00"));
    QVERIFY(cache.upsert({c}));
    c.insert(QStringLiteral("taskName"), QStringLiteral("食品经营许可"));
    QVERIFY(cache.upsert({c, wireCase(QStringLiteral("CASE000001"), 2, QStringLiteral("李华"), {}, {})}));
    QCOMPARE(cache.count(), 2);
    const QJsonArray found = cache.findByProjectNoOnly(QStringLiteral("CASE000001"));
    QCOMPARE(found.size(), 2);
    QCOMPARE(found.at(0).toObject().value(QLatin1String("taskName")).toString(), QStringLiteral("食品经营许可"));
    QVERIFY(!found.at(0).toObject().contains(QLatin1String("changeSeq")));
}

void TestCaseCache::find_byNameByNumberOnlyByHash_eachAsTheKioskAsks()
{
    CaseCache cache;
    QString error;
    QVERIFY(cache.open(path(), &error));
    QVERIFY(cache.upsert({wireCase(QStringLiteral("CASE000001"), 1, QStringLiteral("李华"), QStringLiteral("ab12cd"),
                                   QStringLiteral("2026-11-01 09:00:00")),
                          wireCase(QStringLiteral("CASE000001"), 2, QStringLiteral("李华"), QStringLiteral("ab12cd"),
                                   QStringLiteral("2026-11-03 09:00:00")),
                          wireCase(QStringLiteral("CASE000002"), 1, QStringLiteral("王芳"), {}, QStringLiteral("2026-11-02 09:00:00"))}));
    // Typed number and name: the name must match; newest result first.
    QCOMPARE(cache.findByProjectNo(QStringLiteral(" CASE000001 "), QStringLiteral("李华")).size(), 2);
    QCOMPARE(cache.findByProjectNo(QStringLiteral("CASE000001"), QStringLiteral("王芳")).size(), 0);
    QCOMPARE(cache.findByProjectNo(QStringLiteral("CASE000001"), QStringLiteral("李华")).at(0).toObject()
                 .value(QLatin1String("serviceNumber")).toInt(), 2);
    // A receipt QR proves possession: the number alone.
    QCOMPARE(cache.findByProjectNoOnly(QStringLiteral("CASE000002")).size(), 1);
    // A card: the hub's hash, whatever its hex case; a case without a hash is never found by one.
    QCOMPARE(cache.findByCertKeyHash("AB12CD").size(), 2);
    QCOMPARE(cache.findByCertKeyHash({}).size(), 0);
}

void TestCaseCache::feedPage_cursorStoredWithIt_andSurvivesReopen()
{
    const QString file = path();
    {
        CaseCache cache;
        QString error;
        QVERIFY(cache.open(file, &error));
        QCOMPARE(cache.cursor(), 0);
        QVERIFY(cache.upsert({wireCase(QStringLiteral("CASE000001"), 1, QStringLiteral("李华"), {}, {})}, 41));
        QVERIFY(cache.upsert({wireCase(QStringLiteral("CASE000002"), 1, QStringLiteral("王芳"), {}, {})})); // a lookup: no cursor
        QCOMPARE(cache.cursor(), 41);
    }
    CaseCache again;
    QString error;
    QVERIFY(again.open(file, &error));
    QCOMPARE(again.cursor(), 41);
    QCOMPARE(again.count(), 2);
}

void TestCaseCache::open_cacheOfAnotherHashScheme_emptiedAndCursorReset()
{
    const QString file = path();
    {
        CaseCache cache;
        QString error;
        QVERIFY(cache.open(file, &error));
        QVERIFY(cache.upsert({wireCase(QStringLiteral("CASE000001"), 1, QStringLiteral("李华"), QStringLiteral("ab12"), {})}, 9));
    }
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("old-scheme"));
        db.setDatabaseName(file);
        QVERIFY(db.open());
        QVERIFY(QSqlQuery(db).exec(QStringLiteral("UPDATE case_cache_state SET value = 1 WHERE key = 'hash_scheme'")));
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("old-scheme"));
    CaseCache cache;
    QString error;
    QVERIFY(cache.open(file, &error));
    QCOMPARE(cache.count(), 0);
    QCOMPARE(cache.cursor(), 0);
    QCOMPARE(cache.findByCertKeyHash("ab12").size(), 0);
}

void TestCaseCache::staticFunctions_otherConnectionSameFile_oneTable()
{
    // The kiosk Store writes and reads through the static functions on its own connection; the
    // feed's instance on another connection sees the same rows, and the other way round.
    const QString file = path();
    CaseCache feed;
    QString error;
    QVERIFY(feed.open(file, &error));
    QVERIFY(feed.upsert({wireCase(QStringLiteral("FEED000001"), 1, QStringLiteral("李华"), {}, {})}, 3));
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("store"));
        db.setDatabaseName(file);
        QVERIFY(db.open());
        QVERIFY2(CaseCache::upsert(db, {wireCase(QStringLiteral("LOOK000001"), 1, QStringLiteral("王芳"), {}, {})}, -1, &error),
                 qPrintable(error));
        QCOMPARE(CaseCache::count(db), 2);
        const QJsonArray fromFeed = CaseCache::select(db, QStringLiteral("project_no = ?"), {QStringLiteral("FEED000001")},
                                                      CaseCache::Order::ByCase);
        QCOMPARE(fromFeed.size(), 1);
        QCOMPARE(fromFeed.at(0).toObject().value(QLatin1String("userName")).toString(), QStringLiteral("李华"));
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("store"));
    QCOMPARE(feed.findByProjectNo(QStringLiteral("LOOK000001"), QStringLiteral("王芳")).size(), 1);
    QCOMPARE(feed.cursor(), 3); // a lookup's write leaves the feed cursor alone
}

QTEST_GUILESS_MAIN(TestCaseCache)
#include "tst_casecache.moc"

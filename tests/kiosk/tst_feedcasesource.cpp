// SPDX-License-Identifier: Apache-2.0
// The hall's case feed as the directory's local source: each query kind finds exactly the
// cases the feed holds for it, with every field, and the directory answers from the feed when
// its own cache has nothing.
#include "casecache.h"
#include "casedirectory.h"
#include "feedcasesource.h"
#include "store.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace hcp::kiosk;

namespace {

Case feedCase(const QString &projectNo, int serviceNumber, const QString &userName, const QString &certKeyHash)
{
    Case c;
    c.projectNo = projectNo;
    c.serviceNumber = serviceNumber;
    c.taskCode = QStringLiteral("11110105MB0000000100001");
    c.taskName = QStringLiteral("居民身份证换领");
    c.deptName = QStringLiteral("县公安局");
    c.deptCode = QStringLiteral("11110105MB00000001");
    c.windowNo = QStringLiteral("A07");
    c.staffName = QStringLiteral("陈静");
    c.staffNo = QStringLiteral("GA-0107");
    c.resultDate = QDateTime(QDate(2026, 11, 27), QTime(9, 30));
    c.userName = userName;
    c.areaCode = QStringLiteral("110105000000");
    c.certKeyHash = certKeyHash;
    return c;
}

CaseQuery query(CaseQuery::Kind kind, const QString &projectNo, const QString &name = {}, const QString &hash = {})
{
    CaseQuery q;
    q.kind = kind;
    q.projectNo = projectNo;
    q.name = name;
    q.certKeyHash = hash;
    return q;
}

} // namespace

class TstFeedCaseSource : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    hcp::sync::CaseCache m_cache;
    const QString m_liHash = QStringLiteral("aa11").repeated(16);
    const QString m_wangHash = QStringLiteral("bb22").repeated(16);

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_cache.open(m_dir.filePath(QStringLiteral("feed-cache.sqlite")), &error), qPrintable(error));
        QVERIFY(m_cache.upsert(QJsonArray{feedCase(QStringLiteral("FEED000001"), 1, QStringLiteral("李华"), m_liHash).toJson(),
                                          feedCase(QStringLiteral("FEED000001"), 2, QStringLiteral("李华"), m_liHash).toJson(),
                                          feedCase(QStringLiteral("FEED000002"), 1, QStringLiteral("王建国"), m_wangHash).toJson()}));
    }

    void byProjectNoAndName_findsTheApplicantsServices_withEveryField()
    {
        FeedCaseSource source(&m_cache);
        const QList<Case> found = source.find(query(CaseQuery::Kind::ByProjectNoAndName, QStringLiteral("FEED000001"), QStringLiteral("李华")));
        QCOMPARE(found.size(), 2);
        const Case expected = feedCase(QStringLiteral("FEED000001"), 1, QStringLiteral("李华"), m_liHash);
        const Case &c = found.at(0).serviceNumber == 1 ? found.at(0) : found.at(1);
        QCOMPARE(c.toJson(), expected.toJson());
    }

    void byProjectNoAndName_otherName_findsNothing()
    {
        FeedCaseSource source(&m_cache);
        QVERIFY(source.find(query(CaseQuery::Kind::ByProjectNoAndName, QStringLiteral("FEED000001"), QStringLiteral("王建国"))).isEmpty());
    }

    void byProjectNo_findsOnlyThatCase()
    {
        FeedCaseSource source(&m_cache);
        const QList<Case> found = source.find(query(CaseQuery::Kind::ByProjectNo, QStringLiteral("FEED000002")));
        QCOMPARE(found.size(), 1);
        QCOMPARE(found.at(0).userName, QStringLiteral("王建国"));
        QVERIFY(source.find(query(CaseQuery::Kind::ByProjectNo, QStringLiteral("FEED000003"))).isEmpty());
    }

    void byCertKeyHash_findsTheCardholdersCases_evenInUpperCase()
    {
        FeedCaseSource source(&m_cache);
        const QList<Case> found = source.find(query(CaseQuery::Kind::ByCertKeyHash, {}, {}, m_liHash.toUpper()));
        QCOMPARE(found.size(), 2);
        for (const Case &c : found)
            QCOMPARE(c.projectNo, QStringLiteral("FEED000001"));
    }

    void directoryWithEmptyCache_answersFromTheFeed()
    {
        Store store;
        QString error;
        QVERIFY2(store.open(m_dir.filePath(QStringLiteral("kiosk.sqlite")), &error), qPrintable(error));
        CaseDirectory directory(&store);
        FeedCaseSource source(&m_cache);
        directory.setFeedSource(source.asLocalSource());
        QSignalSpy finished(&directory, &CaseDirectory::finished);
        directory.lookup(query(CaseQuery::Kind::ByProjectNo, QStringLiteral("FEED000002")), 42);
        QTRY_COMPARE(finished.size(), 1);
        QCOMPARE(finished.at(0).at(0).toULongLong(), 42u);
        const auto cases = finished.at(0).at(1).value<QList<Case>>();
        QCOMPARE(cases.size(), 1);
        QCOMPARE(cases.at(0).staffNo, QStringLiteral("GA-0107"));
        QCOMPARE(finished.at(0).at(2).value<CaseDirectory::Source>(), CaseDirectory::Source::Cache);
    }
};

QTEST_GUILESS_MAIN(TstFeedCaseSource)
#include "tst_feedcasesource.moc"

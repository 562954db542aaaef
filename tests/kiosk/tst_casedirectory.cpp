// SPDX-License-Identifier: Apache-2.0
// One case cache: the cases the hall feed writes (sync::CaseCache, into the Store's file) are
// what the directory finds, for each query kind exactly those, with every field, from the cache
// and without asking the hub.
#include "casecache.h"
#include "casedirectory.h"
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

class TstCaseDirectory : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    Store m_store;
    hcp::sync::CaseCache m_feed;
    const QString m_liHash = QStringLiteral("aa11").repeated(16);
    const QString m_wangHash = QStringLiteral("bb22").repeated(16);

    // The directory's answer to one query: the cases, and where they came from.
    QPair<QList<Case>, CaseDirectory::Source> find(const CaseQuery &q)
    {
        CaseDirectory directory(&m_store);
        QSignalSpy finished(&directory, &CaseDirectory::finished);
        directory.lookup(q, 42);
        if (finished.isEmpty() && !finished.wait(2000))
            return {};
        if (finished.at(0).at(0).toULongLong() != 42u)
            return {};
        return {finished.at(0).at(1).value<QList<Case>>(), finished.at(0).at(2).value<CaseDirectory::Source>()};
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        const QString path = m_dir.filePath(QStringLiteral("kiosk.sqlite"));
        QVERIFY2(m_store.open(path, &error), qPrintable(error));
        QVERIFY2(m_feed.open(path, &error), qPrintable(error));
        // The feed as the hub sends it; 王建国's hash arrives in upper case.
        QVERIFY(m_feed.upsert(QJsonArray{feedCase(QStringLiteral("FEED000001"), 1, QStringLiteral("李华"), m_liHash).toJson(),
                                         feedCase(QStringLiteral("FEED000001"), 2, QStringLiteral("李华"), m_liHash).toJson(),
                                         feedCase(QStringLiteral("FEED000002"), 1, QStringLiteral("王建国"), m_wangHash.toUpper()).toJson()}));
    }

    void fedCase_byProjectNoAndName_foundInTheCache_withEveryField()
    {
        const auto [found, source] = find(query(CaseQuery::Kind::ByProjectNoAndName, QStringLiteral("FEED000001"), QStringLiteral("李华")));
        QCOMPARE(source, CaseDirectory::Source::Cache);
        QCOMPARE(found.size(), 2);
        const Case expected = feedCase(QStringLiteral("FEED000001"), 1, QStringLiteral("李华"), m_liHash);
        const Case &c = found.at(0).serviceNumber == 1 ? found.at(0) : found.at(1);
        QCOMPARE(c.toJson(), expected.toJson());
    }

    void fedCase_otherName_findsNothing()
    {
        const auto [found, source] = find(query(CaseQuery::Kind::ByProjectNoAndName, QStringLiteral("FEED000001"), QStringLiteral("王建国")));
        QVERIFY(found.isEmpty());
        QCOMPARE(source, CaseDirectory::Source::None);
    }

    void fedCase_byProjectNo_findsOnlyThatCase_andTheDirectoryHoldsIt()
    {
        const auto [found, source] = find(query(CaseQuery::Kind::ByProjectNo, QStringLiteral("FEED000002")));
        QCOMPARE(found.size(), 1);
        QCOMPARE(found.at(0).userName, QStringLiteral("王建国"));
        QCOMPARE(found.at(0).staffNo, QStringLiteral("GA-0107"));
        QVERIFY(find(query(CaseQuery::Kind::ByProjectNo, QStringLiteral("FEED000003"))).first.isEmpty());
        CaseDirectory directory(&m_store);
        QVERIFY(directory.holdsProjectNo(QStringLiteral("FEED000002")));
        QVERIFY(!directory.holdsProjectNo(QStringLiteral("FEED000003")));
    }

    void fedCase_byCertKeyHash_foundInAnyCase()
    {
        const auto li = find(query(CaseQuery::Kind::ByCertKeyHash, {}, {}, m_liHash.toUpper())).first;
        QCOMPARE(li.size(), 2);
        for (const Case &c : li)
            QCOMPARE(c.projectNo, QStringLiteral("FEED000001"));
        const auto wang = find(query(CaseQuery::Kind::ByCertKeyHash, {}, {}, m_wangHash)).first;
        QCOMPARE(wang.size(), 1);
        QCOMPARE(wang.at(0).projectNo, QStringLiteral("FEED000002"));
    }

    void oneTable_theStoreCountsWhatTheFeedWrote()
    {
        QCOMPARE(m_store.caseCount(), 3);
        QCOMPARE(m_feed.count(), 3);
    }
};

QTEST_GUILESS_MAIN(TstCaseDirectory)
#include "tst_casedirectory.moc"

// SPDX-License-Identifier: Apache-2.0
// The outbox table contract the kiosk Store relies on.
#include "outbox.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace hcp::sync;

class TestOutbox : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void init();
    void cleanup();

    void schemaSql_runTwice_isIdempotent();
    void enqueue_insideCallerTransaction_rolledBackWithIt();
    void enqueue_duplicateUuidOrSeq_fails();
    void counts_reportQueuedQuarantinedAndOldestAge();

private:
    QTemporaryDir m_dir;
    QSqlDatabase m_db;
};

void TestOutbox::init()
{
    m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("tst"));
    m_db.setDatabaseName(m_dir.filePath(QStringLiteral("k%1.sqlite").arg(QTest::currentTestFunction())));
    QVERIFY(m_db.open());
    QString error;
    QVERIFY2(Outbox::createSchema(m_db, &error), qPrintable(error));
}

void TestOutbox::cleanup()
{
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(QStringLiteral("tst"));
}

void TestOutbox::schemaSql_runTwice_isIdempotent()
{
    const QStringList statements = Outbox::schemaSql().split(QStringLiteral(";\n"));
    QCOMPARE(statements, Outbox::schemaStatements());
    QSqlQuery q(m_db);
    for (int round = 0; round < 2; ++round)
        for (const QString &s : statements)
            QVERIFY2(q.exec(s), qPrintable(s));
    QVERIFY(q.exec(QStringLiteral("SELECT seq, uuid, payload, state, attempts, last_error, created_at, acked_at FROM outbox")));
}

void TestOutbox::enqueue_insideCallerTransaction_rolledBackWithIt()
{
    QString error;
    QVERIFY(m_db.transaction());
    QVERIFY2(Outbox::enqueue(m_db, 1, QStringLiteral("u-1"), R"({"uuid":"u-1"})", &error), qPrintable(error));
    QVERIFY(m_db.rollback());
    QCOMPARE(Outbox::counts(m_db, 0).queued, 0);

    QVERIFY(m_db.transaction());
    QVERIFY(Outbox::enqueue(m_db, 1, QStringLiteral("u-1"), R"({"uuid":"u-1"})", &error));
    QVERIFY(m_db.commit());
    QCOMPARE(Outbox::counts(m_db, 0).queued, 1);
    QSqlQuery q(m_db);
    QVERIFY(q.exec(QStringLiteral("SELECT state, payload FROM outbox WHERE seq = 1")) && q.next());
    QCOMPARE(q.value(0).toInt(), int(Outbox::Queued));
    QCOMPARE(q.value(1).toString(), QStringLiteral(R"({"uuid":"u-1"})"));
}

void TestOutbox::enqueue_duplicateUuidOrSeq_fails()
{
    QString error;
    QVERIFY(Outbox::enqueue(m_db, 1, QStringLiteral("u-1"), "{}", &error));
    QVERIFY(!Outbox::enqueue(m_db, 1, QStringLiteral("u-2"), "{}", &error));
    QVERIFY(!error.isEmpty());
    error.clear();
    QVERIFY(!Outbox::enqueue(m_db, 2, QStringLiteral("u-1"), "{}", &error));
    QVERIFY(!error.isEmpty());
}

void TestOutbox::counts_reportQueuedQuarantinedAndOldestAge()
{
    QString error;
    for (int i = 1; i <= 4; ++i)
        QVERIFY(Outbox::enqueue(m_db, i, QStringLiteral("u-%1").arg(i), "{}", &error));
    QSqlQuery q(m_db);
    QVERIFY(q.exec(QStringLiteral("UPDATE outbox SET created_at = 1000000 WHERE seq = 1")));
    QVERIFY(q.exec(QStringLiteral("UPDATE outbox SET created_at = 1050000 WHERE seq = 2")));
    QVERIFY(q.exec(QStringLiteral("UPDATE outbox SET state = 1 WHERE seq = 2")));
    QVERIFY(q.exec(QStringLiteral("UPDATE outbox SET state = 2 WHERE seq = 3")));
    QVERIFY(q.exec(QStringLiteral("UPDATE outbox SET state = 3 WHERE seq = 4")));
    const Outbox::Counts c = Outbox::counts(m_db, 1000000 + 90000);
    QCOMPARE(c.queued, 2);
    QCOMPARE(c.acked, 1);
    QCOMPARE(c.quarantined, 1);
    QCOMPARE(c.oldestUnsentAgeS, 90);
}

QTEST_GUILESS_MAIN(TestOutbox)
#include "tst_outbox.moc"

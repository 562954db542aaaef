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
    void states_storedNumbers_neverChange();
    void ackedRow_neverInANextBatchOrMarkedAgain();
    void nextBatch_afterSeqAndLimit_oldestUnackedFirstWithLedgerEntry();
    void unledgered_reportedThenQuarantined_neverSent();
    void quarantine_keepsStatusAndReason();
    void removePayloadFields_onlyNamedRowsAndMembers();
    void joinAcked_keepsOnlyAckedRows();

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

static int stateOf(QSqlDatabase &db, qint64 seq)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT state FROM outbox WHERE seq = ?"));
    q.addBindValue(seq);
    return q.exec() && q.next() ? q.value(0).toInt() : -1;
}

static QList<qint64> seqs(const QList<Outbox::Pending> &rows)
{
    QList<qint64> out;
    for (const Outbox::Pending &p : rows)
        out.append(p.seq);
    return out;
}

void TestOutbox::states_storedNumbers_neverChange()
{
    // Databases in the field hold these numbers (and the partial index says "state < 2").
    QCOMPARE(int(Outbox::Queued), 0);
    QCOMPARE(int(Outbox::Sending), 1);
    QCOMPARE(int(Outbox::Acked), 2);
    QCOMPARE(int(Outbox::Quarantined), 3);
    QCOMPARE(int(Outbox::Unledgered), 4);
    QVERIFY(Outbox::schemaStatements().at(1).endsWith(QStringLiteral("WHERE state < 2")));
}

void TestOutbox::ackedRow_neverInANextBatchOrMarkedAgain()
{
    QString error;
    for (int i = 1; i <= 3; ++i)
        QVERIFY(Outbox::enqueue(m_db, i, QStringLiteral("u-%1").arg(i), "{}", &error));
    QVERIFY(Outbox::markSending(m_db, 1, 3, &error));
    QVERIFY2(Outbox::ack(m_db, {2}, 5000, &error), qPrintable(error));
    QCOMPARE(stateOf(m_db, 2), int(Outbox::Acked));
    // A resend after a restart starts at the oldest unacknowledged row and skips the acked one.
    QList<Outbox::Pending> rows;
    QVERIFY(Outbox::nextBatch(m_db, 0, 500, false, &rows, &error));
    QCOMPARE(seqs(rows), (QList<qint64>{1, 3}));
    // Marking a range that spans it, or finding it unledgered, never moves it back.
    QVERIFY(Outbox::markSending(m_db, 1, 3, &error));
    QVERIFY(Outbox::markUnledgered(m_db, 2, QStringLiteral("no entry"), &error));
    QCOMPARE(stateOf(m_db, 2), int(Outbox::Acked));
    QSqlQuery q(m_db);
    QVERIFY(q.exec(QStringLiteral("SELECT attempts, acked_at FROM outbox WHERE seq = 2")) && q.next());
    QCOMPARE(q.value(0).toInt(), 1);
    QCOMPARE(q.value(1).toLongLong(), 5000);
    QCOMPARE(Outbox::counts(m_db, 0).acked, 1);
    QCOMPARE(Outbox::counts(m_db, 0).queued, 2);
}

void TestOutbox::nextBatch_afterSeqAndLimit_oldestUnackedFirstWithLedgerEntry()
{
    QString error;
    QSqlQuery q(m_db);
    QVERIFY(q.exec(QStringLiteral("CREATE TABLE ledger (seq INTEGER PRIMARY KEY, entry TEXT)")));
    QVERIFY(q.exec(QStringLiteral("INSERT INTO ledger (seq, entry) VALUES (2, '{\"e\":2}')")));
    for (int i = 1; i <= 5; ++i)
        QVERIFY(Outbox::enqueue(m_db, i, QStringLiteral("u-%1").arg(i), QByteArray("{\"n\":") + QByteArray::number(i) + '}', &error));
    QList<Outbox::Pending> rows;
    QVERIFY(Outbox::nextBatch(m_db, 1, 2, true, &rows, &error));
    QCOMPARE(seqs(rows), (QList<qint64>{2, 3}));
    QCOMPARE(rows.at(0).uuid, QStringLiteral("u-2"));
    QCOMPARE(rows.at(0).payload, QByteArray(R"({"n":2})"));
    QCOMPARE(rows.at(0).ledgerEntry, QByteArray(R"({"e":2})"));
    QVERIFY(rows.at(1).ledgerEntry.isEmpty());
    rows.clear();
    QVERIFY(Outbox::nextBatch(m_db, 0, 500, false, &rows, &error));
    QCOMPARE(rows.size(), 5);
    QVERIFY(rows.at(1).ledgerEntry.isEmpty()); // not asked for
}

void TestOutbox::unledgered_reportedThenQuarantined_neverSent()
{
    QString error;
    for (int i = 1; i <= 3; ++i)
        QVERIFY(Outbox::enqueue(m_db, i, QStringLiteral("u-%1").arg(i), "{\"x\":1}", &error));
    QVERIFY(Outbox::markUnledgered(m_db, 1, QStringLiteral("no ledger entry"), &error));
    QVERIFY(Outbox::markUnledgered(m_db, 3, QStringLiteral("payload hash mismatch"), &error));
    QList<Outbox::Pending> rows;
    QVERIFY(Outbox::nextBatch(m_db, 0, 500, false, &rows, &error));
    QCOMPARE(seqs(rows), (QList<qint64>{2}));
    QList<Outbox::UnledgeredRow> found;
    QVERIFY(Outbox::unledgered(m_db, 1, &found, &error));
    QCOMPARE(found.size(), 1);
    QCOMPARE(found.at(0).seq, 1);
    QCOMPARE(found.at(0).uuid, QStringLiteral("u-1"));
    QCOMPARE(found.at(0).reason, QStringLiteral("no ledger entry"));
    QCOMPARE(found.at(0).payload, QByteArray(R"({"x":1})"));
    QCOMPARE(Outbox::counts(m_db, 0).quarantined, 2);
    // Only the reported one leaves Unledgered; a Queued row named in the list is not touched.
    QVERIFY(Outbox::reportedUnledgered(m_db, {1, 2}, &error));
    QCOMPARE(stateOf(m_db, 1), int(Outbox::Quarantined));
    QCOMPARE(stateOf(m_db, 2), int(Outbox::Queued));
    QCOMPARE(stateOf(m_db, 3), int(Outbox::Unledgered));
    found.clear();
    QVERIFY(Outbox::unledgered(m_db, 100, &found, &error));
    QCOMPARE(found.size(), 1);
    QCOMPARE(found.at(0).reason, QStringLiteral("payload hash mismatch"));
}

void TestOutbox::quarantine_keepsStatusAndReason()
{
    QString error;
    QVERIFY(Outbox::enqueue(m_db, 1, QStringLiteral("u-1"), "{}", &error));
    QVERIFY(Outbox::markSending(m_db, 1, 1, &error));
    QVERIFY(Outbox::quarantine(m_db, 1, QStringLiteral("conflict"), QStringLiteral("already rated"), &error));
    QCOMPARE(stateOf(m_db, 1), int(Outbox::Quarantined));
    QSqlQuery q(m_db);
    QVERIFY(q.exec(QStringLiteral("SELECT last_error FROM outbox WHERE seq = 1")) && q.next());
    QCOMPARE(q.value(0).toString(), QStringLiteral("conflict: already rated"));
    QList<Outbox::Pending> rows;
    QVERIFY(Outbox::nextBatch(m_db, 0, 500, false, &rows, &error));
    QVERIFY(rows.isEmpty());
}

void TestOutbox::removePayloadFields_onlyNamedRowsAndMembers()
{
    QString error;
    QVERIFY(Outbox::enqueue(m_db, 1, QStringLiteral("u'1"), R"({"a":1,"b":2,"c":3})", &error));
    QVERIFY(Outbox::enqueue(m_db, 2, QStringLiteral("u-2"), R"({"a":1,"b":2,"c":3})", &error));
    QVERIFY2(Outbox::removePayloadFields(m_db, {QStringLiteral("u'1")}, {QStringLiteral("a"), QStringLiteral("c")}, &error),
             qPrintable(error));
    QSqlQuery q(m_db);
    QVERIFY(q.exec(QStringLiteral("SELECT payload FROM outbox ORDER BY seq")));
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toString(), QStringLiteral(R"({"b":2})"));
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toString(), QStringLiteral(R"({"a":1,"b":2,"c":3})"));
}

void TestOutbox::joinAcked_keepsOnlyAckedRows()
{
    QString error;
    QSqlQuery q(m_db);
    QVERIFY(q.exec(QStringLiteral("CREATE TABLE evaluation (uuid TEXT PRIMARY KEY)")));
    for (int i = 1; i <= 3; ++i) {
        QVERIFY(Outbox::enqueue(m_db, i, QStringLiteral("u-%1").arg(i), "{}", &error));
        QVERIFY(q.exec(QStringLiteral("INSERT INTO evaluation VALUES ('u-%1')").arg(i)));
    }
    QVERIFY(Outbox::markSending(m_db, 1, 3, &error));
    QVERIFY(Outbox::ack(m_db, {3}, 1, &error));
    QVERIFY(q.exec(QStringLiteral("SELECT e.uuid FROM evaluation e") + Outbox::joinAcked(QStringLiteral("e.uuid"))));
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toString(), QStringLiteral("u-3"));
    QVERIFY(!q.next());
}

QTEST_GUILESS_MAIN(TestOutbox)
#include "tst_outbox.moc"

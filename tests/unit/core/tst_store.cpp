// SPDX-License-Identifier: Apache-2.0
#include "store.h"
#include "auditlog.h"
#include "ledger.h"
#include "personaldataeraser.h"
#include "ledgerentry.h"
#include "ledgertable.h"
#include "ledgerverifier.h"
#include "outbox.h"
#include "casecache.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace hcp::kiosk;

class TestStore : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    int m_n = 0;

    QString freshPath() { return m_dir.filePath(QStringLiteral("db%1.sqlite").arg(++m_n)); }
    static Evaluation eval(const QString &projectNo, int level = 5)
    {
        Evaluation e;
        e.projectNo = projectNo;
        e.serviceNumber = 1;
        e.satisfaction = level;
        e.pf = 4;
        return e;
    }
    static QVariant scalar(Store &s, const QString &sql)
    {
        QSqlQuery q(s.database());
        return q.exec(sql) && q.next() ? q.value(0) : QVariant();
    }
    // Tables and indexes by name, with their CREATE text as SQLite keeps it (whitespace and
    // "IF NOT EXISTS" normalised away).
    static QMap<QString, QString> schemaOf(QSqlDatabase db)
    {
        QMap<QString, QString> out;
        QSqlQuery q(db);
        if (q.exec(QStringLiteral("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL")))
            while (q.next())
                out.insert(q.value(0).toString(),
                           q.value(1).toString().simplified().remove(QStringLiteral("IF NOT EXISTS ")));
        return out;
    }
    static int outboxState(Store &s, qint64 seq)
    {
        return scalar(s, QStringLiteral("SELECT state FROM outbox WHERE seq = %1").arg(seq)).toInt();
    }
    // A file as the v5 build left it (tests/data/kiosk/store-v5.sql, an sqlite3 dump of it).
    void writeV5File(const QString &path)
    {
        QFile dump(QStringLiteral(HCP_STORE_V5_DUMP));
        QVERIFY2(dump.open(QIODevice::ReadOnly), qPrintable(dump.fileName()));
        const QString sql = QString::fromUtf8(dump.readAll());
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("v5-writer"));
        db.setDatabaseName(path);
        QVERIFY(db.open());
        {
            QSqlQuery q(db);
            for (const QString &statement : sql.split(QStringLiteral(";\n"), Qt::SkipEmptyParts))
                if (!statement.trimmed().isEmpty())
                    QVERIFY2(q.exec(statement), qPrintable(q.lastError().text() + QLatin1Char(' ') + statement.left(80)));
        }
        db.close();
        db = QSqlDatabase();
        QSqlDatabase::removeDatabase(QStringLiteral("v5-writer"));
    }
private Q_SLOTS:
    void migration_fileOfTheV5Build_sameSchemaAsFreshRowsAndStatesKept()
    {
        const QString path = freshPath();
        writeV5File(path);
        Store fresh;
        QVERIFY(fresh.open(freshPath()));
        Store s;
        QString err;
        QVERIFY2(s.open(path, &err), qPrintable(err));
        QCOMPARE(s.schemaVersion(), Store::kLatestVersion);
        QCOMPARE(schemaOf(s.database()), schemaOf(fresh.database()));
        QCOMPARE(scalar(s, QStringLiteral("PRAGMA integrity_check")).toString(), QStringLiteral("ok"));

        // Outbox rows keep their states: unledgered, acked (and erased), sending, queued.
        QCOMPARE(s.evaluationCount(), 4);
        QCOMPARE(outboxState(s, 1), int(hcp::sync::Outbox::Unledgered));
        QCOMPARE(outboxState(s, 2), int(hcp::sync::Outbox::Acked));
        QCOMPARE(outboxState(s, 3), int(hcp::sync::Outbox::Sending));
        QCOMPARE(outboxState(s, 4), int(hcp::sync::Outbox::Queued));
        QSqlDatabase db = s.database();
        const hcp::sync::Outbox::Counts counts = hcp::sync::Outbox::counts(db, 0);
        QCOMPARE(counts.queued, 2);
        QCOMPARE(counts.acked, 1);
        QCOMPARE(counts.quarantined, 1);
        QList<hcp::sync::Outbox::Pending> pending;
        QVERIFY(hcp::sync::Outbox::nextBatch(db, 0, 500, true, &pending, &err));
        QCOMPARE(pending.size(), 2);
        QCOMPARE(pending.at(0).seq, 3);
        QVERIFY(hcp::sync::LedgerTable::entryMismatch(pending.at(0).seq, pending.at(0).uuid, pending.at(0).payload,
                                                      pending.at(0).ledgerEntry).isEmpty());
        QCOMPARE(hcp::sync::LedgerTable::hubKnownSeq(db), 2);

        // The eraser goes on where it stopped: the acked row was erased, the next ack erases one more.
        PersonalDataEraser eraser(&s);
        QCOMPARE(eraser.eraseAcknowledged(), 0);
        QVERIFY(hcp::sync::Outbox::ack(db, {3}, 1, &err));
        QCOMPARE(eraser.eraseAcknowledged(), 1);
        QVERIFY(s.evaluations().at(2).writingEvaluation.isEmpty());
        QVERIFY(!s.evaluations().at(3).writingEvaluation.isEmpty());

        // The audit chain: three records, the first acknowledged; the next links to the third.
        const auto key = hcp::trust::Key::generate(hcp::trust::KeyType::Sm2);
        Ledger ledger(key);
        AuditLog audit(&s, ledger.builder());
        QCOMPARE(audit.pendingCount(), 2);
        QCOMPARE(audit.records().size(), 3);
        QCOMPARE(hcp::sync::Outbox::auditHubKnownSeq(db), 1);
        QVERIFY(audit.record(QStringLiteral("maintenance_closed"), {}));
        QCOMPARE(audit.records().last().toObject().value(QLatin1String("deviceSeq")).toInt(), 4);
        QCOMPARE(audit.pendingCount(), 3);

        // Cached cases, configuration, and the next seq after the old ones.
        QCOMPARE(s.casesByCertKeyHash(QStringLiteral("0f1e2d3c")).value(0).projectNo, QStringLiteral("CASE000001"));
        QCOMPARE(s.casesByProjectNo(QStringLiteral("CASE000002")).value(0).userName, QStringLiteral("王芳"));
        QCOMPARE(s.config(QStringLiteral("kiosk")), QByteArray("{\"pf\":5}"));
        // v6: the feed opens the same table and keeps the cached cases (their hashes are of the
        // current scheme); its cursor starts at 0, so the next pull refetches the hall's cases.
        {
            hcp::sync::CaseCache feed;
            QVERIFY2(feed.open(path, &err), qPrintable(err));
            QCOMPARE(feed.count(), 2);
            QCOMPARE(feed.cursor(), 0);
            QCOMPARE(feed.findByCertKeyHash("0F1E2D3C").size(), 1);
            QCOMPARE(feed.findByProjectNo(QStringLiteral("CASE000002"), QStringLiteral("王芳")).size(), 1);
        }
        QCOMPARE(s.caseCount(), 2);
        ledger.attach(s);
        Evaluation next = eval(QStringLiteral("MIG0000005"));
        QVERIFY(s.commitEvaluation(next).ok());
        QCOMPARE(next.deviceSeq, 5);
        QCOMPARE(outboxState(s, 5), int(hcp::sync::Outbox::Queued));
    }
    void migration_tablesOfTheSyncLayer_matchTheirOwnersCurrentDdl()
    {
        // The Store's steps keep frozen copies of what each version created; the tables' owners
        // (sync::Outbox, sync::LedgerTable, sync::CaseCache) hold the current DDL. A migrated file must have
        // exactly the owners' schema: changing an owner's DDL needs a new Store step.
        Store s;
        QVERIFY(s.open(freshPath()));
        QSqlDatabase owners = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("owners"));
        owners.setDatabaseName(freshPath());
        QVERIFY(owners.open());
        QString err;
        QVERIFY2(hcp::sync::Outbox::createSchema(owners, &err), qPrintable(err));
        QVERIFY2(hcp::sync::LedgerTable::createSchema(owners, &err), qPrintable(err));
        {
            QSqlQuery q(owners);
            for (const QString &statement : hcp::sync::Outbox::auditSchemaStatements() + hcp::sync::CaseCache::schemaStatements())
                QVERIFY2(q.exec(statement), qPrintable(statement));
        }
        const QMap<QString, QString> expected = schemaOf(owners);
        const QMap<QString, QString> migrated = schemaOf(s.database());
        // outbox and its 2 indexes, ledger, ledger_sync, audit_log, audit_sync, case_cache, its index and state
        QCOMPARE(expected.size(), 10);
        for (auto it = expected.cbegin(); it != expected.cend(); ++it)
            QCOMPARE(migrated.value(it.key()), it.value());
        owners.close();
        owners = QSqlDatabase();
        QSqlDatabase::removeDatabase(QStringLiteral("owners"));
    }
    void open_setsWalAndFullSync()
    {
        Store s;
        QString err;
        QVERIFY2(s.open(freshPath(), &err), qPrintable(err));
        QCOMPARE(scalar(s, QStringLiteral("PRAGMA journal_mode")).toString(), QStringLiteral("wal"));
        QCOMPARE(scalar(s, QStringLiteral("PRAGMA synchronous")).toInt(), 2); // FULL
        QCOMPARE(s.schemaVersion(), Store::kLatestVersion);
    }
    void commit_assignsGapFreeSeqAndWritesOutboxInSameTransaction()
    {
        Store s;
        QVERIFY(s.open(freshPath()));
        for (int i = 1; i <= 5; ++i) {
            Evaluation e = eval(QStringLiteral("P%1000000").arg(i));
            const auto r = s.commitEvaluation(e);
            QVERIFY2(r.ok(), qPrintable(r.error));
            QCOMPARE(e.deviceSeq, qint64(i));
            QVERIFY(!e.uuid.isEmpty());
            QVERIFY(e.assessTime.isValid());
        }
        QCOMPARE(s.evaluationCount(), 5);
        QCOMPARE(scalar(s, QStringLiteral("SELECT COUNT(*) FROM outbox")).toInt(), 5);
        QCOMPARE(scalar(s, QStringLiteral("SELECT COUNT(*) FROM outbox o JOIN evaluation e ON e.uuid = o.uuid AND e.device_seq = o.seq")).toInt(), 5);
    }
    void commit_secondForSameCase_isAlreadyRatedWithTime()
    {
        Store s;
        QVERIFY(s.open(freshPath()));
        Evaluation a = eval(QStringLiteral("SAME000001"), 5);
        a.assessTime = QDateTime(QDate(2026, 11, 27), QTime(10, 11, 12));
        QVERIFY(s.commitEvaluation(a).ok());
        Evaluation b = eval(QStringLiteral("SAME000001"), 1);
        b.writingEvaluation = QStringLiteral("x");
        const auto r = s.commitEvaluation(b);
        QCOMPARE(r.status, Store::CommitResult::Status::AlreadyRated);
        QCOMPARE(r.existingTime, a.assessTime);
        QCOMPARE(s.evaluationCount(), 1);
        QCOMPARE(scalar(s, QStringLiteral("SELECT COUNT(*) FROM outbox")).toInt(), 1);
        // A follow-up rating (追评, assessNumber 2) of the same service is a different record.
        Evaluation c = eval(QStringLiteral("SAME000001"), 4);
        c.assessNumber = 2;
        c.evaluateType = 2;
        QVERIFY(s.commitEvaluation(c).ok());
        QVERIFY(s.ratedAt(QStringLiteral("SAME000001"), 1, 2).has_value());
    }
    void commitHookFailure_rollsBackEverything()
    {
        Store s;
        QVERIFY(s.open(freshPath()));
        s.setCommitHook([](QSqlDatabase &, const Evaluation &, QString *error) {
            *error = QStringLiteral("ledger refused");
            return false;
        });
        Evaluation e = eval(QStringLiteral("HOOK000001"));
        const auto r = s.commitEvaluation(e);
        QCOMPARE(r.status, Store::CommitResult::Status::StorageError);
        QCOMPARE(r.error, QStringLiteral("ledger refused"));
        QCOMPARE(s.evaluationCount(), 0);
        QCOMPARE(scalar(s, QStringLiteral("SELECT COUNT(*) FROM outbox")).toInt(), 0);
        s.setCommitHook({});
        Evaluation again = eval(QStringLiteral("HOOK000001"));
        QVERIFY(s.commitEvaluation(again).ok());
        QCOMPARE(again.deviceSeq, 1); // the failed attempt left no gap
    }
    void readOnlyDatabase_commitFailsCleanly()
    {
        const QString path = freshPath();
        {
            Store s;
            QVERIFY(s.open(path));
        }
        Store s;
        QVERIFY(s.open(path));
        QSqlQuery(s.database()).exec(QStringLiteral("PRAGMA query_only = 1"));
        Evaluation e = eval(QStringLiteral("RO00000001"));
        const auto r = s.commitEvaluation(e);
        QVERIFY(!r.ok());
        QVERIFY(!r.error.isEmpty());
    }
    void diskFull_isReportedAsStorageFull()
    {
        Store s;
        QVERIFY(s.open(freshPath()));
        // Cap the file at its current size: the next page allocation fails with SQLITE_FULL.
        const int pages = scalar(s, QStringLiteral("PRAGMA page_count")).toInt();
        QSqlQuery(s.database()).exec(QStringLiteral("PRAGMA max_page_count = %1").arg(pages));
        Evaluation e = eval(QStringLiteral("FULL000001"));
        e.writingEvaluation = QString(400, QChar(0x597d));
        Store::CommitResult r;
        for (int i = 0; i < 50 && r.status != Store::CommitResult::Status::StorageFull; ++i) {
            e = eval(QStringLiteral("FULL%1").arg(i, 6, 10, QLatin1Char('0')));
            e.writingEvaluation = QString(400, QChar(0x597d));
            r = s.commitEvaluation(e);
        }
        QCOMPARE(r.status, Store::CommitResult::Status::StorageFull);
        QCOMPARE(scalar(s, QStringLiteral("PRAGMA integrity_check")).toString(), QStringLiteral("ok"));
        // Everything committed before the disk filled is still there, each with its outbox row.
        QCOMPARE(scalar(s, QStringLiteral("SELECT COUNT(*) FROM outbox")).toLongLong(), s.evaluationCount());
    }
    void migration_data()
    {
        QTest::addColumn<int>("from");
        QTest::newRow("v1→latest") << 1;
        QTest::newRow("v2→latest") << 2;
        QTest::newRow("v3→latest") << 3;
        QTest::newRow("v4→latest") << 4;
        QTest::newRow("v5→latest") << 5;
    }
    void migration()
    {
        QFETCH(int, from);
        const QString path = freshPath();
        Evaluation e = eval(QStringLiteral("MIG0000001"), 2);
        e.writingEvaluation = QStringLiteral("旧版本的评价");
        e.uuid = QStringLiteral("11111111-2222-3333-4444-555555555555");
        e.deviceSeq = 1;
        e.assistedBy = QStringLiteral("agent-7");
        e.assessTime = QDateTime(QDate(2026, 1, 5), QTime(9, 0));
        {
            Store old;
            QString err;
            QVERIFY2(old.open(path, &err, from), qPrintable(err));
            QCOMPARE(old.schemaVersion(), from);
            // Rows written the way that version wrote them.
            QSqlQuery q(old.database());
            const QString payload = QString::fromUtf8(QJsonDocument(e.toJson()).toJson(QJsonDocument::Compact));
            if (from == 1)
                QVERIFY(q.exec(QStringLiteral("INSERT INTO evaluation (uuid, device_seq, project_no, service_number, assess_number,"
                                              " satisfaction, assess_time, payload) VALUES ('%1', 1, 'MIG0000001', 1, 1, 2,"
                                              " '2026-01-05 09:00:00', '%2')").arg(e.uuid, payload)));
            else
                QVERIFY(q.exec(QStringLiteral("INSERT INTO evaluation (uuid, device_seq, project_no, service_number, assess_number,"
                                              " satisfaction, assess_time, payload, pf, assisted_by) VALUES ('%1', 1, 'MIG0000001',"
                                              " 1, 1, 2, '2026-01-05 09:00:00', '%2', 4, 'agent-7')").arg(e.uuid, payload)));
            QVERIFY(q.exec(QStringLiteral("INSERT INTO case_cache (project_no, service_number, user_name, payload, updated_at)"
                                          " VALUES ('CASE000001', 1, '李华', '{\"projectNo\":\"CASE000001\",\"serviceNumber\":1,"
                                          "\"certKeyHash\":\"abc123\"}', '2026-01-05 09:00:00')")));
            if (from >= 3)
                QVERIFY(q.exec(QStringLiteral("UPDATE case_cache SET cert_key_hash = 'abc123'")));
        }
        Store s;
        QString err;
        QVERIFY2(s.open(path, &err), qPrintable(err));
        QCOMPARE(s.schemaVersion(), Store::kLatestVersion);
        const auto back = s.evaluation(e.uuid);
        QVERIFY(back.has_value());
        QCOMPARE(back->writingEvaluation, e.writingEvaluation);
        QCOMPARE(scalar(s, QStringLiteral("SELECT pf FROM evaluation")).toInt(), 4);
        QCOMPARE(scalar(s, QStringLiteral("SELECT assisted_by FROM evaluation")).toString(), QStringLiteral("agent-7"));
        // v5: hashes of the old scheme (HMAC-SHA256) are dropped, the case itself stays findable by
        // its number; a card lookup refetches it from the hub with the HMAC-SM3 hash. A v5 file's
        // hashes are HMAC-SM3 already and stay (v6 keeps the cache).
        QCOMPARE(s.casesByCertKeyHash(QStringLiteral("abc123")).size(), from < 5 ? 0 : 1);
        QCOMPARE(s.casesByProjectNo(QStringLiteral("CASE000001")).size(), 1);
        QCOMPARE(s.casesByProjectNo(QStringLiteral("CASE000001")).value(0).certKeyHash.isEmpty(), from < 5);
        QVERIFY(scalar(s, QStringLiteral("SELECT personal_erased_at FROM evaluation")).isNull());
        QCOMPARE(scalar(s, QStringLiteral("SELECT COUNT(*) FROM ledger")).toInt(), 0);
        QCOMPARE(scalar(s, QStringLiteral("SELECT hub_known_seq FROM ledger_sync")).toInt(), 0);
        // The upgraded database keeps working: the next seq follows the old one. The evaluation
        // from before the ledger is never signed after the fact (that path laundered edited
        // rows): it stays without an entry, and the new entry links over the hole.
        const auto key = hcp::trust::Key::generate(hcp::trust::KeyType::Sm2);
        Ledger ledger(key);
        ledger.attach(s);
        Evaluation next = eval(QStringLiteral("MIG0000002"));
        QVERIFY(s.commitEvaluation(next).ok());
        QCOMPARE(next.deviceSeq, 2);
        QCOMPARE(scalar(s, QStringLiteral("SELECT COUNT(*) FROM ledger")).toInt(), 1);
        QCOMPARE(scalar(s, QStringLiteral("SELECT uuid FROM ledger WHERE seq = 2")).toString(), next.uuid);
        QVERIFY(scalar(s, QStringLiteral("SELECT COUNT(*) FROM ledger WHERE seq = 1")).toInt() == 0);
    }
    void ledger_entryPerCommitInSameTransaction_chainVerifiesAtHub()
    {
        Store s;
        QVERIFY(s.open(freshPath()));
        const auto key = hcp::trust::Key::generate(hcp::trust::KeyType::Sm2);
        Ledger ledger(key);
        ledger.attach(s);
        for (int i = 1; i <= 4; ++i) {
            Evaluation e = eval(QStringLiteral("LED-%1").arg(i), i + 1);
            const auto r = s.commitEvaluation(e);
            QVERIFY2(r.ok(), qPrintable(r.error));
        }
        // A refused evaluation (already rated) leaves no entry: seq stays gap-free.
        Evaluation again = eval(QStringLiteral("LED-1"));
        QCOMPARE(s.commitEvaluation(again).status, Store::CommitResult::Status::AlreadyRated);
        QCOMPARE(scalar(s, QStringLiteral("SELECT COUNT(*) FROM ledger")).toInt(), 4);
        QCOMPARE(scalar(s, QStringLiteral("SELECT COUNT(*) FROM ledger l JOIN evaluation e"
                                          " ON e.uuid = l.uuid AND e.device_seq = l.seq")).toInt(), 4);
        // A ledger that cannot be appended to (its head row is garbage) rolls the evaluation back.
        {
            QSqlQuery q(s.database());
            QVERIFY(q.exec(QStringLiteral("INSERT INTO ledger (seq, uuid, entry_hash, entry) VALUES (5, 'x', '00', '{}')")));
        }
        Evaluation blocked = eval(QStringLiteral("LED9000000"));
        QCOMPARE(s.commitEvaluation(blocked).ok(), false);
        QCOMPARE(s.evaluationCount(), 4);
        QVERIFY(QSqlQuery(s.database()).exec(QStringLiteral("DELETE FROM ledger WHERE seq = 5")));

        // What the hub would do: the whole chain with payloads verifies under the public key,
        // and the signed head matches.
        QList<hcp::trust::LedgerBatchItem> items;
        QSqlQuery q(s.database());
        QVERIFY(q.exec(QStringLiteral("SELECT l.entry, e.payload FROM ledger l JOIN evaluation e ON e.uuid = l.uuid ORDER BY l.seq")));
        while (q.next()) {
            const auto entry = hcp::trust::LedgerEntry::fromJson(QJsonDocument::fromJson(q.value(0).toString().toUtf8()).object());
            QVERIFY(entry);
            items.append({*entry, QJsonDocument::fromJson(q.value(1).toString().toUtf8()).object()});
        }
        QSqlDatabase db = s.database();
        const auto head = ledger.signedHead(db);
        QVERIFY(head);
        QCOMPARE(head->head.deviceSeq, quint64(4));
        const auto result = hcp::trust::LedgerVerifier(key.publicOnly()).verifyBatch(items, head);
        QVERIFY(result.ok());
        QCOMPARE(result.accepted, 4);
        // Editing a satisfaction in the stored evaluation breaks its payload hash.
        items[1].evaluation->insert(QStringLiteral("satisfaction"), 5);
        QVERIFY(hcp::trust::LedgerVerifier(key.publicOnly()).verifyBatch(items, head).has(
            hcp::trust::LedgerProblem::Kind::EditedPayload));
    }
    void ledger_rowsDeletedFromASeq_neverReenteredAndNextEntryLinksOverTheHole()
    {
        Store s;
        QVERIFY(s.open(freshPath()));
        Ledger ledger(hcp::trust::Key::generate(hcp::trust::KeyType::Sm2));
        ledger.attach(s);
        for (int i = 1; i <= 4; ++i) {
            Evaluation e = eval(QStringLiteral("GAP-%1").arg(i));
            QVERIFY(s.commitEvaluation(e).ok());
        }
        // Root deletes the ledger from seq 2 on (to have edited rows re-signed): nothing is.
        QVERIFY(QSqlQuery(s.database()).exec(QStringLiteral("DELETE FROM ledger WHERE seq >= 2")));
        Evaluation next = eval(QStringLiteral("GAP-5"));
        QVERIFY(s.commitEvaluation(next).ok());
        QCOMPARE(next.deviceSeq, 5);
        QCOMPARE(scalar(s, QStringLiteral("SELECT group_concat(seq) FROM (SELECT seq FROM ledger ORDER BY seq)")).toString(), QStringLiteral("1,5"));
        const auto first = hcp::trust::LedgerEntry::fromJson(
            QJsonDocument::fromJson(scalar(s, QStringLiteral("SELECT entry FROM ledger WHERE seq = 1")).toString().toUtf8()).object());
        const auto fifth = hcp::trust::LedgerEntry::fromJson(
            QJsonDocument::fromJson(scalar(s, QStringLiteral("SELECT entry FROM ledger WHERE seq = 5")).toString().toUtf8()).object());
        QVERIFY(first && fifth);
        QCOMPARE(fifth->prevHash, first->entryHash);
    }
    void evaluationDeletedLedgerKept_seqIsNotReused()
    {
        Store s;
        QVERIFY(s.open(freshPath()));
        Ledger ledger(hcp::trust::Key::generate(hcp::trust::KeyType::Sm2));
        ledger.attach(s);
        for (int i = 1; i <= 3; ++i) {
            Evaluation e = eval(QStringLiteral("KEEP-%1").arg(i));
            QVERIFY(s.commitEvaluation(e).ok());
        }
        QVERIFY(QSqlQuery(s.database()).exec(QStringLiteral("DELETE FROM evaluation WHERE device_seq = 3")));
        QVERIFY(QSqlQuery(s.database()).exec(QStringLiteral("DELETE FROM outbox WHERE seq = 3")));
        Evaluation next = eval(QStringLiteral("KEEP-4"));
        QVERIFY(s.commitEvaluation(next).ok());
        QCOMPARE(next.deviceSeq, 4); // seq 3 stays the deleted one's, its entry shows the hole
    }
    void newerSchema_isRefused()
    {
        const QString path = freshPath();
        {
            Store s;
            QVERIFY(s.open(path));
            QSqlQuery(s.database()).exec(QStringLiteral("PRAGMA user_version = 99"));
        }
        Store s;
        QString err;
        QVERIFY(!s.open(path, &err));
        QVERIFY(err.contains(QLatin1String("newer")));
    }
    void caseCache_upsertAndLookup()
    {
        Store s;
        QVERIFY(s.open(freshPath()));
        Case c;
        c.projectNo = QStringLiteral("CASE000002");
        c.userName = QStringLiteral("王建国");
        c.taskName = QStringLiteral("个体工商户设立登记");
        c.certKeyHash = QStringLiteral("feed");
        QVERIFY(s.upsertCases({c}));
        c.taskName = QStringLiteral("食品经营许可证核发");
        QVERIFY(s.upsertCases({c}));
        QCOMPARE(s.caseCount(), 1);
        QCOMPARE(s.casesByProjectNo(QStringLiteral("CASE000002")).value(0).taskName, c.taskName);
        QCOMPARE(s.casesByCertKeyHash(QStringLiteral("feed")).size(), 1);
    }
    void caseCache_feedAndLookupRows_oneTableInTheStoresFile()
    {
        // The hall feed (sync::CaseCache on its own connection) and the lookups (Store) keep one
        // cache: a case the feed brought is found by the kiosk's lookups, and a case a lookup
        // cached is seen by the feed's side; no second file.
        const QString path = freshPath();
        Store s;
        QVERIFY(s.open(path));
        hcp::sync::CaseCache feed;
        QString err;
        QVERIFY2(feed.open(path, &err), qPrintable(err));
        QVERIFY(feed.upsert({QJsonObject{{QStringLiteral("projectNo"), QStringLiteral("FEED000001")},
                                         {QStringLiteral("serviceNumber"), 1},
                                         {QStringLiteral("userName"), QStringLiteral("李华")},
                                         {QStringLiteral("certKeyHash"), QStringLiteral("c0ffee")},
                                         {QStringLiteral("taskName"), QStringLiteral("营业执照")},
                                         {QStringLiteral("changeSeq"), 5}}},
                            5));
        QCOMPARE(s.casesByProjectNo(QStringLiteral("FEED000001")).value(0).taskName, QStringLiteral("营业执照"));
        QCOMPARE(s.casesByCertKeyHash(QStringLiteral("c0ffee")).value(0).userName, QStringLiteral("李华"));
        Case looked;
        looked.projectNo = QStringLiteral("LOOK000001");
        looked.userName = QStringLiteral("王芳");
        looked.resultDate = QDateTime(QDate(2026, 11, 2), QTime(9, 0));
        QVERIFY(s.upsertCases({looked}));
        QCOMPARE(feed.findByProjectNo(QStringLiteral("LOOK000001"), QStringLiteral("王芳")).size(), 1);
        QCOMPARE(s.caseCount(), 2);
        QCOMPARE(feed.count(), 2);
        QCOMPARE(feed.cursor(), 5);
        QCOMPARE(QDir(m_dir.path()).entryList({QStringLiteral("*cache*")}), QStringList());
    }
    void config_storesVersionedDocuments()
    {
        Store s;
        QVERIFY(s.open(freshPath()));
        QVERIFY(s.setConfig(QStringLiteral("kiosk"), "{\"pf\":4}", QStringLiteral("v7")));
        QCOMPARE(s.config(QStringLiteral("kiosk")), QByteArray("{\"pf\":4}"));
        QCOMPARE(s.configVersion(QStringLiteral("kiosk")), QStringLiteral("v7"));
        QVERIFY(s.config(QStringLiteral("none")).isEmpty());
    }
    void export_writesOneJsonPerLine()
    {
        Store s;
        QVERIFY(s.open(freshPath()));
        for (int i = 0; i < 3; ++i) {
            Evaluation e = eval(QStringLiteral("EXP%1").arg(i, 7, 10, QLatin1Char('0')));
            QVERIFY(s.commitEvaluation(e).ok());
        }
        const QString out = m_dir.filePath(QStringLiteral("export.jsonl"));
        QCOMPARE(s.exportJsonl(out), 3);
        QFile f(out);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = f.readAll().trimmed().split('\n');
        QCOMPARE(lines.size(), 3);
        QCOMPARE(QJsonDocument::fromJson(lines.at(2)).object().value(QLatin1String("deviceSeq")).toInt(), 3);
    }
};

QTEST_GUILESS_MAIN(TestStore)
#include "tst_store.moc"

// SPDX-License-Identifier: Apache-2.0
// The hub database's versioned migrations (store/hubschema.h), on SQLite and on a PostgreSQL
// the test starts itself (initdb in a temp dir + pg_ctl on a loopback port, tests/sync/support).
// "Unversioned" databases are made from fixtures/hub-unversioned-*.sql: the schema hcp-hub
// created before versioning (dumped from a hub at main 65cff94), with rows in the tables an
// operator would miss most.
#include "hubschema.h"
#include "hubstore.h"
#include "pgserver.h"
#include "wire.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

using namespace hcp::sync;
using namespace hcp::sync::hub;

namespace {

const QString kCertKeyHex = QStringLiteral("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");

QString fixture(const QString &name)
{
    return QStringLiteral(HCP_HUB_SCHEMA_FIXTURES "/") + name;
}

// Rows a pre-versioning hub holds, in statements both databases accept.
QStringList legacyRows()
{
    return {
        QStringLiteral("INSERT INTO hub_meta (key, value) VALUES ('cert_key', '%1')").arg(kCertKeyHex),
        QStringLiteral("INSERT INTO hub_meta (key, value) VALUES ('cert_key_hash_scheme', '%1')")
            .arg(QLatin1String(wire::kCertKeyHashScheme)),
        QStringLiteral("INSERT INTO counters (name, value) VALUES ('case_change', 7)"),
        QStringLiteral("INSERT INTO devices (device_id, secret, hall_code, device_class, version, enrolled_at) "
                       "VALUES ('kiosk-1', 'c2VjcmV0', '320102', 'terminal', '0.1.0', 1700000000000)"),
        QStringLiteral("INSERT INTO evaluations (device_id, uuid, device_seq, project_no, satisfaction, assess_time, "
                       "payload, fingerprint, received_at) VALUES ('kiosk-1', 'u-1', 1, 'P-1', 5, "
                       "'2026-12-01 10:00:00', '{\"projectNo\":\"P-1\",\"satisfaction\":5}', 'fp-1', 1700000000100)"),
        QStringLiteral("INSERT INTO cases (project_no, service_number, hall_code, user_name, cert_key_hash, payload, "
                       "change_seq) VALUES ('P-1', 1, '320102', '张三', 'h-1', '{\"projectNo\":\"P-1\"}', 7)"),
        QStringLiteral("INSERT INTO tamper_alerts (device_id, kind, device_seq, uuid, evidence, received_at, occurrences) "
                       "VALUES ('kiosk-1', 'fork', 1, 'u-1', '{}', 1700000000200, 3)"),
        QStringLiteral("INSERT INTO console_users (name, password_hash, role, created_at) "
                       "VALUES ('admin', 'pbkdf2-sha256$1$c2FsdA==$aGFzaA==', 'admin', 1700000000300)"),
        QStringLiteral("INSERT INTO fraud_flags (kind, flag_key, subject, first_ms, last_ms, evidence_count, detail, "
                       "created_at, updated_at) VALUES ('burst', 'burst:kiosk-1:1', 'kiosk-1', 1, 2, 11, '{}', 3, 4)"),
        QStringLiteral("INSERT INTO receipt_witnesses (device_id, device_seq, uuid, signature, reported_by, "
                       "reported_at, state) VALUES ('kiosk-1', 1, 'u-1', 'sig', 'kiosk-2', 1700000000400, 'pending')"),
    };
}

// What the rows above must still read as after the migration.
const QList<std::pair<QString, QString>> &expectedReads()
{
    static const QList<std::pair<QString, QString>> reads{
        {QStringLiteral("SELECT value FROM counters WHERE name = 'case_change'"), QStringLiteral("7")},
        {QStringLiteral("SELECT payload FROM evaluations WHERE uuid = 'u-1'"),
         QStringLiteral("{\"projectNo\":\"P-1\",\"satisfaction\":5}")},
        {QStringLiteral("SELECT cert_key_hash FROM cases WHERE project_no = 'P-1'"), QStringLiteral("h-1")},
        {QStringLiteral("SELECT user_name FROM cases WHERE project_no = 'P-1'"), QStringLiteral("张三")},
        {QStringLiteral("SELECT occurrences FROM tamper_alerts WHERE uuid = 'u-1'"), QStringLiteral("3")},
        {QStringLiteral("SELECT password_hash FROM console_users WHERE name = 'admin'"),
         QStringLiteral("pbkdf2-sha256$1$c2FsdA==$aGFzaA==")},
        {QStringLiteral("SELECT evidence_count FROM fraud_flags WHERE flag_key = 'burst:kiosk-1:1'"), QStringLiteral("11")},
        {QStringLiteral("SELECT state FROM receipt_witnesses WHERE uuid = 'u-1'"), QStringLiteral("pending")},
    };
    return reads;
}

QString normalized(QString sql)
{
    return sql.simplified();
}

// Every table, column, index, constraint and trigger, one sorted line each.
QStringList sqliteSchema(QSqlDatabase &db)
{
    QStringList out;
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")))
        return {QStringLiteral("error: ") + q.lastError().text()};
    while (q.next())
        out.append(QStringList{q.value(0).toString(), q.value(1).toString(), q.value(2).toString(),
                               normalized(q.value(3).toString())}
                       .join(QLatin1Char('|')));
    out.sort();
    return out;
}

QStringList postgresSchema(QSqlDatabase &db)
{
    const QStringList queries{
        QStringLiteral("SELECT 'column', table_name, column_name, ordinal_position, data_type, is_nullable, "
                       "COALESCE(column_default, '') FROM information_schema.columns WHERE table_schema = 'public'"),
        QStringLiteral("SELECT 'index', tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'"),
        QStringLiteral("SELECT 'constraint', c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) "
                       "FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = 'public'"),
        QStringLiteral("SELECT 'trigger', event_object_table, trigger_name, event_manipulation, action_timing, "
                       "action_statement FROM information_schema.triggers WHERE trigger_schema = 'public'"),
        QStringLiteral("SELECT 'function', p.proname, p.prosrc FROM pg_proc p JOIN pg_namespace n "
                       "ON n.oid = p.pronamespace WHERE n.nspname = 'public'"),
        QStringLiteral("SELECT 'sequence', sequence_name, data_type FROM information_schema.sequences "
                       "WHERE sequence_schema = 'public'"),
    };
    QStringList out;
    for (const QString &sql : queries) {
        QSqlQuery q(db);
        if (!q.exec(sql))
            return {QStringLiteral("error: ") + q.lastError().text()};
        while (q.next()) {
            QStringList fields;
            for (int i = 0; i < q.record().count(); ++i)
                fields.append(normalized(q.value(i).toString()));
            out.append(fields.join(QLatin1Char('|')));
        }
    }
    out.sort();
    return out;
}

// The schema lines only one side has, for a readable failure.
QString difference(const QStringList &a, const QStringList &b)
{
    QStringList lines;
    for (const QString &l : a)
        if (!b.contains(l))
            lines.append(QStringLiteral("- ") + l);
    for (const QString &l : b)
        if (!a.contains(l))
            lines.append(QStringLiteral("+ ") + l);
    return lines.join(QLatin1Char('\n'));
}

bool execAll(QSqlDatabase &db, const QStringList &statements, QString *error)
{
    QSqlQuery q(db);
    for (const QString &s : statements) {
        if (!q.exec(s)) {
            *error = q.lastError().text() + QStringLiteral(" in ") + s;
            return false;
        }
    }
    return true;
}

int countRows(QSqlDatabase &db, const QString &sql)
{
    QSqlQuery q(db);
    return q.exec(sql) && q.next() ? q.value(0).toInt() : -1;
}

} // namespace

class TestHubSchema : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    test::PgServer m_pg;
    bool m_pgStarted = false;
    int m_connections = 0;

    // A connection of the test's own (beside the HubStore's).
    QSqlDatabase connect(const QString &spec)
    {
        const QString name = QStringLiteral("tst-hubschema-%1").arg(++m_connections);
        QSqlDatabase db;
        if (spec.startsWith(QLatin1String("postgres://"))) {
            const QUrl url(spec);
            db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), name);
            db.setHostName(url.host());
            db.setPort(url.port(5432));
            db.setUserName(url.userName());
            db.setDatabaseName(url.path().mid(1));
        } else {
            db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
            db.setDatabaseName(spec);
        }
        if (!db.open())
            qWarning() << "cannot open" << spec << db.lastError().text();
        return db;
    }

    // A SQLite file with the pre-versioning schema and rows.
    QString legacySqlite(const QString &name)
    {
        const QString path = m_dir.filePath(name);
        QFile f(fixture(QStringLiteral("hub-unversioned-sqlite.sql")));
        if (!f.open(QIODevice::ReadOnly))
            return {};
        QStringList statements;
        for (const QByteArray &line : f.readAll().split('\n')) {
            const QString s = QString::fromUtf8(line).trimmed();
            if (!s.isEmpty() && !s.startsWith(QLatin1String("--")))
                statements.append(s);
        }
        QSqlDatabase db = connect(path);
        QString error;
        const bool ok = execAll(db, statements + legacyRows(), &error);
        db.close();
        if (!ok) {
            qWarning() << error;
            return {};
        }
        return path;
    }

    // A new PostgreSQL database in the test's server: empty, or with the pre-versioning schema
    // (loaded with psql, as pg_dump wrote it) and rows.
    QString postgresDatabase(const QString &name, bool legacy)
    {
        QSqlDatabase admin = connect(m_pg.spec());
        QSqlQuery q(admin);
        if (!q.exec(QStringLiteral("CREATE DATABASE %1").arg(name))) {
            qWarning() << q.lastError().text();
            return {};
        }
        admin.close();
        const QUrl base(m_pg.spec());
        QUrl url = base;
        url.setPath(QLatin1Char('/') + name);
        const QString spec = url.toString();
        if (!legacy)
            return spec;
        QProcess psql;
        psql.setProcessChannelMode(QProcess::MergedChannels);
        psql.start(test::PgServer::binary(QStringLiteral("psql")),
                   {QStringLiteral("-X"), QStringLiteral("-q"), QStringLiteral("-v"), QStringLiteral("ON_ERROR_STOP=1"),
                    QStringLiteral("-h"), base.host(), QStringLiteral("-p"), QString::number(base.port()),
                    QStringLiteral("-U"), base.userName(), QStringLiteral("-d"), name, QStringLiteral("-f"),
                    fixture(QStringLiteral("hub-unversioned-postgres.sql"))});
        if (!psql.waitForFinished(60000) || psql.exitCode() != 0) {
            qWarning() << "psql failed:" << psql.readAll();
            return {};
        }
        QSqlDatabase db = connect(spec);
        QString error;
        // pg_dump emptied the search path for its own session only; the rows go in as a hub writes them.
        const bool ok = execAll(db, legacyRows(), &error);
        db.close();
        if (!ok) {
            qWarning() << error;
            return {};
        }
        return spec;
    }

    void checkLegacyDataKept(const QString &spec)
    {
        HubStore store;
        QString error;
        QVERIFY2(store.open(spec, &error), qPrintable(error));
        QCOMPARE(HubSchema::version(store.database()), int(HubSchema::steps().size()));
        QCOMPARE(store.certKey().toHex(), kCertKeyHex.toLatin1());
        const auto device = store.device(QStringLiteral("kiosk-1"));
        QVERIFY(device);
        QCOMPARE(device->hallCode, QStringLiteral("320102"));
        QCOMPARE(device->deviceClass, QStringLiteral("terminal"));
        for (const auto &[sql, expected] : expectedReads()) {
            QSqlQuery q(store.database());
            QVERIFY2(q.exec(sql) && q.next(), qPrintable(sql + QStringLiteral(": ") + q.lastError().text()));
            QCOMPARE(q.value(0).toString(), expected);
        }
        // One evaluation, one case, still: a migration re-creating a table would lose or double them.
        QCOMPARE(countRows(store.database(), QStringLiteral("SELECT COUNT(*) FROM evaluations")), 1);
        QCOMPARE(countRows(store.database(), QStringLiteral("SELECT COUNT(*) FROM cases")), 1);
        // The hub goes on writing where the old one stopped: ids continue after the old rows.
        QByteArray secret;
        QCOMPARE(store.enroll(QStringLiteral("kiosk-2"), QStringLiteral("320102"), QStringLiteral("terminal"),
                              QStringLiteral("0.1.0"), &secret),
                 HubStore::EnrollResult::Enrolled);
        QCOMPARE(store.enroll(QStringLiteral("kiosk-1"), QStringLiteral("320102"), QStringLiteral("terminal"),
                              QStringLiteral("0.1.0"), &secret),
                 HubStore::EnrollResult::Exists);
        QSqlQuery q(store.database());
        QVERIFY2(q.exec(QStringLiteral("INSERT INTO evaluations (device_id, uuid, device_seq, project_no, satisfaction, "
                                       "assess_time, payload, fingerprint, received_at) VALUES ('kiosk-2', 'u-2', 1, "
                                       "'P-2', 4, '2026-12-01 10:05:00', '{}', 'fp-2', 1700000000500)")),
                 qPrintable(q.lastError().text()));
        QCOMPARE(countRows(store.database(), QStringLiteral("SELECT id FROM evaluations WHERE uuid = 'u-2'")), 2);
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void freshSqlite_open_recordsEveryStepOnce()
    {
        HubStore store;
        QString error;
        QVERIFY2(store.open(m_dir.filePath(QStringLiteral("fresh-steps.sqlite")), &error), qPrintable(error));
        const int latest = int(HubSchema::steps().size());
        QVERIFY(latest >= 2);
        QCOMPARE(HubSchema::version(store.database()), latest);
        QCOMPARE(countRows(store.database(), QStringLiteral("SELECT COUNT(*) FROM schema_version")), latest);
        QCOMPARE(countRows(store.database(), QStringLiteral("SELECT COUNT(DISTINCT version) FROM schema_version")), latest);
        // Opening again applies nothing more.
        HubStore again;
        QVERIFY2(again.open(m_dir.filePath(QStringLiteral("fresh-steps.sqlite")), &error), qPrintable(error));
        QCOMPARE(countRows(again.database(), QStringLiteral("SELECT COUNT(*) FROM schema_version")), latest);
    }

    void unversionedSqlite_open_migratesWithoutDataLoss()
    {
        const QString path = legacySqlite(QStringLiteral("legacy-data.sqlite"));
        QVERIFY(!path.isEmpty());
        {
            QSqlDatabase db = connect(path);
            QCOMPARE(HubSchema::version(db), 0);
            db.close();
        }
        checkLegacyDataKept(path);
    }

    void unversionedSqlite_migrated_hasTheSchemaOfAFreshDatabase()
    {
        const QString legacy = legacySqlite(QStringLiteral("legacy-schema.sqlite"));
        QVERIFY(!legacy.isEmpty());
        HubStore migrated, fresh;
        QString error;
        QVERIFY2(migrated.open(legacy, &error), qPrintable(error));
        QVERIFY2(fresh.open(m_dir.filePath(QStringLiteral("fresh-schema.sqlite")), &error), qPrintable(error));
        const QStringList a = sqliteSchema(fresh.database()), b = sqliteSchema(migrated.database());
        QVERIFY(a.size() > 60);
        QVERIFY2(a == b, qPrintable(difference(a, b)));
    }

    void sqliteNewerThanTheBuild_open_isRefused()
    {
        const QString path = m_dir.filePath(QStringLiteral("newer.sqlite"));
        {
            HubStore store;
            QString error;
            QVERIFY2(store.open(path, &error), qPrintable(error));
            QSqlQuery q(store.database());
            QVERIFY(q.exec(QStringLiteral("INSERT INTO schema_version (version, summary, applied_at) VALUES (%1, "
                                          "'from a later hub', 0)")
                               .arg(HubSchema::steps().size() + 1)));
        }
        HubStore store;
        QString error;
        QVERIFY(!store.open(path, &error));
        QVERIFY2(error.contains(QLatin1String("newer than this build")), qPrintable(error));
    }

    void failingStep_migrate_rollsBackAndKeepsTheVersion()
    {
        HubStore store;
        QString error;
        QVERIFY2(store.open(m_dir.filePath(QStringLiteral("failing.sqlite")), &error), qPrintable(error));
        const int latest = int(HubSchema::steps().size());
        QList<HubSchema::Step> steps = HubSchema::steps();
        steps.append({QStringLiteral("half a step"), [](QSqlDatabase &db, bool, QString *e) {
                          QSqlQuery q(db);
                          if (!q.exec(QStringLiteral("CREATE TABLE half_done (x INTEGER)")))
                              return false;
                          *e = QStringLiteral("the second statement failed");
                          return q.exec(QStringLiteral("INSERT INTO no_such_table VALUES (1)"));
                      }});
        QVERIFY(!HubSchema::migrate(store.database(), false, steps, latest + 1, &error));
        QVERIFY2(error.contains(QStringLiteral("%1→%2").arg(latest).arg(latest + 1)), qPrintable(error));
        QCOMPARE(HubSchema::version(store.database()), latest);
        QCOMPARE(countRows(store.database(),
                           QStringLiteral("SELECT COUNT(*) FROM sqlite_master WHERE name = 'half_done'")), 0);
    }

    void addedStep_migrate_runsOnceAndInOrder()
    {
        HubStore store;
        QString error;
        QVERIFY2(store.open(m_dir.filePath(QStringLiteral("added.sqlite")), &error), qPrintable(error));
        const int latest = int(HubSchema::steps().size());
        QStringList ran;
        QList<HubSchema::Step> steps = HubSchema::steps();
        for (const QString &column : {QStringLiteral("note_a"), QStringLiteral("note_b")})
            steps.append({column, [column, &ran](QSqlDatabase &db, bool, QString *e) {
                              ran.append(column);
                              QSqlQuery q(db);
                              // Fails when run a second time: the column exists then.
                              if (q.exec(QStringLiteral("ALTER TABLE devices ADD COLUMN %1 TEXT").arg(column)))
                                  return true;
                              *e = q.lastError().text();
                              return false;
                          }});
        QVERIFY2(HubSchema::migrate(store.database(), false, steps, latest + 2, &error), qPrintable(error));
        QCOMPARE(ran, (QStringList{QStringLiteral("note_a"), QStringLiteral("note_b")}));
        QCOMPARE(HubSchema::version(store.database()), latest + 2);
        QVERIFY2(HubSchema::migrate(store.database(), false, steps, latest + 2, &error), qPrintable(error));
        QCOMPARE(ran.size(), 2);
    }

    void unversionedPostgres_open_migratesWithoutDataLoss()
    {
        QString error;
        if (!m_pgStarted) {
            QVERIFY2(m_pg.start(m_dir.path(), &error), qPrintable(error));
            m_pgStarted = true;
        }
        const QString spec = postgresDatabase(QStringLiteral("legacy_data"), true);
        QVERIFY(!spec.isEmpty());
        {
            QSqlDatabase db = connect(spec);
            QCOMPARE(countRows(db, QStringLiteral("SELECT COUNT(*) FROM information_schema.tables WHERE "
                                                  "table_name = 'schema_version'")), 0);
            db.close();
        }
        checkLegacyDataKept(spec);
    }

    void unversionedPostgres_migrated_hasTheSchemaOfAFreshDatabase()
    {
        QString error;
        if (!m_pgStarted) {
            QVERIFY2(m_pg.start(m_dir.path(), &error), qPrintable(error));
            m_pgStarted = true;
        }
        const QString legacy = postgresDatabase(QStringLiteral("legacy_schema"), true);
        const QString empty = postgresDatabase(QStringLiteral("fresh_schema"), false);
        QVERIFY(!legacy.isEmpty() && !empty.isEmpty());
        HubStore migrated, fresh;
        QVERIFY2(migrated.open(legacy, &error), qPrintable(error));
        QVERIFY2(fresh.open(empty, &error), qPrintable(error));
        const QStringList a = postgresSchema(fresh.database()), b = postgresSchema(migrated.database());
        QVERIFY(a.size() > 300);
        QVERIFY2(a == b, qPrintable(difference(a, b)));
    }

    void cleanupTestCase() { m_pg.stop(); }
};

QTEST_GUILESS_MAIN(TestHubSchema)
#include "tst_hubschema.moc"

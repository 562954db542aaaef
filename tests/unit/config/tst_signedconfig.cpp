// SPDX-License-Identifier: Apache-2.0
// Signed configuration on the kiosk: only documents signed by the hub's key and not older than
// the active version pass; a valid one is applied in one transaction (SIGKILL at every write
// leaves the old or the new configuration, never a mix); the maintenance PIN arrives through it
// and the PIN vault then throttles guesses with growing delays.
#include "configapplier.h"
#include "configenvelope.h"
#include "jsonmergepatch.h"
#include "crypto.h"
#include "kioskconfig.h"
#include "pinvault.h"
#include "store.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <cstring>
#include <unistd.h>

using namespace hcp::kiosk;
using hcp::sync::ConfigEnvelope;
using hcp::trust::Key;
using hcp::trust::KeyType;
using hcp::trust::PinVault;

namespace {

QJsonObject indicatorsV(const QString &version, const QString &reasonName)
{
    QJsonObject set = IndicatorSet::builtin().toJson();
    set.insert(QStringLiteral("version"), version);
    QJsonArray items = set.value(QLatin1String("indicators")).toArray();
    QJsonObject first = items.at(0).toObject();
    first.insert(QStringLiteral("name"), reasonName);
    items.replace(0, first);
    set.insert(QStringLiteral("indicators"), items);
    return set;
}

QJsonObject questionnairesV(const QString &version)
{
    return QJsonObject{{QStringLiteral("version"), version},
                       {QStringLiteral("default"), QJsonObject{{QStringLiteral("items"), QJsonArray{}}}}};
}

// Generation g of the configuration: every part carries g, so a mix is visible.
QJsonObject generation(int g)
{
    return QJsonObject{
        {QStringLiteral("kiosk"), QJsonObject{{QStringLiteral("hallName"), QStringLiteral("大厅%1").arg(g)},
                                              {QStringLiteral("idleTimeoutSeconds"), 60 + g}}},
        {QStringLiteral("indicators"), indicatorsV(QStringLiteral("ind-%1").arg(g), QStringLiteral("原因%1").arg(g))},
        {QStringLiteral("questionnaires"), questionnairesV(QStringLiteral("q-%1").arg(g))},
    };
}

// Which generation each part of the stored configuration belongs to (-1 = missing/unknown).
struct Seen
{
    qint64 version = 0;
    int kiosk = -1, indicators = -1, questionnaires = -1, hub = -1;
};

Seen inspect(const QString &dbPath)
{
    Store store;
    Seen s;
    if (!store.open(dbPath))
        return s;
    ConfigApplier applier(&store);
    s.version = applier.activeVersion();
    const KioskConfig k = KioskConfig::fromJson(QJsonDocument::fromJson(store.config(QStringLiteral("kiosk"))).object());
    if (k.hallName.startsWith(QStringLiteral("大厅")))
        s.kiosk = k.hallName.mid(2).toInt();
    const QString iv = store.configVersion(QStringLiteral("indicators"));
    if (iv.startsWith(QLatin1String("ind-")))
        s.indicators = iv.mid(4).toInt();
    const QString qv = store.configVersion(QStringLiteral("questionnaires"));
    if (qv.startsWith(QLatin1String("q-")))
        s.questionnaires = qv.mid(2).toInt();
    const QJsonObject hub = QJsonDocument::fromJson(store.config(QStringLiteral("hub"))).object();
    const QString hn = hub.value(QLatin1String("kiosk")).toObject().value(QLatin1String("hallName")).toString();
    if (hn.startsWith(QStringLiteral("大厅")))
        s.hub = hn.mid(2).toInt();
    return s;
}

// Child mode: apply generation 2 as version 2 and SIGKILL ourselves at `killStep`.
int childApplyAndDie(const char *db, int killStep)
{
    Store store;
    if (!store.open(QString::fromLocal8Bit(db)))
        return 3;
    ConfigApplier applier(&store);
    applier.setStepHook([killStep](int step) {
        if (step == killStep)
            ::kill(::getpid(), SIGKILL);
    });
    const auto r = applier.apply(generation(2), 2, QByteArrayLiteral("etag-2"), KioskConfig());
    return r.ok ? 0 : 4;
}

} // namespace

class TestSignedConfig : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    Key m_hubKey = Key::generate(KeyType::Sm2);
    int m_n = 0;

    QString freshDb() { return m_dir.filePath(QStringLiteral("kiosk%1.sqlite").arg(++m_n)); }
    QByteArray envelope(const QJsonObject &doc, qint64 version, const Key &key)
    {
        return ConfigEnvelope::sign(doc, version, QStringLiteral("default"), key.privatePem());
    }

private Q_SLOTS:
    void verify_signedByHub_accepted()
    {
        ConfigEnvelope out;
        QString reason;
        QVERIFY2(ConfigEnvelope::verify(envelope(generation(1), 7, m_hubKey), m_hubKey.publicPem(), 6, &out, &reason),
                 qPrintable(reason));
        QCOMPARE(out.version, 7);
        QCOMPARE(out.scope, QStringLiteral("default"));
        QCOMPARE(out.document, generation(1));
        // The same version as the active one passes (the caller keeps what it has).
        QVERIFY(ConfigEnvelope::verify(envelope(generation(1), 7, m_hubKey), m_hubKey.publicPem(), 7, &out, &reason));
    }

    void verify_badDocuments_rejectedWithReason_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("hubKey");
        QTest::addColumn<QString>("code");
        const QByteArray pub = m_hubKey.publicPem();
        const QByteArray good = envelope(generation(1), 5, m_hubKey);
        auto edit = [&](const std::function<void(QJsonObject &)> &f) {
            QJsonObject o = QJsonDocument::fromJson(good).object();
            f(o);
            return QJsonDocument(o).toJson(QJsonDocument::Compact);
        };
        QTest::newRow("plain document") << QJsonDocument(generation(1)).toJson() << pub << "unsigned";
        QTest::newRow("no signature") << edit([](QJsonObject &o) { o.remove(QStringLiteral("signature")); }) << pub << "unsigned";
        QTest::newRow("other key") << envelope(generation(1), 5, Key::generate(KeyType::Sm2)) << pub << "bad-signature";
        QTest::newRow("edited document") << edit([](QJsonObject &o) {
            QJsonObject d = o.value(QLatin1String("document")).toObject();
            QJsonObject k = d.value(QLatin1String("kiosk")).toObject();
            k.insert(QStringLiteral("idleTimeoutSeconds"), 3600);
            d.insert(QStringLiteral("kiosk"), k);
            o.insert(QStringLiteral("document"), d);
        }) << pub << "bad-signature";
        QTest::newRow("version raised after signing") << edit([](QJsonObject &o) { o.insert(QStringLiteral("version"), QStringLiteral("6")); })
                                                      << pub << "bad-signature";
        QTest::newRow("signature garbage") << edit([](QJsonObject &o) { o.insert(QStringLiteral("signature"), QStringLiteral("!!")); })
                                           << pub << "bad-signature";
        QTest::newRow("version not an integer") << edit([](QJsonObject &o) { o.insert(QStringLiteral("version"), QStringLiteral("5a")); })
                                                << pub << "malformed";
        QTest::newRow("version as number") << edit([](QJsonObject &o) { o.insert(QStringLiteral("version"), 5); }) << pub << "malformed";
        QTest::newRow("older than active") << envelope(generation(1), 3, m_hubKey) << pub << "older";
        QTest::newRow("no hub key") << good << QByteArray() << "no-hub-key";
        QTest::newRow("not json") << QByteArray("{\"document\":") << pub << "malformed";
    }
    void verify_badDocuments_rejectedWithReason()
    {
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, hubKey);
        QFETCH(QString, code);
        ConfigEnvelope out;
        QString reason;
        QVERIFY(!ConfigEnvelope::verify(body, hubKey, 4, &out, &reason));
        QVERIFY2(reason.startsWith(code + QLatin1Char(':')), qPrintable(reason));
        QCOMPARE(out.version, 0);
    }

    void apply_validDocument_allPartsAndVersionStored()
    {
        const QString db = freshDb();
        {
            Store store;
            QVERIFY(store.open(db));
            ConfigApplier applier(&store);
            QCOMPARE(applier.activeVersion(), 0);
            const auto r = applier.apply(generation(1), 1, "etag-1", KioskConfig());
            QVERIFY2(r.ok, qPrintable(r.reason));
            QVERIFY(r.kiosk && r.indicators && r.questionnaires);
            QCOMPARE(r.kiosk->idleTimeoutSeconds, 61);
            QCOMPARE(r.kiosk->idHashKey, KioskConfig().idHashKey); // never from the document
            QCOMPARE(applier.activeEtag(), QByteArray("etag-1"));
        }
        const Seen s = inspect(db);
        QCOMPARE(s.version, 1);
        QCOMPARE(s.kiosk, 1);
        QCOMPARE(s.indicators, 1);
        QCOMPARE(s.questionnaires, 1);
        QCOMPARE(s.hub, 1);
    }

    void apply_invalidPart_refusesWholeDocument_data()
    {
        QTest::addColumn<QJsonObject>("document");
        QTest::addColumn<QString>("expected");
        QJsonObject badNumber = generation(2);
        badNumber.insert(QStringLiteral("kiosk"), QJsonObject{{QStringLiteral("idleTimeoutSeconds"), 1}});
        QTest::newRow("idle timeout out of range") << badNumber << "invalid: kiosk: idleTimeoutSeconds";
        QJsonObject badPin = generation(2);
        badPin.insert(QStringLiteral("kiosk"), QJsonObject{{QStringLiteral("maintenancePinHash"), QStringLiteral("1234")}});
        QTest::newRow("plain PIN instead of hash") << badPin << "invalid: kiosk: maintenancePinHash";
        QJsonObject idKey = generation(2);
        idKey.insert(QStringLiteral("kiosk"), QJsonObject{{QStringLiteral("idHashKey"), QStringLiteral("x")}});
        QTest::newRow("ID-hash key from the hub document") << idKey << "invalid: kiosk: idHashKey";
        QJsonObject badIndicators = generation(2);
        badIndicators.insert(QStringLiteral("indicators"), QJsonObject{{QStringLiteral("version"), QStringLiteral("v")}});
        QTest::newRow("indicator set without indicators") << badIndicators << "invalid: indicators";
        QJsonObject badQ = generation(2);
        badQ.insert(QStringLiteral("questionnaires"), QJsonObject{});
        QTest::newRow("questionnaires without version") << badQ << "invalid: questionnaires";
        QJsonObject unknown = generation(2);
        unknown.insert(QStringLiteral("firmware"), QJsonObject{});
        QTest::newRow("unknown part") << unknown << "invalid: unknown part";
        QTest::newRow("empty") << QJsonObject{} << "invalid: empty";
    }
    void apply_invalidPart_refusesWholeDocument()
    {
        QFETCH(QJsonObject, document);
        QFETCH(QString, expected);
        const QString db = freshDb();
        {
            Store store;
            QVERIFY(store.open(db));
            ConfigApplier applier(&store);
            QVERIFY(applier.apply(generation(1), 1, "etag-1", KioskConfig()).ok);
            const auto r = applier.apply(document, 2, "etag-2", KioskConfig());
            QVERIFY(!r.ok);
            QVERIFY2(r.reason.startsWith(expected), qPrintable(r.reason));
        }
        const Seen s = inspect(db);
        QCOMPARE(s.version, 1);
        QCOMPARE(s.kiosk, 1);
        QCOMPARE(s.indicators, 1);
        QCOMPARE(s.questionnaires, 1);
        QCOMPARE(s.hub, 1);
    }

    // The child applies generation 2 over generation 1 and is SIGKILLed after write N of the
    // transaction (1 = indicators … 5 = etag) or right after the commit (0).
    void sigkillDuringApply_leavesOldOrNewNeverMix_data()
    {
        QTest::addColumn<int>("killStep");
        QTest::addColumn<int>("expected");
        for (int step = 1; step <= 5; ++step)
            QTest::addRow("after write %d", step) << step << 1;
        QTest::newRow("after commit") << 0 << 2;
    }
    void sigkillDuringApply_leavesOldOrNewNeverMix()
    {
        QFETCH(int, killStep);
        QFETCH(int, expected);
        const QString db = freshDb();
        {
            Store store;
            QVERIFY(store.open(db));
            QVERIFY(ConfigApplier(&store).apply(generation(1), 1, "etag-1", KioskConfig()).ok);
        }
        QProcess child;
        child.start(QCoreApplication::applicationFilePath(),
                    {QStringLiteral("--apply-and-die"), db, QString::number(killStep)});
        QVERIFY(child.waitForFinished(30000));
        QCOMPARE(child.exitStatus(), QProcess::CrashExit); // it really died at that step
        const Seen s = inspect(db);
        QCOMPARE(s.version, qint64(expected));
        QCOMPARE(s.kiosk, expected);
        QCOMPARE(s.indicators, expected);
        QCOMPARE(s.questionnaires, expected);
        QCOMPARE(s.hub, expected);
    }

    // The push that removed the 代办员 list: a kiosk part naming four keys changes those four and
    // nothing else — agents, hallCode, areaCode, pf and the window's staff card stay as they were.
    void apply_partialKioskPart_keepsEverySettingItDoesNotName()
    {
        KioskConfig current;
        current.hallCode = QStringLiteral("HALL-777");
        current.areaCode = QStringLiteral("110105001000");
        current.pf = 4;
        current.agents = {AgentEntry{QStringLiteral("A01"), QStringLiteral("张代办"), QStringLiteral("h1"),
                                     PinVault::hashPin(QStringLiteral("1357"), 1000)}};
        current.padWindowNo = QStringLiteral("07");
        current.padStaffName = QStringLiteral("李四");
        current.idHashKey = QByteArrayLiteral("provisioned-key");
        const QJsonObject push{{QStringLiteral("kiosk"),
                                QJsonObject{{QStringLiteral("hotline"), QStringLiteral("0551-12345")},
                                            {QStringLiteral("idleTimeoutSeconds"), 120},
                                            {QStringLiteral("voiceVolume"), 60},
                                            {QStringLiteral("pad"), QJsonObject{{QStringLiteral("staffNo"), QStringLiteral("S9")}}}}}};
        Store store;
        QVERIFY(store.open(freshDb()));
        const auto r = ConfigApplier(&store).apply(push, 5, "etag-5", current);
        QVERIFY2(r.ok, qPrintable(r.reason));
        QCOMPARE(r.kiosk->hotline, QStringLiteral("0551-12345"));
        QCOMPARE(r.kiosk->idleTimeoutSeconds, 120);
        QCOMPARE(r.kiosk->voiceVolume, 60);
        QCOMPARE(r.kiosk->padStaffNo, QStringLiteral("S9"));
        QCOMPARE(r.kiosk->agents.size(), 1);
        QCOMPARE(r.kiosk->agents.at(0).id, QStringLiteral("A01"));
        QCOMPARE(r.kiosk->hallCode, QStringLiteral("HALL-777"));
        QCOMPARE(r.kiosk->areaCode, QStringLiteral("110105001000"));
        QCOMPARE(r.kiosk->pf, 4);
        QCOMPARE(r.kiosk->padWindowNo, QStringLiteral("07"));
        QCOMPARE(r.kiosk->padStaffName, QStringLiteral("李四"));
        QCOMPARE(r.kiosk->idHashKey, QByteArray("provisioned-key"));
        // And what was stored is what runs after a restart.
        const KioskConfig stored = KioskConfig::fromJson(QJsonDocument::fromJson(store.config(QStringLiteral("kiosk"))).object());
        QCOMPARE(stored.agents.size(), 1);
        QCOMPARE(stored.hallCode, QStringLiteral("HALL-777"));
    }

    // null in a push takes a setting back to the kiosk's built-in default (RFC 7386).
    void apply_nullInKioskPart_resetsThatSettingToDefault()
    {
        KioskConfig current;
        current.hotline = QStringLiteral("0551-12345");
        current.idleTimeoutSeconds = 300;
        const QJsonObject push{{QStringLiteral("kiosk"), QJsonObject{{QStringLiteral("hotline"), QJsonValue::Null}}}};
        Store store;
        QVERIFY(store.open(freshDb()));
        const auto r = ConfigApplier(&store).apply(push, 6, "etag-6", current);
        QVERIFY2(r.ok, qPrintable(r.reason));
        QCOMPARE(r.kiosk->hotline, KioskConfig().hotline);
        QCOMPARE(r.kiosk->idleTimeoutSeconds, 300);
    }

    void mergePatch_diff_listsLeavesThatChange()
    {
        const QJsonObject before{{QStringLiteral("a"), 1},
                                 {QStringLiteral("pad"), QJsonObject{{QStringLiteral("windowNo"), QStringLiteral("1")},
                                                                     {QStringLiteral("staffNo"), QStringLiteral("S1")}}},
                                 {QStringLiteral("gone"), true}};
        const QJsonObject patch{{QStringLiteral("a"), 2},
                                {QStringLiteral("pad"), QJsonObject{{QStringLiteral("windowNo"), QStringLiteral("2")}}},
                                {QStringLiteral("gone"), QJsonValue::Null},
                                {QStringLiteral("new"), QJsonArray{1, 2}}};
        const QJsonObject after = hcp::sync::JsonMergePatch::apply(before, patch);
        QCOMPARE(after.value(QLatin1String("pad")).toObject().value(QLatin1String("staffNo")).toString(), QStringLiteral("S1"));
        const QJsonArray d = hcp::sync::JsonMergePatch::diff(before, after);
        QCOMPARE(QJsonDocument(d).toJson(QJsonDocument::Compact),
                 QByteArray(R"([{"after":2,"before":1,"path":"a"},{"before":true,"path":"gone"},)"
                            R"({"after":[1,2],"path":"new"},{"after":"2","before":"1","path":"pad.windowNo"}])"));
        QVERIFY(hcp::sync::JsonMergePatch::diff(after, after).isEmpty());
    }

    // The maintenance PIN comes only as a hash inside the signed document; the vault built
    // from the applied configuration throttles wrong guesses: 3 free, then 30 s, 60 s, 120 s …
    void pinFromSignedConfig_lockoutDelaysGrow()
    {
        const QString pinHash = PinVault::hashPin(QStringLiteral("135790"), 1000);
        QJsonObject doc = generation(3);
        QJsonObject k = doc.value(QLatin1String("kiosk")).toObject();
        k.insert(QStringLiteral("maintenancePinHash"), pinHash);
        doc.insert(QStringLiteral("kiosk"), k);
        ConfigEnvelope env;
        QString reason;
        QVERIFY(ConfigEnvelope::verify(envelope(doc, 3, m_hubKey), m_hubKey.publicPem(), 2, &env, &reason));
        Store store;
        QVERIFY(store.open(freshDb()));
        const auto r = ConfigApplier(&store).apply(env.document, env.version, "etag-3", KioskConfig());
        QVERIFY2(r.ok, qPrintable(r.reason));
        QCOMPARE(r.kiosk->maintenancePinHash, pinHash);
        QVERIFY(!store.config(QStringLiteral("kiosk")).contains("135790")); // the PIN itself is nowhere

        qint64 now = 1'800'000'000'000;
        PinVault vault(m_dir.filePath(QStringLiteral("pin-state.json")), [&now] { return now; });
        QVERIFY(vault.setPinHash(r.kiosk->maintenancePinHash));
        const qint64 expected[] = {0, 0, 0, 30'000, 60'000, 120'000, 240'000};
        QStringList timeline;
        for (qint64 delay : expected) {
            const auto a = vault.tryPin(QStringLiteral("000000"));
            QCOMPARE(a.outcome, PinVault::Outcome::Rejected);
            QCOMPARE(a.retryAfterMs, delay);
            timeline << QStringLiteral("%1:%2s").arg(a.consecutiveFailures).arg(a.retryAfterMs / 1000);
            if (delay > 0) {
                // Even the right PIN is not checked during the lockout.
                const auto locked = vault.tryPin(QStringLiteral("135790"));
                QCOMPARE(locked.outcome, PinVault::Outcome::LockedOut);
                QCOMPARE(locked.retryAfterMs, delay);
                now += delay - 1;
                QCOMPARE(vault.tryPin(QStringLiteral("135790")).outcome, PinVault::Outcome::LockedOut);
                now += 1;
            }
        }
        qInfo().noquote() << "lockout after failures (failures:delay):" << timeline.join(QLatin1Char(' '));
        QCOMPARE(vault.tryPin(QStringLiteral("135790")).outcome, PinVault::Outcome::Accepted);
        QCOMPARE(vault.consecutiveFailures(), 0);
    }
};

int main(int argc, char **argv)
{
    if (argc == 4 && std::strcmp(argv[1], "--apply-and-die") == 0) {
        QCoreApplication app(argc, argv);
        return childApplyAndDie(argv[2], std::atoi(argv[3]));
    }
    QCoreApplication app(argc, argv);
    TestSignedConfig t;
    return QTest::qExec(&t, argc, argv);
}

#include "tst_signedconfig.moc"
